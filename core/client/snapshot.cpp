#include "client/snapshot.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "model/rpcstatus.h"
#include "pki/identity.h"
#include "protocol/modeljson.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

namespace hostsec::client {

using diagnosis::DomainSnapshot;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int PageLimit = 1000;         // the admin API's largest page
constexpr auto StartAgentAtLeast = 20s; // agents take a few seconds to answer after a start

// A string member, or "" when missing or not a string.
std::string text(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An ISO time member, or 0 when null, missing or not a time.
Millis timeOf(const json &object, const char *key)
{
    const std::string iso = text(object, key);
    const Millis t = iso.empty() ? 0 : parseIsoTime(iso);
    return t < 0 ? 0 : t;
}

// The code of an API status object ({"code": 1726, ...}); 0 when it is not one.
std::uint32_t codeOf(const json &object, const char *key)
{
    if (!object.is_object())
        return 0;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_object())
        return 0;
    const auto code = it->find("code");
    if (code == it->end() || !code->is_number_integer() || code->get<std::int64_t>() < 0 ||
        code->get<std::int64_t>() > 0xFFFFFFFFLL)
        return 0;
    return static_cast<std::uint32_t>(code->get<std::int64_t>());
}

json arrayOf(const json &object, const char *key)
{
    if (object.is_object()) {
        const auto it = object.find(key);
        if (it != object.end() && it->is_array())
            return *it;
    }
    return json::array();
}

// What an agent's GET /v1/status says about its server.
Server serverFrom(const json &status, const std::string &fallbackName)
{
    Server server;
    server.name = text(status, "server");
    if (server.name.empty())
        server.name = fallbackName;
    server.address = text(status, "address");
    if (const auto services = status.find("services");
        services != status.end() && services->is_array())
        server.services = services->get<std::vector<Service>>();
    server.instanceId = text(status, "instance_id");
    server.startedAt = timeOf(status, "started_at");
    server.version = text(status, "version");
    return server;
}

diagnosis::PendingChange pendingFrom(const json &row, const std::string &holder)
{
    diagnosis::PendingChange p;
    p.holder = holder;
    p.seq = row.value("seq", std::int64_t{0});
    p.changeId = text(row, "change_id");
    p.kind = text(row, "kind");
    p.user = text(row, "user");
    p.target = text(row, "target");
    p.created = timeOf(row, "created");
    p.attempts = row.value("attempts", 0);
    p.lastAttempt = timeOf(row, "last_attempt");
    p.lastStatus = codeOf(row, "last_status");
    return p;
}

Event eventFrom(const json &row)
{
    Event e;
    e.seq = row.value("seq", std::int64_t{0});
    e.originSeq = e.seq;
    e.time = timeOf(row, "time");
    e.server = text(row, "server");
    e.source = text(row, "source");
    e.id = row.value("id", 0);
    e.severity = severityFromString(text(row, "severity")).value_or(Severity::Information);
    for (const json &param : arrayOf(row, "params"))
        e.params.push_back(param.is_string() ? param.get<std::string>() : param.dump());
    e.message = text(row, "message");
    return e;
}

// "/v1/events?from=...": ISO times need no escaping but ':' is reserved in a query, so it is
// encoded as the HTTP client does for other values.
std::string encoded(const std::string &value)
{
    static constexpr char Hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += Hex[byte >> 4];
            out += Hex[byte & 0xF];
        }
    }
    return out;
}

// The agents that answered the status round, with what they run.
struct Reached
{
    const ProfileAgent *agent;
    Server server;
    std::int64_t lastEventSeq = 0;
};

class Collector
{
public:
    Collector(const Profile &profile, const SnapshotOptions &options, DomainSnapshot &snapshot)
        : m_profile(profile)
        , m_options(options)
        , m_s(snapshot)
    {}

    void run()
    {
        askStatus();
        if (m_reached.empty())
            return;
        askBindings();
        askOutbox();
        askUsers();
        askEvents();
    }

private:
    // GET `target` from the reached agents in `which` at once.
    std::vector<Result<json>> askAll(const std::vector<const Reached *> &which,
                                     const std::string &target)
    {
        std::vector<net::Endpoint> endpoints;
        for (const Reached *r : which)
            endpoints.push_back(r->agent->endpoint);
        return AgentClient::getAll(endpoints, target, m_options.timeout);
    }

    std::vector<const Reached *> all() const
    {
        std::vector<const Reached *> list;
        for (const Reached &r : m_reached)
            list.push_back(&r);
        return list;
    }

    void gap(const std::string &server, const std::string &what, const std::string &why)
    {
        m_s.gaps.push_back(server + ": " + what + ": " + why);
    }

