// Why: a diagnosis is only worth something if it names what real agents do and its
// recommended action really fixes it. This runs the demo domain's four real agents and builds
// each situation for real: recycling HS1 leaves HS2's manual binding stale (the Q216558
// failure) and the stale-after-recycle finding appears through the library and through
// `hostsecctl diagnose --json`; its action, its printed command and `diagnose --fix` each
// clear it. A killed agent gives server-unreachable until its recommended start; a password
// change made while HS1 is down waits in DC1's outbox until HS1 is back and the auto binding
// delivers it. Every wait is a condition with a deadline.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "client/snapshot.h"
#include "ctlprocess.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/findingjson.h"
#include "integrationtest.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using diagnosis::Finding;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

namespace {

constexpr int ProcessTimeoutMs = 90000;
const std::string Hs2ToHs1 = "HS2/host-account-sync->HS1/host-account-sync";
const std::string Dc1ToHs1 = "DC1/domain-account-sync->HS1/host-account-sync";
const std::string ChangedPassword = "DIAG7Q2"; // valid under the host's rules

// Waits for `condition` with a deadline, polling briefly; never a blind sleep.
struct Run
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs `program` with `args`, hostsecctl and hostsecd found on PATH in the build's bin folder.
Run run(const QString &program, const QStringList &args)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("HOSTSEC_HOSTSECD"));
    env.remove(QStringLiteral("HOSTSEC_PROFILE"));
    env.insert(QStringLiteral("PATH"),
               binDir() + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
    process.setProcessEnvironment(env);
    process.start(program, args);
    Run r;
    if (!process.waitForStarted(10000))
        return r;
    process.closeWriteChannel();
    if (!process.waitForFinished(ProcessTimeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput().toStdString();
    r.err = process.readAllStandardError().toStdString();
    return r;
}

// A JSON member as text, for QCOMPARE (which cannot print a json).
std::string str(const json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

bool contains(const std::vector<std::string> &list, const std::string &item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

class tst_DiagnosisLive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    Profile m_profile;

    std::vector<Finding> findings(const diagnosis::Options &options = {})
    {
        SnapshotOptions collect;
        collect.timeout = 3s;
        auto snapshot = collectSnapshot(m_profile, collect);
        if (!snapshot) {
            qWarning("collectSnapshot: %s", snapshot.error().message.c_str());
            return {};
        }
        return diagnosis::diagnose(*snapshot, options);
    }

    static const Finding *find(const std::vector<Finding> &list, const std::string &rule,
                               const std::string &binding = {}, const std::string &server = {})
    {
        for (const Finding &f : list) {
            if (f.rule == rule && (binding.empty() || contains(f.bindings, binding)) &&
                (server.empty() || contains(f.servers, server)))
                return &f;
        }
        return nullptr;
    }

    static QByteArray describe(const std::vector<Finding> &list)
    {
        std::string text;
        for (const Finding &f : list)
            text += "\n  [" + std::string(toString(f.level)) + "] " + f.rule + ": " + f.title +
                    " -> " + f.action.command;
        return QByteArray::fromStdString(text.empty() ? std::string(" none") : text);
    }

    Run ctl(const QStringList &args)
    {
        return run(binDir() + QStringLiteral("/hostsecctl"),
                   QStringList{QStringLiteral("-p"), QString::fromStdString(m_path)} + args);
    }

    // `hostsecctl -p DIR diagnose --json` parsed, or null when it did not print JSON.
    json diagnoseJson(int *exitCode = nullptr)
    {
        const Run r = ctl({QStringLiteral("diagnose"), QStringLiteral("--json")});
        if (exitCode)
            *exitCode = r.exitCode;
        try {
            return json::parse(r.out);
        } catch (const std::exception &) {
            qWarning("diagnose --json printed no JSON (exit %d): %s %s", r.exitCode, r.out.c_str(),
                     r.err.c_str());
            return nullptr;
        }
    }

    static const json *findJson(const json &document, const std::string &rule,
                                const std::string &binding)
    {
        if (!document.is_object() || !document.contains("findings"))
            return nullptr;
        for (const json &f : document["findings"]) {
            if (f["rule"] != rule)
                continue;
            for (const json &b : f["bindings"])
                if (b == binding)
                    return &f;
        }
        return nullptr;
    }

    std::string bindingState(const std::string &server, const std::string &id)
    {
        auto answer = AgentClient(m_profile.agent(server)->endpoint, 5s).get("/v1/bindings");
        if (!answer)
            return "unreachable";
        for (const json &b : (*answer)["bindings"])
            if (b["id"] == id)
                return b["state"];
        return "missing";
    }

    bool allBound()
    {
        int bound = 0;
        for (const char *s : DemoDomain::Servers) {
            auto answer = AgentClient(m_profile.agent(s)->endpoint, 5s).get("/v1/bindings");
            if (!answer)
                return false;
            for (const json &b : (*answer)["bindings"])
                bound += b["state"] == "bound";
        }
        return bound == 7;
    }

    // HS1 killed and started again; HS2's manual binding to it stays stale.
    void recycleHs1()
    {
        auto recycled = DemoDomain::recycle(m_path, "HS1", 30s);
        QVERIFY2(recycled.ok(), recycled.ok() ? "" : recycled.error().message.c_str());
        QVERIFY2(waitFor([&] { return bindingState("HS2", Hs2ToHs1) == "stale"; }, 15s),
                 bindingState("HS2", Hs2ToHs1).c_str());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo(binDir() + QStringLiteral("/hostsecd")).isExecutable())
            QSKIP("hostsecd is not built (target hostsecd)");
        QVERIFY(QFileInfo(binDir() + QStringLiteral("/hostsecctl")).isExecutable());
        QVERIFY(m_dir.isValid());
        m_path = m_dir.path().toStdString() + "/demo";
        auto made = DemoDomain::init(m_path, 20);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto started = DemoDomain::start(m_path, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        auto profile = Profile::load(m_path + "/profile.json");
        QVERIFY2(profile.ok(), profile.ok() ? "" : profile.error().message.c_str());
        m_profile = *profile;
        QVERIFY2(waitFor([&] { return allBound(); }, 30s), "the 7 bindings never all bound");
    }

    void cleanupTestCase()
    {
        if (!m_path.empty())
            (void)DemoDomain::stop(m_path);
    }

    void healthyDomainHasNoFinding()
    {
        std::vector<Finding> list;
        QVERIFY2(waitFor([&] { return (list = findings()).empty(); }, 20s), describe(list));
        int exitCode = -1;
        const json document = diagnoseJson(&exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY(document.is_object());
        QCOMPARE(document["findings"].size(), std::size_t{0});
        QCOMPARE(document["counts"]["error"].get<int>(), 0);
        const Run table = ctl({QStringLiteral("diagnose")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.starts_with("no problem found: 4 of 4 agents answer, 7 of 7 bindings"),
                 table.out.c_str());
    }

    // Every agent's certificate reaches the snapshot from its /v1/status; the demo's are far
    // from expiry, and a warning window wider than their validity names each server once.
    void certificateExpiryIsReadFromEveryAgent()
    {
        SnapshotOptions collect;
        collect.timeout = 3s;
        auto snapshot = collectSnapshot(m_profile, collect);
        QVERIFY2(snapshot, snapshot ? "" : snapshot.error().message.c_str());
        QCOMPARE(snapshot->agents.size(), std::size_t{4});
        for (const diagnosis::AgentState &a : snapshot->agents) {
            QVERIFY2(a.reachable, a.name.c_str());
            QCOMPARE(a.certificate, a.name);
            QVERIFY2(a.certificateNotAfter > snapshot->takenAt + 30LL * 24 * 3600 * 1000,
                     a.name.c_str());
        }
        QVERIFY(!find(diagnosis::diagnose(*snapshot), "certificate-expiring"));
        diagnosis::Options wide;
        wide.certificateWarning = 100LL * 365 * 24 * 3600 * 1000;
        const std::vector<Finding> list = diagnosis::diagnose(*snapshot, wide);
        for (const char *server : {"DC1", "HS1", "HS2", "HOST1"})
            QVERIFY2(find(list, "certificate-expiring", {}, server), describe(list));
        // The user's own certificate, from the demo profile's files, is one more.
        QVERIFY(!snapshot->userCertificate.empty());
        QVERIFY(snapshot->userCertificateNotAfter > snapshot->takenAt);
        QCOMPARE(std::count_if(list.begin(), list.end(),
                               [](const Finding &f) {
                                   return f.rule == "certificate-expiring" && f.servers.empty();
                               }),
                 std::ptrdiff_t{1});
    }

    void recycleGivesStaleBindingFindingAndItsActionClearsIt()
    {
        recycleHs1();
        std::vector<Finding> list;
        QVERIFY2(waitFor(
                     [&] {
                         list = findings();
                         return find(list, "stale-after-recycle", Hs2ToHs1) != nullptr;
                     },
                     15s),
                 describe(list));
        const Finding f = *find(list, "stale-after-recycle", Hs2ToHs1);
        QCOMPARE(std::string(toString(f.level)), std::string("error"));
        QVERIFY(contains(f.servers, "HS1") && contains(f.servers, "HS2"));
        QVERIFY2(f.title.find("HS1 was recycled at") != std::string::npos, f.title.c_str());
        QVERIFY2(f.why.find("Q216558") != std::string::npos, f.why.c_str());
        QCOMPARE(std::string(toString(f.action.kind)), std::string("rebind-binding"));
        QCOMPARE(f.action.targets, std::vector<std::string>{Hs2ToHs1});
        QCOMPARE(f.action.command,
                 "hostsecctl -p " + m_path + "/profile.json rebind '" + Hs2ToHs1 + "'");

        // The same finding through hostsecctl, as a script sees it.
        int exitCode = -1;
        const json document = diagnoseJson(&exitCode);
        QCOMPARE(exitCode, 4);
        const json *listed = findJson(document, "stale-after-recycle", Hs2ToHs1);
        QVERIFY2(listed, document.dump(2).c_str());
        QCOMPARE(str((*listed)["level"]), std::string("error"));
        QCOMPARE(str((*listed)["action"]["kind"]), std::string("rebind-binding"));
        QCOMPARE(str((*listed)["action"]["command"]),
                 "hostsecctl -p " + m_path + " rebind '" + Hs2ToHs1 + "'");
        QVERIFY((*listed)["since"].is_string());

        // Its recommended action, as the console's button runs it, clears it.
        auto done = runAction(m_profile, f.action, 10s);
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QVERIFY2(waitFor(
                     [&] {
                         list = findings();
                         return !find(list, "stale-after-recycle");
                     },
                     15s),
                 describe(list));
        QCOMPARE(bindingState("HS2", Hs2ToHs1), std::string("bound"));
    }

    void printedCommandClearsTheFinding()
    {
        recycleHs1();
        json document;
        const json *listed = nullptr;
        QVERIFY2(waitFor(
                     [&] {
                         document = diagnoseJson();
                         listed = findJson(document, "stale-after-recycle", Hs2ToHs1);
                         return listed != nullptr;
                     },
                     15s),
                 document.dump(2).c_str());
        // What an administrator copies into a shell.
        const std::string command = (*listed)["action"]["command"];
        const Run r =
            run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromStdString(command)});
        QVERIFY2(r.exitCode == 0, (command + ": " + r.out + r.err).c_str());
        QVERIFY2(r.out.find("rebinding " + Hs2ToHs1) != std::string::npos, r.out.c_str());
        int exitCode = -1;
        QVERIFY2(waitFor(
                     [&] {
                         document = diagnoseJson(&exitCode);
                         return exitCode == 0;
                     },
                     20s),
                 document.dump(2).c_str());
    }

    void fixRunsTheActionAndWaitsForTheFindingToClear()
    {
        recycleHs1();
        QVERIFY(waitFor([&] { return find(findings(), "stale-after-recycle", Hs2ToHs1); }, 15s));
        const Run r = ctl({QStringLiteral("diagnose"), QStringLiteral("--fix"),
                           QStringLiteral("stale-after-recycle"), QStringLiteral("--json")});
        const json document = json::parse(r.out, nullptr, false);
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(document["fixes"].size(), std::size_t{1});
        QCOMPARE(str(document["fixes"][0]["ok"]), std::string("true"));
        QCOMPARE(str(document["fixes"][0]["action"]["kind"]), std::string("rebind-binding"));
        QVERIFY2(!findJson(document, "stale-after-recycle", Hs2ToHs1), r.out.c_str());
        QCOMPARE(bindingState("HS2", Hs2ToHs1), std::string("bound"));

        const Run wrong = ctl(
            {QStringLiteral("diagnose"), QStringLiteral("--fix"), QStringLiteral("no-such-rule")});
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.find("stale-after-recycle") != std::string::npos, wrong.err.c_str());
    }

    void killedAgentIsUnreachableUntilStarted()
    {
        QVERIFY(DemoDomain::kill(m_path, "HOST1").ok());
        std::vector<Finding> list;
        QVERIFY2(waitFor(
                     [&] {
                         list = findings();
                         return find(list, "server-unreachable", {}, "HOST1") != nullptr;
                     },
                     10s),
                 describe(list));
        const Finding f = *find(list, "server-unreachable", {}, "HOST1");
        QCOMPARE(std::string(toString(f.level)), std::string("error"));
        QCOMPARE(std::string(toString(f.action.kind)), std::string("start-agent"));
        QCOMPARE(f.action.command, "hostsecctl demo start " + m_path);
        QVERIFY2(f.what.find(m_profile.agent("HOST1")->endpoint.toString()) != std::string::npos,
                 f.what.c_str());

        auto done = runAction(m_profile, f.action, 10s);
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QVERIFY2(waitFor(
                     [&] {
                         list = findings();
                         return !find(list, "server-unreachable");
                     },
                     20s),
                 describe(list));
    }

    void changeWaitsInTheOutboxWhileHs1IsDown()
    {
        QVERIFY(DemoDomain::kill(m_path, "HS1").ok());
        QVERIFY(waitFor([&] { return bindingState("DC1", Dc1ToHs1) != "bound"; }, 10s));
        auto queued = AgentClient(m_profile.agent("DC1")->endpoint, 10s)
                          .post("/v1/passwd",
                                {{"account", "CONTOSO\\user0003"}, {"password", ChangedPassword}});
        QVERIFY2(queued.ok(), queued.ok() ? "" : queued.error().message.c_str());

        diagnosis::Options options;
        options.outboxAge = 0;
        std::vector<Finding> list;
        QVERIFY2(waitFor(
                     [&] {
                         list = findings(options);
                         return find(list, "outbox-waiting", {}, "HS1") != nullptr;
                     },
                     10s),
                 describe(list));
        const Finding f = *find(list, "outbox-waiting", {}, "HS1");
        QCOMPARE(std::string(toString(f.level)), std::string("warning"));
        QVERIFY(contains(f.servers, "DC1"));
        QVERIFY(contains(f.users, "CONTOSO\\user0003"));
        QCOMPARE(std::string(toString(f.action.kind)), std::string("start-agent"));
        // A finding shows who and when, never the password.
        QVERIFY(json(list).dump().find(ChangedPassword) == std::string::npos);

        // HS1 back: DC1's auto binding rebinds and delivers; the finding clears.
        auto started = DemoDomain::start(m_path, 30s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        QVERIFY2(waitFor(
                     [&] {
                         list = findings(options);
                         return !find(list, "outbox-waiting");
                     },
                     30s),
                 describe(list));
        QCOMPARE(bindingState("DC1", Dc1ToHs1), std::string("bound"));
    }
};

QTEST_GUILESS_MAIN(tst_DiagnosisLive)
#include "tst_diagnosis_live.moc"
