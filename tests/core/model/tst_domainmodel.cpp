// Why: the console groups servers by role, the agent looks servers and bindings up by name and
// id, SSO splits "DOMAIN\user" on every request, and every time and enum crosses JSON, SQLite
// and the CLI as text. A wrong role hides a cache server, a lenient account split maps the
// wrong user, and a time or enum that does not round-trip corrupts the history.

#include "model/domain.h"

#include <QtTest>

using namespace hostsec;

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

Server makeServer(std::string serverName, std::vector<Service> services)
{
    Server s;
    s.name = std::move(serverName);
    s.services = std::move(services);
    return s;
}

Binding makeBinding(const std::string &from, ServiceKind fromKind, const std::string &to,
                    ServiceKind toKind)
{
    Binding b;
    b.fromServer = from;
    b.fromService = fromKind;
    b.toServer = to;
    b.toService = toKind;
    b.id = Binding::makeId(from, fromKind, to, toKind);
    return b;
}

Domain sampleDomain()
{
    using K = ServiceKind;
    Domain d;
    d.name = "CONTOSO";
    d.hostDomain = "HOSTDOM";
    d.servers = {
        makeServer("DC1", {{K::DomainAccountSync, CacheRole::None}}),
        makeServer("HS1", {{K::HostAccountSync, CacheRole::Primary}}),
        makeServer("HS2", {{K::HostAccountSync, CacheRole::Backup}}),
        makeServer("MVS1", {{K::Host, CacheRole::None}}),
    };
    d.bindings = {
        makeBinding("DC1", K::DomainAccountSync, "HS1", K::HostAccountSync),
        makeBinding("HS1", K::HostAccountSync, "DC1", K::DomainAccountSync),
        makeBinding("HS1", K::HostAccountSync, "MVS1", K::Host),
        makeBinding("HS2", K::HostAccountSync, "MVS1", K::Host),
    };
    return d;
}
} // namespace

class tst_DomainModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverRole_data();
    void serverRole();
    void runs();
    void lookups();
    void bindingsOfServer_data();
    void bindingsOfServer();
    void interfaceUuids();
    void splitDomainAccount_data();
    void splitDomainAccount();
    void enumTextsRoundTrip();
    void unknownEnumTextsAreRefused_data();
    void unknownEnumTextsAreRefused();
    void formatIsoTime_data();
    void formatIsoTime();
    void parseIsoTimeShortForms_data();
    void parseIsoTimeShortForms();
    void isoTimeRoundTrips();
    void parseIsoTimeRefusesBadInput_data();
    void parseIsoTimeRefusesBadInput();
    void nowIsRecent();
};

void tst_DomainModel::serverRole_data()
{
    QTest::addColumn<QStringList>("services"); // "kind" or "kind:cacheRole"
    QTest::addColumn<QString>("role");

    QTest::newRow("host only") << QStringList{QStringLiteral("host")} << "host";
    QTest::newRow("domain controller")
        << QStringList{QStringLiteral("domain-account-sync")} << "domain-controller";
    QTest::newRow("dc wins over a cache")
        << QStringList{QStringLiteral("host-account-sync:primary"),
                       QStringLiteral("domain-account-sync")}
        << "domain-controller";
    QTest::newRow("primary cache")
        << QStringList{QStringLiteral("host-account-sync:primary")} << "cache-primary";
    QTest::newRow("backup cache") << QStringList{QStringLiteral("host-account-sync:backup")}
                                  << "cache-backup";
    QTest::newRow("cache beside a host")
        << QStringList{QStringLiteral("host"), QStringLiteral("host-account-sync:primary")}
        << "cache-primary";
    QTest::newRow("cache without role")
        << QStringList{QStringLiteral("host-account-sync:none")} << "other";
    QTest::newRow("no services") << QStringList{} << "other";
}

void tst_DomainModel::serverRole()
{
    QFETCH(QStringList, services);
    QFETCH(QString, role);

    Server server;
    for (const QString &entry : services) {
        const QStringList parts = entry.split(QLatin1Char(':'));
        Service service;
        service.kind = serviceKindFromString(parts.at(0).toStdString()).value();
        if (parts.size() > 1) {
            service.cacheRole = cacheRoleFromString(parts.at(1).toStdString()).value();
        }
        server.services.push_back(service);
    }
    QCOMPARE(qs(toString(server.role())), role);
}

