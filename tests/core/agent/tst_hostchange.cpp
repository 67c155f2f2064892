// Why: a host-initiated password change must never be made on the host without reaching the
// caches and the domain side, or SSO hands out a password the host no longer takes. The agent
// queues the change durably before the host applies it, and the host records it under the
// queued entry's seq in the transaction that sets the password. After a crash between the two
// (kill -9), the queue can hold a change the host never made: that entry must be dropped, not
// sent, while a change the host did make stays queued for the primary cache.
// The host also commits a domain-side change before it raises 702 ("applied"): killed between
// the two, it has applied the change without saying so. The sender, never answered, delivers it
// again; that duplicate must raise the missing 702, once, so the history (what operators and
// the fault tests' history checker read) says every applied change was applied. Found by
// ./dev soak: one change in 5,300 under recycles had no 702.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "inprocessagent.h"

#include "agent/agent.h"
#include "agent/agentstore.h"
#include "agent/config.h"
#include "agent/simulatedhost.h"
#include "client/agentclient.h"
#include "events/catalogue.h"
#include "model/domain.h"
#include "net/transport.h"
#include "protocol/bindhandshake.h"

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

// HOST1 in-process, with a primary cache HS1 that is never up: every host-initiated change
// stays in the outbox, where the test can see it.
class RunningHost : public testing::InProcessAgent
{
public:
    explicit RunningHost(const std::string &dataDir)
        : InProcessAgent("[server]\nname = \"HOST1\"\nlisten = \"127.0.0.1:0\"\n"
                         "data_dir = \"" +
                             dataDir +
                             "\"\n[services]\nhost = true\n[outbox]\nretry_ms = 50\n"
                             "[[peer]]\nname = \"HS1\"\naddress = \"127.0.0.1:1\"\n"
                             "services = [\"host-account-sync:primary\"]\n"
                             "[demo]\nusers = 3\n[tls]\nplaintext = true\n",
                         dataDir)
    {}
};

// One JSON-RPC call on a binding to `host`'s host service, as HS1 makes it: bind, then `method`.
// The call's result, or its error.
Result<json> callHost(const RunningHost &host, const std::string &method, const json &params)
{
    boost::asio::io_context io;
    std::optional<Result<json>> answer;
    std::shared_ptr<net::WebSocket> socket;
    net::WebSocketCallbacks callbacks;
    callbacks.onMessage = [&](const std::string &text) {
        const json j = json::parse(text, nullptr, false);
        if (j.value("id", 0) == 1) { // the bind: now the call
            socket->send(
                json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", method}, {"params", params}}.dump());
            return;
        }
        answer = j.contains("error")
                     ? Result<json>(Error{j["error"]["code"].get<int>(), j["error"]["message"]})
                     : Result<json>(j["result"]);
    };
    callbacks.onClose = [&](const Error &why) {
        if (!answer)
            answer = Result<json>(why);
    };
    const BindRequest bind{std::string(interfaceUuid(ServiceKind::Host)), "host", "HS1",
                           "host-account-sync", "test-instance"};
    net::connectWebSocket(
        io, {"127.0.0.1", host.api().endpoint().port}, "/v1/rpc", {}, callbacks,
        [&](Result<std::shared_ptr<net::WebSocket>> s) {
            if (!s) {
                answer = Result<json>(s.error());
                return;
            }
            socket = *s;
            socket->send(json{
                {"jsonrpc", "2.0"}, {"id", 1}, {"method", "bind"}, {"params", bindParamsJson(bind)}}
                             .dump());
        });
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (!answer && std::chrono::steady_clock::now() < end)
        io.run_for(50ms);
    if (socket)
        socket->close();
    io.run_for(100ms);
    return answer.value_or(Result<json>(Error{0x5B4, "no answer within 10 s"}));
}

// How many 702 ("applied") events `host` holds for change `changeId`.
int appliedEvents(const RunningHost &host, const std::string &changeId)
{
    auto page = host.api().get("/v1/events?id=702&limit=1000");
    int n = 0;
    if (page) {
        for (const json &e : (*page)["events"])
            n += e["params"][0] == changeId;
    }
    return n;
}

// How many events `ids` (an /v1/events id filter) `host` holds whose first param is
// `changeId`; all of them for an empty `changeId`.
int eventsFor(const RunningHost &host, const std::string &ids, const std::string &changeId)
{
    auto page = host.api().get("/v1/events?limit=1000&id=" + ids);
    int n = 0;
    if (page) {
        for (const json &e : (*page)["events"])
            n += changeId.empty() || e["params"][0] == changeId;
    }
    return n;
}

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
    void changeAppliedBeforeACrashIsReportedAppliedOnRedelivery();
    void eventsOfAChangeTheHostMadeAreRaisedOnceAndOfOneItDidNotNever();
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
    // Nor a 706 ("host-initiated change") or a journaled event for a change never made.
    QCOMPARE(eventsFor(host, "706", ""), 0);
    QCOMPARE(testing::journalSize(dir.path().toStdString()), std::size_t{0});
}

