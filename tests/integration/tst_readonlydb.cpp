// Why: an agent whose database turns read-only under it must say so and acknowledge nothing it
// did not store, in both directions (an operator's change, a peer's delivery), and must take
// changes again by itself once the database is writable, with every database intact.
//
// How the database is made read-only, for real, under the running domain controller (DC1) of
// a demo domain: the file system's immutable attribute (chattr +i, here the FS_IOC_SETFLAGS
// ioctl) on DC1's agent.db and agent.db-wal. What was tried, and why this one:
//  - chmod 0444, or a read-only bind mount of the data folder (mount --bind, then
//    remount,bind,ro), changes nothing for a connection that is already open: the kernel checks
//    them when a file is opened, and SQLite keeps its files open (a new connection then opens
//    read-only: "attempt to write a readonly database", which the agent already refuses at
//    start: store::Database::open). chmod does not even bind root.
//  - remounting the file system read-only (mount -o remount,ro) is refused (EBUSY) while any
//    file on it is open for writing; an ext4 file system that remounts itself read-only after an
//    error (errors=remount-ro, tried on a loop device) cannot be made writable again without
//    unmounting it, so no agent could recover from it without a restart.
//  - the immutable attribute is the one read-only mark that holds against descriptors already
//    open for writing, and against root: ext4, xfs and btrfs refuse every write to the file
//    (EPERM). SQLite reports it as "disk I/O error"; the agent's error
//    names the file and the system's reason ("... (.../DC1/agent.db): disk I/O error (last
//    system error: Operation not permitted)").
// agent.db-shm is left alone on purpose: SQLite maps it into memory, and a write to a mapped
// page of an immutable file is a SIGBUS (the agent dies, as under kill -9, which tst_faults
// covers), not a refused write.
// Setting the attribute needs CAP_LINUX_IMMUTABLE (root), and tmpfs takes it without refusing
// writes through open descriptors; in either case the test is skipped and says why.

#include "demofixture.h"
#include "historycheck.h"
#include "immutable.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;
using hostsec::testing::immutableHoldsIn;
using hostsec::testing::setImmutable;

namespace {

constexpr int Users = 10;

} // namespace

class tst_ReadOnlyDb : public QObject
{
    Q_OBJECT

private:
    DemoFixture m_demo;
    QTemporaryDir m_probeDir;
    std::vector<std::string> m_immutable; // files to make writable again, whatever happens

    client::AgentClient agent(const std::string &name) { return m_demo.agent(name); }

    // HS1's outbox entry carrying change `id` to DC1, or null.
    json pendingForDc1(const std::string &id)
    {
        auto o = agent("HS1").get("/v1/outbox");
        if (o) {
            for (const json &e : (*o)["pending"]) {
                if (e["change_id"] == id && e["target"] == "DC1")
                    return e;
            }
        }
        return nullptr;
    }

    // How often DC1 took the host-initiated change `id` into its own records (event 710).
    int domainUpdates(const std::string &id)
    {
        int n = 0;
        for (const json &e : allEvents(agent("DC1"), "710"))
            n += e["params"][1] == id;
        return n;
    }

    void makeWritable()
    {
        for (const std::string &file : m_immutable)
            (void)setImmutable(file, false);
        m_immutable.clear();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_probeDir.isValid());
        if (const std::string why = immutableHoldsIn(m_probeDir.path().toStdString()); !why.empty())
            QSKIP(why.c_str());