    // An agent answered the status round but failed this one. A service it does not run
    // (409 EPT_S_NOT_REGISTERED) is no gap: it simply has nothing of the kind.
    void failed(const Reached &r, const std::string &what, const Error &error)
    {
        if (error.code == static_cast<int>(rpc::EndpointNotRegistered))
            return;
        gap(r.agent->name, what, AgentClient::describeError(error));
    }

    void askStatus()
    {
        std::vector<net::Endpoint> endpoints;
        for (const ProfileAgent &agent : m_profile.agents)
            endpoints.push_back(agent.endpoint);
        auto answers = AgentClient::getAll(endpoints, "/v1/status", m_options.timeout);
        for (std::size_t i = 0; i < answers.size(); ++i) {
            const ProfileAgent &agent = m_profile.agents[i];
            diagnosis::AgentState state;
            state.name = agent.name;
            state.endpoint = agent.endpoint.toString();
            if (!answers[i]) {
                state.error = AgentClient::describeError(answers[i].error());
                m_s.agents.push_back(std::move(state));
                continue;
            }
            try {
                const json &status = answers[i].value();
                Reached reached{&agent, serverFrom(status, agent.name),
                                status.value("last_event_seq", std::int64_t{0})};
                if (reached.server.address.empty())
                    reached.server.address = state.endpoint;
                if (m_s.domain.name.empty())
                    m_s.domain.name = text(status, "domain");
                if (m_s.domain.hostDomain.empty())
                    m_s.domain.hostDomain = text(status, "host_domain");
                if (const auto cert = status.find("certificate");
                    cert != status.end() && cert->is_object()) {
                    state.certificate = text(*cert, "name");
                    state.certificateNotAfter = timeOf(*cert, "not_after");
                }
                m_s.domain.servers.push_back(reached.server);
                m_reached.push_back(std::move(reached));
                state.reachable = true;
            } catch (const std::exception &e) {
                // It answers, but not as an agent does: unreachable for every purpose here.
                state.error = std::string("GET /v1/status: unexpected answer: ") + e.what();
            }
            m_s.agents.push_back(std::move(state));
        }
    }

    void askBindings()
    {
        const auto which = all();
        auto answers = askAll(which, "/v1/bindings");
        for (std::size_t i = 0; i < which.size(); ++i) {
            if (!answers[i]) {
                failed(*which[i], "GET /v1/bindings", answers[i].error());
                continue;
            }
            try {
                for (const json &row : arrayOf(answers[i].value(), "bindings"))
                    m_s.domain.bindings.push_back(row.get<Binding>());
            } catch (const std::exception &e) {
                gap(which[i]->agent->name, "GET /v1/bindings", e.what());
            }
        }
    }

    void askOutbox()
    {
        const auto which = all();
        auto answers = askAll(which, "/v1/outbox");
        for (std::size_t i = 0; i < which.size(); ++i) {
            if (!answers[i]) {
                failed(*which[i], "GET /v1/outbox", answers[i].error());
                continue;
            }
            try {
                for (const json &row : arrayOf(answers[i].value(), "pending"))
                    m_s.pending.push_back(pendingFrom(row, which[i]->agent->name));
            } catch (const std::exception &e) {
                gap(which[i]->agent->name, "GET /v1/outbox", e.what());
            }
        }
    }

    // Users that are not in sync, from every agent that keeps user mappings; one row per
    // account, the most recently changed view winning (the domain controller knows a change
    // is pending before the primary cache hears of it).
    void askUsers()
    {
        std::vector<const Reached *> which;
        for (const Reached &r : m_reached) {
            if (r.server.runs(ServiceKind::HostAccountSync) ||
                r.server.runs(ServiceKind::DomainAccountSync))
                which.push_back(&r);
        }
        std::map<std::string, UserMapping> users;
        for (const char *state : {"failed", "rejected", "pending"}) {
            const std::string first =
                std::string("/v1/users?state=") + state + "&limit=" + std::to_string(PageLimit);
            auto answers = askAll(which, first);
            for (std::size_t i = 0; i < which.size(); ++i) {
                const std::string what = std::string("GET /v1/users?state=") + state;
                if (!answers[i]) {
                    failed(*which[i], what, answers[i].error());
                    continue;
                }
                try {
                    readUsers(*which[i], state, std::move(answers[i]).value(), users);
                } catch (const std::exception &e) {
                    gap(which[i]->agent->name, what, e.what());
                }
            }
        }
        for (auto &[account, mapping] : users)
            m_s.users.push_back(std::move(mapping));
    }

