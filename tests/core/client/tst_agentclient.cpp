// Why this test exists: hostsecctl's one-line errors and its exit codes come from what
// AgentClient makes of an answer. An API error must reach the user with the agent's own code and
// message (0x52E, "password too short"), a dead agent must say 0x6BA and where it was looked for,
// and an answer that is not JSON must be an error rather than an empty table. A real HttpServer
// on 127.0.0.1:0 plays the agent.

#include "client/agentclient.h"
#include "model/rpcstatus.h"
#include "net/transport.h"

#include <utility> // before Asio (see core/net/asio.h)

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A stand-in agent: an HttpServer on its own I/O thread answering fixed routes.
class FakeAgent
{
public:
    FakeAgent()
        : m_guard(boost::asio::make_work_guard(m_io))
        , m_server(m_io)
    {
        m_server.setHttpHandler([this](const net::HttpRequest &request, net::Responder respond) {
            answer(request, std::move(respond));
        });
        m_ok = m_server.listen("127.0.0.1", 0).ok();
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~FakeAgent()
    {
        boost::asio::post(m_io, [this] {
            m_held.clear(); // answer nothing, drop the held requests
            m_server.stop();
        });
        m_guard.reset();
        m_thread.join();
    }
    bool listening() const { return m_ok; }
    net::Endpoint endpoint() const { return {"127.0.0.1", m_server.port()}; }
    std::string lastBody()
    {
        std::lock_guard lock(m_mutex);
        return m_lastBody;
    }

private:
    void answer(const net::HttpRequest &request, net::Responder respond)
    {
        {
            std::lock_guard lock(m_mutex);
            m_lastBody = request.body;
        }
        using net::HttpResponse;
        if (request.path == "/healthz")
            return respond(HttpResponse::text(200, "ok"));
        if (request.path == "/v1/status")
            return respond(
                HttpResponse::json(200, R"({"server": "HS1", "role": "cache-primary"})"));
        if (request.path == "/v1/echo")
            return respond(HttpResponse::json(200, request.body));
        if (request.path == "/v1/empty")
            return respond(HttpResponse::json(204, ""));
        if (request.path == "/v1/stale")
            return respond(HttpResponse::json(
                503, R"({"error": {"code": 1726, "hex": "0x6BE", "name": "RPC_S_CALL_FAILED",
                        "text": "The remote procedure call failed.",
                        "message": "cannot deliver to HS1: binding is stale"}})"));
        if (request.path == "/v1/host/logon")
            return respond(HttpResponse::json(
                422,
                R"({"error": {"hex": "0x52E", "text": "The user name or password is incorrect."}})"));
        if (request.path == "/v1/text")
            return respond(HttpResponse::text(200, "this is not json"));
        if (request.path == "/v1/slow") {
            m_held.push_back(std::move(respond)); // never answered
            return;
        }
        respond(HttpResponse::text(404, "no such path"));
    }

    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
    net::HttpServer m_server;
    std::thread m_thread;
    bool m_ok = false;
    std::vector<net::Responder> m_held;
    std::mutex m_mutex;
    std::string m_lastBody;
};

// A loopback port where nothing listens: bound, read, closed.
std::uint16_t closedPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

} // namespace

class tst_AgentClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void getParsesJson();
    void postSendsJson();
    void emptyAnswerIsNull();
    void apiErrorKeepsCodeAndMessage_data();
    void apiErrorKeepsCodeAndMessage();
    void answerThatIsNotJsonIsAnError();
    void deadAgentIsServerUnavailableNamingIt();
    void silentAgentTimesOut();
    void healthChecksHealthz();
    void getAllKeepsOrderAndFailures();
    void describeStatus_data();
    void describeStatus();
    void describeErrorShowsCodeNameAndMessage();
};

void tst_AgentClient::getParsesJson()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    AgentClient client(agent.endpoint());
    auto status = client.get("/v1/status");
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
    QCOMPARE(status->at("server").get<std::string>(), std::string("HS1"));
}

void tst_AgentClient::postSendsJson()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    AgentClient client(agent.endpoint());
    const json body{{"account", "CONTOSO\\user0001"}, {"n", 3}};
    auto echoed = client.post("/v1/echo", body);
    QVERIFY(echoed.ok());
    // QVERIFY: QCOMPARE would try json's conversion to every type QTest compares.
    QVERIFY(*echoed == body);
    QVERIFY(json::parse(agent.lastBody()) == body);
}

void tst_AgentClient::emptyAnswerIsNull()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    auto answer = AgentClient(agent.endpoint()).get("/v1/empty");
    QVERIFY(answer.ok());
    QVERIFY(answer->is_null());
}

void tst_AgentClient::apiErrorKeepsCodeAndMessage_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<uint>("code");
    QTest::addColumn<QString>("message");

    QTest::newRow("full error") << QStringLiteral("/v1/stale") << uint(rpc::CallFailed)
                                << QStringLiteral("cannot deliver to HS1: binding is stale");
    // Only hex and text: the code comes from hex, the message falls back to the text.
    QTest::newRow("hex and text") << QStringLiteral("/v1/host/logon") << uint(rpc::LogonFailure)
                                  << QStringLiteral("The user name or password is incorrect.");
}

