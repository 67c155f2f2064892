// Why these tests exist: peer bindings and the console's live view ride on WebSockets, and the
// product's whole point is noticing when a peer goes away. They pin down that messages arrive
// whole and in order, that onClose fires exactly once with 0 for a clean close and 0x6BE when
// the peer is lost or stopped, that a dead or flooding peer is cut off, that an oversize message
// closes only its own socket, and that refusals reach the client with their HTTP status.

#include "nettest.h"

#include "model/rpcstatus.h"
#include "net/transport.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace hostsec;
using namespace hostsec::net;
using namespace nettest;

namespace {

using Socket = std::shared_ptr<WebSocket>;

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

Endpoint local(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.port = port;
    return endpoint;
}

/// What one side of a socket heard.
struct Heard
{
    Mailbox<std::string> messages;
    Mailbox<Error> closes;
};

WebSocketCallbacks record(const std::shared_ptr<Heard> &heard)
{
    WebSocketCallbacks callbacks;
    callbacks.onMessage = [heard](const std::string &message) { heard->messages.put(message); };
    callbacks.onClose = [heard](const Error &why) { heard->closes.put(why); };
    return callbacks;
}

/// Opens a client socket and waits for the outcome.
Result<Socket> open(boost::asio::io_context &io, std::uint16_t port, const std::string &target,
                    const std::shared_ptr<Heard> &heard,
                    std::map<std::string, std::string> headers = {}, const Limits &limits = {})
{
    auto outcome = std::make_shared<Mailbox<Result<Socket>>>();
    connectWebSocket(
        io, local(port), target, std::move(headers), record(heard),
        [outcome](Result<Socket> result) { outcome->put(std::move(result)); }, limits);
    if (!outcome->waitFor(1, 20s))
        return Error{-1, "test: no outcome within 20 s"};
    return outcome->at(0);
}

/// The server side: "/v1/echo" echoes every message, "/v1/refuse" refuses, and any other
/// path is plain HTTP answered with 404.
struct EchoServer
{
    explicit EchoServer(boost::asio::io_context &io, const Limits &limits = {})
        : server(io, limits)
    {
        server.setWebSocketHandler("/v1/echo", [heard = serverSide](const HttpRequest &request) {
            heard->messages.put("upgrade " + request.path + " token=" + request.header("x-token"));
            auto self = std::make_shared<Socket>(); // the echo needs its own socket
            WebSocketAccept accept;
            accept.accept = true;
            accept.onOpen = [self](Socket socket) { *self = std::move(socket); };
            accept.callbacks.onMessage = [self](const std::string &message) {
                (*self)->send(message);
            };
            accept.callbacks.onClose = [self, heard](const Error &why) {
                heard->closes.put(why);
                self->reset();
            };
            return accept;
        });
        server.setWebSocketHandler("/v1/refuse", [](const HttpRequest &) {
            WebSocketAccept refuse;
            refuse.refusal = HttpResponse::json(403, R"({"error":"operators only"})");
            return refuse;
        });
        server.setHttpHandler([](const HttpRequest &request, Responder respond) {
            respond(HttpResponse::text(404, "plain HTTP for " + request.path));
        });
        const Status listening = server.listen("127.0.0.1", 0);
        if (!listening)
            qFatal("listen failed: %s", listening.error().message.c_str());
    }

    std::uint16_t port() const { return server.port(); }

    const std::shared_ptr<Heard> serverSide = std::make_shared<Heard>();
    HttpServer server;
};

std::string rawUpgrade(const std::string &target)
{
    return "GET " + target +
           " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

} // namespace

class tst_WebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void echoRoundTripAndCleanClose();
    void refusedUpgradeCarriesStatusAndBody();
    void upgradeOnUnregisteredPathIsPlainHttp();
    void connectToClosedPortIsServerUnavailable();
    void oversizeMessageClosesOnlyThatSocket();
    void queuedSendsArriveInOrder();
    void sendQueueOverLimitClosesTheSocket();
    void deadPeerIsDetectedByPing();
    void serverStopClosesClientsAndRunReturns();
};

