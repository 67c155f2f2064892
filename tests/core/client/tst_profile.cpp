// Why this test exists: a profile is the one file that tells hostsecctl and the console where a
// domain's agents are. A hand-edited profile with a typo must be refused with a message naming
// the file and the key, not half-loaded into a console that then shows a wrong domain; and a
// save must never leave a torn file behind, or the next start loses the domain. Its "tls" names
// the user's certificate: a missing file must be named, and every agent reached with it.

#include "client/profile.h"
#include "pki/authority.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace hostsec;
using namespace hostsec::client;

namespace {

std::string writeText(const QTemporaryDir &dir, const QString &name, const std::string &text)
{
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A valid profile's JSON, for the bad-profile rows to break one key of.
nlohmann::json validProfile()
{
    return nlohmann::json::parse(R"({
        "domain": "CONTOSO", "host_domain": "HOSTDOM", "demo": true,
        "agents": [{"name": "DC1", "address": "127.0.0.1:40101", "config": "DC1/hostsecd.toml"},
                   {"name": "HS1", "address": "127.0.0.1:40102"}]})");
}

} // namespace

class tst_Profile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveThenLoadRoundTrips();
    void configPathsAreRelativeToTheProfileFolder();
    void saveReplacesAtomically();
    void saveIntoMissingFolderNamesTheFile();
    void loadsMinimalProfile();
    void badProfileNamesFileAndKey_data();
    void badProfileNamesFileAndKey();
    void unreadableProfileNamesFile();
    void agentLookupIgnoresCase();
    void tlsFilesAreLoadedAndNamed();
};

void tst_Profile::saveThenLoadRoundTrips()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();

    Profile profile;
    profile.domain = "CONTOSO";
    profile.hostDomain = "HOSTDOM";
    profile.demo = true;
    profile.agents.push_back({"DC1", {"127.0.0.1", 40101}, root + "/DC1/hostsecd.toml"});
    profile.agents.push_back({"HS1", {"localhost", 65535}, "/etc/hostsec/hs1.toml"});
    profile.agents.push_back({"HOST1", {"10.0.0.4", 1}, ""});

    const std::string path = root + "/profile.json";
    const auto saved = profile.save(path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());

    auto loaded = Profile::load(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->path, path);
    QCOMPARE(loaded->domain, profile.domain);
    QCOMPARE(loaded->hostDomain, profile.hostDomain);
    QCOMPARE(loaded->demo, true);
    QCOMPARE(loaded->agents.size(), profile.agents.size());
    for (std::size_t i = 0; i < profile.agents.size(); ++i) {
        QCOMPARE(loaded->agents[i].name, profile.agents[i].name);
        QCOMPARE(loaded->agents[i].endpoint.host, profile.agents[i].endpoint.host);
        QCOMPARE(loaded->agents[i].endpoint.port, profile.agents[i].endpoint.port);
        QCOMPARE(loaded->agents[i].configPath, profile.agents[i].configPath);
    }
}

void tst_Profile::configPathsAreRelativeToTheProfileFolder()
{
    // A demo folder moved or copied elsewhere keeps working: its configs are stored relative.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    Profile profile;
    profile.domain = "CONTOSO";
    profile.hostDomain = "HOSTDOM";
    profile.agents.push_back({"DC1", {"127.0.0.1", 40101}, root + "/DC1/hostsecd.toml"});
    profile.agents.push_back({"HS1", {"127.0.0.1", 40102}, "/elsewhere/hs1.toml"});
    QVERIFY(profile.save(root + "/profile.json").ok());

    const auto json = nlohmann::json::parse(readText(root + "/profile.json"));
    QCOMPARE(json["agents"][0]["config"].get<std::string>(), std::string("DC1/hostsecd.toml"));
    QCOMPARE(json["agents"][1]["config"].get<std::string>(), std::string("/elsewhere/hs1.toml"));
    QCOMPARE(json["agents"][0]["address"].get<std::string>(), std::string("127.0.0.1:40101"));
    QCOMPARE(json["demo"].get<bool>(), false);

    // Loaded from another folder, the relative path resolves against the profile's folder.
    QTemporaryDir moved;
    QVERIFY(moved.isValid());
    const std::string copy = moved.path().toStdString() + "/profile.json";
    std::filesystem::copy_file(root + "/profile.json", copy);
    auto loaded = Profile::load(copy);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->agents[0].configPath, moved.path().toStdString() + "/DC1/hostsecd.toml");
}

