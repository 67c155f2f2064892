#include "identity.h"

#include "openssl.h"

#include <openssl/err.h>

#include <array>
#include <utility>

#include <arpa/inet.h>

namespace hostsec::pki {

using namespace Internal;

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> RoleNames{{
    {Role::Service, "service"},
    {Role::Viewer, "viewer"},
    {Role::Operator, "operator"},
    {Role::Admin, "admin"},
}};

std::vector<std::string> hostsOf(const X509 &cert)
{
    std::vector<std::string> hosts;
    const GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
        if (name->type == GEN_DNS) {
            const ASN1_IA5STRING *dns = name->d.dNSName;
            hosts.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(dns)),
                               static_cast<std::size_t>(ASN1_STRING_length(dns)));
        } else if (name->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *ip = name->d.iPAddress;
            const int length = ASN1_STRING_length(ip);
            char text[INET6_ADDRSTRLEN] = {};
            if ((length == 4 || length == 16) &&
                inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text,
                          sizeof text))
                hosts.emplace_back(text);
        }
    }
    return hosts;
}

std::string serialOf(const X509 &cert)
{
    const BignumPtr number(ASN1_INTEGER_to_BN(X509_get0_serialNumber(&cert), nullptr));
    char *text = number ? BN_bn2hex(number.get()) : nullptr;
    std::string serial = text ? text : "";
    OPENSSL_free(text);
    return serial;
}

// "certificate "HS1"", or "the certificate" when it has no CN.
std::string labelOf(const X509 *cert)
{
    const std::string name = cert ? nameEntry(X509_get_subject_name(cert), NID_commonName) : "";
    return name.empty() ? std::string("the certificate") : "certificate \"" + name + '"';
}

std::string joined(const std::vector<std::string> &items)
{
    std::string text;
    for (const std::string &item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

// What X509_verify_cert found wrong, in words that say what to do.
std::string explainFailure(X509_STORE_CTX *ctx, const X509 &ca, const X509 &cert,
                           std::string_view hostname)
{
    const int code = X509_STORE_CTX_get_error(ctx);
    const X509 *current = X509_STORE_CTX_get_current_cert(ctx);
    if (!current)
        current = &cert;
    const std::string who = current == &cert ? labelOf(&cert) : "the CA's " + labelOf(current);
    const std::string caName = nameEntry(X509_get_subject_name(&ca), NID_commonName);
    const std::string issuerName = nameEntry(X509_get_issuer_name(&cert), NID_commonName);

    std::string message;
    switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        message = who + " expired on " + formatIsoTime(toMillis(X509_get0_notAfter(current))) +
                  ": issue a new one";
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        message = who + " is not valid before " +
                  formatIsoTime(toMillis(X509_get0_notBefore(current))) +
                  ": check this computer's clock";
        break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        if (issuerName == caName)
            message = labelOf(&cert) + " names this domain's CA \"" + caName +
                      "\" as its issuer but is not signed by its key: it comes from another CA "
                      "of the same name";
        else
            message = labelOf(&cert) + " was issued by \"" + issuerName +
                      "\", not by this domain's CA \"" + caName + '"';
        break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: {
        const std::vector<std::string> hosts = hostsOf(cert);
        message = labelOf(&cert) + " is not valid for " + std::string(hostname) +
                  (hosts.empty() ? ": it names no host" : ": it names " + joined(hosts));
        break;
    }
    case X509_V_ERR_INVALID_PURPOSE:
        message = who + (hostname.empty()
                             ? " may not identify a client (no clientAuth extended key usage)"
                             : " may not identify a server (no serverAuth extended key usage: "
                               "only role service may)");
        break;
    default:
        message = who + " is not valid";
        break;
    }
    return message + " (OpenSSL: " + X509_verify_cert_error_string(code) + ')';
}

} // namespace

std::string_view roleName(Role role)
{
    for (const auto &[value, name] : RoleNames) {
        if (value == role)
            return name;
    }
    return "unknown";
}

std::optional<Role> parseRole(std::string_view name)
{
    for (const auto &[value, text] : RoleNames) {
        if (text == name)
            return value;
    }
    return std::nullopt;
}

Result<Identity> identityOf(const x509_st &cert)
{
    const X509_NAME *subject = X509_get_subject_name(&cert);
    Identity identity;
    int names = 0;
    identity.name = nameEntry(subject, NID_commonName, &names);
    if (names != 1 || identity.name.empty())
        return Error{0, "the certificate has " +
                            std::string(names == 0 ? "no common name (CN)" : "several CNs") +
                            ": it was not issued by hostsecctl pki issue"};
    int roles = 0;
    const std::string role = nameEntry(subject, NID_organizationalUnitName, &roles);
    const std::optional<Role> parsed = parseRole(role);
    if (roles != 1 || !parsed) {
        const std::string why = roles == 0  ? "carries no role (no OU in its subject)"
                                : roles > 1 ? "carries several roles (several OUs)"
                                            : "carries an unknown role \"" + role + '"';
        return Error{0, labelOf(&cert) + ' ' + why +
                            ": role missing; issue one with hostsecctl pki issue --role"};
    }
    identity.role = *parsed;
    identity.domain = nameEntry(subject, NID_organizationName);
    identity.hosts = hostsOf(cert);
    identity.serial = serialOf(cert);
    identity.fingerprint = fingerprintOf(cert);
    identity.notBefore = toMillis(X509_get0_notBefore(&cert));
    identity.notAfter = toMillis(X509_get0_notAfter(&cert));
    return identity;
}

Result<Identity> readIdentity(std::string_view certPem)
{
    const Result<X509Ptr> cert = parseCertificate(certPem, "the certificate");
    if (!cert)
        return cert.error();
    return identityOf(**cert);
}

Result<Identity> verify(std::string_view caPem, std::string_view certPem, std::string_view hostname)
{
    const Result<X509Ptr> ca = parseCertificate(caPem, "the CA certificate");
    if (!ca)
        return ca.error();
    const Result<X509Ptr> cert = parseCertificate(certPem, "the certificate");
    if (!cert)
        return cert.error();
    const std::string label = labelOf(cert->get());

    // The context refers to the store and the certificate: it is declared last, freed first.
    const X509StorePtr store(X509_STORE_new());
    const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !ctx || X509_STORE_add_cert(store.get(), ca->get()) != 1 ||
        X509_STORE_CTX_init(ctx.get(), store.get(), cert->get(), nullptr) != 1)
        return sslError("cannot set up the verification of " + label);

    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    X509_VERIFY_PARAM_set_purpose(param, hostname.empty() ? X509_PURPOSE_SSL_CLIENT
                                                          : X509_PURPOSE_SSL_SERVER);
    if (!hostname.empty()) {
        const std::string host(hostname);
        const Asn1OctetStringPtr ip(a2i_IPADDRESS(host.c_str()));
        ERR_clear_error(); // a2i_IPADDRESS leaves a reason when `host` is a name
        const int set =
            ip ? X509_VERIFY_PARAM_set1_ip(param, ASN1_STRING_get0_data(ip.get()),
                                           static_cast<std::size_t>(ASN1_STRING_length(ip.get())))
               : X509_VERIFY_PARAM_set1_host(param, host.data(), host.size());
        if (set != 1)
            return sslError("cannot check " + label + " for the host \"" + host + '"');
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    }

    const int verified = X509_verify_cert(ctx.get());
    if (verified < 0)
        return sslError("cannot verify " + label);
    if (verified != 1)
        return Error{0, explainFailure(ctx.get(), **ca, **cert, hostname)};
    return identityOf(**cert);
}

} // namespace hostsec::pki
