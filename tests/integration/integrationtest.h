#pragma once

// What the integration tests share: waiting on a condition with a deadline (never a blind
// sleep), the demo domain's user names, an agent's events read page by page, when a binding
// left "bound" by its own timeline, and SQLite's own integrity check of a database file or of
// every database in a folder.

#include "client/agentclient.h"
#include "model/time.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
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

/// The first transition of the binding `id` among `bindings` (an agent's GET /v1/bindings
/// list) out of "bound" at or after `since`, as its own timeline says ({"time", "from", "to",
/// "status", "reason"}); null while it is bound or has not left since then.
inline nlohmann::json leftBoundTransition(const nlohmann::json &bindings, const std::string &id,
                                          Millis since)
{
    for (const nlohmann::json &b : bindings) {
        if (b["id"] != id || b["state"] == "bound")
            continue;
        for (const nlohmann::json &t : b["timeline"]) {
            if (t["from"] == "bound" && parseIsoTime(t["time"].get<std::string>()) >= since)
                return t;
        }
    }
    return nullptr;
}

/// When that transition happened; 0 while there is none.
inline Millis leftBound(const nlohmann::json &bindings, const std::string &id, Millis since)
{
    const nlohmann::json t = leftBoundTransition(bindings, id, since);
    return t.is_null() ? 0 : parseIsoTime(t["time"].get<std::string>());
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

/// integrityCheck of every *.db under `dir` (its subfolders too).
struct IntegrityReport
{
    int checked = 0;
    std::vector<std::string> problems; // "PATH: what SQLite found", for each not "ok"
};

inline IntegrityReport integrityCheckAll(const std::string &dir)
{
    IntegrityReport report;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".db")
            continue;
        const std::string result = integrityCheck(entry.path().string());
        if (result != "ok")
            report.problems.push_back(entry.path().string() + ": " + result);
        ++report.checked;
    }
    return report;
}

} // namespace hostsec::integration
