#pragma once

// The history checker of the fault tests: what the host applied (its event 702, one per
// change, in the order it applied them) against what a test made, so a test can prove that no
// acknowledged password change was lost, applied twice or overtaken by an older one.

#include "integrationtest.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hostsec::integration {

/// One password change as a test made it: acknowledged (with its change id) or not (the agent
/// was down or died before answering: it may or may not have been stored, so it may be applied
/// at most once).
struct Change
{
    int user = 0; // user(user) / hostUser(user)
    std::string password;
    std::string id; // empty when not acknowledged
};

/// What the host applied, from its events.
struct HostHistory
{
    std::map<std::string, int> times;                      // change id -> times applied
    std::map<std::string, std::vector<std::string>> order; // host user -> change ids, in order
};

/// The changes `host` (the simulated host's agent) has applied, read from its events.
inline HostHistory appliedOnHost(client::AgentClient host)
{
    HostHistory history;
    for (const nlohmann::json &e : allEvents(host, "702")) {
        const std::string id = e["params"][0];
        ++history.times[id];
        history.order[e["params"][2].get<std::string>()].push_back(id);
    }
    return history;
}

/// The change ids the host has applied so far: a test's "before", so older changes are not
/// counted as its own.
inline std::set<std::string> appliedIds(client::AgentClient host)
{
    std::set<std::string> ids;
    for (const auto &[id, times] : appliedOnHost(host).times)
        ids.insert(id);
    return ids;
}

/// Whether the host takes `password` for hostUser(i).
inline bool hostLogon(client::AgentClient host, int i, const std::string &password)
{
    return host.post("/v1/host/logon", {{"host_account", hostUser(i)}, {"password", password}})
        .ok();
}

/// The checker: every acknowledged change in `made` applied exactly once, none of the others
/// twice, each user's applied changes in the order they were made (users 1..users), and the host
/// holding the password of each user's last applied change. `before` are the ids applied before
/// the test began. Returns the first violation, or "" (and a one-line summary in `summary`).
inline std::string checkHistory(client::AgentClient host, const std::vector<Change> &made,
                                const std::set<std::string> &before, int users,
                                std::string *summary = nullptr)
{
    const HostHistory applied = appliedOnHost(host);
    auto timesApplied = [&](const std::string &id) {
        const auto it = applied.times.find(id);
        return it == applied.times.end() ? 0 : it->second;
    };
    std::map<std::string, std::size_t> position; // change id -> index in `made`
    int acknowledged = 0;
    for (std::size_t n = 0; n < made.size(); ++n) {
        if (made[n].id.empty())
            continue;
        ++acknowledged;
        position[made[n].id] = n;
        if (timesApplied(made[n].id) != 1)
            return "acknowledged change " + made[n].id + " (" + user(made[n].user) + ") applied " +
                   std::to_string(timesApplied(made[n].id)) + " times";
    }
    for (const auto &[id, n] : applied.times) {
        if (!before.count(id) && n != 1)
            return "change " + id + " applied " + std::to_string(n) + " times";
    }
    for (int i = 1; i <= users; ++i) {
        const auto userOrder = applied.order.find(hostUser(i));
        if (userOrder == applied.order.end())
            continue;
        const std::vector<std::string> &ids = userOrder->second;
        std::size_t last = 0;
        bool any = false;
        for (const std::string &id : ids) {
            const auto at = position.find(id);
            if (at == position.end())
                continue; // not acknowledged, or from before this test
            if (any && at->second <= last)
                return user(i) + ": change " + id + " applied after a later one";
            last = at->second;
            any = true;
        }
        // The newest password on the host is the one of the user's last applied change
        // (acknowledged or not: a change stored just before a crash is still delivered).
        std::string newest;
        for (auto it = ids.rbegin(); it != ids.rend() && newest.empty(); ++it) {
            if (before.count(*it))
                continue;
            for (const Change &c : made) {
                if (c.id == *it) {
                    newest = c.password;
                    break;
                }
            }
        }
        if (!newest.empty() && !hostLogon(host, i, newest))
            return user(i) + ": the host does not hold the password of the last applied change";
    }
    if (summary)
        *summary = std::to_string(made.size()) + " changes made, " + std::to_string(acknowledged) +
                   " acknowledged, " + std::to_string(applied.times.size() - before.size()) +
                   " applied on the host";
    return {};
}

/// The history's other half: every change from DC1 the host applied has its whole line in the
/// event logs, each event once. On DC1: 700 queued, 701 forwarded, 702 applied (the primary's
/// answer); on the primary cache HS1: 700 queued, 701 forwarded, 707 cache updated. An agent
/// killed between storing a change and writing its events writes them at its next start (the
/// journal, AgentStore::journalEvent), and never twice. `before` are the ids applied before the
/// test began. Returns the first violation, or "".
inline std::string checkEventTrail(client::AgentClient dc, client::AgentClient primary,
                                   client::AgentClient host, const std::set<std::string> &before)
{
    struct Trail
    {
        const char *server;
        client::AgentClient agent;
        const char *id;
        int changeParam; // which of the event's params is the change id
    };
    const Trail trails[] = {{"DC1", dc, "700", 0},      {"DC1", dc, "701", 0},
                            {"DC1", dc, "702", 0},      {"HS1", primary, "700", 0},
                            {"HS1", primary, "701", 0}, {"HS1", primary, "707", 1}};
    const HostHistory applied = appliedOnHost(host);
    for (const Trail &t : trails) {
        std::map<std::string, int> times;
        for (const nlohmann::json &e : allEvents(t.agent, t.id))
            ++times[e["params"][static_cast<std::size_t>(t.changeParam)].get<std::string>()];
        for (const auto &[change, n] : applied.times) {
            if (before.count(change) || change.rfind("DC1-", 0) != 0)
                continue;
            const int held = times.count(change) ? times.at(change) : 0;
            if (held != 1)
                return std::string(t.server) + " holds " + std::to_string(held) + " event(s) " +
                       t.id + " for change " + change + ", which the host applied (expected 1)";
        }
    }
    return {};
}

} // namespace hostsec::integration
