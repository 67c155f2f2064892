// The session bridge against fake agents (our own HttpServer answering the admin API), so its
// polling, watch streams, history backfill by cursor, reconnect with backoff and actions are
// tested without hostsecd. tst_mainwindow repeats the important paths against real agents.

#include <utility> // before Asio: Boost 1.74's awaitable.hpp forgets it

#include "events/eventstore.h"
#include "net/transport.h"
#include "ui/session.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <mutex>
#include <thread>

using namespace hostsec;
using namespace hostsec::ui;
using json = nlohmann::json;

namespace {

std::string iso(int second)
{
    return "2026-11-25T21:25:" + std::string(second < 10 ? "0" : "") + std::to_string(second) +
           ".000Z";
}

json status(const std::string &name, const std::string &kind, const std::string &role,
            const std::string &cacheRole, const std::string &instance)
{
    return {{"server", name},
            {"domain", "CONTOSO"},
            {"host_domain", "HOSTDOM"},
            {"services", json::array({{{"kind", kind}, {"cache_role", cacheRole}}})},
            {"role", role},
            {"instance_id", instance},
            {"version", "0.1.0"},
            {"started_at", iso(1)},
            {"uptime_ms", 5000},
            {"address", "127.0.0.1:1"},
            {"pid", 1},
            {"outbox_depth", 2},
            {"last_event_seq", 0},
            {"certificate",
             {{"name", name},
              {"serial", "0A1B"},
              {"fingerprint", "sha256:00"},
              {"not_after", "2027-01-01T00:00:00.000Z"}}}};
}

json statusObject(std::uint32_t code)
{
    return {{"code", code}, {"hex", "0x0"}, {"name", "X"}, {"text", "x"}};
}

json bindingJson(const std::string &from, const std::string &to, const std::string &state)
{
    const std::string id = from + "/domain-account-sync->" + to + "/host-account-sync";
    return {{"id", id},
            {"from_server", from},
            {"from_service", "domain-account-sync"},
            {"to_server", to},
            {"to_service", "host-account-sync"},
            {"interface", "dc76dcd0-c084-11cf-a65e-0020afc28c52"},
            {"protseq", "ncacn_ip_tcp"},
            {"endpoint", "127.0.0.1:1"},
            {"state", state},
            {"policy", "manual"},
            {"last_error", statusObject(state == "stale" ? 0x6BE : 0)},
            {"last_success", iso(2)},
            {"last_failure", nullptr},
            {"consecutive_failures", 0},
            {"peer_instance", "i1"},
            {"timeline", json::array()}};
}

json eventJson(const std::string &server, std::int64_t seq)
{
    return {{"seq", seq},
            {"time", iso(static_cast<int>(seq % 50))},
            {"server", server},
            {"source", "binding"},
            {"id", 601},
            {"severity", "warning"},
            {"params", json::array({"x", "peer instance changed"})},
            {"message", "Binding x is stale: peer instance changed."}};
}

/// One fake hostsecd: answers the admin API from a few fields, records what it was asked.
class FakeAgent
{
public:
    FakeAgent(net::IoContext &io, std::string name, json status)
        : m_io(io)
        , m_name(std::move(name))
        , m_status(std::move(status))
    {}

    void listen(std::uint16_t port = 0)
    {
        m_server = std::make_unique<net::HttpServer>(m_io);
        m_server->setHttpHandler(
            [this](const net::HttpRequest &r, net::Responder respond) { respond(handle(r)); });
        m_server->setWebSocketHandler("/v1/watch", [this](const net::HttpRequest &r) {
            net::WebSocketAccept a;
            a.accept = true;
            const std::int64_t after = std::stoll(r.queryValue("after", "0"));
            {
                std::lock_guard lock(m_mutex);
                m_watchTargets.push_back(r.target);
            }
            a.onOpen = [this, after](std::shared_ptr<net::WebSocket> ws) {
                std::lock_guard lock(m_mutex);
                ws->send(json({{"type", "status"}, {"status", m_status}}).dump());
                for (const json &e : m_events) {
                    if (e["seq"].get<std::int64_t>() > after)
                        ws->send(json({{"type", "event"}, {"event", e}}).dump());
                }
                m_watchers.push_back(ws);
            };
            return a;
        });
        const Status st = m_server->listen("127.0.0.1", port);
        if (!st)
            qFatal("fake agent cannot listen: %s", st.error().message.c_str());
        m_port = m_server->port();
    }

