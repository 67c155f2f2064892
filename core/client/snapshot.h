#pragma once

// What the diagnosis needs from live agents, and how its recommended actions are carried out.
// Both block until done (each request has a deadline): the console calls them from its worker
// thread, hostsecctl from its main thread.

#include "client/profile.h"
#include "diagnosis/finding.h"
#include "diagnosis/snapshot.h"
#include "util/result.h"

#include <chrono>

namespace hostsec::client {

/// How collectSnapshot asks the agents.
struct SnapshotOptions
{
    std::chrono::milliseconds timeout = std::chrono::seconds(5);   // per request
    std::chrono::milliseconds eventWindow = std::chrono::hours(1); // recent events: this far back
    int maxEventsPerAgent = 20000; // the newest are kept past it (noted in the snapshot's gaps)
    int maxUsersPerState = 10000;  // per agent and sync state (noted in gaps past it)
};

/// Asks every agent of `profile` at once (one round per kind of data: status, bindings, outbox,
/// users that are failed / rejected / pending, recent events) and assembles the snapshot. An
/// agent that does not answer is recorded as unreachable, not as an error; an answer that
/// cannot be read is a gap. Fails only when the profile lists no agent.
Result<diagnosis::DomainSnapshot> collectSnapshot(const Profile &profile,
                                                  const SnapshotOptions &options = {});

/// Carries out a finding's recommended action through the admin API: rebinds on the holders'
/// agents, resyncs on the primary cache; StartAgent only for a demo profile (DemoDomain::start,
/// waiting up to max(timeout, 20 s) for the agents to answer). An action of kind None, or an
/// agent that refuses or does not answer, gives an Error saying which and why.
Status runAction(const Profile &profile, const diagnosis::Action &action,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace hostsec::client
