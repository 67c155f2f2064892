// Why: an agent faces the network. Malformed JSON, an unknown method, an oversize body or
// message, a client that sends nothing or stops mid-frame, a half-open connection and a
// binding handshake with the wrong interface must each get a clear error or a deadline, and the
// agent must keep serving everyone else. A real hostsecd process is the thing under test.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "client/agentclient.h"
#include "net/transport.h"

#include <boost/asio/io_context.hpp>

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>

#include <chrono>

using namespace hostsec;
using nlohmann::json;
using namespace std::chrono_literals;

class tst_AgentInput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_agent;
    quint16 m_port = 0;

    client::AgentClient api() { return client::AgentClient({"127.0.0.1", m_port}, 5s); }

    bool healthy() { return api().health().ok(); }

    // Sends raw bytes and returns what the agent answers before it closes (or the deadline).
    QByteArray raw(const QByteArray &bytes, int waitMs = 3000)
    {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        if (!s.waitForConnected(2000))
            return "no connection";
        s.write(bytes);
        s.waitForBytesWritten(1000);
        QByteArray answer;
        QDeadlineTimer deadline(waitMs);
        while (!deadline.hasExpired()) {
            if (s.bytesAvailable() > 0 || s.waitForReadyRead(100))
                answer += s.readAll();
            if (s.state() != QAbstractSocket::ConnectedState)
                break;
            if (answer.contains("\r\n\r\n") && answer.endsWith("}"))
                break;
        }
        return answer + s.readAll();
    }

    QByteArray post(const QByteArray &path, const QByteArray &body)
    {
        return raw("POST " + path +
                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: " +
                   QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
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
        config.write(QStringLiteral("[server]\nname = \"HOST1\"\nlisten = \"127.0.0.1:%1\"\n"
                                    "[services]\nhost = true\n[demo]\nusers = 3\n"
                                    "[tls]\nplaintext = true\n")
                         .arg(m_port)
                         .toUtf8());
        config.close();
        const QString bin =
            qEnvironmentVariable("HOSTSEC_BIN_DIR", QCoreApplication::applicationDirPath());
        m_agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_agent.setWorkingDirectory(m_dir.path());
        m_agent.start(bin + QStringLiteral("/hostsecd"),
                      {QStringLiteral("--config"), config.fileName()});
        QVERIFY(m_agent.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(healthy(), 20000);
    }

    void cleanupTestCase()
    {
        m_agent.terminate();
        QVERIFY(m_agent.waitForFinished(10000));
        QCOMPARE(m_agent.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_agent.exitCode(), 0);
    }

    void malformedJsonIsRefusedClearly()
    {
        const QByteArray answer = post("/v1/host/logon", "{\"host_account\": ");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
        QVERIFY2(answer.contains("not a JSON object"), answer.constData());
        QVERIFY(healthy());
    }

    void missingFieldIsNamed()
    {
        const QByteArray answer = post("/v1/host/logon", "{\"host_account\": \"USER0001\"}");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
        QVERIFY2(answer.contains("password: expected a non-empty string"), answer.constData());
    }

    void unknownPathAndMethod()
    {
        QVERIFY(raw("GET /v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 404"));
        QVERIFY(raw("DELETE /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 405"));
    }

    void oversizeBodyIsRefused()
    {
        const QByteArray head =
            "POST /v1/host/logon HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n";
        const QByteArray answer = raw(head + QByteArray(1000, 'x'));
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QVERIFY(healthy());
    }

    void silentClientIsDroppedAndOthersAreServed()
    {
        QTcpSocket silent;
        silent.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(silent.waitForConnected(2000));
        QTcpSocket midway;
        midway.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(midway.waitForConnected(2000));
        midway.write("POST /v1/host/logon HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ho");
        QVERIFY(midway.waitForBytesWritten(1000));
        // Others are served while both hang.
        QVERIFY(healthy());
        QVERIFY(api().get("/v1/status").ok());
        // The read deadline (10 s) drops both.
        QTRY_VERIFY_WITH_TIMEOUT(
            silent.state() == QAbstractSocket::UnconnectedState ||
                (silent.waitForReadyRead(50), silent.state() != QAbstractSocket::ConnectedState),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            (midway.waitForReadyRead(50), midway.state() != QAbstractSocket::ConnectedState),
            20000);
    }

    void halfOpenConnectionDoesNotStick()
    {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(s.waitForConnected(2000));
        s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(s.waitForBytesWritten(1000));
        // Half-close: our write side ends, our read side stays open.
        QCOMPARE(::shutdown(static_cast<int>(s.socketDescriptor()), SHUT_WR), 0);
        QByteArray answer;
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() && s.state() == QAbstractSocket::ConnectedState) {
            if (s.waitForReadyRead(100))
                answer += s.readAll();
        }
        answer += s.readAll();
        // The agent answers the request, then sees the end of input and closes its side too.
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY2(s.state() != QAbstractSocket::ConnectedState, "the half-open connection stuck");
        QVERIFY(healthy());
    }

    void wrongInterfaceInHandshakeIsRefused()
    {
        // The binding handshake over the RPC WebSocket, asking for an interface HOST1 lacks.
        boost::asio::io_context io;
        std::optional<Result<json>> answer;
        bool closed = false;
        std::shared_ptr<net::WebSocket> socket;
        net::WebSocketCallbacks callbacks;
        callbacks.onMessage = [&](const std::string &text) {
            auto j = json::parse(text, nullptr, false);
            answer = j.contains("error")
                         ? Result<json>(Error{j["error"]["code"].get<int>(), j["error"]["message"]})
                         : Result<json>(j["result"]);
        };
        callbacks.onClose = [&](const Error &) { closed = true; };
        net::connectWebSocket(io, {"127.0.0.1", m_port}, "/v1/rpc", {}, callbacks,
                              [&](Result<std::shared_ptr<net::WebSocket>> s) {
                                  QVERIFY(s.ok());
                                  socket = *s;
                                  socket->send(
                                      R"({"jsonrpc":"2.0","id":1,"method":"bind","params":)"
                                      R"({"interface":"00000000-0000-0000-0000-000000000000",)"
                                      R"("service":"host-account-sync"}})");
                              });
        const auto end = std::chrono::steady_clock::now() + 10s;
        while (!(answer && closed) && std::chrono::steady_clock::now() < end)
            io.run_for(50ms);
        QVERIFY(answer.has_value());
        QVERIFY(!answer->ok());
        QCOMPARE(answer->error().code, 0x6B5);
        QVERIFY(answer->error().message.find("is not served by HOST1") != std::string::npos);
        QVERIFY2(closed, "the refused binding's socket was not closed");
        QVERIFY(healthy());
    }

    void callBeforeBindAndUnknownMethod()
    {
        boost::asio::io_context io;
        std::vector<json> answers;
        std::shared_ptr<net::WebSocket> socket;
        net::WebSocketCallbacks callbacks;
        callbacks.onMessage = [&](const std::string &text) {
            answers.push_back(json::parse(text, nullptr, false));
        };
        callbacks.onClose = [](const Error &) {};
        net::connectWebSocket(io, {"127.0.0.1", m_port}, "/v1/rpc", {}, callbacks,
                              [&](Result<std::shared_ptr<net::WebSocket>> s) {
                                  QVERIFY(s.ok());
                                  socket = *s;
                                  socket->send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
                              });
        const auto end = std::chrono::steady_clock::now() + 10s;
        while (answers.empty() && std::chrono::steady_clock::now() < end)
            io.run_for(50ms);
        QCOMPARE(answers.size(), std::size_t{1});
        QCOMPARE(answers[0]["error"]["code"].get<int>(), 0x6A6);
        if (socket)
            socket->close();
        io.run_for(200ms);
    }

    void malformedRpcMessageClosesOnlyThatSocket()
    {
        boost::asio::io_context io;
        std::vector<json> answers;
        bool closed = false;
        net::WebSocketCallbacks callbacks;
        callbacks.onMessage = [&](const std::string &text) {
            answers.push_back(json::parse(text, nullptr, false));
        };
        callbacks.onClose = [&](const Error &) { closed = true; };
        std::shared_ptr<net::WebSocket> socket;
        net::connectWebSocket(io, {"127.0.0.1", m_port}, "/v1/rpc", {}, callbacks,
                              [&](Result<std::shared_ptr<net::WebSocket>> s) {
                                  QVERIFY(s.ok());
                                  socket = *s;
                                  socket->send("{not json");
                              });
        const auto end = std::chrono::steady_clock::now() + 10s;
        while (!closed && std::chrono::steady_clock::now() < end)
            io.run_for(50ms);
        QVERIFY(closed);
        QCOMPARE(answers.size(), std::size_t{1});
        QCOMPARE(answers[0]["error"]["code"].get<int>(), 0x6F7);
        QVERIFY(healthy());
    }
};

QTEST_GUILESS_MAIN(tst_AgentInput)
#include "tst_agentinput.moc"
