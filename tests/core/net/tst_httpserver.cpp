// Why these tests exist: the agent's HTTP server faces whatever reaches its port: curl, the
// console, peers, scanners and broken clients. They pin down that requests are decoded right,
// that keep-alive works, that oversize, malformed, silent and stalled clients get a clear error
// or a deadline and cost nothing but their own connection, that a handler may answer later from
// any thread (or never) without leaks, and that stop() really ends everything so an agent can be
// recycled on the same port.

#include "nettest.h"

#include "net/transport.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace hostsec;
using namespace hostsec::net;
using namespace nettest;

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

std::string get(const std::string &target, const std::string &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

/// A server on 127.0.0.1 port 0 whose handler answers "ok <path>" and records every request.
struct EchoServer
{
    explicit EchoServer(const Limits &limits = {}, int threads = 1)
        : io(threads)
        , server(io.io(), limits)
    {
        server.setHttpHandler([this](const HttpRequest &request, Responder respond) {
            requests.put(request);
            respond(HttpResponse::text(200, "ok " + request.path));
        });
        const Status listening = server.listen("127.0.0.1", 0);
        if (!listening)
            qFatal("listen failed: %s", listening.error().message.c_str());
    }

    Mailbox<HttpRequest> requests; // first: outlives the threads that fill it
    IoThread io;
    HttpServer server;
};

} // namespace

class tst_HttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestIsDecodedAndConnectionKeptAlive();
    void headersAndDateAreAdded();
    void expectContinueIsAnswered();
    void oversizeRequestIsRefusedAndServerServesOthers_data();
    void oversizeRequestIsRefusedAndServerServesOthers();
    void malformedRequestGets400_data();
    void malformedRequestGets400();
    void silentClientIsDroppedAtTheDeadline();
    void stalledRequestIsDropped();
    void idleKeepAliveConnectionIsClosed();
    void handlerMayAnswerLaterFromAnotherThread();
    void unansweredRequestGets500WhenResponderIsDropped();
    void abandonedResponderAfterClientLeftIsHarmless();
    void throwingHandlerGets500();
    void stopClosesSessionsAndLetsRunReturn();
    void listenOnBusyPortSaysWhy();
};

void tst_HttpServer::requestIsDecodedAndConnectionKeptAlive()
{
    EchoServer echo;
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.connected());

    QVERIFY(client.send(
        get("/v1/some%20path?after=3&name=a+b%26c&x=%41&flag", "X-Custom-Header: Hello\r\n")));
    const std::string first = client.readResponse();
    QCOMPARE(statusOf(first), 200);
    QCOMPARE(q(bodyOf(first)), QStringLiteral("ok /v1/some path"));

    QVERIFY(echo.requests.waitFor(1));
    const HttpRequest request = echo.requests.at(0);
    QCOMPARE(q(request.method), QStringLiteral("GET"));
    QCOMPARE(q(request.target), QStringLiteral("/v1/some%20path?after=3&name=a+b%26c&x=%41&flag"));
    QCOMPARE(q(request.queryValue("after")), QStringLiteral("3"));
    QCOMPARE(q(request.queryValue("name")), QStringLiteral("a b&c"));
    QCOMPARE(q(request.queryValue("x")), QStringLiteral("A"));
    QVERIFY(request.query.count("flag") == 1);
    QCOMPARE(q(request.queryValue("missing", "fallback")), QStringLiteral("fallback"));
    QCOMPARE(q(request.headers.at("x-custom-header")), QStringLiteral("Hello"));
    QCOMPARE(q(request.header("X-CUSTOM-HEADER")), QStringLiteral("Hello"));
    QVERIFY(request.remote.rfind("127.0.0.1:", 0) == 0);

    // Same connection, a POST with a body: keep-alive works.
    QVERIFY(client.send("POST /v1/echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"));
    const std::string second = client.readResponse();
    QCOMPARE(statusOf(second), 200);
    QVERIFY(echo.requests.waitFor(2));
    QCOMPARE(q(echo.requests.at(1).body), QStringLiteral("hello"));
    QCOMPARE(q(echo.requests.at(1).method), QStringLiteral("POST"));
    QCOMPARE(echo.server.sessionCount(), std::size_t(1));

    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);
}

void tst_HttpServer::headersAndDateAreAdded()
{
    EchoServer echo;
    echo.server.setHttpHandler([](const HttpRequest &, Responder respond) {
        HttpResponse response = HttpResponse::json(201, R"({"a":1})");
        response.headers["X-Reply"] = "yes";
        respond(response);
    });
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(get("/")));
    const std::string response = client.readResponse();
    QCOMPARE(statusOf(response), 201);
    QVERIFY2(response.find("Content-Type: application/json\r\n") != std::string::npos,
             response.c_str());
    QVERIFY(response.find("Content-Length: 7\r\n") != std::string::npos);
    QVERIFY(response.find("X-Reply: yes\r\n") != std::string::npos);
    QVERIFY(response.find("Server: hostsecd\r\n") != std::string::npos);
    QVERIFY(response.find("Date: ") != std::string::npos);
    QVERIFY(response.find(" GMT\r\n") != std::string::npos);
    QCOMPARE(q(bodyOf(response)), QStringLiteral(R"({"a":1})"));
}

