// Why these tests exist: bindings decide between "rebind", "retry" and "give up" from the RPC
// status the client reports, exactly as a real RPC runtime would (0x6BA nobody listens, 0x6BE
// the call went out and the connection died, 0x5B4 no answer in time). A wrong code here makes
// the stale-binding detection of the whole product wrong, so each failure is staged with a
// real peer that misbehaves in exactly one way.

#include "nettest.h"

#include "model/rpcstatus.h"
#include "net/transport.h"

#include <QtTest>

using namespace hostsec;
using namespace hostsec::net;
using namespace nettest;

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

/// Runs one httpRequest and waits for its single outcome.
Result<HttpResponse> call(IoThread &io, const Endpoint &to, const std::string &method,
                          const std::string &target, const std::string &body = {},
                          const Limits &limits = {},
                          std::map<std::string, std::string> headers = {})
{
    auto outcomes = std::make_shared<Mailbox<Result<HttpResponse>>>();
    httpRequest(
        io.io(), to, method, target, body,
        [outcomes](Result<HttpResponse> result) { outcomes->put(std::move(result)); }, limits,
        std::move(headers));
    if (!outcomes->waitFor(1, 20s))
        return Error{-1, "test: no outcome within 20 s"};
    return outcomes->at(0);
}

Endpoint local(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.port = port;
    return endpoint;
}

} // namespace

class tst_HttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseEndpoint_data();
    void parseEndpoint();
    void roundTrip();
    void closedPortIsServerUnavailable();
    void peerDroppingAfterRequestIsCallFailed();
    void silentPeerIsTimeout();
    void oversizeResponseIsRefused();
    void peerClosingAtOnceFailsExactlyOnce();
};

void tst_HttpClient::parseEndpoint_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("ipv4") << QStringLiteral("127.0.0.1:4000") << true << QStringLiteral("127.0.0.1")
                          << 4000;
    QTest::newRow("name") << QStringLiteral("hsa-primary:443") << true
                          << QStringLiteral("hsa-primary") << 443;
    QTest::newRow("ipv6") << QStringLiteral("[::1]:80") << true << QStringLiteral("::1") << 80;
    QTest::newRow("no port") << QStringLiteral("host") << false << QString() << 0;
    QTest::newRow("empty port") << QStringLiteral("host:") << false << QString() << 0;
    QTest::newRow("no host") << QStringLiteral(":80") << false << QString() << 0;
    QTest::newRow("port too big") << QStringLiteral("h:65536") << false << QString() << 0;
    QTest::newRow("port not a number") << QStringLiteral("h:8o") << false << QString() << 0;
    QTest::newRow("bare ipv6") << QStringLiteral("::1:80") << false << QString() << 0;
}

void tst_HttpClient::parseEndpoint()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    Endpoint endpoint;
    QCOMPARE(net::parseEndpoint(text.toStdString(), endpoint), ok);
    if (ok) {
        QCOMPARE(q(endpoint.host), host);
        QCOMPARE(int(endpoint.port), port);
    }
}

void tst_HttpClient::roundTrip()
{
    Mailbox<HttpRequest> seen;
    IoThread io;
    HttpServer server(io.io());
    server.setHttpHandler([&](const HttpRequest &request, Responder respond) {
        seen.put(request);
        HttpResponse response = HttpResponse::json(201, request.body);
        response.headers["X-Echo"] = request.header("x-token");
        respond(response);
    });
    QVERIFY(server.listen("127.0.0.1", 0));

    const auto result = call(io, local(server.port()), "POST", "/v1/items?name=a+b", R"({"x":1})",
                             {}, {{"X-Token", "t0k"}});
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(result->status, 201);
    QCOMPARE(q(result->body), QStringLiteral(R"({"x":1})"));
    QCOMPARE(q(result->contentType), QStringLiteral("application/json"));
    QCOMPARE(q(result->headers.at("x-echo")), QStringLiteral("t0k")); // names in lower case
    QVERIFY(seen.waitFor(1));
    QCOMPARE(q(seen.at(0).method), QStringLiteral("POST"));
    QCOMPARE(q(seen.at(0).queryValue("name")), QStringLiteral("a b"));
    QCOMPARE(q(seen.at(0).header("content-type")), QStringLiteral("application/json"));

    const auto again = call(io, local(server.port()), "GET", "/again"); // a new connection
    QVERIFY(again.ok());
    QCOMPARE(again->status, 201);
}