void tst_Profile::saveReplacesAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = writeText(dir, QStringLiteral("profile.json"), "old and broken");
    auto profile =
        Profile::load(writeText(dir, QStringLiteral("valid.json"), validProfile().dump()));
    QVERIFY(profile.ok());
    profile->hostDomain = "OTHERDOM";
    QVERIFY(profile->save(path).ok());

    auto loaded = Profile::load(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->hostDomain, std::string("OTHERDOM"));
    // No temporary file is left beside it.
    const QStringList files = QDir(dir.path()).entryList(QDir::Files);
    QCOMPARE(files, QStringList({QStringLiteral("profile.json"), QStringLiteral("valid.json")}));
}

void tst_Profile::saveIntoMissingFolderNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.path().toStdString() + "/no/such/folder/profile.json";
    Profile profile;
    profile.domain = "CONTOSO";
    profile.hostDomain = "HOSTDOM";
    profile.agents.push_back({"DC1", {"127.0.0.1", 1}, ""});
    const auto saved = profile.save(path);
    QVERIFY(!saved.ok());
    QVERIFY2(saved.error().message.starts_with(path), saved.error().message.c_str());
}

void tst_Profile::loadsMinimalProfile()
{
    // demo and config are optional; unknown keys from a newer version are ignored.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = writeText(dir, QStringLiteral("p.json"), R"({
        "domain": "CONTOSO", "host_domain": "HOSTDOM", "colour": "blue",
        "agents": [{"name": "HS1", "address": "hs1.contoso.example:443", "zone": 3}]})");
    auto loaded = Profile::load(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->demo, false);
    QCOMPARE(loaded->agents.size(), std::size_t(1));
    QCOMPARE(loaded->agents[0].endpoint.host, std::string("hs1.contoso.example"));
    QCOMPARE(loaded->agents[0].endpoint.port, std::uint16_t(443));
    QCOMPARE(loaded->agents[0].configPath, std::string());
}

void tst_Profile::badProfileNamesFileAndKey_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // must follow "<file>: " in the message

    const auto with = [](const std::function<void(nlohmann::json &)> &change) {
        nlohmann::json json = validProfile();
        change(json);
        return QString::fromStdString(json.dump());
    };
    using J = nlohmann::json;

    QTest::newRow("not JSON") << QStringLiteral("{\"domain\": ")
                              << QStringLiteral("not a JSON profile");
    QTest::newRow("empty file") << QString() << QStringLiteral("not a JSON profile");
    QTest::newRow("not an object")
        << QStringLiteral("[1, 2]") << QStringLiteral("expected a JSON object");
    QTest::newRow("domain missing")
        << with([](J &j) { j.erase("domain"); }) << QStringLiteral("domain: missing");
    QTest::newRow("domain a number")
        << with([](J &j) { j["domain"] = 5; }) << QStringLiteral("domain: expected a string");
    QTest::newRow("domain empty") << with([](J &j) { j["domain"] = ""; })
                                  << QStringLiteral("domain: must not be empty");
    QTest::newRow("host_domain missing")
        << with([](J &j) { j.erase("host_domain"); }) << QStringLiteral("host_domain: missing");
    QTest::newRow("host_domain null") << with([](J &j) { j["host_domain"] = nullptr; })
                                      << QStringLiteral("host_domain: expected a string");
    QTest::newRow("demo a string")
        << with([](J &j) { j["demo"] = "yes"; }) << QStringLiteral("demo: expected true or false");
    QTest::newRow("agents missing")
        << with([](J &j) { j.erase("agents"); }) << QStringLiteral("agents: missing");
    QTest::newRow("agents an object") << with([](J &j) { j["agents"] = J::object(); })
                                      << QStringLiteral("agents: expected an array");
    QTest::newRow("agents empty") << with([](J &j) { j["agents"] = J::array(); })
                                  << QStringLiteral("agents: lists no agent");
    QTest::newRow("agent not an object") << with([](J &j) { j["agents"][1] = "HS1"; })
                                         << QStringLiteral("agents[1]: expected an object");
    QTest::newRow("name missing") << with([](J &j) { j["agents"][0].erase("name"); })
                                  << QStringLiteral("agents[0].name: missing");
    QTest::newRow("name lower case") << with([](J &j) { j["agents"][1]["name"] = "hs1"; })
                                     << QStringLiteral("agents[1].name: expected a server name");
    QTest::newRow("name too long")
        << with([](J &j) { j["agents"][0]["name"] = "ABCDEFGHIJKLMNOP"; })
        << QStringLiteral("agents[0].name: expected a server name");
    QTest::newRow("name twice") << with([](J &j) { j["agents"][1]["name"] = "DC1"; })
                                << QStringLiteral("agents[1].name: DC1 is listed twice");
    QTest::newRow("address missing") << with([](J &j) { j["agents"][1].erase("address"); })
                                     << QStringLiteral("agents[1].address: missing");
    QTest::newRow("address without port")
        << with([](J &j) { j["agents"][0]["address"] = "127.0.0.1"; })
        << QStringLiteral("agents[0].address: expected host:port");
    QTest::newRow("port out of range")
        << with([](J &j) { j["agents"][0]["address"] = "127.0.0.1:70000"; })
        << QStringLiteral("agents[0].address: expected host:port");
    QTest::newRow("address a number") << with([](J &j) { j["agents"][0]["address"] = 40101; })
                                      << QStringLiteral("agents[0].address: expected a string");
    QTest::newRow("config a number") << with([](J &j) { j["agents"][0]["config"] = 1; })
                                     << QStringLiteral("agents[0].config: expected the path");
}

