#pragma once

#include "model/time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

/// The Windows event log's event types, most of which our events use.
enum class Severity
{
    Information = 0,
    Warning = 1,
    Error = 2,
    AuditSuccess = 3,
    AuditFailure = 4
};
std::string_view toString(Severity severity); // "information", "warning", "error", ...
std::optional<Severity> severityFromString(std::string_view text);

/// Where an event comes from: a service, a binding, the password sync, the audit trail.
namespace source {
inline constexpr std::string_view Agent = "agent";
inline constexpr std::string_view DomainAccountSync = "domain-account-sync";
inline constexpr std::string_view HostAccountSync = "host-account-sync";
inline constexpr std::string_view Host = "host";
inline constexpr std::string_view Binding = "binding";
inline constexpr std::string_view PasswordSync = "password-sync";
inline constexpr std::string_view Audit = "audit";
} // namespace source

/// One entry of an agent's or the console's event log.
struct Event
{
    std::int64_t seq = 0; // assigned by the EventStore that holds it, rising
    Millis time = 0;
    std::string server;
    std::string source;
    int id = 0;
    Severity severity = Severity::Information;
    std::vector<std::string> params; // the %1..%n of the catalogue's template
    std::string message;             // the template filled in (English)
    std::int64_t originSeq = 0; // seq on the agent that raised it (console history); 0 if local

    bool operator==(const Event &) const = default;
};

} // namespace hostsec
