// Why this test exists: `hostsecctl demo init` and the console's first start write the configs
// of four real agents. A config the agent refuses, two agents on one port, a missing peer (so a
// binding never forms) or a second init that overwrites a running domain's ports would make the
// demo, the first thing a new user sees, look broken. The configs are read back with the
// agent's own parser, AgentConfig::load, so both sides agree on the format. The demo sets up its
// own mutual TLS: a certificate the agents would refuse (wrong host, wrong role, a key others may
// read) would leave every binding down.

#include "agent/config.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "pki/identity.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/stat.h>

using namespace hostsec;
using namespace hostsec::client;

namespace {

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool hasService(const std::vector<Service> &services, ServiceKind kind,
                CacheRole role = CacheRole::None)
{
    return std::find(services.begin(), services.end(), Service{kind, role}) != services.end();
}

// The bindings a server forms, by the rules of resources/hostsecd.example.toml: domain account
// sync binds to every host-account-sync; a primary cache to the host, the backups and the domain
// account sync; a backup to the primary; the host to the primary.
int bindingsOf(const AgentConfig &config)
{
    int count = 0;
    for (const PeerConfig &peer : config.peers) {
        const bool peerDas = hasService(peer.services, ServiceKind::DomainAccountSync);
        const bool peerPrimary =
            hasService(peer.services, ServiceKind::HostAccountSync, CacheRole::Primary);
        const bool peerBackup =
            hasService(peer.services, ServiceKind::HostAccountSync, CacheRole::Backup);
        const bool peerHost = hasService(peer.services, ServiceKind::Host);
        if (config.runs(ServiceKind::DomainAccountSync))
            count += (peerPrimary || peerBackup) ? 1 : 0;
        if (config.cacheRole() == CacheRole::Primary)
            count += (peerHost || peerBackup || peerDas) ? 1 : 0;
        if (config.cacheRole() == CacheRole::Backup)
            count += peerPrimary ? 1 : 0;
        if (config.runs(ServiceKind::Host))
            count += peerPrimary ? 1 : 0;
    }
    return count;
}

} // namespace

class tst_DemoDomainInit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesFourConfigsAndProfile();
    void portsAreDistinct();
    void configsParseWithTheAgentsParser_data();
    void configsParseWithTheAgentsParser();
    void peersFormSevenBindings();
    void configsSayWhatTheyAre();
    void refusesAnExistingProfile();
    void refusesABadUserCount_data();
    void refusesABadUserCount();
    void nothingRunsInAFreshDomain();
    void certificatesComeFromTheDemoCa();
};

void tst_DemoDomainInit::writesFourConfigsAndProfile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString() + "/demo"; // init creates the folder
    const auto done = DemoDomain::init(root, 7);
    QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());

    auto profile = Profile::load(root + "/profile.json");
    QVERIFY2(profile.ok(), profile.ok() ? "" : profile.error().message.c_str());
    QCOMPARE(profile->domain, std::string("CONTOSO"));
    QCOMPARE(profile->hostDomain, std::string("HOSTDOM"));
    QVERIFY(profile->demo);
    QCOMPARE(profile->agents.size(), std::size_t(4));
    for (std::size_t i = 0; i < 4; ++i) {
        const ProfileAgent &agent = profile->agents[i];
        QCOMPARE(agent.name, std::string(DemoDomain::Servers[i]));
        QCOMPARE(agent.endpoint.host, std::string("127.0.0.1"));
        QVERIFY(agent.endpoint.port != 0);
        QCOMPARE(agent.configPath, root + "/" + agent.name + "/hostsecd.toml");
        QVERIFY(QFile::exists(QString::fromStdString(agent.configPath)));
    }
    // Stored relative, so the folder can be moved.
    const auto json = nlohmann::json::parse(readText(root + "/profile.json"));
    QCOMPARE(json["agents"][2]["config"].get<std::string>(), std::string("HS2/hostsecd.toml"));
}

void tst_DemoDomainInit::portsAreDistinct()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 0).ok());
    auto profile = Profile::load(root + "/profile.json");
    QVERIFY(profile.ok());
    std::set<std::uint16_t> ports;
    for (const ProfileAgent &agent : profile->agents)
        ports.insert(agent.endpoint.port);
    QCOMPARE(ports.size(), std::size_t(4));
}

void tst_DemoDomainInit::configsParseWithTheAgentsParser_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<bool>("domainAccountSync");
    QTest::addColumn<int>("cacheRole");
    QTest::addColumn<bool>("host");
    QTest::addColumn<bool>("manual");

    const int none = static_cast<int>(CacheRole::None);
    QTest::newRow("DC1") << "DC1" << true << none << false << false;
    QTest::newRow("HS1") << "HS1" << false << static_cast<int>(CacheRole::Primary) << false
                         << false;
    QTest::newRow("HS2") << "HS2" << false << static_cast<int>(CacheRole::Backup) << false << true;
    QTest::newRow("HOST1") << "HOST1" << false << none << true << false;
}

