#include "diagnosis/diagnosis.h"

#include "events/catalogue.h"
#include "model/rpcstatus.h"
#include "util/tr.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace hostsec::diagnosis {

namespace {

constexpr std::size_t ListedAtMost = 8; // names quoted in a sentence before "and N more"

// ---- words ---------------------------------------------------------------------------------

std::string iso(Millis t)
{
    return t > 0 ? formatIsoTime(t) : std::string("an unknown time");
}

// "45 s", "12 min", "1 h 05 min", "2 d 03 h": figures an administrator reads at a glance.
std::string duration(Millis ms)
{
    const long long s = std::max<long long>(0, ms / 1000);
    char text[48];
    if (s < 120)
        std::snprintf(text, sizeof text, "%lld s", s);
    else if (s < 3600)
        std::snprintf(text, sizeof text, "%lld min", s / 60);
    else if (s < 86400)
        std::snprintf(text, sizeof text, "%lld h %02lld min", s / 3600, s / 60 % 60);
    else
        std::snprintf(text, sizeof text, "%lld d %02lld h", s / 86400, s / 3600 % 24);
    return text;
}

// "0x6BE (The remote procedure call failed.)"
std::string status(std::uint32_t code)
{
    return describeRpcStatus(code);
}

// "a, b and c"; more than ListedAtMost: "a, b, ... and 5 more".
std::string listed(const std::vector<std::string> &names)
{
    const std::size_t shown = std::min(names.size(), ListedAtMost);
    std::string text;
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0)
            text += (i + 1 == shown && shown == names.size()) ? " and " : ", ";
        text += names[i];
    }
    if (shown < names.size())
        text += " and " + std::to_string(names.size() - shown) + " more";
    return text;
}

std::string number(long long n)
{
    return std::to_string(n);
}

void addUnique(std::vector<std::string> &list, const std::string &value)
{
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end())
        list.push_back(value);
}

// "HS1/host-account-sync" or "HS1": the server part of an outbox target.
std::string serverOf(const std::string &target)
{
    return target.substr(0, target.find('/'));
}

// ---- bindings ------------------------------------------------------------------------------

// When the binding was last bound (its timeline's last move to bound); 0 if never recorded.
Millis lastBoundAt(const Binding &b)
{
    for (auto it = b.timeline.rbegin(); it != b.timeline.rend(); ++it) {
        if (it->to == BindingState::Bound)
            return it->time;
    }
    return 0;
}

// When a binding that is not bound stopped working: its last move out of bound, or its first
// recorded move when it never was bound; 0 when bound or unknown.
Millis brokenSince(const Binding &b)
{
    if (b.state == BindingState::Bound)
        return 0;
    for (auto it = b.timeline.rbegin(); it != b.timeline.rend(); ++it) {
        if (it->from == BindingState::Bound)
            return it->time;
    }
    if (!b.timeline.empty())
        return b.timeline.front().time;
    return b.lastFailure;
}

// The status that broke it: the move out of bound's, or the last error.
std::uint32_t breakingStatus(const Binding &b)
{
    for (auto it = b.timeline.rbegin(); it != b.timeline.rend(); ++it) {
        if (it->from == BindingState::Bound)
            return it->status != rpc::Success ? it->status : b.lastError;
    }
    return b.lastError;
}

bool everBound(const Binding &b)
{
    return !b.peerInstance.empty() || lastBoundAt(b) > 0;
}

// A manual binding that worked once and broke: only an operator will rebind it.
bool waitsForOperator(const Binding &b)
{
    return b.policy == RebindPolicy::Manual &&
           (b.state == BindingState::Stale || b.state == BindingState::Failed) && everBound(b);
}

bool accessDenied(const Binding &b)
{
    if (b.state == BindingState::Bound)
        return false;
    if (b.lastError == rpc::AccessDenied)
        return true;
    return !b.timeline.empty() && b.timeline.back().status == rpc::AccessDenied;
}

// ---- the rules' shared view of the snapshot ------------------------------------------------

class Context
{
public:
    Context(const DomainSnapshot &snapshot, const Options &options)
        : s(snapshot)
        , o(options)
        , now(snapshot.takenAt)
        , m_profile(options.profile.empty() ? snapshot.profile : options.profile)
    {}

    const DomainSnapshot &s;
    const Options &o;
    const Millis now;

    const AgentState *agent(const std::string &name) const
    {
        for (const AgentState &a : s.agents) {
            if (a.name == name)
                return &a;
        }
        return nullptr;
    }

    // Answered the snapshot. A server the profile does not list counts as reachable when its
    // status is in the domain (a snapshot built by hand may leave the agents out).
    bool reachable(const std::string &name) const
    {
        if (const AgentState *a = agent(name))
            return a->reachable;
        return s.domain.server(name) != nullptr;
    }

    // The profile lists it and it did not answer: server-unreachable speaks for it.
    bool knownDown(const std::string &name) const
    {
        const AgentState *a = agent(name);
        return a && !a->reachable;
    }

