#pragma once

// hostsecctl pki: the host security domain's own certificate authority (core/pki). Works on
// files only; no agent is asked.

#include "commands.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace hostsec::ctl {

/// `pki issue` options.
struct PkiIssueOptions
{
    std::string caDir;              // --ca: the folder pki init made
    std::string name;               // --name: the server or operator; the files' base name
    std::string role;               // --role: service, viewer, operator or admin
    std::vector<std::string> hosts; // --host: DNS names and IP addresses (role service)
    int days = 365;                 // --days
    std::string outDir;             // -o: where NAME.key and NAME.crt go
};

/// pki init DIR [--domain NAME]: creates the CA in DIR and prints its fingerprint and
/// validity (JSON with --json).
Status pkiInit(const GlobalOptions &global, const std::string &dir, const std::string &domain,
               std::ostream &out);

/// pki issue ...: issues a key and a certificate signed by the CA and prints the certificate's
/// identity (JSON with --json).
Status pkiIssue(const GlobalOptions &global, const PkiIssueOptions &options, std::ostream &out);

} // namespace hostsec::ctl