void tst_HttpClient::closedPortIsServerUnavailable()
{
    std::uint16_t port = 0;
    {
        RawListener listener; // take a free port, then free it again
        port = listener.port();
    }
    IoThread io;
    const auto result = call(io, local(port), "GET", "/healthz");
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, static_cast<int>(rpc::ServerUnavailable));
    const std::string expected =
        "connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused";
    QCOMPARE(q(result.error().message), q(expected));
}

void tst_HttpClient::peerDroppingAfterRequestIsCallFailed()
{
    RawListener listener;
    IoThread io;
    auto outcomes = std::make_shared<Mailbox<Result<HttpResponse>>>();
    httpRequest(io.io(), local(listener.port()), "POST", "/v1/rpc", R"({"call":1})",
                [outcomes](Result<HttpResponse> result) { outcomes->put(std::move(result)); });
    {
        RawConnection peer = listener.accept();
        QVERIFY(peer.connected());
        QVERIFY(peer.readUntilMarker(R"({"call":1})")); // the whole request arrived
    }                                                   // and the peer goes away without answering
    QVERIFY(outcomes->waitFor(1));
    const auto result = outcomes->at(0);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, static_cast<int>(rpc::CallFailed));
    QVERIFY2(result.error().message.find("127.0.0.1:" + std::to_string(listener.port())) !=
                 std::string::npos,
             result.error().message.c_str());
}

void tst_HttpClient::silentPeerIsTimeout()
{
    RawListener listener;
    IoThread io;
    auto outcomes = std::make_shared<Mailbox<Result<HttpResponse>>>();
    httpRequest(
        io.io(), local(listener.port()), "GET", "/slow", {},
        [outcomes](Result<HttpResponse> result) { outcomes->put(std::move(result)); },
        quickLimits());
    RawConnection peer = listener.accept();
    QVERIFY(peer.readUntilMarker("\r\n\r\n"));
    QVERIFY(outcomes->waitFor(1)); // the peer is still connected, just silent
    const auto result = outcomes->at(0);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, static_cast<int>(rpc::Timeout));
    QVERIFY2(result.error().message.find("300 ms") != std::string::npos,
             result.error().message.c_str());
}

void tst_HttpClient::oversizeResponseIsRefused()
{
    IoThread io;
    HttpServer server(io.io());
    server.setHttpHandler([](const HttpRequest &, Responder respond) {
        respond(HttpResponse::text(200, std::string(10000, 'x')));
    });
    QVERIFY(server.listen("127.0.0.1", 0));
    Limits limits;
    limits.maxBodyBytes = 1000;
    const auto result = call(io, local(server.port()), "GET", "/big", {}, limits);
    QVERIFY2(!result.ok(), result.ok() ? std::to_string(result->body.size()).c_str() : "");
    QCOMPARE(result.error().code, static_cast<int>(rpc::CallFailed));
    QVERIFY2(result.error().message.find("larger than 1000 bytes") != std::string::npos,
             result.error().message.c_str());
}

void tst_HttpClient::peerClosingAtOnceFailsExactlyOnce()
{
    // A peer that closes the moment it accepted: depending on whether our request left before
    // the close arrived the code is 0x6BF or 0x6BE, never a success or a timeout, and done
    // runs exactly once.
    RawListener listener;
    IoThread io;
    auto outcomes = std::make_shared<Mailbox<Result<HttpResponse>>>();
    httpRequest(io.io(), local(listener.port()), "GET", "/", {},
                [outcomes](Result<HttpResponse> result) { outcomes->put(std::move(result)); });
    {
        RawConnection peer = listener.accept();
        QVERIFY(peer.connected());
    }
    QVERIFY(outcomes->waitFor(1));
    const auto result = outcomes->at(0);
    QVERIFY(!result.ok());
    const int code = result.error().code;
    QVERIFY2(code == static_cast<int>(rpc::CallFailed) ||
                 code == static_cast<int>(rpc::CallFailedDne),
             result.error().message.c_str());
    QVERIFY(!outcomes->waitFor(2, 200ms)); // exactly once
}

QTEST_GUILESS_MAIN(tst_HttpClient)
#include "tst_httpclient.moc"
