// Why: the audit trail (events 900-999) is what says which operator did what; issue 6 asks that
// a removed or edited record be detected. Each test changes an events.db the way someone with
// the file would (raw SQL, behind the store's back) and checks that verifyAudit() names the
// record where the chain breaks and how; and that what the store itself does (batches,
// duplicates, retention, the v4 -> v5 migration, non-audit events) never looks like tampering.

#include "events/catalogue.h"
#include "events/eventstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

using namespace hostsec;
using Problem = AuditVerification::Problem;

namespace {

// A problem as QCOMPARE prints it on failure.
QByteArray name(Problem problem)
{
    return QByteArray(toString(problem).data(), static_cast<qsizetype>(toString(problem).size()));
}

constexpr Millis kStart = 1'790'000'000'000;
constexpr int kAudit = 10; // audit records in the sample

// Ten operator actions (every third one refused), each followed by a binding event that is
// not part of the chain.
std::vector<Event> sample()
{
    std::vector<Event> out;
    for (int i = 0; i < kAudit; ++i) {
        const int id = i % 3 == 2 ? ev::OperatorRefused : ev::OperatorAction;
        out.push_back(makeEvent(id, "HS1",
                                {"olga@127.0.0.1:5000" + std::to_string(i), "rebind",
                                 "DC1/domain-account-sync->HS1/host-account-sync", "1 binding"},
                                kStart + i * 1000));
        out.push_back(makeEvent(ev::BindingStale, "HS1", {"b" + std::to_string(i), "x"},
                                kStart + i * 1000 + 500));
    }
    return out;
}

void sql(const std::string &path, const std::string &statement)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *message = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &message);
    const std::string why = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, (statement + ": " + why).c_str());
}

} // namespace