        auto made = m_demo.init(Users);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto started = m_demo.start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        // A change goes through before the database turns read-only.
        auto first = m_demo.passwd(1, "BEFORE01");
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QVERIFY(waitFor([&] { return hostLogon(agent("HOST1"), 1, "BEFORE01"); }, 30s));
        QVERIFY(waitFor(
            [&] { return m_demo.outboxDepth("DC1") == 0 && m_demo.outboxDepth("HS1") == 0; }, 30s));
    }

    void cleanupTestCase()
    {
        makeWritable(); // else neither the agent nor QTemporaryDir could remove the files
        (void)m_demo.stop();
    }

    void readOnlyDatabaseRefusesChangesAcknowledgesNothingAndRecovers()
    {
        const std::set<std::string> before = appliedIds(agent("HOST1"));
        for (const char *name : {"agent.db", "agent.db-wal"}) {
            const std::string file = m_demo.path() + "/DC1/" + name;
            QVERIFY2(std::filesystem::exists(file), file.c_str());
            const int error = setImmutable(file, true);
            QVERIFY2(error == 0, std::strerror(error));
            m_immutable.push_back(file);
        }

        // Every change is refused, saying what failed and where, and the agent keeps answering.
        std::vector<Change> made;
        for (int i = 2; i <= 6; ++i) {
            const std::string password = "RDONLY0" + std::to_string(i);
            auto refused = m_demo.passwd(i, password);
            QVERIFY2(!refused.ok(), "a change was acknowledged while its database was read-only");
            const std::string message = refused.error().message;
            if (i == 2)
                qInfo("refused: %s", message.c_str());
            QVERIFY2(message.find("not stored") != std::string::npos, message.c_str());
            QVERIFY2(message.find("agent.db") != std::string::npos, message.c_str());
            QVERIFY2(message.find("Operation not permitted") != std::string::npos, message.c_str());
            QVERIFY2(message.find("RDONLY") == std::string::npos, "the error names a password");
            QVERIFY(agent("DC1").health().ok());
            made.push_back({i, password, {}});
        }
        QCOMPARE(m_demo.outboxDepth("DC1"), 0);
        // Reads still work: DC1 answers an SSO look-up.
        auto lookup = agent("DC1").post("/v1/sso", {{"account", user(1)}});
        QVERIFY2(lookup.ok(), lookup.ok() ? "" : lookup.error().message.c_str());

        // A host-initiated change reaches DC1 as a delivery from HS1, which DC1 cannot store:
        // it must refuse it, so HS1 keeps it and retries.
        auto hostChange = agent("HOST1").post(
            "/v1/host/passwd", {{"host_account", hostUser(7)}, {"password", "HOSTRO07"}});
        QVERIFY2(hostChange.ok(), hostChange.ok() ? "" : hostChange.error().message.c_str());
        const std::string hostChangeId = (*hostChange)["change_id"];
        json refusedDelivery;
        QVERIFY2(waitFor(
                     [&] {
                         refusedDelivery = pendingForDc1(hostChangeId);
                         return refusedDelivery.is_object() &&
                                refusedDelivery["attempts"].get<int>() >= 2;
                     },
                     15s),
                 "HS1 did not try to deliver the host's change to DC1 twice");
        const std::string why = refusedDelivery["last_message"];
        qInfo("HS1's delivery refused by DC1: %s", why.c_str());
        QVERIFY2(why.find("cannot store") != std::string::npos, why.c_str());
        QVERIFY2(why.find("HOSTRO07") == std::string::npos, "the error names a password");
        QCOMPARE(domainUpdates(hostChangeId), 0);

        // Writable again: the agent takes and delivers changes by itself, and takes HS1's.
        makeWritable();
        const auto healed = std::chrono::steady_clock::now();
        for (int i = 2; i <= 6; ++i) {
            const std::string password = "AFTER00" + std::to_string(i);
            auto accepted = m_demo.passwd(i, password);
            QVERIFY2(accepted.ok(), accepted.ok() ? "" : accepted.error().message.c_str());
            made.push_back({i, password, (*accepted)["change_id"]});
        }
        QVERIFY2(
            waitFor(
                [&] { return m_demo.outboxDepth("DC1") == 0 && m_demo.outboxDepth("HS1") == 0; },
                15s),
            "the outboxes did not drain after the database was writable again");
        qInfo("outboxes drained %lld ms after the database was writable again",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - healed)
                                         .count()));
        QCOMPARE(domainUpdates(hostChangeId), 1);
        std::string summary;
        const std::string problem = checkHistory(agent("HOST1"), made, before, Users, &summary);
        QVERIFY2(problem.empty(), problem.c_str());
        qInfo("%s", summary.c_str());
        for (int i = 2; i <= 6; ++i)
            QVERIFY2(!hostLogon(agent("HOST1"), i, "RDONLY0" + std::to_string(i)),
                     "a refused change reached the host");
        QVERIFY(hostLogon(agent("HOST1"), 1, "BEFORE01"));
        QVERIFY(hostLogon(agent("HOST1"), 7, "HOSTRO07"));

        // And every database of the domain is intact.
        const std::string damaged = m_demo.stopAndCheckIntegrity(4);
        QVERIFY2(damaged.empty(), damaged.c_str());
    }
};

QTEST_GUILESS_MAIN(tst_ReadOnlyDb)
#include "tst_readonlydb.moc"