    // Whether a broken binding has been broken long enough to report: at once when it waits
    // for an operator, after the grace period when it rebinds by itself.
    bool overdue(const Binding &b) const
    {
        if (b.state == BindingState::Bound)
            return false;
        if (waitsForOperator(b))
            return true;
        const Millis since = brokenSince(b);
        return since == 0 || now - since >= o.brokenGrace;
    }

    const Binding *bindingBetween(const std::string &from, const std::string &to) const
    {
        for (const Binding &b : s.domain.bindings) {
            if (b.fromServer == from && b.toServer == to)
                return &b;
        }
        return nullptr;
    }

    // "hostsecctl -p PROFILE <args>"
    std::string ctl(const std::string &args) const
    {
        return "hostsecctl -p " + shellQuote(m_profile.empty() ? "PROFILE" : m_profile) + " " +
               args;
    }

    // The demo domain's folder: the profile's folder when the profile is its profile.json.
    std::string demoDir() const
    {
        const std::filesystem::path path(m_profile);
        if (path.filename() == "profile.json")
            return path.parent_path().empty() ? std::string(".") : path.parent_path().string();
        return m_profile.empty() ? std::string("DIR") : m_profile;
    }

    // Start a server's agent: for a demo domain, something to run; elsewhere, what to check.
    Action startAgent(const std::string &server) const
    {
        Action a;
        if (s.demo) {
            a.kind = ActionKind::StartAgent;
            a.targets = {server};
            a.textPhrases.push_back(
                {HOSTSEC_TR("hostsec::Finding",
                            "Start %1's agent (this starts every agent of the demo domain that "
                            "is not running)."),
                 {server}});
            a.command = "hostsecctl demo start " + shellQuote(demoDir());
        } else {
            const AgentState *state = agent(server);
            a.textPhrases.push_back(
                {HOSTSEC_TR("hostsec::Finding",
                            "Start hostsecd on %1 (for example: systemctl start hostsecd) and "
                            "check that %2 can be reached from here; then check that it answers:"),
                 {server, state && !state->endpoint.empty() ? state->endpoint
                                                            : std::string("its address")}});
            a.command = ctl("status --server " + shellQuote(server));
        }
        return a;
    }

    // Rebind the given broken bindings: one binding, every binding of one server, or every
    // stale binding of the domain.
    Action rebind(const std::vector<const Binding *> &bindings) const
    {
        Action a;
        std::set<std::string> holders;
        for (const Binding *b : bindings)
            holders.insert(b->fromServer);
        if (bindings.size() == 1) {
            a.kind = ActionKind::RebindBinding;
            a.targets = {bindings.front()->id};
            a.textPhrases.push_back({HOSTSEC_TR("hostsec::Finding", "Force a rebind of %1 on %2."),
                                     {bindings.front()->id, bindings.front()->fromServer}});
            a.command = ctl("rebind " + shellQuote(bindings.front()->id));
        } else if (holders.size() == 1) {
            a.kind = ActionKind::RebindServer;
            a.targets = {*holders.begin()};
            a.textPhrases.push_back(
                {HOSTSEC_TR("hostsec::Finding",
                            "Force a rebind of every binding %1 holds; %2 of them are broken."),
                 {*holders.begin(), number(std::ssize(bindings))}});
            a.command = ctl("rebind --server " + shellQuote(*holders.begin()));
        } else {
            a.kind = ActionKind::RebindAllStale;
            a.textPhrases.push_back(
                {HOSTSEC_TR("hostsec::Finding",
                            "Force a rebind of every binding that is not bound, on every server."),
                 {}});
            a.command = ctl("rebind --all-stale");
        }
        return a;
    }

    Action inspect(std::string_view text, std::vector<std::string> params,
                   const std::string &args) const
    {
        Action a;
        a.textPhrases.push_back({text, std::move(params)});
        a.command = ctl(args);
        return a;
    }

private:
    std::string m_profile;
};

Finding make(std::string_view rule, Level level)
{
    Finding f;
    f.rule = std::string(rule);
    f.level = level;
    return f;
}

void add(std::vector<Phrase> &phrases, std::string_view text, std::vector<std::string> params = {})
{
    phrases.push_back({text, std::move(params)});
}

// ---- rules ---------------------------------------------------------------------------------

