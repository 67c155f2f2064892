// Why: an agent that cannot write must say so and acknowledge nothing: a password change it
// answered "queued" for must be on disk. "Disk full" is made for real on the domain controller's
// hostsecd of a demo domain: its file-size limit is lowered to 0 while it runs (prlimit, the
// kernel then fails every write with EFBIG, as a full file system fails them with ENOSPC; the
// agent ignores SIGXFSZ). Every change made meanwhile must be refused with an error that says it
// was not stored, the agent must keep answering, none of those changes may ever reach the host,
// and once the limit is lifted the agent must take and deliver changes again by itself, with
// its databases intact.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"

#include <sqlite3.h>

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include <chrono>
#include <functional>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

namespace {

bool setFileSizeLimit(int pid, rlim_t limit)
{
    rlimit old{};
    if (::prlimit(pid, RLIMIT_FSIZE, nullptr, &old) != 0)
        return false;
    rlimit now{limit, old.rlim_max};
    return ::prlimit(pid, RLIMIT_FSIZE, &now, nullptr) == 0;
}

} // namespace

class tst_DiskFull : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    Profile m_profile;
    int m_dcPid = 0;

    AgentClient agent(const std::string &name)
    {
        return AgentClient(m_profile.agent(name)->endpoint, 10s);
    }

    std::int64_t outboxDepth(const std::string &server)
    {
        auto o = agent(server).get("/v1/outbox");
        return o ? (*o)["depth"].get<std::int64_t>() : -1;
    }

    bool hostLogon(int i, const std::string &password)
    {
        return agent("HOST1")
            .post("/v1/host/logon", {{"host_account", hostUser(i)}, {"password", password}})
            .ok();
    }

    Result<json> change(int i, const std::string &password)
    {
        return agent("DC1").post("/v1/passwd", {{"account", user(i)}, {"password", password}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.path().toStdString() + "/demo";
        auto made = DemoDomain::init(m_path, 10);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto started = DemoDomain::start(m_path, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        auto profile = Profile::load(m_path + "/profile.json");
        QVERIFY(profile.ok());
        m_profile = *profile;
        m_dcPid = DemoDomain::runningPid(m_path, "DC1");
        QVERIFY(m_dcPid > 0);
        // A change goes through before the disk fills.
        auto first = change(1, "BEFORE01");
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QVERIFY(waitFor([&] { return hostLogon(1, "BEFORE01"); }, 30s));
    }

    void cleanupTestCase()
    {
        if (m_dcPid > 0)
            (void)setFileSizeLimit(m_dcPid, RLIM_INFINITY);
        (void)DemoDomain::stop(m_path);
    }

    void fullDiskRefusesChangesAcknowledgesNothingAndRecovers()
    {
        const std::int64_t depthBefore = outboxDepth("DC1");
        QCOMPARE(depthBefore, 0);
        QVERIFY2(setFileSizeLimit(m_dcPid, 0), qPrintable(qt_error_string(errno)));

        // Every change is refused, clearly, and the agent keeps answering.
        for (int i = 2; i <= 6; ++i) {
            auto refused = change(i, "FULL000" + std::to_string(i));
            QVERIFY2(!refused.ok(), "a change was acknowledged while nothing could be written");
            const std::string message = refused.error().message;
            QVERIFY2(message.find("not stored") != std::string::npos, message.c_str());
            QVERIFY2(message.find("FULL000") == std::string::npos, "the error names a password");
            QVERIFY(agent("DC1").health().ok());
            if (i == 2)
                qInfo("refused: %s", message.c_str());
        }
        QCOMPARE(outboxDepth("DC1"), depthBefore);

        // The disk has room again: the agent takes changes and delivers them by itself.
        QVERIFY(setFileSizeLimit(m_dcPid, RLIM_INFINITY));
        for (int i = 2; i <= 6; ++i) {
            auto accepted = change(i, "AFTER00" + std::to_string(i));
            QVERIFY2(accepted.ok(), accepted.ok() ? "" : accepted.error().message.c_str());
        }
        QVERIFY2(waitFor([&] { return outboxDepth("DC1") == 0; }, 30s),
                 "the changes made after the disk had room again were not delivered");
        for (int i = 2; i <= 6; ++i) {
            QVERIFY2(hostLogon(i, "AFTER00" + std::to_string(i)), user(i).c_str());
            QVERIFY2(!hostLogon(i, "FULL000" + std::to_string(i)),
                     "a refused change reached the host");
        }
        QVERIFY(hostLogon(1, "BEFORE01"));

        // And DC1's databases are intact.
        QVERIFY(DemoDomain::stop(m_path).ok());
        m_dcPid = 0;
        QDirIterator files(QString::fromStdString(m_path + "/DC1"), {QStringLiteral("*.db")},
                           QDir::Files);
        int checked = 0;
        while (files.hasNext()) {
            const QString path = files.next();
            const std::string result = integrityCheck(path.toStdString());
            QVERIFY2(result == "ok",
                     qPrintable(path + QStringLiteral(": ") + QString::fromStdString(result)));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }
};

QTEST_GUILESS_MAIN(tst_DiskFull)
#include "tst_diskfull.moc"