void tst_WebSocket::echoRoundTripAndCleanClose()
{
    auto client = std::make_shared<Heard>();
    std::shared_ptr<Heard> server;
    {
        IoThread io;
        EchoServer echo(io.io());
        server = echo.serverSide;
        auto opened = open(io.io(), echo.port(), "/v1/echo", client, {{"X-Token", "abc"}});
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const Socket socket = *opened;
        QVERIFY(socket->isOpen());
        QCOMPARE(q(socket->remote()), q("127.0.0.1:" + std::to_string(echo.port())));
        QVERIFY(server->messages.waitFor(1));
        QCOMPARE(q(server->messages.at(0)), QStringLiteral("upgrade /v1/echo token=abc"));
        QCOMPARE(echo.server.sessionCount(), std::size_t(1));

        socket->send("hello");
        socket->send(std::string(100000, 'z')); // several frames on the wire, one message
        QVERIFY(client->messages.waitFor(2));
        QCOMPARE(q(client->messages.at(0)), QStringLiteral("hello"));
        QCOMPARE(client->messages.at(1).size(), std::size_t(100000));

        socket->close();
        socket->send("after close: dropped");
        QVERIFY(client->closes.waitFor(1));
        QVERIFY(server->closes.waitFor(1));
        QVERIFY2(client->closes.at(0).code == 0, client->closes.at(0).message.c_str());
        QVERIFY2(server->closes.at(0).code == 0, server->closes.at(0).message.c_str());
        QVERIFY(!socket->isOpen());
        QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);
    }
    // Everything has stopped: each side heard its close exactly once.
    QCOMPARE(client->closes.size(), std::size_t(1));
    QCOMPARE(server->closes.size(), std::size_t(1));
    QCOMPARE(client->messages.size(), std::size_t(2));
}

void tst_WebSocket::refusedUpgradeCarriesStatusAndBody()
{
    IoThread io;
    EchoServer echo(io.io());
    auto client = std::make_shared<Heard>();
    const auto opened = open(io.io(), echo.port(), "/v1/refuse", client);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, 403);
    QCOMPARE(q(opened.error().message), QStringLiteral(R"({"error":"operators only"})"));
    QCOMPARE(client->closes.size(), std::size_t(0)); // never opened, so no onClose
}

void tst_WebSocket::upgradeOnUnregisteredPathIsPlainHttp()
{
    IoThread io;
    EchoServer echo(io.io());
    auto client = std::make_shared<Heard>();
    const auto opened = open(io.io(), echo.port(), "/v1/echo/other?x=1", client);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, 404);
    QCOMPARE(q(opened.error().message), QStringLiteral("plain HTTP for /v1/echo/other"));
}

void tst_WebSocket::connectToClosedPortIsServerUnavailable()
{
    std::uint16_t port = 0;
    {
        RawListener listener;
        port = listener.port();
    }
    IoThread io;
    auto client = std::make_shared<Heard>();
    const auto opened = open(io.io(), port, "/v1/echo", client);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, static_cast<int>(rpc::ServerUnavailable));
    QVERIFY2(opened.error().message.find("Connection refused") != std::string::npos,
             opened.error().message.c_str());
}

void tst_WebSocket::oversizeMessageClosesOnlyThatSocket()
{
    IoThread io;
    Limits limits;
    limits.maxMessageBytes = 1024;
    EchoServer echo(io.io(), limits);
    auto big = std::make_shared<Heard>();
    auto small = std::make_shared<Heard>();
    const auto bigSocket = open(io.io(), echo.port(), "/v1/echo", big);
    const auto smallSocket = open(io.io(), echo.port(), "/v1/echo", small);
    QVERIFY(bigSocket.ok() && smallSocket.ok());

    (*bigSocket)->send(std::string(4096, 'x'));
    QVERIFY(big->closes.waitFor(1));
    QVERIFY2(big->closes.at(0).code == static_cast<int>(rpc::CallFailed),
             big->closes.at(0).message.c_str());
    QVERIFY(echo.serverSide->closes.waitFor(1));
    QVERIFY2(echo.serverSide->closes.at(0).code == static_cast<int>(rpc::CallFailed),
             echo.serverSide->closes.at(0).message.c_str());
    QVERIFY2(echo.serverSide->closes.at(0).message.find("larger than 1024 bytes") !=
                 std::string::npos,
             echo.serverSide->closes.at(0).message.c_str());

    (*smallSocket)->send("still here");
    QVERIFY(small->messages.waitFor(1));
    QCOMPARE(q(small->messages.at(0)), QStringLiteral("still here"));
    QVERIFY((*smallSocket)->isOpen());
    QCOMPARE(echo.server.sessionCount(), std::size_t(1));
}

