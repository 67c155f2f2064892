// Why: the model's JSON is a contract three ways: agents exchange it, the console reads it, and
// scripts read `hostsecctl --json` binding rows by key. A renamed key breaks scripts silently;
// a value that does not round-trip corrupts state between agents; and a peer's bad JSON must
// fail with a message naming the key, not with "type must be string, but is number".

#include "protocol/modeljson.h"

#include <QtTest>

using namespace hostsec;
using nlohmann::json;

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString dumped(const json &j)
{
    return qs(j.dump());
}

// An object's keys, sorted, to compare with keys().
QStringList keysOf(const json &j)
{
    QStringList list;
    for (auto it = j.begin(); it != j.end(); ++it) {
        list << qs(it.key());
    }
    list.sort();
    return list;
}

QStringList keys(std::initializer_list<const char *> names)
{
    QStringList list;
    for (const char *name : names) {
        list << QString::fromUtf8(name);
    }
    list.sort();
    return list;
}

BindingTransition sampleTransition(Millis time, BindingState from, BindingState to,
                                   std::uint32_t status, std::string reason)
{
    return BindingTransition{time, from, to, status, std::move(reason)};
}

Binding sampleBinding()
{
    Binding b;
    b.fromServer = "DC1";
    b.fromService = ServiceKind::DomainAccountSync;
    b.toServer = "HS1";
    b.toService = ServiceKind::HostAccountSync;
    b.id = Binding::makeId(b.fromServer, b.fromService, b.toServer, b.toService);
    b.interfaceUuid = std::string(interfaceUuid(b.toService));
    b.endpoint = "127.0.0.1:40123";
    b.state = BindingState::Stale;
    b.policy = RebindPolicy::Manual;
    b.lastError = rpc::CallFailed;
    b.lastSuccess = 1'795'641'900'000;
    b.lastFailure = 1'795'641'922'123;
    b.consecutiveFailures = 3;
    b.peerInstance = "5f0c2a";
    b.timeline = {
        sampleTransition(1'795'641'000'000, BindingState::Unbound, BindingState::Bound,
                         rpc::Success, "connected"),
        sampleTransition(1'795'641'922'123, BindingState::Bound, BindingState::Stale,
                         rpc::CallFailed, "peer instance changed"),
    };
    return b;
}

Server sampleServer()
{
    Server s;
    s.name = "HS1";
    s.address = "127.0.0.1:40123";
    s.services = {{ServiceKind::HostAccountSync, CacheRole::Primary}, {ServiceKind::Host, {}}};
    s.instanceId = "5f0c2a";
    s.startedAt = 1'795'641'000'000;
    s.version = "0.1.0";
    return s;
}

UserMapping sampleMapping()
{
    return UserMapping{"CONTOSO\\alice",    "ALICE",           "HOSTDOM",
                       SyncState::Rejected, 1'795'641'922'123, rpc::PasswordRestriction};
}

Domain sampleDomain()
{
    Domain d;
    d.name = "CONTOSO";
    d.hostDomain = "HOSTDOM";
    Server dc;
    dc.name = "DC1";
    dc.address = "127.0.0.1:40122";
    dc.services = {{ServiceKind::DomainAccountSync, CacheRole::None}};
    d.servers = {dc, sampleServer()};
    Binding back = sampleBinding();
    back.fromServer = "HS1";
    back.toServer = "DC1";
    back.fromService = ServiceKind::HostAccountSync;
    back.toService = ServiceKind::DomainAccountSync;
    back.id = Binding::makeId(back.fromServer, back.fromService, back.toServer, back.toService);
    back.timeline.clear();
    back.lastSuccess = 0;
    back.lastFailure = 0;
    back.lastError = rpc::Success;
    d.bindings = {sampleBinding(), back};
    return d;
}

// Every field compared, so a field that to_json forgets shows up by name.
void compareBindings(const Binding &a, const Binding &b)
{
    QCOMPARE(qs(a.id), qs(b.id));
    QCOMPARE(qs(a.fromServer), qs(b.fromServer));
    QCOMPARE(qs(toString(a.fromService)), qs(toString(b.fromService)));
    QCOMPARE(qs(a.toServer), qs(b.toServer));
    QCOMPARE(qs(toString(a.toService)), qs(toString(b.toService)));
    QCOMPARE(qs(a.interfaceUuid), qs(b.interfaceUuid));
    QCOMPARE(qs(a.protseq), qs(b.protseq));
    QCOMPARE(qs(a.endpoint), qs(b.endpoint));
    QCOMPARE(qs(toString(a.state)), qs(toString(b.state)));
    QCOMPARE(qs(toString(a.policy)), qs(toString(b.policy)));
    QCOMPARE(a.lastError, b.lastError);
    QCOMPARE(a.lastSuccess, b.lastSuccess);
    QCOMPARE(a.lastFailure, b.lastFailure);
    QCOMPARE(a.consecutiveFailures, b.consecutiveFailures);
    QCOMPARE(qs(a.peerInstance), qs(b.peerInstance));
    QVERIFY(a.timeline == b.timeline);
}

