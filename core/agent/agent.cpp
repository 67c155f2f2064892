#include "agent/agent.h"

#include "agent/agentstore.h"
#include "agent/asio.h"
#include "agent/credentialkeyring.h"
#include "agent/peerbinding.h"
#include "agent/simulatedhost.h"
#include "events/catalogue.h"
#include "events/eventstore.h"
#include "net/transport.h"
#include "pki/identity.h"
#include "protocol/bindhandshake.h"
#include "protocol/jsonrpc.h"
#include "protocol/modeljson.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace hostsec {

using nlohmann::json;
using namespace std::chrono_literals;

const char *agentVersion()
{
    return "0.1.0";
}

namespace {

constexpr auto kDeliverTimeout = 5000ms;
constexpr auto kSsoTimeout = 2000ms;
constexpr std::size_t kMaxRpcMessage = 1024 * 1024;
constexpr int kDomainHashIterations = 2000;
constexpr int kWatchBacklog = 1000;

std::string hex(std::uint32_t code)
{
    return rpcCodeHex(code).substr(2);
}

std::string randomHex(std::size_t bytes)
{
    std::string raw(bytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(bytes));
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// The domain side keeps a salted hash of the domain password, never the password.
std::string domainPasswordHash(const std::string &password)
{
    unsigned char salt[16];
    RAND_bytes(salt, sizeof salt);
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, sizeof salt,
                      kDomainHashIterations, EVP_sha256(), sizeof out, out);
    return std::string(reinterpret_cast<char *>(salt), sizeof salt) +
           std::string(reinterpret_cast<char *>(out), sizeof out);
}

// Never throws: a text that is not UTF-8 (a client's path or query value echoed in an error, say)
// is written with U+FFFD instead of making dump() throw, which would answer 500.
std::string dumpJson(const json &j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json errorBody(std::uint32_t code, const std::string &message)
{
    json status = rpcStatusJson(code);
    status["message"] = message;
    return json{{"error", status}};
}

net::HttpResponse jsonResponse(int httpStatus, const json &body)
{
    return net::HttpResponse::json(httpStatus, dumpJson(body));
}

net::HttpResponse errorResponse(int httpStatus, std::uint32_t code, const std::string &message)
{
    return jsonResponse(httpStatus, errorBody(code, message));
}

// An RPC status as the HTTP status the admin API answers it with.
int httpStatusFor(std::uint32_t code)
{
    switch (code) {
    case rpc::AccessDenied:
        return 403;
    case rpc::NoSuchUser:
        return 404;
    case rpc::PasswordRestriction:
    case rpc::LogonFailure:
        return 422;
    case rpc::EndpointNotRegistered:
        return 409;
    case rpc::InvalidParameter:
    case rpc::BadStubData:
        return 400;
    case rpc::ServerUnavailable:
    case rpc::CallFailed:
    case rpc::CallFailedDne:
    case rpc::Timeout:
    case rpc::ServerTooBusy:
        return 503;
    default:
        return 500;
    }
}

// The answer for an Error from a component: its RPC status mapped to HTTP; a storage failure
// (code 0) is the agent's own trouble, 500.
net::HttpResponse errorFor(const Error &e)
{
    const auto code = static_cast<std::uint32_t>(e.code);
    return code ? errorResponse(httpStatusFor(code), code, e.message)
                : errorResponse(500, rpc::ServerTooBusy, e.message);
}

// Splits "a,b" and repeated keys (the transport keeps the last; commas carry the rest).
std::vector<std::string> listParam(const net::HttpRequest &r, const std::string &key)
{
    std::vector<std::string> out;
    std::string value = r.queryValue(key);
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

bool validDomainPassword(const std::string &password, std::string &why)
{
    if (password.empty()) {
        why = "password: must not be empty";
        return false;
    }
    if (password.size() > 256) {
        why = "password: longer than 256 characters";
        return false;
    }
    for (unsigned char c : password) {
        if (c < 0x20 || c == 0x7f) {
            why = "password: contains a control character";
            return false;
        }
    }
    return true;
}

std::string demoAccount(const std::string &domain, int i)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "user%04d", i);
    return domain + "\\" + buffer;
}

std::string demoHostAccount(int i)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "USER%04d", i);
    return buffer;
}

// The demo's initial password of user i: valid under the host's rules, never printed.
std::string demoInitialPassword(int i)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "INIT%04d", i);
    return buffer;
}

// An outbox entry carrying change `changeId` of `user`'s password to `target`.
OutboxEntry entryFor(const UserMapping &user, ChangeKind kind, const std::string &changeId,
                     const std::string &target, const std::string &origin)
{
    OutboxEntry e;
    e.changeId = changeId;
    e.kind = kind;
    e.account = user.domainAccount;
    e.hostAccount = user.hostAccount;
    e.target = target;
    e.origin = origin;
    return e;
}

} // namespace

// One resync job on the primary cache.
struct ResyncJob
{
    std::string id;
    std::vector<std::string> accounts;
    std::size_t next = 0;
    int done = 0;
    int failed = 0;
    bool cancelled = false;
    bool finished = false;
    Millis started = 0;
    Millis ended = 0;
    std::string by;

    json toJson() const
    {
        return {{"id", id},
                {"state", finished ? (cancelled ? "cancelled" : "done") : "running"},
                {"total", accounts.size()},
                {"done", done},
                {"failed", failed},
                {"started", isoTimeJson(started)},
                {"finished", isoTimeJson(ended)}};
    }
};

// An operator's state-changing call as the audit records it (event 900): who, what, on what,
// and how it ended. The handler fills in the target and the outcome as it learns them; a
// refusal's outcome is taken from the error it answers.
struct OperatorAudit
{
    std::string who;
    std::string what;
    std::string target = "-";
    std::string outcome;
};

struct Agent::Impl : std::enable_shared_from_this<Agent::Impl>
{
    Impl(boost::asio::io_context &context, AgentConfig c)
        : io(context)
        , config(std::move(c))
        , retryTimer(context)
        , maintenanceTimer(context)
    {}

    boost::asio::io_context &io;
    AgentConfig config;
    std::string instance = randomHex(8);
    Millis startedAt = nowMillis();
    net::TlsContextPtr tls;                  // null only with [tls] plaintext = true
    pki::Identity certificate;               // ours, as read from [tls] cert (when tls)
    std::unique_ptr<net::HttpServer> server; // made by start(), with the TLS context
    std::unique_ptr<EventStore> events;
    std::unique_ptr<AgentStore> store;
    std::unique_ptr<SimulatedHost> host;
    std::optional<CredentialKeyring> keyring; // cache.key, and the keys rotations replaced
    std::map<std::string, std::shared_ptr<PeerBinding>> bindings; // by binding id
    std::vector<std::weak_ptr<net::WebSocket>> watchers;
    std::set<std::string> inFlight; // outbox targets with a delivery on the wire
    std::map<std::string, std::shared_ptr<ResyncJob>> jobs;
    boost::asio::steady_timer retryTimer;
    boost::asio::steady_timer maintenanceTimer;
    bool stopped = false;
    bool serving = false; // start() got as far as announcing the start
    int jobCounter = 0;

    // Metrics.
    std::map<std::string, std::int64_t> ssoCounts;    // by result
    std::map<std::string, std::int64_t> changeCounts; // by result
    std::int64_t eventCount = 0;

    // ---- identity and topology ------------------------------------------------------------

    ServiceKind mainService() const { return config.services.front().kind; }

    std::vector<Service> servicesOf(const std::string &name) const
    {
        for (const PeerConfig &p : config.peers) {
            if (p.name == name)
                return p.services;
        }
        return {};
    }

    // Peers running a service (and, for caches, a role).
    std::vector<const PeerConfig *> peersWith(ServiceKind kind,
                                              std::optional<CacheRole> role = std::nullopt) const
    {
        std::vector<const PeerConfig *> out;
        for (const PeerConfig &p : config.peers) {
            for (const Service &s : p.services) {
                if (s.kind == kind && (!role || s.cacheRole == *role)) {
                    out.push_back(&p);
                    break;
                }
            }
        }
        return out;
    }

    std::string primaryCache() const
    {
        if (config.cacheRole() == CacheRole::Primary)
            return config.name;
        auto p = peersWith(ServiceKind::HostAccountSync, CacheRole::Primary);
        return p.empty() ? std::string() : p.front()->name;
    }

    std::shared_ptr<PeerBinding> bindingTo(const std::string &serverName) const
    {
        for (const auto &[id, b] : bindings) {
            if (b->model().toServer == serverName)
                return b;
        }
        return nullptr;
    }

    void addBinding(ServiceKind from, const PeerConfig &peer, ServiceKind to)
    {
        Binding b;
        b.id = Binding::makeId(config.name, from, peer.name, to);
        b.fromServer = config.name;
        b.fromService = from;
        b.toServer = peer.name;
        b.toService = to;
        b.interfaceUuid = std::string(interfaceUuid(to));
        b.endpoint = peer.address;
        b.policy = peer.policy;
        net::Endpoint endpoint;
        net::parseEndpoint(peer.address, endpoint);
        endpoint.tls = tls; // the peer must show a service certificate for its address
        std::weak_ptr<Impl> weak = weak_from_this();
        PeerBinding::Hooks hooks;
        hooks.changed = [weak](const Binding &model) {
            if (auto self = weak.lock())
                self->bindingChanged(model);
        };
        hooks.raise = [weak](int id, std::vector<std::string> params) {
            if (auto self = weak.lock())
                self->raise(id, std::move(params));
        };
        bindings.emplace(b.id, std::make_shared<PeerBinding>(
                                   io, b, endpoint, config.binding,
                                   LocalIdentity{config.name, from, instance}, std::move(hooks)));
    }

