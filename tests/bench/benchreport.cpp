// Suite "report": the HTML, CSV and JSON reports over a store of 1,000,000 events (200 servers,
// 10 ids, a week: ~336,000 summary rows), timed, with the growth of the resident set while each is
// written (the peak reset before each through /proc/self/clear_refs). Baseline, in the same run:
// the bare sqlite3 C API running the same GROUP BY and writing its rows to a CSV file by hand, no
// catalogue text, no escaping. "Memory flat" is shown by writing each report twice, over a tenth
// of the period and over all of it: the growth must not follow the number of events.

#include "bench.h"

#include "events/catalogue.h"
#include "events/eventstore.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"

#include <malloc.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

namespace hostsec::bench {

namespace {

constexpr int Servers = 200;
constexpr Millis Start = 1'760'000'000'000;
constexpr Millis Week = 7LL * 86'400'000;
constexpr int Batch = 5000;

double statusMiB(const char *key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(key, 0) == 0)
            return std::stod(line.substr(std::string(key).size())) / 1024.0;
    }
    return 0;
}

void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

struct Measured
{
    double seconds = 0;
    double growthMiB = 0; // peak resident set while running, over the resident set before
};

Measured measure(const std::function<bool()> &work)
{
    // Freed heap that glibc kept would hide the next run's growth: hand it back first.
    ::malloc_trim(0);
    resetPeak();
    const double before = statusMiB("VmRSS:");
    const auto start = std::chrono::steady_clock::now();
    if (!work())
        std::exit(1);
    Measured m;
    m.seconds = secondsSince(start);
    m.growthMiB = statusMiB("VmHWM:") - before;
    return m;
}

// Fills `store` with `count` events spread evenly over a week: every server raises each id in
// turn, so every (hour, server, id) group occurs once there are enough events. One prototype
// event per (server, id) is copied with its time, so the filling is the store's work.
bool fill(EventStore &store, std::int64_t count)
{
    static const int ids[] = {ev::RpcLayerError,   ev::SsoFailed,    ev::BindingStale,
                              ev::RebindSucceeded, ev::ChangeQueued, ev::ChangeForwarded,
                              ev::ChangeApplied,   ev::CacheUpdated, ev::OperatorAction,
                              ev::PeerRestarted};
    std::vector<Event> prototypes;
    for (const int id : ids) {
        for (int i = 0; i < Servers; ++i) {
            std::string server = "HS";
            server += std::to_string(i);
            std::string user = "CONTOSO\\user";
            user += std::to_string(i);
            prototypes.push_back(makeEvent(id, server, {"c1", user, "HS1", "1"}, 0));
        }
    }
    std::vector<Event> batch;
    for (std::int64_t i = 0; i < count;) {
        batch.clear();
        for (int b = 0; b < Batch && i < count; ++b, ++i) {
            batch.push_back(prototypes[static_cast<std::size_t>(i % (Servers * 10))]);
            batch.back().time = Start + i * Week / count;
        }
        if (auto r = store.append(batch); !r) {
            std::fprintf(stderr, "fill: %s\n", r.error().message.c_str());
            return false;
        }
    }
    return true;
}

// The baseline: the same GROUP BY through the bare C API, rows written to CSV by hand.
bool baselineCsv(const std::string &db, const std::string &out, Millis from, Millis until)
{
    sqlite3 *handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return std::fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(handle)), false;
    // The same page cache as the store's connection (64 MiB): SQLite's sorter sizes its
    // in-memory runs by it, so the memory figures compare like with like.
    sqlite3_exec(handle, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(handle,
                       "SELECT event_id, server, (time / 3600000) * 3600000 AS hour, count(*) "
                       "FROM events WHERE time >= ? AND time < ? "
                       "GROUP BY hour, server, event_id ORDER BY hour, server, event_id",
                       -1, &s, nullptr);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, until);
    std::FILE *file = std::fopen(out.c_str(), "wb");
    std::fputs("hour,server,id,count\r\n", file);
    while (sqlite3_step(s) == SQLITE_ROW)
        std::fprintf(file, "%lld,%s,%d,%lld\r\n",
                     static_cast<long long>(sqlite3_column_int64(s, 2)),
                     reinterpret_cast<const char *>(sqlite3_column_text(s, 1)),
                     sqlite3_column_int(s, 0), static_cast<long long>(sqlite3_column_int64(s, 3)));
    std::fclose(file);
    sqlite3_finalize(s);
    sqlite3_close(handle);
    return true;
}