void tst_DemoDomainInit::configsParseWithTheAgentsParser()
{
    QFETCH(QString, server);
    QFETCH(bool, domainAccountSync);
    QFETCH(int, cacheRole);
    QFETCH(bool, host);
    QFETCH(bool, manual);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 25).ok());
    auto profile = Profile::load(root + "/profile.json");
    QVERIFY(profile.ok());
    const ProfileAgent *self = profile->agent(server.toStdString());
    QVERIFY(self);

    auto config = AgentConfig::load(self->configPath);
    QVERIFY2(config.ok(), config.ok() ? "" : config.error().message.c_str());
    QCOMPARE(config->name, self->name);
    QCOMPARE(config->listen, self->endpoint.toString());
    QCOMPARE(config->domain, std::string("CONTOSO"));
    QCOMPARE(config->hostDomain, std::string("HOSTDOM"));
    QCOMPARE(config->demoUsers, 25);
    QCOMPARE(config->runs(ServiceKind::DomainAccountSync), domainAccountSync);
    QCOMPARE(static_cast<int>(config->cacheRole()), cacheRole);
    QCOMPARE(config->runs(ServiceKind::Host), host);
    QVERIFY(config->binding.policy == (manual ? RebindPolicy::Manual : RebindPolicy::Auto));

    // Every other server is a peer, at the address the profile gives it.
    QCOMPARE(config->peers.size(), std::size_t(3));
    for (const PeerConfig &peer : config->peers) {
        const ProfileAgent *other = profile->agent(peer.name);
        QVERIFY2(other, peer.name.c_str());
        QVERIFY(other != self);
        QCOMPARE(peer.address, other->endpoint.toString());
        QCOMPARE(peer.services.size(), std::size_t(1));
    }
}

void tst_DemoDomainInit::peersFormSevenBindings()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 1).ok());
    int total = 0;
    for (const char *server : DemoDomain::Servers) {
        auto config = AgentConfig::load(root + "/" + server + "/hostsecd.toml");
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().message.c_str());
        total += bindingsOf(*config);
    }
    // DC1->HS1, DC1->HS2, HS1->HOST1, HS1->HS2, HS1->DC1, HS2->HS1, HOST1->HS1
    QCOMPARE(total, 7);
}

void tst_DemoDomainInit::configsSayWhatTheyAre()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 1).ok());
    const std::string text = readText(root + "/HS2/hostsecd.toml");
    QVERIFY(text.starts_with("# hostsecd configuration of HS2"));
    QVERIFY(text.find("hostsecctl demo init") != std::string::npos);
    QVERIFY(text.find("data_dir = \".\"") != std::string::npos);
}

void tst_DemoDomainInit::refusesAnExistingProfile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 3).ok());
    const std::string before = readText(root + "/profile.json");
    const std::string configBefore = readText(root + "/DC1/hostsecd.toml");

    const auto again = DemoDomain::init(root, 3);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().message.find(root + "/profile.json") != std::string::npos,
             again.error().message.c_str());
    QVERIFY2(again.error().message.find("already exists") != std::string::npos,
             again.error().message.c_str());
    // Nothing was touched: a running domain keeps its ports.
    QCOMPARE(readText(root + "/profile.json"), before);
    QCOMPARE(readText(root + "/DC1/hostsecd.toml"), configBefore);
}

void tst_DemoDomainInit::refusesABadUserCount_data()
{
    QTest::addColumn<int>("users");
    QTest::newRow("negative") << -1;
    QTest::newRow("over 9999") << 10000;
}

void tst_DemoDomainInit::refusesABadUserCount()
{
    QFETCH(int, users);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto done = DemoDomain::init(dir.path().toStdString(), users);
    QVERIFY(!done.ok());
    QVERIFY2(done.error().message.starts_with("users: "), done.error().message.c_str());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("profile.json"))));
}

void tst_DemoDomainInit::nothingRunsInAFreshDomain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 1).ok());
    for (const char *server : DemoDomain::Servers)
        QCOMPARE(DemoDomain::runningPid(root, server), 0);
    // A pid file naming a process that is not hostsecd (this test) does not count as running.
    std::ofstream(root + "/HS1/agent.pid") << QCoreApplication::applicationPid() << "\n";
    QCOMPARE(DemoDomain::runningPid(root, "HS1"), 0);
    // stop on a domain where nothing runs is fine and clears the stale pid file.
    QVERIFY(DemoDomain::stop(root).ok());
    QVERIFY(!QFile::exists(QString::fromStdString(root + "/HS1/agent.pid")));
}

void tst_DemoDomainInit::certificatesComeFromTheDemoCa()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    QVERIFY(DemoDomain::init(root, 3).ok());
    auto profile = Profile::load(root + "/profile.json");
    QVERIFY2(profile.ok(), profile.ok() ? "" : profile.error().message.c_str());
    const std::string caPem = readText(root + "/pki/ca.crt");
    QCOMPARE(profile->tls.caFile.string(), root + "/pki/ca.crt");

    // The user's certificate: an admin's, its key for the user alone; every agent's endpoint
    // carries the loaded context.
    const auto user = pki::verify(caPem, readText(profile->tls.certFile.string()));
    QVERIFY2(user.ok(), user.ok() ? "" : user.error().message.c_str());
    QCOMPARE(user->role, pki::Role::Admin);
    struct stat info
    {};
    QCOMPARE(::stat(profile->tls.keyFile.c_str(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);
    for (const ProfileAgent &agent : profile->agents)
        QVERIFY(agent.endpoint.tls);

    // Each agent: a service certificate for the address its peers and clients connect to.
    for (const ProfileAgent &agent : profile->agents) {
        auto config = AgentConfig::load(agent.configPath);
        QVERIFY(config.ok());
        QVERIFY(!config->tls.plaintext);
        QCOMPARE(config->tls.ca, root + "/pki/ca.crt");
        QCOMPARE(config->tls.cert, root + "/" + agent.name + "/" + agent.name + ".crt");
        QCOMPARE(config->tls.key, root + "/" + agent.name + "/" + agent.name + ".key");
        const auto identity = pki::verify(caPem, readText(config->tls.cert), agent.endpoint.host);
        QVERIFY2(identity.ok(), identity.ok() ? "" : identity.error().message.c_str());
        QCOMPARE(identity->name, agent.name);
        QCOMPARE(identity->role, pki::Role::Service);
        QCOMPARE(::stat(config->tls.key.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
    }
}

QTEST_APPLESS_MAIN(tst_DemoDomainInit)
#include "tst_demodomaininit.moc"