    void readUsers(const Reached &r, const char *state, json page,
                   std::map<std::string, UserMapping> &users)
    {
        int read = 0;
        AgentClient client(r.agent->endpoint, m_options.timeout);
        while (true) {
            for (const json &row : arrayOf(page, "users")) {
                UserMapping mapping = row.get<UserMapping>();
                auto [it, inserted] = users.emplace(mapping.domainAccount, mapping);
                if (!inserted && mapping.lastChange > it->second.lastChange)
                    it->second = std::move(mapping);
                ++read;
            }
            const std::string next = text(page, "next");
            if (next.empty())
                return;
            if (read >= m_options.maxUsersPerState) {
                gap(r.agent->name, std::string("GET /v1/users?state=") + state,
                    "more than " + std::to_string(read) + " users; the rest were not read");
                return;
            }
            auto more = client.get(std::string("/v1/users?state=") + state + "&limit=" +
                                   std::to_string(PageLimit) + "&after=" + encoded(next));
            if (!more) {
                failed(r, std::string("GET /v1/users?state=") + state, more.error());
                return;
            }
            page = std::move(more).value();
        }
    }

    // The recent window of every agent's event log: from the window's start, at most the
    // newest maxEventsPerAgent (by seq, which the status round gave).
    void askEvents()
    {
        const std::string from = "from=" + encoded(formatIsoTime(m_s.eventsFrom));
        std::vector<std::pair<const Reached *, std::int64_t>> cursors;
        for (const Reached &r : m_reached)
            cursors.emplace_back(
                &r, std::max<std::int64_t>(0, r.lastEventSeq - m_options.maxEventsPerAgent));
        // First pages at once; agents with more (rare: a busy hour) page on one by one.
        std::map<std::int64_t, std::vector<const Reached *>> byCursor;
        for (const auto &[r, after] : cursors)
            byCursor[after].push_back(r);
        for (const auto &[after, which] : byCursor) {
            auto answers = askAll(which, "/v1/events?" + from + "&after=" + std::to_string(after) +
                                             "&limit=" + std::to_string(PageLimit));
            for (std::size_t i = 0; i < which.size(); ++i) {
                if (!answers[i]) {
                    failed(*which[i], "GET /v1/events", answers[i].error());
                    continue;
                }
                try {
                    readEvents(*which[i], after, std::move(answers[i]).value());
                } catch (const std::exception &e) {
                    gap(which[i]->agent->name, "GET /v1/events", e.what());
                }
            }
        }
        std::stable_sort(
            m_s.recentEvents.begin(), m_s.recentEvents.end(), [](const Event &a, const Event &b) {
                return std::tie(a.time, a.server, a.seq) < std::tie(b.time, b.server, b.seq);
            });
    }

    void readEvents(const Reached &r, std::int64_t after, json page)
    {
        const std::string from = "from=" + encoded(formatIsoTime(m_s.eventsFrom));
        AgentClient client(r.agent->endpoint, m_options.timeout);
        if (after > 0) {
            // Cut at maxEventsPerAgent: say so when the window holds older events.
            auto older = client.get("/v1/events?" + from + "&after=0&limit=1");
            if (older) {
                const json first = arrayOf(older.value(), "events");
                if (!first.empty() && first.front().value("seq", std::int64_t{0}) <= after)
                    gap(r.agent->name, "GET /v1/events",
                        "more than " + std::to_string(m_options.maxEventsPerAgent) +
                            " events in the window; only the newest were read");
            }
        }
        while (true) {
            const json rows = arrayOf(page, "events");
            for (const json &row : rows) {
                Event e = eventFrom(row);
                after = std::max(after, e.seq);
                if (e.server.empty())
                    e.server = r.agent->name;
                m_s.recentEvents.push_back(std::move(e));
            }
            if (static_cast<int>(rows.size()) < PageLimit)
                return;
            auto more = client.get("/v1/events?" + from + "&after=" + std::to_string(after) +
                                   "&limit=" + std::to_string(PageLimit));
            if (!more) {
                failed(r, "GET /v1/events", more.error());
                return;
            }
            page = std::move(more).value();
        }
    }

    const Profile &m_profile;
    const SnapshotOptions &m_options;
    DomainSnapshot &m_s;
    std::vector<Reached> m_reached;
};

Error refused(const std::string &what, const ProfileAgent &agent, const Error &why)
{
    return Error{why.code, what + " on " + agent.name + ": " + AgentClient::describeError(why)};
}

Result<const ProfileAgent *> agentNamed(const Profile &profile, const std::string &name)
{
    if (const ProfileAgent *agent = profile.agent(name))
        return agent;
    return Error{static_cast<int>(rpc::InvalidParameter),
                 "no server " + name + " in " + profile.path};
}

// The agent whose status says it keeps the primary host account cache.
Result<const ProfileAgent *> primaryCache(const Profile &profile, std::chrono::milliseconds timeout)
{
    std::vector<net::Endpoint> endpoints;
    for (const ProfileAgent &agent : profile.agents)
        endpoints.push_back(agent.endpoint);
    auto answers = AgentClient::getAll(endpoints, "/v1/status", timeout);
    std::string down;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (!answers[i]) {
            down += (down.empty() ? "" : "; ") + profile.agents[i].name + ": " +
                    AgentClient::describeError(answers[i].error());
            continue;
        }
        if (text(answers[i].value(), "role") == "cache-primary")
            return &profile.agents[i];
    }
    return Error{static_cast<int>(rpc::ServerUnavailable),
                 "no reachable agent of " + profile.path + " keeps the primary host account cache" +
                     (down.empty() ? std::string() : " (unreachable: " + down + ")")};
}

} // namespace

