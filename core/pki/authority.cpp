#include "authority.h"

#include "openssl.h"
#include "securefile.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <sys/stat.h>
#include <unistd.h>

namespace hostsec::pki {

using namespace Internal;
namespace fs = std::filesystem;

namespace {

using X509NamePtr = Owned<X509_NAME, X509_NAME_free>;

constexpr int CaDays = 3650;              // the CA's validity: 10 years
constexpr int MaxDays = 3650;             // a certificate's longest validity
constexpr std::size_t MaxNameLength = 64; // X.509's upper bound for a CN
constexpr std::size_t MaxDomainLength = MaxNameLength - sizeof(" host security CA") + 1;
constexpr long ClockSkewSeconds = 60; // notBefore this far back, for clocks slightly behind
constexpr unsigned KeyMode = 0600;
constexpr unsigned CertMode = 0644;

bool isNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' ||
           c == '-';
}

Status checkName(const std::string &name, const char *what)
{
    if (name.empty() || name.size() > MaxNameLength ||
        !std::isalnum(static_cast<unsigned char>(name.front())) ||
        !std::all_of(name.begin(), name.end(), isNameChar))
        return Error{EINVAL, std::string(what) + " \"" + name +
                                 "\" is not valid: use 1 to 64 letters, digits, '.', '_', '@' "
                                 "or '-', starting with a letter or digit"};
    return {};
}

// A DNS name of letters, digits and '-' in dot-separated labels; no wildcards.
bool isDnsName(const std::string &host)
{
    if (host.empty() || host.size() > 253)
        return false;
    std::size_t start = 0;
    while (start <= host.size()) {
        const std::size_t end = std::min(host.find('.', start), host.size());
        const std::string_view label(host.data() + start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (const char c : label) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return false;
        }
        start = end + 1;
    }
    return true;
}

Result<PKeyPtr> generateKey()
{
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1 ||
        EVP_PKEY_generate(ctx.get(), &key) != 1)
        return sslError("cannot generate an ECDSA P-256 key");
    return PKeyPtr(key);
}

Result<X509NamePtr> makeName(const std::vector<std::pair<const char *, std::string>> &entries)
{
    X509NamePtr name(X509_NAME_new());
    if (!name)
        return sslError("cannot make a certificate subject");
    for (const auto &[field, value] : entries) {
        if (X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char *>(value.c_str()), -1,
                                       -1, 0) != 1)
            return sslError(std::string("cannot put ") + field + "=" + value + " in a subject");
    }
    return name;
}

// A certificate with version 3, a random 128-bit serial, the subject, the key and the dates;
// the issuer, the extensions and the signature are the caller's.
Result<X509Ptr> newCertificate(const X509_NAME &subject, EVP_PKEY &key, std::time_t notBefore,
                               std::time_t notAfter)
{
    unsigned char random[16];
    if (RAND_bytes(random, sizeof random) != 1)
        return sslError("cannot make a random serial number");
    const BignumPtr number(BN_bin2bn(random, sizeof random, nullptr));
    const Asn1IntegerPtr serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);

    X509Ptr cert(X509_new());
    if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
        X509_set_subject_name(cert.get(), &subject) != 1 ||
        X509_set_pubkey(cert.get(), &key) != 1 ||
        !ASN1_TIME_set(X509_getm_notBefore(cert.get()), notBefore) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert.get()), notAfter))
        return sslError("cannot make a certificate");
    return cert;
}

// One extension in OpenSSL's configuration syntax ("critical,CA:TRUE"), made by OpenSSL.
Status addExtension(X509 &cert, X509V3_CTX &ctx, int nid, const char *value)
{
    const X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
    if (!extension || X509_add_ext(&cert, extension.get(), -1) != 1)
        return sslError(std::string("cannot add the extension ") + OBJ_nid2sn(nid) + " = " + value);
    return {};
}