// An agent that did not answer: start it, or check it.
void serverUnreachable(const Context &c, std::vector<Finding> &out)
{
    for (const AgentState &agent : c.s.agents) {
        if (agent.reachable)
            continue;
        Finding f = make("server-unreachable", Level::Error);
        f.servers = {agent.name};
        std::set<ServiceKind> services;
        std::vector<std::string> broken;
        Millis since = agent.unreachableSince;
        bool sinceFromBindings = false;
        for (const Binding &b : c.s.domain.bindings) {
            if (b.toServer != agent.name)
                continue;
            services.insert(b.toService);
            if (b.state == BindingState::Bound)
                continue;
            broken.push_back(b.id);
            f.bindings.push_back(b.id);
            const Millis t = brokenSince(b);
            if (agent.unreachableSince == 0 && t > 0 && (since == 0 || t < since)) {
                since = t;
                sinceFromBindings = true;
            }
        }
        f.since = since;
        if (since > 0)
            add(f.titlePhrases, HOSTSEC_TR("hostsec::Finding", "%1 does not answer since %2"),
                {agent.name, iso(since)});
        else
            add(f.titlePhrases, HOSTSEC_TR("hostsec::Finding", "%1 does not answer"), {agent.name});

        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding", "%1 (%2) did not answer the admin API: %3."),
            {agent.name, agent.endpoint.empty() ? std::string("no address") : agent.endpoint,
             agent.error.empty() ? std::string("no answer") : agent.error});
        if (!broken.empty())
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The bindings other servers hold to it are not bound: %1."),
                {listed(broken)});
        if (sinceFromBindings)
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding", "The first of them broke at %1 (%2 ago)."),
                {iso(since), duration(c.now - since)});

        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Its hostsecd process is not running, hangs, or cannot be reached from "
                       "this machine."),
            {});
        if (services.count(ServiceKind::HostAccountSync))
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "It keeps a host account cache: single sign-on goes to another cache "
                           "while one is reachable, and password changes for it wait in the "
                           "outboxes of the servers that send them."),
                {});
        if (services.count(ServiceKind::Host))
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "It is the host: password changes wait in the primary cache's outbox "
                           "and no logon to the host can be verified."),
                {});
        if (services.count(ServiceKind::DomainAccountSync))
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "It runs domain account sync: password changes made on the domain side "
                           "cannot be queued and host-initiated changes do not reach the domain."),
                {});
        f.action = c.startAgent(agent.name);
        out.push_back(std::move(f));
    }
}

// Bindings left stale by a recycled peer (Q216558): rebind them.
void staleAfterRecycle(const Context &c, std::vector<Finding> &out, std::set<std::string> &claimed)
{
    std::map<std::string, std::vector<const Binding *>> byPeer;
    for (const Binding &b : c.s.domain.bindings) {
        if (b.state == BindingState::Bound || b.state == BindingState::Rebinding || accessDenied(b))
            continue;
        const Server *peer = c.s.domain.server(b.toServer);
        if (!peer || !c.reachable(peer->name))
            continue;
        const bool instanceChanged = !b.peerInstance.empty() && !peer->instanceId.empty() &&
                                     b.peerInstance != peer->instanceId;
        const Millis boundAt = lastBoundAt(b);
        const std::uint32_t why = breakingStatus(b);
        const bool failedAfterRestart = peer->startedAt > 0 && boundAt > 0 &&
                                        boundAt < peer->startedAt &&
                                        (why == rpc::CallFailed || why == rpc::ServerUnavailable);
        if (!instanceChanged && !failedAfterRestart)
            continue;
        if (!c.overdue(b))
            continue;
        byPeer[peer->name].push_back(&b);
    }
    for (const auto &[peerName, bindings] : byPeer) {
        const Server &peer = *c.s.domain.server(peerName);
        Finding f = make("stale-after-recycle", Level::Error);
        f.servers = {peerName};
        bool manual = false;
        bool automatic = false;
        std::vector<std::string> holders;
        for (const Binding *b : bindings) {
            addUnique(f.servers, b->fromServer);
            addUnique(holders, b->fromServer);
            f.bindings.push_back(b->id);
            claimed.insert(b->id);
            const Millis t = brokenSince(*b);
            if (t > 0 && (f.since == 0 || t < f.since))
                f.since = t;
            (waitsForOperator(*b) ? manual : automatic) = true;
        }
        if (bindings.size() == 1)
            add(f.titlePhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1's binding to %2 is stale since %2 was recycled at %3"),
                {bindings.front()->fromServer, peerName, iso(peer.startedAt)});
        else
            add(f.titlePhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 bindings to %2 are stale since %2 was recycled at %3"),
                {number(std::ssize(bindings)), peerName, iso(peer.startedAt)});

        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 restarted at %2 (%3 ago) and runs a new instance, %4."),
            {peerName, iso(peer.startedAt), duration(c.now - peer.startedAt),
             peer.instanceId.empty() ? std::string("not known") : peer.instanceId});
        for (const Binding *b : bindings) {
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 has been %2 since %3 (%4 ago): last error %5, failures in a row: "
                           "%6, rebind policy %7, last bound to instance %8."),
                {b->id, std::string(toString(b->state)), iso(brokenSince(*b)),
                 duration(c.now - brokenSince(*b)), status(breakingStatus(*b)),
                 number(b->consecutiveFailures), std::string(toString(b->policy)),
                 b->peerInstance.empty() ? std::string("not known") : b->peerInstance});
        }

        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 was recycled: its new instance knows nothing of the connections "
                       "other servers held to the old one, so every call on these bindings "
                       "fails (0x6BE The remote procedure call failed, or 0x6BA) until they are "
                       "rebound. Meanwhile password changes stop propagating (event 630) and "
                       "single sign-on can fail (event 401). This is the failure described in "
                       "Q216558."),
            {peerName});
        if (manual)
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The rebind policy of %1 is manual: nothing but an operator's rebind "
                           "restores it."),
                {listed(holders)});
        if (automatic)
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "Where the rebind policy is auto the binding should have rebound by "
                           "itself within %1; it did not, so look at the holder's events 604 "
                           "(rebind failed)."),
                {duration(c.o.brokenGrace)});
        f.action = c.rebind(bindings);
        out.push_back(std::move(f));
    }
}

