#pragma once

#include "pki/identity.h"

#include "model/time.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace hostsec::pki {

/// The files of a CA folder: the CA's private key (0600) and its self-signed certificate.
inline constexpr const char *CaKeyFileName = "ca.key";
inline constexpr const char *CaCertFileName = "ca.crt";

/// A domain CA as initCa() made it.
struct Authority
{
    std::filesystem::path certFile;
    std::filesystem::path keyFile;
    std::string name;        // subject CN, "<domain> host security CA"
    std::string domain;      // subject O
    std::string fingerprint; // SHA-256, "AB:CD:..."
    Millis notAfter = 0;
};

/// Creates the host security domain's own CA in `dir` (made 0700 if it does not exist): an
/// ECDSA P-256 key in ca.key (0600) and a self-signed certificate in ca.crt, valid 10 years,
/// subject "O=<domain>, CN=<domain> host security CA", basicConstraints CA:TRUE, pathlen:0
/// (critical), keyUsage keyCertSign, cRLSign (critical). Refuses a folder that already holds
/// ca.key or ca.crt. On failure nothing is left behind.
Result<Authority> initCa(const std::filesystem::path &dir, const std::string &domain);

/// What to issue a certificate for.
struct IssueRequest
{
    std::string name; // the CN and the files' base name: letters, digits, . _ @ -
    Role role = Role::Viewer;
    std::vector<std::string> hosts; // DNS names and IP addresses; role service needs one
    int days = 365;                 // validity, 1 to 3650, and never beyond the CA's own
    Millis validFrom = 0;           // start of the validity; 0: now
};

/// A certificate issue() wrote.
struct Issued
{
    Identity identity;
    std::filesystem::path certFile; // <outDir>/<name>.crt
    std::filesystem::path keyFile;  // <outDir>/<name>.key, 0600
};

/// Issues a certificate signed by the CA in `caDir`: a new P-256 key in <outDir>/<name>.key
/// (0600) and the certificate in <outDir>/<name>.crt with subject "O=<domain>, OU=<role>,
/// CN=<name>", a random 128-bit serial, subjectAltName for the hosts, keyUsage
/// digitalSignature, and extendedKeyUsage serverAuth + clientAuth for role service, clientAuth
/// for the others. notBefore is a minute before validFrom, for clocks slightly behind. Refuses
/// to replace existing files and a ca.key that group or others may read. On failure nothing
/// is left behind.
Result<Issued> issue(const std::filesystem::path &caDir, const IssueRequest &request,
                     const std::filesystem::path &outDir);

} // namespace hostsec::pki
