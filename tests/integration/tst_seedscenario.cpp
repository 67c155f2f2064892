// Why: this is the Q216558 failure end to end, with real agent processes on loopback. Recycling
// HS1 (kill -9, restart) must not lose a password change made while it was down, SSO must keep
// working through the backup cache, auto bindings must come back by themselves, HS2's manual
// binding must stay stale until an operator rebinds it, and every change must be applied on
// the host exactly once, even when the receiver dies in the middle of a burst.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

class tst_SeedScenario : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    Profile m_profile;

    AgentClient agent(const std::string &name)
    {
        return AgentClient(m_profile.agent(name)->endpoint, 10s);
    }

    json bindings(const std::string &server)
    {
        auto b = agent(server).get("/v1/bindings");
        return b ? (*b)["bindings"] : json::array();
    }

    std::string stateOf(const std::string &server, const std::string &id)
    {
        for (const json &b : bindings(server)) {
            if (b["id"] == id)
                return b["state"];
        }
        return "missing";
    }

    bool allBound()
    {
        int bound = 0;
        for (const char *s : DemoDomain::Servers) {
            for (const json &b : bindings(s))
                bound += b["state"] == "bound";
        }
        return bound == 7;
    }

    std::int64_t outboxDepth()
    {
        std::int64_t depth = 0;
        for (const char *s : DemoDomain::Servers) {
            auto o = agent(s).get("/v1/outbox");
            if (!o)
                return -1;
            depth += (*o)["depth"].get<std::int64_t>();
        }
        return depth;
    }

    bool hostLogon(int i, const std::string &password)
    {
        return agent("HOST1")
            .post("/v1/host/logon", {{"host_account", hostUser(i)}, {"password", password}})
            .ok();
    }

    std::vector<json> events(const std::string &server, const std::string &ids)
    {
        return allEvents(agent(server), ids);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.path().toStdString() + "/demo";
        auto made = DemoDomain::init(m_path, 40);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto started = DemoDomain::start(m_path, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        auto profile = Profile::load(m_path + "/profile.json");
        QVERIFY(profile.ok());
        m_profile = *profile;
        QVERIFY2(waitFor([&] { return allBound(); }, 20s), "the 7 bindings never all bound");
    }

    void cleanupTestCase() { (void)DemoDomain::stop(m_path); }

    void recycledPrimaryLosesNothing()
    {
        // Before: changes flow to the host.
        for (int i = 1; i <= 3; ++i) {
            auto r = agent("DC1").post(
                "/v1/passwd", {{"account", user(i)}, {"password", "BEFORE" + std::to_string(i)}});
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        }
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 20s));
        for (int i = 1; i <= 3; ++i)
            QVERIFY(hostLogon(i, "BEFORE" + std::to_string(i)));

        // HS1 goes down as a crash would.
        QVERIFY(DemoDomain::kill(m_path, "HS1").ok());
        const std::string dcToHs1 = "DC1/domain-account-sync->HS1/host-account-sync";
        const std::string hs2ToHs1 = "HS2/host-account-sync->HS1/host-account-sync";
        const std::string hostToHs1 = "HOST1/host->HS1/host-account-sync";
        QVERIFY(waitFor([&] { return stateOf("DC1", dcToHs1) != "bound"; }, 5s));

        // Changes made while it is down are acknowledged (durable) and wait.
        std::map<int, std::string> during;
        for (int i = 4; i <= 8; ++i) {
            during[i] = "DOWN" + std::to_string(i);
            auto r =
                agent("DC1").post("/v1/passwd", {{"account", user(i)}, {"password", during[i]}});
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            QVERIFY((*r)["state"] == "queued");
        }
        // SSO keeps working through the backup cache.
        auto sso = agent("DC1").post("/v1/sso", {{"account", user(1)}});
        QVERIFY2(sso.ok(), sso.ok() ? "" : sso.error().message.c_str());
        QVERIFY2((*sso)["served_by"] == "HS2", sso->dump().c_str());
        QVERIFY(hostLogon(1, (*sso)["credential"].get<std::string>()));
        // The domain controller reports the RPC failure as the seed article's event 630.
        QVERIFY(waitFor([&] { return !events("DC1", "630").empty(); }, 10s));

        // HS1 comes back: auto bindings rebind by themselves, HS2's manual one stays stale.
        QVERIFY(DemoDomain::start(m_path, 30s).ok());
        QVERIFY2(waitFor(
                     [&] {
                         return stateOf("DC1", dcToHs1) == "bound" &&
                                stateOf("HOST1", hostToHs1) == "bound";
                     },
                     15s),
                 "auto bindings did not rebind");
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 30s));
        QCOMPARE(stateOf("HS2", hs2ToHs1), std::string("stale"));
        for (const auto &[i, password] : during)
            QVERIFY2(hostLogon(i, password), user(i).c_str());

        // Still stale a while later: only an operator rebinds it.
        QVERIFY(!waitFor([&] { return stateOf("HS2", hs2ToHs1) == "bound"; }, 1500ms));
        auto rebind = agent("HS2").post("/v1/rebind", {{"binding", hs2ToHs1}});
        QVERIFY2(rebind.ok(), rebind.ok() ? "" : rebind.error().message.c_str());
        QVERIFY(waitFor([&] { return stateOf("HS2", hs2ToHs1) == "bound"; }, 10s));

        // Each change applied on the host exactly once.
        std::map<std::string, int> applied;
        for (const json &e : events("HOST1", "702"))
            ++applied[e["params"][0].get<std::string>()];
        QCOMPARE(applied.size(), std::size_t{8});
        for (const auto &[change, times] : applied)
            QVERIFY2(times == 1, change.c_str());

        // SSO with each user's newest password logs on to the host (sso --logon).
        for (int i = 1; i <= 8; ++i) {
            auto answer = agent("DC1").post("/v1/sso", {{"account", user(i)}});
            QVERIFY(answer.ok());
            QVERIFY2(hostLogon(i, (*answer)["credential"].get<std::string>()), user(i).c_str());
        }
        // The binding events were raised along the way.
        QVERIFY(!events("DC1", "601").empty());
        QVERIFY(!events("DC1", "603").empty());
        QVERIFY(!events("HS2", "607").empty());
    }

    void receiverKilledMidBurstAppliesEachChangeOnce()
    {
        // 1000 changes over 20 users, each password new (the host refuses the last 8).
        constexpr int kChanges = 1000;
        constexpr int kUsers = 20;
        std::map<int, std::string> newest;
        const auto before = events("HOST1", "702").size();
        bool killed = false;
        for (int n = 0; n < kChanges; ++n) {
            const int i = 11 + n % kUsers;
            char password[16];
            std::snprintf(password, sizeof password, "K%07d", n);
            newest[i] = password;
            auto r =
                agent("DC1").post("/v1/passwd", {{"account", user(i)}, {"password", password}});
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            if (!killed && n == kChanges / 3) {
                QVERIFY(DemoDomain::kill(m_path, "HS1").ok());
                killed = true;
            }
            if (n == kChanges / 2)
                QVERIFY(DemoDomain::start(m_path, 30s).ok());
        }
        QVERIFY2(waitFor([&] { return outboxDepth() == 0; }, 240s), "outboxes never drained");
        std::map<std::string, int> applied;
        for (const json &e : events("HOST1", "702"))
            ++applied[e["params"][0].get<std::string>()];
        QCOMPARE(applied.size(), before + kChanges);
        for (const auto &[change, times] : applied)
            QVERIFY2(times == 1, change.c_str());
        for (const auto &[i, password] : newest)
            QVERIFY2(hostLogon(i, password), user(i).c_str());
    }

    void noCacheReachableRaises401()
    {
        QVERIFY(DemoDomain::kill(m_path, "HS1").ok());
        QVERIFY(DemoDomain::kill(m_path, "HS2").ok());
        auto sso = agent("DC1").post("/v1/sso", {{"account", user(1)}});
        QVERIFY(!sso.ok());
        QCOMPARE(sso.error().code, 0x6BA);
        auto found = events("DC1", "401");
        QVERIFY(!found.empty());
        QVERIFY(found.back()["message"].get<std::string>().find(
                    "failed to communicate with the host account cache for host domain HOSTDOM") !=
                std::string::npos);
        QVERIFY(DemoDomain::start(m_path, 30s).ok());
    }
};

QTEST_GUILESS_MAIN(tst_SeedScenario)
#include "tst_seedscenario.moc"