void tst_Profile::badProfileNamesFileAndKey()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = writeText(dir, QStringLiteral("profile.json"), text.toStdString());
    const auto loaded = Profile::load(path);
    QVERIFY(!loaded.ok());
    const std::string message = loaded.error().message;
    QVERIFY2(message.starts_with(path + ": " + expected.toStdString()), message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
}

void tst_Profile::unreadableProfileNamesFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string missing = dir.path().toStdString() + "/nothing.json";
    const auto notThere = Profile::load(missing);
    QVERIFY(!notThere.ok());
    QVERIFY2(notThere.error().message.starts_with(missing + ": cannot read"),
             notThere.error().message.c_str());

    const auto folder = Profile::load(dir.path().toStdString());
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().message.find("is a folder") != std::string::npos,
             folder.error().message.c_str());
}

void tst_Profile::agentLookupIgnoresCase()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto profile = Profile::load(writeText(dir, QStringLiteral("p.json"), validProfile().dump()));
    QVERIFY(profile.ok());
    QVERIFY(profile->agent("HS1") != nullptr);
    QCOMPARE(profile->agent("hs1"), profile->agent("HS1"));
    QCOMPARE(profile->agent("HS1")->endpoint.port, std::uint16_t(40102));
    QVERIFY(profile->agent("HS") == nullptr);
    QVERIFY(profile->agent("") == nullptr);
}

void tst_Profile::tlsFilesAreLoadedAndNamed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    nlohmann::json json = validProfile();
    json["tls"] = {{"ca", "pki/ca.crt"}, {"cert", "pki/olga.crt"}, {"key", "pki/olga.key"}};
    const std::string path = writeText(dir, QStringLiteral("profile.json"), json.dump());

    // Before the files exist: the profile and the missing file are named.
    auto missing = Profile::load(path);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.starts_with(path +
                                                 ": tls: TLS: cannot read the CA "
                                                 "certificate " +
                                                 root + "/pki/ca.crt"),
             missing.error().message.c_str());

    QVERIFY(pki::initCa(root + "/pki", "CONTOSO").ok());
    QVERIFY(pki::issue(root + "/pki", {.name = "olga", .role = pki::Role::Operator}, root + "/pki")
                .ok());
    auto profile = Profile::load(path);
    QVERIFY2(profile.ok(), profile.ok() ? "" : profile.error().message.c_str());
    QCOMPARE(profile->tls.keyFile.string(), root + "/pki/olga.key");
    for (const ProfileAgent &agent : profile->agents)
        QVERIFY(agent.endpoint.tls);

    // Saved relative to the profile's folder, as it was.
    QVERIFY(profile->save(path).ok());
    const auto saved = nlohmann::json::parse(readText(path));
    QCOMPARE(saved["tls"]["cert"].get<std::string>(), std::string("pki/olga.crt"));

    json["tls"] = {{"ca", "pki/ca.crt"}, {"cert", "pki/olga.crt"}};
    auto noKey = Profile::load(writeText(dir, QStringLiteral("nokey.json"), json.dump()));
    QVERIFY(!noKey.ok());
    QVERIFY2(noKey.error().message.find("tls.key: missing") != std::string::npos,
             noKey.error().message.c_str());
}

QTEST_APPLESS_MAIN(tst_Profile)
#include "tst_profile.moc"
