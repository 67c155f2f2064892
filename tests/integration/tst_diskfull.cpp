// Why: an agent that cannot write must say so and acknowledge nothing: a password change it
// answered "queued" for must be on disk. "Disk full" is made for real on the domain controller's
// hostsecd of a demo domain: its file-size limit is lowered to 0 while it runs (prlimit, the
// kernel then fails every write with EFBIG, as a full file system fails them with ENOSPC; the
// agent ignores SIGXFSZ). Every change made meanwhile must be refused with an error that says it
// was not stored, the agent must keep answering, none of those changes may ever reach the host,
// and once the limit is lifted the agent must take and deliver changes again by itself, with
// its databases intact.

#include "demofixture.h"
#include "historycheck.h"

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
    DemoFixture m_demo;
    int m_dcPid = 0;

    bool hostLogon(int i, const std::string &password)
    {
        return integration::hostLogon(m_demo.agent("HOST1"), i, password);
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto made = m_demo.init(10);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto started = m_demo.start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        m_dcPid = DemoDomain::runningPid(m_demo.path(), "DC1");
        QVERIFY(m_dcPid > 0);
        // A change goes through before the disk fills.
        auto first = m_demo.passwd(1, "BEFORE01");
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QVERIFY(waitFor([&] { return hostLogon(1, "BEFORE01"); }, 30s));
    }

    void cleanupTestCase()
    {
        if (m_dcPid > 0)
            (void)setFileSizeLimit(m_dcPid, RLIM_INFINITY);
        (void)m_demo.stop();
    }

    void fullDiskRefusesChangesAcknowledgesNothingAndRecovers()
    {
        const std::int64_t depthBefore = m_demo.outboxDepth("DC1");
        QCOMPARE(depthBefore, 0);
        QVERIFY2(setFileSizeLimit(m_dcPid, 0), qPrintable(qt_error_string(errno)));

        // Every change is refused, clearly, and the agent keeps answering.
        for (int i = 2; i <= 6; ++i) {
            auto refused = m_demo.passwd(i, "FULL000" + std::to_string(i));
            QVERIFY2(!refused.ok(), "a change was acknowledged while nothing could be written");
            const std::string message = refused.error().message;
            QVERIFY2(message.find("not stored") != std::string::npos, message.c_str());
            QVERIFY2(message.find("FULL000") == std::string::npos, "the error names a password");
            QVERIFY(m_demo.agent("DC1").health().ok());
            if (i == 2)
                qInfo("refused: %s", message.c_str());
        }
        QCOMPARE(m_demo.outboxDepth("DC1"), depthBefore);

        // The disk has room again: the agent takes changes and delivers them by itself.
        QVERIFY(setFileSizeLimit(m_dcPid, RLIM_INFINITY));
        for (int i = 2; i <= 6; ++i) {
            auto accepted = m_demo.passwd(i, "AFTER00" + std::to_string(i));
            QVERIFY2(accepted.ok(), accepted.ok() ? "" : accepted.error().message.c_str());
        }
        QVERIFY2(waitFor([&] { return m_demo.outboxDepth("DC1") == 0; }, 30s),
                 "the changes made after the disk had room again were not delivered");
        for (int i = 2; i <= 6; ++i) {
            QVERIFY2(hostLogon(i, "AFTER00" + std::to_string(i)), user(i).c_str());
            QVERIFY2(!hostLogon(i, "FULL000" + std::to_string(i)),
                     "a refused change reached the host");
        }
        QVERIFY(hostLogon(1, "BEFORE01"));

        // And DC1's databases are intact.
        const std::string damaged = m_demo.stopAndCheckIntegrity(2, "DC1");
        m_dcPid = 0;
        QVERIFY2(damaged.empty(), damaged.c_str());
    }
};

QTEST_GUILESS_MAIN(tst_DiskFull)
#include "tst_diskfull.moc"
