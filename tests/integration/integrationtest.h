#pragma once

// What the integration tests share: waiting on a condition with a deadline (never a blind
// sleep), the demo domain's user names, an agent's events read page by page, and SQLite's own
// integrity check of a database file.

#include "client/agentclient.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace hostsec::integration {

/// Polls `condition` every 50 ms until it holds or `deadline` has passed; its last answer.
inline bool waitFor(const std::function<bool()> &condition, std::chrono::milliseconds deadline)
{
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

/// The demo domain's domain account number i: CONTOSO\user0007.
inline std::string user(int i)
{
    char b[32];
    std::snprintf(b, sizeof b, "CONTOSO\\user%04d", i);
    return b;
}

/// The host account mapped to user(i): USER0007.
inline std::string hostUser(int i)
{
    char b[16];
    std::snprintf(b, sizeof b, "USER%04d", i);
    return b;
}

/// Every event of `agent` with one of the comma-separated `ids`, oldest first.
inline std::vector<nlohmann::json> allEvents(client::AgentClient agent, const std::string &ids)
{
    std::vector<nlohmann::json> out;
    std::int64_t after = 0;
    for (;;) {
        auto page =
            agent.get("/v1/events?limit=1000&id=" + ids + "&after=" + std::to_string(after));
        if (!page || (*page)["events"].empty())
            return out;
        for (const nlohmann::json &e : (*page)["events"]) {
            out.push_back(e);
            after = e["seq"];
        }
    }
}

/// PRAGMA integrity_check of the database at `path`: "ok", or what SQLite found.
inline std::string integrityCheck(const std::string &path)
{
    sqlite3 *db = nullptr;
    std::string result;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        result = std::string("cannot open: ") + sqlite3_errmsg(db);
    } else {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            result = reinterpret_cast<const char *>(sqlite3_column_text(s, 0));
        else
            result = std::string("cannot check: ") + sqlite3_errmsg(db);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return result;
}

} // namespace hostsec::integration
