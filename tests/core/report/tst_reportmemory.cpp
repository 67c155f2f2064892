// Why this test exists: a report over a busy period reads a million events, and the program that
// writes it (hostsecctl, the console) must not need memory in proportion. The summary is grouped
// by SQLite and streamed row by row into each renderer. This test fills an event store, then
// measures how far the resident set grows (the peak, reset through /proc/self/clear_refs), not
// how long it takes, while SQLite's GROUP BY alone runs over all of it, and while each of the
// HTML, CSV and JSON reports is written from it: a renderer may add only a few MiB of its own.
// (SQLite's GROUP BY is bounded but not free: the store's connection has a 64 MiB page cache,
// and the sorter keeps up to that much of rows in memory before it spills sorted runs to
// temporary files. It took 40 MiB here at a million events, 17 MiB at 200,000.)
//
// Count: 1,000,000 events in an optimised build; 200,000 under AddressSanitizer, where filling
// is several times slower. Both spread the events over the same 100 hours, 100 servers and 10
// ids, so the summary has 100,000 rows either way and the renderers do the same work. Under ASan
// the quarantine of freed blocks is kept small (see __asan_default_options).

#include "events/catalogue.h"
#include "events/eventstore.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <malloc.h>

#include <fstream>
#include <string>

using namespace hostsec;

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed blocks in a quarantine (256 MiB by default) to catch a use after free; that
// memory would count as growth here. A small quarantine keeps the measurement about what the
// renderers hold. (ASAN_OPTIONS in the environment still wins, key by key.)
extern "C" const char *__asan_default_options()
{
    return "quarantine_size_mb=4";
}
#endif

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t EventCount = 200'000;
#else
constexpr std::int64_t EventCount = 1'000'000;
#endif
constexpr double GrowthLimitMiB = 96;  // in all: the store's 64 MiB page cache, SQLite's sorter
constexpr double RendererLimitMiB = 8; // a renderer's own, over what the GROUP BY alone takes
constexpr int Servers = 100;
constexpr Millis Start = 1'764'000'000'000;
constexpr Millis Span = 100LL * 3'600'000; // 100 hours
constexpr int Batch = 5000;

// A value in kB from /proc/self/status ("VmRSS:", "VmHWM:"), in MiB.
double statusMiB(const char *key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(key, 0) == 0)
            return std::stod(line.substr(std::string(key).size())) / 1024.0;
    }
    return -1;
}

// Sets the peak resident set size back to the current one (Linux 4.0+).
bool resetPeak()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

} // namespace

class tst_ReportMemory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void summaryCountsEveryEvent();
    void reportsStayInBoundedMemory_data();
    void reportsStayInBoundedMemory();

private:
    report::Report makeReport() const;
    double growthOf(const QString &format);

    QTemporaryDir m_dir;
    std::unique_ptr<EventStore> m_store;
};

void tst_ReportMemory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto opened = EventStore::open(m_dir.filePath(QStringLiteral("events.db")).toStdString());
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    m_store = std::move(opened).value();

    // One prototype per (server, id), copied with its time: the store's work, not the test's.
    const int ids[] = {ev::RpcLayerError,   ev::SsoFailed,    ev::BindingStale,
                       ev::RebindSucceeded, ev::ChangeQueued, ev::ChangeForwarded,
                       ev::ChangeApplied,   ev::CacheUpdated, ev::OperatorAction,
                       ev::PeerRestarted};
    std::vector<Event> prototypes;
    for (const int id : ids) {
        for (int i = 0; i < Servers; ++i) {
            // Appended, not `"HS" + ...`: GCC 12's -Wrestrict misfires on that at -O3.
            std::string server = "HS";
            server += std::to_string(i);
            std::string param = "b";
            param += std::to_string(i);
            prototypes.push_back(makeEvent(id, server, {param, "CONTOSO\\user", "HS1", "1"}, 0));
        }
    }
    QElapsedTimer timer;
    timer.start();
    std::vector<Event> batch;
    for (std::int64_t i = 0; i < EventCount;) {
        batch.clear();
        for (int b = 0; b < Batch && i < EventCount; ++b, ++i) {
            // Every server raises each id in turn, so every (hour, server, id) group occurs.
            batch.push_back(prototypes[static_cast<std::size_t>(i % (Servers * 10))]);
            batch.back().time = Start + i * Span / EventCount;
        }
        auto appended = m_store->append(batch);
        QVERIFY2(appended.ok(), appended.ok() ? "" : appended.error().message.c_str());
    }
    // The full-text index is filled behind the appends; bring it up to date now, so its worker
    // is idle (and its memory settled) while the reports are measured.
    auto caughtUp = m_store->count({.text = "user"});
    QVERIFY(caughtUp.ok());
    qInfo("filled %lld events in %.1f s; RSS %.1f MiB", static_cast<long long>(EventCount),
          static_cast<double>(timer.elapsed()) / 1000.0, statusMiB("VmRSS:"));
}