// subjectAltName: each host as an IP address if it parses as one, else as a DNS name.
Status addSubjectAltNames(X509 &cert, const std::vector<std::string> &hosts)
{
    GeneralNamesPtr names(GENERAL_NAMES_new());
    if (!names)
        return sslError("cannot make the subjectAltName");
    for (const std::string &host : hosts) {
        GeneralNamePtr name(GENERAL_NAME_new());
        if (!name)
            return sslError("cannot make the subjectAltName");
        if (Asn1OctetStringPtr ip{a2i_IPADDRESS(host.c_str())}) {
            GENERAL_NAME_set0_value(name.get(), GEN_IPADD, ip.release());
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            if (!dns || ASN1_STRING_set(dns, host.data(), static_cast<int>(host.size())) != 1) {
                ASN1_IA5STRING_free(dns);
                return sslError("cannot put " + host + " in the subjectAltName");
            }
            GENERAL_NAME_set0_value(name.get(), GEN_DNS, dns);
        }
        if (sk_GENERAL_NAME_push(names.get(), name.get()) <= 0)
            return sslError("cannot make the subjectAltName");
        name.release(); // the stack owns it now
    }
    ERR_clear_error(); // a2i_IPADDRESS leaves a reason for each DNS name
    if (X509_add1_ext_i2d(&cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
        return sslError("cannot add the subjectAltName");
    return {};
}

Status sign(X509 &cert, EVP_PKEY &issuerKey)
{
    if (X509_sign(&cert, &issuerKey, EVP_sha256()) <= 0)
        return sslError("cannot sign the certificate");
    return {};
}

// Present as anything, a dangling symbolic link included.
bool isPresent(const fs::path &path)
{
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

Status makeFolder(const fs::path &dir, bool privateToOwner)
{
    std::error_code ec;
    if (fs::is_directory(dir, ec))
        return {};
    if (isPresent(dir))
        return Error{ENOTDIR, dir.string() + " is not a folder"};
    if (!fs::create_directories(dir, ec) && ec)
        return Error{ec.value(), "cannot create the folder " + dir.string() + ": " + ec.message()};
    if (!privateToOwner)
        return {};
    fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec)
        return Error{ec.value(), "cannot make " + dir.string() + " private: " + ec.message()};
    return {};
}

// Writes a key and its certificate, the key first; if the certificate fails the key goes too.
Status writePair(const fs::path &keyFile, const std::string &keyPem, const fs::path &certFile,
                 const std::string &certPem)
{
    if (Status written = writeNewFile(keyFile, keyPem, KeyMode); !written)
        return written;
    if (Status written = writeNewFile(certFile, certPem, CertMode); !written) {
        ::unlink(keyFile.c_str());
        return written;
    }
    return {};
}

struct LoadedCa
{
    X509Ptr cert;
    PKeyPtr key;
};

Result<LoadedCa> loadCa(const fs::path &dir)
{
    const fs::path certFile = dir / CaCertFileName;
    const fs::path keyFile = dir / CaKeyFileName;
    if (!isPresent(certFile) || !isPresent(keyFile))
        return Error{ENOENT, dir.string() + " holds no CA (" +
                                 (isPresent(certFile) ? keyFile : certFile).string() +
                                 " is missing): create one with hostsecctl pki init " +
                                 dir.string()};

    struct stat info = {};
    if (::stat(keyFile.c_str(), &info) != 0)
        return Error{errno, "cannot read " + keyFile.string() + ": " + std::strerror(errno)};
    if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
        return Error{EACCES, keyFile.string() + " may be read by group or others (mode " + mode +
                                 "): run chmod 600 " + keyFile.string() + " and keep it private"};
    }

    const Result<std::string> certPem = readSmallFile(certFile);
    if (!certPem)
        return certPem.error();
    const Result<std::string> keyPem = readSmallFile(keyFile);
    if (!keyPem)
        return keyPem.error();
    Result<X509Ptr> cert = parseCertificate(*certPem, certFile.string());
    if (!cert)
        return cert.error();
    Result<PKeyPtr> key = parsePrivateKey(*keyPem, keyFile.string());
    if (!key)
        return key.error();
    ERR_clear_error();
    if (X509_check_private_key(cert->get(), key->get()) != 1)
        return sslError(keyFile.string() + " is not the key of " + certFile.string());
    return LoadedCa{std::move(*cert), std::move(*key)};
}

} // namespace

Result<Authority> initCa(const fs::path &dir, const std::string &domain)
{
    if (dir.empty())
        return Error{EINVAL, "no folder given for the CA"};
    if (domain.size() > MaxDomainLength)
        return Error{EINVAL, "domain name \"" + domain + "\" is too long: at most " +
                                 std::to_string(MaxDomainLength) + " characters"};
    if (Status valid = checkName(domain, "domain name"); !valid)
        return valid.error();
    const fs::path keyFile = dir / CaKeyFileName;
    const fs::path certFile = dir / CaCertFileName;
    if (isPresent(keyFile) || isPresent(certFile))
        return Error{EEXIST, dir.string() +
                                 " already holds a CA (ca.key, ca.crt): refusing to replace "
                                 "it; choose another folder, or remove both files to start a "
                                 "new CA (every certificate it issued then stops verifying)"};
    if (Status folder = makeFolder(dir, true); !folder)
        return folder.error();

    ERR_clear_error();
    Result<PKeyPtr> key = generateKey();
    if (!key)
        return key.error();
    const std::string caName = domain + " host security CA";
    const Result<X509NamePtr> subject = makeName({{"O", domain}, {"CN", caName}});
    if (!subject)
        return subject.error();
    const std::time_t now = std::time(nullptr);
    Result<X509Ptr> made = newCertificate(**subject, **key, now - ClockSkewSeconds,
                                          now + std::time_t{CaDays} * 24 * 3600);
    if (!made)
        return made.error();
    X509 &cert = **made;
    if (X509_set_issuer_name(&cert, subject->get()) != 1)
        return sslError("cannot make the CA certificate");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, &cert, &cert, nullptr, nullptr, 0);
    for (const auto &[nid, value] : {
             std::pair{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
             std::pair{NID_key_usage, "critical,keyCertSign,cRLSign"},
             std::pair{NID_subject_key_identifier, "hash"},
             std::pair{NID_authority_key_identifier, "keyid:always"},
         }) {
        if (Status added = addExtension(cert, ctx, nid, value); !added)
            return added.error();
    }
    if (Status signedCert = sign(cert, **key); !signedCert)
        return signedCert.error();

    const Result<std::string> keyPem = privateKeyPem(**key);
    if (!keyPem)
        return keyPem.error();
    const Result<std::string> certPem = certificatePem(cert);
    if (!certPem)
        return certPem.error();
    if (Status written = writePair(keyFile, *keyPem, certFile, *certPem); !written)
        return written.error();

    return Authority{certFile,
                     keyFile,
                     caName,
                     domain,
                     fingerprintOf(cert),
                     toMillis(X509_get0_notAfter(&cert))};
}