void tst_HttpServer::expectContinueIsAnswered()
{
    // curl sends "Expect: 100-continue" before a body over 1 KB and waits for the go-ahead.
    EchoServer echo;
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send("PUT /v1/blob HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
                        "Expect: 100-continue\r\n\r\n"));
    QVERIFY(client.readUntilMarker("HTTP/1.1 100 Continue\r\n\r\n"));
    QVERIFY(client.send("12345"));
    QCOMPARE(statusOf(client.readResponse()), 200);
    QVERIFY(echo.requests.waitFor(1));
    QCOMPARE(q(echo.requests.at(0).body), QStringLiteral("12345"));
}

void tst_HttpServer::oversizeRequestIsRefusedAndServerServesOthers_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<int>("status");

    const std::string bigHeader = "X-Big: " + std::string(4096, 'h') + "\r\n";
    QTest::newRow("header") << q(get("/", bigHeader)) << 431;
    const std::string bigBody(64 * 1024, 'b');
    QTest::newRow("body") << q("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                               std::to_string(bigBody.size()) + "\r\n\r\n" + bigBody)
                          << 413;
    QTest::newRow("announced body") << q("POST /upload HTTP/1.1\r\nHost: test\r\n"
                                         "Content-Length: 100000000\r\n\r\nstart")
                                    << 413;
}

void tst_HttpServer::oversizeRequestIsRefusedAndServerServesOthers()
{
    QFETCH(QString, request);
    QFETCH(int, status);
    Limits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 1024;
    EchoServer echo(limits);

    RawConnection bad = RawConnection::connectTo(echo.server.port());
    bad.send(request.toStdString()); // may fail halfway once the server answered: fine
    std::string response;
    QVERIFY2(bad.readUntilClosed(response), "the server must close after refusing");
    QCOMPARE(statusOf(response), status);
    QVERIFY2(response.find(R"({"error":{"code":)" + std::to_string(status)) != std::string::npos,
             response.c_str());
    QVERIFY(response.find("larger than 1024 bytes") != std::string::npos);
    QCOMPARE(echo.requests.size(), std::size_t(0));

    RawConnection good = RawConnection::connectTo(echo.server.port());
    QVERIFY(good.send(get("/still-here")));
    QCOMPARE(statusOf(good.readResponse()), 200);
}

void tst_HttpServer::malformedRequestGets400_data()
{
    QTest::addColumn<QString>("request");
    QTest::newRow("not http") << QStringLiteral("HELLO THERE\r\n\r\n");
    QTest::newRow("bad version") << QStringLiteral("GET / HTTP/x.y\r\nHost: test\r\n\r\n");
    QTest::newRow("bad content-length")
        << QStringLiteral("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: ten\r\n\r\n");
    QTest::newRow("bad header line") << QStringLiteral("GET / HTTP/1.1\r\nno colon here\r\n\r\n");
}

void tst_HttpServer::malformedRequestGets400()
{
    QFETCH(QString, request);
    EchoServer echo;
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(request.toStdString()));
    std::string response;
    QVERIFY(client.readUntilClosed(response));
    QCOMPARE(statusOf(response), 400);
    QVERIFY2(response.find("malformed HTTP request") != std::string::npos, response.c_str());
    QVERIFY(response.find("application/json") != std::string::npos);
}

void tst_HttpServer::silentClientIsDroppedAtTheDeadline()
{
    EchoServer echo(quickLimits());
    const auto start = Clock::now();
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(1), 10000);
    std::string received;
    QVERIFY(client.readUntilClosed(received, 10s));
    const auto waited = Clock::now() - start;
    QVERIFY2(waited >= 250ms, "dropped before the read deadline");
    QVERIFY(received.empty()); // nobody to answer: just closed
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);
}

void tst_HttpServer::stalledRequestIsDropped()
{
    EchoServer echo(quickLimits());
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send("POST /v1/x HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nonly"));
    std::string received;
    QVERIFY(client.readUntilClosed(received, 10s));
    QCOMPARE(echo.requests.size(), std::size_t(0));
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);

    RawConnection headerOnly = RawConnection::connectTo(echo.server.port());
    QVERIFY(headerOnly.send("GET / HTTP/1.1\r\nHost: te"));
    QVERIFY(headerOnly.readUntilClosed(received, 10s));
}

void tst_HttpServer::idleKeepAliveConnectionIsClosed()
{
    EchoServer echo(quickLimits());
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(get("/one")));
    QCOMPARE(statusOf(client.readResponse()), 200);
    std::string received;
    QVERIFY(client.readUntilClosed(received, 10s));
    QVERIFY(received.empty());
}

