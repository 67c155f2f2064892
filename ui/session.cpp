// The only file of ui/ where Qt meets Asio: an io_context on a thread of its own does every
// network call and every history write; results reach the Session on the GUI thread through
// QMetaObject::invokeMethod(..., Qt::QueuedConnection). The GUI thread never waits on a socket.

#include <utility> // before Asio: Boost 1.74's awaitable.hpp forgets it

#include "ui/session.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "events/eventstore.h"
#include "net/transport.h"
#include "pki/identity.h"
#include "protocol/modeljson.h"
#include "ui/taskthread.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>
#include <QtDebug>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace hostsec::ui {

namespace asio = boost::asio;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int EventPageLimit = 1000;    // GET /v1/events page while backfilling
constexpr auto PollPerAgent = 10ms;     // the poll period is at least this times the agents:
                                        // 500 agents are asked every 5 s, 200 requests a second
constexpr double PollJitter = 0.2;      // +-20 %, so the agents' polls spread out
constexpr auto FirstRoundLimit = 2s;    // history waits this long at most for the first polls
constexpr auto FirstBackoff = 250ms;    // first retry after a failed poll or a dropped watch
constexpr auto MaxBackoff = 5000ms;     // retries slow down to this
constexpr auto FlushDelay = 100ms;      // live events are written to history in batches
constexpr std::size_t FlushNow = 10000; // ...or at once when this many wait
constexpr int JobPollMs = 300;          // a resync job is followed at this period
constexpr int FailedUsersPollMs = 5000; // the failed-users count is refreshed at this period
constexpr int FailedUsersLimit = 1000;

std::string str(const QString &s)
{
    return s.toStdString();
}

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string encode(const QString &value)
{
    return QUrl::toPercentEncoding(value).toStdString();
}

// A JSON string member, or "" when absent or not a string.
std::string text(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t integer(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

Millis isoTime(const json &j, const char *key)
{
    const Millis t = parseIsoTime(text(j, key));
    return t > 0 ? t : 0;
}

std::uint32_t statusCode(const json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end())
        return 0;
    if (it->is_object()) {
        const auto code = it->find("code");
        return code != it->end() && code->is_number_unsigned() ? code->get<std::uint32_t>() : 0;
    }
    return it->is_number_unsigned() ? it->get<std::uint32_t>() : 0;
}

std::optional<Event> parseEvent(const json &j, const std::string &agent)
{
    if (!j.is_object())
        return std::nullopt;
    Event e;
    e.originSeq = integer(j, "seq");
    if (e.originSeq <= 0)
        return std::nullopt;
    e.time = isoTime(j, "time");
    e.server = text(j, "server");
    if (e.server.empty())
        e.server = agent;
    e.source = text(j, "source");
    e.id = static_cast<int>(integer(j, "id"));
    e.severity = severityFromString(text(j, "severity")).value_or(Severity::Information);
    if (const auto params = j.find("params"); params != j.end() && params->is_array()) {
        for (const json &p : *params)
            e.params.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    }
    e.message = text(j, "message");
    return e;
}

std::vector<Binding> parseBindings(const json &j)
{
    std::vector<Binding> out;
    const auto list = j.find("bindings");
    if (list == j.end() || !list->is_array())
        return out;
    for (const json &b : *list) {
        try {
            out.push_back(b.get<Binding>());
        } catch (const std::exception &e) {
            qWarning("hostsec-console: ignoring a binding the agent sent: %s", e.what());
        }
    }
    return out;
}

JobState parseJob(const json &j)
{
    JobState job;
    job.id = qstr(text(j, "id"));
    job.state = qstr(text(j, "state"));
    job.total = static_cast<int>(integer(j, "total"));
    job.done = static_cast<int>(integer(j, "done"));
    job.failed = static_cast<int>(integer(j, "failed"));
    return job;
}

QString describeError(const Error &error)
{
    if (error.code > 0 && isKnownRpcStatus(static_cast<std::uint32_t>(error.code))) {
        return QStringLiteral("%1 (%2)").arg(
            qstr(error.message), qstr(rpcCodeHex(static_cast<std::uint32_t>(error.code))));
    }
    return qstr(error.message);
}

} // namespace

qint64 AgentState::uptimeNow() const
{
    if (!statusTime.isValid() || uptimeMs <= 0)
        return 0;
    return reachable ? uptimeMs + statusTime.msecsTo(QDateTime::currentDateTimeUtc()) : uptimeMs;
}

QString shortId(const std::string &id)
{
    return qstr(id.substr(0, 8));
}

bool sameBinding(const Binding &a, const Binding &b)
{
    return a.id == b.id && a.state == b.state && a.policy == b.policy &&
           a.lastError == b.lastError && a.lastSuccess == b.lastSuccess &&
           a.lastFailure == b.lastFailure && a.consecutiveFailures == b.consecutiveFailures &&
           a.peerInstance == b.peerInstance && a.endpoint == b.endpoint && a.timeline == b.timeline;
}

/// The parts of GET /v1/status the console shows.
struct Session::StatusInfo
{
    Server server;
    QString role;
    qint64 uptimeMs = 0;
    int outboxDepth = 0;
    qint64 lastEventSeq = 0;
    QString certificate;
    Millis certificateNotAfter = 0;
};

// ---------------------------------------------------------------------------------------------
// The I/O side. Everything in Io runs on its thread, except construction and destruction.

namespace {

/// One agent as the I/O thread follows it.
struct AgentLink
{
    explicit AgentLink(asio::io_context &io)
        : timer(io)
    {}

    std::string name;
    net::Endpoint endpoint;
    asio::steady_timer timer; // the next poll
    std::chrono::milliseconds backoff{0};
    int pollPending = 0; // outstanding requests of the current poll
    bool pollFailed = false;
    bool pollAgain = false; // refresh() asked while a poll was running
    std::string pollError;
    std::shared_ptr<net::WebSocket> watch;
    bool watchStarting = false; // backfill or connect under way
    int watchAttempt = 0;       // tells a stale socket's callbacks from the current one's
    std::int64_t cursor = -1;   // the highest agent seq held in history; -1 until read
    bool polledOnce = false;    // the first poll has ended
    bool watchWanted = false;   // answered during the first round: follow it after the round
};

} // namespace