void compareServers(const Server &a, const Server &b)
{
    QCOMPARE(qs(a.name), qs(b.name));
    QCOMPARE(qs(a.address), qs(b.address));
    QVERIFY(a.services == b.services);
    QCOMPARE(qs(a.instanceId), qs(b.instanceId));
    QCOMPARE(a.startedAt, b.startedAt);
    QCOMPARE(qs(a.version), qs(b.version));
}

// Through text, as it travels.
template <class T>
T throughText(const T &value)
{
    return json::parse(json(value).dump()).get<T>();
}

json goodJson(const QString &type)
{
    if (type == QLatin1String("service")) {
        return Service{ServiceKind::HostAccountSync, CacheRole::Backup};
    }
    if (type == QLatin1String("server")) {
        return sampleServer();
    }
    if (type == QLatin1String("transition")) {
        return sampleBinding().timeline.back();
    }
    if (type == QLatin1String("binding")) {
        return sampleBinding();
    }
    if (type == QLatin1String("user_mapping")) {
        return sampleMapping();
    }
    return sampleDomain();
}

void readAs(const QString &type, const json &j)
{
    if (type == QLatin1String("service")) {
        (void)j.get<Service>();
    } else if (type == QLatin1String("server")) {
        (void)j.get<Server>();
    } else if (type == QLatin1String("transition")) {
        (void)j.get<BindingTransition>();
    } else if (type == QLatin1String("binding")) {
        (void)j.get<Binding>();
    } else if (type == QLatin1String("user_mapping")) {
        (void)j.get<UserMapping>();
    } else {
        (void)j.get<Domain>();
    }
}
} // namespace

class tst_ModelJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumsTravelAsText();
    void statusAndTimeHelpers();
    void serviceRoundTrip();
    void serverRoundTrip();
    void transitionRoundTrip();
    void bindingRoundTrip();
    void userMappingRoundTrip();
    void domainRoundTrip();
    void bindingRowKeysAreTheCliContract();
    void bindingNeverTimesAreNull();
    void serverAndMappingKeys();
    void unknownKeysAreIgnored();
    void overlongTimelineKeepsNewest();
    void badInputNamesTheKey_data();
    void badInputNamesTheKey();
};

void tst_ModelJson::enumsTravelAsText()
{
    QCOMPARE(dumped(json(BindingState::Rebinding)), QStringLiteral("\"rebinding\""));
    QCOMPARE(dumped(json(ServiceKind::DomainAccountSync)),
             QStringLiteral("\"domain-account-sync\""));
    QCOMPARE(dumped(json(CacheRole::Primary)), QStringLiteral("\"primary\""));
    QCOMPARE(dumped(json(ServerRole::CacheBackup)), QStringLiteral("\"cache-backup\""));
    QCOMPARE(dumped(json(RebindPolicy::Auto)), QStringLiteral("\"auto\""));
    QCOMPARE(dumped(json(SyncState::InSync)), QStringLiteral("\"in-sync\""));

    QVERIFY(json("failed").get<BindingState>() == BindingState::Failed);
    QVERIFY(json("pending").get<SyncState>() == SyncState::Pending);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)json("Bound").get<BindingState>());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)json(1).get<BindingState>());
}

void tst_ModelJson::statusAndTimeHelpers()
{
    QCOMPARE(dumped(rpcStatusJson(rpc::CallFailed)),
             QStringLiteral(R"({"code":1726,"hex":"0x6BE","name":"RPC_S_CALL_FAILED",)"
                            R"("text":"The remote procedure call failed."})"));
    QCOMPARE(dumped(rpcStatusJson(0x1234)),
             QStringLiteral(R"({"code":4660,"hex":"0x1234","name":"UNKNOWN",)"
                            R"("text":"Unknown status code."})"));
    QVERIFY(isoTimeJson(0).is_null());
    QCOMPARE(dumped(isoTimeJson(1'795'641'922'123)),
             QStringLiteral("\"2026-11-25T21:25:22.123Z\""));
}

