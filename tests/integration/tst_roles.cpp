// Why: every call of the admin API and every peer RPC is authorized by the role in the caller's
// certificate (viewer reads, operator acts on bindings, users and passwords, admin changes
// configuration, service is for peers). A refusal must answer 403 with 0x5 ERROR_ACCESS_DENIED,
// be audited with the caller's certificate name, and change nothing. Real agents of a demo
// domain, one certificate per role issued by the demo's own CA.

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"
#include "model/rpcstatus.h"
#include "net/transport.h"
#include "pki/authority.h"

#include <utility> // before Asio: Boost 1.74 forgets it

#include <boost/asio/io_context.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace hostsec;
using namespace hostsec::client;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

QString binDir()
{
    return qEnvironmentVariable("HOSTSEC_BIN_DIR", QCoreApplication::applicationDirPath());
}

} // namespace

class tst_Roles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_demo;
    Profile m_profile;
    bool m_started = false;
    net::TlsContextPtr m_viewer;
    net::TlsContextPtr m_operator;
    net::TlsContextPtr m_service;

    /// HS1 (or `server`) reached with `tls`.
    AgentClient as(const net::TlsContextPtr &tls, const std::string &server = "HS1")
    {
        net::Endpoint endpoint = m_profile.agent(server)->endpoint;
        if (tls)
            endpoint.tls = tls;
        return AgentClient(endpoint, 10s);
    }

    net::TlsContextPtr issue(const std::string &name, pki::Role role)
    {
        const std::string pkiDir = m_demo + "/pki";
        pki::IssueRequest request;
        request.name = name;
        request.role = role;
        if (role == pki::Role::Service)
            request.hosts = {"127.0.0.1"};
        auto issued = pki::issue(pkiDir, request, pkiDir);
        if (!issued)
            qFatal("issue %s: %s", name.c_str(), issued.error().message.c_str());
        auto context =
            net::TlsContext::load({m_profile.tls.caFile, issued->certFile, issued->keyFile});
        if (!context)
            qFatal("load %s: %s", name.c_str(), context.error().message.c_str());
        return *context;
    }

    /// The refusal a call must get: 403 (AgentClient: the API's code 5) and its message.
    static void checkDenied(const Result<json> &answer, const char *what)
    {
        QVERIFY2(!answer.ok(), what);
        QVERIFY2(answer.error().code == static_cast<int>(rpc::AccessDenied),
                 answer.error().message.c_str());
        QVERIFY2(answer.error().message.find("access denied") != std::string::npos,
                 answer.error().message.c_str());
    }

    /// The newest audit event of `server` whose "who" starts with `name` and whose action is
    /// `what`, waited for a few seconds.
    std::optional<json> auditOf(const std::string &server, const std::string &name,
                                const std::string &what)
    {
        std::optional<json> last;
        integration::waitFor(
            [&] {
                for (const json &e : integration::allEvents(as(nullptr, server), "900")) {
                    if (e["params"][0].get<std::string>().rfind(name + "@", 0) == 0 &&
                        e["params"][1].get<std::string>() == what)
                        last = e;
                }
                return last.has_value();
            },
            5s);
        return last;
    }

    /// Opens /v1/rpc on HS1 with `tls` and closes it again; whether it opened. The socket
    /// never leaves this function: it must not outlive the io_context it runs on.
    Status openRpc(const net::TlsContextPtr &tls)
    {
        boost::asio::io_context io;
        std::optional<Status> outcome;
        net::Endpoint endpoint = m_profile.agent("HS1")->endpoint;
        endpoint.tls = tls;
        net::connectWebSocket(io, endpoint, "/v1/rpc", {}, {},
                              [&outcome](Result<std::shared_ptr<net::WebSocket>> r) {
                                  if (r) {
                                      (*r)->close();
                                      outcome.emplace();
                                  } else {
                                      outcome.emplace(r.error());
                                  }
                              });
        io.run_for(10s);
        if (!outcome)
            return Error{-1, "no outcome"};
        return *outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo(binDir() + QStringLiteral("/hostsecd")).isExecutable())
            QSKIP("hostsecd is not built (target hostsecd)");
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(QStringLiteral("demo")).toStdString();
        QVERIFY(DemoDomain::init(m_demo, 5).ok());
        auto profile = Profile::load(m_demo + "/profile.json");
        QVERIFY(profile.ok());
        m_profile = std::move(profile).value();
        m_viewer = issue("vera", pki::Role::Viewer);
        m_operator = issue("otto", pki::Role::Operator);
        m_service = issue("HS7", pki::Role::Service);
        m_started = true;
        const Status started = DemoDomain::start(m_demo, 60s);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
    }

    void cleanupTestCase()
    {
        if (m_started)
            QVERIFY(DemoDomain::stop(m_demo).ok());
    }

    void viewerReadsOnly()
    {
        AgentClient viewer = as(m_viewer);
        QVERIFY(viewer.get("/v1/status").ok());
        QVERIFY(viewer.get("/v1/bindings").ok());
        QVERIFY(viewer.get("/v1/events?limit=5").ok());
        checkDenied(viewer.post("/v1/rebind", json{{"all_stale", true}}), "viewer rebind");
        checkDenied(viewer.post("/v1/cache/rotate-key", json::object()), "viewer rotate-key");

        // A password change on the domain controller: refused, audited with the certificate's
        // name, and nothing queued.
        const auto before = as(nullptr, "DC1").get("/v1/outbox");
        QVERIFY(before.ok());
        checkDenied(as(m_viewer, "DC1")
                        .post("/v1/passwd",
                              json{{"account", integration::user(1)}, {"password", "VIEWPW1"}}),
                    "viewer passwd");
        const auto audit = auditOf("DC1", "vera", "password change");
        QVERIFY(audit);
        const std::string outcome = (*audit)["params"][3].get<std::string>();
        QVERIFY2(outcome.rfind("denied (HTTP 403): 0x5", 0) == 0, outcome.c_str());
        QVERIFY2(outcome.find("VIEWPW1") == std::string::npos, outcome.c_str());
        const auto after = as(nullptr, "DC1").get("/v1/outbox");
        QVERIFY(after.ok());
        QCOMPARE(after->dump(), before->dump());
    }

    void operatorActsButDoesNotConfigure()
    {
        AgentClient op = as(m_operator);
        QVERIFY(op.get("/v1/status").ok());
        const auto rebind = op.post("/v1/rebind", json{{"all_stale", true}});
        QVERIFY2(rebind.ok(), rebind.ok() ? "" : rebind.error().message.c_str());
        checkDenied(op.post("/v1/cache/rotate-key", json::object()), "operator rotate-key");
        QVERIFY(auditOf("HS1", "otto", "POST /v1/cache/rotate-key"));
    }

    void adminConfigures()
    {
        const auto rotated = as(nullptr).post("/v1/cache/rotate-key", json::object());
        QVERIFY2(rotated.ok(), rotated.ok() ? "" : rotated.error().message.c_str());
    }

    void serviceIsForPeersOnly()
    {
        checkDenied(as(m_service).get("/v1/status"), "service status");
        checkDenied(as(m_service).post("/v1/rebind", json{{"all_stale", true}}), "service rebind");
        QVERIFY(openRpc(m_service).ok());
        // Nobody else may open a binding.
        for (const auto &tls : {m_viewer, m_operator}) {
            const auto refused = openRpc(tls);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, 403);
        }
        const auto admin = openRpc(m_profile.agent("HS1")->endpoint.tls);
        QVERIFY(!admin.ok());
        QCOMPARE(admin.error().code, 403);
    }
};

QTEST_GUILESS_MAIN(tst_Roles)
#include "tst_roles.moc"
