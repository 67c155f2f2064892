// Suite "events": ingest realistic events into the EventStore and query them, against the
// same work done with the bare sqlite3 C API in the simplest fast way (one prepared INSERT per
// row, one transaction per batch, same schema and indexes, the FTS5 index updated by a trigger
// in the same transaction; the same SELECT).

#include "bench.h"

#include "events/catalogue.h"
#include "events/eventstore.h"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <random>

namespace hostsec::bench {

namespace {

constexpr int kServers = 500;
int kBatch = 10000; // rows per transaction; --batch N
constexpr Millis kStart = 1'760'000'000'000;

std::string serverName(int i)
{
    return "HS" + std::to_string(i);
}

// Event i of a realistic mix: ~100-byte messages from 500 servers, mostly routine sync and
// binding traffic, some 630/401 errors.
Event sampleEvent(std::mt19937 &rng, std::int64_t i)
{
    static const int ids[] = {ev::ChangeQueued,  ev::ChangeForwarded, ev::ChangeApplied,
                              ev::BindingBound,  ev::BindingStale,    ev::RebindSucceeded,
                              ev::RpcLayerError, ev::SsoFailed,       ev::CacheUpdated,
                              ev::OperatorAction};
    const int id = ids[rng() % 10];
    const std::string user = "user" + std::to_string(rng() % 20000);
    const std::string server = serverName(static_cast<int>(rng() % kServers));
    std::vector<std::string> params;
    switch (id) {
    case ev::RpcLayerError:
        params = {"6BE", "The remote procedure call failed.",
                  serverName(static_cast<int>(rng() % kServers))};
        break;
    case ev::SsoFailed:
        params = {"CONTOSO", user, "HOSTDOM"};
        break;
    case ev::OperatorAction:
        params = {"CONTOSO\\admin", "rebind", server, "done"};
        break;
    default:
        params = {std::to_string(i), "CONTOSO\\" + user,
                  serverName(static_cast<int>(rng() % kServers)), "12"};
    }
    return makeEvent(id, server, std::move(params), kStart + i * 3);
}

std::string joinParams(const std::vector<std::string> &params)
{
    std::string out;
    for (std::size_t i = 0; i < params.size(); ++i)
        out += (i ? "\x1f" : "") + params[i];
    return out;
}

void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "baseline %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

// The baseline ingest: bare sqlite3, one prepared INSERT, one transaction per batch.
double baselineIngest(const std::string &path, std::int64_t count)
{
    { // the same schema, created by the store itself
        auto s = EventStore::open(path);
        if (!s) {
            std::fprintf(stderr, "%s\n", s.error().message.c_str());
            std::exit(1);
        }
    }
    sqlite3 *db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    // The simplest full-text index: FTS5 over the messages, kept by a trigger in the ingest
    // transaction (the store keeps its index in a file of its own, filled behind the rows).
    check(sqlite3_exec(db, R"(
              CREATE VIRTUAL TABLE baseline_fts USING fts5(
                  message, content='events', content_rowid='seq', tokenize='unicode61',
                  detail=none, columnsize=0);
              CREATE TRIGGER baseline_fts_insert AFTER INSERT ON events BEGIN
                  INSERT INTO baseline_fts(rowid, message) VALUES (new.seq, new.message);
              END;)",
                       nullptr, nullptr, nullptr),
          db, "full-text index");
    check(sqlite3_exec(
              db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536",
              nullptr, nullptr, nullptr),
          db, "pragma");
    sqlite3_stmt *ins = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO events(time, server, source, event_id, severity, params, "
                             "param_count, message, origin_seq) VALUES (?,?,?,?,?,?,?,?,NULL)",
                             -1, &ins, nullptr),
          db, "prepare");
    std::mt19937 rng(42);
    std::vector<Event> batch;
    double seconds = 0;
    for (std::int64_t done = 0; done < count;) {
        batch.clear();
        for (int b = 0; b < kBatch && done + b < count; ++b)
            batch.push_back(sampleEvent(rng, done + b));
        const auto start = std::chrono::steady_clock::now();
        check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
        for (const Event &e : batch) {
            ++done;
            const std::string params = joinParams(e.params);
            sqlite3_bind_int64(ins, 1, e.time);
            sqlite3_bind_text(ins, 2, e.server.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, e.source.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(ins, 4, e.id);
            sqlite3_bind_int(ins, 5, static_cast<int>(e.severity));
            sqlite3_bind_text(ins, 6, params.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(ins, 7, static_cast<int>(e.params.size()));
            sqlite3_bind_text(ins, 8, e.message.c_str(), -1, SQLITE_TRANSIENT);
            check(sqlite3_step(ins), db, "insert");
            sqlite3_reset(ins);
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
        seconds += secondsSince(start);
    }
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return seconds;
}

// Appends `count` events; returns the seconds spent in append(), and in `searchableSeconds`
// that plus the wait, after the last append, until a text query can find every row.
double storeIngest(EventStore &store, std::int64_t count, double &searchableSeconds)
{
    std::mt19937 rng(42);
    std::vector<Event> batch;
    batch.reserve(kBatch);
    double seconds = 0;
    for (std::int64_t done = 0; done < count;) {
        batch.clear();
        for (int b = 0; b < kBatch && done < count; ++b, ++done)
            batch.push_back(sampleEvent(rng, done));
        const auto start = std::chrono::steady_clock::now();
        auto r = store.append(batch);
        seconds += secondsSince(start);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            std::exit(1);
        }
    }
    const auto start = std::chrono::steady_clock::now();
    auto found = store.count({.text = "CONTOSO"}); // catches the text index up
    searchableSeconds = seconds + secondsSince(start);
    if (!found) {
        std::fprintf(stderr, "%s\n", found.error().message.c_str());
        std::exit(1);
    }
    return seconds;
}

// The same SELECT as the store runs for a first page of a one-value filter, by hand.
double baselineFirstPage(sqlite3 *db, const char *column, const std::string &value, bool text)
{
    const std::string sql =
        std::string("SELECT seq, time, server, source, event_id, severity, params, "
                    "param_count, message, origin_seq FROM events WHERE ") +
        column + " = ? ORDER BY time DESC, seq DESC LIMIT 100";
    sqlite3_stmt *s = nullptr;
    const auto start = std::chrono::steady_clock::now();
    check(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), db, "prepare select");
    if (text)
        sqlite3_bind_text(s, 1, value.c_str(), -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(s, 1, std::atoll(value.c_str()));
    int rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        // read the columns as the store does
        for (int c = 0; c < 10; ++c)
            (void)sqlite3_column_text(s, c);
        ++rows;
    }
    sqlite3_finalize(s);
    return secondsSince(start) * 1000.0;
}

struct Probe
{
    std::string name;
    EventFilter filter;
    const char *column; // for the baseline, when the filter is one column
    std::string value;
    bool text;
};

} // namespace