struct Session::Io
{
    Io(Session *owner, int generation, const client::Profile &profile, std::string historyPath,
       std::chrono::milliseconds pollInterval);
    ~Io();

    template <class F>
    void toGui(F f)
    {
        QMetaObject::invokeMethod(q, std::move(f), Qt::QueuedConnection);
    }

    // Plain-data results of one request: the JSON or an Error, and whether the agent answered.
    using Done = std::function<void(Result<json>, bool answered)>;
    void request(const net::Endpoint &to, const std::string &method, const std::string &target,
                 const std::string &body, Done done);

    void start();
    void endFirstRound();
    std::chrono::milliseconds nextPoll();
    void poll(AgentLink &a);
    void pollNow(AgentLink &a);
    void pollDone(AgentLink &a);
    void schedule(AgentLink &a, std::chrono::milliseconds after);
    void ensureWatch(AgentLink &a);
    void backfill(AgentLink &a, int attempt);
    void connectWatch(AgentLink &a, int attempt);
    void watchClosed(AgentLink &a);
    void onWatchMessage(AgentLink &a, const std::string &message);
    void store(std::vector<Event> events, bool now);
    void flush();
    static std::optional<StatusInfo> parseStatus(const json &j);

    // Members in the order io_context, work guard, thread (see STYLE.md); the thread starts
    // last, in the constructor's body, and is joined before anything is destroyed.
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard;
    std::thread thread;

    Session *q;
    const int generation;
    const std::chrono::milliseconds pollInterval;
    const std::string historyPath;
    std::unique_ptr<EventStore> history;
    std::vector<std::unique_ptr<AgentLink>> agents;
    std::vector<Event> pending; // live events waiting for the next history write
    asio::steady_timer flushTimer;
    // The first round of polls (what the topology shows) goes before the history's backfills
    // and watch streams, which start when every agent has answered or failed once.
    std::size_t firstRound = 0; // agents whose first poll has not ended
    asio::steady_timer firstRoundTimer;
    std::minstd_rand random;
    bool flushArmed = false;
    net::Limits limits;
};

Session::Io::Io(Session *owner, int gen, const client::Profile &profile, std::string path,
                std::chrono::milliseconds interval)
    : guard(asio::make_work_guard(io))
    , q(owner)
    , generation(gen)
    , pollInterval(std::max<std::chrono::milliseconds>(
          interval, PollPerAgent * static_cast<int>(profile.agents.size())))
    , historyPath(std::move(path))
    , flushTimer(io)
    , firstRound(profile.agents.size())
    , firstRoundTimer(io)
    , random(static_cast<std::minstd_rand::result_type>(gen))
{
    // A console poll must not hang on a wedged agent: short deadlines, a failure is retried.
    limits.connectTimeout = 2s;
    limits.readTimeout = 5s;
    limits.writeTimeout = 5s;
    for (const client::ProfileAgent &p : profile.agents) {
        auto a = std::make_unique<AgentLink>(io);
        a->name = p.name;
        a->endpoint = p.endpoint;
        agents.push_back(std::move(a));
    }
    asio::post(io, [this] { start(); });
    thread = std::thread([this] { io.run(); });
}

Session::Io::~Io()
{
    guard.reset();
    io.stop();
    thread.join();
}

void Session::Io::request(const net::Endpoint &to, const std::string &method,
                          const std::string &target, const std::string &body, Done done)
{
    std::map<std::string, std::string> headers;
    if (!body.empty())
        headers["Content-Type"] = "application/json";
    // Who acts, for the agents' audit when they run without TLS (the plaintext opt-out of
    // tests); with TLS the agent takes the certificate's name instead (security.md).
    if (const std::string name = client::AgentClient::operatorName(); !name.empty())
        headers["X-Hostsec-Operator"] = name;
    net::httpRequest(
        io, to, method, target, body,
        [done = std::move(done)](Result<net::HttpResponse> r) {
            if (!r) {
                done(r.error(), false);
                return;
            }
            const net::HttpResponse &response = *r;
            json j = json::parse(response.body, nullptr, false);
            if (response.status / 100 != 2) {
                Error e{response.status, "HTTP " + std::to_string(response.status)};
                if (!j.is_discarded() && j.is_object() && j.contains("error") &&
                    j["error"].is_object()) {
                    const json &err = j["error"];
                    if (err.contains("code") && err["code"].is_number_integer())
                        e.code = err["code"].get<int>();
                    e.message = text(err, "message");
                    if (e.message.empty())
                        e.message = text(err, "text");
                }
                done(e, true);
                return;
            }
            if (j.is_discarded()) {
                if (response.body.empty()) {
                    done(json(), true);
                    return;
                }
                done(Error{static_cast<int>(rpc::BadStubData), "the agent sent invalid JSON"},
                     true);
                return;
            }
            done(std::move(j), true);
        },
        limits, std::move(headers));
}

void Session::Io::start()
{
    auto opened = EventStore::open(historyPath);
    QString error;
    if (opened) {
        history = std::move(opened.value());
    } else {
        error = qstr(opened.error().message);
    }
    toGui([q = q, gen = generation, path = qstr(historyPath), error] {
        q->onHistoryOpened(gen, path, error);
    });
    firstRoundTimer.expires_after(FirstRoundLimit);
    firstRoundTimer.async_wait([this](const boost::system::error_code &ec) {
        if (!ec)
            endFirstRound();
    });
    for (auto &a : agents)
        poll(*a);
}

void Session::Io::endFirstRound()
{
    firstRound = 0;
    firstRoundTimer.cancel();
    for (auto &a : agents) {
        if (std::exchange(a->watchWanted, false))
            ensureWatch(*a);
    }
}