void tst_AgentClient::apiErrorKeepsCodeAndMessage()
{
    QFETCH(QString, target);
    QFETCH(uint, code);
    QFETCH(QString, message);
    FakeAgent agent;
    QVERIFY(agent.listening());
    auto answer = AgentClient(agent.endpoint()).post(target.toStdString(), json::object());
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().code, static_cast<int>(code));
    QCOMPARE(QString::fromStdString(answer.error().message), message);
}

void tst_AgentClient::answerThatIsNotJsonIsAnError()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    AgentClient client(agent.endpoint());
    auto text = client.get("/v1/text");
    QVERIFY(!text.ok());
    QCOMPARE(text.error().code, static_cast<int>(rpc::BadStubData));
    QVERIFY2(text.error().message.find("not JSON") != std::string::npos,
             text.error().message.c_str());

    auto missing = client.get("/v1/nothing");
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.find("HTTP 404") != std::string::npos,
             missing.error().message.c_str());
    QVERIFY2(missing.error().message.find(agent.endpoint().toString()) != std::string::npos,
             missing.error().message.c_str());
}

void tst_AgentClient::deadAgentIsServerUnavailableNamingIt()
{
    const net::Endpoint nobody{"127.0.0.1", closedPort()};
    auto answer = AgentClient(nobody, 2s).get("/v1/status");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().code, static_cast<int>(rpc::ServerUnavailable));
    QVERIFY2(answer.error().message.find(nobody.toString()) != std::string::npos,
             answer.error().message.c_str());
}

void tst_AgentClient::silentAgentTimesOut()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    const auto started = std::chrono::steady_clock::now();
    auto answer = AgentClient(agent.endpoint(), 300ms).get("/v1/slow");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().code, static_cast<int>(rpc::Timeout));
    QVERIFY(std::chrono::steady_clock::now() - started < 5s);
}

void tst_AgentClient::healthChecksHealthz()
{
    FakeAgent agent;
    QVERIFY(agent.listening());
    QVERIFY(AgentClient(agent.endpoint()).health().ok());
    const auto dead = AgentClient({"127.0.0.1", closedPort()}, 1s).health();
    QVERIFY(!dead.ok());
    QCOMPARE(dead.error().code, static_cast<int>(rpc::ServerUnavailable));
}

void tst_AgentClient::getAllKeepsOrderAndFailures()
{
    FakeAgent first;
    FakeAgent second;
    QVERIFY(first.listening() && second.listening());
    const net::Endpoint nobody{"127.0.0.1", closedPort()};
    auto answers =
        AgentClient::getAll({first.endpoint(), nobody, second.endpoint()}, "/v1/status", 2s);
    QCOMPARE(answers.size(), std::size_t(3));
    QVERIFY(answers[0].ok());
    QVERIFY(!answers[1].ok());
    QCOMPARE(answers[1].error().code, static_cast<int>(rpc::ServerUnavailable));
    QVERIFY(answers[2].ok());
    QCOMPARE(answers[2]->at("role").get<std::string>(), std::string("cache-primary"));
}

void tst_AgentClient::describeStatus_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("cell");

    QTest::newRow("full")
        << QStringLiteral(
               R"({"code": 1726, "hex": "0x6BE", "name": "RPC_S_CALL_FAILED", "text": "The remote procedure call failed."})")
        << QStringLiteral("0x6BE RPC_S_CALL_FAILED (The remote procedure call failed.)")
        << QStringLiteral("0x6BE RPC_S_CALL_FAILED");
    QTest::newRow("code only")
        << QStringLiteral(R"({"code": 1722})")
        << QStringLiteral("0x6BA RPC_S_SERVER_UNAVAILABLE (The RPC server is unavailable.)")
        << QStringLiteral("0x6BA RPC_S_SERVER_UNAVAILABLE");
    QTest::newRow("hex only") << QStringLiteral(R"({"hex": "0x5"})")
                              << QStringLiteral("0x5 ERROR_ACCESS_DENIED (Access is denied.)")
                              << QStringLiteral("0x5 ERROR_ACCESS_DENIED");
    QTest::newRow("success") << QStringLiteral(R"({"code": 0})")
                             << QStringLiteral(
                                    "0x0 ERROR_SUCCESS (The operation completed successfully.)")
                             << QStringLiteral("-");
    QTest::newRow("null") << QStringLiteral("null") << QString() << QStringLiteral("-");
    QTest::newRow("string") << QStringLiteral(R"("0x6BE")") << QString() << QStringLiteral("-");
}

void tst_AgentClient::describeStatus()
{
    QFETCH(QString, status);
    QFETCH(QString, line);
    QFETCH(QString, cell);
    const json value = json::parse(status.toStdString());
    QCOMPARE(QString::fromStdString(AgentClient::describeStatus(value)), line);
    QCOMPARE(QString::fromStdString(AgentClient::shortStatus(value)), cell);
}

void tst_AgentClient::describeErrorShowsCodeNameAndMessage()
{
    QCOMPARE(AgentClient::describeError({0x52D, "too short"}),
             std::string("0x52D ERROR_PASSWORD_RESTRICTION: too short"));
    QCOMPARE(AgentClient::describeError({0, "no profile"}), std::string("no profile"));
}

QTEST_APPLESS_MAIN(tst_AgentClient)
#include "tst_agentclient.moc"
