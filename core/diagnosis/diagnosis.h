#pragma once

// The diagnosis: rules that turn a DomainSnapshot into findings an administrator can act on.
// Pure functions over plain data: no I/O, no clock (the snapshot's takenAt is "now"), no Qt.
// docs/diagnosis.md describes every rule: what it looks at, its thresholds, why, the action.

#include "diagnosis/finding.h"
#include "diagnosis/snapshot.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec::diagnosis {

/// The thresholds of the rules, and the profile the recommended commands name.
struct Options
{
    /// The profile path the commands use: `hostsecctl -p PROFILE ...`. Empty: the snapshot's.
    std::string profile;
    /// outbox-waiting: changes wait this long for a peer that cannot take them (5 minutes).
    Millis outboxAge = 5 * 60 * 1000;
    /// link-lagging: the oldest change on a working link is this old (30 s); younger is normal.
    Millis lagThreshold = 30 * 1000;
    /// binding-flapping: a binding lost more than flapChanges times within flapWindow.
    int flapChanges = 3;
    Millis flapWindow = 10 * 60 * 1000;
    /// An auto binding rebinds by itself: it is reported broken only after this long (20 s).
    /// A manual binding is reported at once, since nothing but an operator will rebind it.
    Millis brokenGrace = 20 * 1000;
    /// host-rejects-changes: a user whose last change was rejected, or with this many rejected
    /// changes in the recent events and none applied since.
    int rejectionsToReport = 2;
    /// certificate-expiring: an agent's TLS certificate expires within this (30 days). Expired,
    /// nobody can reach the agent: peers' bindings, SSO through it and the console all fail.
    Millis certificateWarning = 30LL * 24 * 60 * 60 * 1000;
};

/// Every rule's stable name, in the order docs/diagnosis.md describes them.
const std::vector<std::string_view> &ruleNames();

/// The findings of every rule over `snapshot`, most severe first, then oldest first (a finding
/// whose start is unknown after those whose start is known), then by rule and title.
std::vector<Finding> diagnose(const DomainSnapshot &snapshot, const Options &options = {});

/// The most severe level among `findings`, or nullopt when there is none (`hostsecctl
/// diagnose` exits 0 unless it is Warning or Error).
std::optional<Level> worstLevel(const std::vector<Finding> &findings);

/// A word for the shell: as it is when it holds only safe characters, else in single quotes
/// ("HS2/host-account-sync->HS1/host-account-sync" needs them for its '>').
std::string shellQuote(std::string_view word);

} // namespace hostsec::diagnosis
