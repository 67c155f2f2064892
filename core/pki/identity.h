#pragma once

#include "model/time.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's X509 (typedef struct x509_st X509), declared here so that this header needs no
// OpenSSL include; the TLS layer passes the peer's certificate to identityOf().
struct x509_st;

namespace hostsec::pki {

/// What a certificate's holder may do. Carried in the certificate as its subject's single
/// organizational unit (OU=service, ...), which the CA signs, so the holder cannot change it.
enum class Role
{
    Service,  // an agent: serves peers and calls them (serverAuth + clientAuth)
    Viewer,   // reads (clientAuth)
    Operator, // reads, rebinds and resyncs (clientAuth)
    Admin,    // everything, configuration included (clientAuth)
};

/// "service", "viewer", "operator" or "admin".
std::string_view roleName(Role role);

/// The role named `name` (exactly as roleName spells it), or nothing.
std::optional<Role> parseRole(std::string_view name);

/// Who a certificate of the domain's CA stands for, as the TLS layer and hostsecctl show it.
struct Identity
{
    std::string name;               // subject CN: the server or the operator
    Role role = Role::Viewer;       // subject OU
    std::string domain;             // subject O: the host security domain
    std::vector<std::string> hosts; // subjectAltName DNS names and IP addresses
    std::string serial;             // hexadecimal
    std::string fingerprint;        // SHA-256 of the DER, "AB:CD:...", as openssl x509 prints it
    Millis notBefore = 0;
    Millis notAfter = 0;
};

/// The identity in a PEM certificate. Fails when the text is not a certificate or the
/// certificate carries no single known role or no single CN. Checks no signature or date:
/// that is verify()'s work.
Result<Identity> readIdentity(std::string_view certPem);

/// The identity of a certificate OpenSSL already holds, e.g. SSL_get0_peer_certificate().
Result<Identity> identityOf(const x509_st &cert);

/// Verifies a PEM certificate against the domain CA's certificate and returns its identity:
/// the CA's signature, the dates, the extensions (X509_V_FLAG_X509_STRICT) and the role.
/// Without `hostname` the certificate is checked as a client's (clientAuth); with it, as a
/// server's (serverAuth) whose subjectAltName must name that host or IP address. The Error
/// says what is wrong: expired, not yet valid, not issued by this CA, hostname mismatch,
/// wrong purpose or role missing.
Result<Identity> verify(std::string_view caPem, std::string_view certPem,
                        std::string_view hostname = {});

} // namespace hostsec::pki
