#pragma once

// hostsecctl diagnose: what is wrong in the domain, why, and the command that fixes it.

#include "commands.h"

#include <iosfwd>
#include <string>

namespace hostsec::ctl {

/// `diagnose` options: what to fix, and the rules' thresholds (docs/diagnosis.md).
struct DiagnoseOptions
{
    std::string fixRule;       // --fix RULE: run the actions of that rule's findings
    bool fixAll = false;       // --fix-all: run every finding's action
    double waitSeconds = 20;   // --wait: how long fixed findings may take to clear
    double outboxMinutes = 5;  // --outbox-minutes
    double lagSeconds = 30;    // --lag-seconds
    int flapChanges = 3;       // --flap-changes
    double flapMinutes = 10;   // --flap-minutes
    double windowMinutes = 60; // --window-minutes: recent events read
};

/// `diagnose` exits 0 when no finding is of level warning or above, 3 when the worst is a
/// warning, 4 when it is an error; 1 when it could not run or a fix failed, 2 on a usage error.
inline constexpr int ExitWarnings = 3;
inline constexpr int ExitErrors = 4;

/// diagnose [--json] [--fix RULE | --fix-all]: asks every agent of the profile, prints the
/// findings (a table and each finding's what, why and command; or JSON) and returns the exit
/// code. With a fix, runs the recommended actions, waits for their findings to clear, and
/// prints the findings that remain.
int diagnose(const GlobalOptions &global, const DiagnoseOptions &options, std::ostream &out,
             std::ostream &err);

} // namespace hostsec::ctl
