// Why this test exists: a bad configuration is the first thing an operator meets on a real
// server, and hostsecd prints only the one line AgentConfig gives it before it stops. That line
// must name the file, the key and what is wrong, whatever the file holds (a wrong type, a
// value with a newline in it, a syntax error, no file at all), or the operator is left guessing.
// And a good file must come out exactly as written, every key, so a setting is never silently
// ignored; the example file in resources/ must stay a valid configuration.

#include "agent/config.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <string>

using namespace hostsec;

namespace {

const QString kServer = QStringLiteral("[server]\nname = \"HS1\"\nlisten = \"127.0.0.1:40102\"\n");
const QString kServices = QStringLiteral("[services]\nhost_account_sync = \"primary\"\n");
const QString kPeer = QStringLiteral("[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:40101\"\n"
                                     "services = [\"domain-account-sync\"]\n");

std::string utf8(const QString &s)
{
    return s.toStdString();
}

} // namespace

class tst_AgentConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badConfigGivesOneLine_data();
    void badConfigGivesOneLine();
    void syntaxErrorNamesTheLine();
    void unreadableFileIsNamed_data();
    void unreadableFileIsNamed();
    void goodConfigRoundTrips();
    void defaultsWhenKeysAreLeftOut();
    void exampleFileIsValid();
    void tlsPathsAreRelativeToTheFile();
};

