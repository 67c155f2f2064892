// Why: a host-initiated password change must never be made on the host without reaching the
// caches and the domain side, or SSO hands out a password the host no longer takes. The agent
// queues the change durably before the host applies it, and the host records it under the
// queued entry's seq in the transaction that sets the password. After a crash between the two
// (kill -9), the queue can hold a change the host never made: that entry must be dropped, not
// sent, while a change the host did make stays queued for the primary cache.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "agent/agent.h"
#include "agent/agentstore.h"
#include "agent/config.h"
#include "agent/simulatedhost.h"
#include "client/agentclient.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

using namespace hostsec;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Waits for `condition` with a deadline, polling briefly; never a blind sleep.
bool waitFor(const std::function<bool()> &condition, std::chrono::milliseconds deadline)
{
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
        if (condition())
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

// HOST1 in-process on its own I/O thread, with a primary cache HS1 that is never up: every
// host-initiated change stays in the outbox, where the test can see it.
class RunningHost
{
public:
    explicit RunningHost(const std::string &dataDir)
    {
        const std::string text = "[server]\nname = \"HOST1\"\nlisten = \"127.0.0.1:0\"\n"
                                 "data_dir = \"" +
                                 dataDir +
                                 "\"\n[services]\nhost = true\n[outbox]\nretry_ms = 50\n"
                                 "[[peer]]\nname = \"HS1\"\naddress = \"127.0.0.1:1\"\n"
                                 "services = [\"host-account-sync:primary\"]\n"
                                 "[demo]\nusers = 3\n[tls]\nplaintext = true\n";
        auto config = AgentConfig::parse(text, dataDir + "/hostsecd.toml");
        if (!config) {
            m_problem = config.error().message;
            return;
        }
        m_agent = std::make_unique<Agent>(m_io, std::move(*config));
        if (auto started = m_agent->start(); !started) {
            m_problem = started.error().message;
            return;
        }
        m_thread = std::thread([this] { m_io.run(); });
    }

    ~RunningHost()
    {
        if (m_thread.joinable()) {
            boost::asio::post(m_io, [this] {
                m_agent->stop();
                m_io.stop();
            });
            m_thread.join();
        }
    }

    const std::string &problem() const { return m_problem; }
    client::AgentClient api() const
    {
        return client::AgentClient({"127.0.0.1", m_agent->port()}, 10s);
    }

private:
    boost::asio::io_context m_io{1};
    std::unique_ptr<Agent> m_agent;
    std::thread m_thread;
    std::string m_problem;
};

json outbox(const RunningHost &host)
{
    auto o = host.api().get("/v1/outbox");
    return o ? (*o)["pending"] : json();
}

} // namespace

class tst_HostChange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unappliedChangeIsDroppedAppliedOneIsKept();
    void refusedChangeLeavesNothingQueued();
};

void tst_HostChange::unappliedChangeIsDroppedAppliedOneIsKept()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    std::string applied;
    {
        RunningHost host(data);
        QVERIFY2(host.problem().empty(), host.problem().c_str());
        auto answer = host.api().post("/v1/host/passwd",
                                      {{"host_account", "user0001"}, {"password", "NEWPW1"}});
        QVERIFY2(answer, answer ? "" : answer.error().message.c_str());
        QCOMPARE((*answer)["state"].get<std::string>(), std::string("applied"));
        applied = (*answer)["change_id"];
        QCOMPARE(outbox(host).size(), std::size_t{1});
    }

    // The state a kill -9 between queueing and applying leaves: a queued change for USER0002
    // that the host has no record of.
    std::string sender;
    {
        auto store = AgentStore::open(data + "/agent.db");
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        sender = "HOST1:" + (*store)->storeId();
        const auto pending = (*store)->pending();
        QCOMPARE(pending.size(), std::size_t{1});
        auto simulated = SimulatedHost::open(data + "/host.db");
        QVERIFY(simulated);
        auto made = (*simulated)->changeApplied(sender, pending.front().seq);
        QVERIFY(made && *made);

        OutboxEntry phantom;
        phantom.changeId = "HOST1-999";
        phantom.kind = ChangeKind::HostChange;
        phantom.hostAccount = "USER0002";
        phantom.target = "HS1";
        phantom.origin = "HOST1";
        (*store)->enqueue(phantom);
        QCOMPARE((*store)->depth(), std::int64_t{2});
    }

    RunningHost restarted(data);
    QVERIFY2(restarted.problem().empty(), restarted.problem().c_str());
    QVERIFY2(waitFor([&] { return outbox(restarted).size() == 1; }, 10s),
             outbox(restarted).dump().c_str());
    const json kept = outbox(restarted).front();
    QCOMPARE(kept["change_id"].get<std::string>(), applied);
    QCOMPARE(kept["host_account"].get<std::string>(), std::string("USER0001"));
    // The host really has the change that stayed queued.
    QVERIFY(restarted.api().post("/v1/host/logon",
                                 {{"host_account", "USER0001"}, {"password", "NEWPW1"}}));
}

void tst_HostChange::refusedChangeLeavesNothingQueued()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RunningHost host(dir.path().toStdString());
    QVERIFY2(host.problem().empty(), host.problem().c_str());
    // The demo's initial password again: the host's history refuses it.
    auto refused = host.api().post("/v1/host/passwd",
                                   {{"host_account", "USER0003"}, {"password", "INIT0003"}});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, static_cast<int>(rpc::PasswordRestriction));
    QVERIFY2(refused.error().message.find("INIT0003") == std::string::npos,
             "a refusal showed the password");
    QCOMPARE(outbox(host).size(), std::size_t{0});
}

QTEST_APPLESS_MAIN(tst_HostChange)
#include "tst_hostchange.moc"
