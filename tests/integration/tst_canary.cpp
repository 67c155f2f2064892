// Why: a password must reach only where it is needed (the host, the caches' encrypted store,
// the SSO answer's credential field) and nowhere an operator, an auditor or a backup reads.
// Distinctive canary passwords go through every path a password takes in a real demo domain:
// domain-side changes (the password filter's call), a host-initiated change, SSO look-ups, a
// logon with a wrong password, changes the host rejects (a reused password, a passphrase of a
// length no rule allows), a change made while its target agent is down (it waits in the outbox
// and is delivered after), and invalid requests that carry a password. Then the test fails if any
// canary, as raw bytes or hex or base64, is in: every agent's log (stderr), every events.db,
// events.db-fts and their WAL files, every API answer received (except the SSO answer's
// credential field), every error message, every event fetched through GET /v1/events, and the
// reports hostsecctl writes as HTML, CSV, JSON and PDF. agent.db and host.db must not hold one
// in clear either (credentials are encrypted, host passwords hashed).
//
// The console's history database holds nothing but the agents' events, as GET /v1/events and
// /v1/watch deliver them (the same JSON on both): the events fetched here are what it stores.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "ctlprocess.h"
#include "integrationtest.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

namespace {

std::string randomHex(int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        char b[3];
        std::snprintf(b, sizeof b, "%02x", QRandomGenerator::global()->bounded(256));
        out += b;
    }
    return out;
}

} // namespace

