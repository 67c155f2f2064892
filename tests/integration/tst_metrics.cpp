// Why: Prometheus scrapes every agent's /metrics. One line it cannot parse fails the whole
// scrape, and names that break its conventions mislead every dashboard built on them, so the
// reference checker, `promtool check metrics`, must accept what real agents serve, in every
// state the text can take: bindings bound and failed, an outbox waiting for a dead peer, SSO
// and password-change counters that have moved. The documented families must all be there.
// promtool comes with Debian's prometheus package, which ./dev does not install (a 100 MB
// server that a systemd machine would start at once); without it that part is skipped.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"
#include "net/transport.h"

#include <boost/asio/io_context.hpp>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

namespace {

// Waits for `condition` with a deadline, polling briefly; never a blind sleep.
// GET `target` as text; std::nullopt when the agent does not answer 200.
std::optional<std::string> fetchText(const net::Endpoint &endpoint, const std::string &target)
{
    boost::asio::io_context io;
    std::optional<Result<net::HttpResponse>> answer;
    net::Limits limits;
    limits.connectTimeout = 5s;
    limits.readTimeout = 10s;
    net::httpRequest(
        io, endpoint, "GET", target, {},
        [&answer](Result<net::HttpResponse> r) { answer = std::move(r); }, limits);
    io.run();
    if (!answer || !*answer || (*answer)->status != 200)
        return std::nullopt;
    return (*answer)->body;
}

// The families docs/api.md promises.
const char *const kFamilies[] = {
    "hostsec_binding_state",
    "hostsec_binding_consecutive_failures",
    "hostsec_rebinds_total",
    "hostsec_outbox_depth",
    "hostsec_outbox_oldest_age_seconds",
    "hostsec_sso_requests_total",
    "hostsec_password_changes_total",
    "hostsec_events_total",
    "hostsec_uptime_seconds",
};

} // namespace

class tst_Metrics : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    Profile m_profile;

    AgentClient agent(const std::string &name)
    {
        return AgentClient(m_profile.agent(name)->endpoint, 10s);
    }

    std::string metricsOf(const std::string &server)
    {
        return fetchText(m_profile.agent(server)->endpoint, "/metrics").value_or("");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo")).toStdString();
        auto init = DemoDomain::init(m_path, 5);
        QVERIFY2(init, init ? "" : init.error().message.c_str());
        auto start = DemoDomain::start(m_path, 60s);
        QVERIFY2(start, start ? "" : start.error().message.c_str());
        auto profile = Profile::load(m_path + "/profile.json");
        QVERIFY(profile);
        m_profile = *profile;
        QVERIFY2(waitFor(
                     [&] {
                         auto b = agent("DC1").get("/v1/bindings");
                         if (!b)
                             return false;
                         for (const json &x : (*b)["bindings"]) {
                             if (x["state"] != "bound")
                                 return false;
                         }
                         return true;
                     },
                     30s),
                 "DC1's bindings never came up");

        // Counters that have moved, and an outbox that waits: HS2 is down, so the change
        // replicated from HS1 to it stays queued.
        auto sso = agent("DC1").post("/v1/sso", {{"account", "CONTOSO\\user0001"}});
        QVERIFY2(sso, sso ? "" : sso.error().message.c_str());
        QVERIFY(DemoDomain::kill(m_path, "HS2"));
        auto change = agent("DC1").post("/v1/passwd",
                                        {{"account", "CONTOSO\\user0002"}, {"password", "NEWPW2"}});
        QVERIFY2(change, change ? "" : change.error().message.c_str());
        QVERIFY2(waitFor(
                     [&] {
                         return metricsOf("HS1").find("hostsec_outbox_depth{target=\"HS2\"}") !=
                                std::string::npos;
                     },
                     30s),
                 "HS1 never showed the change waiting for HS2");
    }

    void cleanupTestCase() { (void)DemoDomain::stop(m_path); }

    void documentedFamiliesAreThere_data()
    {
        QTest::addColumn<QString>("server");
        for (const char *server : {"DC1", "HS1", "HOST1"})
            QTest::newRow(server) << QString::fromLatin1(server);
    }

    void documentedFamiliesAreThere()
    {
        QFETCH(QString, server);
        const std::string text = metricsOf(server.toStdString());
        QVERIFY2(!text.empty(), "no /metrics answer");
        for (const char *family : kFamilies) {
            const std::string type = std::string("# TYPE ") + family + " ";
            QVERIFY2(text.find(type) != std::string::npos, family);
            QVERIFY2(text.find(std::string("# HELP ") + family + " ") != std::string::npos, family);
        }
    }

    void promtoolAcceptsIt_data() { documentedFamiliesAreThere_data(); }

    void promtoolAcceptsIt()
    {
        QFETCH(QString, server);
        QString promtool = qEnvironmentVariable("HOSTSEC_PROMTOOL");
        if (promtool.isEmpty())
            promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QSKIP("promtool not installed (Debian: apt-get install prometheus), or set "
                  "HOSTSEC_PROMTOOL");
        const std::string text = metricsOf(server.toStdString());
        QVERIFY2(!text.empty(), "no /metrics answer");

        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForStarted());
        check.write(text.data(), static_cast<qint64>(text.size()));
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        const QByteArray complaints = check.readAll();
        const QByteArray report = complaints + "\n--- /metrics of " + server.toUtf8() + ":\n" +
                                  QByteArray::fromStdString(text);
        QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0 &&
                     complaints.trimmed().isEmpty(),
                 report.constData());
    }
};

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