void tst_AgentConfig::badConfigGivesOneLine_data()
{
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("message"); // the whole line, after "hs1.toml: "

    const QString server = kServer;
    const QString services = kServices;
    const QString binding = QStringLiteral("[binding]\n");

    // Missing keys and sections.
    QTest::newRow("no [server]") << services << "server: missing [server] section";
    QTest::newRow("no server.name")
        << "[server]\nlisten = \"127.0.0.1:1\"\n" + services << "server.name: missing";
    QTest::newRow("no service") << server
                                << "services: no service enabled: set "
                                   "domain_account_sync, host_account_sync or host";
    QTest::newRow("no service enabled")
        << server + "[services]\nhost = false\nhost_account_sync = \"none\"\n"
        << "services: no service enabled: set domain_account_sync, host_account_sync or host";
    QTest::newRow("peer without address")
        << server + services + "[[peer]]\nname = \"DC1\"\nservices = [\"host\"]\n"
        << "peer[0].address: missing";
    QTest::newRow("peer without services")
        << server + services + "[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:1\"\n"
        << "peer[0].services: expected a non-empty list of services";

    // Wrong types.
    QTest::newRow("integer for a string")
        << "[server]\nname = 42\n" + services << "server.name: expected a string, got an integer";
    QTest::newRow("string for a boolean") << server + "[services]\nhost = \"yes\"\n"
                                          << "services.host: expected true or false, got a string";
    QTest::newRow("boolean for a string")
        << server + "[services]\nhost_account_sync = true\n"
        << "services.host_account_sync: expected a string, got a boolean";
    QTest::newRow("fraction for an integer")
        << server + services + binding + "heartbeat_ms = 1.5\n"
        << "binding.heartbeat_ms: expected an integer, got a fractional number";
    QTest::newRow("string for a number")
        << server + services + binding + "backoff_multiplier = \"fast\"\n"
        << "binding.backoff_multiplier: expected a number, got a string";
    QTest::newRow("string for announce")
        << server + services + binding + "announce = \"no\"\n"
        << "binding.announce: expected true or false, got a string";
    QTest::newRow("section as a value")
        << "server = 1\n" + services << "server: expected a [server] section";
    QTest::newRow("[peer] instead of [[peer]]") << server + services + "[peer]\nname = \"DC1\"\n"
                                                << "peer: expected [[peer]] sections";
    QTest::newRow("list of numbers for services")
        << server + services +
               "[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:1\"\n"
               "services = [1]\n"
        << "peer[0].services: expected strings";

    // Values out of range.
    QTest::newRow("negative integer")
        << server + services + binding + "heartbeat_ms = -5\n"
        << "binding.heartbeat_ms: expected an integer from 0 to 2147483647, got -5";
    QTest::newRow("integer too large")
        << server + services + binding + "backoff_max_ms = 9999999999\n"
        << "binding.backoff_max_ms: expected an integer from 0 to 2147483647, got 9999999999";
    QTest::newRow("heartbeat too short") << server + services + binding + "heartbeat_ms = 10\n"
                                         << "binding.heartbeat_ms: must be at least 50";
    QTest::newRow("jitter of 1 or more")
        << server + services + binding + "backoff_jitter = 1.5\n"
        << "binding.backoff_jitter: must be at least 0 and below 1";
    QTest::newRow("cap below the first delay")
        << server + services + binding + "backoff_initial_ms = 500\nbackoff_max_ms = 100\n"
        << "binding.backoff_max_ms: must not be below backoff_initial_ms";
    QTest::newRow("outbox retry too short") << server + services + "[outbox]\nretry_ms = 1\n"
                                            << "outbox.retry_ms: must be at least 10";
    QTest::newRow("too many demo users") << server + services + "[demo]\nusers = 10000\n"
                                         << "demo.users: at most 9999";

    // Unknown keys, services, names and addresses.
    QTest::newRow("misspelt key") << "[server]\nname = \"HS1\"\nlisen = \"127.0.0.1:1\"\n" +
                                         services
                                  << "server.lisen: unknown key";
    QTest::newRow("unknown section") << server + services + "[mail]\nrelay = true\n"
                                     << "mail: unknown section";
    QTest::newRow("unknown service of a peer")
        << server + services +
               "[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:1\"\n"
               "services = [\"mail\"]\n"
        << "peer[0].services: unknown service \"mail\" (expected domain-account-sync, "
           "host-account-sync or host)";
    QTest::newRow("role on a service without roles")
        << server + services +
               "[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:1\"\n"
               "services = [\"host:primary\"]\n"
        << "peer[0].services: only host-account-sync takes a role after ':'";
    QTest::newRow("unknown cache role")
        << server + "[services]\nhost_account_sync = \"main\"\n"
        << "services.host_account_sync: expected primary, backup or none, got \"main\"";
    QTest::newRow("bad server name") << "[server]\nname = \"HS 1\"\n" + services
                                     << "server.name: \"HS 1\" is not 1-15 of A-Z 0-9 - _";
    QTest::newRow("newline in a value") << "[server]\nname = \"HS\\n1\"\n" + services
                                        << "server.name: \"HS\\x0A1\" is not 1-15 of A-Z 0-9 - _";
    QTest::newRow("listen without port")
        << "[server]\nname = \"HS1\"\nlisten = \"localhost\"\n" + services
        << "server.listen: \"localhost\" is not address:port";
    QTest::newRow("listen port out of range")
        << "[server]\nname = \"HS1\"\nlisten = \"127.0.0.1:70000\"\n" + services
        << "server.listen: \"127.0.0.1:70000\" is not address:port";
    QTest::newRow("bad peer address") << server + services +
                                             "[[peer]]\nname = \"DC1\"\naddress = \"127.0.0.1:\"\n"
                                             "services = [\"host\"]\n"
                                      << "peer[0].address: \"127.0.0.1:\" is not address:port";
    QTest::newRow("peer is this server")
        << server + services +
               "[[peer]]\nname = \"HS1\"\naddress = \"127.0.0.1:1\"\n"
               "services = [\"host\"]\n"
        << "peer[0].name: a server cannot be its own peer";
    QTest::newRow("peer listed twice")
        << server + services + kPeer + kPeer << "peer[1].name: peer DC1 is listed twice";

    // Bad policies.
    QTest::newRow("bad binding policy") << server + services + binding + "policy = \"sometimes\"\n"
                                        << "binding.policy: expected auto or manual, got "
                                           "\"sometimes\"";
    QTest::newRow("bad peer policy") << server + services + kPeer + "policy = \"never\"\n"
                                     << "peer[0].policy: expected auto or manual, got \"never\"";

    // [tls]: all three files, or the plaintext opt-out alone.
    QTest::newRow("tls without key")
        << server + services + "[tls]\nca = \"ca.crt\"\ncert = \"hs1.crt\"\n"
        << "tls.key: missing (ca, cert and key name the domain CA's certificate and this "
           "server's certificate and key)";
    QTest::newRow("empty tls") << server + services + "[tls]\n"
                               << "tls.ca: missing (ca, cert and key name the domain CA's "
                                  "certificate and this server's certificate and key)";
    QTest::newRow("plaintext and files")
        << server + services + "[tls]\nplaintext = true\nca = \"ca.crt\"\n"
        << "tls.plaintext: cannot be combined with ca, cert and key";
    QTest::newRow("plaintext not a boolean")
        << server + services + "[tls]\nplaintext = \"yes\"\n"
        << "tls.plaintext: expected true or false, got a string";
    // Plain TCP carries passwords in the clear: loopback only, both ways.
    QTest::newRow("plaintext listening beyond loopback")
        << "[server]\nname = \"HS1\"\nlisten = \"0.0.0.0:40102\"\n" + services +
               "[tls]\nplaintext = true\n"
        << "tls.plaintext: is for tests on this machine only: server.listen \"0.0.0.0:40102\" is "
           "not a loopback address (127.0.0.1, ::1, localhost)";
    QTest::newRow("plaintext to a peer beyond loopback")
        << server + services + "[tls]\nplaintext = true\n" + kPeer +
               "[[peer]]\nname = \"HS2\"\naddress = \"hs2.contoso.com:40103\"\n"
               "services = [\"host-account-sync:backup\"]\n"
        << "tls.plaintext: is for tests on this machine only: peer[1].address "
           "\"hs2.contoso.com:40103\" is not a loopback address";
    QTest::newRow("misspelt tls key") << server + services + "[tls]\ncertificate = \"x\"\n"
                                      << "tls.certificate: unknown key";
}