std::chrono::milliseconds Session::Io::nextPoll()
{
    std::uniform_real_distribution<double> jitter(1 - PollJitter, 1 + PollJitter);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(pollInterval.count()) * jitter(random)));
}

void Session::Io::poll(AgentLink &a)
{
    a.pollPending = 2;
    a.pollFailed = false;
    a.pollAgain = false;
    a.pollError.clear();
    const std::string name = a.name;
    request(a.endpoint, "GET", "/v1/status", {}, [this, &a, name](Result<json> r, bool answered) {
        if (r) {
            if (auto s = parseStatus(*r)) {
                toGui([q = q, gen = generation, agent = qstr(name), s = *s] {
                    q->onStatus(gen, agent, s);
                });
            }
        } else if (!answered) {
            a.pollFailed = true;
            a.pollError = r.error().message;
        }
        pollDone(a);
    });
    request(a.endpoint, "GET", "/v1/bindings", {}, [this, &a, name](Result<json> r, bool answered) {
        if (r) {
            toGui([q = q, gen = generation, agent = qstr(name), b = parseBindings(*r)] {
                q->onBindings(gen, agent, b);
            });
        } else if (!answered) {
            a.pollFailed = true;
            a.pollError = r.error().message;
        }
        pollDone(a);
    });
}

void Session::Io::pollNow(AgentLink &a)
{
    if (a.pollPending > 0) {
        a.pollAgain = true;
        return;
    }
    a.timer.cancel();
    poll(a);
}

void Session::Io::pollDone(AgentLink &a)
{
    if (--a.pollPending > 0)
        return;
    const bool lastOfFirstRound =
        !std::exchange(a.polledOnce, true) && firstRound > 0 && --firstRound == 0;
    if (a.pollFailed) {
        a.backoff = a.backoff.count() == 0
                        ? std::chrono::milliseconds(FirstBackoff)
                        : std::min<std::chrono::milliseconds>(a.backoff * 2, MaxBackoff);
        toGui([q = q, gen = generation, agent = qstr(a.name), error = qstr(a.pollError)] {
            q->onUnreachable(gen, agent, error);
        });
        if (a.watch) {
            a.watch->close();
        }
        schedule(a, a.backoff);
        if (lastOfFirstRound)
            endFirstRound();
        return;
    }
    a.backoff = 0ms;
    if (firstRound > 0)
        a.watchWanted = true;
    else
        ensureWatch(a);
    schedule(a, a.pollAgain ? 0ms : nextPoll());
    if (lastOfFirstRound)
        endFirstRound();
}

void Session::Io::schedule(AgentLink &a, std::chrono::milliseconds after)
{
    a.timer.expires_after(after);
    a.timer.async_wait([this, &a](const boost::system::error_code &ec) {
        if (!ec)
            poll(a);
    });
}

void Session::Io::ensureWatch(AgentLink &a)
{
    if (a.watch || a.watchStarting)
        return;
    a.watchStarting = true;
    if (a.cursor < 0) {
        a.cursor = 0;
        if (history) {
            if (auto last = history->lastOriginSeq(a.name))
                a.cursor = *last;
        }
    }
    backfill(a, ++a.watchAttempt);
}

// Catches up by cursor with GET /v1/events before the live stream starts, a page at a time.
void Session::Io::backfill(AgentLink &a, int attempt)
{
    const std::string target =
        "/v1/events?after=" + std::to_string(a.cursor) + "&limit=" + std::to_string(EventPageLimit);
    request(a.endpoint, "GET", target, {}, [this, &a, attempt](Result<json> r, bool) {
        if (attempt != a.watchAttempt)
            return;
        if (!r) {
            a.watchStarting = false; // the next successful poll tries again
            return;
        }
        std::vector<Event> events;
        if (const auto list = r->find("events"); list != r->end() && list->is_array()) {
            for (const json &e : *list) {
                if (auto event = parseEvent(e, a.name)) {
                    a.cursor = std::max(a.cursor, event->originSeq);
                    events.push_back(std::move(*event));
                }
            }
        }
        const bool more = events.size() >= static_cast<std::size_t>(EventPageLimit);
        store(std::move(events), false); // catch-up pages share transactions
        if (more)
            backfill(a, attempt);
        else
            connectWatch(a, attempt);
    });
}

void Session::Io::connectWatch(AgentLink &a, int attempt)
{
    net::WebSocketCallbacks callbacks;
    callbacks.onMessage = [this, &a, attempt](const std::string &message) {
        if (attempt == a.watchAttempt)
            onWatchMessage(a, message);
    };
    callbacks.onClose = [this, &a, attempt](const Error &) {
        if (attempt == a.watchAttempt)
            watchClosed(a);
    };
    net::connectWebSocket(
        io, a.endpoint, "/v1/watch?after=" + std::to_string(a.cursor), {}, std::move(callbacks),
        [this, &a, attempt](Result<std::shared_ptr<net::WebSocket>> r) {
            if (attempt != a.watchAttempt) {
                if (r)
                    (*r)->close();
                return;
            }
            a.watchStarting = false;
            if (r)
                a.watch = *r;
        },
        limits);
}

void Session::Io::watchClosed(AgentLink &a)
{
    a.watch.reset();
    a.watchStarting = false;
    ++a.watchAttempt;
    // A dropped stream usually means the agent went away: find out soon, not in a second.
    if (a.pollPending == 0)
        schedule(a, a.backoff.count() ? a.backoff : std::chrono::milliseconds(FirstBackoff));
}