void tst_DomainModel::runs()
{
    const Server server = makeServer(
        "HS1", {{ServiceKind::HostAccountSync, CacheRole::Primary}, {ServiceKind::Host, {}}});
    QVERIFY(server.runs(ServiceKind::HostAccountSync));
    QVERIFY(server.runs(ServiceKind::Host));
    QVERIFY(!server.runs(ServiceKind::DomainAccountSync));
    QVERIFY(!Server{}.runs(ServiceKind::Host));
}

void tst_DomainModel::lookups()
{
    const Domain d = sampleDomain();

    const Server *hs2 = d.server("HS2");
    QVERIFY(hs2 != nullptr);
    QCOMPARE(qs(hs2->name), QStringLiteral("HS2"));
    QVERIFY(d.server("hs2") == nullptr); // names are exact
    QVERIFY(d.server("") == nullptr);
    QVERIFY(d.server("NOPE") == nullptr);

    const Binding *b = d.binding("DC1/domain-account-sync->HS1/host-account-sync");
    QVERIFY(b != nullptr);
    QCOMPARE(qs(b->toServer), QStringLiteral("HS1"));
    QVERIFY(d.binding("DC1/domain-account-sync->HS2/host-account-sync") == nullptr);
    QVERIFY(Domain{}.binding("x") == nullptr);
}

void tst_DomainModel::bindingsOfServer_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QStringList>("ids");

    QTest::newRow("client and server side")
        << "DC1"
        << QStringList{QStringLiteral("DC1/domain-account-sync->HS1/host-account-sync"),
                       QStringLiteral("HS1/host-account-sync->DC1/domain-account-sync")};
    QTest::newRow("three") << "HS1"
                           << QStringList{
                                  QStringLiteral("DC1/domain-account-sync->HS1/host-account-sync"),
                                  QStringLiteral("HS1/host-account-sync->DC1/domain-account-sync"),
                                  QStringLiteral("HS1/host-account-sync->MVS1/host")};
    QTest::newRow("server side only")
        << "MVS1"
        << QStringList{QStringLiteral("HS1/host-account-sync->MVS1/host"),
                       QStringLiteral("HS2/host-account-sync->MVS1/host")};
    QTest::newRow("unknown server") << "NOPE" << QStringList{};
}

void tst_DomainModel::bindingsOfServer()
{
    QFETCH(QString, server);
    QFETCH(QStringList, ids);

    const Domain d = sampleDomain();
    QStringList found;
    for (const Binding *b : d.bindingsOf(server.toStdString())) {
        found << qs(b->id);
    }
    QCOMPARE(found, ids);
}

void tst_DomainModel::interfaceUuids()
{
    // HostAccountSync's is the one in Q216558's trace; the others follow it.
    QCOMPARE(qs(interfaceUuid(ServiceKind::HostAccountSync)),
             QStringLiteral("dc76dcd0-c084-11cf-a65e-0020afc28c52"));
    QCOMPARE(qs(interfaceUuid(ServiceKind::DomainAccountSync)),
             QStringLiteral("dc76dcd1-c084-11cf-a65e-0020afc28c52"));
    QCOMPARE(qs(interfaceUuid(ServiceKind::Host)),
             QStringLiteral("dc76dcd2-c084-11cf-a65e-0020afc28c52"));
}

void tst_DomainModel::splitDomainAccount_data()
{
    QTest::addColumn<QString>("account");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("user");

    QTest::newRow("plain") << "CONTOSO\\alice" << true << "CONTOSO"
                           << "alice";
    QTest::newRow("one char each") << "D\\u" << true << "D"
                                   << "u";
    QTest::newRow("dots and spaces kept") << "contoso.com\\Alice Smith" << true << "contoso.com"
                                          << "Alice Smith";
    QTest::newRow("empty") << "" << false << ""
                           << "";
    QTest::newRow("no backslash") << "alice" << false << ""
                                  << "";
    QTest::newRow("upn is not it") << "alice@contoso.com" << false << ""
                                   << "";
    QTest::newRow("forward slash") << "CONTOSO/alice" << false << ""
                                   << "";
    QTest::newRow("backslash only") << "\\" << false << ""
                                    << "";
    QTest::newRow("no domain") << "\\alice" << false << ""
                               << "";
    QTest::newRow("no user") << "CONTOSO\\" << false << ""
                             << "";
    QTest::newRow("two backslashes") << "CONTOSO\\\\alice" << false << ""
                                     << "";
    QTest::newRow("three parts") << "A\\B\\C" << false << ""
                                 << "";
}

