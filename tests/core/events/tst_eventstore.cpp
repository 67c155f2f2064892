// Why: the event store is where operators look for what went wrong (630, 401, the binding
// events), on every agent and in the console's history. A filter must return exactly the
// matching rows, a page must never skip or repeat a row while new ones arrive, every filtered
// query must read an index (1M rows stay fast), and a damaged or read-only file must say so.

#include "events/catalogue.h"
#include "events/eventstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace hostsec;

Q_DECLARE_METATYPE(std::function<bool(const Event &)>)
Q_DECLARE_METATYPE(hostsec::EventFilter)

namespace {

const char *const kServers[] = {"DC1", "HS1", "HS2", "HOST1", "HS3"};
constexpr Millis kStart = 1'700'000'000'000;

// A deterministic mix of events: servers, kinds and times cycle at different rates so every
// combination of filter values occurs.
std::vector<Event> sampleEvents(int n)
{
    const int ids[] = {ev::RpcLayerError, ev::SsoFailed,     ev::BindingStale,  ev::RebindSucceeded,
                       ev::ChangeQueued,  ev::ChangeApplied, ev::OperatorAction};
    std::vector<Event> out;
    for (int i = 0; i < n; ++i) {
        const int id = ids[i % 7];
        std::vector<std::string> params;
        if (id == ev::RpcLayerError)
            params = {i % 2 ? "6BE" : "5",
                      i % 2 ? "The remote procedure call failed." : "Access is denied.", "HS1"};
        else if (id == ev::SsoFailed)
            params = {"CONTOSO", "user" + std::to_string(i % 13), "HOSTDOM"};
        else
            params = {"b" + std::to_string(i % 11), "user" + std::to_string(i % 13), "x", "1"};
        out.push_back(makeEvent(id, kServers[i % 5], params, kStart + i * 1000));
    }
    return out;
}

std::unique_ptr<EventStore> openStore(const QTemporaryDir &dir, const char *name)
{
    auto s = EventStore::open(dir.filePath(QLatin1String(name)).toStdString());
    if (!s)
        qFatal("cannot open event store: %s", s.error().message.c_str());
    return std::move(s).value();
}

std::vector<std::int64_t> seqs(const std::vector<Event> &events)
{
    std::vector<std::int64_t> out;
    for (const Event &e : events)
        out.push_back(e.seq);
    return out;
}

} // namespace