class tst_AuditChain : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    // A fresh store holding the sample; `auditSeqs` gets the audit records' seqs in order.
    std::string fresh(std::vector<std::int64_t> &auditSeqs)
    {
        const std::string path =
            m_dir.filePath(QStringLiteral("events%1.db").arg(++m_files)).toStdString();
        auto store = EventStore::open(path);
        if (!store)
            qFatal("cannot open %s: %s", path.c_str(), store.error().message.c_str());
        std::vector<Event> events = sample();
        // Two batches, so the head carries over from one transaction to the next.
        std::vector<Event> first(events.begin(), events.begin() + 7);
        std::vector<Event> second(events.begin() + 7, events.end());
        if (!(*store)->append(first) || !(*store)->append(second))
            qFatal("cannot append");
        auditSeqs.clear();
        for (const auto *batch : {&first, &second})
            for (const Event &e : *batch)
                if (isAuditEventId(e.id))
                    auditSeqs.push_back(e.seq);
        return path;
    }

    static AuditVerification verify(const std::string &path)
    {
        auto store = EventStore::open(path);
        if (!store)
            qFatal("cannot open %s: %s", path.c_str(), store.error().message.c_str());
        auto v = (*store)->verifyAudit();
        if (!v)
            qFatal("cannot verify: %s", v.error().message.c_str());
        return *v;
    }

    static std::string describe(const AuditVerification &v)
    {
        return std::string(toString(v.problem)) + " at seq " + std::to_string(v.seq) + ": " +
               v.reason;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void untouchedChainVerifies()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        const AuditVerification v = verify(path);
        QVERIFY2(v.intact(), describe(v).c_str());
        QCOMPARE(v.records, std::int64_t{kAudit});
        QCOMPARE(v.count, std::int64_t{kAudit});
        QCOMPARE(v.problems, std::int64_t{0});
        // The head is the chain recomputed from the events as the API hands them out: an
        // outside verifier needs nothing but the documented encoding.
        auto store = EventStore::open(path);
        auto all = (*store)->since(0, 100);
        std::string head(32, '\0');
        for (const Event &e : *all)
            if (isAuditEventId(e.id))
                head = auditChainValue(head, e);
        QCOMPARE(QByteArray::fromStdString(head).toHex().toStdString(), v.head);
    }

    void editedFieldIsFoundAtItsSeq_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("row");
        QTest::newRow("message") << "message = message || '!'" << 4;
        QTest::newRow("params") << "params = replace(params, 'olga', 'eve')" << 4;
        QTest::newRow("param count") << "param_count = 0, params = ''" << 4;
        QTest::newRow("time") << "time = time - 60000" << 4;
        QTest::newRow("id 900 to 901") << "event_id = 901" << 0;
        QTest::newRow("severity") << "severity = 4" << 9;
        QTest::newRow("server") << "server = 'HS2'" << 9;
        QTest::newRow("source") << "source = 'agent'" << 1;
        QTest::newRow("chain value") << "chain = zeroblob(32)" << 5;
    }

    void editedFieldIsFoundAtItsSeq()
    {
        QFETCH(QString, change);
        QFETCH(int, row);
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        const std::int64_t seq = seqs[static_cast<std::size_t>(row)];
        sql(path,
            "UPDATE events SET " + change.toStdString() + " WHERE seq = " + std::to_string(seq));
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Edited));
        QCOMPARE(v.seq, seq);
        QCOMPARE(v.problems, std::int64_t{1}); // the records after it still verify
        QCOMPARE(v.records, std::int64_t{kAudit});
        QVERIFY2(v.reason.find("seq " + std::to_string(seq)) != std::string::npos,
                 v.reason.c_str());
    }

    // An audit record turned into another event leaves the chain: a record is missing.
    void idMovedOutOfTheAuditRangeIsFound()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        sql(path, "UPDATE events SET event_id = 601 WHERE seq = " + std::to_string(seqs[3]));
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Removed));
        QCOMPARE(v.seq, seqs[4]);
    }

    void removedRecordIsFound_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("reportedRow"); // the record at which the break shows
        QTest::newRow("first") << 0 << 1;
        QTest::newRow("middle") << 5 << 6;
        QTest::newRow("last") << kAudit - 1 << kAudit - 2; // "missing after" the one before
    }

    void removedRecordIsFound()
    {
        QFETCH(int, row);
        QFETCH(int, reportedRow);
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        sql(path, "DELETE FROM events WHERE seq = " +
                      std::to_string(seqs[static_cast<std::size_t>(row)]));
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Removed));
        QCOMPARE(v.seq, seqs[static_cast<std::size_t>(reportedRow)]);
        QCOMPARE(v.records, std::int64_t{kAudit - 1});
        QVERIFY2(v.reason.find("missing") != std::string::npos, v.reason.c_str());
    }

    // Removing a record and renumbering the rest hides the gap, not the hash: the chain then
    // goes on from a value no remaining record produced.
    void removedAndRenumberedIsFound()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        sql(path, "DELETE FROM events WHERE seq = " + std::to_string(seqs[5]) +
                      "; UPDATE events SET audit_n = audit_n - 1 WHERE seq > " +
                      std::to_string(seqs[5]) +
                      " AND audit_n IS NOT NULL;"
                      "UPDATE meta SET value = value - 1 WHERE key = 'audit_count'");
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Edited));
        QCOMPARE(v.seq, seqs[6]);
    }

    void forgedRecordIsFound()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        // In the middle, in place of a binding event, without a chain value.
        const std::int64_t middle = seqs[3] + 1;
        sql(path, "UPDATE events SET event_id = 900, source = 'audit', severity = 3, message = "
                  "'Operator olga performed rebind on all bindings: done.' WHERE seq = " +
                      std::to_string(middle));
        AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Inserted));
        QCOMPARE(v.seq, middle);
        QCOMPARE(v.problems, std::int64_t{1});

        // At the end, chained correctly by someone who knows the encoding, but not counted.
        const std::string other = fresh(seqs);
        Event forged = makeEvent(ev::OperatorAction, "HS1", {"olga", "resync", "all", "done"},
                                 kStart + 99'000);
        forged.seq = 1000;
        std::string head;
        head = QByteArray::fromHex(QByteArray::fromStdString(verify(other).head)).toStdString();
        const std::string chain =
            QByteArray::fromStdString(auditChainValue(head, forged)).toHex().toStdString();
        sql(other, "INSERT INTO events(seq, time, server, source, event_id, severity, params, "
                   "param_count, message, chain, audit_n) VALUES (1000, " +
                       std::to_string(forged.time) + ", 'HS1', 'audit', 900, 3, '" +
                       joinEventParams(forged.params) + "', 4, '" + forged.message + "', x'" +
                       chain + "', " + std::to_string(kAudit + 1) + ")");
        v = verify(other);
        QCOMPARE(name(v.problem), name(Problem::Appended));
        QCOMPARE(v.seq, std::int64_t{1000});

        // Whoever also rewrites the head and the count in the same file is not found: the
        // chain proves nothing against write access to the file by itself (docs/security.md).
        sql(other, "UPDATE meta SET value = x'" + chain +
                       "' WHERE key = 'audit_head'; UPDATE meta SET value = value + 1 "
                       "WHERE key = 'audit_count'");
        v = verify(other);
        QVERIFY2(v.intact(), describe(v).c_str());
    }

    void rewrittenHeadIsFound()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        sql(path, "UPDATE meta SET value = zeroblob(32) WHERE key = 'audit_head'");
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::HeadMismatch));
        QCOMPARE(v.seq, seqs.back());
    }

    void duplicatesDoNotAdvanceTheChain()
    {
        const std::string path = m_dir.filePath(QStringLiteral("dup.db")).toStdString();
        auto store = EventStore::open(path);
        QVERIFY(store.ok());
        // The console's history refetches by cursor: the same (server, originSeq) comes twice.
        std::vector<Event> batch;
        for (int i = 0; i < 2; ++i) {
            batch.push_back(makeEvent(ev::OperatorAction, "HS1", {"a", "b", "c", "d"}, kStart));
            batch.back().originSeq = 7;
        }
        QCOMPARE(*(*store)->append(batch), 1);
        auto v = (*store)->verifyAudit();
        QVERIFY2(v->intact(), describe(*v).c_str());
        QCOMPARE(v->count, std::int64_t{1});
    }

    void retentionKeepsTheChainVerifiable()
    {
        std::vector<std::int64_t> seqs;
        const std::string path = fresh(seqs);
        {
            auto store = EventStore::open(path);
            // Keeps the newest 9 rows: audit records 0-5 go.
            QCOMPARE(*(*store)->keepNewest(9), std::int64_t{11});
            auto v = (*store)->verifyAudit();
            QVERIFY2(v->intact(), describe(*v).c_str());
            QCOMPARE(v->anchorCount, std::int64_t{6});
            QCOMPARE(v->records, std::int64_t{4});
            QCOMPARE(v->count, std::int64_t{kAudit});
            // Appending goes on from the same head.
            Event e = makeEvent(ev::OperatorAction, "HS1", {"a", "b", "c", "d"}, kStart + 50'000);
            QVERIFY((*store)->append(e).ok());
            v = (*store)->verifyAudit();
            QVERIFY2(v->intact(), describe(*v).c_str());
            QCOMPARE(v->records, std::int64_t{5});
        }
        // The first record after the anchor removed by hand is still found.
        sql(path, "DELETE FROM events WHERE seq = " + std::to_string(seqs[6]));
        const AuditVerification v = verify(path);
        QCOMPARE(name(v.problem), name(Problem::Removed));
        QCOMPARE(v.seq, seqs[7]);
    }

    // By time, with times that do not rise with seq: an old record after a newer one must wait,
    // or the chain would lose a record from its middle.
    void retentionByTimeRemovesOnlyAPrefix()
    {
        const std::string path = m_dir.filePath(QStringLiteral("bytime.db")).toStdString();
        auto store = EventStore::open(path);
        QVERIFY(store.ok());
        std::vector<Event> events;
        for (Millis t : {1000, 2000, 9000, 3000, 4000, 10000})
            events.push_back(
                makeEvent(ev::OperatorAction, "HS1", {"a", "b", "c", "d"}, kStart + t));
        events.push_back(makeEvent(ev::BindingStale, "HS1", {"b", "x"}, kStart + 500));
        QVERIFY((*store)->append(events).ok());
        // Older than 5000: the first two audit records, and the binding event; 3000 and 4000
        // stay behind 9000.
        QCOMPARE(*(*store)->removeOlderThan(kStart + 5000), std::int64_t{3});
        auto v = (*store)->verifyAudit();
        QVERIFY2(v->intact(), describe(*v).c_str());
        QCOMPARE(v->anchorCount, std::int64_t{2});
        QCOMPARE(v->records, std::int64_t{4});
        // Everything older than the newest goes, and an empty chain rests on its anchor.
        QCOMPARE(*(*store)->removeOlderThan(kStart + 20000), std::int64_t{4});
        v = (*store)->verifyAudit();
        QVERIFY2(v->intact(), describe(*v).c_str());
        QCOMPARE(v->records, std::int64_t{0});
        QCOMPARE(v->anchorCount, std::int64_t{6});
    }

    void schemaFourMigratesAndVerifies()
    {
        const std::string path = m_dir.filePath(QStringLiteral("v4.db")).toStdString();
        // The schema as version 4 left it, with audit and other rows.
        sql(path, R"(
            CREATE TABLE events(seq INTEGER PRIMARY KEY, time INTEGER NOT NULL,
                server TEXT NOT NULL, source TEXT NOT NULL, event_id INTEGER NOT NULL,
                severity INTEGER NOT NULL, params TEXT NOT NULL, param_count INTEGER NOT NULL,
                message TEXT NOT NULL, origin_seq INTEGER);
            CREATE INDEX events_by_time ON events(time, seq);
            CREATE INDEX events_by_server ON events(server, time, seq);
            CREATE INDEX events_by_source ON events(source, time, seq);
            CREATE INDEX events_by_id ON events(event_id, time, seq);
            CREATE INDEX events_by_severity ON events(severity, time, seq);
            CREATE UNIQUE INDEX events_by_origin ON events(server, origin_seq)
                WHERE origin_seq IS NOT NULL;
            CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO events VALUES
                (3, 100, 'HS1', 'audit', 900, 3, 'anonymous@127.0.0.1:1' || char(31) || 'rebind'
                    || char(31) || 'all bindings' || char(31) || '2 binding(s) rebinding', 4,
                    'Operator anonymous@127.0.0.1:1 performed rebind on all bindings.', NULL),
                (4, 101, 'HS1', 'binding', 601, 1, 'x', 1, 'Binding x is stale.', NULL),
                (6, 102, 'HS1', 'audit', 901, 4, '', 0, 'refused', NULL);
            INSERT INTO meta VALUES ('high_seq', 9), ('store_id', 42);
            PRAGMA user_version = 4;)");
        auto store = EventStore::open(path);
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
        auto v = (*store)->verifyAudit();
        QVERIFY2(v->intact(), describe(*v).c_str());
        QCOMPARE(v->records, std::int64_t{2});
        QCOMPARE(v->count, std::int64_t{2});
        Event e = makeEvent(ev::OperatorAction, "HS1", {"a", "b", "c", "d"}, 200);
        QVERIFY((*store)->append(e).ok());
        QCOMPARE(e.seq, std::int64_t{10}); // after the high-water mark, as before
        v = (*store)->verifyAudit();
        QVERIFY2(v->intact(), describe(*v).c_str());
        QCOMPARE(v->records, std::int64_t{3});
        store->reset();
        sql(path, "UPDATE events SET message = 'x' WHERE seq = 6");
        QCOMPARE(name(verify(path).problem), name(Problem::Edited));
        QCOMPARE(verify(path).seq, std::int64_t{6});
    }

    void nonAuditEventsAreNotChained()
    {
        const std::string path = m_dir.filePath(QStringLiteral("plain.db")).toStdString();
        std::vector<std::int64_t> seqs;
        const std::string withAudit = fresh(seqs);
        {
            auto store = EventStore::open(path);
            std::vector<Event> events;
            for (int i = 0; i < 20; ++i)
                events.push_back(makeEvent(i % 2 ? ev::BindingStale : ev::RpcLayerError, "HS1",
                                           {"x"}, kStart + i));
            QVERIFY((*store)->append(events).ok());
            auto v = (*store)->verifyAudit();
            QVERIFY(v->intact());
            QCOMPARE(v->records, std::int64_t{0});
            QCOMPARE(v->count, std::int64_t{0});
        }
        // Changing or removing other events leaves the chain intact.
        sql(path, "UPDATE events SET message = 'changed' WHERE seq = 3; DELETE FROM events "
                  "WHERE seq = 5");
        QVERIFY(verify(path).intact());
        sql(withAudit,
            "UPDATE events SET message = 'changed' WHERE seq = " + std::to_string(seqs[2] + 1) +
                "; DELETE FROM events WHERE seq = " + std::to_string(seqs[3] + 1));
        QVERIFY(verify(withAudit).intact());
    }

    // The documented encoding, byte for byte; and fields that run together in a naive
    // concatenation ("AB" + "C" and "A" + "BC") stay apart.
    void canonicalEncodingIsLengthPrefixed()
    {
        Event e;
        e.seq = 1;
        e.time = 2;
        e.server = "S";
        e.source = "a";
        e.id = 900;
        e.severity = Severity::AuditSuccess;
        e.params = {"p"};
        e.message = "m";
        const QByteArray expected = QByteArray::fromHex("0000000000000001"
                                                        "0000000000000002"
                                                        "0000000000000001"
                                                        "53"
                                                        "0000000000000001"
                                                        "61"
                                                        "0000000000000384"
                                                        "0000000000000003"
                                                        "0000000000000001"
                                                        "0000000000000001"
                                                        "70"
                                                        "0000000000000001"
                                                        "6d");
        QCOMPARE(QByteArray::fromStdString(canonicalAuditBytes(e)), expected);
        Event a = e, b = e;
        a.server = "AB";
        a.source = "C";
        b.server = "A";
        b.source = "BC";
        QVERIFY(canonicalAuditBytes(a) != canonicalAuditBytes(b));
        a = e;
        b = e;
        a.params = {"x", ""};
        b.params = {"x"};
        QVERIFY(canonicalAuditBytes(a) != canonicalAuditBytes(b));
        QCOMPARE(auditChainValue(std::string(32, '\0'), e).size(), std::size_t{32});
    }
};

QTEST_APPLESS_MAIN(tst_AuditChain)
#include "tst_auditchain.moc"