    // The bindings follow from the services (see resources/hostsecd.example.toml).
    void createBindings()
    {
        if (config.runs(ServiceKind::DomainAccountSync)) {
            for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync))
                addBinding(ServiceKind::DomainAccountSync, *p, ServiceKind::HostAccountSync);
        }
        if (config.cacheRole() == CacheRole::Primary) {
            for (const PeerConfig *p : peersWith(ServiceKind::Host))
                addBinding(ServiceKind::HostAccountSync, *p, ServiceKind::Host);
            for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync, CacheRole::Backup))
                addBinding(ServiceKind::HostAccountSync, *p, ServiceKind::HostAccountSync);
            for (const PeerConfig *p : peersWith(ServiceKind::DomainAccountSync))
                addBinding(ServiceKind::HostAccountSync, *p, ServiceKind::DomainAccountSync);
        }
        if (config.cacheRole() == CacheRole::Backup) {
            for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync, CacheRole::Primary))
                addBinding(ServiceKind::HostAccountSync, *p, ServiceKind::HostAccountSync);
        }
        if (config.runs(ServiceKind::Host) && !config.runs(ServiceKind::HostAccountSync)) {
            for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync, CacheRole::Primary))
                addBinding(ServiceKind::Host, *p, ServiceKind::HostAccountSync);
        }
    }

    // ---- events ---------------------------------------------------------------------------

    // Writes an event to the log (stamped `time`, or now), prints it and tells the watchers.
    // False when the log could not take it.
    bool raise(int id, std::vector<std::string> params, Millis time = 0)
    {
        Event e = makeEvent(id, config.name, std::move(params), time ? time : nowMillis());
        const auto appended = events->append(e);
        if (!appended)
            std::fprintf(stderr, "%s %s cannot record event %d: %s\n",
                         formatIsoTime(e.time).c_str(), config.name.c_str(), id,
                         appended.error().message.c_str());
        ++eventCount;
        std::fprintf(stderr, "%s %s %s %d %s\n", formatIsoTime(e.time).c_str(), config.name.c_str(),
                     std::string(toString(e.severity)).c_str(), e.id, e.message.c_str());
        broadcast(dumpJson(json{{"type", "event"}, {"event", eventJson(e)}}));
        return bool(appended);
    }

    // ---- the journal of a change's events (AgentStore::journalEvent) ----------------------

    // An event a change raises: journaled in the change's transaction, raised after its commit.
    struct Raised
    {
        std::int64_t journal = 0;
        Millis time = 0;
        int id = 0;
        std::vector<std::string> params;
    };
    // Journal entries now in the event log; they are forgotten in the next change's
    // transaction (no commit of their own, so no extra fsync per change). An event the log
    // refused stays journaled and is raised again after the next change or operator call (a
    // log that was briefly unwritable loses nothing, and its journal does not grow), or at the
    // next start.
    std::vector<std::int64_t> journalLogged;
    std::vector<Raised> journalUnlogged;
    // What is kept in memory to raise again; beyond it, the journal alone keeps them.
    static constexpr std::size_t JournalRetryLimit = 10'000;

    // Call inside the change's transaction.
    void journal(std::vector<Raised> &raised, int id, std::vector<std::string> params)
    {
        if (!journalLogged.empty()) {
            store->forgetJournaledEvents(journalLogged);
            journalLogged.clear(); // if this rolls back, the next start finds them in the log
        }
        const Millis time = nowMillis();
        const std::int64_t seq = store->journalEvent(time, id, params);
        raised.push_back({seq, time, id, std::move(params)});
    }

    // Call after the change's commit.
    void raiseJournaled(std::vector<Raised> &raised)
    {
        std::vector<Raised> again;
        again.swap(journalUnlogged);
        bool logRefuses = false; // then the rest of `again` waits, unprinted, for the next try
        for (std::vector<Raised> *batch : {&again, &raised}) {
            for (Raised &r : *batch) {
                if (batch == &again && logRefuses) {
                    journalUnlogged.push_back(std::move(r));
                } else if (!raise(r.id, r.params, r.time)) {
                    logRefuses = true;
                    if (journalUnlogged.size() < JournalRetryLimit)
                        journalUnlogged.push_back(std::move(r));
                } else if (r.journal != 0) {
                    journalLogged.push_back(r.journal);
                }
            }
        }
    }

    // An event no change's transaction carries (an operator's audit record): raised now, and
    // if the log refuses it, kept in memory and raised again with the next change's or call's
    // events, with its own time.
    void raiseOrRetry(int id, std::vector<std::string> params)
    {
        std::vector<Raised> one{{0, nowMillis(), id, std::move(params)}};
        raiseJournaled(one);
    }

    // At start: what the journal still holds is the events of changes whose agent was killed
    // between the change's commit and its event log (or whose log refused them). Each one the
    // log lacks is raised now with its own time; one the log has (the kill came after it was
    // written) is found by its id, time and params and not raised twice.
    void recoverJournaledEvents()
    {
        std::vector<JournaledEvent> pending;
        try {
            pending = store->journaledEvents();
        } catch (const store::StoreError &e) {
            std::fprintf(stderr, "%s: cannot read the journal of events: %s\n", config.name.c_str(),
                         e.what());
            return;
        }
        for (JournaledEvent &p : pending) {
            EventFilter same;
            same.ids = {p.id};
            same.from = p.time;
            same.until = p.time + 1;
            PageRequest page;
            page.limit = 1000;
            auto found = events->query(same, page);
            if (!found) {
                std::fprintf(stderr, "%s: cannot check the journal against the event log: %s\n",
                             config.name.c_str(), found.error().message.c_str());
                return; // kept for the next start
            }
            const bool logged = std::any_of(found->begin(), found->end(),
                                            [&](const Event &e) { return e.params == p.params; });
            if (!logged && !raise(p.id, std::move(p.params), p.time))
                return;
        }
        if (pending.empty())
            return;
        std::vector<std::int64_t> seqs;
        for (const JournaledEvent &p : pending)
            seqs.push_back(p.seq);
        try {
            store::Transaction tx(store->db(), "forgetting raised events");
            store->forgetJournaledEvents(seqs);
            tx.commit();
        } catch (const store::StoreError &e) {
            std::fprintf(stderr, "%s: %s\n", config.name.c_str(), e.what()); // checked again
        }
    }

    static json eventJson(const Event &e)
    {
        return {{"seq", e.seq},       {"time", isoTimeJson(e.time)},
                {"server", e.server}, {"source", e.source},
                {"id", e.id},         {"severity", toString(e.severity)},
                {"params", e.params}, {"message", e.message}};
    }

    void broadcast(const std::string &message)
    {
        auto it = watchers.begin();
        while (it != watchers.end()) {
            auto socket = it->lock();
            if (!socket || !socket->isOpen()) {
                it = watchers.erase(it);
                continue;
            }
            socket->send(message);
            ++it;
        }
    }

    void bindingChanged(const Binding &model)
    {
        broadcast(dumpJson(json{{"type", "binding"}, {"binding", model}}));
        if (model.state == BindingState::Bound)
            boost::asio::post(io, [weak = weak_from_this(), target = model.toServer] {
                if (auto self = weak.lock())
                    self->kick(target);
            });
    }

    // ---- start and stop -------------------------------------------------------------------

    Status open()
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::create_directories(config.dataDir, ec);
        if (ec)
            return Error{ec.value(), "data_dir " + config.dataDir + ": " + ec.message()};
        auto ev = EventStore::open((fs::path(config.dataDir) / "events.db").string());
        if (!ev)
            return ev.error();
        events = std::move(*ev);
        auto st = AgentStore::open((fs::path(config.dataDir) / "agent.db").string());
        if (!st)
            return st.error();
        store = std::move(*st);
        auto keys =
            CredentialKeyring::open(*store, (fs::path(config.dataDir) / "cache.key").string());
        if (!keys)
            return keys.error();
        keyring.emplace(std::move(*keys));
        if (config.runs(ServiceKind::Host)) {
            auto h = SimulatedHost::open((fs::path(config.dataDir) / "host.db").string());
            if (!h)
                return h.error();
            host = std::move(*h);
        }
        return seedDemoUsers();
    }

    Status seedDemoUsers()
    {
        if (config.demoUsers <= 0)
            return {};
        try {
            const bool keepsUsers = config.runs(ServiceKind::DomainAccountSync) ||
                                    config.runs(ServiceKind::HostAccountSync);
            if (keepsUsers && store->userCount(std::nullopt) < config.demoUsers) {
                store::Transaction tx(store->db(), "seeding demo users");
                for (int i = 1; i <= config.demoUsers; ++i) {
                    const std::string account = demoAccount(config.domain, i);
                    if (store->user(account))
                        continue;
                    UserRecord u;
                    u.mapping = {account,           demoHostAccount(i), config.hostDomain,
                                 SyncState::InSync, nowMillis(),        rpc::Success};
                    const std::string password = demoInitialPassword(i);
                    if (config.runs(ServiceKind::DomainAccountSync))
                        u.passwordHash = domainPasswordHash(password);
                    if (config.runs(ServiceKind::HostAccountSync)) {
                        auto blob = keyring->encrypt(password,
                                                     CredentialKeyring::credentialBinding(account));
                        if (!blob)
                            return blob.error();
                        u.credential = *blob;
                    }
                    u.revision = 1;
                    store->putUser(u);
                }
                tx.commit();
            }
            if (host) {
                for (int i = 1; i <= config.demoUsers; ++i) {
                    auto has = host->hasAccount(demoHostAccount(i));
                    if (!has)
                        return has.error();
                    if (!*has) {
                        if (auto made =
                                host->createAccount(demoHostAccount(i), demoInitialPassword(i));
                            !made)
                            return made.error();
                    }
                }
            }
        } catch (const store::StoreError &e) {
            return e.toError();
        }
        return {};
    }

    // The [tls] files, checked one by one so the error names the key and the file; then our
    // own certificate must be a current one of the domain's CA, with role service.
    Status loadTls()
    {
        const std::string file = std::filesystem::path(config.path).filename().string();
        if (config.tls.plaintext)
            return {}; // warned about once the agent serves (a refusal stays one line)
        if (!config.tls.configured())
            return Error{rpc::InvalidParameter,
                         file + ": tls: missing [tls] section: set ca, cert and key (the domain "
                                "CA's certificate, this server's service certificate and key; "
                                "see docs/operations.md)"};
        const std::pair<const char *, const std::string *> files[] = {
            {"ca", &config.tls.ca}, {"cert", &config.tls.cert}, {"key", &config.tls.key}};
        std::string caPem;
        std::string certPem;
        for (const auto &[key, path] : files) {
            std::error_code ec;
            std::ifstream in(*path, std::ios::binary);
            if (!in || std::filesystem::is_directory(*path, ec))
                return Error{rpc::InvalidParameter, file + ": tls." + key + ": cannot read " +
                                                        *path + ": " +
                                                        std::strerror(errno ? errno : EISDIR)};
            if (std::strcmp(key, "key") != 0) {
                std::ostringstream text;
                text << in.rdbuf();
                (std::strcmp(key, "ca") == 0 ? caPem : certPem) = text.str();
            }
        }
        const auto identity = pki::verify(caPem, certPem);
        if (!identity)
            return Error{rpc::InvalidParameter, file + ": tls.cert: " + identity.error().message};
        if (identity->role != pki::Role::Service)
            return Error{rpc::InvalidParameter,
                         file + ": tls.cert: " + config.tls.cert + " has role " +
                             std::string(pki::roleName(identity->role)) +
                             "; an agent needs a service certificate (hostsecctl pki issue "
                             "--role service)"};
        auto loaded = net::TlsContext::load({config.tls.ca, config.tls.cert, config.tls.key});
        if (!loaded)
            return Error{rpc::InvalidParameter, file + ": tls: " + loaded.error().message};
        tls = std::move(loaded).value();
        certificate = *identity;
        return {};
    }

    // SIGHUP: the [tls] files read again (a renewed certificate, a new CA) and checked as at
    // start. Connections made from now on, accepted or to peers, use them; open ones keep
    // theirs. A refusal keeps the files in use and says why, as event 102 and the result.
    Status reloadTls()
    {
        if (!tls)
            return Error{rpc::InvalidParameter,
                         "[tls] plaintext = true: there are no certificates to read again"};
        if (auto loaded = loadTls(); !loaded) {
            // loadTls' message begins with the file's name, which is the event's first param.
            const std::string file = std::filesystem::path(config.path).filename().string();
            std::string why = loaded.error().message;
            if (why.rfind(file + ": ", 0) == 0)
                why.erase(0, file.size() + 2);
            raise(ev::ConfigurationProblem,
                  {file, why + " (SIGHUP: the certificates in use stay)"});
            return loaded;
        }
        if (auto set = server->setTls(tls); !set)
            return set;
        for (auto &[id, b] : bindings)
            b->setTls(tls);
        raise(ev::TlsReloaded,
              {config.name, certificate.serial, formatIsoTime(certificate.notAfter)});
        return {};
    }

    Status start()
    {
        if (auto s = loadTls(); !s)
            return s;
        server = std::make_unique<net::HttpServer>(io, net::Limits{}, tls);
        if (auto s = open(); !s)
            return s;
        // A crash between queueing a host-initiated change and the host applying it leaves a
        // change the host never made in the outbox (see postHostPasswd): dropped before serving.
        if (host) {
            try {
                for (const OutboxEntry &e : store->pending())
                    (void)neverApplied(e);
            } catch (const store::StoreError &e) {
                return e.toError();
            }
        }
        recoverJournaledEvents();
        std::weak_ptr<Impl> weak = weak_from_this();
        server->setHttpHandler([weak](const net::HttpRequest &request, net::Responder respond) {
            auto self = weak.lock();
            if (!self)
                return respond(errorResponse(503, rpc::ServerUnavailable, "agent is stopping"));
            self->handleHttp(request, std::move(respond));
        });
        server->setWebSocketHandler("/v1/rpc", [weak](const net::HttpRequest &request) {
            auto self = weak.lock();
            return self ? self->acceptRpc(request) : net::WebSocketAccept{};
        });
        server->setWebSocketHandler("/v1/watch", [weak](const net::HttpRequest &request) {
            auto self = weak.lock();
            return self ? self->acceptWatch(request) : net::WebSocketAccept{};
        });
        net::Endpoint listen;
        if (!net::parseEndpoint(config.listen, listen))
            return Error{rpc::InvalidParameter, "server.listen: not address:port"};
        if (auto s = server->listen(listen.host, listen.port); !s)
            return s;
        if (!tls)
            std::fprintf(stderr,
                         "hostsecd: WARNING: %s: [tls] plaintext = true: serving and calling "
                         "peers over plain TCP, unauthenticated and unencrypted; for tests only, "
                         "never in production\n",
                         std::filesystem::path(config.path).filename().string().c_str());

        std::string services;
        for (const Service &s : config.services) {
            services += services.empty() ? "" : ", ";
            services += toString(s.kind);
            if (s.kind == ServiceKind::HostAccountSync)
                services += std::string(" (") + std::string(toString(s.cacheRole)) + ")";
        }
        serving = true;
        raise(ev::AgentStarted, {config.name, services, instance});
        createBindings();
        for (auto &[id, b] : bindings)
            b->start();
        if (config.binding.announce)
            announce();
        tickRetry();
        maintenance();
        return {};
    }

    void stop()
    {
        if (stopped)
            return;
        stopped = true;
        // An agent whose start failed never served: no "stopping" line after its one-line
        // refusal, and no event (the event store may not even be open).
        if (serving)
            raise(ev::AgentStopping, {config.name, instance});
        retryTimer.cancel();
        maintenanceTimer.cancel();
        for (auto &[id, b] : bindings)
            b->stop();
        for (auto &w : watchers) {
            if (auto socket = w.lock())
                socket->close();
        }
        watchers.clear();
        if (server)
            server->stop();
    }

    // Tells every peer this server's new instance id, so their bindings rebind at once.
    void announce()
    {
        const std::string body = dumpJson(json{{"server", config.name}, {"instance", instance}});
        for (const PeerConfig &p : config.peers) {
            net::Endpoint to;
            if (!net::parseEndpoint(p.address, to))
                continue;
            to.tls = tls;
            net::Limits limits;
            limits.connectTimeout = 1s;
            limits.readTimeout = 2s;
            net::httpRequest(
                io, to, "POST", "/v1/announce", body, [](Result<net::HttpResponse>) {}, limits);
        }
    }

    void maintenance()
    {
        // Retention: once at start and then hourly.
        if (config.retentionDays > 0)
            (void)events->removeOlderThan(nowMillis() - Millis{config.retentionDays} * 86'400'000);
        if (config.maxEventRows > 0)
            (void)events->keepNewest(config.maxEventRows);
        maintenanceTimer.expires_after(1h);
        maintenanceTimer.async_wait([weak = weak_from_this()](const boost::system::error_code &ec) {
            if (auto self = weak.lock(); self && !ec)
                self->maintenance();
        });
    }

    // ---- the outbox -----------------------------------------------------------------------

    void tickRetry()
    {
        if (stopped)
            return;
        try {
            for (const auto &b : store->backlog())
                kick(b.target);
        } catch (const store::StoreError &e) {
            std::fprintf(stderr, "%s outbox: %s\n", config.name.c_str(), e.what());
        }
        retryTimer.expires_after(std::chrono::milliseconds(config.outboxRetryMs));
        retryTimer.async_wait([weak = weak_from_this()](const boost::system::error_code &ec) {
            if (auto self = weak.lock(); self && !ec)
                self->tickRetry();
        });
    }

    // Sends the oldest pending change for `target`, if none is on the wire: one at a time per
    // target keeps each user's changes in order.
    void kick(const std::string &target)
    {
        if (stopped || inFlight.count(target))
            return;
        std::optional<OutboxEntry> entry;
        try {
            do
                entry = store->nextFor(target);
            while (entry && neverApplied(*entry));
        } catch (const store::StoreError &e) {
            std::fprintf(stderr, "%s outbox: %s\n", config.name.c_str(), e.what());
            return;
        }
        if (!entry)
            return;
        auto binding = bindingTo(target);
        if (!binding) {
            failedAttempt(*entry, rpc::EndpointNotRegistered, "no binding to " + target);
            return;
        }
        json params = {{"kind", toString(entry->kind)},
                       {"change_id", entry->changeId},
                       {"sender", senderId()},
                       {"sender_seq", entry->seq},
                       {"origin", entry->origin},
                       {"account", entry->account},
                       {"host_account", entry->hostAccount},
                       {"result_status", entry->resultStatus},
                       {"result_message", entry->resultMessage}};
        if (!entry->secret.empty()) {
            auto password =
                keyring->decrypt(entry->secret, CredentialKeyring::outboxBinding(entry->changeId));
            if (!password) {
                failedAttempt(*entry, rpc::BadStubData,
                              "stored change cannot be decrypted: " + password.error().message);
                return;
            }
            params["password"] = *password;
        }
        inFlight.insert(target);
        binding->call("deliver_change", std::move(params), kDeliverTimeout,
                      [weak = weak_from_this(), e = *entry](Result<json> answer) {
                          auto self = weak.lock();
                          if (!self)
                              return;
                          self->inFlight.erase(e.target);
                          if (!answer) {
                              self->failedAttempt(e,
                                                  static_cast<std::uint32_t>(answer.error().code),
                                                  answer.error().message);
                              return;
                          }
                          self->delivered(e, *answer);
                          boost::asio::post(self->io, [weak, target = e.target] {
                              if (auto me = weak.lock())
                                  me->kick(target);
                          });
                      });
    }

    void failedAttempt(const OutboxEntry &e, std::uint32_t status, const std::string &message)
    {
        try {
            store->recordAttempt(e.seq, nowMillis(), status, message);
        } catch (const store::StoreError &err) {
            std::fprintf(stderr, "%s outbox: %s\n", config.name.c_str(), err.what());
        }
        const int attempt = e.attempts + 1;
        // The first failure, and every tenth after it: enough to see, not a flood.
        if (attempt == 1 || attempt % 10 == 0) {
            raise(ev::ChangeDeliveryFailed,
                  {e.changeId, e.target, hex(status), std::string(rpcStatus(status).text),
                   std::to_string(attempt)});
            if (config.runs(ServiceKind::DomainAccountSync) && e.kind == ChangeKind::DomainChange)
                raise(ev::RpcLayerError,
                      {hex(status), std::string(rpcStatus(status).text), e.target});
        }
    }

    // Stores a change in the outbox (inside the caller's transaction, if any) and returns its
    // seq; it is sent once the enqueueing transaction has committed.
    std::int64_t enqueue(OutboxEntry e, const std::string &password)
    {
        e.created = nowMillis();
        if (!password.empty()) {
            auto blob = keyring->encrypt(password, CredentialKeyring::outboxBinding(e.changeId));
            if (!blob)
                throw store::StoreError(0, "cannot encrypt a change: " + blob.error().message);
            e.secret = *blob;
        }
        store->enqueue(e);
        // Sent once the enqueueing transaction has committed (kick runs after this handler).
        boost::asio::post(io, [weak = weak_from_this(), target = e.target] {
            if (auto self = weak.lock())
                self->kick(target);
        });
        return e.seq;
    }

    // Who this agent is to the simulated host's change records (the sender id peers know).
    std::string senderId() { return config.name + ":" + store->storeId(); }

    // A host-initiated change is queued before the host applies it (postHostPasswd), so after
    // a crash between the two the outbox can hold a change the host never made: such an entry
    // is removed here and true returned. start() sweeps the outbox with it, and kick() checks
    // each entry it is about to send (a removal after the host refused a change can fail).
    bool neverApplied(const OutboxEntry &e)
    {
        if (!host || e.kind != ChangeKind::HostChange || e.origin != config.name)
            return false;
        auto applied = host->changeApplied(senderId(), e.seq);
        if (!applied || *applied)
            return false; // a storage failure: keep it, the next kick asks again
        try {
            dropHostChange(e.seq, e.changeId);
        } catch (const store::StoreError &err) {
            std::fprintf(stderr, "%s outbox: %s\n", config.name.c_str(), err.what());
            return true;
        }
        std::fprintf(stderr,
                     "%s outbox: change %s was never applied on the host (the agent stopped "
                     "before it could); dropped\n",
                     config.name.c_str(), e.changeId.c_str());
        return true;
    }

    // A host-initiated change the host did not make leaves the outbox with its journaled
    // events (706, 700), which must never be raised.
    void dropHostChange(std::int64_t seq, const std::string &changeId)
    {
        store::Transaction tx(store->db(), "dropping a change the host did not make");
        store->remove(seq);
        store->forgetJournaledEventsOf(changeId);
        tx.commit();
    }

    // The credential of `account` encrypted for the cache.
    std::string sealCredential(const std::string &password, const std::string &account)
    {
        auto blob = keyring->encrypt(password, CredentialKeyring::credentialBinding(account));
        if (!blob)
            throw store::StoreError(0, "cannot encrypt a credential: " + blob.error().message);
        return *blob;
    }

    void replicateToBackups(const UserRecord &u, const std::string &changeId,
                            const std::string &password)
    {
        for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync, CacheRole::Backup)) {
            OutboxEntry r =
                entryFor(u.mapping, ChangeKind::Replicate, changeId, p->name, config.name);
            r.resultStatus = static_cast<std::uint32_t>(u.revision);
            enqueue(std::move(r), password);
        }
    }

    // The peer confirmed a change: take it out of the outbox and do what follows from it.
    void delivered(const OutboxEntry &e, const json &answer)
    {
        const std::string status = answer.value("status", "");
        const auto code = answer.value("code", std::uint32_t{0});
        const std::string message = answer.value("message", "");
        std::vector<Raised> raised;
        try {
            store::Transaction tx(store->db(), "confirming a delivered change");
            store->remove(e.seq);
            const bool rejected = status == "rejected";
            if (e.kind == ChangeKind::DomainChange && config.cacheRole() == CacheRole::Primary) {
                // The host's verdict on a domain-side change.
                auto u = store->user(e.account);
                std::string password;
                if (!e.secret.empty()) {
                    auto p =
                        keyring->decrypt(e.secret, CredentialKeyring::outboxBinding(e.changeId));
                    if (p)
                        password = *p;
                }
                if (u) {
                    u->mapping.lastChange = nowMillis();
                    u->mapping.lastStatus = rejected ? code : rpc::Success;
                    u->mapping.syncState = rejected ? SyncState::Rejected : SyncState::InSync;
                    if (!rejected) {
                        u->credential = sealCredential(password, u->mapping.domainAccount);
                        ++u->revision;
                    }
                    store->putUser(*u);
                    if (!rejected) {
                        replicateToBackups(*u, e.changeId, password);
                        journal(raised, ev::CacheUpdated, {e.account, e.changeId});
                    }
                }
                if (!e.origin.empty() && e.origin != config.name) {
                    OutboxEntry result;
                    result.changeId = e.changeId;
                    result.kind = ChangeKind::Result;
                    result.account = e.account;
                    result.hostAccount = e.hostAccount;
                    result.target = e.origin;
                    result.origin = e.origin;
                    result.resultStatus = rejected ? code : rpc::Success;
                    result.resultMessage = rejected ? message : std::string();
                    enqueue(std::move(result), {});
                }
            } else if (rejected && e.kind == ChangeKind::DomainChange) {
                if (auto u = store->user(e.account)) {
                    u->mapping.syncState = SyncState::Rejected;
                    u->mapping.lastStatus = code;
                    u->mapping.lastChange = nowMillis();
                    store->putUser(*u);
                }
            }
            const bool forwarded = !rejected && (e.kind == ChangeKind::DomainChange ||
                                                 e.kind == ChangeKind::HostChange);
            if (rejected)
                journal(raised, ev::ChangeRejected, {e.changeId, e.account, message});
            else if (forwarded)
                journal(raised, ev::ChangeForwarded,
                        {e.changeId, e.account.empty() ? e.hostAccount : e.account, e.target});
            tx.commit();
            if (rejected)
                ++changeCounts["rejected"];
            else if (forwarded)
                ++changeCounts["forwarded"];
        } catch (const store::StoreError &err) {
            // Not removed: it is delivered again, and the receiver's receipt answers it.
            std::fprintf(stderr, "%s outbox: %s\n", config.name.c_str(), err.what());
            return;
        }
        raiseJournaled(raised);
    }

    // ---- receiving a change (RPC deliver_change) ------------------------------------------

    // The host commits a change, then raises 702: a host agent killed between the two has
    // applied the change without saying so. Its sender, never answered, delivers the change
    // again (and nothing after it to this host first), so the duplicate is when the missing
    // 702 is raised, once: the host's record says when it applied the change, and the events
    // around that time say whether the 702 was written.
    void raiseAppliedIfMissing(const std::string &changeId, const std::string &account,
                               const std::string &hostAccount, const std::string &sender,
                               std::int64_t senderSeq)
    {
        auto at = host->appliedAt(sender, senderSeq);
        if (!at || !*at)
            return; // refused (its rejection is raised on every redelivery) or unreadable
        EventFilter around;
        around.ids = {ev::ChangeApplied};
        around.from = **at - 1000;
        around.until = **at + 10000;
        PageRequest page;
        page.limit = 500;
        for (;;) {
            auto found = events->query(around, page);
            if (!found)
                return; // cannot tell: better no 702 than a second one
            for (const Event &e : *found) {
                if (!e.params.empty() && e.params.front() == changeId)
                    return;
            }
            if (static_cast<int>(found->size()) < page.limit)
                break;
            page.before = EventCursor{found->back().time, found->back().seq};
        }
        raise(ev::ChangeApplied, {changeId, account, hostAccount});
    }

    json receiveChange(const json &p)
    {
        auto kind = changeKindFromString(p.value("kind", ""));
        const std::string sender = p.value("sender", "");
        const auto senderSeq = p.value("sender_seq", std::int64_t{0});
        const std::string changeId = p.value("change_id", "");
        const std::string account = p.value("account", "");
        const std::string hostAccount = p.value("host_account", "");
        const std::string password = p.value("password", "");
        if (!kind || sender.empty() || senderSeq <= 0 || changeId.empty())
            throw RpcError{rpc::InvalidParameter,
                           "deliver_change: kind, sender, sender_seq and change_id are required"};

        // The simulated host applies a change itself; its own receipts make it idempotent.
        if (*kind == ChangeKind::DomainChange && host) {
            auto applied = host->applyChange(hostAccount, password, sender, senderSeq);
            if (!applied) {
                const auto code = static_cast<std::uint32_t>(applied.error().code);
                if (code == 0)
                    throw RpcError{rpc::ServerTooBusy, applied.error().message};
                raise(ev::ChangeRejected, {changeId, hostAccount, applied.error().message});
                ++changeCounts["rejected"];
                return {
                    {"status", "rejected"}, {"code", code}, {"message", applied.error().message}};
            }
            if (*applied) {
                ++changeCounts["applied"];
                raise(ev::ChangeApplied, {changeId, account, hostAccount});
                return {{"status", "applied"}};
            }
            raiseAppliedIfMissing(changeId, account, hostAccount, sender, senderSeq);
            raise(ev::ChangeDuplicate, {changeId, sender});
            return {{"status", "duplicate"}};
        }

        std::vector<Raised> raised;
        json answer;
        try {
            store::Transaction tx(store->db(), "receiving a change");
            if (auto r = store->receipt(sender, senderSeq)) {
                tx.commit();
                raise(ev::ChangeDuplicate, {changeId, sender});
                if (r->status != 0)
                    return {{"status", "rejected"}, {"code", r->status}, {"message", r->message}};
                return {{"status", "duplicate"}};
            }
            auto reject = [&](std::uint32_t code, const std::string &why) {
                store->storeReceipt(sender, senderSeq, {code, why});
                answer = {{"status", "rejected"}, {"code", code}, {"message", why}};
            };
            std::optional<UserRecord> u = *kind == ChangeKind::HostChange
                                              ? store->userByHostAccount(hostAccount)
                                              : store->user(account);
            switch (*kind) {
            case ChangeKind::DomainChange: {
                if (config.cacheRole() != CacheRole::Primary)
                    throw RpcError{rpc::EndpointNotRegistered,
                                   config.name + " is not the primary cache"};
                if (!u) {
                    reject(rpc::NoSuchUser, "no host account is mapped to " + account);
                    break;
                }
                auto hosts = peersWith(ServiceKind::Host);
                if (hosts.empty())
                    throw RpcError{rpc::EndpointNotRegistered,
                                   "no host is configured on " + config.name};
                u->mapping.syncState = SyncState::Pending;
                u->mapping.lastChange = nowMillis();
                store->putUser(*u);
                enqueue(entryFor(u->mapping, ChangeKind::DomainChange, changeId,
                                 hosts.front()->name, p.value("origin", sender)),
                        password);
                journal(raised, ev::ChangeQueued, {changeId, account, hosts.front()->name});
                store->storeReceipt(sender, senderSeq, {0, {}});
                answer = {{"status", "accepted"}};
                break;
            }
            case ChangeKind::HostChange: {
                if (config.cacheRole() != CacheRole::Primary)
                    throw RpcError{rpc::EndpointNotRegistered,
                                   config.name + " is not the primary cache"};
                if (!u) {
                    reject(rpc::NoSuchUser,
                           "no domain account is mapped to host account " + hostAccount);
                    break;
                }
                u->credential = sealCredential(password, u->mapping.domainAccount);
                ++u->revision;
                u->mapping.syncState = SyncState::InSync;
                u->mapping.lastChange = nowMillis();
                u->mapping.lastStatus = rpc::Success;
                store->putUser(*u);
                replicateToBackups(*u, changeId, password);
                for (const PeerConfig *d : peersWith(ServiceKind::DomainAccountSync)) {
                    enqueue(
                        entryFor(u->mapping, ChangeKind::DomainUpdate, changeId, d->name, sender),
                        password);
                }
                journal(raised, ev::CacheUpdated, {u->mapping.domainAccount, changeId});
                store->storeReceipt(sender, senderSeq, {0, {}});
                answer = {{"status", "applied"}};
                break;
            }
            case ChangeKind::Replicate: {
                const auto revision = p.value("result_status", std::int64_t{0});
                UserRecord r = u.value_or(UserRecord{});
                if (!u) {
                    r.mapping.domainAccount = account;
                    r.mapping.hostAccount = hostAccount;
                    r.mapping.hostDomain = config.hostDomain;
                }
                // Replicas arrive in order; an older revision never overwrites a newer one.
                if (!u || revision >= r.revision) {
                    r.credential = sealCredential(password, r.mapping.domainAccount);
                    r.revision = revision;
                    r.mapping.syncState = SyncState::InSync;
                    r.mapping.lastChange = nowMillis();
                    r.mapping.lastStatus = rpc::Success;
                    store->putUser(r);
                    journal(raised, ev::CacheUpdated, {r.mapping.domainAccount, changeId});
                }
                store->storeReceipt(sender, senderSeq, {0, {}});
                answer = {{"status", "applied"}};
                break;
            }
            case ChangeKind::DomainUpdate: {
                if (!u) {
                    reject(rpc::NoSuchUser, "no domain account " + account);
                    break;
                }
                u->passwordHash = domainPasswordHash(password);
                u->mapping.syncState = SyncState::InSync;
                u->mapping.lastChange = nowMillis();
                u->mapping.lastStatus = rpc::Success;
                store->putUser(*u);
                journal(raised, ev::DomainAccountUpdated, {account, changeId});
                store->storeReceipt(sender, senderSeq, {0, {}});
                answer = {{"status", "applied"}};
                break;
            }
            case ChangeKind::Result: {
                const auto code = p.value("result_status", std::uint32_t{0});
                if (u) {
                    u->mapping.syncState = code == 0 ? SyncState::InSync : SyncState::Rejected;
                    u->mapping.lastStatus = code;
                    u->mapping.lastChange = nowMillis();
                    store->putUser(*u);
                }
                if (code == 0)
                    journal(raised, ev::ChangeApplied, {changeId, account, hostAccount});
                else
                    journal(raised, ev::ChangeRejected,
                            {changeId, account, p.value("result_message", "")});
                store->storeReceipt(sender, senderSeq, {0, {}});
                answer = {{"status", "applied"}};
                break;
            }
            }
            tx.commit();
        } catch (const store::StoreError &e) {
            // Nothing was stored, so nothing is acknowledged: the sender keeps the change.
            throw RpcError{rpc::ServerTooBusy, std::string("cannot store the change: ") + e.what()};
        }
        raiseJournaled(raised);
        return answer;
    }

    // ---- SSO ------------------------------------------------------------------------------

    // This agent's own cache entry for `account`, as an SSO answer.
    Result<json> localLookup(const std::string &account)
    {
        try {
            auto u = store->user(account);
            if (!u || u->credential.empty())
                return Error{static_cast<int>(rpc::NoSuchUser),
                             "no host account is mapped to " + account};
            auto password = keyring->decrypt(
                u->credential, CredentialKeyring::credentialBinding(u->mapping.domainAccount));
            if (!password)
                return Error{static_cast<int>(rpc::BadStubData),
                             "the cached credential of " + account + " cannot be decrypted"};
            return json{{"account", u->mapping.domainAccount},
                        {"host_account", u->mapping.hostAccount},
                        {"host_domain", u->mapping.hostDomain},
                        {"credential", *password},
                        {"served_by", config.name}};
        } catch (const store::StoreError &e) {
            return Error{static_cast<int>(rpc::ServerTooBusy), e.what()};
        }
    }

    // Looks the user up in the primary cache, then the backups; 401 when none answers.
    void sso(const std::string &account, std::function<void(Result<json>)> done)
    {
        std::vector<std::string> caches;
        if (auto primary = primaryCache(); !primary.empty())
            caches.push_back(primary);
        if (config.cacheRole() == CacheRole::Backup)
            caches.push_back(config.name);
        for (const PeerConfig *p : peersWith(ServiceKind::HostAccountSync, CacheRole::Backup))
            caches.push_back(p->name);
        auto state = std::make_shared<std::vector<std::string>>(std::move(caches));
        trySso(account, state, 0, {}, std::move(done));
    }

    void trySso(const std::string &account, std::shared_ptr<std::vector<std::string>> caches,
                std::size_t index, std::string lastError, std::function<void(Result<json>)> done)
    {
        std::string domain, user;
        splitDomainAccount(account, domain, user);
        if (index >= caches->size()) {
            ++ssoCounts["failed"];
            raise(ev::SsoFailed, {domain, user, config.hostDomain});
            return done(Error{static_cast<int>(rpc::ServerUnavailable),
                              "no host account cache for host domain " + config.hostDomain +
                                  " could be reached" +
                                  (lastError.empty() ? "" : " (" + lastError + ")")});
        }
        const std::string cache = (*caches)[index];
        const bool backup = index > 0;
        auto finish = [this, weak = weak_from_this(), account, caches, index, done, backup, cache,
                       domain, user](Result<json> answer) {
            auto self = weak.lock();
            if (!self)
                return;
            if (answer) {
                ++ssoCounts[backup ? "backup" : "primary"];
                if (backup)
                    raise(ev::SsoServedByBackup, {domain, user, cache, (*caches)[0]});
                (*answer)["served_by"] = cache;
                return done(std::move(answer));
            }
            if (answer.error().code == static_cast<int>(rpc::NoSuchUser)) {
                ++ssoCounts["unknown"];
                return done(std::move(answer));
            }
            trySso(account, caches, index + 1, cache + ": " + answer.error().message, done);
        };
        if (cache == config.name)
            return finish(localLookup(account));
        auto binding = bindingTo(cache);
        if (!binding)
            return finish(
                Error{static_cast<int>(rpc::EndpointNotRegistered), "no binding to " + cache});
        binding->call("sso_lookup", {{"account", account}}, kSsoTimeout, std::move(finish));
    }

    // ---- resync ---------------------------------------------------------------------------

    void runJob(std::shared_ptr<ResyncJob> job)
    {
        if (job->cancelled || job->next >= job->accounts.size()) {
            job->finished = true;
            job->ended = nowMillis();
            raise(ev::ResyncFinished,
                  {job->id, std::to_string(job->done), std::to_string(job->failed),
                   job->cancelled ? "cancelled" : "complete"});
            return;
        }
        const std::string account = job->accounts[job->next++];
        auto hosts = peersWith(ServiceKind::Host);
        auto binding = hosts.empty() ? nullptr : bindingTo(hosts.front()->name);
        std::optional<UserRecord> u;
        std::string password;
        try {
            u = store->user(account);
        } catch (const store::StoreError &) {
        }
        if (u && !u->credential.empty()) {
            if (auto p = keyring->decrypt(
                    u->credential, CredentialKeyring::credentialBinding(u->mapping.domainAccount)))
                password = *p;
        }
        auto next = [weak = weak_from_this(), job] {
            if (auto self = weak.lock())
                boost::asio::post(self->io, [weak, job] {
                    if (auto me = weak.lock())
                        me->runJob(job);
                });
        };
        if (!u || !binding || password.empty()) {
            ++job->failed;
            return next();
        }
        binding->call(
            "verify_logon", {{"host_account", u->mapping.hostAccount}, {"password", password}},
            kSsoTimeout,
            [weak = weak_from_this(), job, account, password, next](Result<json> answer) {
                auto self = weak.lock();
                if (!self)
                    return;
                try {
                    auto user = self->store->user(account);
                    if (user) {
                        store::Transaction tx(self->store->db(), "resyncing a user");
                        if (answer) {
                            user->mapping.syncState = SyncState::InSync;
                            user->mapping.lastStatus = rpc::Success;
                            self->replicateToBackups(*user, "resync-" + job->id, password);
                            ++job->done;
                        } else {
                            const auto code = static_cast<std::uint32_t>(answer.error().code);
                            if (code == rpc::LogonFailure)
                                user->mapping.syncState = SyncState::Failed;
                            user->mapping.lastStatus = code;
                            ++job->failed;
                        }
                        user->mapping.lastChange = nowMillis();
                        self->store->putUser(*user);
                        tx.commit();
                    }
                } catch (const store::StoreError &) {
                    ++job->failed;
                }
                next();
            });
    }

    // ---- peer RPC server side -------------------------------------------------------------

    struct RpcPeer
    {
        bool bound = false;
        ServiceKind service = ServiceKind::Host;
        std::string client;
        std::weak_ptr<net::WebSocket> socket;
    };

    net::WebSocketAccept acceptRpc(const net::HttpRequest &request)
    {
        net::WebSocketAccept accept;
        if (auto refused = refusal(request)) {
            accept.refusal = std::move(*refused);
            return accept;
        }
        accept.accept = true;
        auto peer = std::make_shared<RpcPeer>();
        accept.onOpen = [peer](std::shared_ptr<net::WebSocket> socket) { peer->socket = socket; };
        accept.callbacks.onMessage = [weak = weak_from_this(), peer](const std::string &text) {
            if (auto self = weak.lock())
                self->onRpcMessage(*peer, text);
        };
        accept.callbacks.onClose = [](const Error &) {};
        return accept;
    }

    void onRpcMessage(RpcPeer &peer, const std::string &text)
    {
        auto socket = peer.socket.lock();
        if (!socket)
            return;
        auto message = decodeRpcMessage(text, kMaxRpcMessage);
        if (!message) {
            socket->send(
                encodeError(std::nullopt, RpcError{message.error().code, message.error().message}));
            socket->close();
            return;
        }
        if (message->kind != RpcMessageKind::Request)
            return; // notifications and stray responses need no answer
        const RpcRequest &request = message->request;
        const std::int64_t id = *request.id;
        try {
            json result = dispatchRpc(peer, request);
            socket->send(encodeResult(id, result));
        } catch (const RpcError &e) {
            socket->send(encodeError(id, e));
            if (e.code == rpc::UnknownInterface || e.code == rpc::InvalidBinding)
                socket->close();
        } catch (const std::exception &e) {
            socket->send(encodeError(id, makeRpcError(rpc::BadStubData, e.what())));
        }
    }

    json dispatchRpc(RpcPeer &peer, const RpcRequest &request)
    {
        const json &p = request.params.is_object() ? request.params : json::object();
        if (request.method == "bind") {
            const auto bind = decodeBindParams(request.params);
            if (!bind)
                throw RpcError{bind.error().code, bind.error().message};
            const auto kind = acceptBind(*bind, config.services, config.name);
            if (!kind)
                throw RpcError{kind.error().code, kind.error().message};
            peer.bound = true;
            peer.service = *kind;
            peer.client = bind->clientServer;
            return bindAnswerJson({config.name, std::string(toString(*kind)), instance});
        }
        if (!peer.bound)
            throw RpcError{rpc::InvalidBinding, request.method + " before bind"};
        if (request.method == "ping")
            return {{"instance", instance}};
        if (request.method == "deliver_change")
            return receiveChange(p);
        if (request.method == "sso_lookup") {
            if (!config.runs(ServiceKind::HostAccountSync))
                throw RpcError{rpc::EndpointNotRegistered,
                               config.name + " keeps no host account cache"};
            auto answer = localLookup(p.value("account", ""));
            if (!answer)
                throw RpcError{answer.error().code, answer.error().message};
            return *answer;
        }
        if (request.method == "verify_logon") {
            if (!host)
                throw RpcError{rpc::EndpointNotRegistered, config.name + " is not a host"};
            auto ok = host->verifyLogon(p.value("host_account", ""), p.value("password", ""));
            if (!ok)
                throw RpcError{ok.error().code, ok.error().message};
            return {{"ok", true}};
        }
        throw RpcError{rpc::ProcNumOutOfRange, "unknown method " + request.method};
    }

    // ---- watch ----------------------------------------------------------------------------

    net::WebSocketAccept acceptWatch(const net::HttpRequest &request)
    {
        net::WebSocketAccept accept;
        if (auto refused = refusal(request)) {
            accept.refusal = std::move(*refused);
            return accept;
        }
        accept.accept = true;
        const std::int64_t after = std::atoll(request.queryValue("after", "0").c_str());
        accept.onOpen = [weak = weak_from_this(), after](std::shared_ptr<net::WebSocket> socket) {
            auto self = weak.lock();
            if (!self)
                return socket->close();
            socket->send(dumpJson(json{{"type", "status"}, {"status", self->statusJson()}}));
            for (const auto &[id, b] : self->bindings)
                socket->send(dumpJson(json{{"type", "binding"}, {"binding", b->model()}}));
            if (auto backlog = self->events->since(after, kWatchBacklog)) {
                for (const Event &e : *backlog)
                    socket->send(dumpJson(json{{"type", "event"}, {"event", eventJson(e)}}));
            }
            self->watchers.push_back(socket);
        };
        accept.callbacks.onMessage = [](const std::string &) {};
        accept.callbacks.onClose = [](const Error &) {};
        return accept;
    }

    // ---- admin API ------------------------------------------------------------------------

    json statusJson()
    {
        json services = json::array();
        for (const Service &s : config.services)
            services.push_back(s);
        Server me;
        me.name = config.name;
        me.services = config.services;
        std::int64_t depth = 0;
        try {
            depth = store->depth();
        } catch (const store::StoreError &) {
        }
        return {{"server", config.name},
                {"domain", config.domain},
                {"host_domain", config.hostDomain},
                {"services", services},
                {"role", me.role()},
                {"instance_id", instance},
                {"version", agentVersion()},
                {"started_at", isoTimeJson(startedAt)},
                {"uptime_ms", nowMillis() - startedAt},
                {"address", "127.0.0.1:" + std::to_string(server->port())},
                {"transport", tls ? "mutual-tls" : "plaintext (unauthenticated: tests only)"},
                {"certificate", tls ? json{{"name", certificate.name},
                                           {"serial", certificate.serial},
                                           {"fingerprint", certificate.fingerprint},
                                           {"not_after", isoTimeJson(certificate.notAfter)}}
                                    : json()},
                {"pid", static_cast<long>(getpid())},
                {"outbox_depth", depth},
                {"last_event_seq", events->lastSeq().ok() ? *events->lastSeq() : 0}};
    }

    json bindingsJson()
    {
        json list = json::array();
        for (const auto &[id, b] : bindings)
            list.push_back(b->model());
        return {{"bindings", list}};
    }

    std::string metrics()
    {
        std::ostringstream m;
        m << "# HELP hostsec_binding_state 1 for the binding's current state.\n"
             "# TYPE hostsec_binding_state gauge\n";
        for (const auto &[id, b] : bindings) {
            for (BindingState s : {BindingState::Unbound, BindingState::Bound, BindingState::Stale,
                                   BindingState::Failed, BindingState::Rebinding})
                m << "hostsec_binding_state{binding=\"" << id << "\",state=\"" << toString(s)
                  << "\"} " << (b->model().state == s ? 1 : 0) << "\n";
        }
        m << "# HELP hostsec_binding_consecutive_failures Failed calls or binds in a row.\n"
             "# TYPE hostsec_binding_consecutive_failures gauge\n";
        for (const auto &[id, b] : bindings)
            m << "hostsec_binding_consecutive_failures{binding=\"" << id << "\"} "
              << b->model().consecutiveFailures << "\n";
        m << "# HELP hostsec_rebinds_total Successful rebinds since start.\n"
             "# TYPE hostsec_rebinds_total counter\n";
        for (const auto &[id, b] : bindings)
            m << "hostsec_rebinds_total{binding=\"" << id << "\"} " << b->rebinds() << "\n";
        // Each family's samples in one group, as the text format requires.
        std::vector<AgentStore::TargetBacklog> backlog;
        try {
            backlog = store->backlog();
        } catch (const store::StoreError &) {
        }
        m << "# HELP hostsec_outbox_depth Changes waiting for a peer to confirm them.\n"
             "# TYPE hostsec_outbox_depth gauge\n";
        for (const auto &b : backlog)
            m << "hostsec_outbox_depth{target=\"" << b.target << "\"} " << b.depth << "\n";
        m << "# HELP hostsec_outbox_oldest_age_seconds Age of the oldest waiting change.\n"
             "# TYPE hostsec_outbox_oldest_age_seconds gauge\n";
        for (const auto &b : backlog)
            m << "hostsec_outbox_oldest_age_seconds{target=\"" << b.target << "\"} "
              << static_cast<double>(nowMillis() - b.oldest) / 1000.0 << "\n";
        m << "# HELP hostsec_sso_requests_total SSO look-ups by result.\n"
             "# TYPE hostsec_sso_requests_total counter\n";
        for (const char *r : {"primary", "backup", "unknown", "failed"})
            m << "hostsec_sso_requests_total{result=\"" << r << "\"} " << ssoCounts[r] << "\n";
        m << "# HELP hostsec_password_changes_total Password changes by result.\n"
             "# TYPE hostsec_password_changes_total counter\n";
        for (const char *r : {"queued", "forwarded", "applied", "rejected"})
            m << "hostsec_password_changes_total{result=\"" << r << "\"} " << changeCounts[r]
              << "\n";
        m << "# HELP hostsec_events_total Events raised since start.\n"
             "# TYPE hostsec_events_total counter\n"
             "hostsec_events_total "
          << eventCount << "\n";
        m << "# HELP hostsec_uptime_seconds Seconds since this instance started.\n"
             "# TYPE hostsec_uptime_seconds gauge\n"
             "hostsec_uptime_seconds "
          << static_cast<double>(nowMillis() - startedAt) / 1000.0 << "\n";
        return m.str();
    }

    static std::optional<json> parseBody(const net::HttpRequest &r, net::Responder &respond)
    {
        json body = json::parse(r.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            respond(errorResponse(400, rpc::BadStubData,
                                  r.body.empty() ? "the request needs a JSON object body"
                                                 : "the body is not a JSON object"));
            return std::nullopt;
        }
        return body;
    }

    static bool stringField(const json &body, const char *key, std::string &out,
                            net::Responder &respond)
    {
        auto it = body.find(key);
        if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
            respond(errorResponse(400, rpc::InvalidParameter,
                                  std::string(key) + ": expected a non-empty string"));
            return false;
        }
        out = it->get<std::string>();
        return true;
    }

    // ---- authorization --------------------------------------------------------------------

    // What a call needs (security.md, "Roles"): reading is for viewer, operator and admin;
    // acting on bindings, users and passwords (and SSO look-ups, which hand out a credential)
    // for operator and admin; configuration (the cache key) for admin; the peer calls
    // (announce, the /v1/rpc binding) for service alone.
    enum class Need
    {
        Read,
        Operate,
        Administer,
        Peer,
    };

    static Need needOf(const std::string &method, const std::string &path)
    {
        if (path == "/v1/rpc" || (method == "POST" && path == "/v1/announce"))
            return Need::Peer;
        if (method == "GET" || method == "HEAD")
            return Need::Read;
        if (path == "/v1/cache/rotate-key")
            return Need::Administer;
        return Need::Operate;
    }

    static const char *rolesFor(Need need)
    {
        switch (need) {
        case Need::Read:
            return "viewer, operator or admin";
        case Need::Operate:
            return "operator or admin";
        case Need::Administer:
            return "admin";
        case Need::Peer:
            return "service (agents only)";
        }
        return "";
    }

    static bool allows(const std::string &role, Need need)
    {
        switch (need) {
        case Need::Read:
            return role == "viewer" || role == "operator" || role == "admin";
        case Need::Operate:
            return role == "operator" || role == "admin";
        case Need::Administer:
            return role == "admin";
        case Need::Peer:
            return role == "service";
        }
        return false;
    }

    // The refusal of a call the caller's role does not allow, audited (event 900, outcome
    // "denied", with the certificate's name), or nothing when it is allowed. Without TLS (the
    // plaintext opt-out) there is no role to check and every call is allowed.
    std::optional<net::HttpResponse> refusal(const net::HttpRequest &r)
    {
        if (r.peerRole.empty() && !tls)
            return std::nullopt;
        const Need need = needOf(r.method, r.path);
        if (allows(r.peerRole, need))
            return std::nullopt;
        const std::string why =
            "access denied: role " + (r.peerRole.empty() ? std::string("none") : r.peerRole) +
            " may not " + r.method + " " + r.path + " (it needs " + rolesFor(need) + ")";
        net::HttpResponse response = errorResponse(403, rpc::AccessDenied, why);
        std::string what = auditedAction(r.path);
        if (what.empty())
            what = r.method + " " + r.path;
        raiseOrRetry(ev::OperatorAction,
                     {operatorOf(r), what, "-", "denied (HTTP 403): 0x5 " + why});
        return response;
    }

    void handleHttp(const net::HttpRequest &r, net::Responder respond)
    {
        try {
            if (auto refused = refusal(r))
                return respond(std::move(*refused));
            route(r, respond);
        } catch (const store::StoreError &e) {
            respond(errorResponse(500, rpc::ServerTooBusy, e.what()));
        } catch (const std::exception &e) {
            respond(errorResponse(500, rpc::BadStubData, e.what()));
        }
    }

    void route(const net::HttpRequest &r, net::Responder &respond)
    {
        const std::string &path = r.path;
        const bool get = r.method == "GET" || r.method == "HEAD";
        const bool post = r.method == "POST";
        if (get && path == "/healthz")
            return respond(net::HttpResponse::text(200, "ok\n"));
        if (get && path == "/metrics") {
            net::HttpResponse m = net::HttpResponse::text(200, metrics());
            m.contentType = "text/plain; version=0.0.4";
            return respond(m);
        }
        if (get && path == "/v1/status")
            return respond(jsonResponse(200, statusJson()));
        if (get && path == "/v1/bindings")
            return respond(jsonResponse(200, bindingsJson()));
        if (get && path == "/v1/users")
            return listUsers(r, respond);
        if (get && path == "/v1/outbox")
            return listOutbox(r, respond);
        if (get && path == "/v1/events")
            return listEvents(r, respond);
        if (get && path.rfind("/v1/jobs/", 0) == 0) {
            auto it = jobs.find(path.substr(9));
            if (it == jobs.end())
                return respond(
                    errorResponse(404, rpc::InvalidParameter, "no job " + path.substr(9)));
            return respond(jsonResponse(200, it->second->toJson()));
        }
        if (get && path == "/v1/audit/verify")
            return verifyAudit(respond);
        if (post) {
            if (std::string what = auditedAction(path); !what.empty()) {
                // Every answer of an operator's call, refusals included, is recorded first.
                auto audit = std::make_shared<OperatorAudit>(OperatorAudit{operatorOf(r), what});
                net::Responder audited = [weak = weak_from_this(), audit,
                                          respond](net::HttpResponse response) {
                    if (auto self = weak.lock())
                        self->recordAudit(*audit, response);
                    respond(std::move(response));
                };
                // A failure answered here rather than in handleHttp, so it is audited too.
                try {
                    return routeAction(r, audited, *audit);
                } catch (const store::StoreError &e) {
                    return audited(errorResponse(500, rpc::ServerTooBusy, e.what()));
                } catch (const std::exception &e) {
                    return audited(errorResponse(500, rpc::BadStubData, e.what()));
                }
            }
        }
        if (post && path == "/v1/host/logon")
            return postHostLogon(r, respond);
        if (post && path == "/v1/sso")
            return postSso(r, respond);
        if (post && path == "/v1/announce")
            return postAnnounce(r, respond);
        if (post && path == "/v1/cache/rotate-key")
            return postRotateKey(r, respond);
        static const std::set<std::string> paths = {"/healthz",
                                                    "/metrics",
                                                    "/v1/status",
                                                    "/v1/bindings",
                                                    "/v1/users",
                                                    "/v1/outbox",
                                                    "/v1/events",
                                                    "/v1/rebind",
                                                    "/v1/resync",
                                                    "/v1/passwd",
                                                    "/v1/host/passwd",
                                                    "/v1/host/logon",
                                                    "/v1/sso",
                                                    "/v1/announce",
                                                    "/v1/watch",
                                                    "/v1/rpc",
                                                    "/v1/cache/rotate-key",
                                                    "/v1/audit/verify"};
        const bool known = paths.count(path) > 0 || path.rfind("/v1/jobs/", 0) == 0;
        if (known)
            return respond(errorResponse(405, rpc::InvalidParameter,
                                         r.method + " " + path + " is not supported"));
        respond(errorResponse(404, rpc::InvalidParameter, "no such path: " + path));
    }

    // The state-changing calls of the admin API and what the audit calls them; "" for the
    // rest: reads, a host logon (it checks, it changes nothing), SSO (a look-up served to
    // every logon, which would bury the operators' actions), and the peers' announce.
    static std::string auditedAction(const std::string &path)
    {
        if (path == "/v1/rebind")
            return "rebind";
        if (path == "/v1/resync")
            return "resync";
        if (path.rfind("/v1/jobs/", 0) == 0 && path.size() > 16 &&
            path.compare(path.size() - 7, 7, "/cancel") == 0)
            return "cancel resync";
        if (path == "/v1/passwd")
            return "password change";
        if (path == "/v1/host/passwd")
            return "host password change";
        return {};
    }

    void routeAction(const net::HttpRequest &r, net::Responder &respond, OperatorAudit &audit)
    {
        const std::string &path = r.path;
        if (path == "/v1/rebind")
            return postRebind(r, respond, audit);
        if (path == "/v1/resync")
            return postResync(r, respond, audit);
        if (path == "/v1/passwd")
            return postPasswd(r, respond, audit);
        if (path == "/v1/host/passwd")
            return postHostPasswd(r, respond, audit);
        if (path.rfind("/v1/jobs/", 0) == 0) { // auditedAction checked the "/cancel"
            const std::string id = path.substr(9, path.size() - 16);
            audit.target = "job " + id;
            auto it = jobs.find(id);
            if (it == jobs.end())
                return respond(errorResponse(404, rpc::InvalidParameter, "no job " + id));
            it->second->cancelled = true;
            audit.outcome = "cancelled";
            return respond(jsonResponse(200, {{"job", it->second->toJson()}}));
        }
        respond(errorResponse(404, rpc::InvalidParameter, "no such path: " + path));
    }

    // Event 900 for an operator's call as it is answered. A refusal's outcome is the error the
    // caller gets, so the record says why nothing changed.
    void recordAudit(const OperatorAudit &audit, const net::HttpResponse &response)
    {
        std::string outcome = audit.outcome;
        if (response.status >= 400) {
            const json body = json::parse(response.body, nullptr, false);
            const json error = body.is_object() ? body.value("error", json::object()) : json();
            outcome = std::string(response.status < 500 ? "refused" : "failed") + " (HTTP " +
                      std::to_string(response.status) + "): " +
                      (error.is_object() ? error.value("hex", std::string()) + " " +
                                               error.value("message", std::string())
                                         : response.body);
        } else if (outcome.empty()) {
            outcome = "done";
        }
        raiseOrRetry(ev::OperatorAction, {audit.who, audit.what, audit.target, outcome});
    }

    // Who made a request: with TLS, the client certificate's name (which the CA vouches for)
    // and the address it came from ("olga@127.0.0.1:51234"). Over plain TCP (the plaintext
    // opt-out) only the address is certain: the name a client sends in X-Hostsec-Operator is
    // its own word ("anonymous@..." without one). Only letters, digits and . _ - are kept,
    // so a name cannot forge the address part or break the event's text.
    static std::string operatorOf(const net::HttpRequest &r)
    {
        if (!r.peerIdentity.empty()) // verified by TLS: the client cannot choose it
            return r.peerIdentity + "@" + r.remote;
        std::string name = r.header("X-Hostsec-Operator").substr(0, 64);
        for (char &c : name) {
            const auto u = static_cast<unsigned char>(c);
            if (!std::isalnum(u) && c != '.' && c != '_' && c != '-')
                c = '_';
        }
        return (name.empty() ? std::string("anonymous") : name) + "@" + r.remote;
    }

    void verifyAudit(net::Responder &respond)
    {
        auto v = events->verifyAudit();
        if (!v)
            return respond(errorResponse(500, rpc::ServerTooBusy,
                                         "cannot verify the audit chain: " + v.error().message));
        const bool intact = v->intact();
        respond(jsonResponse(
            200, {{"server", config.name},
                  {"intact", intact},
                  {"records", v->records},
                  {"count", v->count},
                  {"anchor_count", v->anchorCount},
                  {"head", v->head},
                  {"problem", intact ? json(nullptr) : json(std::string(toString(v->problem)))},
                  {"seq", intact ? json(nullptr) : json(v->seq)},
                  {"reason", intact ? json(nullptr) : json(v->reason)},
                  {"problems", v->problems}}));
    }

    void listUsers(const net::HttpRequest &r, net::Responder &respond)
    {
        if (!config.runs(ServiceKind::HostAccountSync) &&
            !config.runs(ServiceKind::DomainAccountSync))
            return respond(errorResponse(409, rpc::EndpointNotRegistered,
                                         config.name + " keeps no user mappings"));
        std::optional<SyncState> state;
        if (const std::string s = r.queryValue("state"); !s.empty()) {
            state = syncStateFromString(s);
            if (!state)
                return respond(
                    errorResponse(400, rpc::InvalidParameter,
                                  "state: expected in-sync, pending, failed or rejected"));
        }
        const int limit = std::clamp(std::atoi(r.queryValue("limit", "100").c_str()), 1, 1000);
        auto rows = store->users(state, r.queryValue("text"), r.queryValue("after"), limit + 1);
        json next = nullptr;
        if (static_cast<int>(rows.size()) > limit) {
            rows.resize(static_cast<std::size_t>(limit));
            next = rows.back().domainAccount;
        }
        respond(jsonResponse(200, {{"users", rows}, {"next", next}}));
    }

    void listOutbox(const net::HttpRequest &r, net::Responder &respond)
    {
        json list = json::array();
        for (const OutboxEntry &e : store->pending(r.queryValue("user"))) {
            list.push_back({{"seq", e.seq},
                            {"change_id", e.changeId},
                            {"kind", toString(e.kind)},
                            {"user", e.account.empty() ? e.hostAccount : e.account},
                            {"host_account", e.hostAccount},
                            {"target", e.target},
                            {"created", isoTimeJson(e.created)},
                            {"attempts", e.attempts},
                            {"last_attempt", isoTimeJson(e.lastAttempt)},
                            {"last_status", rpcStatusJson(e.lastStatus)},
                            {"last_message", e.lastMessage}});
        }
        respond(jsonResponse(200, {{"pending", list}, {"depth", store->depth()}}));
    }

    void listEvents(const net::HttpRequest &r, net::Responder &respond)
    {
        EventFilter f;
        f.servers = listParam(r, "server");
        f.sources = listParam(r, "source");
        for (const std::string &id : listParam(r, "id")) {
            char *end = nullptr;
            const long v = std::strtol(id.c_str(), &end, 10);
            if (!end || *end)
                return respond(errorResponse(400, rpc::InvalidParameter,
                                             "id: \"" + id + "\" is not a number"));
            f.ids.push_back(static_cast<int>(v));
        }
        for (const std::string &s : listParam(r, "severity")) {
            auto severity = severityFromString(s);
            if (!severity)
                return respond(
                    errorResponse(400, rpc::InvalidParameter, "severity: unknown \"" + s + "\""));
            f.severities.push_back(*severity);
        }
        for (const char *key : {"from", "until"}) {
            const std::string v = r.queryValue(key);
            if (v.empty())
                continue;
            const Millis t = parseIsoTime(v);
            if (t < 0)
                return respond(
                    errorResponse(400, rpc::InvalidParameter,
                                  std::string(key) + ": \"" + v + "\" is not an ISO 8601 time"));
            (std::string(key) == "from" ? f.from : f.until) = t;
        }
        f.text = r.queryValue("text");
        const std::int64_t after = std::atoll(r.queryValue("after", "0").c_str());
        const int limit = std::clamp(std::atoi(r.queryValue("limit", "100").c_str()), 1, 1000);
        auto rows = events->since(after, limit, f);
        if (!rows)
            return respond(errorResponse(500, rpc::ServerTooBusy, rows.error().message));
        json list = json::array();
        for (const Event &e : *rows)
            list.push_back(eventJson(e));
        auto last = events->lastSeq();
        respond(jsonResponse(200, {{"events", list}, {"last_seq", last ? *last : 0}}));
    }

    void postRebind(const net::HttpRequest &r, net::Responder &respond, OperatorAudit &audit)
    {
        auto body = parseBody(r, respond);
        if (!body)
            return;
        std::vector<std::shared_ptr<PeerBinding>> chosen;
        std::string target;
        if (body->contains("binding")) {
            if (!(*body)["binding"].is_string())
                return respond(
                    errorResponse(400, rpc::InvalidParameter, "binding: expected a binding id"));
            target = (*body)["binding"].get<std::string>();
            audit.target = target;
            auto it = bindings.find(target);
            if (it == bindings.end())
                return respond(
                    errorResponse(404, rpc::InvalidParameter,
                                  "binding " + target + " is not held by " + config.name));
            chosen.push_back(it->second);
        } else if (body->value("all_stale", false)) {
            target = "all stale bindings";
            for (auto &[id, b] : bindings) {
                if (b->model().state != BindingState::Bound)
                    chosen.push_back(b);
            }
        } else if (body->value("all", false)) {
            target = "all bindings";
            for (auto &[id, b] : bindings)
                chosen.push_back(b);
        } else {
            return respond(errorResponse(
                400, rpc::InvalidParameter,
                "expected {\"binding\": ID}, {\"all_stale\": true} or {\"all\": true}"));
        }
        audit.target = target;
        json ids = json::array();
        for (auto &b : chosen) {
            ids.push_back(b->model().id);
            b->rebind("operator rebind by " + audit.who);
        }
        audit.outcome = std::to_string(chosen.size()) + " binding(s) rebinding";
        respond(jsonResponse(200, {{"rebinding", ids}}));
    }

    void postResync(const net::HttpRequest &r, net::Responder &respond, OperatorAudit &audit)
    {
        if (config.cacheRole() != CacheRole::Primary)
            return respond(errorResponse(409, rpc::EndpointNotRegistered,
                                         "resync runs on the primary host account cache, not on " +
                                             config.name));
        auto body = parseBody(r, respond);
        if (!body)
            return;
        auto job = std::make_shared<ResyncJob>();
        std::string scope;
        if (body->contains("users")) {
            const json &users = (*body)["users"];
            if (!users.is_array() || users.empty())
                return respond(
                    errorResponse(400, rpc::InvalidParameter, "users: expected a non-empty list"));
            for (const json &u : users) {
                if (!u.is_string())
                    return respond(
                        errorResponse(400, rpc::InvalidParameter, "users: expected strings"));
                if (!store->user(u.get<std::string>()))
                    return respond(
                        errorResponse(404, rpc::NoSuchUser, "no user " + u.get<std::string>()));
                job->accounts.push_back(u.get<std::string>());
            }
            scope = std::to_string(job->accounts.size()) + " selected";
        } else if (body->value("failed", false)) {
            for (SyncState s : {SyncState::Failed, SyncState::Rejected}) {
                auto list = store->accounts(s);
                job->accounts.insert(job->accounts.end(), list.begin(), list.end());
            }
            scope = "failed";
        } else if (body->value("all", false)) {
            job->accounts = store->accounts(std::nullopt);
            scope = "all";
        } else {
            return respond(errorResponse(
                400, rpc::InvalidParameter,
                "expected {\"users\": [...]}, {\"failed\": true} or {\"all\": true}"));
        }
        job->id = "r" + std::to_string(++jobCounter);
        job->started = nowMillis();
        job->by = audit.who;
        jobs[job->id] = job;
        audit.target = scope + " users";
        audit.outcome =
            "job " + job->id + " started for " + std::to_string(job->accounts.size()) + " users";
        raise(ev::ResyncStarted, {job->id, std::to_string(job->accounts.size()), job->by});
        respond(jsonResponse(202, {{"job", job->toJson()}}));
        runJob(job);
    }

    void postPasswd(const net::HttpRequest &r, net::Responder &respond, OperatorAudit &audit)
    {
        if (!config.runs(ServiceKind::DomainAccountSync))
            return respond(errorResponse(409, rpc::EndpointNotRegistered,
                                         config.name + " does not run domain-account-sync"));
        auto body = parseBody(r, respond);
        std::string account, password, why;
        if (body && body->is_object() && body->contains("account") &&
            (*body)["account"].is_string())
            audit.target = (*body)["account"].get<std::string>();
        if (!body || !stringField(*body, "account", account, respond) ||
            !stringField(*body, "password", password, respond))
            return;
        if (!validDomainPassword(password, why))
            return respond(errorResponse(400, rpc::InvalidParameter, why));
        std::string domain, user;
        if (!splitDomainAccount(account, domain, user))
            return respond(
                errorResponse(400, rpc::InvalidParameter,
                              "account: expected DOMAIN\\user, got \"" + account + "\""));
        const std::string primary = primaryCache();
        if (primary.empty())
            return respond(
                errorResponse(409, rpc::EndpointNotRegistered, "no primary cache is configured"));
        std::string changeId;
        std::vector<Raised> queued;
        try {
            store::Transaction tx(store->db(), "queueing a domain password change");
            auto u = store->user(account);
            if (!u)
                return respond(errorResponse(404, rpc::NoSuchUser, "no domain account " + account));
            changeId = config.name + "-" + std::to_string(store->nextChangeNumber());
            u->passwordHash = domainPasswordHash(password);
            u->mapping.syncState = SyncState::Pending;
            u->mapping.lastChange = nowMillis();
            store->putUser(*u);
            enqueue(entryFor(u->mapping, ChangeKind::DomainChange, changeId, primary, config.name),
                    password);
            journal(queued, ev::ChangeQueued, {changeId, account, primary});
            tx.commit();
        } catch (const store::StoreError &e) {
            raise(ev::ChangeRefused, {account, e.what()});
            return respond(errorResponse(507, rpc::ServerTooBusy,
                                         std::string("the change was not stored: ") + e.what()));
        }
        ++changeCounts["queued"];
        audit.outcome = "change " + changeId + " queued for " + primary;
        raiseJournaled(queued);
        respond(jsonResponse(202, {{"change_id", changeId}, {"state", "queued"}}));
        kick(primary);
    }

    // The checks both host calls start with: a host runs here, and the body names a host
    // account and a password. Answers the request itself and returns false when they fail.
    bool hostRequest(const net::HttpRequest &r, net::Responder &respond, std::string &account,
                     std::string &password)
    {
        if (!host) {
            respond(errorResponse(409, rpc::EndpointNotRegistered, config.name + " is not a host"));
            return false;
        }
        auto body = parseBody(r, respond);
        return body && stringField(*body, "host_account", account, respond) &&
               stringField(*body, "password", password, respond);
    }

    // A host-initiated change. The change is durable in the outbox before the host applies it,
    // and the host records it under the entry's seq in the transaction that sets the password;
    // so a crash at any point leaves either both or an entry the host never applied, which
    // kick() drops (neverApplied). Never a password the host has and the caches do not learn.
    void postHostPasswd(const net::HttpRequest &r, net::Responder &respond, OperatorAudit &audit)
    {
        std::string account, password;
        if (!hostRequest(r, respond, account, password))
            return;
        account = SimulatedHost::normalizeUserId(account);
        audit.target = account;
        const std::string primary = primaryCache();
        std::string changeId;
        std::int64_t seq = 0;
        // Journaled with the outbox entry, raised once the host has made the change; a crash
        // before the host made it drops both (neverApplied). Without a primary there is no
        // entry to tell the two apart, so those events are raised without a journal.
        std::vector<Raised> made;
        try {
            store::Transaction tx(store->db(), "queueing a host-initiated change");
            changeId = config.name + "-" + std::to_string(store->nextChangeNumber());
            if (!primary.empty()) {
                OutboxEntry e;
                e.changeId = changeId;
                e.kind = ChangeKind::HostChange;
                e.hostAccount = account;
                e.target = primary;
                e.origin = config.name;
                seq = enqueue(std::move(e), password);
                journal(made, ev::HostInitiatedChange, {changeId, account});
                journal(made, ev::ChangeQueued, {changeId, account, primary});
            }
            tx.commit();
        } catch (const store::StoreError &e) {
            raise(ev::ChangeRefused, {account, e.what()});
            return respond(errorResponse(507, rpc::ServerTooBusy,
                                         std::string("the change was not stored: ") + e.what()));
        }
        Status changed;
        if (primary.empty())
            changed = host->changePassword(account, password, config.name);
        else if (auto applied = host->applyChange(account, password, senderId(), seq); !applied)
            changed = applied.error();
        if (!changed) {
            if (seq) {
                try {
                    dropHostChange(seq, changeId);
                } catch (const store::StoreError &) {
                    // kick() drops it: the host has no record of it applied.
                }
            }
            return respond(errorFor(changed.error()));
        }
        audit.outcome = "change " + changeId + " applied";
        if (primary.empty())
            raise(ev::HostInitiatedChange, {changeId, account});
        raiseJournaled(made);
        respond(jsonResponse(200, {{"change_id", changeId}, {"state", "applied"}}));
    }

    void postHostLogon(const net::HttpRequest &r, net::Responder &respond)
    {
        std::string account, password;
        if (!hostRequest(r, respond, account, password))
            return;
        auto ok = host->verifyLogon(account, password);
        if (!ok)
            return respond(errorFor(ok.error()));
        respond(jsonResponse(
            200, {{"ok", true}, {"host_account", SimulatedHost::normalizeUserId(account)}}));
    }

    void postSso(const net::HttpRequest &r, net::Responder &respond)
    {
        if (!config.runs(ServiceKind::DomainAccountSync) &&
            !config.runs(ServiceKind::HostAccountSync))
            return respond(errorResponse(409, rpc::EndpointNotRegistered,
                                         config.name + " does not answer SSO requests"));
        auto body = parseBody(r, respond);
        std::string account, domain, user;
        if (!body || !stringField(*body, "account", account, respond))
            return;
        if (!splitDomainAccount(account, domain, user))
            return respond(
                errorResponse(400, rpc::InvalidParameter,
                              "account: expected DOMAIN\\user, got \"" + account + "\""));
        sso(account, [respond](Result<json> answer) {
            if (!answer) {
                const auto code = static_cast<std::uint32_t>(answer.error().code);
                return respond(errorResponse(httpStatusFor(code), code, answer.error().message));
            }
            respond(jsonResponse(200, *answer));
        });
    }

    static std::string keyIdText(std::uint32_t id)
    {
        char buf[11];
        std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(id));
        return buf;
    }

    // Replaces cache.key and re-encrypts every stored secret under the new key. It runs here,
    // on the agent's one io_context thread, like every handler: an SSO look-up that arrives
    // meanwhile waits for the rotation's single transaction and then reads under whichever key
    // its blob names, so it never fails for the rotation.
    void postRotateKey(const net::HttpRequest &r, net::Responder &respond)
    {
        if (!config.runs(ServiceKind::HostAccountSync))
            return respond(errorResponse(409, rpc::EndpointNotRegistered,
                                         config.name + " does not run host-account-sync"));
        // No parameters; an empty body is as good as {}.
        if (!r.body.empty() && !parseBody(r, respond))
            return;
        const std::string target = config.name + " cache.key";
        auto rotated = keyring->rotate(*store);
        if (!rotated) {
            raiseOrRetry(ev::OperatorAction, {operatorOf(r), "rotate cache key", target,
                                              "failed: " + rotated.error().message});
            const Error e{rotated.error().code,
                          "key rotation on " + config.name + " failed: " + rotated.error().message};
            return respond(errorFor(e));
        }
        const std::string from = keyIdText(rotated->oldKeyId);
        const std::string to = keyIdText(rotated->newKeyId);
        raiseOrRetry(ev::OperatorAction,
                     {operatorOf(r), "rotate cache key", target,
                      std::to_string(rotated->reencrypted) + " secret(s) re-encrypted, key " +
                          from + " replaced by " + to});
        respond(jsonResponse(200, {{"server", config.name},
                                   {"reencrypted", rotated->reencrypted},
                                   {"old_key_id", from},
                                   {"new_key_id", to}}));
    }

    void postAnnounce(const net::HttpRequest &r, net::Responder &respond)
    {
        auto body = parseBody(r, respond);
        std::string peerServer, peerInstance;
        if (!body || !stringField(*body, "server", peerServer, respond) ||
            !stringField(*body, "instance", peerInstance, respond))
            return;
        bool known = false;
        for (auto &[id, b] : bindings) {
            if (b->model().toServer == peerServer) {
                if (!known)
                    raise(ev::PeerRestarted, {peerServer, peerInstance});
                known = true;
                b->peerAnnounced(peerInstance);
            }
        }
        respond(jsonResponse(200, {{"known", known}}));
    }
};

Agent::Agent(boost::asio::io_context &io, AgentConfig config)
    : m_impl(std::make_shared<Impl>(io, std::move(config)))
{}

Agent::~Agent()
{
    if (m_impl)
        m_impl->stop();
}

Status Agent::start()
{
    return m_impl->start();
}
Status Agent::reloadTls()
{
    return m_impl->reloadTls();
}
void Agent::stop()
{
    m_impl->stop();
}
std::uint16_t Agent::port() const
{
    return m_impl->server ? m_impl->server->port() : 0;
}
const std::string &Agent::instanceId() const
{
    return m_impl->instance;
}

} // namespace hostsec