int runEvents(const std::vector<std::string> &args)
{
    std::int64_t count = 1'000'000;
    std::string dir = std::filesystem::temp_directory_path() / "hostsec-bench-events";
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == "--events")
            count = std::atoll(args[i + 1].c_str());
        else if (args[i] == "--dir")
            dir = args[i + 1];
        else if (args[i] == "--batch")
            kBatch = std::max(1, std::atoi(args[i + 1].c_str()));
    }
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string storePath = dir + "/store.db";
    const std::string basePath = dir + "/baseline.db";

    // Ingest: the baseline first, then the store, each into a fresh file.
    const double baseSeconds = baselineIngest(basePath, count);
    auto opened = EventStore::open(storePath);
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    EventStore &store = **opened;
    double searchableSeconds = 0;
    const double storeSeconds = storeIngest(store, count, searchableSeconds);
    const double baseRate = static_cast<double>(count) / baseSeconds;
    const double storeRate = static_cast<double>(count) / storeSeconds;
    report("events", "ingest_events_per_s", storeRate, "events/s", baseRate);
    // Until every row is also found by text: what the baseline's single rate stands for.
    report("events", "ingest_searchable_events_per_s",
           static_cast<double>(count) / searchableSeconds, "events/s", baseRate);

    // Filtered first pages: p50 and p99 over many different values of each filter.
    sqlite3 *db = nullptr;
    check(sqlite3_open_v2(basePath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    std::mt19937 rng(9);
    std::vector<double> storeMs, baseMs;
    for (int round = 0; round < 400; ++round) {
        const std::string server = serverName(static_cast<int>(rng() % kServers));
        const int ids[] = {ev::RpcLayerError, ev::SsoFailed, ev::BindingStale, ev::ChangeApplied};
        const int id = ids[round % 4];
        Probe probes[] = {
            {"server", {.servers = {server}}, "server", server, true},
            {"event_id", {.ids = {id}}, "event_id", std::to_string(id), false},
            {"severity", {.severities = {Severity::Error}}, "severity", "2", false},
        };
        for (const Probe &p : probes) {
            auto start = std::chrono::steady_clock::now();
            auto page = store.query(p.filter, {.limit = 100});
            storeMs.push_back(secondsSince(start) * 1000.0);
            if (!page || page->empty()) {
                std::fprintf(stderr, "query %s returned nothing\n", p.name.c_str());
                return 1;
            }
            baseMs.push_back(baselineFirstPage(db, p.column, p.value, p.text));
        }
    }
    report("events", "filtered_first_page_p50", percentile(storeMs, 50), "ms",
           percentile(baseMs, 50));
    report("events", "filtered_first_page_p99", percentile(storeMs, 99), "ms",
           percentile(baseMs, 99));

    // Combined filters and full text (no one-column baseline: compared with the plain first page).
    std::vector<double> comboMs, textMs;
    for (int round = 0; round < 200; ++round) {
        const std::string server = serverName(static_cast<int>(rng() % kServers));
        auto start = std::chrono::steady_clock::now();
        auto page = store.query({.servers = {server},
                                 .severities = {Severity::Error},
                                 .from = kStart,
                                 .until = kStart + count * 3},
                                {.limit = 100});
        comboMs.push_back(secondsSince(start) * 1000.0);
        start = std::chrono::steady_clock::now();
        auto found = store.query({.text = "user" + std::to_string(rng() % 20000)}, {.limit = 100});
        textMs.push_back(secondsSince(start) * 1000.0);
        if (!page || !found)
            return 1;
    }
    report("events", "combined_filter_first_page_p99", percentile(comboMs, 99), "ms",
           percentile(storeMs, 99));
    report("events", "fts_first_page_p99", percentile(textMs, 99), "ms", percentile(storeMs, 99));

    // Deep keyset pages: jump to a cursor in the middle, then page on from there.
    std::vector<double> deepMs, deepBaseMs;
    for (int round = 0; round < 200; ++round) {
        const std::int64_t seq =
            1 + static_cast<std::int64_t>(rng() % static_cast<unsigned>(count));
        const EventCursor cursor{kStart + (seq - 1) * 3, seq};
        auto start = std::chrono::steady_clock::now();
        auto page = store.query({}, {.before = cursor, .limit = 100});
        deepMs.push_back(secondsSince(start) * 1000.0);
        if (!page)
            return 1;
        sqlite3_stmt *s = nullptr;
        start = std::chrono::steady_clock::now();
        check(sqlite3_prepare_v2(db,
                                 "SELECT seq, time, server, source, event_id, severity, params, "
                                 "param_count, message, origin_seq FROM events WHERE (time, seq) < "
                                 "(?, ?) ORDER BY time DESC, seq DESC LIMIT 100",
                                 -1, &s, nullptr),
              db, "prepare deep");
        sqlite3_bind_int64(s, 1, cursor.time);
        sqlite3_bind_int64(s, 2, cursor.seq);
        while (sqlite3_step(s) == SQLITE_ROW)
            for (int c = 0; c < 10; ++c)
                (void)sqlite3_column_text(s, c);
        sqlite3_finalize(s);
        deepBaseMs.push_back(secondsSince(start) * 1000.0);
    }
    report("events", "deep_keyset_page_p99", percentile(deepMs, 99), "ms",
           percentile(deepBaseMs, 99));
    auto counted = store.count({.ids = {ev::RpcLayerError}});
    report("events", "peak_rss", peakRssMiB(), "MiB", 0);
    sqlite3_close(db);
    std::fprintf(stderr, "events: %lld ingested in batches of %d; %lld of them 630s; files in %s\n",
                 static_cast<long long>(count), kBatch,
                 static_cast<long long>(counted ? *counted : -1), dir.c_str());
    std::filesystem::remove_all(dir);
    return 0;
}

} // namespace hostsec::bench