void tst_HttpServer::handlerMayAnswerLaterFromAnotherThread()
{
    EchoServer echo({}, 2);
    Mailbox<Responder> responders; // gone before the io_context: a Responder must not outlive it
    echo.server.setHttpHandler(
        [&](const HttpRequest &, Responder respond) { responders.put(std::move(respond)); });

    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(get("/later")));
    QVERIFY(responders.waitFor(1));
    std::thread worker([responder = responders.at(0)] {
        responder(HttpResponse::text(202, "later"));
        responder(HttpResponse::text(500, "second answer is ignored"));
    });
    worker.join();
    const std::string response = client.readResponse();
    QCOMPARE(statusOf(response), 202);
    QCOMPARE(q(bodyOf(response)), QStringLiteral("later"));

    // The connection is still usable afterwards.
    QVERIFY(client.send(get("/again")));
    QVERIFY(responders.waitFor(2));
    responders.at(1)(HttpResponse::text(200, "again"));
    QCOMPARE(q(bodyOf(client.readResponse())), QStringLiteral("again"));
}

void tst_HttpServer::unansweredRequestGets500WhenResponderIsDropped()
{
    EchoServer echo;
    echo.server.setHttpHandler([](const HttpRequest &, Responder) {}); // forgets to answer
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(get("/forgotten")));
    const std::string response = client.readResponse();
    QCOMPARE(statusOf(response), 500);
    QVERIFY(bodyOf(response).find("did not answer") != std::string::npos);
}

void tst_HttpServer::abandonedResponderAfterClientLeftIsHarmless()
{
    // The handler keeps the responder, the client leaves, then the responder is used and
    // dropped: no crash, and the session goes away (LeakSanitizer checks the rest at exit).
    EchoServer echo;
    Mailbox<Responder> responders;
    echo.server.setHttpHandler(
        [&](const HttpRequest &, Responder respond) { responders.put(std::move(respond)); });
    {
        RawConnection client = RawConnection::connectTo(echo.server.port());
        QVERIFY(client.send(get("/slow")));
        QVERIFY(responders.waitFor(1));
        RawConnection second = RawConnection::connectTo(echo.server.port());
        QVERIFY(second.send(get("/slower")));
        QVERIFY(responders.waitFor(2));
    }                                                     // both clients gone
    QCOMPARE(echo.server.sessionCount(), std::size_t(2)); // held by the responders
    std::vector<Responder> held = responders.items();
    held.at(0)(HttpResponse::text(200, "too late"));
    held.clear(); // the second one is dropped unanswered
    responders.clear();
    QTRY_COMPARE_WITH_TIMEOUT(echo.server.sessionCount(), std::size_t(0), 10000);
}

void tst_HttpServer::throwingHandlerGets500()
{
    EchoServer echo;
    echo.server.setHttpHandler(
        [](const HttpRequest &, Responder) { throw std::runtime_error("database is gone"); });
    RawConnection client = RawConnection::connectTo(echo.server.port());
    QVERIFY(client.send(get("/")));
    const std::string response = client.readResponse();
    QCOMPARE(statusOf(response), 500);
    QVERIFY(bodyOf(response).find("database is gone") != std::string::npos);
}

void tst_HttpServer::stopClosesSessionsAndLetsRunReturn()
{
    boost::asio::io_context io;
    auto server = std::make_unique<HttpServer>(io);
    server->setHttpHandler(
        [](const HttpRequest &, Responder respond) { respond(HttpResponse::text(200, "ok")); });
    QVERIFY(server->listen("127.0.0.1", 0));
    const std::uint16_t port = server->port();
    IoRunner runner(io);

    RawConnection idle = RawConnection::connectTo(port);
    RawConnection keptAlive = RawConnection::connectTo(port);
    QVERIFY(keptAlive.send(get("/")));
    QCOMPARE(statusOf(keptAlive.readResponse()), 200);
    QTRY_COMPARE_WITH_TIMEOUT(server->sessionCount(), std::size_t(2), 10000);

    std::thread([&] { server->stop(); }).join(); // from a thread that does not run io
    server->stop();                              // twice is fine

    // The port is free at once: a recycled agent listens on it again.
    {
        boost::asio::io_context other;
        HttpServer again(other);
        const Status relisten = again.listen("127.0.0.1", port);
        QVERIFY2(relisten.ok(), relisten.ok() ? "" : relisten.error().message.c_str());
    }

    std::string received;
    QVERIFY(idle.readUntilClosed(received, 10s));
    QVERIFY(keptAlive.readUntilClosed(received, 10s));
    QTRY_VERIFY_WITH_TIMEOUT(runner.returned(), 10000);
    QCOMPARE(server->sessionCount(), std::size_t(0));
    QVERIFY(!server->listen("127.0.0.1", 0)); // a stopped server stays stopped
    server.reset();
}

void tst_HttpServer::listenOnBusyPortSaysWhy()
{
    EchoServer echo;
    boost::asio::io_context io;
    HttpServer second(io);
    const Status status = second.listen("127.0.0.1", echo.server.port());
    QVERIFY(!status);
    const std::string where = "127.0.0.1:" + std::to_string(echo.server.port());
    QVERIFY2(status.error().message.find(where) != std::string::npos,
             status.error().message.c_str());
    QVERIFY2(status.error().message.find("in use") != std::string::npos,
             status.error().message.c_str());
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