// 0x5 Access is denied on a binding, or on the deliveries over it: the peer refuses the caller.
void accessDeniedRule(const Context &c, std::vector<Finding> &out, std::set<std::string> &claimed)
{
    // binding id -> (binding, changes refused on it)
    std::map<std::string, std::pair<const Binding *, std::vector<const PendingChange *>>> refused;
    for (const Binding &b : c.s.domain.bindings) {
        if (accessDenied(b) && !c.knownDown(b.toServer))
            refused[b.id].first = &b;
    }
    for (const PendingChange &p : c.s.pending) {
        if (p.lastStatus != rpc::AccessDenied)
            continue;
        const Binding *b = c.bindingBetween(p.holder, serverOf(p.target));
        if (!b)
            continue;
        refused[b->id].first = b;
        refused[b->id].second.push_back(&p);
    }
    for (const auto &[id, entry] : refused) {
        const Binding &b = *entry.first;
        const auto &changes = entry.second;
        claimed.insert(id);
        Finding f = make("access-denied", Level::Error);
        f.servers = {b.toServer, b.fromServer};
        f.bindings = {id};
        f.since = brokenSince(b);
        for (const PendingChange *p : changes) {
            addUnique(f.users, p->user);
            if (f.since == 0 || (p->created > 0 && p->created < f.since))
                f.since = p->created;
        }
        add(f.titlePhrases,
            HOSTSEC_TR("hostsec::Finding", "%1 refuses %2's calls: 0x5 Access is denied"),
            {b.toServer, b.fromServer});
        if (b.state != BindingState::Bound)
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The binding %1 is %2 since %3: %4 refused it with %5."),
                {id, std::string(toString(b.state)), iso(brokenSince(b)), b.toServer,
                 status(rpc::AccessDenied)});
        else
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The binding %1 is bound, but %2 refuses the deliveries over it with "
                           "%3."),
                {id, b.toServer, status(rpc::AccessDenied)});
        if (!changes.empty())
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 password changes wait in %2's outbox for %3 (users: %4)."),
                {number(std::ssize(changes)), b.fromServer, b.toServer, listed(f.users)});
        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 does not accept %2 as a peer: the certificate %2 presents is not "
                       "issued by the domain's CA, has expired or names another server, or the "
                       "role it maps to may not make peer calls (viewer and operator "
                       "certificates are refused). A rebind does not help until that is "
                       "corrected; this is the 0x5 of event 630 in Q216558."),
            {b.toServer, b.fromServer});
        f.action = c.inspect(
            HOSTSEC_TR("hostsec::Finding", "Check on %1 that %2's certificate is issued by the "
                                           "domain's CA, is valid and maps to a server role, then "
                                           "rebind. %1 records each refusal as audit event 901:"),
            {b.toServer, b.fromServer}, "events --server " + shellQuote(b.toServer) + " --id 901");
        out.push_back(std::move(f));
    }
}

// SSO failing (event 401) on a server that reaches no host account cache now.
void ssoNoCache(const Context &c, std::vector<Finding> &out)
{
    std::set<std::string> caches;
    for (const Server &server : c.s.domain.servers) {
        if (server.runs(ServiceKind::HostAccountSync))
            caches.insert(server.name);
    }
    for (const Binding &b : c.s.domain.bindings) {
        if (b.toService == ServiceKind::HostAccountSync)
            caches.insert(b.toServer);
    }
    std::map<std::string, std::vector<const Event *>> failures;
    for (const Event &e : c.s.recentEvents) {
        if (e.id == ev::SsoFailed)
            failures[e.server].push_back(&e);
    }
    for (const auto &[serverName, events] : failures) {
        if (!c.reachable(serverName))
            continue; // its state is unknown; server-unreachable says so
        const Server *self = c.s.domain.server(serverName);
        std::vector<std::string> cacheStates;
        std::vector<const Binding *> rebindable;
        std::string startable;
        bool usable = false;
        for (const std::string &cache : caches) {
            if (cache == serverName && self && self->runs(ServiceKind::HostAccountSync)) {
                usable = true;
                continue;
            }
            const Binding *b = c.bindingBetween(serverName, cache);
            if (!c.reachable(cache)) {
                cacheStates.push_back(cache + " does not answer");
                if (startable.empty())
                    startable = cache;
            } else if (!b) {
                cacheStates.push_back(cache + ": " + serverName + " holds no binding to it");
            } else if (b->state != BindingState::Bound) {
                cacheStates.push_back(cache + ": binding " + b->id + " is " +
                                      std::string(toString(b->state)) + " since " +
                                      iso(brokenSince(*b)));
                rebindable.push_back(b);
            } else {
                usable = true;
            }
        }
        if (usable)
            continue; // a cache answers again: SSO works now
        Finding f = make("sso-no-cache", Level::Error);
        f.servers = {serverName};
        for (const std::string &cache : caches)
            addUnique(f.servers, cache);
        for (const Binding *b : rebindable)
            f.bindings.push_back(b->id);
        for (const Event *e : events) {
            if (e->params.size() >= 2)
                addUnique(f.users, e->params[0] + "\\" + e->params[1]);
        }
        f.since = events.front()->time;
        add(f.titlePhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Single sign-on fails on %1: no host account cache can be reached"),
            {serverName});
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 single sign-on requests failed on %2 between %3 and %4 (event 401), "
                       "for %5."),
            {number(std::ssize(events)), serverName, iso(events.front()->time),
             iso(events.back()->time),
             f.users.empty() ? std::string("unknown users") : listed(f.users)});
        if (caches.empty())
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "No server of the domain runs a host account cache."),
                {});
        else
            add(f.whatPhrases, HOSTSEC_TR("hostsec::Finding", "The caches now: %1."),
                {listed(cacheStates)});
        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Single sign-on asks the primary host account cache, then the backups, over "
                       "%1's bindings to them; none answered, so each request fails with event "
                       "401, as in Q216558. Users cannot log on to the host with single sign-on "
                       "until one cache is reachable again."),
            {serverName});
        if (!rebindable.empty())
            f.action = c.rebind(rebindable);
        else if (!startable.empty())
            f.action = c.startAgent(startable);
        else
            f.action = c.inspect(
                HOSTSEC_TR("hostsec::Finding", "Check which servers answer and what they run:"), {},
                "status");
        out.push_back(std::move(f));
    }
}