Result<Issued> issue(const fs::path &caDir, const IssueRequest &request, const fs::path &outDir)
{
    if (caDir.empty() || outDir.empty())
        return Error{EINVAL, caDir.empty() ? "no CA folder given" : "no output folder given"};
    if (Status valid = checkName(request.name, "certificate name"); !valid)
        return valid.error();
    if (request.days < 1 || request.days > MaxDays)
        return Error{EINVAL, "validity of " + std::to_string(request.days) +
                                 " days is out of range: 1 to " + std::to_string(MaxDays)};
    std::vector<std::string> hosts;
    for (const std::string &host : request.hosts) {
        const Asn1OctetStringPtr ip(a2i_IPADDRESS(host.c_str()));
        if (!ip && !isDnsName(host))
            return Error{EINVAL, "host \"" + host +
                                     "\" is neither an IP address nor a DNS name (letters, "
                                     "digits and '-' in dot-separated labels, no wildcards)"};
        if (std::find(hosts.begin(), hosts.end(), host) == hosts.end())
            hosts.push_back(host);
    }
    ERR_clear_error();
    if (request.role == Role::Service && hosts.empty())
        return Error{EINVAL, "a certificate of role service needs the host names or IP "
                             "addresses its peers connect to (--host), or they cannot verify it"};

    const fs::path keyFile = outDir / (request.name + ".key");
    const fs::path certFile = outDir / (request.name + ".crt");
    for (const fs::path &file : {keyFile, certFile}) {
        if (isPresent(file))
            return Error{EEXIST, file.string() +
                                     " already exists: refusing to replace it; choose another "
                                     "name or folder, or remove the old files first"};
    }

    Result<LoadedCa> ca = loadCa(caDir);
    if (!ca)
        return ca.error();
    X509 &caCert = *ca->cert;
    const std::string domain = nameEntry(X509_get_subject_name(&caCert), NID_organizationName);

    const std::time_t start = request.validFrom > 0
                                  ? static_cast<std::time_t>(request.validFrom / 1000)
                                  : std::time(nullptr);
    const std::time_t end = start + std::time_t{request.days} * 24 * 3600;
    const Millis caEnd = toMillis(X509_get0_notAfter(&caCert));
    if (Millis{end} * 1000 > caEnd)
        return Error{EINVAL, "a certificate valid " + std::to_string(request.days) +
                                 " days would outlive the CA, which expires on " +
                                 formatIsoTime(caEnd) + ": choose fewer --days"};

    Result<PKeyPtr> key = generateKey();
    if (!key)
        return key.error();
    const Result<X509NamePtr> subject = makeName(
        {{"O", domain}, {"OU", std::string(roleName(request.role))}, {"CN", request.name}});
    if (!subject)
        return subject.error();
    Result<X509Ptr> made = newCertificate(**subject, **key, start - ClockSkewSeconds, end);
    if (!made)
        return made.error();
    X509 &cert = **made;
    if (X509_set_issuer_name(&cert, X509_get_subject_name(&caCert)) != 1)
        return sslError("cannot make the certificate");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, &caCert, &cert, nullptr, nullptr, 0);
    const char *usage = request.role == Role::Service ? "serverAuth,clientAuth" : "clientAuth";
    for (const auto &[nid, value] : {
             std::pair{NID_basic_constraints, "critical,CA:FALSE"},
             std::pair{NID_key_usage, "critical,digitalSignature"},
             std::pair{NID_ext_key_usage, usage},
             std::pair{NID_subject_key_identifier, "hash"},
             std::pair{NID_authority_key_identifier, "keyid:always"},
         }) {
        if (Status added = addExtension(cert, ctx, nid, value); !added)
            return added.error();
    }
    if (!hosts.empty()) {
        if (Status added = addSubjectAltNames(cert, hosts); !added)
            return added.error();
    }
    if (Status signedCert = sign(cert, *ca->key); !signedCert)
        return signedCert.error();

    const Result<std::string> keyPem = privateKeyPem(**key);
    if (!keyPem)
        return keyPem.error();
    const Result<std::string> certPem = certificatePem(cert);
    if (!certPem)
        return certPem.error();
    Result<Identity> identity = identityOf(cert);
    if (!identity)
        return identity.error();

    if (Status folder = makeFolder(outDir, false); !folder)
        return folder.error();
    if (Status written = writePair(keyFile, *keyPem, certFile, *certPem); !written)
        return written.error();
    return Issued{std::move(*identity), certFile, keyFile};
}

} // namespace hostsec::pki
