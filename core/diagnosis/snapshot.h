#pragma once

#include "events/event.h"
#include "model/domain.h"
#include "model/time.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hostsec::diagnosis {

/// One agent of the profile as it answered (or did not) when the snapshot was taken.
struct AgentState
{
    std::string name;     // "HS1", from the profile
    std::string endpoint; // "127.0.0.1:40102"
    bool reachable = false;
    std::string error;              // why it did not answer; "" when reachable
    Millis unreachableSince = 0;    // first failed contact in the current outage, when known
    std::string certificate;        // the name in the TLS certificate it serves; "" if unknown
    Millis certificateNotAfter = 0; // when that certificate expires; 0 if unknown (plain TCP)
};

/// One change waiting in an agent's outbox for a peer to confirm it (no password, ever).
struct PendingChange
{
    std::string holder;   // the server whose outbox holds it, "DC1"
    std::int64_t seq = 0; // its outbox sequence number there
    std::string changeId; // "DC1-12"
    std::string kind;     // "domain" or "host"
    std::string user;     // "CONTOSO\user0001" or a host user id
    std::string target;   // "HS1/host-account-sync", the binding's server service
    Millis created = 0;
    int attempts = 0;
    Millis lastAttempt = 0;
    std::uint32_t lastStatus = 0;
};

/// Everything the diagnosis rules and a report look at: the domain's servers and bindings (with
/// their timelines), the agents' reachability, users that are not in sync, every pending change
/// and the recent events of every agent. Plain data: built by client::collectSnapshot() from
/// live agents, or by hand in tests.
struct DomainSnapshot
{
    Millis takenAt = 0;
    std::string profile; // the profile file it was taken through
    bool demo = false;   // the profile is an embedded demo domain (its agents can be started)
    Domain domain;       // servers that answered, and every binding they hold
    std::vector<AgentState> agents;
    std::vector<UserMapping> users; // users whose sync state is not in-sync
    std::vector<PendingChange> pending;
    std::vector<Event> recentEvents; // every agent's events of the recent window, oldest first
    Millis eventsFrom = 0;           // the start of that window
    /// The user's own certificate, which the profile presents to every agent: its name, role
    /// and expiry ("" and 0 without one: plain TCP).
    std::string userCertificate;
    std::string userRole;
    std::string userCertificateFile;
    Millis userCertificateNotAfter = 0;
    /// What an agent that answered could not give, one line each ("HS1: GET /v1/outbox: ..."),
    /// and lists cut short at a limit: the snapshot is complete only when this is empty.
    std::vector<std::string> gaps;
};

} // namespace hostsec::diagnosis
