// Why this test exists: the audit trail is only worth something if every operator action
// through the real programs lands in it (who, what, on what, how it ended, refusals included)
// and if `hostsecctl audit verify` tells an operator, by its exit code and by name, when a
// record was taken out of an agent's events.db while the agent was down. This drives a real
// demo domain through hostsecctl; every wait is bounded by a deadline.

#include "ctlprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <vector>

using namespace hostsec::integration;

namespace {

constexpr int StepTimeoutMs = 90000;
constexpr int SettleTimeoutMs = 60000;
const QString Operator = QStringLiteral("olga");
const QString Binding = QStringLiteral("DC1/domain-account-sync->HS1/host-account-sync");

} // namespace

class tst_Audit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void operatorActionsAreAudited();
    void verifyPassesOnEveryAgent();
    void removedRecordIsNamed();
    void cleanupTestCase();

private:
    CtlRun ctl(const QStringList &args, const QByteArray &input = {});
    QJsonArray auditEvents(const QString &server);
    std::vector<qint64> auditSeqs(const QString &server);

    QTemporaryDir m_dir;
    QString m_demo;
    bool m_started = false;
};

CtlRun tst_Audit::ctl(const QStringList &args, const QByteArray &input)
{
    QProcessEnvironment env = ctlEnvironment();
    env.insert(QStringLiteral("HOSTSEC_OPERATOR"), Operator);
    return runCtl(args, env, input, StepTimeoutMs);
}

QJsonArray tst_Audit::auditEvents(const QString &server)
{
    const CtlRun run =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("events"), QStringLiteral("--server"),
             server, QStringLiteral("--id"), QStringLiteral("900,901"), QStringLiteral("--limit"),
             QStringLiteral("1000"), QStringLiteral("--json")});
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

// The audit records' seqs in an agent's events.db, read with SQLite itself.
std::vector<qint64> tst_Audit::auditSeqs(const QString &server)
{
    std::vector<qint64> seqs;
    const QByteArray path =
        (m_demo + QLatin1Char('/') + server + QStringLiteral("/events.db")).toUtf8();
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db,
                               "SELECT seq FROM events WHERE event_id BETWEEN 900 AND 999 "
                               "ORDER BY seq",
                               -1, &s, nullptr) == SQLITE_OK) {
            while (sqlite3_step(s) == SQLITE_ROW)
                seqs.push_back(sqlite3_column_int64(s, 0));
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return seqs;
}