void tst_ModelJson::serviceRoundTrip()
{
    for (const Service s : {Service{ServiceKind::Host, CacheRole::None},
                            Service{ServiceKind::HostAccountSync, CacheRole::Primary},
                            Service{ServiceKind::HostAccountSync, CacheRole::Backup},
                            Service{ServiceKind::DomainAccountSync, CacheRole::None}}) {
        QVERIFY(throughText(s) == s);
    }
    QCOMPARE(dumped(json(Service{ServiceKind::HostAccountSync, CacheRole::Backup})),
             QStringLiteral(R"({"cache_role":"backup","kind":"host-account-sync"})"));
}

void tst_ModelJson::serverRoundTrip()
{
    const Server s = sampleServer();
    compareServers(throughText(s), s);
    compareServers(throughText(Server{}), Server{});
}

void tst_ModelJson::transitionRoundTrip()
{
    const BindingTransition t = sampleBinding().timeline.back();
    QVERIFY(throughText(t) == t);
    const json j = t;
    QCOMPARE(keysOf(j), keys({"time", "from", "to", "status", "reason"}));
    QCOMPARE(dumped(j.at("time")), QStringLiteral("\"2026-11-25T21:25:22.123Z\""));
    QCOMPARE(dumped(j.at("from")), QStringLiteral("\"bound\""));
    QCOMPARE(dumped(j.at("to")), QStringLiteral("\"stale\""));
    QCOMPARE(dumped(j.at("status")), dumped(rpcStatusJson(rpc::CallFailed)));
}

void tst_ModelJson::bindingRoundTrip()
{
    const Binding b = sampleBinding();
    compareBindings(throughText(b), b);
    compareBindings(throughText(Binding{}), Binding{});
}

void tst_ModelJson::userMappingRoundTrip()
{
    const UserMapping m = sampleMapping();
    QVERIFY(throughText(m) == m);
    QVERIFY(throughText(UserMapping{}) == UserMapping{});
}

void tst_ModelJson::domainRoundTrip()
{
    const Domain d = sampleDomain();
    const Domain back = throughText(d);
    QCOMPARE(qs(back.name), qs(d.name));
    QCOMPARE(qs(back.hostDomain), qs(d.hostDomain));
    QCOMPARE(back.servers.size(), d.servers.size());
    for (std::size_t i = 0; i < d.servers.size(); ++i) {
        compareServers(back.servers[i], d.servers[i]);
    }
    QCOMPARE(back.bindings.size(), d.bindings.size());
    for (std::size_t i = 0; i < d.bindings.size(); ++i) {
        compareBindings(back.bindings[i], d.bindings[i]);
    }
    QCOMPARE(dumped(json(back)), dumped(json(d)));
}

void tst_ModelJson::bindingRowKeysAreTheCliContract()
{
    const json j = sampleBinding();
    const QStringList contract =
        keys({"id", "from_server", "from_service", "to_server", "to_service", "interface",
              "protseq", "endpoint", "state", "policy", "last_error", "last_success",
              "last_failure", "consecutive_failures", "peer_instance", "timeline"});
    QCOMPARE(keysOf(j), contract);

    QCOMPARE(dumped(j.at("id")),
             QStringLiteral("\"DC1/domain-account-sync->HS1/host-account-sync\""));
    QCOMPARE(dumped(j.at("from_service")), QStringLiteral("\"domain-account-sync\""));
    QCOMPARE(dumped(j.at("to_service")), QStringLiteral("\"host-account-sync\""));
    QCOMPARE(dumped(j.at("interface")), QStringLiteral("\"dc76dcd0-c084-11cf-a65e-0020afc28c52\""));
    QCOMPARE(dumped(j.at("protseq")), QStringLiteral("\"ncacn_ip_tcp\""));
    QCOMPARE(dumped(j.at("state")), QStringLiteral("\"stale\""));
    QCOMPARE(dumped(j.at("policy")), QStringLiteral("\"manual\""));
    QCOMPARE(dumped(j.at("last_error")),
             QStringLiteral(R"({"code":1726,"hex":"0x6BE","name":"RPC_S_CALL_FAILED",)"
                            R"("text":"The remote procedure call failed."})"));
    QVERIFY(j.at("last_error").at("code").is_number());
    QCOMPARE(dumped(j.at("last_failure")), QStringLiteral("\"2026-11-25T21:25:22.123Z\""));
    QCOMPARE(dumped(j.at("last_success")), QStringLiteral("\"2026-11-25T21:25:00.000Z\""));
    QVERIFY(j.at("consecutive_failures").is_number_integer());
    QCOMPARE(j.at("consecutive_failures").get<int>(), 3);

    const json &timeline = j.at("timeline");
    QVERIFY(timeline.is_array());
    QCOMPARE(timeline.size(), std::size_t{2});
    for (const json &row : timeline) {
        QCOMPARE(keysOf(row), keys({"time", "from", "to", "status", "reason"}));
        QCOMPARE(keysOf(row.at("status")), keys({"code", "hex", "name", "text"}));
    }
}