// Changes waiting in an outbox: for a peer that cannot take them (outbox-waiting), or on a
// working link that is merely slow (link-lagging, kept apart so normal lag raises nothing).
void outboxRules(const Context &c, std::vector<Finding> &out)
{
    std::map<std::pair<std::string, std::string>, std::vector<const PendingChange *>> links;
    for (const PendingChange &p : c.s.pending)
        links[{p.holder, serverOf(p.target)}].push_back(&p);

    for (const auto &[link, changes] : links) {
        const auto &[holder, target] = link;
        const PendingChange *oldest = changes.front();
        std::uint32_t lastStatus = rpc::Success;
        Millis lastAttempt = 0;
        std::vector<std::string> users;
        for (const PendingChange *p : changes) {
            if (p->created < oldest->created)
                oldest = p;
            if (p->lastAttempt >= lastAttempt && p->attempts > 0) {
                lastAttempt = p->lastAttempt;
                lastStatus = p->lastStatus;
            }
            addUnique(users, p->user);
        }
        const Millis age = c.now - oldest->created;
        const Binding *binding = c.bindingBetween(holder, target);
        const bool peerDown = !c.reachable(target);
        const bool bindingDown = binding && binding->state != BindingState::Bound;
        const bool failing = lastStatus != rpc::Success;
        const bool broken = peerDown || bindingDown || failing;
        if (broken ? age < c.o.outboxAge : age < c.o.lagThreshold)
            continue;

        Finding f =
            make(broken ? "outbox-waiting" : "link-lagging", broken ? Level::Warning : Level::Info);
        f.servers = {holder, target};
        f.users = users;
        f.since = oldest->created;
        if (binding)
            f.bindings = {binding->id};
        const std::string count = number(std::ssize(changes));
        if (broken) {
            if (changes.size() == 1)
                add(f.titlePhrases,
                    HOSTSEC_TR("hostsec::Finding", "1 password change on %1 has waited %2 for %3"),
                    {holder, duration(age), target});
            else
                add(f.titlePhrases,
                    HOSTSEC_TR("hostsec::Finding",
                               "%1 password changes on %2 wait for %3, the oldest for %4"),
                    {count, holder, target, duration(age)});
        } else {
            add(f.titlePhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The link from %1 to %2 is slow: %3 changes waiting, the oldest for %4"),
                {holder, target, count, duration(age)});
        }
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1's outbox holds %2 changes for %3 (users: %4). The oldest, %5 for %6, "
                       "was queued at %7 and has been tried %8 times."),
            {holder, count, target, listed(users), oldest->changeId, oldest->user,
             iso(oldest->created), number(oldest->attempts)});
        if (failing)
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding", "The last attempt, at %1, failed with %2."),
                {iso(lastAttempt), status(lastStatus)});

        if (!broken) {
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The binding is bound and deliveries succeed; the oldest change is "
                           "above the %1 lag threshold."),
                {duration(c.o.lagThreshold)});
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The link works but delivers more slowly than changes arrive: a burst "
                           "of changes, a slow peer or host, or a slow network. Nothing is lost. "
                           "It needs action only if it keeps growing."),
                {});
            f.action = c.inspect(HOSTSEC_TR("hostsec::Finding", "Watch the outbox of %1:"),
                                 {holder}, "outbox --server " + shellQuote(holder));
            out.push_back(std::move(f));
            continue;
        }

        if (peerDown) {
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 does not answer, so the changes cannot be delivered. They are "
                           "stored durably on %2 and delivered when %1 is back; until then the "
                           "host and single sign-on still use the old passwords."),
                {target, holder});
            f.action = c.startAgent(target);
        } else if (bindingDown) {
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The binding %1 is %2 since %3, so the changes cannot be delivered "
                           "(the domain controller reports it as event 630). They are stored "
                           "durably and delivered once the binding is bound again."),
                {binding->id, std::string(toString(binding->state)), iso(brokenSince(*binding))});
            if (waitsForOperator(*binding))
                add(f.whyPhrases,
                    HOSTSEC_TR("hostsec::Finding",
                               "Its rebind policy is manual: it waits for an operator."),
                    {});
            f.action = c.rebind({binding});
        } else {
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "The binding to %1 is bound, but %1 fails the deliveries with %2; the "
                           "changes are retried and stay in the outbox until %1 accepts them."),
                {target, status(lastStatus)});
            f.action = c.inspect(HOSTSEC_TR("hostsec::Finding",
                                            "Look at the delivery errors in the outbox of %1 and "
                                            "in the events of %2:"),
                                 {holder, target}, "outbox --server " + shellQuote(holder));
        }
        out.push_back(std::move(f));
    }
}