void tst_HostChange::changeAppliedBeforeACrashIsReportedAppliedOnRedelivery()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    const std::string sender = "HS1:0123456789abcdef";
    auto change = [&](std::int64_t seq, const std::string &password) {
        return json{{"kind", "domain-change"},
                    {"sender", sender},
                    {"sender_seq", seq},
                    {"change_id", "HS1-" + std::to_string(seq)},
                    {"account", "CONTOSO\\user0001"},
                    {"host_account", "USER0001"},
                    {"password", password}};
    };
    {
        RunningHost first(data); // creates host.db with the demo users
        QVERIFY2(first.problem().empty(), first.problem().c_str());
    }
    // What a kill -9 between the host's commit and its 702 leaves: the change applied, no event.
    {
        auto simulated = SimulatedHost::open(data + "/host.db");
        QVERIFY(simulated);
        auto applied = (*simulated)->applyChange("USER0001", "NEWPW7", sender, 7);
        QVERIFY2(applied && *applied, applied ? "" : applied.error().message.c_str());
    }
    RunningHost host(data);
    QVERIFY2(host.problem().empty(), host.problem().c_str());
    QCOMPARE(appliedEvents(host, "HS1-7"), 0);

    auto again = callHost(host, "deliver_change", change(7, "NEWPW7"));
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE((*again)["status"].get<std::string>(), std::string("duplicate"));
    QCOMPARE(appliedEvents(host, "HS1-7"), 1);
    // A third delivery finds the 702 and raises no second one.
    QVERIFY(callHost(host, "deliver_change", change(7, "NEWPW7")));
    QCOMPARE(appliedEvents(host, "HS1-7"), 1);

    // A change applied the ordinary way has its 702 at once, and a duplicate adds none.
    auto fresh = callHost(host, "deliver_change", change(8, "NEWPW8"));
    QVERIFY2(fresh, fresh ? "" : fresh.error().message.c_str());
    QCOMPARE((*fresh)["status"].get<std::string>(), std::string("applied"));
    QCOMPARE(appliedEvents(host, "HS1-8"), 1);
    QVERIFY(callHost(host, "deliver_change", change(8, "NEWPW8")));
    QCOMPARE(appliedEvents(host, "HS1-8"), 1);
    QVERIFY(
        host.api().post("/v1/host/logon", {{"host_account", "USER0001"}, {"password", "NEWPW8"}}));
}

void tst_HostChange::eventsOfAChangeTheHostMadeAreRaisedOnceAndOfOneItDidNotNever()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    {
        RunningHost first(data); // creates the databases with the demo users
        QVERIFY2(first.problem().empty(), first.problem().c_str());
    }
    // What two kills leave, each after the outbox's commit (entry and journaled 706 and 700):
    // HOST1-501 after the host made the change, HOST1-502 before.
    {
        auto store = AgentStore::open(data + "/agent.db");
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        const std::string sender = "HOST1:" + (*store)->storeId();
        auto simulated = SimulatedHost::open(data + "/host.db");
        QVERIFY(simulated);
        const Millis at = nowMillis() - 1000;
        for (const auto &[id, user] : {std::pair<std::string, std::string>{"HOST1-501", "USER0001"},
                                       {"HOST1-502", "USER0002"}}) {
            store::Transaction tx((*store)->db(), "the test's crash state");
            OutboxEntry e;
            e.changeId = id;
            e.kind = ChangeKind::HostChange;
            e.hostAccount = user;
            e.target = "HS1";
            e.origin = "HOST1";
            (*store)->enqueue(e);
            (*store)->journalEvent(at, ev::HostInitiatedChange, {id, user});
            (*store)->journalEvent(at, ev::ChangeQueued, {id, user, "HS1"});
            tx.commit();
            if (id == "HOST1-501") {
                auto made = (*simulated)->applyChange(user, "NEWPW501", sender, e.seq);
                QVERIFY2(made && *made, made ? "" : made.error().message.c_str());
            }
        }
    }
    for (int start = 0; start < 2; ++start) {
        RunningHost host(data);
        QVERIFY2(host.problem().empty(), host.problem().c_str());
        QCOMPARE(eventsFor(host, "706", "HOST1-501"), 1);
        QCOMPARE(eventsFor(host, "700", "HOST1-501"), 1);
        QCOMPARE(eventsFor(host, "706,700", "HOST1-502"), 0);
        QCOMPARE(outbox(host).size(), std::size_t{1});
    }
    QCOMPARE(testing::journalSize(data), std::size_t{0});
}

QTEST_APPLESS_MAIN(tst_HostChange)
#include "tst_hostchange.moc"