void tst_ModelJson::bindingNeverTimesAreNull()
{
    const json j = Binding{};
    QVERIFY(j.at("last_success").is_null());
    QVERIFY(j.at("last_failure").is_null());
    QCOMPARE(dumped(j.at("last_error")),
             QStringLiteral(R"({"code":0,"hex":"0x0","name":"ERROR_SUCCESS",)"
                            R"("text":"The operation completed successfully."})"));
    QCOMPARE(dumped(j.at("timeline")), QStringLiteral("[]"));
}

void tst_ModelJson::serverAndMappingKeys()
{
    const json server = sampleServer();
    QCOMPARE(keysOf(server),
             keys({"name", "address", "services", "role", "instance_id", "started_at", "version"}));
    QCOMPARE(dumped(server.at("role")), QStringLiteral("\"cache-primary\""));
    QCOMPARE(dumped(server.at("services")),
             QStringLiteral(R"([{"cache_role":"primary","kind":"host-account-sync"},)"
                            R"({"cache_role":"none","kind":"host"}])"));
    QVERIFY(json(Server{}).at("started_at").is_null());

    const json mapping = sampleMapping();
    QCOMPARE(keysOf(mapping), keys({"domain_account", "host_account", "host_domain", "sync_state",
                                    "last_change", "last_status"}));
    QCOMPARE(dumped(mapping.at("domain_account")), QStringLiteral(R"("CONTOSO\\alice")"));
    QCOMPARE(dumped(mapping.at("sync_state")), QStringLiteral("\"rejected\""));
    QCOMPARE(dumped(mapping.at("last_status").at("hex")), QStringLiteral("\"0x52D\""));
    QVERIFY(json(UserMapping{}).at("last_change").is_null());

    const json domain = sampleDomain();
    QCOMPARE(keysOf(domain), keys({"name", "host_domain", "servers", "bindings"}));
}

void tst_ModelJson::unknownKeysAreIgnored()
{
    json j = sampleBinding();
    j["added_in_a_later_version"] = {{"x", 1}};
    j["last_error"]["extra"] = true;
    compareBindings(j.get<Binding>(), sampleBinding());
}

void tst_ModelJson::overlongTimelineKeepsNewest()
{
    json j = Binding{};
    for (std::size_t i = 0; i < Binding::TimelineLimit + 5; ++i) {
        j["timeline"].push_back(sampleTransition(static_cast<Millis>(i + 1), BindingState::Bound,
                                                 BindingState::Stale, rpc::Success,
                                                 std::to_string(i)));
    }
    const Binding b = j.get<Binding>();
    QCOMPARE(b.timeline.size(), Binding::TimelineLimit);
    QCOMPARE(qs(b.timeline.front().reason), QStringLiteral("5"));
}