// "password for USER1 rejected: it is 9 characters long: ..." -> "it is 9 characters long: ..."
std::string ruleOf(const std::string &message)
{
    const std::string marker = "rejected: ";
    const auto at = message.find(marker);
    if (message.starts_with("password") && at != std::string::npos)
        return message.substr(at + marker.size());
    return message;
}

// Users whose changes the host keeps rejecting: grouped by the host rule that refuses them.
void hostRejects(const Context &c, std::vector<Finding> &out)
{
    std::map<std::string, std::string> domainOfHost; // host account -> domain account
    for (const UserMapping &u : c.s.users) {
        if (!u.hostAccount.empty())
            domainOfHost[u.hostAccount] = u.domainAccount;
    }
    // One rejection per change id: the host, the primary cache and the domain controller each
    // raise event 703 for the same change.
    struct Rejection
    {
        std::string account;
        std::string rule;
        Millis time = 0;
    };
    std::map<std::string, Rejection> byChange;
    std::map<std::string, Millis> lastApplied; // account -> time of its last applied change
    for (const Event &e : c.s.recentEvents) {
        if (e.id == ev::ChangeApplied && e.params.size() >= 2) {
            lastApplied[e.params[1]] = std::max(lastApplied[e.params[1]], e.time);
            continue;
        }
        if (e.id != ev::ChangeRejected || e.params.size() < 3)
            continue;
        std::string account = e.params[1];
        if (account.find('\\') == std::string::npos) {
            const auto it = domainOfHost.find(account);
            if (it != domainOfHost.end())
                account = it->second;
        }
        Rejection &r = byChange[e.params[0]];
        if (r.account.empty() || account.find('\\') != std::string::npos)
            r.account = account;
        if (r.rule.empty() || !e.params[2].empty())
            r.rule = ruleOf(e.params[2]);
        r.time = std::max(r.time, e.time);
    }
    struct UserRejections
    {
        int count = 0;
        Millis first = 0;
        Millis last = 0;
        std::string rule;
        bool rejectedNow = false;
        std::uint32_t lastStatus = rpc::Success;
    };
    std::map<std::string, UserRejections> users;
    for (const auto &[change, r] : byChange) {
        UserRejections &u = users[r.account];
        ++u.count;
        if (u.first == 0 || r.time < u.first)
            u.first = r.time;
        if (r.time >= u.last) {
            u.last = r.time;
            u.rule = r.rule;
        }
    }
    for (const UserMapping &m : c.s.users) {
        if (m.syncState != SyncState::Rejected)
            continue;
        UserRejections &u = users[m.domainAccount];
        u.rejectedNow = true;
        u.lastStatus = m.lastStatus;
        if (u.last == 0)
            u.last = m.lastChange;
        if (u.first == 0)
            u.first = m.lastChange;
    }
    std::map<std::string, std::vector<std::pair<std::string, const UserRejections *>>> byRule;
    for (const auto &[account, u] : users) {
        const auto applied = lastApplied.find(account);
        const bool appliedSince = applied != lastApplied.end() && applied->second > u.last;
        const bool keeps = u.count >= c.o.rejectionsToReport && !appliedSince;
        if (!u.rejectedNow && !keeps)
            continue;
        std::string rule = u.rule;
        if (rule.empty())
            rule = "not in the recent events; the last status was " +
                   status(u.lastStatus != rpc::Success ? u.lastStatus : rpc::PasswordRestriction);
        byRule[rule].emplace_back(account, &u);
    }
    for (const auto &[rule, rejected] : byRule) {
        Finding f = make("host-rejects-changes", Level::Warning);
        int changes = 0;
        Millis last = 0;
        for (const auto &[account, u] : rejected) {
            f.users.push_back(account);
            changes += u->count;
            last = std::max(last, u->last);
            if (u->first > 0 && (f.since == 0 || u->first < f.since))
                f.since = u->first;
        }
        for (const Server &server : c.s.domain.servers) {
            if (server.runs(ServiceKind::Host))
                f.servers.push_back(server.name);
        }
        if (rejected.size() == 1)
            add(f.titlePhrases,
                HOSTSEC_TR("hostsec::Finding", "The host rejects the password changes of %1"),
                {rejected.front().first});
        else
            add(f.titlePhrases,
                HOSTSEC_TR("hostsec::Finding", "The host rejects the password changes of %1 users"),
                {number(std::ssize(rejected))});
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Host policy refused %1 changes of %2 in the recent events (event 703), "
                       "the last at %3. The host's rule: %4"),
            {number(changes), listed(f.users), iso(last), rule});
        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "The host checks every new password against its rules (length, "
                       "characters, history) and refused these. A rejected change is not "
                       "retried: the domain and host passwords of these users now differ, and "
                       "single sign-on hands out the old host password until the user sets a "
                       "password the host accepts."),
            {});
        f.action = c.inspect(HOSTSEC_TR("hostsec::Finding",
                                        "Ask these users to set a new password that meets the "
                                        "host's rule. The users whose last change was rejected:"),
                             {}, "users --state rejected");
        out.push_back(std::move(f));
    }
}

