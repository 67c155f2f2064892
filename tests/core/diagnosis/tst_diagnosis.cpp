// Why: the diagnosis is what tells an administrator "these bindings went stale because HS1 was
// recycled at 10:42; rebind them" instead of leaving them to read error codes. Each rule gets
// one situation built by hand from a healthy demo-like domain, and the finding is checked for
// its rule, level, concerned servers/bindings/users, its figures and its exact command. Just as
// important are the cases that must raise nothing: a healthy domain, normal lag on a working
// link, an auto binding still inside its rebind grace, a binding at the flapping threshold.

#include "diagnosis/diagnosis.h"
#include "diagnosis/findingjson.h"
#include "events/catalogue.h"
#include "model/rpcstatus.h"

#include <QtTest>

#include <functional>

using namespace hostsec;
using namespace hostsec::diagnosis;

namespace {

constexpr Millis T = 1'800'000'000'000; // "now" of every snapshot: 2027-01-15T08:00:00Z
constexpr Millis Minute = 60'000;
constexpr Millis Day = 24 * 60 * Minute;
const std::string Profile = "/profiles/demo/profile.json";

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

Binding binding(const std::string &from, ServiceKind fromService, const std::string &to,
                ServiceKind toService, RebindPolicy policy = RebindPolicy::Auto)
{
    Binding b;
    b.fromServer = from;
    b.fromService = fromService;
    b.toServer = to;
    b.toService = toService;
    b.id = Binding::makeId(from, fromService, to, toService);
    b.interfaceUuid = std::string(interfaceUuid(toService));
    b.policy = policy;
    b.state = BindingState::Bound;
    b.peerInstance = to + "-a";
    b.lastSuccess = T - 1000;
    b.timeline.push_back(
        {T - 60 * Minute, BindingState::Unbound, BindingState::Bound, rpc::Success, "bound"});
    return b;
}

Server server(const std::string &name, std::vector<Service> services)
{
    Server s;
    s.name = name;
    s.address = "127.0.0.1:4010" + std::to_string(name.size());
    s.services = std::move(services);
    s.instanceId = name + "-a";
    s.startedAt = T - 61 * Minute;
    s.version = "0.1.0";
    return s;
}

// DC1, HS1 (primary), HS2 (backup, manual bindings), HOST1: the demo domain, all bound.
DomainSnapshot healthy()
{
    using K = ServiceKind;
    DomainSnapshot s;
    s.takenAt = T;
    s.profile = Profile;
    s.demo = true;
    s.eventsFrom = T - 60 * Minute;
    s.domain.name = "CONTOSO";
    s.domain.hostDomain = "HOSTDOM";
    s.domain.servers = {server("DC1", {{K::DomainAccountSync, CacheRole::None}}),
                        server("HS1", {{K::HostAccountSync, CacheRole::Primary}}),
                        server("HS2", {{K::HostAccountSync, CacheRole::Backup}}),
                        server("HOST1", {{K::Host, CacheRole::None}})};
    s.domain.bindings = {
        binding("DC1", K::DomainAccountSync, "HS1", K::HostAccountSync),
        binding("DC1", K::DomainAccountSync, "HS2", K::HostAccountSync),
        binding("HS1", K::HostAccountSync, "HOST1", K::Host),
        binding("HS1", K::HostAccountSync, "HS2", K::HostAccountSync),
        binding("HS1", K::HostAccountSync, "DC1", K::DomainAccountSync),
        binding("HS2", K::HostAccountSync, "HS1", K::HostAccountSync, RebindPolicy::Manual),
        binding("HOST1", K::Host, "HS1", K::HostAccountSync),
    };
    for (const Server &srv : s.domain.servers)
        s.agents.push_back({srv.name, srv.address, true, {}, 0});
    // A quiet hour: the agents started, the bindings bound.
    for (const Server &srv : s.domain.servers)
        s.recentEvents.push_back(makeEvent(ev::AgentStarted, srv.name,
                                           {srv.name, "...", srv.instanceId}, T - 60 * Minute));
    return s;
}

Binding &bindingOf(DomainSnapshot &s, const std::string &from, const std::string &to)
{
    for (Binding &b : s.domain.bindings) {
        if (b.fromServer == from && b.toServer == to)
            return b;
    }
    qFatal("no binding %s->%s", from.c_str(), to.c_str());
}

// The binding leaves bound at `time` for `state` with `status`, as an agent records it.
void breakBinding(Binding &b, Millis time, BindingState state, std::uint32_t status,
                  const std::string &reason)
{
    b.timeline.push_back({time, BindingState::Bound, state, status, reason});
    b.state = state;
    b.lastError = status;
    b.lastFailure = time;
    b.consecutiveFailures = 1;
}

// HS1 restarted `ago` before the snapshot as a new instance.
void recycle(DomainSnapshot &s, const std::string &name, Millis ago)
{
    for (Server &srv : s.domain.servers) {
        if (srv.name == name) {
            srv.instanceId = name + "-b";
            srv.startedAt = T - ago;
        }
    }
}

void down(DomainSnapshot &s, const std::string &name)
{
    for (AgentState &a : s.agents) {
        if (a.name == name) {
            a.reachable = false;
            a.error =
                "0x6BA RPC_S_SERVER_UNAVAILABLE: connect to " + a.endpoint + ": Connection refused";
        }
    }
    std::erase_if(s.domain.servers, [&](const Server &srv) { return srv.name == name; });
    // Its own bindings are not known while it does not answer.
    std::erase_if(s.domain.bindings, [&](const Binding &b) { return b.fromServer == name; });
}

PendingChange change(const std::string &holder, int n, const std::string &target, Millis created,
                     int attempts, std::uint32_t lastStatus)
{
    PendingChange p;
    p.holder = holder;
    p.seq = n;
    p.changeId = holder + "-" + std::to_string(n);
    p.kind = "domain";
    char user[32];
    std::snprintf(user, sizeof user, "CONTOSO\\user%04d", n);
    p.user = user;
    p.target = target;
    p.created = created;
    p.attempts = attempts;
    p.lastAttempt = attempts > 0 ? T - 2000 : 0;
    p.lastStatus = lastStatus;
    return p;
}

// One situation and the finding it must (or must not) raise.
struct Case
{
    const char *name;
    std::function<void(DomainSnapshot &, Options &)> build;
    std::string rule;    // "" with present false: no finding at all
    bool present = true; // false: no finding of `rule`
    Level level = Level::Error;
    ActionKind action = ActionKind::None;
    std::string command;               // the exact command
    std::vector<std::string> bindings; // the finding's bindings, exactly
    std::vector<std::string> users;    // the finding's users, exactly
    std::vector<std::string> mentions; // in title, what, why or the action's text
    Millis since = 0;                  // 0: not checked
};

const std::string Hs2ToHs1 = "HS2/host-account-sync->HS1/host-account-sync";
const std::string Dc1ToHs1 = "DC1/domain-account-sync->HS1/host-account-sync";
const std::string Dc1ToHs2 = "DC1/domain-account-sync->HS2/host-account-sync";
const std::string Host1ToHs1 = "HOST1/host->HS1/host-account-sync";
const std::string Hs1ToHost1 = "HS1/host-account-sync->HOST1/host";
const std::string Hs1ToHs2 = "HS1/host-account-sync->HS2/host-account-sync";
const std::string Ctl = "hostsecctl -p /profiles/demo/profile.json ";

const std::vector<Case> &cases()
{
    static const std::vector<Case> all = {
        {"healthy domain: nothing", [](DomainSnapshot &, Options &) {}, "", false},
        {"normal lag on a working link: nothing",
         [](DomainSnapshot &s, Options &) {
             s.pending = {change("DC1", 1, "HS1", T - 5000, 0, 0),
                          change("HS1", 2, "HOST1", T - 1500, 1, 0)};
         },
         "", false},
        {"stale-after-recycle: peer instance changed, manual binding",
         [](DomainSnapshot &s, Options &) {
             recycle(s, "HS1", 60'000);
             breakBinding(bindingOf(s, "HS2", "HS1"), T - 61'000, BindingState::Stale,
                          rpc::CallFailed, "connection to HS1 lost");
         },
         "stale-after-recycle",
         true,
         Level::Error,
         ActionKind::RebindBinding,
         Ctl + "rebind '" + Hs2ToHs1 + "'",
         {Hs2ToHs1},
         {},
         {"HS1 was recycled at 2027-01-15T07:59:00.000Z", "Q216558", "0x6BE", "manual", "HS1-b",
          "HS1-a"},
         T - 61'000},
        {"stale-after-recycle: 0x6BA after the peer's restart, two holders",
         [](DomainSnapshot &s, Options &) {
             recycle(s, "HS1", 5 * Minute);
             for (const char *holder : {"DC1", "HOST1"}) {
                 Binding &b = bindingOf(s, holder, "HS1");
                 b.peerInstance.clear(); // not known: the timeline and started_at tell it
                 breakBinding(b, T - 6 * Minute, BindingState::Failed, rpc::ServerUnavailable,
                              "connect refused");
             }
         },
         "stale-after-recycle",
         true,
         Level::Error,
         ActionKind::RebindAllStale,
         Ctl + "rebind --all-stale",
         {Dc1ToHs1, Host1ToHs1},
         {},
         {"2 bindings to HS1", "0x6BA", "events 604"},
         T - 6 * Minute},
        {"stale-after-recycle: an auto binding inside its grace period raises nothing",
         [](DomainSnapshot &s, Options &) {
             recycle(s, "HS1", 3000);
             breakBinding(bindingOf(s, "DC1", "HS1"), T - 3500, BindingState::Stale,
                          rpc::CallFailed, "connection to HS1 lost");
         },
         "", false},
        {"access-denied: the peer refuses the binding with 0x5",
         [](DomainSnapshot &s, Options &) {
             breakBinding(bindingOf(s, "HS2", "HS1"), T - 4 * Minute, BindingState::Failed,
                          rpc::AccessDenied, "bind refused: access denied");
         },
         "access-denied",
         true,
         Level::Error,
         ActionKind::None,
         Ctl + "events --server HS1 --id 901",
         {Hs2ToHs1},
         {},
         {"0x5 (Access is denied.)", "certificate", "role"},
         T - 4 * Minute},
        {"sso-no-cache: 401 while the primary is down and the backup's binding is stale",
         [](DomainSnapshot &s, Options &) {
             down(s, "HS1");
             breakBinding(bindingOf(s, "DC1", "HS2"), T - 9 * Minute, BindingState::Stale,
                          rpc::CallFailed, "connection to HS2 lost");
             breakBinding(bindingOf(s, "DC1", "HS1"), T - 10 * Minute, BindingState::Failed,
                          rpc::ServerUnavailable, "connect refused");
             for (int i = 0; i < 3; ++i)
                 s.recentEvents.push_back(makeEvent(
                     ev::SsoFailed, "DC1", {"CONTOSO", i == 2 ? "bob" : "alice", "HOSTDOM"},
                     T - (8 - i) * Minute));
         },
         "sso-no-cache",
         true,
         Level::Error,
         ActionKind::RebindBinding,
         Ctl + "rebind '" + Dc1ToHs2 + "'",
         {Dc1ToHs2},
         {"CONTOSO\\alice", "CONTOSO\\bob"},
         {"3 single sign-on requests failed on DC1", "HS1 does not answer", "event 401"},
         T - 8 * Minute},
        {"sso-no-cache: past 401s while a cache answers again raise nothing",
         [](DomainSnapshot &s, Options &) {
             s.recentEvents.push_back(
                 makeEvent(ev::SsoFailed, "DC1", {"CONTOSO", "alice", "HOSTDOM"}, T - 30 * Minute));
         },
         "sso-no-cache", false},
        {"outbox-waiting: changes wait for an unreachable primary",
         [](DomainSnapshot &s, Options &) {
             down(s, "HS1");
             breakBinding(bindingOf(s, "DC1", "HS1"), T - 12 * Minute, BindingState::Failed,
                          rpc::ServerUnavailable, "connect refused");
             s.pending = {change("DC1", 1, "HS1", T - 11 * Minute, 14, rpc::ServerUnavailable),
                          change("DC1", 2, "HS1", T - 7 * Minute, 9, rpc::ServerUnavailable),
                          change("DC1", 3, "HS1", T - 1 * Minute, 2, rpc::ServerUnavailable)};
         },
         "outbox-waiting",
         true,
         Level::Warning,
         ActionKind::StartAgent,
         "hostsecctl demo start /profiles/demo",
         {Dc1ToHs1},
         {"CONTOSO\\user0001", "CONTOSO\\user0002", "CONTOSO\\user0003"},
         {"3 password changes on DC1 wait for HS1, the oldest for 11 min", "DC1-1",
          "2027-01-15T07:49:00.000Z", "tried 14 times", "0x6BA"},
         T - 11 * Minute},
        {"outbox-waiting: below the threshold raises nothing",
         [](DomainSnapshot &s, Options &) {
             breakBinding(bindingOf(s, "DC1", "HS1"), T - 3 * Minute, BindingState::Stale,
                          rpc::CallFailed, "heartbeat failed");
             s.pending = {change("DC1", 1, "HS1", T - 2 * Minute, 3, rpc::CallFailed)};
         },
         "outbox-waiting", false},
        {"outbox-waiting: threshold 0 reports any change on a broken link",
         [](DomainSnapshot &s, Options &o) {
             o.outboxAge = 0;
             breakBinding(bindingOf(s, "HS1", "HOST1"), T - 3 * Minute, BindingState::Stale,
                          rpc::CallFailed, "heartbeat failed");
             s.pending = {change("HS1", 4, "HOST1", T - 1000, 1, rpc::CallFailed)};
         },
         "outbox-waiting",
         true,
         Level::Warning,
         ActionKind::RebindBinding,
         Ctl + "rebind '" + Hs1ToHost1 + "'",
         {Hs1ToHost1},
         {"CONTOSO\\user0004"},
         {"1 password change on HS1 has waited 1 s for HOST1", "is stale since"},
         T - 1000},
        {"host-rejects-changes: the host's rule, one rejection per change",
         [](DomainSnapshot &s, Options &) {
             UserMapping u{"CONTOSO\\user0007", "USER0007",     "HOSTDOM",
                           SyncState::Rejected, T - 2 * Minute, rpc::PasswordRestriction};
             s.users = {u};
             const std::string rule =
                 "password for USER0007 rejected: it is 10 characters long: a password has "
                 "1-8 characters and a passphrase 14-100";
             for (int n = 0; n < 2; ++n) {
                 const std::string id = "DC1-" + std::to_string(20 + n);
                 const Millis at = T - (5 - 3 * n) * Minute;
                 // The host, the primary cache and the domain controller each report it.
                 s.recentEvents.push_back(
                     makeEvent(ev::ChangeRejected, "HOST1", {id, "USER0007", rule}, at));
                 s.recentEvents.push_back(
                     makeEvent(ev::ChangeRejected, "HS1", {id, "CONTOSO\\user0007", rule}, at));
                 s.recentEvents.push_back(
                     makeEvent(ev::ChangeRejected, "DC1", {id, "CONTOSO\\user0007", rule}, at));
             }
         },
         "host-rejects-changes",
         true,
         Level::Warning,
         ActionKind::None,
         Ctl + "users --state rejected",
         {},
         {"CONTOSO\\user0007"},
         {"refused 2 changes of CONTOSO\\user0007",
          "it is 10 characters long: a password has 1-8 characters", "not retried"},
         T - 5 * Minute},
        {"host-rejects-changes: a user whose next change was applied raises nothing",
         [](DomainSnapshot &s, Options &) {
             for (int n = 0; n < 3; ++n)
                 s.recentEvents.push_back(makeEvent(
                     ev::ChangeRejected, "HS1",
                     {"DC1-" + std::to_string(30 + n), "CONTOSO\\user0008", "password rejected"},
                     T - (10 - n) * Minute));
             s.recentEvents.push_back(makeEvent(ev::ChangeApplied, "HS1",
                                                {"DC1-40", "CONTOSO\\user0008", "USER0008"},
                                                T - 2 * Minute));
         },
         "host-rejects-changes", false},
        {"server-unreachable: demo domain, start it",
         [](DomainSnapshot &s, Options &) {
             down(s, "HOST1");
             breakBinding(bindingOf(s, "HS1", "HOST1"), T - 90'000, BindingState::Failed,
                          rpc::ServerUnavailable, "connect refused");
         },
         "server-unreachable",
         true,
         Level::Error,
         ActionKind::StartAgent,
         "hostsecctl demo start /profiles/demo",
         {Hs1ToHost1},
         {},
         {"HOST1 does not answer since 2027-01-15T07:58:30.000Z", "Connection refused",
          "It is the host"},
         T - 90'000},
        {"server-unreachable: elsewhere, say what to check",
         [](DomainSnapshot &s, Options &) {
             s.demo = false;
             down(s, "HOST1");
             for (AgentState &a : s.agents)
                 a.unreachableSince = a.name == "HOST1" ? T - 4 * Minute : 0;
         },
         "server-unreachable",
         true,
         Level::Error,
         ActionKind::None,
         Ctl + "status --server HOST1",
         {},
         {},
         {"systemctl start hostsecd"},
         T - 4 * Minute},
        {"binding-flapping: lost 5 times in 8 minutes",
         [](DomainSnapshot &s, Options &) {
             Binding &b = bindingOf(s, "DC1", "HS1");
             for (int i = 0; i < 5; ++i) {
                 const Millis at = T - (8 - i) * Minute;
                 b.timeline.push_back({at, BindingState::Bound, BindingState::Stale,
                                       rpc::CallFailed, "heartbeat failed"});
                 b.timeline.push_back({at + 500, BindingState::Stale, BindingState::Rebinding,
                                       rpc::Success, "automatic rebind"});
                 b.timeline.push_back({at + 900, BindingState::Rebinding, BindingState::Bound,
                                       rpc::Success, "bound"});
             }
         },
         "binding-flapping",
         true,
         Level::Warning,
         ActionKind::None,
         Ctl + "events --server DC1 --id 601,603,604,606,610",
         {Dc1ToHs1},
         {},
         {"lost 5 times", "more than 3 in 10 min", "bound now"},
         T - 8 * Minute},
        {"binding-flapping: 3 losses are not more than 3",
         [](DomainSnapshot &s, Options &) {
             Binding &b = bindingOf(s, "DC1", "HS1");
             for (int i = 0; i < 3; ++i) {
                 b.timeline.push_back({T - (8 - i) * Minute, BindingState::Bound,
                                       BindingState::Stale, rpc::CallFailed, "peer lost"});
                 b.timeline.push_back({T - (8 - i) * Minute + 900, BindingState::Stale,
                                       BindingState::Bound, rpc::Success, "bound"});
             }
         },
         "binding-flapping", false},
        {"link-lagging: working link, oldest change above the lag threshold",
         [](DomainSnapshot &s, Options &) {
             for (int n = 1; n <= 4; ++n)
                 s.pending.push_back(change("DC1", n, "HS1/host-account-sync", T - (130 - n) * 1000,
                                            1, rpc::Success));
         },
         "link-lagging",
         true,
         Level::Info,
         ActionKind::None,
         Ctl + "outbox --server DC1",
         {Dc1ToHs1},
         {"CONTOSO\\user0001", "CONTOSO\\user0002", "CONTOSO\\user0003", "CONTOSO\\user0004"},
         {"slow: 4 changes waiting, the oldest for 2 min", "Nothing is lost"},
         T - 129'000},
        {"binding-broken: a reachable peer, no restart, auto rebinds keep failing",
         [](DomainSnapshot &s, Options &) {
             breakBinding(bindingOf(s, "HS1", "HS2"), T - 5 * Minute, BindingState::Failed,
                          rpc::ServerTooBusy, "bind timed out");
         },
         "binding-broken",
         true,
         Level::Error,
         ActionKind::RebindBinding,
         Ctl + "rebind '" + Hs1ToHs2 + "'",
         {Hs1ToHs2},
         {},
         {"failed since 2027-01-15T07:55:00.000Z", "0x6BB", "events 604"},
         T - 5 * Minute},
        {"certificate-expiring: 12 days left",
         [](DomainSnapshot &s, Options &) {
             for (AgentState &a : s.agents) {
                 a.certificate = a.name;
                 a.certificateNotAfter = T + (a.name == "HS1" ? 12 : 200) * Day;
             }
         },
         "certificate-expiring",
         true,
         Level::Warning,
         ActionKind::None,
         Ctl + "status --server HS1 --json",
         {},
         {},
         {"The TLS certificate of HS1 expires on 2027-01-27T08:00:00.000Z", "12 d 00 h from now",
          "every binding to HS1 fails", "pki issue --role service", "SIGHUP"}},
        {"certificate-expiring: the user's own certificate",
         [](DomainSnapshot &s, Options &) {
             s.demo = false;
             s.userCertificate = "olga";
             s.userRole = "operator";
             s.userCertificateFile = "/home/olga/.hostsec/olga.crt";
             s.userCertificateNotAfter = T + 5 * Day;
         },
         "certificate-expiring",
         true,
         Level::Warning,
         ActionKind::None,
         "hostsecctl pki issue --ca CA_FOLDER --name olga --role operator -o "
         "/home/olga/.hostsec/renewed",
         {},
         {},
         {"Your certificate olga expires on 2027-01-20T08:00:00.000Z", "role operator",
          "every agent refuses the console and hostsecctl", "/home/olga/.hostsec/olga.crt"}},
        {"certificate-expiring: 45 days left is not soon",
         [](DomainSnapshot &s, Options &) {
             for (AgentState &a : s.agents)
                 a.certificateNotAfter = T + 45 * Day;
             s.userCertificate = "olga";
             s.userCertificateNotAfter = T + 45 * Day;
         },
         "certificate-expiring", false},
        {"certificate-expiring: an agent that does not answer is server-unreachable's",
         [](DomainSnapshot &s, Options &) {
             for (AgentState &a : s.agents)
                 a.certificateNotAfter = T + 2 * Day;
             down(s, "HS1");
             for (AgentState &a : s.agents)
                 if (a.name != "HS1")
                     a.certificateNotAfter = T + 200 * Day;
         },
         "certificate-expiring", false},
    };
    return all;
}

QString describe(const std::vector<Finding> &findings)
{
    QString text;
    for (const Finding &f : findings)
        text += QStringLiteral("\n  [%1] %2: %3 | %4 | %5 | %6")
                    .arg(qs(std::string(toString(f.level))), qs(f.rule), qs(f.title), qs(f.what),
                         qs(f.why), qs(f.action.command));
    return text;
}

} // namespace

class tst_Diagnosis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rule_data();
    void rule();
    void everyRuleHasACase();
    void healthyDomainHasNoFinding();
    void mostSevereFirstThenOldest();
    void textsMatchTheirPhrases();
    void findingAsJson();
    void shellQuoting_data();
    void shellQuoting();
};

void tst_Diagnosis::rule_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < cases().size(); ++i)
        QTest::newRow(cases()[i].name) << static_cast<int>(i);
}

void tst_Diagnosis::rule()
{
    QFETCH(int, index);
    const Case &c = cases()[static_cast<std::size_t>(index)];
    DomainSnapshot snapshot = healthy();
    Options options;
    c.build(snapshot, options);
    const std::vector<Finding> findings = diagnose(snapshot, options);

    if (!c.present) {
        for (const Finding &f : findings)
            QVERIFY2(!c.rule.empty() && f.rule != c.rule, qPrintable(describe(findings)));
        return;
    }
    const auto it = std::find_if(findings.begin(), findings.end(),
                                 [&](const Finding &f) { return f.rule == c.rule; });
    QVERIFY2(it != findings.end(),
             qPrintable(QStringLiteral("no %1 among:").arg(qs(c.rule)) + describe(findings)));
    QCOMPARE(std::count_if(findings.begin(), findings.end(),
                           [&](const Finding &f) { return f.rule == c.rule; }),
             std::ptrdiff_t{1});
    const Finding &f = *it;
    QCOMPARE(qs(std::string(toString(f.level))), qs(std::string(toString(c.level))));
    QCOMPARE(qs(std::string(toString(f.action.kind))), qs(std::string(toString(c.action))));
    QCOMPARE(qs(f.action.command), qs(c.command));
    QCOMPARE(f.bindings, c.bindings);
    QCOMPARE(f.users, c.users);
    if (c.since != 0)
        QCOMPARE(f.since, c.since);
    QVERIFY(!f.title.empty() && !f.what.empty() && !f.why.empty() && !f.action.text.empty());
    QVERIFY2(f.title.find('\n') == std::string::npos, f.title.c_str());
    const std::string all = f.title + " | " + f.what + " | " + f.why + " | " + f.action.text;
    for (const std::string &mention : c.mentions)
        QVERIFY2(all.find(mention) != std::string::npos,
                 qPrintable(qs("\"" + mention + "\" not in: " + all)));
    // No placeholder left unfilled.
    for (const std::string *text : {&f.title, &f.what, &f.why, &f.action.text})
        QVERIFY2(text->find('%') == std::string::npos, text->c_str());
}

void tst_Diagnosis::everyRuleHasACase()
{
    for (const std::string_view rule : ruleNames()) {
        const bool covered = std::any_of(cases().begin(), cases().end(), [&](const Case &c) {
            return c.present && c.rule == rule;
        });
        QVERIFY2(covered, std::string(rule).c_str());
    }
}

void tst_Diagnosis::healthyDomainHasNoFinding()
{
    // Also with every threshold at its most sensitive: a healthy domain gives them nothing.
    Options options;
    options.outboxAge = 0;
    options.lagThreshold = 1;
    options.flapChanges = 0;
    options.brokenGrace = 0;
    const auto findings = diagnose(healthy(), options);
    QVERIFY2(findings.empty(), qPrintable(describe(findings)));
    QVERIFY(!worstLevel(findings));
}

void tst_Diagnosis::mostSevereFirstThenOldest()
{
    DomainSnapshot s = healthy();
    // info: lag; warning: outbox; two errors of different age.
    for (int n = 1; n <= 2; ++n)
        s.pending.push_back(change("HS1", n, "HS2", T - 40'000, 1, rpc::Success));
    down(s, "HOST1");
    breakBinding(bindingOf(s, "HS1", "HOST1"), T - 2 * Minute, BindingState::Failed,
                 rpc::ServerUnavailable, "connect refused");
    s.pending.push_back(change("HS1", 3, "HOST1", T - 20 * Minute, 5, rpc::ServerUnavailable));
    breakBinding(bindingOf(s, "HS2", "HS1"), T - 30 * Minute, BindingState::Failed,
                 rpc::AccessDenied, "bind refused");
    const auto findings = diagnose(s);
    QStringList order;
    for (const Finding &f : findings)
        order << qs(f.rule);
    QCOMPARE(order,
             (QStringList{QStringLiteral("access-denied"), QStringLiteral("server-unreachable"),
                          QStringLiteral("outbox-waiting"), QStringLiteral("link-lagging")}));
    QVERIFY(worstLevel(findings) == Level::Error);
}

void tst_Diagnosis::textsMatchTheirPhrases()
{
    // The console translates the phrases; what it shows must say what the English texts say.
    DomainSnapshot s = healthy();
    recycle(s, "HS1", Minute);
    breakBinding(bindingOf(s, "HS2", "HS1"), T - Minute, BindingState::Stale, rpc::CallFailed,
                 "lost");
    const auto findings = diagnose(s);
    QCOMPARE(findings.size(), std::size_t{1});
    const Finding &f = findings.front();
    QCOMPARE(qs(toText(f.titlePhrases)), qs(f.title));
    QCOMPARE(qs(toText(f.whatPhrases)), qs(f.what));
    QCOMPARE(qs(toText(f.whyPhrases)), qs(f.why));
    QCOMPARE(qs(toText(f.action.textPhrases)), qs(f.action.text));
    QCOMPARE(qs(std::string(f.titlePhrases.front().text)),
             QStringLiteral("%1's binding to %2 is stale since %2 was recycled at %3"));
}

void tst_Diagnosis::findingAsJson()
{
    DomainSnapshot s = healthy();
    s.demo = false;
    down(s, "HOST1");
    const auto findings = diagnose(s);
    QCOMPARE(findings.size(), std::size_t{1});
    const nlohmann::json j = findings.front();
    for (const char *key : {"rule", "level", "title", "servers", "bindings", "users", "since",
                            "what", "why", "action"})
        QVERIFY2(j.contains(key), key);
    QCOMPARE(qs(j["rule"].get<std::string>()), QStringLiteral("server-unreachable"));
    QCOMPARE(qs(j["level"].get<std::string>()), QStringLiteral("error"));
    QVERIFY(j["since"].is_null()); // no binding to it was broken, no outage start known
    QCOMPARE(qs(j["action"]["kind"].get<std::string>()), QStringLiteral("none"));
    QCOMPARE(qs(j["action"]["command"].get<std::string>()), qs(Ctl + "status --server HOST1"));

    const nlohmann::json doc = findingsDocument(findings, T, "DIR", {"HS1: GET /v1/outbox: x"});
    QCOMPARE(qs(doc["taken_at"].get<std::string>()), QStringLiteral("2027-01-15T08:00:00.000Z"));
    QCOMPARE(doc["counts"]["error"].get<int>(), 1);
    QCOMPARE(doc["counts"]["warning"].get<int>(), 0);
    QCOMPARE(doc["findings"].size(), std::size_t{1});
    QCOMPARE(doc["gaps"].size(), std::size_t{1});
}

void tst_Diagnosis::shellQuoting_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << "HS2"
                           << "HS2";
    QTest::newRow("path") << "/tmp/demo/profile.json"
                          << "/tmp/demo/profile.json";
    QTest::newRow("binding id") << "HS2/host-account-sync->HS1/host-account-sync"
                                << "'HS2/host-account-sync->HS1/host-account-sync'";
    QTest::newRow("space") << "/tmp/my demo"
                           << "'/tmp/my demo'";
    QTest::newRow("quote") << "it's"
                           << "'it'\\''s'";
    QTest::newRow("backslash") << "CONTOSO\\alice"
                               << "'CONTOSO\\alice'";
    QTest::newRow("empty") << ""
                           << "''";
}

void tst_Diagnosis::shellQuoting()
{
    QFETCH(QString, word);
    QFETCH(QString, quoted);
    QCOMPARE(qs(shellQuote(word.toStdString())), quoted);
}

QTEST_APPLESS_MAIN(tst_Diagnosis)
#include "tst_diagnosis.moc"