report::Report makeReport(const EventStore &store, Millis until)
{
    report::Report r;
    r.meta.generatedBy = "bench@localhost";
    r.meta.generatedAt = Start + Week;
    r.meta.from = Start;
    r.meta.until = until;
    r.meta.sections = report::allSections();
    r.snapshot.domain.name = "CONTOSO";
    r.events = report::summaryOf(store, {.from = Start, .until = until});
    return r;
}

bool ok(const Status &s)
{
    if (!s)
        std::fprintf(stderr, "report: %s\n", s.error().message.c_str());
    return s.ok();
}

double fileMiB(const std::string &path)
{
    std::error_code ec;
    std::uintmax_t bytes = 0;
    if (std::filesystem::is_directory(path, ec)) {
        for (const auto &entry : std::filesystem::directory_iterator(path, ec))
            bytes += entry.file_size(ec);
    } else {
        bytes = std::filesystem::file_size(path, ec);
    }
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

} // namespace

int runReport(const std::vector<std::string> &args)
{
    std::int64_t count = 1'000'000;
    std::string dir = std::filesystem::temp_directory_path() / "hostsec-bench-report";
    bool keep = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--events" && i + 1 < args.size())
            count = std::atoll(args[++i].c_str());
        else if (args[i] == "--dir" && i + 1 < args.size())
            dir = args[++i];
        else if (args[i] == "--keep") // keep the filled store for the next run
            keep = true;
    }
    std::filesystem::create_directories(dir);
    const std::string storePath = dir + "/store.db";

    auto opened = EventStore::open(storePath);
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    auto held = (*opened)->count({});
    if (!held || *held != count) {
        opened = Error{};
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        opened = EventStore::open(storePath);
        if (!opened)
            return 1;
        const auto start = std::chrono::steady_clock::now();
        if (!fill(**opened, count))
            return 1;
        std::fprintf(stderr, "report: filled %lld events in %.1f s\n",
                     static_cast<long long>(count), secondsSince(start));
    }
    EventStore &filled = **opened;

    std::int64_t rows = 0;
    (void)filled.summarize({}, [&](const EventSummaryRow &) { return ++rows, true; });
    std::fprintf(stderr, "report: %lld events, %lld summary rows; RSS %.1f MiB\n",
                 static_cast<long long>(count), static_cast<long long>(rows), statusMiB("VmRSS:"));

    const Millis tenth = Start + Week / 10;
    const Millis all = Start + Week;
    for (const Millis until : {tenth, all}) {
        const char *span = until == all ? "all" : "tenth";
        const std::string base = dir + "/baseline-" + span + ".csv";
        const Measured baseline =
            measure([&] { return baselineCsv(storePath, base, Start, until); });
        const report::Report r = makeReport(filled, until);
        const std::string html = dir + "/report-" + span + ".html";
        const std::string csv = dir + "/csv-" + span;
        const std::string json = dir + "/report-" + span + ".json";
        const Measured h = measure([&] { return ok(report::writeHtmlFile(r, html)); });
        const Measured c = measure([&] {
            auto files = report::writeCsv(r, csv);
            return files ? true : ok(files.error());
        });
        const Measured j = measure([&] { return ok(report::writeJsonFile(r, json)); });
        const std::string suffix = std::string("_") + span;
        report("report", "html_seconds" + suffix, h.seconds, "s", baseline.seconds);
        report("report", "csv_seconds" + suffix, c.seconds, "s", baseline.seconds);
        report("report", "json_seconds" + suffix, j.seconds, "s", baseline.seconds);
        report("report", "html_rss_growth" + suffix, h.growthMiB, "MiB", baseline.growthMiB);
        report("report", "csv_rss_growth" + suffix, c.growthMiB, "MiB", baseline.growthMiB);
        report("report", "json_rss_growth" + suffix, j.growthMiB, "MiB", baseline.growthMiB);
        std::fprintf(stderr,
                     "report (%s): html %.1f MiB, csv %.1f MiB, json %.1f MiB, baseline csv "
                     "%.1f MiB\n",
                     span, fileMiB(html), fileMiB(csv), fileMiB(json), fileMiB(base));
    }
    report("report", "peak_rss", peakRssMiB(), "MiB", 0);
    if (!keep)
        std::filesystem::remove_all(dir);
    return 0;
}

} // namespace hostsec::bench