void tst_DomainModel::splitDomainAccount()
{
    QFETCH(QString, account);
    QFETCH(bool, ok);
    QFETCH(QString, domain);
    QFETCH(QString, user);

    std::string gotDomain = "untouched";
    std::string gotUser = "untouched";
    QCOMPARE(hostsec::splitDomainAccount(account.toStdString(), gotDomain, gotUser), ok);
    if (ok) {
        QCOMPARE(qs(gotDomain), domain);
        QCOMPARE(qs(gotUser), user);
    } else {
        QCOMPARE(qs(gotDomain), QStringLiteral("untouched"));
        QCOMPARE(qs(gotUser), QStringLiteral("untouched"));
    }
}

void tst_DomainModel::enumTextsRoundTrip()
{
    const QStringList kinds{QStringLiteral("domain-account-sync"),
                            QStringLiteral("host-account-sync"), QStringLiteral("host")};
    for (const ServiceKind k :
         {ServiceKind::DomainAccountSync, ServiceKind::HostAccountSync, ServiceKind::Host}) {
        QVERIFY(serviceKindFromString(toString(k)) == std::optional(k));
        QVERIFY(kinds.contains(qs(toString(k))));
    }
    QCOMPARE(qs(toString(ServiceKind::HostAccountSync)), QStringLiteral("host-account-sync"));

    for (const CacheRole r : {CacheRole::None, CacheRole::Primary, CacheRole::Backup}) {
        QVERIFY(cacheRoleFromString(toString(r)) == std::optional(r));
    }
    QCOMPARE(qs(toString(CacheRole::Backup)), QStringLiteral("backup"));

    const QStringList states{QStringLiteral("unbound"), QStringLiteral("bound"),
                             QStringLiteral("stale"), QStringLiteral("failed"),
                             QStringLiteral("rebinding")};
    for (int i = 0; i < states.size(); ++i) {
        const auto s = static_cast<BindingState>(i);
        QCOMPARE(qs(toString(s)), states.at(i));
        QVERIFY(bindingStateFromString(toString(s)) == std::optional(s));
    }

    for (const RebindPolicy p : {RebindPolicy::Auto, RebindPolicy::Manual}) {
        QVERIFY(rebindPolicyFromString(toString(p)) == std::optional(p));
    }
    QCOMPARE(qs(toString(RebindPolicy::Manual)), QStringLiteral("manual"));

    const QStringList syncStates{QStringLiteral("in-sync"), QStringLiteral("pending"),
                                 QStringLiteral("failed"), QStringLiteral("rejected")};
    for (int i = 0; i < syncStates.size(); ++i) {
        const auto s = static_cast<SyncState>(i);
        QCOMPARE(qs(toString(s)), syncStates.at(i));
        QVERIFY(syncStateFromString(toString(s)) == std::optional(s));
    }

    const QStringList roles{QStringLiteral("domain-controller"), QStringLiteral("cache-primary"),
                            QStringLiteral("cache-backup"), QStringLiteral("host"),
                            QStringLiteral("other")};
    for (int i = 0; i < roles.size(); ++i) {
        QCOMPARE(qs(toString(static_cast<ServerRole>(i))), roles.at(i));
    }
}

void tst_DomainModel::unknownEnumTextsAreRefused_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("case differs") << "Bound";
    QTest::newRow("underscore") << "in_sync";
    QTest::newRow("trailing space") << "auto ";
    QTest::newRow("word") << "banana";
}

void tst_DomainModel::unknownEnumTextsAreRefused()
{
    QFETCH(QString, text);
    const std::string t = text.toStdString();

    QVERIFY(!serviceKindFromString(t));
    QVERIFY(!cacheRoleFromString(t));
    QVERIFY(!bindingStateFromString(t));
    QVERIFY(!rebindPolicyFromString(t));
    QVERIFY(!syncStateFromString(t));
}

void tst_DomainModel::formatIsoTime_data()
{
    QTest::addColumn<qint64>("millis");
    QTest::addColumn<QString>("text");

    QTest::newRow("never") << qint64{0} << "";
    QTest::newRow("epoch plus 1 ms") << qint64{1} << "1970-01-01T00:00:00.001Z";
    QTest::newRow("example") << qint64{1795641922123} << "2026-11-25T21:25:22.123Z";
    QTest::newRow("leap day") << qint64{951782400000} << "2000-02-29T00:00:00.000Z";
    QTest::newRow("end of a year") << qint64{1735689599999} << "2024-12-31T23:59:59.999Z";
    QTest::newRow("before the epoch") << qint64{-1} << "1969-12-31T23:59:59.999Z";
    QTest::newRow("y2038 and beyond") << qint64{2147483648000} << "2038-01-19T03:14:08.000Z";
    QTest::newRow("last of 9999") << qint64{253402300799999} << "9999-12-31T23:59:59.999Z";
}