void tst_WebSocket::queuedSendsArriveInOrder()
{
    IoThread io(2); // two threads: the strand, not luck, keeps the order
    EchoServer echo(io.io());
    auto client = std::make_shared<Heard>();
    const auto opened = open(io.io(), echo.port(), "/v1/echo", client);
    QVERIFY(opened.ok());
    constexpr int count = 1000;
    for (int i = 0; i < count; ++i)
        (*opened)->send(std::to_string(i));
    QVERIFY(client->messages.waitFor(count, 60s));
    const auto messages = client->messages.items();
    for (int i = 0; i < count; ++i)
        QCOMPARE(q(messages.at(static_cast<std::size_t>(i))), q(std::to_string(i)));
    QCOMPARE(client->closes.size(), std::size_t(0));
}

void tst_WebSocket::sendQueueOverLimitClosesTheSocket()
{
    IoThread io;
    Limits limits;
    limits.maxQueuedMessages = 8;
    HttpServer server(io.io(), limits);
    auto serverSide = std::make_shared<Heard>();
    server.setWebSocketHandler("/v1/flood", [serverSide](const HttpRequest &) {
        WebSocketAccept accept;
        accept.accept = true;
        accept.onOpen = [](const Socket &socket) {
            for (int i = 0; i < 100; ++i) // far more than 8 before the first write completes
                socket->send(std::string(1000, 'f'));
        };
        accept.callbacks = record(serverSide);
        return accept;
    });
    QVERIFY(server.listen("127.0.0.1", 0));
    auto client = std::make_shared<Heard>();
    const auto opened = open(io.io(), server.port(), "/v1/flood", client);
    QVERIFY(opened.ok());
    QVERIFY(serverSide->closes.waitFor(1));
    QVERIFY2(serverSide->closes.at(0).code == static_cast<int>(rpc::CallFailed),
             serverSide->closes.at(0).message.c_str());
    QVERIFY2(serverSide->closes.at(0).message.find("more than 8 messages") != std::string::npos,
             serverSide->closes.at(0).message.c_str());
    QVERIFY(client->closes.waitFor(1));
    QVERIFY2(client->closes.at(0).code == static_cast<int>(rpc::CallFailed),
             client->closes.at(0).message.c_str());
}

void tst_WebSocket::deadPeerIsDetectedByPing()
{
    // A raw client completes the upgrade, then never reads nor answers a ping again: the
    // server's keep-alive ping goes unanswered and the idle deadline drops the connection.
    IoThread io;
    EchoServer echo(io.io(), quickLimits());
    RawConnection peer = RawConnection::connectTo(echo.port());
    QVERIFY(peer.send(rawUpgrade("/v1/echo")));
    QVERIFY(peer.readUntilMarker("\r\n\r\n"));
    QVERIFY(echo.serverSide->closes.waitFor(1));
    const Error why = echo.serverSide->closes.at(0);
    QCOMPARE(why.code, static_cast<int>(rpc::CallFailed));
    QVERIFY2(why.message.find("nothing heard") != std::string::npos, why.message.c_str());
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);
}

void tst_WebSocket::serverStopClosesClientsAndRunReturns()
{
    boost::asio::io_context io;
    auto first = std::make_shared<Heard>();
    auto second = std::make_shared<Heard>();
    auto echo = std::make_unique<EchoServer>(io);
    IoRunner runner(io);
    auto a = open(io, echo->port(), "/v1/echo", first);
    auto b = open(io, echo->port(), "/v1/echo", second);
    QVERIFY(a.ok() && b.ok());
    QTRY_COMPARE_WITH_TIMEOUT(echo->server.sessionCount(), std::size_t(2), 10000);

    echo->server.stop();
    QVERIFY(first->closes.waitFor(1));
    QVERIFY(second->closes.waitFor(1));
    for (const auto &heard : {first, second}) {
        const Error why = heard->closes.at(0);
        QCOMPARE(why.code, static_cast<int>(rpc::CallFailed)); // the peer went away
        QVERIFY2(why.message.find("1001") != std::string::npos, why.message.c_str());
    }
    QVERIFY(echo->serverSide->closes.waitFor(2));
    QVERIFY2(
        echo->serverSide->closes.at(0).code == 0,
        echo->serverSide->closes.at(0).message.c_str()); // for the server, its own close is clean
    QVERIFY(!(*a)->isOpen());
    QTRY_VERIFY_WITH_TIMEOUT(runner.returned(), 10000); // nothing left to run
    QCOMPARE(echo->server.sessionCount(), std::size_t(0));
    echo.reset();
}

QTEST_GUILESS_MAIN(tst_WebSocket)
#include "tst_websocket.moc"