class tst_Canary : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_demo;
    Profile m_profile;
    std::vector<std::string> m_canaries;
    // Everything received or produced that must be free of canaries, with where it came from.
    std::vector<std::pair<std::string, QByteArray>> m_seen;

    AgentClient agent(const std::string &name)
    {
        return AgentClient(m_profile.agent(name)->endpoint, 10s);
    }

    std::string canary(const std::string &password)
    {
        m_canaries.push_back(password);
        return password;
    }

    // One API call; its answer (or error message) is kept for the final check.
    Result<json> call(const std::string &server, const std::string &path, const std::string &body)
    {
        auto answer = agent(server).call("POST", path, body);
        const std::string what = server + " POST " + path;
        if (answer)
            m_seen.emplace_back(what + " answer", QByteArray::fromStdString(answer->dump()));
        else
            m_seen.emplace_back(what + " error", QByteArray::fromStdString(
                                                     AgentClient::describeError(answer.error())));
        return answer;
    }

    Result<json> post(const std::string &server, const std::string &path, const json &body)
    {
        return call(server, path, body.dump());
    }

    Result<std::string> sso(const std::string &account)
    {
        auto answer = agent("DC1").post("/v1/sso", {{"account", account}});
        if (!answer) {
            m_seen.emplace_back("DC1 sso error", QByteArray::fromStdString(answer.error().message));
            return answer.error();
        }
        std::string credential = (*answer)["credential"].get<std::string>();
        answer->erase("credential"); // the one place a password belongs
        m_seen.emplace_back("DC1 sso answer", QByteArray::fromStdString(answer->dump()));
        return credential;
    }

    bool hostLogon(const std::string &hostAccount, const std::string &password)
    {
        return post("HOST1", "/v1/host/logon",
                    {{"host_account", hostAccount}, {"password", password}})
            .ok();
    }

    std::int64_t outboxDepth()
    {
        std::int64_t depth = 0;
        for (const char *s : DemoDomain::Servers) {
            auto o = agent(s).get("/v1/outbox");
            if (!o)
                return -1;
            m_seen.emplace_back(std::string(s) + " outbox", QByteArray::fromStdString(o->dump()));
            depth += (*o)["depth"].get<std::int64_t>();
        }
        return depth;
    }

    // The forms a canary could take in bytes: itself, hex, and base64 at each alignment.
    std::vector<std::pair<std::string, QByteArray>> forms(const std::string &c) const
    {
        const QByteArray raw = QByteArray::fromStdString(c);
        std::vector<std::pair<std::string, QByteArray>> out = {
            {"raw", raw}, {"hex", raw.toHex()}, {"HEX", raw.toHex().toUpper()}};
        for (int shift = 0; shift < 3; ++shift) {
            const QByteArray b64 = QByteArray(QByteArray(shift, 'x') + raw).toBase64();
            // Drop the characters that depend on the bytes around the canary.
            const int head = shift ? 4 : 0;
            out.emplace_back("base64", b64.mid(head, b64.size() - head - 4));
        }
        return out;
    }

    // Every canary found in `bytes`, as "canary-number (form)".
    QString leaks(const QByteArray &bytes) const
    {
        QString found;
        for (std::size_t i = 0; i < m_canaries.size(); ++i) {
            for (const auto &[form, needle] : forms(m_canaries[i])) {
                if (bytes.contains(needle))
                    found +=
                        QStringLiteral("canary %1 (%2) ").arg(i).arg(QString::fromStdString(form));
            }
        }
        return found;
    }

    QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Run ctl(const QStringList &args)
    {
        QProcess p;
        p.start(binDir() + QStringLiteral("/hostsecctl"), args);
        Run run;
        if (!p.waitForStarted(10000))
            return run;
        p.closeWriteChannel();
        if (!p.waitForFinished(120000))
            p.kill();
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = p.readAllStandardOutput();
        run.err = p.readAllStandardError();
        return run;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.path().toStdString() + "/demo";
        QVERIFY(DemoDomain::init(m_demo, 12).ok());
        auto started = DemoDomain::start(m_demo, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        auto profile = Profile::load(m_demo + "/profile.json");
        QVERIFY(profile.ok());
        m_profile = *profile;
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 20s));
    }

    void cleanupTestCase() { (void)DemoDomain::stop(m_demo); }

    void domainSideChangeAndSso()
    {
        const std::string pw = canary("Canary-" + randomHex(8) + "-Pw1");
        QVERIFY(post("DC1", "/v1/passwd", {{"account", "CONTOSO\\user0001"}, {"password", pw}}));
        const std::string phrase = canary("canary passphrase " + randomHex(6) + " ok");
        QVERIFY(
            post("DC1", "/v1/passwd", {{"account", "CONTOSO\\user0002"}, {"password", phrase}}));
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 30s));
        QVERIFY(hostLogon("USER0001", pw));
        QVERIFY(hostLogon("USER0002", phrase));
        auto credential = sso("CONTOSO\\user0001");
        QVERIFY2(credential, credential ? "" : credential.error().message.c_str());
        QCOMPARE(*credential, pw);
    }

    void hostInitiatedChange()
    {
        const std::string racf = canary("C4N4RY#1");
        QVERIFY(
            post("HOST1", "/v1/host/passwd", {{"host_account", "USER0003"}, {"password", racf}}));
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 30s));
        QVERIFY(waitFor(
            [&] {
                auto c = sso("CONTOSO\\user0003");
                return c && *c == racf;
            },
            20s));
    }

    void wrongPasswordLogon()
    {
        const std::string wrong = canary("Canary-" + randomHex(8) + "-Wrong1");
        QVERIFY(!hostLogon("USER0001", wrong));
        QVERIFY(!hostLogon("NOSUCHU", wrong));
    }

    void rejectedChanges()
    {
        // The host refuses a reused password, asked directly and through the domain's chain.
        const std::string reused =
            canary("R3USED#" + std::to_string(QRandomGenerator::global()->bounded(10)));
        QVERIFY(
            post("HOST1", "/v1/host/passwd", {{"host_account", "USER0005"}, {"password", reused}}));
        QVERIFY(!post("HOST1", "/v1/host/passwd",
                      {{"host_account", "USER0005"}, {"password", reused}}));
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 30s));
        QVERIFY(
            post("DC1", "/v1/passwd", {{"account", "CONTOSO\\user0005"}, {"password", reused}}));
        // A length neither a password (1-8) nor a passphrase (14-100) may have.
        const std::string odd = canary("Cy" + randomHex(5));
        QVERIFY(post("DC1", "/v1/passwd", {{"account", "CONTOSO\\user0006"}, {"password", odd}}));
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 30s));
        QVERIFY(waitFor(
            [&] {
                auto u = agent("HS1").get("/v1/users?state=rejected");
                return u && (*u)["users"].size() >= 2;
            },
            20s));
    }

    void changeWaitsForAStoppedAgent()
    {
        QVERIFY(DemoDomain::kill(m_demo, "HS1").ok());
        const std::string pw = canary("Canary-" + randomHex(8) + "-Outbox1");
        auto queued =
            post("DC1", "/v1/passwd", {{"account", "CONTOSO\\user0004"}, {"password", pw}});
        QVERIFY(queued);
        QVERIFY((*queued)["state"] == "queued");
        // Delivery attempts fail (and are reported) while HS1 is down.
        QVERIFY(waitFor(
            [&] {
                auto o = agent("DC1").get("/v1/outbox");
                return o && !(*o)["pending"].empty() && (*o)["pending"][0]["attempts"] > 0;
            },
            15s));
        QVERIFY(DemoDomain::start(m_demo, 60s).ok());
        QVERIFY(waitFor([&] { return outboxDepth() == 0; }, 60s));
        QVERIFY(hostLogon("USER0004", pw));
    }

    void invalidRequestsCarryingAPassword()
    {
        const std::string pw = canary("Canary-" + randomHex(8) + "-Invalid1");
        QVERIFY(!post("DC1", "/v1/passwd", {{"account", "nobackslash"}, {"password", pw}}));
        QVERIFY(!post("DC1", "/v1/passwd", {{"account", "CONTOSO\\nosuchuser"}, {"password", pw}}));
        QVERIFY(
            !post("DC1", "/v1/passwd",
                  {{"account", "CONTOSO\\user0001"}, {"password", pw + std::string(300, 'x')}}));
        QVERIFY(!post("DC1", "/v1/passwd",
                      {{"account", "CONTOSO\\user0001"}, {"password", pw + "\x01"}}));
        QVERIFY(!post("HS1", "/v1/passwd", {{"account", "CONTOSO\\user0001"}, {"password", pw}}));
        QVERIFY(!post("DC1", "/v1/passwd", {{"account", 7}, {"password", pw}}));
        QVERIFY(!post("DC1", "/v1/passwd", {{"password", pw}}));
        QVERIFY(!post("HOST1", "/v1/host/passwd", {{"host_account", "BAD ID!"}, {"password", pw}}));
        QVERIFY(!post("HOST1", "/v1/host/passwd", {{"host_account", "NOSUCHU"}, {"password", pw}}));
        QVERIFY(!post("HOST1", "/v1/host/passwd",
                      {{"host_account", "USER0007"}, {"password", pw + "\xc3\xa9"}}));
        // Not UTF-8: raw, as nlohmann::json would not write it.
        QVERIFY(!call("HOST1", "/v1/host/logon",
                      "{\"host_account\": \"USER0007\", \"password\": \"" + pw + "\xff\"}"));
        QVERIFY(!call("DC1", "/v1/passwd",
                      "{\"account\": \"CONTOSO\\\\user0001\", \"password\": \"" + pw + "\""));
        QVERIFY(!call("DC1", "/v1/nothing", "{\"password\": \"" + pw + "\"}"));
        // Not here: a password typed into a field that is not a password (an account, a
        // binding id). The error answer names the value it refused, to its caller only; the
        // agent cannot know it was a password.
    }

    // Last: everything the scenarios above left behind.
    void noCanaryAnywhere()
    {
        QVERIFY(m_canaries.size() >= 8);
        // What the console would store: every agent's events, every page.
        for (const char *server : DemoDomain::Servers) {
            std::int64_t after = 0;
            for (;;) {
                auto page =
                    agent(server).get("/v1/events?limit=1000&after=" + std::to_string(after));
                QVERIFY(page);
                m_seen.emplace_back(std::string(server) + " events",
                                    QByteArray::fromStdString(page->dump()));
                if ((*page)["events"].empty())
                    break;
                after = (*page)["events"].back()["seq"];
            }
            for (const char *path : {"/v1/status", "/v1/users", "/v1/outbox", "/v1/bindings"}) {
                auto answer = agent(server).get(path);
                if (answer)
                    m_seen.emplace_back(std::string(server) + " " + path,
                                        QByteArray::fromStdString(answer->dump()));
            }
        }
        // The reports an auditor gets.
        const QString demo = QString::fromStdString(m_demo);
        const QString out = m_dir.filePath(QStringLiteral("reports"));
        QVERIFY(QDir().mkpath(out));
        for (const char *format : {"html", "json", "csv", "pdf"}) {
            const QString target = out + QStringLiteral("/report.") + QLatin1String(format);
            const Run run = ctl({QStringLiteral("-p"), demo, QStringLiteral("report"),
                                 QStringLiteral("--format"), QLatin1String(format),
                                 QStringLiteral("-o"), target});
            m_seen.emplace_back(std::string("hostsecctl report ") + format + " output",
                                run.out + run.err);
            QVERIFY2(run.exitCode == 0 || QLatin1String(format) == QLatin1String("pdf"),
                     run.err.constData());
            if (run.exitCode != 0) {
                qWarning("no PDF report: %s", run.err.constData());
                continue;
            }
        }
        QDirIterator reports(out, QDir::Files, QDirIterator::Subdirectories);
        int reportFiles = 0;
        while (reports.hasNext()) {
            const QString file = reports.next();
            m_seen.emplace_back(file.toStdString(), readFile(file));
            ++reportFiles;
        }
        QVERIFY(reportFiles >= 3);
        const Run events =
            ctl({QStringLiteral("-p"), demo, QStringLiteral("events"), QStringLiteral("--json"),
                 QStringLiteral("--limit"), QStringLiteral("1000")});
        m_seen.emplace_back("hostsecctl events --json", events.out + events.err);

        // The agents' files, raw, stopped so everything written is on disk.
        QVERIFY(DemoDomain::stop(m_demo).ok());
        QStringList files;
        for (const char *server : DemoDomain::Servers) {
            const QString dir = demo + QLatin1Char('/') + QLatin1String(server) + QLatin1Char('/');
            for (const char *name :
                 {"agent.log", "events.db", "events.db-wal", "events.db-fts", "events.db-fts-wal",
                  "agent.db", "agent.db-wal", "host.db", "host.db-wal"}) {
                if (QFile::exists(dir + QLatin1String(name)))
                    files << dir + QLatin1String(name);
            }
        }
        QVERIFY(files.size() >= 16);
        for (const QString &file : files)
            m_seen.emplace_back(file.toStdString(), readFile(file));

        QString report;
        for (const auto &[where, bytes] : m_seen) {
            const QString found = leaks(bytes);
            if (!found.isEmpty())
                report += QStringLiteral("\n  %1: %2").arg(QString::fromStdString(where), found);
        }
        QVERIFY2(report.isEmpty(), qPrintable(QStringLiteral("canaries found:") + report));
        qInfo("%zu canaries, %zu answers and files checked", m_canaries.size(), m_seen.size());
    }
};

QTEST_GUILESS_MAIN(tst_Canary)
#include "tst_canary.moc"