void tst_DomainModel::formatIsoTime()
{
    QFETCH(qint64, millis);
    QFETCH(QString, text);
    QCOMPARE(qs(hostsec::formatIsoTime(millis)), text);
}

void tst_DomainModel::parseIsoTimeShortForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("millis");

    QTest::newRow("date only") << "2026-11-25" << qint64{1795564800000};
    QTest::newRow("seconds") << "2026-11-25T21:25:22Z" << qint64{1795641922000};
    QTest::newRow("millis") << "2026-11-25T21:25:22.123Z" << qint64{1795641922123};
    QTest::newRow("epoch") << "1970-01-01" << qint64{0};
    QTest::newRow("leap day 2024") << "2024-02-29T12:00:00Z" << qint64{1709208000000};
}

void tst_DomainModel::parseIsoTimeShortForms()
{
    QFETCH(QString, text);
    QFETCH(qint64, millis);
    QCOMPARE(parseIsoTime(text.toStdString()), millis);
}

void tst_DomainModel::isoTimeRoundTrips()
{
    const Millis samples[] = {1,
                              999,
                              1000,
                              86'399'999,
                              86'400'000,
                              951'782'400'000,
                              1'795'638'322'123,
                              4'102'444'800'000,
                              253'402'300'799'999};
    for (const Millis t : samples) {
        QCOMPARE(parseIsoTime(hostsec::formatIsoTime(t)), t);
    }
    // Every day for 400 years (a whole Gregorian cycle), at a varying time of day.
    for (Millis day = 0; day < 146'097; day += 1) {
        const Millis t = day * 86'400'000 + (day * 7'919'333) % 86'400'000;
        if (t == 0) {
            continue;
        }
        const std::string text = hostsec::formatIsoTime(t);
        if (parseIsoTime(text) != t) {
            QFAIL(qPrintable(QStringLiteral("round trip failed for %1 (%2)").arg(t).arg(qs(text))));
        }
    }
}

void tst_DomainModel::parseIsoTimeRefusesBadInput_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("garbage") << "yesterday";
    QTest::newRow("no Z") << "2026-11-25T21:25:22";
    QTest::newRow("lower-case z") << "2026-11-25T21:25:22z";
    QTest::newRow("offset") << "2026-11-25T21:25:22+01:00";
    QTest::newRow("space separator") << "2026-11-25 21:25:22Z";
    QTest::newRow("minutes only") << "2026-11-25T21:25Z";
    QTest::newRow("two fraction digits") << "2026-11-25T21:25:22.12Z";
    QTest::newRow("six fraction digits") << "2026-11-25T21:25:22.123456Z";
    QTest::newRow("trailing text") << "2026-11-25T21:25:22.123Zjunk";
    QTest::newRow("date with trailing text") << "2026-11-25x";
    QTest::newRow("month 13") << "2026-13-01";
    QTest::newRow("month 0") << "2026-00-01";
    QTest::newRow("day 0") << "2026-11-00";
    QTest::newRow("april 31") << "2026-04-31";
    QTest::newRow("feb 29 not leap") << "2026-02-29";
    QTest::newRow("feb 29 of 2100") << "2100-02-29";
    QTest::newRow("hour 24") << "2026-11-25T24:00:00Z";
    QTest::newRow("minute 60") << "2026-11-25T21:60:00Z";
    QTest::newRow("leap second") << "2026-11-25T23:59:60Z";
    QTest::newRow("before the epoch") << "1969-12-31T23:59:59.999Z";
    QTest::newRow("signs in digits") << "2026-+1-25";
    QTest::newRow("short year") << "226-11-25";
    QTest::newRow("five-digit year") << "20260-11-25";
}

void tst_DomainModel::parseIsoTimeRefusesBadInput()
{
    QFETCH(QString, text);
    QCOMPARE(parseIsoTime(text.toStdString()), Millis{-1});
}

void tst_DomainModel::nowIsRecent()
{
    const Millis now = nowMillis();
    QVERIFY(now > 1'700'000'000'000); // after November 2023
    QVERIFY(nowMillis() >= now);
}

QTEST_APPLESS_MAIN(tst_DomainModel)
#include "tst_domainmodel.moc"