    void stop()
    {
        std::vector<std::shared_ptr<net::WebSocket>> watchers;
        {
            std::lock_guard lock(m_mutex);
            watchers.swap(m_watchers);
        }
        for (auto &w : watchers)
            w->close();
        m_server->stop();
    }

    std::uint16_t port() const { return m_port; }

    void addEvents(int count)
    {
        std::lock_guard lock(m_mutex);
        for (int i = 0; i < count; ++i) {
            const json e = eventJson(m_name, static_cast<std::int64_t>(m_events.size()) + 1);
            m_events.push_back(e);
            for (auto &w : m_watchers)
                w->send(json({{"type", "event"}, {"event", e}}).dump());
        }
    }

    void setBindings(json bindings)
    {
        std::lock_guard lock(m_mutex);
        m_bindings = std::move(bindings);
    }

    void pushBinding(const json &binding)
    {
        std::lock_guard lock(m_mutex);
        for (json &b : m_bindings) {
            if (b["id"] == binding["id"])
                b = binding;
        }
        for (auto &w : m_watchers)
            w->send(json({{"type", "binding"}, {"binding", binding}}).dump());
    }

    std::vector<std::string> targets(const std::string &prefix) const
    {
        std::lock_guard lock(m_mutex);
        std::vector<std::string> out;
        for (const std::string &t : m_targets) {
            if (t.rfind(prefix, 0) == 0)
                out.push_back(t);
        }
        return out;
    }

    std::vector<std::string> watchTargets() const
    {
        std::lock_guard lock(m_mutex);
        return m_watchTargets;
    }

    std::vector<std::string> posts() const
    {
        std::lock_guard lock(m_mutex);
        return m_posts;
    }

private:
    net::HttpResponse handle(const net::HttpRequest &r)
    {
        std::lock_guard lock(m_mutex);
        m_targets.push_back(r.target);
        if (r.method == "POST")
            m_posts.push_back(r.path + " " + r.body);
        if (r.path == "/v1/status")
            return net::HttpResponse::json(200, m_status.dump());
        if (r.path == "/v1/bindings")
            return net::HttpResponse::json(200, json({{"bindings", m_bindings}}).dump());
        if (r.path == "/v1/events") {
            const std::int64_t after = std::stoll(r.queryValue("after", "0"));
            const std::size_t limit = std::stoul(r.queryValue("limit", "100"));
            json list = json::array();
            for (const json &e : m_events) {
                if (e["seq"].get<std::int64_t>() > after && list.size() < limit)
                    list.push_back(e);
            }
            return net::HttpResponse::json(
                200, json({{"events", list}, {"last_seq", m_events.size()}}).dump());
        }
        if (r.path == "/v1/users") {
            json users = json::array();
            for (int i = 0; i < 3; ++i) {
                users.push_back({{"domain_account", "CONTOSO\\user" + std::to_string(i)},
                                 {"host_account", "USER" + std::to_string(i)},
                                 {"host_domain", "HOSTDOM"},
                                 {"sync_state", i == 1 ? "failed" : "in-sync"},
                                 {"last_change", iso(3)},
                                 {"last_status", statusObject(i == 1 ? 0x6BA : 0)}});
            }
            if (r.queryValue("state") == "failed")
                users = json::array({users[1]});
            return net::HttpResponse::json(200, json({{"users", users}, {"next", nullptr}}).dump());
        }
        if (r.path == "/v1/outbox") {
            json pending = json::array({{{"seq", 12},
                                         {"change_id", "DC1-12"},
                                         {"kind", "domain"},
                                         {"user", r.queryValue("user")},
                                         {"target", "HS1/host-account-sync"},
                                         {"created", iso(4)},
                                         {"attempts", 3},
                                         {"last_attempt", iso(5)},
                                         {"last_status", statusObject(0x6BE)}}});
            return net::HttpResponse::json(200, json({{"pending", pending}, {"depth", 1}}).dump());
        }
        if (r.path == "/v1/rebind") {
            const json body = json::parse(r.body);
            json ids = json::array();
            if (body.contains("binding"))
                ids.push_back(body["binding"]);
            return net::HttpResponse::json(200, json({{"rebinding", ids}}).dump());
        }
        if (r.path == "/v1/resync")
            return net::HttpResponse::json(200, json({{"job", job()}}).dump());
        if (r.path == "/v1/jobs/r1") {
            m_jobPolls++;
            return net::HttpResponse::json(200, job().dump());
        }
        if (r.path == "/v1/jobs/r1/cancel")
            return net::HttpResponse::json(200, json({{"job", job()}}).dump());
        return net::HttpResponse::json(404, R"({"error":{"code":87,"message":"no such path"}})");
    }