report::Report tst_ReportMemory::makeReport() const
{
    report::Report r;
    r.meta.generatedBy = "test@localhost";
    r.meta.generatedAt = Start + Span;
    r.meta.from = Start;
    r.meta.until = Start + Span;
    r.meta.sections = report::allSections();
    r.snapshot.domain.name = "CONTOSO";
    r.events = report::summaryOf(*m_store, {.from = Start, .until = Start + Span});
    return r;
}

void tst_ReportMemory::summaryCountsEveryEvent()
{
    std::int64_t events = 0;
    std::int64_t groups = 0;
    const Status done = makeReport().events([&](const EventSummaryRow &row) {
        events += row.count;
        ++groups;
        return true;
    });
    QVERIFY(done.ok());
    QCOMPARE(events, EventCount);
    QVERIFY2(groups > 90'000, qPrintable(QString::number(groups)));
}

void tst_ReportMemory::reportsStayInBoundedMemory_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("html") << QStringLiteral("html");
    QTest::newRow("csv") << QStringLiteral("csv");
    QTest::newRow("json") << QStringLiteral("json");
}

// Writes the report over all events in `format` ("summary": runs the GROUP BY alone); how far
// the resident set grew meanwhile.
double tst_ReportMemory::growthOf(const QString &format)
{
    const report::Report r = makeReport();
    const std::string path = m_dir.filePath(QStringLiteral("report.") + format).toStdString();
    ::malloc_trim(0); // freed heap glibc kept from the last run would hide this run's growth
    if (!resetPeak())
        return -1;
    const double before = statusMiB("VmRSS:");
    Status written;
    std::int64_t rows = 0;
    if (format == QStringLiteral("summary"))
        written = r.events([&rows](const EventSummaryRow &) { return ++rows > 0; });
    else if (format == QStringLiteral("html"))
        written = report::writeHtmlFile(r, path);
    else if (format == QStringLiteral("json"))
        written = report::writeJsonFile(r, path);
    else if (auto files = report::writeCsv(r, path); !files)
        written = files.error();
    const double peak = statusMiB("VmHWM:");
    if (!written) {
        qWarning("%s", written.error().message.c_str());
        return -1;
    }
    qInfo("%s over %lld events: resident set %.1f MiB before, peak %.1f MiB, growth %.1f MiB",
          qPrintable(format), static_cast<long long>(EventCount), before, peak, peak - before);
    return peak - before;
}

void tst_ReportMemory::reportsStayInBoundedMemory()
{
    QFETCH(QString, format);
    if (!QFile::exists(QStringLiteral("/proc/self/clear_refs")))
        QSKIP("needs Linux's /proc/self/clear_refs to reset the peak resident set");
    const double summary = growthOf(QStringLiteral("summary"));
    const double all = growthOf(format);
    QVERIFY(summary >= 0 && all >= 0);
    QVERIFY2(all < GrowthLimitMiB, qPrintable(QString::number(all)));
    QVERIFY2(all < summary + RendererLimitMiB,
             qPrintable(QStringLiteral("%1 MiB for the report, %2 MiB for the GROUP BY alone")
                            .arg(all)
                            .arg(summary)));
}

QTEST_APPLESS_MAIN(tst_ReportMemory)
#include "tst_reportmemory.moc"