void tst_AgentConfig::badConfigGivesOneLine()
{
    QFETCH(QString, toml);
    QFETCH(QString, message);
    const auto config = AgentConfig::parse(utf8(toml), "/etc/hostsec/hs1.toml");
    QVERIFY2(!config, "a bad configuration was accepted");
    const QString line = QString::fromStdString(config.error().message);
    QCOMPARE(line, QStringLiteral("hs1.toml: ") + message);
    QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(line));
}

void tst_AgentConfig::syntaxErrorNamesTheLine()
{
    // The parser's own description follows; what matters is the file, the line, one line.
    const auto config =
        AgentConfig::parse(utf8(kServices + "[server]\nname = \"HS1\n"), "hs1.toml");
    QVERIFY(!config);
    const QString line = QString::fromStdString(config.error().message);
    QVERIFY2(line.startsWith(QStringLiteral("hs1.toml:4: TOML syntax error: ")), qPrintable(line));
    QVERIFY2(line.size() > 35, qPrintable(line));
    QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(line));

    const auto duplicate = AgentConfig::parse(utf8(kServer + kServices + kServices), "hs1.toml");
    QVERIFY(!duplicate);
    QVERIFY2(duplicate.error().message.rfind("hs1.toml:6: TOML syntax error: ", 0) == 0,
             duplicate.error().message.c_str());
}

void tst_AgentConfig::unreadableFileIsNamed_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("why");
    QTest::newRow("missing") << "missing.toml"
                             << "No such file or directory";
    QTest::newRow("a folder") << "folder.toml"
                              << "it is a folder";
    QTest::newRow("no permission") << "secret.toml"
                                   << "Permission denied";
}

void tst_AgentConfig::unreadableFileIsNamed()
{
    QFETCH(QString, name);
    QFETCH(QString, why);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name);
    if (name == QLatin1String("folder.toml")) {
        QVERIFY(QDir(dir.path()).mkdir(name));
    } else if (name == QLatin1String("secret.toml")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(utf8(kServer + kServices).c_str());
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::Permissions()));
        if (QFile probe(path); probe.open(QIODevice::ReadOnly))
            QSKIP("running as root: a file without read permission is still readable");
    }
    const auto config = AgentConfig::load(path.toStdString());
    QVERIFY(!config);
    QCOMPARE(QString::fromStdString(config.error().message),
             path + QStringLiteral(": cannot read the configuration file: ") + why);
}