class tst_EventStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = openStore(m_dir, "filters.db");
        m_events = sampleEvents(700);
        auto appended = m_store->append(m_events);
        QVERIFY(appended.ok());
        QCOMPARE(*appended, 700);
    }

    void appendAssignsRisingSeq()
    {
        for (std::size_t i = 1; i < m_events.size(); ++i)
            QVERIFY(m_events[i].seq > m_events[i - 1].seq);
        QCOMPARE(*m_store->lastSeq(), m_events.back().seq);
    }

    void roundTripsEveryField()
    {
        auto page = m_store->query({}, {.limit = 1});
        QVERIFY(page.ok());
        QCOMPARE(page->size(), std::size_t{1});
        QCOMPARE(page->front(), m_events.back());
        // Empty params and params holding the separator survive.
        std::vector<Event> odd = {makeEvent(ev::AgentStopping, "Z", {}, kStart),
                                  makeEvent(ev::AgentStopping, "Z",
                                            {"a\x1f"
                                             "b",
                                             ""},
                                            kStart)};
        auto store = openStore(m_dir, "odd.db");
        QVERIFY(store->append(odd).ok());
        auto back = store->since(0, 10);
        QCOMPARE(back->at(0).params, std::vector<std::string>{});
        QCOMPARE(back->at(1).params, (std::vector<std::string>{"a b", ""}));
    }

    void filtersSelectExactlyTheMatchingRows_data()
    {
        QTest::addColumn<EventFilter>("filter");
        QTest::addColumn<std::function<bool(const Event &)>>("matches");
        using F = std::function<bool(const Event &)>;
        auto row = [](const char *name, EventFilter f, F m) { QTest::newRow(name) << f << m; };

        row("everything", {}, [](const Event &) { return true; });
        row("server", {.servers = {"HS1"}}, [](const Event &e) { return e.server == "HS1"; });
        row("two servers", {.servers = {"HS1", "DC1"}},
            [](const Event &e) { return e.server == "HS1" || e.server == "DC1"; });
        row("source", {.sources = {std::string(source::Binding)}},
            [](const Event &e) { return e.source == source::Binding; });
        row("event id", {.ids = {ev::SsoFailed}}, [](const Event &e) { return e.id == 401; });
        row("two ids", {.ids = {ev::SsoFailed, ev::RpcLayerError}},
            [](const Event &e) { return e.id == 401 || e.id == 630; });
        row("severity", {.severities = {Severity::Error}},
            [](const Event &e) { return e.severity == Severity::Error; });
        row("time range", {.from = kStart + 100'000, .until = kStart + 200'000},
            [](const Event &e) { return e.time >= kStart + 100'000 && e.time < kStart + 200'000; });
        row("from only", {.from = kStart + 650'000},
            [](const Event &e) { return e.time >= kStart + 650'000; });
        row("text", {.text = "denied"},
            [](const Event &e) { return e.message.find("denied") != std::string::npos; });
        row("text prefix", {.text = "proced"},
            [](const Event &e) { return e.message.find("procedure") != std::string::npos; });
        row("two words", {.text = "single user3"},
            [](const Event &e) { return e.id == ev::SsoFailed && e.params[1] == "user3"; });
        row("server and id", {.servers = {"HS2"}, .ids = {ev::RpcLayerError}},
            [](const Event &e) { return e.server == "HS2" && e.id == 630; });
        row("server, severity and time",
            {.servers = {"DC1"},
             .severities = {Severity::Error},
             .from = kStart,
             .until = kStart + 350'000},
            [](const Event &e) {
                return e.server == "DC1" && e.severity == Severity::Error &&
                       e.time < kStart + 350'000;
            });
        row("all six",
            {.servers = {"HS1"},
             .sources = {std::string(source::DomainAccountSync)},
             .ids = {ev::RpcLayerError},
             .severities = {Severity::Error},
             .from = kStart,
             .until = kStart + 700'000,
             .text = "remote"},
            [](const Event &e) {
                return e.server == "HS1" && e.id == 630 &&
                       e.message.find("remote") != std::string::npos;
            });
        row("no match", {.servers = {"NOPE"}}, [](const Event &) { return false; });
        row("punctuation only", {.text = "\"*()"}, [](const Event &) { return false; });
        row("quote in word", {.text = "deni\"ed"}, [](const Event &) { return false; });
        // Characters the index splits at inside a word make two words, not a phrase (which an
        // index without positions cannot answer): a dash, an invalid UTF-8 byte (fuzz_http).
        row("words joined by an en dash", {.text = "remote\u2013procedure"},
            [](const Event &e) { return e.message.find("remote procedure") != std::string::npos; });
        row("invalid UTF-8 between words",
            {.text = "access\xae"
                     "denied"},
            [](const Event &e) { return e.message.find("Access is denied") != std::string::npos; });
    }

    void filtersSelectExactlyTheMatchingRows()
    {
        QFETCH(EventFilter, filter);
        QFETCH(std::function<bool(const Event &)>, matches);
        std::vector<std::int64_t> expected;
        for (auto it = m_events.rbegin(); it != m_events.rend(); ++it) {
            if (matches(*it))
                expected.push_back(it->seq);
        }
        auto page = m_store->query(filter, {.limit = EventStore::MaxPageSize});
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().message.c_str());
        QCOMPARE(seqs(*page), expected);
        auto counted = m_store->count(filter);
        QVERIFY(counted.ok());
        QCOMPARE(*counted, static_cast<std::int64_t>(expected.size()));
    }

    void everyFilteredQueryUsesAnIndex_data()
    {
        QTest::addColumn<EventFilter>("filter");
        QTest::addColumn<bool>("withCursor");
        // Every combination of the six filter kinds, with and without a keyset cursor.
        for (int mask = 1; mask < 64; ++mask) {
            for (bool cursor : {false, true}) {
                EventFilter f;
                if (mask & 1)
                    f.servers = {"HS1"};
                if (mask & 2)
                    f.sources = {"binding"};
                if (mask & 4)
                    f.ids = {630};
                if (mask & 8)
                    f.severities = {Severity::Error};
                if (mask & 16)
                    f.from = kStart, f.until = kStart + 5000;
                if (mask & 32)
                    f.text = "denied";
                QTest::addRow("mask %d%s", mask, cursor ? " cursor" : "") << f << cursor;
            }
        }
    }

    void everyFilteredQueryUsesAnIndex()
    {
        QFETCH(EventFilter, filter);
        QFETCH(bool, withCursor);
        PageRequest page{.limit = 50};
        if (withCursor)
            page.before = EventCursor{kStart + 300'000, 300};
        auto plan = m_store->explainQuery(filter, page);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().message.c_str());
        // A full scan of the table (or of a whole index) reads every row: "SCAN events" with
        // no USING, or a SCAN over an index, where a SEARCH on the filter's index was possible.
        const bool fullScan = plan->find("SCAN events\n") != std::string::npos ||
                              plan->find("SCAN events USING") != std::string::npos;
        QVERIFY2(!fullScan, plan->c_str());
        QVERIFY2(plan->find("SEARCH events") != std::string::npos, plan->c_str());
    }

    void pagesNeverSkipOrRepeatWhileAppending()
    {
        auto store = openStore(m_dir, "paging.db");
        std::vector<Event> initial = sampleEvents(1000);
        // Equal times on purpose: the cursor must break ties by seq.
        for (std::size_t i = 0; i < initial.size(); ++i)
            initial[i].time = kStart + static_cast<Millis>(i / 7);
        QVERIFY(store->append(initial).ok());
        const EventFilter filter{.servers = {"HS1", "HS2", "DC1"}};
        std::vector<std::int64_t> expected;
        for (auto it = initial.rbegin(); it != initial.rend(); ++it) {
            if (it->server == "HS1" || it->server == "HS2" || it->server == "DC1")
                expected.push_back(it->seq);
        }

        std::vector<std::int64_t> seen;
        PageRequest page{.limit = 37};
        std::mt19937 rng(7);
        int appendedBetween = 0;
        for (;;) {
            auto rows = store->query(filter, page);
            QVERIFY(rows.ok());
            if (rows->empty())
                break;
            for (const Event &e : *rows)
                seen.push_back(e.seq);
            page.before = EventCursor{rows->back().time, rows->back().seq};
            // New events (newer and, from a lagging server, older-stamped) arrive meanwhile.
            std::vector<Event> more = sampleEvents(5);
            for (Event &e : more)
                e.time = kStart + 10'000 + static_cast<Millis>(rng() % 1000);
            QVERIFY(store->append(more).ok());
            appendedBetween += 5;
        }
        QVERIFY(appendedBetween > 0);
        QCOMPARE(seen, expected);
        QCOMPARE(std::set<std::int64_t>(seen.begin(), seen.end()).size(), seen.size());
    }

    void afterCursorReturnsTheRowsJustNewer()
    {
        const Event &middle = m_events[350];
        auto rows = m_store->query({}, {.after = EventCursor{middle.time, middle.seq}, .limit = 3});
        QVERIFY(rows.ok());
        QCOMPARE(seqs(*rows), (std::vector<std::int64_t>{m_events[353].seq, m_events[352].seq,
                                                         m_events[351].seq}));
    }

    void sinceFollowsTheLogInOrder()
    {
        auto rows = m_store->since(m_events[10].seq, 5);
        QVERIFY(rows.ok());
        QCOMPARE(seqs(*rows),
                 (std::vector<std::int64_t>{m_events[11].seq, m_events[12].seq, m_events[13].seq,
                                            m_events[14].seq, m_events[15].seq}));
    }

    void originSeqDeduplicates()
    {
        auto store = openStore(m_dir, "origin.db");
        std::vector<Event> batch = sampleEvents(3);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            batch[i].server = "HS1";
            batch[i].originSeq = static_cast<std::int64_t>(i + 1);
        }
        QCOMPARE(*store->append(batch), 3);
        std::vector<Event> again = batch;
        QCOMPARE(*store->append(again), 0);
        QCOMPARE(again[0].seq, std::int64_t{0});
        QCOMPARE(*store->lastOriginSeq("HS1"), std::int64_t{3});
        QCOMPARE(*store->lastOriginSeq("HS2"), std::int64_t{0});
    }

    void summaryCountsEachIdServerAndHour()
    {
        // The same grouping by hand: (hour, server, id) -> count, over the filter's rows.
        const EventFilter filter{.from = kStart + 50'000};
        std::map<std::tuple<Millis, std::string, int>, std::int64_t> expected;
        for (const Event &e : m_events)
            if (e.time >= filter.from)
                ++expected[{e.time / 3'600'000 * 3'600'000, e.server, e.id}];

        std::map<std::tuple<Millis, std::string, int>, std::int64_t> got;
        std::vector<std::tuple<Millis, std::string, int>> order;
        auto done = m_store->summarize(filter, [&](const EventSummaryRow &r) {
            got[{r.hour, r.server, r.id}] = r.count;
            order.emplace_back(r.hour, r.server, r.id);
            return true;
        });
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QCOMPARE(got, expected);
        QVERIFY(std::is_sorted(order.begin(), order.end()));

        // A callback that returns false stops the walk.
        int seen = 0;
        QVERIFY(m_store->summarize({}, [&](const EventSummaryRow &) { return ++seen < 3; }).ok());
        QCOMPARE(seen, 3);
    }

    void retentionRemovesOldRowsAndTheirText()
    {
        auto store = openStore(m_dir, "retention.db");
        std::vector<Event> rows = sampleEvents(100);
        QVERIFY(store->append(rows).ok());
        auto removed = store->removeOlderThan(kStart + 40'000);
        QVERIFY2(removed.ok(), removed.ok() ? "" : removed.error().message.c_str());
        QCOMPARE(*removed, std::int64_t{40});
        QCOMPARE(*store->count({}), std::int64_t{60});
        QCOMPARE(*store->count({.text = "denied"}),
                 static_cast<std::int64_t>(
                     std::count_if(rows.begin() + 40, rows.end(), [](const Event &e) {
                         return e.message.find("denied") != std::string::npos;
                     })));
        auto trimmed = store->keepNewest(25);
        QVERIFY(trimmed.ok());
        QCOMPARE(*trimmed, std::int64_t{35});
        auto left = store->since(0, 1000);
        QCOMPARE(left->size(), std::size_t{25});
        QCOMPARE(left->front().seq, rows[75].seq);
        QCOMPARE(*store->keepNewest(1000), std::int64_t{0});
    }

    void seqIsNeverReusedAndTextFollowsRemovals()
    {
        auto store = openStore(m_dir, "reuse.db");
        std::vector<Event> first = {
            makeEvent(ev::RpcLayerError, "HS1", {"5", "Access is denied.", "alpha"}, kStart)};
        QVERIFY(store->append(first).ok());
        // The newest (and only) row goes; the next row must not take its number, or the text
        // index's entry for it would find the new row by the old row's words.
        QCOMPARE(*store->removeOlderThan(kStart + 1), std::int64_t{1});
        std::vector<Event> second = {
            makeEvent(ev::RpcLayerError, "HS1", {"5", "Access is denied.", "bravo"}, kStart + 5)};
        QVERIFY(store->append(second).ok());
        QVERIFY(second[0].seq > first[0].seq);
        QCOMPARE(*store->count({.text = "alpha"}), std::int64_t{0});
        QCOMPARE(*store->count({.text = "bravo"}), std::int64_t{1});
    }

    void textIndexIsRebuiltWhenLostOrFromAnotherStore()
    {
        const QString path = m_dir.filePath(QStringLiteral("rebuild.db"));
        const QString index = path + QStringLiteral("-fts");
        {
            auto store = openStore(m_dir, "rebuild.db");
            std::vector<Event> rows = sampleEvents(50);
            QVERIFY(store->append(rows).ok());
            QCOMPARE(*store->count({.text = "denied"}), std::int64_t{4});
        }
        // Lost: the index file (and its log) deleted; every row is indexed again.
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(index + QLatin1String(suffix));
        {
            auto store = openStore(m_dir, "rebuild.db");
            QCOMPARE(*store->count({.text = "denied"}), std::int64_t{4});
        }
        // Another store's index beside this file: its words must not be found here.
        {
            auto other = openStore(m_dir, "other.db");
            std::vector<Event> rows = {
                makeEvent(ev::RpcLayerError, "HS9", {"5", "Access is denied.", "zulu"}, kStart)};
            QVERIFY(other->append(rows).ok());
            QCOMPARE(*other->count({.text = "zulu"}), std::int64_t{1});
        }
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(index + QLatin1String(suffix));
        QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("other.db-fts")), index));
        auto store = openStore(m_dir, "rebuild.db");
        QCOMPARE(*store->count({.text = "zulu"}), std::int64_t{0});
        QCOMPARE(*store->count({.text = "denied"}), std::int64_t{4});
    }

    void migratesFromSchemaOne()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1.db"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        // The schema as version 1 wrote it, with one row.
        const char *v1 = R"(
            CREATE TABLE events(seq INTEGER PRIMARY KEY, time INTEGER NOT NULL,
                server TEXT NOT NULL, source TEXT NOT NULL, event_id INTEGER NOT NULL,
                severity INTEGER NOT NULL, params TEXT NOT NULL, param_count INTEGER NOT NULL,
                message TEXT NOT NULL);
            CREATE INDEX events_by_time ON events(time, seq);
            CREATE INDEX events_by_server ON events(server, time, seq);
            CREATE INDEX events_by_source ON events(source, time, seq);
            CREATE INDEX events_by_id ON events(event_id, time, seq);
            CREATE INDEX events_by_severity ON events(severity, time, seq);
            INSERT INTO events VALUES (1, 5, 'HS1', 'binding', 601, 1, 'x', 1,
                                       'Binding b is stale: peer recycled.');
            PRAGMA user_version = 1;)";
        QCOMPARE(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);

        auto store = EventStore::open(path.toStdString());
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
        auto found = (*store)->query({.text = "recycled"}, {});
        QVERIFY(found.ok());
        QCOMPARE(found->size(), std::size_t{1});
        QCOMPARE(found->front().originSeq, std::int64_t{0});
        QCOMPARE(found->front().params, std::vector<std::string>{"x"});
    }

    void corruptFileGivesAClearError()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'Z'));
        f.close();
        auto store = EventStore::open(path.toStdString());
        QVERIFY(!store.ok());
        const std::string &message = store.error().message;
        QVERIFY2(message.find("event store") != std::string::npos, message.c_str());
        QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("not a database") != std::string::npos, message.c_str());
    }

    void readOnlyFileGivesAClearError()
    {
        const QString path = m_dir.filePath(QStringLiteral("readonly.db"));
        {
            auto store = openStore(m_dir, "readonly.db");
        }
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup |
                                                QFileDevice::ReadOther));
        // Root may write anything; look at the file as an ordinary user would (this thread's
        // filesystem uid only, given back at once).
        const bool root = geteuid() == 0;
        if (root)
            setfsuid(65534);
        auto store = EventStore::open(path.toStdString());
        if (root)
            setfsuid(0);
        QVERIFY(!store.ok());
        const std::string &message = store.error().message;
        QVERIFY2(message.find("read-only") != std::string::npos ||
                     message.find("readonly") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EventStore> m_store;
    std::vector<Event> m_events;
};

QTEST_APPLESS_MAIN(tst_EventStore)
#include "tst_eventstore.moc"