void tst_ModelJson::badInputNamesTheKey_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("pointer");  // JSON pointer of the value to replace
    QTest::addColumn<QByteArray>("value"); // its new JSON, or empty to remove the key
    QTest::addColumn<QString>("message");  // what the exception must say

    QTest::newRow("binding not an object")
        << "binding"
        << "" << QByteArray("[1,2]") << "binding: expected an object, got array";
    QTest::newRow("binding missing state") << "binding"
                                           << "/state" << QByteArray() << "binding.state: missing";
    QTest::newRow("binding unknown state") << "binding"
                                           << "/state" << QByteArray(R"("asleep")")
                                           << R"(binding.state: "asleep" is not a binding state)";
    QTest::newRow("binding state of wrong type")
        << "binding"
        << "/state" << QByteArray("3") << "binding.state: expected a binding state, got number";
    QTest::newRow("binding id a number")
        << "binding"
        << "/id" << QByteArray("7") << "binding.id: expected a string, got number";
    QTest::newRow("binding missing interface")
        << "binding"
        << "/interface" << QByteArray() << "binding.interface: missing";
    QTest::newRow("binding bad policy")
        << "binding"
        << "/policy" << QByteArray(R"("sometimes")") << "binding.policy";
    QTest::newRow("binding bad from_service")
        << "binding"
        << "/from_service" << QByteArray(R"("dns")")
        << R"(binding.from_service: "dns" is not a service kind)";
    QTest::newRow("last_error not an object")
        << "binding"
        << "/last_error" << QByteArray("1726") << "binding.last_error: expected an object";
    QTest::newRow("last_error code as hex text")
        << "binding"
        << "/last_error/code" << QByteArray(R"("0x6BE")")
        << "binding.last_error.code: expected an unsigned 32-bit number, got string";
    QTest::newRow("last_error code negative")
        << "binding"
        << "/last_error/code" << QByteArray("-1") << "binding.last_error.code";
    QTest::newRow("last_error code too big")
        << "binding"
        << "/last_error/code" << QByteArray("4294967296") << "binding.last_error.code";
    QTest::newRow("last_error code a float")
        << "binding"
        << "/last_error/code" << QByteArray("1726.5") << "binding.last_error.code";
    QTest::newRow("last_error without code")
        << "binding"
        << "/last_error/code" << QByteArray() << "binding.last_error.code: missing";
    QTest::newRow("last_success not a time")
        << "binding"
        << "/last_success" << QByteArray(R"("yesterday")")
        << R"(binding.last_success: "yesterday" is not an ISO 8601 UTC time)";
    QTest::newRow("last_failure a number")
        << "binding"
        << "/last_failure" << QByteArray("1795641922123")
        << "binding.last_failure: expected an ISO 8601 time or null, got number";
    QTest::newRow("negative failure count")
        << "binding"
        << "/consecutive_failures" << QByteArray("-1")
        << "binding.consecutive_failures: expected a non-negative integer";
    QTest::newRow("failure count beyond int")
        << "binding"
        << "/consecutive_failures" << QByteArray("3000000000") << "binding.consecutive_failures";
    QTest::newRow("timeline not an array")
        << "binding"
        << "/timeline" << QByteArray("{}") << "binding.timeline: expected an array, got object";
    QTest::newRow("timeline entry bad state")
        << "binding"
        << "/timeline/1/to" << QByteArray(R"("gone")") << "binding.timeline[1].to";
    QTest::newRow("timeline entry status without code")
        << "binding"
        << "/timeline/0/status/code" << QByteArray() << "binding.timeline[0].status.code: missing";
    QTest::newRow("service bad cache role")
        << "service"
        << "/cache_role" << QByteArray(R"("tertiary")")
        << R"(service.cache_role: "tertiary" is not a cache role)";
    QTest::newRow("server services not an array")
        << "server"
        << "/services" << QByteArray(R"("host")") << "server.services: expected an array";
    QTest::newRow("server service kind")
        << "server"
        << "/services/1/kind" << QByteArray(R"("mainframe")") << "server.services[1].kind";
    QTest::newRow("server started_at")
        << "server"
        << "/started_at" << QByteArray(R"("2026-02-30")") << "server.started_at";
    QTest::newRow("server missing version")
        << "server"
        << "/version" << QByteArray() << "server.version: missing";
    QTest::newRow("transition reason null")
        << "transition"
        << "/reason" << QByteArray("null") << "transition.reason: expected a string, got null";
    QTest::newRow("mapping sync state")
        << "user_mapping"
        << "/sync_state" << QByteArray(R"("in sync")")
        << R"(user_mapping.sync_state: "in sync" is not a sync state)";
    QTest::newRow("mapping last_status code")
        << "user_mapping"
        << "/last_status/code" << QByteArray("true") << "user_mapping.last_status.code";
    QTest::newRow("domain nested binding")
        << "domain"
        << "/bindings/1/policy" << QByteArray(R"("")") << "domain.bindings[1].policy";
    QTest::newRow("domain nested server") << "domain"
                                          << "/servers/0/services/0/cache_role" << QByteArray()
                                          << "domain.servers[0].services[0].cache_role: missing";
    QTest::newRow("domain servers missing")
        << "domain"
        << "/servers" << QByteArray() << "domain.servers: missing";
    QTest::newRow("long value is cut short")
        << "binding"
        << "/state" << QByteArray('"' + QByteArray(500, 'x') + '"')
        << "...\" is not a binding state";
}

void tst_ModelJson::badInputNamesTheKey()
{
    QFETCH(QString, type);
    QFETCH(QString, pointer);
    QFETCH(QByteArray, value);
    QFETCH(QString, message);

    json j = goodJson(type);
    const json::json_pointer ptr(pointer.toStdString());
    if (value.isEmpty()) {
        j[ptr.parent_pointer()].erase(ptr.back());
    } else {
        j[ptr] = json::parse(value.toStdString());
    }

    try {
        readAs(type, j);
        QFAIL("no exception");
    } catch (const std::invalid_argument &e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains(message), qPrintable(what));
        QVERIFY2(what.size() < 200, qPrintable(what));
    }
}

QTEST_APPLESS_MAIN(tst_ModelJson)
#include "tst_modeljson.moc"
