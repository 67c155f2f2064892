// Why: every component's durability rests on these wrappers. A failed statement must surface
// with SQLite's message, what we were doing and, for a failed write, the system's reason, a
// transaction must roll back when abandoned, and a schema must only ever move forward.

#include "store/database.h"

#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/resource.h>

using namespace hostsec;
using namespace hostsec::store;

class tst_Database : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void opensInWalMode()
    {
        auto db = Database::open(path("wal.db"));
        QVERIFY2(db.ok(), db.ok() ? "" : db.error().message.c_str());
        Statement s = db->prepare("PRAGMA journal_mode", "reading the journal mode");
        QVERIFY(s.step());
        QCOMPARE(s.columnText(0), std::string("wal"));
    }

    void errorNamesPurposeAndSqliteMessage()
    {
        auto db = Database::open(path("err.db"));
        QVERIFY(db.ok());
        try {
            db->exec("SELECT * FROM no_such_table", "reading the widgets");
            QFAIL("a bad statement did not throw");
        } catch (const StoreError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("reading the widgets") != std::string::npos, what.c_str());
            QVERIFY2(what.find("no such table: no_such_table") != std::string::npos, what.c_str());
        }
    }

    void ioErrorNamesTheSystemsReason()
    {
        // A write the kernel refuses (past this process's file-size limit, with SIGXFSZ
        // ignored: EFBIG) is more than "disk I/O error": the message names the system's reason.
        auto db = Database::open(path("io.db"));
        QVERIFY(db.ok());
        db->exec("CREATE TABLE t(x BLOB)", "creating t");
        struct sigaction ignore = {}, old = {};
        ignore.sa_handler = SIG_IGN;
        QCOMPARE(::sigaction(SIGXFSZ, &ignore, &old), 0);
        rlimit before{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
        const rlimit tight{1, before.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &tight), 0);
        std::string what;
        try {
            db->exec("INSERT INTO t VALUES (zeroblob(100000))", "inserting a blob");
        } catch (const StoreError &e) {
            what = e.what();
        }
        ::setrlimit(RLIMIT_FSIZE, &before);
        ::sigaction(SIGXFSZ, &old, nullptr);
        QVERIFY2(what.find("inserting a blob") != std::string::npos, what.c_str());
        QVERIFY2(what.find("(last system error: File too large)") != std::string::npos,
                 what.c_str());
    }

    void abandonedTransactionRollsBack()
    {
        auto db = Database::open(path("tx.db"));
        QVERIFY(db.ok());
        db->exec("CREATE TABLE t(x INTEGER)", "creating t");
        {
            Transaction tx(*db, "inserting");
            db->exec("INSERT INTO t VALUES (1)", "inserting");
        }
        {
            Transaction tx(*db, "inserting");
            db->exec("INSERT INTO t VALUES (2)", "inserting");
            tx.commit();
        }
        Statement s = db->prepare("SELECT group_concat(x) FROM t", "reading t");
        QVERIFY(s.step());
        QCOMPARE(s.columnText(0), std::string("2"));
    }

    void bindsAndReadsEveryType()
    {
        auto db = Database::open(path("types.db"));
        QVERIFY(db.ok());
        db->exec("CREATE TABLE t(i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)", "creating t");
        Statement ins = db->prepare("INSERT INTO t VALUES (?,?,?,?,?)", "inserting");
        const std::string blob("a\0b", 3);
        ins.bind(1, std::int64_t{1} << 40)
            .bind(2, 2.5)
            .bind(3, "text")
            .bindBlob(4, blob)
            .bindNull(5);
        ins.run();
        Statement s = db->prepare("SELECT * FROM t", "reading");
        QVERIFY(s.step());
        QCOMPARE(s.columnInt(0), std::int64_t{1} << 40);
        QCOMPARE(s.columnDouble(1), 2.5);
        QCOMPARE(s.columnText(2), std::string("text"));
        QCOMPARE(s.columnBlob(3), blob);
        QVERIFY(s.columnIsNull(4));
        QVERIFY(!s.step());
    }

    void migratesForwardOnlyOnce()
    {
        int applied = 0;
        std::vector<Migration> steps = {
            {1, "one", [&](Database &d) { d.exec("CREATE TABLE a(x)", "a"), ++applied; }},
            {2, "two", [&](Database &d) { d.exec("CREATE TABLE b(x)", "b"), ++applied; }},
        };
        {
            auto db = Database::open(path("mig.db"));
            QVERIFY(db.ok());
            migrate(*db, "test", {steps[0]});
            QCOMPARE(db->userVersion(), 1);
            migrate(*db, "test", steps);
            QCOMPARE(db->userVersion(), 2);
            migrate(*db, "test", steps);
        }
        QCOMPARE(applied, 2);
    }

    void refusesNewerSchema()
    {
        auto db = Database::open(path("newer.db"));
        QVERIFY(db.ok());
        db->setUserVersion(9);
        try {
            migrate(*db, "test", {{1, "one", [](Database &) {}}});
            QFAIL("a newer schema was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(std::string(e.what()).find("newer than this program") != std::string::npos,
                     e.what());
        }
        QCOMPARE(db->userVersion(), 9);
    }

    void failedMigrationLeavesSchemaUntouched()
    {
        auto db = Database::open(path("failmig.db"));
        QVERIFY(db.ok());
        std::vector<Migration> steps = {
            {1, "one", [](Database &d) { d.exec("CREATE TABLE a(x)", "a"); }},
            {2, "broken", [](Database &d) {
                 d.exec("CREATE TABLE b(x)", "b");
                 d.exec("THIS IS NOT SQL", "breaking");
             }}};
        QVERIFY_THROWS_EXCEPTION(StoreError, migrate(*db, "test", steps));
        QCOMPARE(db->userVersion(), 1);
        Statement s = db->prepare("SELECT count(*) FROM sqlite_schema WHERE name='b'", "probe");
        QVERIFY(s.step());
        QCOMPARE(s.columnInt(0), std::int64_t{0});
    }

private:
    std::string path(const char *name) const
    {
        return m_dir.filePath(QLatin1String(name)).toStdString();
    }
    QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(tst_Database)
#include "tst_database.moc"
