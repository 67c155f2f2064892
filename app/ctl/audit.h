#pragma once

// hostsecctl audit verify: whether every agent's hash-chained audit trail is intact.

#include "commands.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace hostsec::ctl {

/// `audit verify` exits 0 when every chain it read is intact, 3 when any is broken; 1 when an
/// agent could not be asked (and none was found broken), 2 on a usage error.
inline constexpr int ExitAuditBroken = 3;

/// audit verify [SERVER...] [--json]: asks each named agent (every agent of the profile when
/// none is named) for GET /v1/audit/verify, prints one row per agent (or JSON), and returns the
/// exit code.
int auditVerify(const GlobalOptions &global, const std::vector<std::string> &servers,
                std::ostream &out, std::ostream &err);

} // namespace hostsec::ctl
