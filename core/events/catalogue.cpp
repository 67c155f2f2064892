#include "events/catalogue.h"

#include "util/tr.h"

#include <algorithm>
#include <array>

namespace hostsec {

namespace {

constexpr std::array<std::string_view, 5> kSeverityNames = {"information", "warning", "error",
                                                            "audit-success", "audit-failure"};

#define EVENT_TEXT(text) HOSTSEC_TR("hostsec::Event", text)

std::vector<CatalogueEntry> buildCatalogue()
{
    using S = Severity;
    std::vector<CatalogueEntry> c = {
        {ev::AgentStarted, S::Information, source::Agent, "AGENT_STARTED",
         EVENT_TEXT("Host security agent %1 started with services %2 (instance %3)."),
         EVENT_TEXT("The agent process started. A new instance id means every binding other "
                    "servers hold to this one must be rebound.")},
        {ev::AgentStopping, S::Information, source::Agent, "AGENT_STOPPING",
         EVENT_TEXT("Host security agent %1 is stopping (instance %2)."),
         EVENT_TEXT("The agent was asked to stop; pending password changes stay in its outbox.")},
        {ev::ConfigurationProblem, S::Error, source::Agent, "CONFIGURATION_PROBLEM",
         EVENT_TEXT("Configuration problem in %1: %2"),
         EVENT_TEXT("Correct the configuration file and restart the agent.")},
        {ev::TlsReloaded, S::Information, source::Agent, "TLS_RELOADED",
         EVENT_TEXT("Host security agent %1 read its TLS files again and presents certificate "
                    "%2 (valid until %3) from now on."),
         EVENT_TEXT("The agent was sent SIGHUP. New connections use the renewed certificate and "
                    "CA; connections already open keep theirs until they close.")},
        {ev::SsoFailed, S::Error, source::HostAccountSync, "SSO_FAILED",
         EVENT_TEXT("Single Sign-On request for %1\\%2 failed - failed to communicate with the "
                    "host account cache for host domain %3"),
         EVENT_TEXT("No host account cache (primary or backup) answered. If a host security "
                    "server was recycled, its bindings are stale: force a rebind (Q216558).")},
        {ev::SsoServedByBackup, S::Warning, source::HostAccountSync, "SSO_SERVED_BY_BACKUP",
         EVENT_TEXT("Single Sign-On request for %1\\%2 was answered by backup cache %3 because "
                    "the primary %4 could not be reached."),
         EVENT_TEXT("SSO still works, but the primary host account cache is unreachable.")},
        {ev::BindingBound, S::Information, source::Binding, "BINDING_BOUND",
         EVENT_TEXT("Binding %1 is bound to %2 instance %3."),
         EVENT_TEXT("Calls on this binding reach the peer service.")},
        {ev::BindingStale, S::Warning, source::Binding, "BINDING_STALE",
         EVENT_TEXT("Binding %1 is stale: %2."),
         EVENT_TEXT("The peer went away or was recycled; calls on this binding fail until it is "
                    "rebound (Q216558).")},
        {ev::RebindStarted, S::Information, source::Binding, "REBIND_STARTED",
         EVENT_TEXT("Rebind of %1 started: %2."),
         EVENT_TEXT("The binding is being re-established.")},
        {ev::RebindSucceeded, S::Information, source::Binding, "REBIND_SUCCEEDED",
         EVENT_TEXT("Rebind of %1 succeeded: bound to instance %2 after %3 ms."),
         EVENT_TEXT("The binding works again; queued password changes are delivered now.")},
        {ev::RebindFailed, S::Warning, source::Binding, "REBIND_FAILED",
         EVENT_TEXT("Rebind of %1 failed with error 0x%2 (%3); next attempt in %4 ms."),
         EVENT_TEXT("The peer could not be reached; the agent keeps trying with backoff.")},
        {ev::BindingFailed, S::Error, source::Binding, "BINDING_FAILED",
         EVENT_TEXT("Binding %1 failed with error 0x%2 (%3)."),
         EVENT_TEXT(
             "Calls on this binding fail. Check that the peer agent runs and is reachable.")},
        {ev::PeerUnresponsive, S::Warning, source::Binding, "PEER_UNRESPONSIVE",
         EVENT_TEXT("Peer %1 stopped answering heartbeats on binding %2."),
         EVENT_TEXT("The peer process is hung or the network drops its packets.")},
        {ev::BindingAwaitsOperator, S::Warning, source::Binding, "BINDING_AWAITS_OPERATOR",
         EVENT_TEXT("Binding %1 is stale and its rebind policy is manual: it stays stale until an "
                    "operator rebinds it."),
         EVENT_TEXT("This is the behaviour before the Q216558 fix. Force a rebind, or set the "
                    "binding's policy to auto.")},
        {ev::PeerRestarted, S::Information, source::Binding, "PEER_RESTARTED",
         EVENT_TEXT("Peer %1 announced a new instance %2."),
         EVENT_TEXT("The peer was recycled; bindings to it must be rebound.")},
        {ev::RpcLayerError, S::Error, source::DomainAccountSync, "RPC_LAYER_ERROR",
         EVENT_TEXT("RPC Layer returned error 0x%1 (%2) talking to %3. This may happen if host "
                    "security is not installed or the user account the service is running under, "
                    "is not privileged to send messages to the remote end."),
         EVENT_TEXT("Password changes are not reaching the host account sync service. A 0x6BE or "
                    "0x6BA after a server was recycled means a stale binding: force a rebind "
                    "(Q216558). 0x5 means the peer refused the caller: check its role.")},
        {ev::ChangeQueued, S::Information, source::PasswordSync, "CHANGE_QUEUED",
         EVENT_TEXT("Password change %1 for %2 queued for %3."),
         EVENT_TEXT("The change is stored durably and waits for the peer to confirm it.")},
        {ev::ChangeForwarded, S::Information, source::PasswordSync, "CHANGE_FORWARDED",
         EVENT_TEXT("Password change %1 for %2 forwarded to %3."),
         EVENT_TEXT("The peer confirmed the change; it left the outbox.")},
        {ev::ChangeApplied, S::Information, source::PasswordSync, "CHANGE_APPLIED",
         EVENT_TEXT("Password change %1 for %2 applied to host account %3."),
         EVENT_TEXT("The host accepted the new password.")},
        {ev::ChangeRejected, S::Error, source::PasswordSync, "CHANGE_REJECTED",
         EVENT_TEXT("Password change %1 for %2 rejected by host policy: %3"),
         EVENT_TEXT("The host's password rules refused the change; it will not be retried. The "
                    "user must choose another password.")},
        {ev::ChangeDeliveryFailed, S::Warning, source::PasswordSync, "CHANGE_DELIVERY_FAILED",
         EVENT_TEXT("Delivery of password change %1 to %2 failed with error 0x%3 (%4); attempt %5, "
                    "will retry."),
         EVENT_TEXT("The change stays in the outbox and is retried when the binding works.")},
        {ev::ChangeDuplicate, S::Information, source::PasswordSync, "CHANGE_DUPLICATE",
         EVENT_TEXT("Password change %1 from %2 was already applied; the duplicate was ignored."),
         EVENT_TEXT("A redelivery after a lost acknowledgement; nothing was applied twice.")},
        {ev::HostInitiatedChange, S::Information, source::Host, "HOST_INITIATED_CHANGE",
         EVENT_TEXT("Host-initiated password change %1 for host account %2."),
         EVENT_TEXT("The password was changed on the host; it is sent to the domain side.")},
        {ev::CacheUpdated, S::Information, source::HostAccountSync, "CACHE_UPDATED",
         EVENT_TEXT("Host account cache entry for %1 updated by change %2."),
         EVENT_TEXT("SSO look-ups for this user now return the new credential.")},
        {ev::ResyncStarted, S::Information, source::PasswordSync, "RESYNC_STARTED",
         EVENT_TEXT("Resync %1 of %2 users started by %3."),
         EVENT_TEXT("Each user's mapping and credential is sent again to the caches.")},
        {ev::ResyncFinished, S::Information, source::PasswordSync, "RESYNC_FINISHED",
         EVENT_TEXT("Resync %1 finished: %2 users done, %3 failed, %4."),
         EVENT_TEXT("The resync job ended.")},
        {ev::DomainAccountUpdated, S::Information, source::DomainAccountSync,
         "DOMAIN_ACCOUNT_UPDATED",
         EVENT_TEXT("Domain account %1 password updated by host-initiated change %2."),
         EVENT_TEXT("A password changed on the host now applies on the domain side too.")},
        {ev::ChangeRefused, S::Error, source::PasswordSync, "CHANGE_REFUSED",
         EVENT_TEXT("Password change for %1 refused: %2"),
         EVENT_TEXT("The change was not stored and not acknowledged; the caller must retry. "
                    "Check the agent's disk and database.")},
        {ev::OperatorAction, S::AuditSuccess, source::Audit, "OPERATOR_ACTION",
         EVENT_TEXT("Operator %1 performed %2 on %3: %4."),
         EVENT_TEXT("An administrative action, recorded for audit.")},
        {ev::OperatorRefused, S::AuditFailure, source::Audit, "OPERATOR_REFUSED",
         EVENT_TEXT("Operator %1 was refused %2 on %3: %4."),
         EVENT_TEXT("The caller's role does not allow the action; nothing was changed.")},
    };
    std::sort(c.begin(), c.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return c;
}

} // namespace

std::string_view toString(Severity severity)
{
    const auto index = static_cast<std::size_t>(severity);
    return index < kSeverityNames.size() ? kSeverityNames[index] : "unknown";
}

std::optional<Severity> severityFromString(std::string_view text)
{
    for (std::size_t i = 0; i < kSeverityNames.size(); ++i) {
        if (kSeverityNames[i] == text)
            return static_cast<Severity>(i);
    }
    return std::nullopt;
}

const std::vector<CatalogueEntry> &eventCatalogue()
{
    static const std::vector<CatalogueEntry> catalogue = buildCatalogue();
    return catalogue;
}

const CatalogueEntry *catalogueEntry(int id)
{
    const auto &c = eventCatalogue();
    auto it = std::lower_bound(c.begin(), c.end(), id,
                               [](const CatalogueEntry &e, int value) { return e.id < value; });
    return it != c.end() && it->id == id ? &*it : nullptr;
}

std::string formatMessage(std::string_view messageTemplate, const std::vector<std::string> &params)
{
    std::string out;
    out.reserve(messageTemplate.size() + 32);
    for (std::size_t i = 0; i < messageTemplate.size(); ++i) {
        const char c = messageTemplate[i];
        if (c != '%' || i + 1 == messageTemplate.size()) {
            out += c;
            continue;
        }
        const char next = messageTemplate[i + 1];
        if (next == '%') {
            out += '%';
            ++i;
            continue;
        }
        // %1..%99: take up to two digits.
        std::size_t j = i + 1;
        std::size_t number = 0;
        while (j < messageTemplate.size() && j < i + 3 && messageTemplate[j] >= '0' &&
               messageTemplate[j] <= '9') {
            number = number * 10 + static_cast<std::size_t>(messageTemplate[j] - '0');
            ++j;
        }
        if (j == i + 1 || number == 0 || number > params.size()) {
            out += c;
            continue;
        }
        out += params[number - 1];
        i = j - 1;
    }
    return out;
}

Event makeEvent(int id, std::string server, std::vector<std::string> params, Millis time)
{
    Event e;
    e.time = time;
    e.server = std::move(server);
    e.id = id;
    if (const CatalogueEntry *entry = catalogueEntry(id)) {
        e.severity = entry->severity;
        e.source = std::string(entry->source);
        e.message = formatMessage(entry->messageTemplate, params);
    } else {
        e.severity = Severity::Error;
        e.source = std::string(source::Agent);
        e.message = "Unknown event " + std::to_string(id) + ".";
    }
    e.params = std::move(params);
    return e;
}

} // namespace hostsec