Result<DomainSnapshot> collectSnapshot(const Profile &profile, const SnapshotOptions &options)
{
    if (profile.agents.empty())
        return Error{static_cast<int>(rpc::InvalidParameter),
                     profile.path + ": the profile lists no agent"};
    DomainSnapshot snapshot;
    snapshot.takenAt = nowMillis();
    snapshot.profile = profile.path;
    snapshot.demo = profile.demo;
    snapshot.domain.name = profile.domain;
    snapshot.domain.hostDomain = profile.hostDomain;
    snapshot.eventsFrom = snapshot.takenAt - options.eventWindow.count();
    if (!profile.tls.certFile.empty()) {
        std::ifstream in(profile.tls.certFile, std::ios::binary);
        std::ostringstream pem;
        pem << in.rdbuf();
        if (auto who = pki::readIdentity(pem.str())) {
            snapshot.userCertificate = who->name;
            snapshot.userRole = std::string(pki::roleName(who->role));
            snapshot.userCertificateFile = profile.tls.certFile.string();
            snapshot.userCertificateNotAfter = who->notAfter;
        }
    }
    Collector(profile, options, snapshot).run();
    return snapshot;
}

Status runAction(const Profile &profile, const diagnosis::Action &action,
                 std::chrono::milliseconds timeout)
{
    using diagnosis::ActionKind;
    const auto post = [timeout](const ProfileAgent &agent, const char *what, const json &body) {
        auto answer = AgentClient(agent.endpoint, timeout).post(what, body);
        return answer ? Status()
                      : Status(refused(std::string("POST ") + what, agent, answer.error()));
    };
    switch (action.kind) {
    case ActionKind::None:
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "nothing to run: " +
                         (action.text.empty() ? std::string("no action") : action.text)};
    case ActionKind::RebindBinding:
        for (const std::string &id : action.targets) {
            // A binding is held, and so rebound, by its client side: "DC1/..." -> DC1.
            auto holder = agentNamed(profile, id.substr(0, id.find('/')));
            if (!holder)
                return Error{holder.error().code, "rebind " + id + ": " + holder.error().message};
            if (auto done = post(**holder, "/v1/rebind", json{{"binding", id}}); !done)
                return done;
        }
        return {};
    case ActionKind::RebindServer:
        for (const std::string &server : action.targets) {
            auto holder = agentNamed(profile, server);
            if (!holder)
                return Error{holder.error().code, "rebind: " + holder.error().message};
            if (auto done = post(**holder, "/v1/rebind", json{{"all", true}}); !done)
                return done;
        }
        return {};
    case ActionKind::RebindAllStale: {
        // Every agent that answers rebinds its own; one that does not is named at the end.
        std::string problems;
        int code = 0;
        for (const ProfileAgent &agent : profile.agents) {
            if (auto done = post(agent, "/v1/rebind", json{{"all_stale", true}}); !done) {
                problems += (problems.empty() ? "" : "; ") + done.error().message;
                code = code == 0 ? done.error().code : code;
            }
        }
        if (!problems.empty())
            return Error{code, problems};
        return {};
    }
    case ActionKind::ResyncUsers:
    case ActionKind::ResyncFailed: {
        auto primary = primaryCache(profile, timeout);
        if (!primary)
            return Error{primary.error().code, "resync: " + primary.error().message};
        const json body = action.kind == ActionKind::ResyncUsers ? json{{"users", action.targets}}
                                                                 : json{{"failed", true}};
        return post(**primary, "/v1/resync", body);
    }
    case ActionKind::StartAgent: {
        std::string names;
        for (const std::string &server : action.targets)
            names += (names.empty() ? "" : ", ") + server;
        if (!profile.demo)
            return Error{static_cast<int>(rpc::InvalidParameter),
                         "start " + names + ": " + profile.path +
                             " is not a demo domain; start hostsecd on that server itself"};
        const std::string dir = std::filesystem::path(profile.path).parent_path().string();
        if (auto started =
                DemoDomain::start(dir.empty() ? "." : dir,
                                  std::max<std::chrono::milliseconds>(timeout, StartAgentAtLeast));
            !started)
            return Error{started.error().code, "start " + names + ": " + started.error().message};
        return {};
    }
    }
    return Error{static_cast<int>(rpc::InvalidParameter), "unknown action"};
}

} // namespace hostsec::client