    json job() const
    {
        const int done = std::min(10, m_jobPolls * 4);
        return {{"id", "r1"},         {"state", done >= 10 ? "done" : "running"},
                {"total", 10},        {"done", done},
                {"failed", 0},        {"started", iso(6)},
                {"finished", nullptr}};
    }

    net::IoContext &m_io;
    std::string m_name;
    json m_status;
    std::unique_ptr<net::HttpServer> m_server;
    std::uint16_t m_port = 0;
    mutable std::mutex m_mutex;
    json m_bindings = json::array();
    std::vector<json> m_events;
    std::vector<std::shared_ptr<net::WebSocket>> m_watchers;
    std::vector<std::string> m_targets;
    std::vector<std::string> m_watchTargets;
    std::vector<std::string> m_posts;
    int m_jobPolls = 0;
};

std::int64_t historyCount(const QString &path, const std::string &server = {})
{
    auto store = EventStore::open(path.toStdString());
    if (!store)
        return -1;
    EventFilter f;
    if (!server.empty())
        f.servers = {server};
    auto n = store.value()->count(f);
    return n ? *n : -1;
}

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void connectsPollsAndFillsHistory();
    void followsLiveEventsAndBindings();
    void actionsReportTheirOutcome();
    void resyncJobIsFollowedToTheEnd();
    void usersAndOutboxComeFromTheAgents();
    void agentThatDisappearsComesBackAndResumes();

private:
    client::Profile profile() const;
    const Binding *bindingFrom(const Session &s, const std::string &from) const;

    boost::asio::io_context m_io;
    std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
        m_guard;
    std::thread m_thread;
    std::unique_ptr<FakeAgent> m_dc;
    std::unique_ptr<FakeAgent> m_hs;
    std::vector<std::unique_ptr<FakeAgent>> m_retired;
    QTemporaryDir m_dir;
    QString m_history;
    int m_run = 0;
};

void tst_Session::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_guard =
        std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
            m_io.get_executor());
    m_thread = std::thread([this] { m_io.run(); });
}

void tst_Session::cleanupTestCase()
{
    m_guard.reset();
    m_io.stop();
    m_thread.join();
    m_retired.clear(); // their servers' handlers may have run until the thread stopped
}

void tst_Session::init()
{
    m_dc = std::make_unique<FakeAgent>(
        m_io, "DC1", status("DC1", "domain-account-sync", "domain-controller", "none", "dc-1"));
    m_hs = std::make_unique<FakeAgent>(
        m_io, "HS1", status("HS1", "host-account-sync", "cache-primary", "primary", "hs-1"));
    m_dc->setBindings(json::array({bindingJson("DC1", "HS1", "bound")}));
    m_hs->setBindings(json::array());
    m_dc->addEvents(1500); // more than one backfill page
    m_hs->addEvents(20);
    m_dc->listen();
    m_hs->listen();
    m_history = m_dir.filePath(QStringLiteral("history-%1.db").arg(++m_run));
}

void tst_Session::cleanup()
{
    m_dc->stop();
    m_hs->stop();
    m_retired.push_back(std::move(m_dc));
    m_retired.push_back(std::move(m_hs));
}

client::Profile tst_Session::profile() const
{
    client::Profile p;
    p.path = m_dir.filePath(QStringLiteral("profile.json")).toStdString();
    p.domain = "CONTOSO";
    p.hostDomain = "HOSTDOM";
    p.agents.push_back({"DC1", net::Endpoint{"127.0.0.1", m_dc->port()}, ""});
    p.agents.push_back({"HS1", net::Endpoint{"127.0.0.1", m_hs->port()}, ""});
    return p;
}

const Binding *tst_Session::bindingFrom(const Session &s, const std::string &from) const
{
    for (const Binding &b : s.domain().bindings) {
        if (b.fromServer == from)
            return &b;
    }
    return nullptr;
}

