#pragma once

// Findings as JSON: what `hostsecctl diagnose --json` prints and a report embeds. The keys are
// a contract (docs/diagnosis.md): add keys, never rename or drop one.

#include "diagnosis/finding.h"

#include <nlohmann/json.hpp>

namespace hostsec::diagnosis {

/// {rule, level, title, servers, bindings, users, since, what, why, action}; `since` is an ISO
/// time or null when unknown.
void to_json(nlohmann::json &j, const Finding &finding);
/// {kind, targets, text, command}.
void to_json(nlohmann::json &j, const Action &action);

/// {"taken_at", "profile", "counts": {"error", "warning", "info"}, "findings": [...],
///  "gaps": [...]}: the document `hostsecctl diagnose --json` prints.
nlohmann::json findingsDocument(const std::vector<Finding> &findings, Millis takenAt,
                                const std::string &profile,
                                const std::vector<std::string> &gaps = {});

} // namespace hostsec::diagnosis
