// Why: every connection to an agent must be mutual TLS with the domain's certificates, and the
// demo domain must set that up by itself. Real hostsecd processes: the demo's agents bind to
// each other and answer hostsecctl's client over TLS, the audit names the certificate, plain
// HTTP gets no answer; an agent whose [tls] is missing or wrong refuses to start with one line
// naming the key and the file, and the test-only plaintext opt-out says so loudly.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"
#include "pki/authority.h"
#include "pki/identity.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

using namespace hostsec;
using namespace hostsec::client;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

QString binDir()
{
    return qEnvironmentVariable("HOSTSEC_BIN_DIR", QCoreApplication::applicationDirPath());
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    return probe.serverPort();
}

// The certificate the server at 127.0.0.1:`port` presents in a TLS handshake made now (read,
// not verified: the test compares it), showing `tls`'s certificate as an agent demands.
Result<pki::Identity> presentedCertificate(std::uint16_t port, const net::TlsConfig &tls)
{
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                              SSL_CTX_free);
    if (!context ||
        SSL_CTX_use_certificate_file(context.get(), tls.certFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(context.get(), tls.keyFile.c_str(), SSL_FILETYPE_PEM) != 1)
        return Error{EINVAL, "cannot load " + tls.certFile.string()};
    std::unique_ptr<BIO, decltype(&BIO_free_all)> connection(BIO_new_ssl_connect(context.get()),
                                                             BIO_free_all);
    const std::string to = "127.0.0.1:" + std::to_string(port);
    SSL *ssl = nullptr;
    BIO_get_ssl(connection.get(), &ssl);
    if (!ssl || BIO_set_conn_hostname(connection.get(), to.c_str()) != 1 ||
        BIO_do_connect(connection.get()) != 1 || BIO_do_handshake(connection.get()) != 1)
        return Error{ECONNREFUSED, "no TLS handshake with " + to};
    std::unique_ptr<X509, decltype(&X509_free)> peer(SSL_get1_peer_certificate(ssl), X509_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> pem(BIO_new(BIO_s_mem()), BIO_free);
    if (!peer || !pem || PEM_write_bio_X509(pem.get(), peer.get()) != 1)
        return Error{EPROTO, to + " presented no certificate"};
    char *data = nullptr;
    const long size = BIO_get_mem_data(pem.get(), &data);
    return pki::readIdentity(std::string_view(data, static_cast<std::size_t>(size)));
}

} // namespace

