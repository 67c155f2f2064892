#include "pki.h"

#include "model/time.h"
#include "pki/authority.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <optional>
#include <ostream>

namespace hostsec::ctl {

using nlohmann::json;

namespace {

// The identity as `--json` shows it; the names follow the admin API's snake_case.
json identityJson(const pki::Identity &identity)
{
    return json{{"name", identity.name},
                {"role", pki::roleName(identity.role)},
                {"domain", identity.domain},
                {"hosts", identity.hosts},
                {"serial", identity.serial},
                {"fingerprint_sha256", identity.fingerprint},
                {"not_before", formatIsoTime(identity.notBefore)},
                {"not_after", formatIsoTime(identity.notAfter)}};
}

} // namespace

Status pkiInit(const GlobalOptions &global, const std::string &dir, const std::string &domain,
               std::ostream &out)
{
    const Result<pki::Authority> ca = pki::initCa(dir, domain);
    if (!ca)
        return Error{ca.error().code, "pki init " + dir + ": " + ca.error().message};
    if (global.json) {
        out << json{{"name", ca->name},
                    {"domain", ca->domain},
                    {"certificate", ca->certFile.string()},
                    {"key", ca->keyFile.string()},
                    {"fingerprint_sha256", ca->fingerprint},
                    {"not_after", formatIsoTime(ca->notAfter)}}
                   .dump(2)
            << '\n';
        return {};
    }
    out << "created \"" << ca->name << "\", valid until " << formatIsoTime(ca->notAfter) << ":\n"
        << "  " << ca->certFile.string()
        << "  the certificate: every agent, console and hostsecctl trusts it\n"
        << "  " << ca->keyFile.string()
        << "  the private key (0600): it signs every certificate, keep it private and backed "
           "up\n"
        << "SHA-256 fingerprint " << ca->fingerprint << '\n'
        << "issue certificates with: hostsecctl pki issue --ca " << dir
        << " --name NAME --role service|viewer|operator|admin [--host H]... -o OUTDIR\n";
    return {};
}

Status pkiIssue(const GlobalOptions &global, const PkiIssueOptions &options, std::ostream &out)
{
    const std::optional<pki::Role> role = pki::parseRole(options.role);
    if (!role)
        return Error{EINVAL, "pki issue: role \"" + options.role +
                                 "\" is not one of service, viewer, operator, admin"};
    const pki::IssueRequest request{
        .name = options.name, .role = *role, .hosts = options.hosts, .days = options.days};
    const Result<pki::Issued> issued = pki::issue(options.caDir, request, options.outDir);
    if (!issued)
        return Error{issued.error().code,
                     "pki issue " + options.name + ": " + issued.error().message};
    const pki::Identity &identity = issued->identity;
    if (global.json) {
        json object = identityJson(identity);
        object["certificate"] = issued->certFile.string();
        object["key"] = issued->keyFile.string();
        out << object.dump(2) << '\n';
        return {};
    }
    std::string hosts;
    for (const std::string &host : identity.hosts)
        hosts += (hosts.empty() ? "" : ", ") + host;
    out << "issued " << identity.name << " (role " << pki::roleName(identity.role) << ") of domain "
        << identity.domain << ", valid until " << formatIsoTime(identity.notAfter) << ":\n"
        << "  " << issued->certFile.string() << "  the certificate\n"
        << "  " << issued->keyFile.string() << "  its private key (0600)\n"
        << "hosts: " << (hosts.empty() ? "-" : hosts) << '\n'
        << "serial " << identity.serial << '\n'
        << "SHA-256 fingerprint " << identity.fingerprint << '\n';
    return {};
}

} // namespace hostsec::ctl