void tst_Session::connectsPollsAndFillsHistory()
{
    Session session;
    QSignalSpy opened(&session, &Session::historyOpened);
    QSignalSpy grew(&session, &Session::historyGrew);
    session.open(profile(), m_history);
    QCOMPARE(session.connection(), Session::Connection::Connecting);
    QTRY_COMPARE(session.connection(), Session::Connection::Connected);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toString(), m_history);
    QTRY_COMPARE(session.domain().bindings.size(), std::size_t(1));
    QCOMPARE(int(session.domain().bindings.front().state), int(BindingState::Bound));
    QVERIFY(session.primaryCache());
    QCOMPARE(session.primaryCache()->name, QStringLiteral("HS1"));
    QCOMPARE(int(session.agent(QStringLiteral("DC1"))->server.role()),
             int(ServerRole::DomainController));
    QCOMPARE(session.outboxBacklog(), 4);
    QCOMPARE(session.agent(QStringLiteral("HS1"))->certificate, QStringLiteral("HS1"));
    QCOMPARE(session.agent(QStringLiteral("HS1"))->certificateNotAfter,
             QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC));

    // History: everything backfilled by cursor (two pages from DC1), then the watch resumes
    // after the last seq.
    QTRY_COMPARE(historyCount(m_history, "DC1"), 1500);
    QTRY_COMPARE(historyCount(m_history, "HS1"), 20);
    QVERIFY(grew.count() >= 1);
    const auto pages = m_dc->targets("/v1/events");
    QVERIFY(pages.size() >= 2);
    QCOMPARE(pages[0], std::string("/v1/events?after=0&limit=1000"));
    QCOMPARE(pages[1], std::string("/v1/events?after=1000&limit=1000"));
    QTRY_VERIFY(!m_dc->watchTargets().empty());
    QCOMPARE(m_dc->watchTargets().front(), std::string("/v1/watch?after=1500"));
    // Polled about once a second.
    QTRY_VERIFY_WITH_TIMEOUT(m_hs->targets("/v1/status").size() >= 3, 5000);
}

void tst_Session::followsLiveEventsAndBindings()
{
    Session session;
    session.open(profile(), m_history);
    QTRY_VERIFY(!m_dc->watchTargets().empty());
    QTRY_COMPARE(historyCount(m_history, "DC1"), 1500);

    QSignalSpy grew(&session, &Session::historyGrew);
    m_dc->addEvents(5);
    QTRY_COMPARE(historyCount(m_history, "DC1"), 1505);
    QTRY_VERIFY(grew.count() >= 1);

    QSignalSpy changed(&session, &Session::bindingsChanged);
    m_dc->pushBinding(bindingJson("DC1", "HS1", "stale"));
    QTRY_COMPARE(int(bindingFrom(session, "DC1")->state), int(BindingState::Stale));
    QCOMPARE(bindingFrom(session, "DC1")->lastError, 0x6BEu);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(session.staleBindings(), 1);
}

void tst_Session::actionsReportTheirOutcome()
{
    Session session;
    session.open(profile(), m_history);
    QTRY_COMPARE(session.connection(), Session::Connection::Connected);
    QTRY_COMPARE(session.domain().bindings.size(), std::size_t(1));
    QSignalSpy finished(&session, &Session::actionFinished);

    const QString id = QString::fromStdString(session.domain().bindings.front().id);
    session.rebind(id);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(finished.first().at(0).toBool());
    QVERIFY(finished.first().at(1).toString().contains(id));
    QCOMPARE(m_dc->posts().back(), "/v1/rebind {\"binding\":\"" + id.toStdString() + "\"}");

    session.rebindAllStale();
    QTRY_COMPARE(finished.count(), 2);
    QVERIFY(finished.last().at(0).toBool());
    QCOMPARE(m_hs->posts().back(), std::string("/v1/rebind {\"all_stale\": true}"));

    session.rebind(QStringLiteral("no/such->binding"));
    QTRY_COMPARE(finished.count(), 3);
    QVERIFY(!finished.last().at(0).toBool());

    session.recycle(QStringLiteral("HS1")); // not a demo profile
    QTRY_COMPARE(finished.count(), 4);
    QVERIFY(!finished.last().at(0).toBool());
}