void tst_Audit::initTestCase()
{
    if (!QFileInfo(binDir() + QStringLiteral("/hostsecd")).isExecutable())
        QSKIP("hostsecd is not built (target hostsecd)");
    QVERIFY(m_dir.isValid());
    m_demo = m_dir.filePath(QStringLiteral("demo"));
    const CtlRun init = ctl({QStringLiteral("demo"), QStringLiteral("init"), m_demo,
                             QStringLiteral("--users"), QStringLiteral("10")});
    QVERIFY2(init.exitCode == 0, qPrintable(describe(init)));
    m_started = true;
    const CtlRun start = ctl({QStringLiteral("demo"), QStringLiteral("start"), m_demo,
                              QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(start.exitCode == 0, qPrintable(describe(start)));
}

void tst_Audit::operatorActionsAreAudited()
{
    // Three rebinds on DC1, a resync on the primary, a password change on the domain side,
    // and one refused call: each is one audit record on the agent that took it.
    for (int i = 0; i < 3; ++i) {
        const CtlRun rebind =
            ctl({QStringLiteral("-p"), m_demo, QStringLiteral("rebind"), Binding});
        QVERIFY2(rebind.exitCode == 0, qPrintable(describe(rebind)));
    }
    const CtlRun refused = ctl({QStringLiteral("-p"), m_demo, QStringLiteral("rebind"),
                                QStringLiteral("DC1/domain-account-sync->HS9/host-account-sync")});
    QVERIFY2(refused.exitCode != 0, qPrintable(describe(refused)));
    const CtlRun resync = ctl({QStringLiteral("-p"), m_demo, QStringLiteral("resync"),
                               QStringLiteral("--user"), QStringLiteral("CONTOSO\\user0001")});
    QVERIFY2(resync.exitCode == 0, qPrintable(describe(resync)));
    const CtlRun passwd = ctl({QStringLiteral("-p"), m_demo, QStringLiteral("passwd"),
                               QStringLiteral("CONTOSO\\user0002")},
                              "NEWPW7X1\n");
    QVERIFY2(passwd.exitCode == 0, qPrintable(describe(passwd)));

    // {what: [target, outcome starts with]} as the records must say it.
    struct Expected
    {
        QString server, what, target, outcome;
        int count;
    };
    const std::vector<Expected> expected = {
        {QStringLiteral("DC1"), QStringLiteral("rebind"), Binding,
         QStringLiteral("1 binding(s) rebinding"), 3},
        {QStringLiteral("DC1"), QStringLiteral("rebind"),
         QStringLiteral("DC1/domain-account-sync->HS9/host-account-sync"),
         QStringLiteral("refused (HTTP 404)"), 1},
        {QStringLiteral("DC1"), QStringLiteral("password change"),
         QStringLiteral("CONTOSO\\user0002"), QStringLiteral("change DC1-"), 1},
        {QStringLiteral("HS1"), QStringLiteral("resync"), QStringLiteral("1 selected users"),
         QStringLiteral("job r1 started"), 1},
    };
    for (const Expected &want : expected) {
        int found = 0;
        const QJsonArray events = auditEvents(want.server);
        for (const auto &value : events) {
            const QJsonObject e = value.toObject();
            const QJsonArray params = e.value(QStringLiteral("params")).toArray();
            QCOMPARE(params.size(), 4);
            // Who: the name hostsecctl sent, and the address the agent saw it come from.
            QVERIFY2(params[0].toString().startsWith(Operator + QStringLiteral("@127.0.0.1:")),
                     qPrintable(params[0].toString()));
            QVERIFY(!e.value(QStringLiteral("time")).toString().isEmpty());
            QCOMPARE(e.value(QStringLiteral("source")).toString(), QStringLiteral("audit"));
            if (params[1].toString() == want.what && params[2].toString() == want.target &&
                params[3].toString().startsWith(want.outcome))
                ++found;
            // No password ever reaches the trail.
            QVERIFY(!QJsonDocument(e).toJson().contains("NEWPW7X1"));
        }
        QVERIFY2(found == want.count,
                 qPrintable(want.server + QLatin1Char(' ') + want.what + QLatin1Char(' ') +
                            want.target + QStringLiteral(": found %1 in ").arg(found) +
                            QString::fromUtf8(QJsonDocument(events).toJson())));
    }
}

void tst_Audit::verifyPassesOnEveryAgent()
{
    const CtlRun table =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(table.exitCode == 0, qPrintable(describe(table)));
    QCOMPARE(table.out.count(QStringLiteral("intact")), 4);

    const CtlRun json = ctl({QStringLiteral("-p"), m_demo, QStringLiteral("audit"),
                             QStringLiteral("verify"), QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(describe(json)));
    const QJsonObject document = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QVERIFY(document.value(QStringLiteral("intact")).toBool());
    const QJsonArray agents = document.value(QStringLiteral("agents")).toArray();
    QCOMPARE(agents.size(), 4);
    for (const auto &agent : agents) {
        const QJsonObject a = agent.toObject();
        if (a.value(QStringLiteral("server")).toString() == QStringLiteral("DC1")) {
            QCOMPARE(a.value(QStringLiteral("records")).toInt(), 5);
            QCOMPARE(a.value(QStringLiteral("head")).toString().size(), 64);
        }
    }
}

void tst_Audit::removedRecordIsNamed()
{
    const CtlRun stop = ctl({QStringLiteral("demo"), QStringLiteral("stop"), m_demo});
    QVERIFY2(stop.exitCode == 0, qPrintable(describe(stop)));

    // Take the second audit record out of DC1's log, as someone with the file would.
    const std::vector<qint64> seqs = auditSeqs(QStringLiteral("DC1"));
    QVERIFY2(seqs.size() >= 3, qPrintable(QString::number(seqs.size())));
    const QByteArray path = (m_demo + QStringLiteral("/DC1/events.db")).toUtf8();
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.constData(), &db), SQLITE_OK);
    const QByteArray remove = "DELETE FROM events WHERE seq = " + QByteArray::number(seqs[1]);
    const int rc = sqlite3_exec(db, remove.constData(), nullptr, nullptr, nullptr);
    const int changed = sqlite3_changes(db);
    sqlite3_close(db);
    QCOMPARE(rc, SQLITE_OK);
    QCOMPARE(changed, 1);

    const CtlRun start = ctl({QStringLiteral("demo"), QStringLiteral("start"), m_demo,
                              QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(start.exitCode == 0, qPrintable(describe(start)));

    const CtlRun verify =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(verify.exitCode == 3, qPrintable(describe(verify)));
    // The broken row names the server and the seq where the chain breaks (the record after
    // the one removed); the others stay intact.
    const QString seq = QStringLiteral("seq %1").arg(seqs[2]);
    bool named = false;
    for (const QString &line : verify.out.split(QLatin1Char('\n'))) {
        if (line.startsWith(QStringLiteral("DC1")))
            named = line.contains(QStringLiteral("BROKEN")) && line.contains(seq) &&
                    line.contains(QStringLiteral("removed"));
    }
    QVERIFY2(named, qPrintable(describe(verify)));
    QCOMPARE(verify.out.count(QStringLiteral("intact")), 3);

    const CtlRun json =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("audit"), QStringLiteral("verify"),
             QStringLiteral("DC1"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 3);
    const QJsonObject dc1 = QJsonDocument::fromJson(json.out.toUtf8())
                                .object()
                                .value(QStringLiteral("agents"))
                                .toArray()
                                .at(0)
                                .toObject();
    QCOMPARE(dc1.value(QStringLiteral("problem")).toString(), QStringLiteral("removed"));
    QCOMPARE(dc1.value(QStringLiteral("seq")).toInteger(), seqs[2]);

    // Only the other servers: all intact.
    const CtlRun others =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("audit"), QStringLiteral("verify"),
             QStringLiteral("HS1"), QStringLiteral("HS2"), QStringLiteral("HOST1")});
    QVERIFY2(others.exitCode == 0, qPrintable(describe(others)));
}

void tst_Audit::cleanupTestCase()
{
    if (m_started)
        ctl({QStringLiteral("demo"), QStringLiteral("stop"), m_demo});
}

QTEST_GUILESS_MAIN(tst_Audit)
#include "tst_audit.moc"