// A binding that keeps breaking and rebinding.
void flapping(const Context &c, std::vector<Finding> &out)
{
    const Millis from = c.now - c.o.flapWindow;
    for (const Binding &b : c.s.domain.bindings) {
        int losses = 0;
        Millis first = 0;
        for (const BindingTransition &t : b.timeline) {
            if (t.time < from || t.from != BindingState::Bound || t.to == BindingState::Bound)
                continue;
            if (++losses == 1)
                first = t.time;
        }
        if (losses <= c.o.flapChanges)
            continue;
        int restarts = 0;
        for (const Event &e : c.s.recentEvents) {
            if (e.time >= from && e.id == ev::PeerRestarted && e.server == b.fromServer &&
                !e.params.empty() && e.params[0] == b.toServer)
                ++restarts;
        }
        Finding f = make("binding-flapping", Level::Warning);
        f.servers = {b.fromServer, b.toServer};
        f.bindings = {b.id};
        f.since = first;
        add(f.titlePhrases,
            HOSTSEC_TR("hostsec::Finding", "Binding %1 is flapping: lost %2 times in %3"),
            {b.id, number(losses), duration(c.now - first)});
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Between %1 and %2 the binding lost its connection %3 times (more than "
                       "%4 in %5); it is %6 now."),
            {iso(first), iso(c.now), number(losses), number(c.o.flapChanges),
             duration(c.o.flapWindow), std::string(toString(b.state))});
        if (restarts > 0)
            add(f.whatPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 saw %2 restart %3 times in that period (event 610)."),
                {b.fromServer, b.toServer, number(restarts)});
        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "A binding that keeps breaking points at a peer that restarts again and "
                       "again (a crash loop), a peer too busy to answer heartbeats in time, or a "
                       "network that drops connections. Each break fails the calls in flight "
                       "and delays password changes."),
            {});
        f.action = c.inspect(
            HOSTSEC_TR("hostsec::Finding", "Look at why it breaks: the binding events on %1 and "
                                           "the agent log of %2."),
            {b.fromServer, b.toServer},
            "events --server " + shellQuote(b.fromServer) + " --id 601,603,604,606,610");
        out.push_back(std::move(f));
    }
}

// Any other binding that is not bound while its peer answers.
void bindingBroken(const Context &c, std::vector<Finding> &out,
                   const std::set<std::string> &claimed)
{
    for (const Binding &b : c.s.domain.bindings) {
        if (b.state == BindingState::Bound || claimed.count(b.id) || c.knownDown(b.toServer) ||
            !c.overdue(b))
            continue;
        const Millis since = brokenSince(b);
        Finding f = make("binding-broken", Level::Error);
        f.servers = {b.fromServer, b.toServer};
        f.bindings = {b.id};
        f.since = since;
        add(f.titlePhrases, HOSTSEC_TR("hostsec::Finding", "Binding %1 is %2 since %3"),
            {b.id, std::string(toString(b.state)), iso(since)});
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 has been %2 since %3 (%4 ago): last error %5, failures in a row: %6, "
                       "rebind policy %7."),
            {b.id, std::string(toString(b.state)), iso(since), duration(c.now - since),
             status(b.lastError), number(b.consecutiveFailures), std::string(toString(b.policy))});
        if (waitsForOperator(b))
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 answers, but the binding lost its connection and its rebind "
                           "policy is manual: it stays %2 until an operator rebinds it."),
                {b.toServer, std::string(toString(b.state))});
        else
            add(f.whyPhrases,
                HOSTSEC_TR("hostsec::Finding",
                           "%1 answers, but the binding has not been re-established for %2; its "
                           "last error says why, and %3's events 604 record each failed attempt."),
                {b.toServer, duration(c.now - since), b.fromServer});
        f.action = c.rebind({&b});
        out.push_back(std::move(f));
    }
}