void tst_AgentConfig::goodConfigRoundTrips()
{
    // Every key, none at its default, so a key the parser drops shows up here.
    const QString toml = QStringLiteral(R"([server]
name = "HS-2_b"
listen = "0.0.0.0:40199"
data_dir = "state"
domain = "FABRIKAM"
host_domain = "MAINDOM"

[services]
domain_account_sync = true
host_account_sync = "backup"
host = true

[binding]
policy = "manual"
heartbeat_ms = 250
heartbeat_timeout_ms = 400
backoff_initial_ms = 1000
backoff_multiplier = 2
backoff_jitter = 0.5
backoff_max_ms = 120000
announce = false

[outbox]
retry_ms = 20

[events]
retention_days = 7
max_rows = 5000

[[peer]]
name = "HS1"
address = "10.0.0.1:40102"
services = ["host-account-sync:primary", "host-account-sync"]

[[peer]]
name = "HOST1"
address = "host1.example:40104"
services = ["host", "domain-account-sync", "host-account-sync:backup"]
policy = "auto"

[demo]
users = 12
)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("hs2.toml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(toml.toUtf8());
    file.close();

    const auto loaded = AgentConfig::load(path.toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
    const AgentConfig &c = *loaded;
    QCOMPARE(c.path, path.toStdString());
    QCOMPARE(c.name, std::string("HS-2_b"));
    QCOMPARE(c.listen, std::string("0.0.0.0:40199"));
    QCOMPARE(c.dataDir, QDir(dir.path()).filePath(QStringLiteral("state")).toStdString());
    QCOMPARE(c.domain, std::string("FABRIKAM"));
    QCOMPARE(c.hostDomain, std::string("MAINDOM"));
    QCOMPARE(c.services.size(), std::size_t{3});
    QVERIFY(c.runs(ServiceKind::DomainAccountSync));
    QVERIFY(c.runs(ServiceKind::HostAccountSync));
    QVERIFY(c.runs(ServiceKind::Host));
    QVERIFY(c.cacheRole() == CacheRole::Backup);
    QVERIFY(c.binding.policy == RebindPolicy::Manual);
    QCOMPARE(c.binding.heartbeatMs, 250);
    QCOMPARE(c.binding.heartbeatTimeoutMs, 400);
    QCOMPARE(c.binding.backoffInitialMs, 1000);
    QCOMPARE(c.binding.backoffMultiplier, 2.0);
    QCOMPARE(c.binding.backoffJitter, 0.5);
    QCOMPARE(c.binding.backoffMaxMs, 120000);
    QCOMPARE(c.binding.announce, false);
    QCOMPARE(c.outboxRetryMs, 20);
    QCOMPARE(c.retentionDays, 7);
    QCOMPARE(c.maxEventRows, std::int64_t{5000});
    QCOMPARE(c.demoUsers, 12);

    QCOMPARE(c.peers.size(), std::size_t{2});
    const PeerConfig &hs1 = c.peers[0];
    QCOMPARE(hs1.name, std::string("HS1"));
    QCOMPARE(hs1.address, std::string("10.0.0.1:40102"));
    QCOMPARE(hs1.services.size(), std::size_t{2});
    QVERIFY(hs1.services[0].kind == ServiceKind::HostAccountSync);
    QVERIFY(hs1.services[0].cacheRole == CacheRole::Primary);
    QVERIFY(hs1.services[1].cacheRole == CacheRole::Primary); // no role: the primary
    QVERIFY(hs1.policy == RebindPolicy::Manual);              // [binding] policy
    const PeerConfig &host = c.peers[1];
    QCOMPARE(host.name, std::string("HOST1"));
    QCOMPARE(host.address, std::string("host1.example:40104"));
    QCOMPARE(host.services.size(), std::size_t{3});
    QVERIFY(host.services[0].kind == ServiceKind::Host);
    QVERIFY(host.services[1].kind == ServiceKind::DomainAccountSync);
    QVERIFY(host.services[2].cacheRole == CacheRole::Backup);
    QVERIFY(host.policy == RebindPolicy::Auto); // its own

    // The text alone gives the same, with the data folder beside the named file.
    const auto parsed = AgentConfig::parse(toml.toStdString(), path.toStdString());
    QVERIFY(parsed);
    QCOMPARE(parsed->dataDir, c.dataDir);
    QCOMPARE(parsed->peers.size(), c.peers.size());
}

void tst_AgentConfig::defaultsWhenKeysAreLeftOut()
{
    const auto c = AgentConfig::parse(utf8(kServer + kServices), "/etc/hostsec/hs1.toml");
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    const BindingConfig defaults;
    QCOMPARE(c->dataDir, std::string("/etc/hostsec"));
    QCOMPARE(c->domain, std::string("CONTOSO"));
    QVERIFY(c->binding.policy == RebindPolicy::Auto);
    QCOMPARE(c->binding.backoffInitialMs, 100);
    QCOMPARE(c->binding.backoffMultiplier, 1.6);
    QCOMPARE(c->binding.backoffJitter, 0.2);
    QCOMPARE(c->binding.backoffMaxMs, 10000);
    QCOMPARE(c->binding.announce, true);
    QCOMPARE(c->binding.heartbeatMs, defaults.heartbeatMs);
    QVERIFY(c->peers.empty());
}

void tst_AgentConfig::exampleFileIsValid()
{
    const auto c = AgentConfig::load(HOSTSEC_EXAMPLE_CONFIG);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(c->name, std::string("HS1"));
    QVERIFY(c->cacheRole() == CacheRole::Primary);
    QCOMPARE(c->peers.size(), std::size_t{3});
    QCOMPARE(c->binding.announce, true);
}

void tst_AgentConfig::tlsPathsAreRelativeToTheFile()
{
    const auto config = AgentConfig::parse(
        utf8(kServer + kServices +
             "[tls]\nca = \"../pki/ca.crt\"\ncert = \"hs1.crt\"\nkey = \"/secure/hs1.key\"\n"),
        "/etc/hostsec/hs1.toml");
    QVERIFY2(config, config ? "" : config.error().message.c_str());
    QCOMPARE(QString::fromStdString(config->tls.ca), QStringLiteral("/etc/pki/ca.crt"));
    QCOMPARE(QString::fromStdString(config->tls.cert), QStringLiteral("/etc/hostsec/hs1.crt"));
    QCOMPARE(QString::fromStdString(config->tls.key), QStringLiteral("/secure/hs1.key"));
    QVERIFY(config->tls.configured());
    QVERIFY(!config->tls.plaintext);

    // No [tls] parses (the agent refuses it at start); plaintext is read as the opt-out.
    const auto none = AgentConfig::parse(utf8(kServer + kServices), "/etc/hostsec/hs1.toml");
    QVERIFY(none);
    QVERIFY(!none->tls.configured());
    QVERIFY(!none->tls.plaintext);
    const auto plain = AgentConfig::parse(utf8(kServer + kServices + "[tls]\nplaintext = true\n"),
                                          "/etc/hostsec/hs1.toml");
    QVERIFY(plain);
    QVERIFY(plain->tls.plaintext);
    QVERIFY(!plain->tls.configured());
    for (const char *listen : {"[::1]:40102", "localhost:40102", "127.0.0.2:40102"}) {
        const auto loopback = AgentConfig::parse(utf8("[server]\nname = \"HS1\"\nlisten = \"" +
                                                      QString::fromLatin1(listen) + "\"\n" +
                                                      kServices + "[tls]\nplaintext = true\n"),
                                                 "/etc/hostsec/hs1.toml");
        QVERIFY2(loopback, loopback ? listen : loopback.error().message.c_str());
    }
}

QTEST_APPLESS_MAIN(tst_AgentConfig)
#include "tst_agentconfig.moc"
