// TlsContext: the domain's mutual TLS settings in one OpenSSL context, and the shared steps of
// a TLS connection (see net/tls.h).

#include "net/tls.h"

#include <boost/asio/ssl/error.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace hostsec::net {

namespace {

/// OpenSSL's reasons for the last failure, oldest first, emptying the thread's error queue.
std::string takeReason()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!text.empty())
            text += "; ";
        text += buffer;
    }
    return text.empty() ? "no reason given" : text;
}

/// The file can be opened for reading; otherwise an Error naming it and why.
Status checkReadable(const std::filesystem::path &file, const std::string &what)
{
    if (file.empty())
        return Error{EINVAL, "TLS: no " + what + " file given"};
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int error = errno ? errno : EIO;
        return Error{error, "TLS: cannot read the " + what + " " + file.string() + ": " +
                                std::strerror(error)};
    }
    return {};
}

/// Refuses an encrypted key instead of letting OpenSSL prompt for a passphrase on the terminal.
int refusePassphrase(char *, int, int, void *)
{
    return 0;
}

} // namespace

TlsContext::TlsContext(TlsConfig config, std::unique_ptr<Impl> impl)
    : m_config(std::move(config))
    , m_impl(std::move(impl))
{}

TlsContext::~TlsContext() = default;

Result<std::shared_ptr<const TlsContext>> TlsContext::load(const TlsConfig &config)
{
    if (auto status = checkReadable(config.caFile, "CA certificate"); !status)
        return status.error();
    if (auto status = checkReadable(config.certFile, "certificate"); !status)
        return status.error();
    if (auto status = checkReadable(config.keyFile, "private key"); !status)
        return status.error();

    ERR_clear_error();
    auto impl = std::make_unique<Impl>();
    SSL_CTX *ctx = impl->context.native_handle();
    const auto fail = [](const std::string &what) {
        return Error{EINVAL, what + ": " + takeReason()};
    };

    // TLS 1.3 only: every peer is ours (OpenSSL 3), so nothing older needs to be spoken.
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1)
        return fail("TLS: cannot require TLS 1.3");
    // No session tickets or cache: every connection shows and verifies its certificate.
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_verify_depth(ctx, 2); // the peer and our CA, nothing between
    // The same strictness as pki::verify; OpenSSL checks the purpose (a client's certificate
    // needs clientAuth, a server's serverAuth) by itself.
    X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx), X509_V_FLAG_X509_STRICT);
    SSL_CTX_set_default_passwd_cb(ctx, refusePassphrase);

    const std::string ca = config.caFile.string();
    const std::string cert = config.certFile.string();
    const std::string key = config.keyFile.string();
    if (SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1)
        return fail("TLS: cannot load the CA certificate " + ca);
    if (STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(ca.c_str()))
        SSL_CTX_set_client_CA_list(ctx, names); // tells clients which CA to pick a cert for
    ERR_clear_error();
    if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
        return fail("TLS: cannot load the certificate " + cert);
    // The key is read here rather than by SSL_CTX_use_PrivateKey_file, so that a key of
    // another certificate gets its own message instead of OpenSSL's "key values mismatch".
    std::unique_ptr<BIO, decltype(&BIO_free)> keyFile(BIO_new_file(key.c_str(), "r"), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> privateKey(
        keyFile ? PEM_read_bio_PrivateKey(keyFile.get(), nullptr, refusePassphrase, nullptr)
                : nullptr,
        EVP_PKEY_free);
    if (!privateKey)
        return fail("TLS: cannot load the private key " + key + " (an encrypted key is refused)");
    if (X509_check_private_key(SSL_CTX_get0_certificate(ctx), privateKey.get()) != 1) {
        ERR_clear_error();
        return Error{EINVAL,
                     "TLS: the private key " + key + " does not belong to the certificate " + cert};
    }
    if (SSL_CTX_use_PrivateKey(ctx, privateKey.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return fail("TLS: cannot use the private key " + key);
    return std::shared_ptr<const TlsContext>(new TlsContext(config, std::move(impl)));
}

namespace Internal {

Status expectServer(TlsStream &stream, const std::string &host)
{
    SSL *ssl = stream.native_handle();
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (!ec) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), address.to_string().c_str()) != 1)
            return Error{EINVAL, "TLS: cannot expect the address " + host + ": " + takeReason()};
        return {};
    }
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, host.c_str()) != 1)
        return Error{EINVAL, "TLS: cannot expect the host name " + host + ": " + takeReason()};
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char *>(host.c_str())) != 1)
        return Error{EINVAL, "TLS: cannot send the host name " + host + ": " + takeReason()};
    return {};
}

Result<pki::Identity> peerIdentity(TlsStream &stream)
{
    SSL *ssl = stream.native_handle();
    const X509 *cert = SSL_get0_peer_certificate(ssl);
    if (!cert)
        return Error{EACCES, "TLS: the peer presented no certificate"};
    if (const long result = SSL_get_verify_result(ssl); result != X509_V_OK)
        return Error{EACCES, std::string("TLS: the peer's certificate: ") +
                                 X509_verify_cert_error_string(result)};
    return pki::identityOf(*cert);
}

bool isTlsFailure(const beast::error_code &ec)
{
    return ec.category() == asio::error::get_ssl_category() ||
           ec == asio::ssl::error::stream_truncated;
}

std::string tlsFailure(TlsStream &stream, const beast::error_code &ec)
{
    std::string text = ec.message();
    const long result = SSL_get_verify_result(stream.native_handle());
    if (result != X509_V_OK)
        text += std::string(" (") + X509_verify_cert_error_string(result) + ")";
    return text;
}

} // namespace Internal

} // namespace hostsec::net