void tst_Session::resyncJobIsFollowedToTheEnd()
{
    Session session;
    session.open(profile(), m_history);
    QTRY_VERIFY(session.primaryCache());
    QSignalSpy jobs(&session, &Session::jobUpdated);
    session.resync(Session::ResyncScope::Failed);
    QTRY_VERIFY_WITH_TIMEOUT(!jobs.isEmpty() && jobs.last().first().value<JobState>().finished(),
                             10000);
    const JobState last = jobs.last().first().value<JobState>();
    QCOMPARE(last.state, QStringLiteral("done"));
    QCOMPARE(last.done, 10);
    QVERIFY(jobs.count() >= 3); // started, progressed, done
    QCOMPARE(m_hs->posts().front(), std::string("/v1/resync {\"failed\":true}"));

    session.cancelJob(QStringLiteral("r1"));
    QTRY_COMPARE(m_hs->posts().back(), std::string("/v1/jobs/r1/cancel {}"));
}

void tst_Session::usersAndOutboxComeFromTheAgents()
{
    Session session;
    session.open(profile(), m_history);
    QTRY_VERIFY(session.primaryCache());
    bool gotUsers = false;
    UsersQuery q;
    q.text = QStringLiteral("user");
    session.requestUsers(q, this, [&](const Result<UsersPage> &page) {
        QVERIFY(page);
        QCOMPARE(page->users.size(), std::size_t(3));
        QCOMPARE(int(page->users[1].syncState), int(SyncState::Failed));
        QCOMPARE(page->users[1].lastStatus, 0x6BAu);
        gotUsers = true;
    });
    QTRY_VERIFY(gotUsers);
    QCOMPARE(m_hs->targets("/v1/users?limit=200").back(),
             std::string("/v1/users?limit=200&text=user"));
    QTRY_COMPARE(session.failedUsers(), 1); // the status bar's count, polled

    bool gotOutbox = false;
    session.requestOutbox(QStringLiteral("CONTOSO\\user1"), this,
                          [&](const Result<std::vector<OutboxEntry>> &r) {
                              QVERIFY(r);
                              QCOMPARE(r->size(), std::size_t(2)); // one from each agent
                              QCOMPARE(r->front().attempts, 3);
                              QCOMPARE(r->front().user, QStringLiteral("CONTOSO\\user1"));
                              gotOutbox = true;
                          });
    QTRY_VERIFY(gotOutbox);
    QCOMPARE(m_dc->targets("/v1/outbox").back(), std::string("/v1/outbox?user=CONTOSO%5Cuser1"));
}

void tst_Session::agentThatDisappearsComesBackAndResumes()
{
    Session session;
    session.open(profile(), m_history);
    QTRY_COMPARE(session.connection(), Session::Connection::Connected);
    QTRY_COMPARE(historyCount(m_history, "HS1"), 20);
    QTRY_VERIFY(!m_hs->watchTargets().empty());

    const std::uint16_t port = m_hs->port();
    m_hs->stop();
    m_retired.push_back(std::move(m_hs));
    QTRY_VERIFY_WITH_TIMEOUT(!session.agent(QStringLiteral("HS1"))->reachable, 5000);
    const AgentState *hs = session.agent(QStringLiteral("HS1"));
    QVERIFY(hs->unreachableSince.isValid());
    QVERIFY(!hs->lastError.isEmpty());
    QCOMPARE(session.connection(), Session::Connection::Degraded);
    QVERIFY(session.agent(QStringLiteral("DC1"))->reachable);

    // It comes back on the same port with a new instance and events it logged meanwhile.
    QSignalSpy recycled(&session, &Session::instanceChanged);
    m_hs = std::make_unique<FakeAgent>(
        m_io, "HS1", status("HS1", "host-account-sync", "cache-primary", "primary", "hs-2"));
    m_hs->addEvents(27);
    m_hs->listen(port);
    QTRY_VERIFY_WITH_TIMEOUT(session.agent(QStringLiteral("HS1"))->reachable, 10000);
    QCOMPARE(session.connection(), Session::Connection::Connected);
    QTRY_COMPARE(recycled.count(), 1);
    QCOMPARE(session.agent(QStringLiteral("HS1"))->previousInstance, QStringLiteral("hs-1"));
    // The backfill resumed after the last seq it had; nothing was stored twice.
    QTRY_VERIFY(!m_hs->targets("/v1/events").empty());
    QCOMPARE(m_hs->targets("/v1/events").front(), std::string("/v1/events?after=20&limit=1000"));
    QTRY_COMPARE(historyCount(m_history, "HS1"), 27);
    QTRY_VERIFY(!m_hs->watchTargets().empty());
    QCOMPARE(m_hs->watchTargets().front(), std::string("/v1/watch?after=27"));
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
