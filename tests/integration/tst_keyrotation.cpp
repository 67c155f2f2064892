// Why: rotating a cache's key rewrites every stored credential while the agent serves SSO. A
// real hostsecd (host-account-sync primary with demo users) answers look-ups from a second
// thread while POST /v1/cache/rotate-key runs several times: not one look-up may fail or return
// another credential, cache.key's id must change, and a restart must read everything with the
// key file alone. And the agent must refuse to start, in one line naming the file, what was
// found and the fix, when cache.key is readable by others or owned by someone else.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "agent/credentialcipher.h"
#include "client/agentclient.h"

#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

using namespace hostsec;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int kUsers = 30;

std::string account(int i)
{
    char b[32];
    std::snprintf(b, sizeof b, "CONTOSO\\user%04d", i);
    return b;
}

} // namespace

class tst_KeyRotation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_agent;
    quint16 m_port = 0;
    QString m_config;
    std::map<int, std::string> m_credentials; // before any rotation

    client::AgentClient api() { return client::AgentClient({"127.0.0.1", m_port}, 10s); }
    std::string keyPath() const
    {
        return m_dir.filePath(QStringLiteral("cache.key")).toStdString();
    }
    QString errPath() const { return m_dir.filePath(QStringLiteral("agent.err")); }

    std::uint32_t keyIdOnDisk() { return CredentialCipher::loadKey(keyPath()).value().keyId(); }

    void startAgent()
    {
        m_agent.setWorkingDirectory(m_dir.path());
        m_agent.setStandardErrorFile(errPath());
        m_agent.start(
            qEnvironmentVariable("HOSTSEC_BIN_DIR", QCoreApplication::applicationDirPath()) +
                QStringLiteral("/hostsecd"),
            {QStringLiteral("--config"), m_config});
    }

    bool stopAgent()
    {
        m_agent.terminate();
        return m_agent.waitForFinished(10000) && m_agent.exitCode() == 0;
    }

    Result<std::string> lookUp(client::AgentClient &client, int i)
    {
        auto answer = client.post("/v1/sso", {{"account", account(i)}});
        if (!answer)
            return answer.error();
        return (*answer)["credential"].get<std::string>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
        probe.close();
        QFile config(m_dir.filePath(QStringLiteral("hostsecd.toml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("[server]\nname = \"HS1\"\nlisten = \"127.0.0.1:%1\"\n"
                                    "domain = \"CONTOSO\"\nhost_domain = \"HOSTDOM\"\n"
                                    "[services]\nhost_account_sync = \"primary\"\n"
                                    "[demo]\nusers = %2\n[tls]\nplaintext = true\n")
                         .arg(m_port)
                         .arg(kUsers)
                         .toUtf8());
        config.close();
        m_config = config.fileName();
        startAgent();
        QVERIFY(m_agent.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(api().health().ok(), 20000);
        auto client = api();
        for (int i = 1; i <= kUsers; ++i) {
            auto credential = lookUp(client, i);
            QVERIFY2(credential, credential ? "" : credential.error().message.c_str());
            m_credentials[i] = *credential;
        }
    }

    void cleanupTestCase()
    {
        if (m_agent.state() != QProcess::NotRunning)
            QVERIFY(stopAgent());
    }

    void lookUpsNeverFailWhileTheKeyRotates()
    {
        const std::uint32_t before = keyIdOnDisk();
        std::atomic<bool> done{false};
        std::atomic<int> lookUps{0};
        std::atomic<int> failures{0};
        std::string firstFailure;
        std::thread reader([&] {
            auto client = api();
            for (int i = 0; !done; ++i) {
                const int user = i % kUsers + 1;
                auto credential = lookUp(client, user);
                if (!credential || *credential != m_credentials[user]) {
                    if (failures++ == 0)
                        firstFailure =
                            account(user) + ": " +
                            (credential ? "another credential" : credential.error().message);
                }
                ++lookUps;
            }
        });
        std::string lastKey;
        auto client = api();
        for (int round = 0; round < 5; ++round) {
            const int seen = lookUps;
            auto rotated = client.post("/v1/cache/rotate-key", json::object());
            QVERIFY2(rotated, rotated ? "" : rotated.error().message.c_str());
            QCOMPARE((*rotated)["reencrypted"].get<int>(), kUsers);
            QVERIFY((*rotated)["server"] == "HS1");
            if (!lastKey.empty())
                QCOMPARE((*rotated)["old_key_id"].get<std::string>(), lastKey);
            lastKey = (*rotated)["new_key_id"].get<std::string>();
            QVERIFY(lastKey != (*rotated)["old_key_id"].get<std::string>());
            // Ids only: an 0x and 8 hex digits, no key material.
            QCOMPARE(lastKey.size(), std::size_t{10});
            // Let look-ups run between rotations, too.
            QTRY_VERIFY_WITH_TIMEOUT(lookUps > seen + 5, 10000);
        }
        done = true;
        reader.join();
        QVERIFY2(failures == 0, firstFailure.c_str());
        QVERIFY(lookUps > 25);
        qInfo("%d look-ups during 5 rotations, none failed", lookUps.load());

        char onDisk[11];
        std::snprintf(onDisk, sizeof onDisk, "0x%08X", static_cast<unsigned>(keyIdOnDisk()));
        QCOMPARE(std::string(onDisk), lastKey);
        QVERIFY(keyIdOnDisk() != before);
        QVERIFY(!QFile::exists(QString::fromStdString(keyPath() + ".new")));

        // Each rotation is an audited operator action.
        auto events = client.get("/v1/events?id=900&limit=100");
        QVERIFY(events);
        int audited = 0;
        for (const json &e : (*events)["events"]) {
            const auto params = e["params"];
            if (params.size() >= 4 && params[1] == "rotate cache key") {
                ++audited;
                QVERIFY(params[2] == "HS1 cache.key");
                QVERIFY2(params[3].get<std::string>().find("re-encrypted") != std::string::npos,
                         e.dump().c_str());
            }
        }
        QCOMPARE(audited, 5);
    }

    void restartReadsEveryCredential()
    {
        const std::uint32_t key = keyIdOnDisk();
        QVERIFY(stopAgent());
        startAgent();
        QVERIFY(m_agent.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(api().health().ok(), 20000);
        QCOMPARE(keyIdOnDisk(), key);
        auto client = api();
        for (int i = 1; i <= kUsers; ++i) {
            auto credential = lookUp(client, i);
            QVERIFY2(credential, credential ? "" : credential.error().message.c_str());
            QCOMPARE(*credential, m_credentials[i]);
        }
    }

    void badRequestsDoNotRotate()
    {
        // A wrong method and a body that is not JSON are refused without rotating.
        const std::uint32_t key = keyIdOnDisk();
        auto wrong = api().call("POST", "/v1/cache/rotate-key", "not json");
        QVERIFY(!wrong);
        QCOMPARE(keyIdOnDisk(), key);
        auto get = api().get("/v1/cache/rotate-key");
        QVERIFY(!get);
    }

    void unsafeKeyFileStopsTheAgent_data()
    {
        QTest::addColumn<bool>("chmod");
        QTest::addColumn<QString>("found");
        QTest::addColumn<QString>("fix");
        QTest::newRow("readable by others")
            << true << QStringLiteral("has mode 0644") << QStringLiteral("run chmod 600");
        QTest::newRow("owned by another user")
            << false << QStringLiteral("owned by uid 65534") << QStringLiteral("chown it");
    }

    void unsafeKeyFileStopsTheAgent()
    {
        QFETCH(bool, chmod);
        QFETCH(QString, found);
        QFETCH(QString, fix);
        if (!chmod && ::geteuid() != 0)
            QSKIP("needs root to give the key file to another user");
        if (m_agent.state() != QProcess::NotRunning)
            QVERIFY(stopAgent());
        const std::string path = keyPath();
        if (chmod)
            QCOMPARE(::chmod(path.c_str(), 0644), 0);
        else
            QCOMPARE(::chown(path.c_str(), 65534, 65534), 0);
        startAgent();
        QVERIFY(m_agent.waitForFinished(20000));
        const int exitCode = m_agent.exitCode();
        // Put the file right again before anything can fail, for the next rows and tests.
        QCOMPARE(::chmod(path.c_str(), 0600), 0);
        QCOMPARE(::chown(path.c_str(), ::geteuid(), ::getegid()), 0);

        QCOMPARE(exitCode, 1);
        QFile err(errPath());
        QVERIFY(err.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(err.readAll());
        QCOMPARE(text.count(QLatin1Char('\n')), 1); // one line
        QVERIFY2(text.startsWith(QStringLiteral("hostsecd: cannot start: key file ")),
                 qPrintable(text));
        QVERIFY2(text.contains(QString::fromStdString(path)), qPrintable(text));
        QVERIFY2(text.contains(found), qPrintable(text));
        QVERIFY2(text.contains(fix), qPrintable(text));

        // Set right, the agent starts and answers as before.
        startAgent();
        QVERIFY(m_agent.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(api().health().ok(), 20000);
        auto client = api();
        auto credential = lookUp(client, 1);
        QVERIFY2(credential, credential ? "" : credential.error().message.c_str());
        QCOMPARE(*credential, m_credentials[1]);
    }
};

QTEST_GUILESS_MAIN(tst_KeyRotation)
#include "tst_keyrotation.moc"