void Session::Io::onWatchMessage(AgentLink &a, const std::string &message)
{
    const json j = json::parse(message, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return;
    const std::string type = text(j, "type");
    if (type == "event") {
        if (auto event = parseEvent(j.value("event", json()), a.name)) {
            a.cursor = std::max(a.cursor, event->originSeq);
            std::vector<Event> one;
            one.push_back(std::move(*event));
            store(std::move(one), false);
        }
    } else if (type == "binding") {
        try {
            Binding b = j.at("binding").get<Binding>();
            toGui([q = q, gen = generation, agent = qstr(a.name), b = std::move(b)] {
                q->onBinding(gen, agent, b);
            });
        } catch (const std::exception &e) {
            qWarning("hostsec-console: ignoring a binding update from %s: %s", a.name.c_str(),
                     e.what());
        }
    } else if (type == "status") {
        if (auto s = parseStatus(j.value("status", json()))) {
            toGui([q = q, gen = generation, agent = qstr(a.name), s = *s] {
                q->onStatus(gen, agent, s);
            });
        }
    }
}

void Session::Io::store(std::vector<Event> events, bool now)
{
    std::move(events.begin(), events.end(), std::back_inserter(pending));
    if (now || pending.size() >= FlushNow) {
        flush();
        return;
    }
    if (flushArmed)
        return;
    flushArmed = true;
    flushTimer.expires_after(FlushDelay);
    flushTimer.async_wait([this](const boost::system::error_code &) {
        flushArmed = false;
        flush();
    });
}

void Session::Io::flush()
{
    if (pending.empty() || !history)
        return;
    std::vector<Event> batch;
    batch.swap(pending);
    auto appended = history->append(batch);
    if (!appended) {
        qWarning("hostsec-console: cannot write the history database: %s",
                 appended.error().message.c_str());
        return;
    }
    if (*appended > 0) {
        toGui([q = q, gen = generation, n = *appended] { q->onHistoryGrew(gen, n); });
    }
}

std::optional<Session::StatusInfo> Session::Io::parseStatus(const json &j)
{
    if (!j.is_object())
        return std::nullopt;
    Session::StatusInfo s;
    try {
        s.server.name = text(j, "server");
        s.server.address = text(j, "address");
        if (const auto services = j.find("services"); services != j.end())
            s.server.services = services->get<std::vector<Service>>();
    } catch (const std::exception &e) {
        qWarning("hostsec-console: unexpected status: %s", e.what());
        return std::nullopt;
    }
    s.server.instanceId = text(j, "instance_id");
    s.server.version = text(j, "version");
    s.server.startedAt = isoTime(j, "started_at");
    s.role = qstr(text(j, "role"));
    s.uptimeMs = integer(j, "uptime_ms");
    s.outboxDepth = static_cast<int>(integer(j, "outbox_depth"));
    s.lastEventSeq = integer(j, "last_event_seq");
    if (const auto cert = j.find("certificate"); cert != j.end() && cert->is_object()) {
        s.certificate = qstr(text(*cert, "name"));
        s.certificateNotAfter = isoTime(*cert, "not_after");
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// The GUI side.

Session::Session(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<hostsec::ui::JobState>();
    m_usersTimer.setInterval(FailedUsersPollMs);
    connect(&m_usersTimer, &QTimer::timeout, this, &Session::pollFailedUsers);
    m_notifyTimer.setSingleShot(true);
    connect(&m_notifyTimer, &QTimer::timeout, this, &Session::notifyNow);
}

Session::~Session()
{
    m_io.reset();       // stop the network first: nothing calls back after this
    m_blocking.reset(); // then let a running recycle finish
}

bool Session::mayOperate() const
{
    return m_role.isEmpty() || m_role == QLatin1String("operator") ||
           m_role == QLatin1String("admin");
}

void Session::open(const client::Profile &profile, const QString &historyPath)
{
    close();
    m_profile = profile;
    m_identity.clear();
    m_role.clear();
    if (!profile.tls.certFile.empty()) {
        std::ifstream in(profile.tls.certFile);
        std::stringstream pem;
        pem << in.rdbuf();
        if (const auto who = pki::readIdentity(pem.str())) {
            m_identity = qstr(who->name);
            m_role = qstr(std::string(pki::roleName(who->role)));
        }
    }
    m_historyPath = historyPath.isEmpty() ? historyPathFor(qstr(profile.path)) : historyPath;
    m_domain = Domain{};
    m_domain.name = profile.domain;
    m_domain.hostDomain = profile.hostDomain;
    m_agents.clear();
    m_agentIndex.clear();
    m_reportedBindings.clear();
    m_bindingReports = 0;
    for (const client::ProfileAgent &p : profile.agents) {
        AgentState a;
        a.name = qstr(p.name);
        a.address = qstr(p.endpoint.toString());
        a.server.name = p.name;
        a.server.address = p.endpoint.toString();
        m_agentIndex.insert(a.name, static_cast<int>(m_agents.size()));
        m_agents.push_back(a);
        m_domain.servers.push_back(a.server); // in the same order as m_agents
    }
    m_agentsDirty = m_bindingsDirty = m_statsDirty = false;
    m_notifyTimer.stop();
    m_failedUsers = -1;
    m_failedUsersMore = false;
    ++m_generation;
    QDir().mkpath(QFileInfo(m_historyPath).absolutePath());
    m_io = std::make_unique<Io>(this, m_generation, profile, str(m_historyPath),
                                std::chrono::milliseconds(m_pollIntervalMs));
    m_connection = Connection::Connecting;
    m_usersTimer.start();
    Q_EMIT agentsChanged();
    Q_EMIT bindingsChanged();
    Q_EMIT connectionChanged(m_connection);
    Q_EMIT statsChanged();
}

void Session::close()
{
    if (!m_io)
        return;
    m_io.reset();
    ++m_generation;
    m_usersTimer.stop();
    m_agents.clear();
    m_agentIndex.clear();
    m_reportedBindings.clear();
    m_bindingReports = 0;
    m_agentsDirty = m_bindingsDirty = m_statsDirty = false;
    m_notifyTimer.stop();
    m_domain = Domain{};
    m_connection = Connection::Idle;
    Q_EMIT agentsChanged();
    Q_EMIT bindingsChanged();
    Q_EMIT connectionChanged(m_connection);
    Q_EMIT statsChanged();
}

QString Session::demoDirectory() const
{
    if (!m_profile.demo || m_profile.path.empty())
        return {};
    return QFileInfo(qstr(m_profile.path)).absolutePath();
}

const AgentState *Session::agent(const QString &name) const
{
    const auto it = m_agentIndex.constFind(name);
    return it == m_agentIndex.cend() ? nullptr : &m_agents[*it];
}

AgentState *Session::agentState(const QString &name)
{
    const auto it = m_agentIndex.constFind(name);
    return it == m_agentIndex.cend() ? nullptr : &m_agents[*it];
}

const AgentState *Session::primaryCache() const
{
    for (const AgentState &a : m_agents) {
        if (a.role == QLatin1String("cache-primary"))
            return &a;
    }
    for (const AgentState &a : m_agents) {
        if (a.server.role() == ServerRole::CachePrimary)
            return &a;
    }
    return nullptr;
}

int Session::staleBindings() const
{
    return static_cast<int>(
        std::count_if(m_domain.bindings.begin(), m_domain.bindings.end(),
                      [](const Binding &b) { return b.state == BindingState::Stale; }));
}

int Session::failedBindings() const
{
    return static_cast<int>(
        std::count_if(m_domain.bindings.begin(), m_domain.bindings.end(),
                      [](const Binding &b) { return b.state == BindingState::Failed; }));
}

int Session::outboxBacklog() const
{
    int total = 0;
    for (const AgentState &a : m_agents)
        total += a.outboxDepth;
    return total;
}

QString Session::historyPathFor(const QString &profilePath)
{
    const QString absolute = QFileInfo(profilePath).absoluteFilePath();
    const QByteArray hash =
        QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir + QStringLiteral("/history-") + QString::fromLatin1(hash) + QStringLiteral(".db");
}

void Session::setPollInterval(int ms)
{
    m_pollIntervalMs = std::max(50, ms);
}

void Session::onStatus(int generation, const QString &name, const StatusInfo &status)
{
    if (generation != m_generation)
        return;
    AgentState *a = agentState(name);
    if (!a)
        return;
    const bool wasReachable = a->reachable;
    const std::string oldInstance = a->server.instanceId;
    const Server before = a->server;
    const QString roleBefore = a->role;
    const int outboxBefore = a->outboxDepth;
    const qint64 lastSeqBefore = a->lastEventSeq;
    const QDateTime certificateBefore = a->certificateNotAfter;
    a->reachable = true;
    a->everReached = true;
    a->unreachableSince = {};
    a->lastError.clear();
    a->role = status.role;
    const std::string address = a->server.address;
    a->server = status.server;
    a->server.name = str(name);
    if (a->server.address.empty())
        a->server.address = address;
    a->uptimeMs = status.uptimeMs;
    a->statusTime = QDateTime::currentDateTimeUtc();
    a->outboxDepth = status.outboxDepth;
    a->lastEventSeq = status.lastEventSeq;
    a->certificate = status.certificate;
    a->certificateNotAfter =
        status.certificateNotAfter > 0
            ? QDateTime::fromMSecsSinceEpoch(status.certificateNotAfter, Qt::UTC)
            : QDateTime();
    const bool recycled = !oldInstance.empty() && oldInstance != a->server.instanceId;
    if (recycled) {
        a->previousInstance = qstr(oldInstance);
        a->instanceChangedAt = QDateTime::currentDateTime();
    }
    m_domain.servers[m_agentIndex.value(name)] = a->server;
    // An agent answers every poll, and most answers only move its uptime on, which the views
    // extrapolate (AgentState::uptimeNow): they hear of the other changes only.
    const bool changed =
        !wasReachable || recycled || a->role != roleBefore ||
        a->server.services != before.services || a->server.instanceId != before.instanceId ||
        a->server.version != before.version || a->server.startedAt != before.startedAt ||
        a->server.address != before.address || a->outboxDepth != outboxBefore ||
        a->lastEventSeq != lastSeqBefore || a->certificateNotAfter != certificateBefore;
    if (changed) {
        m_agentsDirty = true;
        m_statsDirty = true;
        notifyLater();
    }
    if (recycled)
        Q_EMIT instanceChanged(name);
    if (m_failedUsers < 0 && a->role == QLatin1String("cache-primary"))
        pollFailedUsers(); // the status bar's count, without waiting for the timer
    if (!wasReachable)
        updateConnection();
}

void Session::onBindings(int generation, const QString &agent, std::vector<Binding> bindings)
{
    if (generation != m_generation)
        return;
    auto [reported, first] = m_reportedBindings.try_emplace(agent);
    if (!first && reported->second.size() == bindings.size() &&
        std::equal(bindings.begin(), bindings.end(), reported->second.begin(), sameBinding))
        return; // the usual answer: nothing changed since the last poll
    reported->second = std::move(bindings);
    m_bindingsDirty = true;
    notifyLater();
}

void Session::onBinding(int generation, const QString &agent, const Binding &binding)
{
    if (generation != m_generation)
        return;
    auto &list = m_reportedBindings[agent];
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const Binding &b) { return b.id == binding.id; });
    if (it != list.end())
        *it = binding;
    else
        list.push_back(binding);
    m_bindingsDirty = true;
    notifyLater();
}

// Tells the views now if they have not heard anything for NotifyIntervalMs, else that long
// after they last did: a burst of answers becomes one update of the tables and the topology.
void Session::notifyLater()
{
    if (m_notifyTimer.isActive())
        return;
    const qint64 since = m_lastNotify.isValid() ? m_lastNotify.elapsed() : NotifyIntervalMs;
    // Even "now" goes through the event loop, so the answers already queued join this update.
    m_notifyTimer.start(static_cast<int>(std::max<qint64>(0, NotifyIntervalMs - since)));
}

void Session::notifyNow()
{
    m_lastNotify.start();
    const bool agents = std::exchange(m_agentsDirty, false);
    const bool bindings = std::exchange(m_bindingsDirty, false);
    const bool stats = std::exchange(m_statsDirty, false);
    if (agents)
        Q_EMIT agentsChanged();
    if (bindings)
        rebuildBindings(); // emits bindingsChanged and statsChanged if the merged set changed
    if (stats)
        Q_EMIT statsChanged();
}

void Session::rebuildBindings()
{
    m_bindingReports = static_cast<int>(m_reportedBindings.size());
    std::map<std::string, Binding> merged;
    for (const auto &entry : m_reportedBindings) {
        for (const Binding &b : entry.second)
            merged[b.id] = b;
    }
    std::vector<Binding> bindings;
    bindings.reserve(merged.size());
    for (auto &entry : merged)
        bindings.push_back(std::move(entry.second));
    const bool changed =
        bindings.size() != m_domain.bindings.size() ||
        !std::equal(bindings.begin(), bindings.end(), m_domain.bindings.begin(), sameBinding);
    if (!changed)
        return;
    m_domain.bindings = std::move(bindings);
    Q_EMIT bindingsChanged();
    Q_EMIT statsChanged();
}

void Session::onUnreachable(int generation, const QString &name, const QString &error)
{
    if (generation != m_generation)
        return;
    AgentState *a = agentState(name);
    if (!a)
        return;
    const bool changed = a->reachable || !a->unreachableSince.isValid() || a->lastError != error;
    if (a->reachable || !a->unreachableSince.isValid())
        a->unreachableSince = QDateTime::currentDateTime();
    a->reachable = false;
    a->lastError = error;
    if (changed) {
        m_agentsDirty = true;
        notifyLater();
        updateConnection();
    }
}

void Session::onHistoryOpened(int generation, const QString &path, const QString &error)
{
    if (generation != m_generation)
        return;
    if (!error.isEmpty()) {
        Q_EMIT actionFinished(false,
                              tr("Cannot open the history database %1: %2").arg(path, error));
        return;
    }
    Q_EMIT historyOpened(path);
}

void Session::onHistoryGrew(int generation, int appended)
{
    if (generation == m_generation)
        Q_EMIT historyGrew(appended);
}

void Session::updateConnection()
{
    Connection c = Connection::Idle;
    if (m_io) {
        int reachable = 0;
        int pending = 0;
        for (const AgentState &a : m_agents) {
            if (a.reachable)
                ++reachable;
            else if (!a.unreachableSince.isValid())
                ++pending;
        }
        if (pending > 0)
            c = Connection::Connecting;
        else if (reachable == m_agents.size())
            c = Connection::Connected;
        else if (reachable > 0)
            c = Connection::Degraded;
        else
            c = Connection::Lost;
    }
    if (c != m_connection) {
        m_connection = c;
        Q_EMIT connectionChanged(c);
    }
}

void Session::call(const QString &agentName, const QString &method, const QString &target,
                   const QString &body, QObject *context, JsonCallback done)
{
    const AgentState *a = agent(agentName);
    if (!m_io || !a) {
        const Error e{static_cast<int>(rpc::ServerUnavailable),
                      str(tr("no agent %1 in this profile").arg(agentName))};
        QMetaObject::invokeMethod(
            this,
            [ctx = QPointer<QObject>(context), done = std::move(done), e] {
                if (ctx)
                    done(e);
            },
            Qt::QueuedConnection);
        return;
    }
    net::Endpoint endpoint;
    net::parseEndpoint(str(a->address), endpoint);
    if (const client::ProfileAgent *known = m_profile.agent(str(agentName)))
        endpoint.tls = known->endpoint.tls; // the profile's certificate
    Io *io = m_io.get();
    asio::post(io->io, [io, endpoint, m = str(method), t = str(target), b = str(body),
                        ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        io->request(endpoint, m, t, b,
                    [io, ctx = std::move(ctx), done = std::move(done)](Result<json> r, bool) {
                        io->toGui([ctx, done, r = std::move(r)] {
                            if (ctx)
                                done(r);
                        });
                    });
    });
}

void Session::refresh()
{
    if (!m_io) {
        Q_EMIT actionFinished(false, tr("Nothing to refresh: no domain is open."));
        return;
    }
    Io *io = m_io.get();
    asio::post(io->io, [io] {
        for (auto &a : io->agents)
            io->pollNow(*a);
    });
    pollFailedUsers();
}

void Session::postRebind(const QString &agentName, const QString &body, const QString &what)
{
    call(agentName, QStringLiteral("POST"), QStringLiteral("/v1/rebind"), body, this,
         [this, what](const Result<json> &r) {
             if (r) {
                 Q_EMIT actionFinished(true, tr("Rebind of %1 started.").arg(what));
             } else {
                 Q_EMIT actionFinished(
                     false, tr("Rebind of %1 failed: %2").arg(what, describeError(r.error())));
             }
             refresh();
         });
}

void Session::rebind(const QString &bindingId)
{
    const Binding *b = m_domain.binding(str(bindingId));
    if (!b) {
        Q_EMIT actionFinished(false, tr("No binding %1 is known.").arg(bindingId));
        return;
    }
    const json body = {{"binding", b->id}};
    postRebind(qstr(b->fromServer), qstr(body.dump()), bindingId);
}

namespace {

// Counts the answers of several requests made for one action and reports once.
struct Tally
{
    int remaining = 0;
    int ok = 0;
    int items = 0;
    QStringList errors;
};

} // namespace

void Session::rebindServer(const QString &server)
{
    std::vector<const Binding *> bindings = m_domain.bindingsOf(str(server));
    if (bindings.empty()) {
        Q_EMIT actionFinished(false, tr("Server %1 has no bindings to rebind.").arg(server));
        return;
    }
    auto tally = std::make_shared<Tally>();
    tally->remaining = static_cast<int>(bindings.size());
    for (const Binding *b : bindings) {
        const json body = {{"binding", b->id}};
        call(qstr(b->fromServer), QStringLiteral("POST"), QStringLiteral("/v1/rebind"),
             qstr(body.dump()), this,
             [this, tally, server, id = qstr(b->id)](const Result<json> &r) {
                 if (r)
                     ++tally->ok;
                 else
                     tally->errors << QStringLiteral("%1: %2").arg(id, describeError(r.error()));
                 if (--tally->remaining > 0)
                     return;
                 if (tally->errors.isEmpty()) {
                     Q_EMIT actionFinished(
                         true,
                         tr("Rebinding %n binding(s) of %1.", nullptr, tally->ok).arg(server));
                 } else {
                     Q_EMIT actionFinished(
                         false, tr("Rebind of %1's bindings failed: %2")
                                    .arg(server, tally->errors.join(QStringLiteral("; "))));
                 }
                 refresh();
             });
    }
}

void Session::rebindAllStale()
{
    QStringList targets;
    for (const AgentState &a : m_agents) {
        if (a.reachable)
            targets << a.name;
    }
    if (targets.isEmpty()) {
        Q_EMIT actionFinished(false, tr("Cannot rebind: no agent answers."));
        return;
    }
    auto tally = std::make_shared<Tally>();
    tally->remaining = static_cast<int>(targets.size());
    const QString body = QStringLiteral(R"({"all_stale": true})");
    for (const QString &name : targets) {
        call(name, QStringLiteral("POST"), QStringLiteral("/v1/rebind"), body, this,
             [this, tally, name](const Result<json> &r) {
                 if (r) {
                     ++tally->ok;
                     if (const auto list = r->find("rebinding");
                         list != r->end() && list->is_array())
                         tally->items += static_cast<int>(list->size());
                 } else {
                     tally->errors << QStringLiteral("%1: %2").arg(name, describeError(r.error()));
                 }
                 if (--tally->remaining > 0)
                     return;
                 if (!tally->errors.isEmpty()) {
                     Q_EMIT actionFinished(false,
                                           tr("Rebind of stale bindings failed on %1")
                                               .arg(tally->errors.join(QStringLiteral("; "))));
                 } else if (tally->items == 0) {
                     Q_EMIT actionFinished(true, tr("No stale bindings to rebind."));
                 } else {
                     Q_EMIT actionFinished(
                         true, tr("Rebinding %n stale binding(s).", nullptr, tally->items));
                 }
                 refresh();
             });
    }
}

void Session::resync(ResyncScope scope, const QStringList &users)
{
    const AgentState *primary = primaryCache();
    if (!primary) {
        JobState job;
        job.state = QStringLiteral("failed");
        job.error = tr("No primary host account cache is known.");
        Q_EMIT jobUpdated(job);
        Q_EMIT actionFinished(false, tr("Cannot resync: %1").arg(job.error));
        return;
    }
    json body;
    switch (scope) {
    case ResyncScope::Users: {
        json list = json::array();
        for (const QString &u : users)
            list.push_back(str(u));
        body = {{"users", list}};
        break;
    }
    case ResyncScope::Failed:
        body = {{"failed", true}};
        break;
    case ResyncScope::All:
        body = {{"all", true}};
        break;
    }
    const QString agentName = primary->name;
    call(agentName, QStringLiteral("POST"), QStringLiteral("/v1/resync"), qstr(body.dump()), this,
         [this, agentName](const Result<json> &r) {
             if (!r) {
                 JobState job;
                 job.state = QStringLiteral("failed");
                 job.error = describeError(r.error());
                 Q_EMIT jobUpdated(job);
                 Q_EMIT actionFinished(false, tr("Resync failed to start: %1").arg(job.error));
                 return;
             }
             const JobState job = parseJob(r->value("job", json::object()));
             Q_EMIT jobUpdated(job);
             if (job.finished()) {
                 Q_EMIT actionFinished(true, tr("Resync %1 finished: %2 done, %3 failed.")
                                                 .arg(job.id)
                                                 .arg(job.done)
                                                 .arg(job.failed));
                 return;
             }
             Q_EMIT actionFinished(
                 true, tr("Resync %1 of %n user(s) started.", nullptr, job.total).arg(job.id));
             followJob(agentName, job.id);
         });
}

void Session::followJob(const QString &agentName, const QString &jobId)
{
    const int generation = m_generation;
    QTimer::singleShot(JobPollMs, this, [this, generation, agentName, jobId] {
        if (generation != m_generation)
            return;
        call(agentName, QStringLiteral("GET"), QStringLiteral("/v1/jobs/") + jobId, {}, this,
             [this, agentName, jobId](const Result<json> &r) {
                 if (!r) {
                     JobState job;
                     job.id = jobId;
                     job.state = QStringLiteral("lost");
                     job.error = describeError(r.error());
                     Q_EMIT jobUpdated(job);
                     Q_EMIT actionFinished(false,
                                           tr("Lost track of resync %1: %2").arg(jobId, job.error));
                     return;
                 }
                 const JobState job = parseJob(*r);
                 Q_EMIT jobUpdated(job);
                 if (!job.finished()) {
                     followJob(agentName, jobId);
                     return;
                 }
                 if (job.state == QLatin1String("cancelled")) {
                     Q_EMIT actionFinished(true, tr("Resync %1 cancelled after %2 of %3 users.")
                                                     .arg(job.id)
                                                     .arg(job.done)
                                                     .arg(job.total));
                 } else {
                     Q_EMIT actionFinished(job.failed == 0,
                                           tr("Resync %1 finished: %2 done, %3 failed.")
                                               .arg(job.id)
                                               .arg(job.done)
                                               .arg(job.failed));
                 }
                 pollFailedUsers();
             });
    });
}

void Session::cancelJob(const QString &jobId)
{
    const AgentState *primary = primaryCache();
    if (!primary)
        return;
    call(primary->name, QStringLiteral("POST"), QStringLiteral("/v1/jobs/%1/cancel").arg(jobId),
         QStringLiteral("{}"), this, [this, jobId](const Result<json> &r) {
             if (!r) {
                 Q_EMIT actionFinished(
                     false, tr("Cannot cancel resync %1: %2").arg(jobId, describeError(r.error())));
             }
         });
}

void Session::recycle(const QString &server)
{
    const QString dir = demoDirectory();
    if (dir.isEmpty()) {
        Q_EMIT actionFinished(false, tr("Recycling a server is possible only in the demo domain."));
        return;
    }
    if (!m_blocking)
        m_blocking = std::make_unique<TaskThread>();
    Q_EMIT actionFinished(true, tr("Recycling %1…").arg(server));
    m_blocking->post([this, dir = str(dir), name = str(server)] {
        const Status st = client::DemoDomain::recycle(dir, name);
        const QString error = st ? QString() : qstr(st.error().message);
        QMetaObject::invokeMethod(
            this,
            [this, server = qstr(name), error] {
                const bool ok = error.isEmpty();
                const QString message =
                    ok ? tr("%1 was recycled: it runs as a new instance.").arg(server)
                       : tr("Recycling %1 failed: %2").arg(server, error);
                Q_EMIT recycleFinished(server, ok, message);
                Q_EMIT actionFinished(ok, message);
                if (m_io)
                    refresh();
            },
            Qt::QueuedConnection);
    });
}

void Session::requestUsers(const UsersQuery &query, QObject *context,
                           std::function<void(const Result<UsersPage> &)> done)
{
    const AgentState *primary = primaryCache();
    if (!primary) {
        QMetaObject::invokeMethod(
            this,
            [ctx = QPointer<QObject>(context), done = std::move(done)] {
                if (ctx)
                    done(Error{static_cast<int>(rpc::ServerUnavailable),
                               str(tr("no primary host account cache is known yet"))});
            },
            Qt::QueuedConnection);
        return;
    }
    std::string target = "/v1/users?limit=" + std::to_string(query.limit);
    if (!query.state.isEmpty())
        target += "&state=" + encode(query.state);
    if (!query.text.isEmpty())
        target += "&text=" + encode(query.text);
    if (!query.after.isEmpty())
        target += "&after=" + encode(query.after);
    call(primary->name, QStringLiteral("GET"), qstr(target), {}, context,
         [done = std::move(done)](const Result<json> &r) {
             if (!r) {
                 done(r.error());
                 return;
             }
             UsersPage page;
             try {
                 if (const auto users = r->find("users"); users != r->end() && users->is_array())
                     page.users = users->get<std::vector<UserMapping>>();
             } catch (const std::exception &e) {
                 done(Error{static_cast<int>(rpc::BadStubData), e.what()});
                 return;
             }
             page.next = qstr(text(*r, "next"));
             done(page);
         });
}

void Session::requestOutbox(const QString &user, QObject *context,
                            std::function<void(const Result<std::vector<OutboxEntry>> &)> done)
{
    QStringList targets;
    for (const AgentState &a : m_agents) {
        if (a.reachable)
            targets << a.name;
    }
    struct Merge
    {
        int remaining = 0;
        std::vector<OutboxEntry> entries;
        QStringList errors;
        std::function<void(const Result<std::vector<OutboxEntry>> &)> done;
    };
    auto merge = std::make_shared<Merge>();
    merge->remaining = static_cast<int>(targets.size());
    merge->done = std::move(done);
    if (targets.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [ctx = QPointer<QObject>(context), merge] {
                if (ctx)
                    merge->done(Error{static_cast<int>(rpc::ServerUnavailable),
                                      str(tr("no agent answers"))});
            },
            Qt::QueuedConnection);
        return;
    }
    const QString target =
        QStringLiteral("/v1/outbox?user=") + QString::fromUtf8(QUrl::toPercentEncoding(user));
    for (const QString &name : targets) {
        call(name, QStringLiteral("GET"), target, {}, context,
             [merge, name](const Result<json> &r) {
                 if (r) {
                     if (const auto list = r->find("pending");
                         list != r->end() && list->is_array()) {
                         for (const json &p : *list) {
                             OutboxEntry e;
                             e.seq = integer(p, "seq");
                             e.changeId = qstr(text(p, "change_id"));
                             e.kind = qstr(text(p, "kind"));
                             e.user = qstr(text(p, "user"));
                             e.target = qstr(text(p, "target"));
                             e.created = isoTime(p, "created");
                             e.attempts = static_cast<int>(integer(p, "attempts"));
                             e.lastAttempt = isoTime(p, "last_attempt");
                             e.lastStatus = statusCode(p, "last_status");
                             e.agent = name;
                             merge->entries.push_back(std::move(e));
                         }
                     }
                 } else if (r.error().code != 409 &&
                            r.error().code != static_cast<int>(rpc::EndpointNotRegistered)) {
                     merge->errors << QStringLiteral("%1: %2").arg(name, describeError(r.error()));
                 }
                 if (--merge->remaining > 0)
                     return;
                 if (merge->entries.empty() && !merge->errors.isEmpty()) {
                     merge->done(Error{0, str(merge->errors.join(QStringLiteral("; ")))});
                     return;
                 }
                 std::sort(merge->entries.begin(), merge->entries.end(),
                           [](const OutboxEntry &a, const OutboxEntry &b) {
                               return a.created < b.created;
                           });
                 merge->done(merge->entries);
             });
    }
}

void Session::pollFailedUsers()
{
    if (!m_io || !primaryCache())
        return;
    UsersQuery q;
    q.state = QStringLiteral("failed");
    q.limit = FailedUsersLimit;
    requestUsers(q, this, [this](const Result<UsersPage> &r) {
        if (!r)
            return;
        const int count = static_cast<int>(r->users.size());
        const bool more = !r->next.isEmpty();
        if (count != m_failedUsers || more != m_failedUsersMore) {
            m_failedUsers = count;
            m_failedUsersMore = more;
            Q_EMIT statsChanged();
        }
    });
}

} // namespace hostsec::ui
