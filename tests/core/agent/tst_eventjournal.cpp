// An agent commits a change, then writes the events the change raises (700 queued, 701
// forwarded, 707 cache updated, ...) to its event log, a second database. A kill -9 between the
// two used to lose those events: the change was safe, its line in the history was not. The
// events are now journaled in the change's transaction and raised after it; what the journal
// still holds at the next start is raised then, once, with its own time, unless the log has it.
// The test recreates both crash states in the agent's own files, then starts the real agent.

#include "inprocessagent.h"
#include "integration/immutable.h"

#include "agent/agent.h"
#include "agent/agentstore.h"
#include "agent/config.h"
#include "client/agentclient.h"
#include "events/catalogue.h"
#include "events/eventstore.h"
#include "model/time.h"
#include "store/database.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>
#include <thread>

using namespace hostsec;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// DC1 in-process, with a primary cache HS1 that is never up: a change stays queued.
class RunningDc : public testing::InProcessAgent
{
public:
    explicit RunningDc(const std::string &dataDir)
        : InProcessAgent("[server]\nname = \"DC1\"\nlisten = \"127.0.0.1:0\"\n"
                         "data_dir = \"" +
                             dataDir +
                             "\"\n[services]\ndomain_account_sync = true\n"
                             "host_account_sync = \"none\"\n[outbox]\nretry_ms = 50\n"
                             "[[peer]]\nname = \"HS1\"\naddress = \"127.0.0.1:1\"\n"
                             "services = [\"host-account-sync:primary\"]\n"
                             "[demo]\nusers = 3\n[tls]\nplaintext = true\n",
                         dataDir)
    {}
};

// The 700 ("queued") events the agent's log holds for change `changeId`.
std::vector<json> queuedEvents(const RunningDc &dc, const std::string &changeId)
{
    std::vector<json> out;
    if (auto page = dc.api().get("/v1/events?id=700&limit=1000")) {
        for (const json &e : (*page)["events"]) {
            if (e["params"][0] == changeId)
                out.push_back(e);
        }
    }
    return out;
}

} // namespace

class tst_EventJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsOfACommittedChangeAreRaisedAtTheNextStartOnce();
    void anOrdinaryChangeRaisesItsEventsOnceAcrossRestarts();
    void eventsTheLogRefusedAreRaisedAfterTheNextChange();
};

void tst_EventJournal::eventsOfACommittedChangeAreRaisedAtTheNextStartOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    {
        RunningDc first(data); // creates agent.db and events.db
        QVERIFY2(first.problem().empty(), first.problem().c_str());
    }
    // What two kills leave: DC1-77's change committed with its 700 journaled, killed before the
    // log; DC1-78's the same, killed after the log took the 700 and before it was forgotten.
    const Millis crashTime = nowMillis() - 60'000; // a minute ago: within the log's retention
    const std::vector<std::string> lost = {"DC1-77", "CONTOSO\\user0001", "HS1"};
    const std::vector<std::string> logged = {"DC1-78", "CONTOSO\\user0002", "HS1"};
    {
        auto store = AgentStore::open(data + "/agent.db");
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        store::Transaction tx((*store)->db(), "the test's crash state");
        (*store)->journalEvent(crashTime, ev::ChangeQueued, lost);
        (*store)->journalEvent(crashTime + 5, ev::ChangeQueued, logged);
        tx.commit();
        auto events = EventStore::open(data + "/events.db");
        QVERIFY2(events, events ? "" : events.error().message.c_str());
        Event e = makeEvent(ev::ChangeQueued, "DC1", logged, crashTime + 5);
        QVERIFY((*events)->append(e));
    }

    for (int start = 0; start < 2; ++start) {
        RunningDc dc(data);
        QVERIFY2(dc.problem().empty(), dc.problem().c_str());
        const auto lostNow = queuedEvents(dc, "DC1-77");
        QCOMPARE(lostNow.size(), std::size_t(1));
        QCOMPARE(lostNow.front()["params"].get<std::vector<std::string>>(), lost);
        // Its own time, not the restart's: the history reads in the order things happened.
        QCOMPARE(parseIsoTime(lostNow.front()["time"].get<std::string>()), crashTime);
        QCOMPARE(queuedEvents(dc, "DC1-78").size(), std::size_t(1));
    }
    QCOMPARE(testing::journalSize(data), std::size_t(0));
}