class tst_AgentTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_demo;
    Profile m_profile;
    bool m_started = false;

    /// Writes a one-server config with `tls` as its [tls] section and runs hostsecd on it until
    /// it exits or `waitMs` passes; its stderr.
    QString runAgent(const QString &name, const QString &tls, QProcess &agent, quint16 port,
                     int waitMs)
    {
        const QString folder = m_dir.filePath(name);
        QDir().mkpath(folder);
        QFile config(folder + QStringLiteral("/hostsecd.toml"));
        if (!config.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write the config");
        config.write(QStringLiteral("[server]\nname = \"HS9\"\nlisten = \"127.0.0.1:%1\"\n"
                                    "[services]\nhost = true\n%2")
                         .arg(port)
                         .arg(tls)
                         .toUtf8());
        config.close();
        agent.setWorkingDirectory(folder);
        agent.start(binDir() + QStringLiteral("/hostsecd"),
                    {QStringLiteral("--config"), config.fileName()});
        agent.waitForStarted();
        agent.waitForFinished(waitMs);
        return QString::fromUtf8(agent.readAllStandardError());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo(binDir() + QStringLiteral("/hostsecd")).isExecutable())
            QSKIP("hostsecd is not built (target hostsecd)");
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(QStringLiteral("demo")).toStdString();
        QVERIFY(DemoDomain::init(m_demo, 3).ok());
        auto profile = Profile::load(m_demo + "/profile.json");
        QVERIFY2(profile.ok(), profile.ok() ? "" : profile.error().message.c_str());
        m_profile = std::move(profile).value();
        m_started = true;
        const Status started = DemoDomain::start(m_demo, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
    }

    void cleanupTestCase()
    {
        if (m_started)
            QVERIFY(DemoDomain::stop(m_demo).ok());
    }

    // Every binding of the demo forms: the agents call each other over TLS with their service
    // certificates, verified for 127.0.0.1.
    void demoAgentsBindOverTls()
    {
        int bound = 0;
        const bool allBound = integration::waitFor(
            [&] {
                bound = 0;
                int total = 0;
                for (const ProfileAgent &agent : m_profile.agents) {
                    auto answer = AgentClient(agent.endpoint, 5s).get("/v1/bindings");
                    if (!answer)
                        return false;
                    for (const json &b : (*answer)["bindings"]) {
                        ++total;
                        bound += b.value("state", "") == "bound" ? 1 : 0;
                    }
                }
                return total == 7 && bound == 7;
            },
            30s);
        QVERIFY2(allBound, qPrintable(QStringLiteral("%1 of 7 bindings bound").arg(bound)));
        for (const ProfileAgent &agent : m_profile.agents) {
            auto status = AgentClient(agent.endpoint, 5s).get("/v1/status");
            QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
            QCOMPARE((*status)["transport"].get<std::string>(), std::string("mutual-tls"));
        }
    }

    // The audit's "who" is the name in the user's certificate, not a header.
    void auditNamesTheCertificate()
    {
        const auto identity = pki::readIdentity(readText(m_profile.tls.certFile.string()));
        QVERIFY(identity.ok());
        AgentClient dc(m_profile.agent("DC1")->endpoint, 10s);
        QVERIFY(dc.post("/v1/rebind", json{{"all_stale", true}}).ok());
        const auto events = integration::allEvents(dc, "900");
        QVERIFY(!events.empty());
        const std::string who = events.back()["params"][0].get<std::string>();
        QVERIFY2(who.rfind(identity->name + "@127.0.0.1:", 0) == 0, who.c_str());
    }

    // Plain TCP reaches nothing: no HTTP answer, the connection closed, the agent serving on.
    void plainHttpGetsNoAnswer()
    {
        net::Endpoint plain = m_profile.agent("HS1")->endpoint;
        plain.tls = nullptr;
        QVERIFY(!AgentClient(plain, 5s).health().ok());

        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), plain.port);
        QVERIFY(s.waitForConnected(2000));
        s.write("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray answer;
        QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired() && s.state() == QAbstractSocket::ConnectedState) {
            if (s.waitForReadyRead(100))
                answer += s.readAll();
        }
        QCOMPARE(s.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(!answer.contains("HTTP/1."), answer.constData());
        QVERIFY(AgentClient(m_profile.agent("HS1")->endpoint, 5s).health().ok());
    }

    void agentRefusesBadTls_data()
    {
        QTest::addColumn<QString>("tls");
        QTest::addColumn<QString>("message");
        const QString pki = QString::fromStdString(m_demo) + QStringLiteral("/pki");
        const QString hs1 = QString::fromStdString(m_demo) + QStringLiteral("/HS1");
        QTest::newRow("no [tls]") << QString()
                                  << QStringLiteral("hostsecd.toml: tls: missing [tls] section");
        QTest::newRow("missing certificate")
            << QStringLiteral("[tls]\nca = \"%1/ca.crt\"\ncert = \"%2/nothing.crt\"\n"
                              "key = \"%2/HS1.key\"\n")
                   .arg(pki, hs1)
            << QStringLiteral("hostsecd.toml: tls.cert: cannot read %1/nothing.crt: No such "
                              "file or directory")
                   .arg(hs1);
        const QString user = QString::fromStdString(m_profile.tls.certFile.stem().string());
        QTest::newRow("an operator's certificate")
            << QStringLiteral("[tls]\nca = \"%1/ca.crt\"\ncert = \"%1/%2.crt\"\n"
                              "key = \"%1/%2.key\"\n")
                   .arg(pki, user)
            << QStringLiteral("has role admin; an agent needs a service certificate");
        QTest::newRow("a key of another certificate")
            << QStringLiteral("[tls]\nca = \"%1/ca.crt\"\ncert = \"%2/HS1.crt\"\n"
                              "key = \"%1/%3.key\"\n")
                   .arg(pki, hs1, user)
            << QStringLiteral("does not belong to the certificate");
    }

    void agentRefusesBadTls()
    {
        QFETCH(QString, tls);
        QFETCH(QString, message);
        QProcess agent;
        const QString err = runAgent(QStringLiteral("bad-%1")
                                         .arg(QTest::currentDataTag())
                                         .replace(QLatin1Char(' '), QLatin1Char('-')),
                                     tls, agent, freePort(), 20000);
        QCOMPARE(agent.state(), QProcess::NotRunning);
        QCOMPARE(agent.exitCode(), 1);
        QVERIFY2(err.startsWith(QStringLiteral("hostsecd: cannot start: ")), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0);
    }

    // The opt-out works, warns at start and shows in /v1/status.
    void plaintextIsLoud()
    {
        QProcess agent;
        const quint16 port = freePort();
        runAgent(QStringLiteral("plain"), QStringLiteral("[tls]\nplaintext = true\n"), agent, port,
                 0);
        AgentClient api({"127.0.0.1", port}, 2s);
        QVERIFY(integration::waitFor([&] { return api.health().ok(); }, 20s));
        auto status = api.get("/v1/status");
        QVERIFY(status.ok());
        QCOMPARE((*status)["transport"].get<std::string>(),
                 std::string("plaintext (unauthenticated: tests only)"));
        agent.terminate();
        QVERIFY(agent.waitForFinished(10000));
        const QString err = QString::fromUtf8(agent.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("WARNING: hostsecd.toml: [tls] plaintext = true")),
                 qPrintable(err));
    }

    // A renewed certificate takes effect on SIGHUP, without a restart: new connections, in and
    // out, use it. A bad one sent the same way is refused, named in event 102, and the agent
    // serves on with the one it had.
    void sighupServesARenewedCertificateAndRefusesABadOne()
    {
        const std::string folder = m_demo + "/HS2";
        AgentClient hs2(m_profile.agent("HS2")->endpoint, 10s);
        auto before = hs2.get("/v1/status");
        QVERIFY2(before.ok(), before.ok() ? "" : before.error().message.c_str());
        const std::string oldSerial = (*before)["certificate"]["serial"];
        const int pid = (*before)["pid"];
        QVERIFY(pid > 0);

        // The renewal: a new certificate of the domain's CA, over the files the agent reads.
        QTemporaryDir renewal;
        QVERIFY(renewal.isValid());
        const auto issued = pki::issue(
            m_demo + "/pki", {.name = "HS2", .role = pki::Role::Service, .hosts = {"127.0.0.1"}},
            renewal.path().toStdString());
        QVERIFY2(issued.ok(), issued.ok() ? "" : issued.error().message.c_str());
        QVERIFY(issued->identity.serial != oldSerial);
        const auto overwrite = std::filesystem::copy_options::overwrite_existing;
        std::filesystem::copy_file(issued->certFile, folder + "/HS2.crt", overwrite);
        std::filesystem::copy_file(issued->keyFile, folder + "/HS2.key", overwrite);
        QCOMPARE(::kill(pid, SIGHUP), 0);
        std::string serial;
        const std::uint16_t port = m_profile.agent("HS2")->endpoint.port;
        QVERIFY2(integration::waitFor(
                     [&] {
                         auto presented = presentedCertificate(port, m_profile.tls);
                         serial = presented.ok() ? presented->serial : presented.error().message;
                         return serial == issued->identity.serial;
                     },
                     20s),
                 serial.c_str());
        auto status = hs2.get("/v1/status");
        QVERIFY(status.ok());
        QCOMPARE((*status)["certificate"]["serial"].get<std::string>(), issued->identity.serial);
        const auto reloaded = integration::allEvents(hs2, "103");
        QCOMPARE(reloaded.size(), std::size_t{1});
        QCOMPARE(reloaded.front()["params"][1].get<std::string>(), issued->identity.serial);
        // Out: HS2's manual binding to HS1, rebound, connects with the renewed certificate:
        // it leaves "bound" (its timeline says so) and is bound again.
        const std::string toHs1 = "HS2/host-account-sync->HS1/host-account-sync";
        const Millis rebindAt = nowMillis();
        const auto rebind = hs2.post("/v1/rebind", json{{"binding", toHs1}});
        QVERIFY2(rebind.ok(), rebind.ok() ? "" : rebind.error().message.c_str());
        json binding;
        QVERIFY2(integration::waitFor(
                     [&] {
                         auto list = hs2.get("/v1/bindings");
                         if (!list.ok())
                             return false;
                         for (const json &b : (*list)["bindings"]) {
                             if (b["id"] == toHs1)
                                 binding = b;
                         }
                         if (binding["state"] != "bound")
                             return false;
                         for (const json &t : binding["timeline"]) {
                             if (t["from"] == "bound" &&
                                 parseIsoTime(t["time"].get<std::string>()) >= rebindAt)
                                 return true; // left bound after the reload, and is back
                         }
                         return false;
                     },
                     20s),
                 binding.dump().c_str());

        // A bad renewal (an operator's certificate): refused, named, the renewed one stays.
        const std::string user = m_profile.tls.certFile.stem().string();
        std::filesystem::copy_file(m_demo + "/pki/" + user + ".crt", folder + "/HS2.crt",
                                   overwrite);
        QCOMPARE(::kill(pid, SIGHUP), 0);
        std::vector<json> problems;
        QVERIFY(integration::waitFor(
            [&] { return !(problems = integration::allEvents(hs2, "102")).empty(); }, 20s));
        const std::string message = problems.back()["message"];
        QVERIFY2(message.find("has role admin; an agent needs a service certificate") !=
                     std::string::npos,
                 message.c_str());
        auto after = presentedCertificate(port, m_profile.tls);
        QVERIFY2(after.ok(), after.ok() ? "" : after.error().message.c_str());
        QCOMPARE(after->serial, issued->identity.serial);
        // The domain is left as it was: the renewed certificate in the files too.
        std::filesystem::copy_file(issued->certFile, folder + "/HS2.crt", overwrite);
    }
};

QTEST_GUILESS_MAIN(tst_AgentTls)
#include "tst_agenttls.moc"
