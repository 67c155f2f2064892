#pragma once

// The history checker of the fault tests and the soak (issue 6): from the host's own events
// alone, it says whether a stream of password changes, made while agents failed, kept the
// promise: every acknowledged change applied exactly once, none of the others twice, each
// user's changes applied in the order they were made, and the host holding the password of
// each user's last applied change. It names every broken promise instead of stopping at the
// first, and never names a password.

#include "client/agentclient.h"
#include "integrationtest.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hostsec::integration {

/// One password change as its writer made it: acknowledged (with its change id) or not (the
/// agent was down or died before answering: it may or may not have been stored, so it may be
/// applied at most once).
struct Change
{
    int user = 0; // user(i) / hostUser(i)
    std::string password;
    std::string id; // empty when not acknowledged
};

/// What checkHistory found.
struct HistoryReport
{
    std::vector<std::string> problems; // empty: the promise held
    std::size_t made = 0;
    std::size_t acknowledged = 0;
    std::size_t applied = 0; // changes the host applied that were not in `before`
};

/// The change ids the host (event 702, "applied") has applied so far: what a check ignores
/// because it was there before the changes under test.
inline std::set<std::string> appliedChangeIds(client::AgentClient host)
{
    std::set<std::string> ids;
    for (const nlohmann::json &e : allEvents(host, "702"))
        ids.insert(e["params"][0].get<std::string>());
    return ids;
}

/// Checks `made` (every writer's changes, each writer's in the order it made them; users
/// 1..users) against the host's events. `before`: appliedChangeIds() before the changes.
inline HistoryReport checkHistory(const std::vector<Change> &made,
                                  const std::set<std::string> &before, client::AgentClient host,
                                  int users)
{
    HistoryReport report;
    report.made = made.size();
    std::map<std::string, int> times;                      // change id -> applications
    std::map<std::string, std::vector<std::string>> order; // host user -> applied ids
    for (const nlohmann::json &e : allEvents(host, "702")) {
        const std::string id = e["params"][0];
        ++times[id];
        order[e["params"][2].get<std::string>()].push_back(id);
    }
    std::map<std::string, std::size_t> position; // change id -> index in `made`
    for (std::size_t n = 0; n < made.size(); ++n) {
        if (made[n].id.empty())
            continue;
        ++report.acknowledged;
        position[made[n].id] = n;
        const int applied = times.count(made[n].id) ? times[made[n].id] : 0;
        if (applied != 1)
            report.problems.push_back("acknowledged change " + made[n].id + " (" +
                                      user(made[n].user) + ") applied " + std::to_string(applied) +
                                      " times");
    }
    for (const auto &[id, n] : times) {
        if (before.count(id))
            continue;
        ++report.applied;
        if (n != 1)
            report.problems.push_back("change " + id + " applied " + std::to_string(n) + " times");
    }
    for (int i = 1; i <= users; ++i) {
        const std::vector<std::string> &applied = order[hostUser(i)];
        std::size_t last = 0;
        bool any = false;
        for (const std::string &id : applied) {
            const auto at = position.find(id);
            if (at == position.end())
                continue; // not acknowledged, or from before
            if (any && at->second < last)
                report.problems.push_back(user(i) + ": change " + id +
                                          " applied after a later one");
            last = at->second;
            any = true;
        }
        // The newest password on the host is the one of the user's last applied change
        // (acknowledged or not: a change stored just before a crash is still delivered).
        const Change *newest = nullptr;
        for (auto it = applied.rbegin(); it != applied.rend() && !newest; ++it) {
            if (before.count(*it))
                continue;
            for (const Change &c : made) {
                if (c.id == *it) {
                    newest = &c;
                    break;
                }
            }
        }
        if (newest && !host.post("/v1/host/logon",
                                 {{"host_account", hostUser(i)}, {"password", newest->password}})
                           .ok())
            report.problems.push_back(user(i) + ": the host refuses the password of change " +
                                      newest->id + ", the last one it applied");
    }
    return report;
}

} // namespace hostsec::integration