// A certificate that expires soon: renew it before every connection to the agent fails.
void certificateExpiring(const Context &c, std::vector<Finding> &out)
{
    for (const AgentState &agent : c.s.agents) {
        if (!agent.reachable || agent.certificateNotAfter == 0 ||
            agent.certificateNotAfter - c.now > c.o.certificateWarning)
            continue;
        const Millis left = agent.certificateNotAfter - c.now;
        Finding f = make("certificate-expiring", Level::Warning);
        f.servers = {agent.name};
        add(f.titlePhrases,
            HOSTSEC_TR("hostsec::Finding", "The TLS certificate of %1 expires on %2"),
            {agent.name, iso(agent.certificateNotAfter)});
        add(f.whatPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "%1 serves the certificate %2, valid until %3 (%4 from now)."),
            {agent.name, agent.certificate.empty() ? agent.name : agent.certificate,
             iso(agent.certificateNotAfter), duration(left)});
        add(f.whyPhrases,
            HOSTSEC_TR("hostsec::Finding",
                       "Once it has expired, no peer and no console accepts it: every binding to "
                       "%1 fails, and so do password changes and SSO look-ups through it."),
            {agent.name});
        f.action = c.inspect(
            HOSTSEC_TR("hostsec::Finding",
                       "Issue %1 a new service certificate from the domain's CA (hostsecctl pki "
                       "issue --role service), put it in place of the files its [tls] cert and "
                       "key name, and send hostsecd SIGHUP: it takes the new one without a "
                       "restart."),
            {agent.name}, "status --server " + shellQuote(agent.name) + " --json");
        out.push_back(std::move(f));
    }
    // The user's own certificate: once expired, every agent refuses this console or script.
    const Millis userNotAfter = c.s.userCertificateNotAfter;
    if (userNotAfter == 0 || userNotAfter - c.now > c.o.certificateWarning)
        return;
    Finding f = make("certificate-expiring", Level::Warning);
    add(f.titlePhrases, HOSTSEC_TR("hostsec::Finding", "Your certificate %1 expires on %2"),
        {c.s.userCertificate, iso(userNotAfter)});
    add(f.whatPhrases,
        HOSTSEC_TR("hostsec::Finding",
                   "The profile presents the certificate %1 (role %2, %3) to every agent; it is "
                   "valid until %4 (%5 from now)."),
        {c.s.userCertificate, c.s.userRole, c.s.userCertificateFile, iso(userNotAfter),
         duration(userNotAfter - c.now)});
    add(f.whyPhrases,
        HOSTSEC_TR("hostsec::Finding",
                   "Once it has expired, every agent refuses the console and hostsecctl with "
                   "this profile: nothing can be seen or done with it."),
        {});
    const std::string caFolder =
        c.s.demo ? (std::filesystem::path(c.s.profile).parent_path() / "pki").string()
                 : std::string("CA_FOLDER");
    f.action.textPhrases.push_back(
        {HOSTSEC_TR("hostsec::Finding",
                    "Have the domain's CA issue a new certificate with the same name and role "
                    "(into a new folder: pki issue replaces no file), then put it and its key "
                    "in place of %1 and its key."),
         {c.s.userCertificateFile}});
    f.action.command =
        "hostsecctl pki issue --ca " + shellQuote(caFolder) + " --name " +
        shellQuote(c.s.userCertificate) + " --role " + shellQuote(c.s.userRole) + " -o " +
        shellQuote(
            (std::filesystem::path(c.s.userCertificateFile).parent_path() / "renewed").string());
    out.push_back(std::move(f));
}

void fill(Finding &f)
{
    f.title = toText(f.titlePhrases);
    f.what = toText(f.whatPhrases);
    f.why = toText(f.whyPhrases);
    f.action.text = toText(f.action.textPhrases);
}

} // namespace

const std::vector<std::string_view> &ruleNames()
{
    static const std::vector<std::string_view> names = {
        "stale-after-recycle",  "access-denied",       "sso-no-cache",     "outbox-waiting",
        "host-rejects-changes", "server-unreachable",  "binding-flapping", "link-lagging",
        "binding-broken",       "certificate-expiring"};
    return names;
}

std::vector<Finding> diagnose(const DomainSnapshot &snapshot, const Options &options)
{
    const Context c(snapshot, options);
    std::vector<Finding> findings;
    std::set<std::string> claimed; // bindings a specific rule explained already
    serverUnreachable(c, findings);
    accessDeniedRule(c, findings, claimed);
    staleAfterRecycle(c, findings, claimed);
    ssoNoCache(c, findings);
    outboxRules(c, findings);
    hostRejects(c, findings);
    flapping(c, findings);
    bindingBroken(c, findings, claimed);
    certificateExpiring(c, findings);
    for (Finding &f : findings)
        fill(f);
    std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        if (a.level != b.level)
            return a.level > b.level;
        if ((a.since == 0) != (b.since == 0))
            return b.since == 0;
        if (a.since != b.since)
            return a.since < b.since;
        if (a.rule != b.rule)
            return a.rule < b.rule;
        return a.title < b.title;
    });
    return findings;
}

std::optional<Level> worstLevel(const std::vector<Finding> &findings)
{
    std::optional<Level> worst;
    for (const Finding &f : findings) {
        if (!worst || f.level > *worst)
            worst = f.level;
    }
    return worst;
}

std::string shellQuote(std::string_view word)
{
    const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               std::string_view("_-./:=@%+,").find(ch) != std::string_view::npos;
    });
    if (safe)
        return std::string(word);
    std::string quoted = "'";
    for (const char ch : word) {
        if (ch == '\'')
            quoted += "'\\''";
        else
            quoted += ch;
    }
    return quoted + "'";
}

} // namespace hostsec::diagnosis