void tst_EventJournal::anOrdinaryChangeRaisesItsEventsOnceAcrossRestarts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    std::vector<std::string> ids;
    {
        RunningDc dc(data);
        QVERIFY2(dc.problem().empty(), dc.problem().c_str());
        for (int i = 1; i <= 3; ++i) {
            auto queued =
                dc.api().post("/v1/passwd", {{"account", "CONTOSO\\user000" + std::to_string(i)},
                                             {"password", "Canary#7x"}});
            QVERIFY2(queued, queued ? "" : queued.error().message.c_str());
            ids.push_back((*queued)["change_id"].get<std::string>());
        }
        for (const std::string &id : ids)
            QCOMPARE(queuedEvents(dc, id).size(), std::size_t(1));
    }
    // Each change's transaction forgot the events raised before it; the last one's 700 is
    // still journaled (nothing came after it), and the next start finds it in the log.
    QVERIFY2(testing::journalSize(data) <= 1, std::to_string(testing::journalSize(data)).c_str());
    {
        RunningDc dc(data);
        QVERIFY2(dc.problem().empty(), dc.problem().c_str());
        for (const std::string &id : ids)
            QCOMPARE(queuedEvents(dc, id).size(), std::size_t(1));
    }
    QCOMPARE(testing::journalSize(data), std::size_t(0));
}

void tst_EventJournal::eventsTheLogRefusedAreRaisedAfterTheNextChange()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string data = dir.path().toStdString();
    if (const std::string why = testing::immutableHoldsIn(data); !why.empty())
        QSKIP(why.c_str());
    auto dc = std::make_unique<RunningDc>(data);
    QVERIFY2(dc->problem().empty(), dc->problem().c_str());
    auto change = [&](const char *account) {
        auto queued =
            dc->api().post("/v1/passwd", {{"account", account}, {"password", "Canary#7x"}});
        if (!queued)
            qFatal("%s", queued.error().message.c_str());
        return (*queued)["change_id"].get<std::string>();
    };
    const std::string before = change("CONTOSO\\user0001");

    // The event log refuses every write for a while (events.db and its WAL immutable; the
    // agent's own database still takes the change).
    const std::vector<std::string> logFiles = {data + "/events.db", data + "/events.db-wal"};
    auto writable = qScopeGuard([&] {
        for (const std::string &f : logFiles)
            (void)testing::setImmutable(f, false);
    });
    for (const std::string &f : logFiles)
        QCOMPARE(testing::setImmutable(f, true), 0);
    const std::string refused = change("CONTOSO\\user0002");
    QCOMPARE(queuedEvents(*dc, refused).size(), std::size_t(0));
    writable.dismiss();
    for (const std::string &f : logFiles)
        QCOMPARE(testing::setImmutable(f, false), 0);

    // The next change raises the refused event too, without a restart.
    const std::string after = change("CONTOSO\\user0003");
    const std::string last = change("CONTOSO\\user0001");
    for (const std::string &id : {before, refused, after, last})
        QCOMPARE(queuedEvents(*dc, id).size(), std::size_t(1));
    QCOMPARE(queuedEvents(*dc, refused).front()["params"][1].get<std::string>(),
             std::string("CONTOSO\\user0002"));
    // The operator's audit record of the refused change (900, no change transaction carries
    // it) is not lost either.
    std::size_t audited = 0;
    if (auto page = dc->api().get("/v1/events?id=900&limit=1000")) {
        for (const json &e : (*page)["events"])
            audited += e["params"][1] == "password change" && e["params"][2] == "CONTOSO\\user0002";
    }
    QCOMPARE(audited, std::size_t(1));
    // Each change forgot what was logged before it: the journal holds the last change's 700
    // only, not everything since the refusal.
    dc.reset();
    QVERIFY2(testing::journalSize(data) <= 1, std::to_string(testing::journalSize(data)).c_str());
}

QTEST_APPLESS_MAIN(tst_EventJournal)
#include "tst_eventjournal.moc"
