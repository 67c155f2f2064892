// Why these tests exist: every connection between agents, the console and hostsecctl is mutual
// TLS against the domain's own CA, and the server's roles rest on the identity read from the
// client's certificate. They pin down that the domain's certificates work for HTTP and
// WebSocket both ways, that the identity and role reach the handler, and that everything else
// is refused without reaching a handler while the server keeps serving: a client without a
// certificate, one from another CA, an expired one, a server that is not the host we asked
// for or not a service, and a plain-TCP client (also one that sends nothing at all).

#include "nettest.h"

#include "model/rpcstatus.h"
#include "model/time.h"
#include "net/transport.h"
#include "pki/authority.h"

#include <QTemporaryDir>
#include <QtTest>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <filesystem>

using namespace hostsec;
using namespace hostsec::net;
using namespace nettest;

namespace {

namespace fs = std::filesystem;
using Socket = std::shared_ptr<WebSocket>;

constexpr Millis Day = 24LL * 3600 * 1000;

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

Endpoint at(const std::string &host, std::uint16_t port, TlsContextPtr tls = nullptr)
{
    Endpoint endpoint;
    endpoint.host = host;
    endpoint.port = port;
    endpoint.tls = std::move(tls);
    return endpoint;
}

/// An HTTP server on 127.0.0.1 whose handler answers "<identity> <role>" and counts calls,
/// and whose /v1/echo WebSocket echoes with the caller's identity in front.
struct IdentityServer
{
    IdentityServer(boost::asio::io_context &io, TlsContextPtr tls, const Limits &limits = {})
        : server(io, limits, std::move(tls))
    {
        server.setHttpHandler([this](const HttpRequest &request, Responder respond) {
            ++calls;
            respond(HttpResponse::text(200, request.peerIdentity + " " + request.peerRole));
        });
        server.setWebSocketHandler("/v1/echo", [this](const HttpRequest &request) {
            ++calls;
            auto self = std::make_shared<Socket>();
            WebSocketAccept accept;
            accept.accept = true;
            accept.onOpen = [self](Socket socket) { *self = std::move(socket); };
            accept.callbacks.onMessage = [self, who = request.peerIdentity + " " +
                                                      request.peerRole](const std::string &text) {
                (*self)->send(who + ": " + text);
            };
            accept.callbacks.onClose = [self](const Error &) { self->reset(); };
            return accept;
        });
        const Status listening = server.listen("127.0.0.1", 0);
        if (!listening)
            qFatal("listen failed: %s", listening.error().message.c_str());
    }

    std::uint16_t port() const { return server.port(); }

    HttpServer server;
    std::atomic<int> calls{0};
};

/// GET /v1/status at `to` with `tls` (null: plain TCP).
Result<HttpResponse> get(boost::asio::io_context &io, Endpoint to, TlsContextPtr tls)
{
    to.tls = std::move(tls);
    Mailbox<Result<HttpResponse>> outcome;
    httpRequest(io, to, "GET", "/v1/status", {},
                [&outcome](Result<HttpResponse> result) { outcome.put(std::move(result)); });
    if (!outcome.waitFor(1, 20s))
        return Error{-1, "test: no outcome within 20 s"};
    return outcome.at(0);
}

/// A TLS 1.3 client with OpenSSL alone that trusts `caFile` and presents no certificate:
/// what the transport itself never does. Returns what it read after sending a request.
std::string requestWithoutCertificate(std::uint16_t port, const fs::path &caFile, bool &refused)
{
    refused = false;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, caFile.c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    std::string received;
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0) {
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_connect(ssl) != 1) {
            refused = true;
        } else {
            const std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n";
            SSL_write(ssl, request.data(), static_cast<int>(request.size()));
            char buffer[4096];
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n > 0)
                received.assign(buffer, static_cast<std::size_t>(n));
            else
                refused = true;
        }
        SSL_free(ssl);
    }
    ::close(fd);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return received;
}

} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void httpIsMutuallyAuthenticated();
    void webSocketIsMutuallyAuthenticated();
    void hostNameIsVerifiedAndSent();
    void clientWithoutCertificateIsRefused();
    void clientFromAnotherCaIsRefused();
    void expiredClientIsRefused();
    void serverFromAnotherCaIsRefused();
    void expiredServerIsRefused();
    void wrongHostIsRefused();
    void operatorCannotPoseAsServer();
    void plainClientIsRefused();
    void silentClientIsCutOffByTheHandshakeDeadline();
    void badFilesAreNamed();

private:
    fs::path path(const std::string &name) const
    {
        return fs::path(m_dir->path().toStdString()) / name;
    }
    /// Issues NAME from the CA in `ca` into `out` (made as needed); fatal on failure.
    void issue(const std::string &ca, const pki::IssueRequest &request, const std::string &out);
    /// The context of `name` in `out`, trusting the CA in `ca`.
    TlsContextPtr context(const std::string &ca, const std::string &out, const std::string &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    TlsContextPtr m_server;   // HS1: 127.0.0.1 and localhost
    TlsContextPtr m_operator; // olga, role operator
};

void tst_Tls::issue(const std::string &ca, const pki::IssueRequest &request, const std::string &out)
{
    fs::create_directories(path(out));
    const auto issued = pki::issue(path(ca), request, path(out));
    if (!issued)
        qFatal("issue %s failed: %s", request.name.c_str(), issued.error().message.c_str());
}

TlsContextPtr tst_Tls::context(const std::string &ca, const std::string &out,
                               const std::string &name)
{
    TlsConfig config;
    config.caFile = path(ca) / pki::CaCertFileName;
    config.certFile = path(out) / (name + ".crt");
    config.keyFile = path(out) / (name + ".key");
    auto loaded = TlsContext::load(config);
    if (!loaded)
        qFatal("load %s failed: %s", name.c_str(), loaded.error().message.c_str());
    return *loaded;
}

void tst_Tls::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    for (const char *ca : {"ca", "other-ca"}) {
        const auto made = pki::initCa(path(ca), "HOSTDOM"); // the same name: only keys differ
        QVERIFY2(made, made ? "" : made.error().message.c_str());
    }
    using pki::Role;
    issue("ca", {.name = "HS1", .role = Role::Service, .hosts = {"127.0.0.1", "localhost"}},
          "good");
    issue("ca", {.name = "HS2", .role = Role::Service, .hosts = {"hs2.corp.example"}}, "good");
    issue("ca", {.name = "olga", .role = Role::Operator}, "good");
    issue("ca", {.name = "vic", .role = Role::Viewer}, "good");
    issue("ca",
          {.name = "HS1",
           .role = Role::Service,
           .hosts = {"127.0.0.1"},
           .days = 1,
           .validFrom = nowMillis() - 3 * Day},
          "expired");
    issue("ca",
          {.name = "olga", .role = Role::Operator, .days = 1, .validFrom = nowMillis() - 3 * Day},
          "expired");
    issue("other-ca", {.name = "HS1", .role = Role::Service, .hosts = {"127.0.0.1"}}, "other");
    issue("other-ca", {.name = "olga", .role = Role::Operator}, "other");
    m_server = context("ca", "good", "HS1");
    m_operator = context("ca", "good", "olga");
}

void tst_Tls::httpIsMutuallyAuthenticated()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), m_operator);
    QVERIFY2(answer, answer ? "" : answer.error().message.c_str());
    QCOMPARE(answer->status, 200);
    QCOMPARE(q(answer->body), QStringLiteral("olga operator"));

    const auto viewer = get(io.io(), at("127.0.0.1", server.port()), context("ca", "good", "vic"));
    QVERIFY(viewer);
    QCOMPARE(q(viewer->body), QStringLiteral("vic viewer"));

    // An agent calling a peer presents its service certificate.
    const auto peer = get(io.io(), at("127.0.0.1", server.port()), m_server);
    QVERIFY(peer);
    QCOMPARE(q(peer->body), QStringLiteral("HS1 service"));
}

void tst_Tls::webSocketIsMutuallyAuthenticated()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    Mailbox<std::string> messages;
    Mailbox<Result<Socket>> opened;
    WebSocketCallbacks callbacks;
    callbacks.onMessage = [&messages](const std::string &text) { messages.put(text); };
    callbacks.onClose = [](const Error &) {};
    connectWebSocket(io.io(), at("127.0.0.1", server.port(), m_operator), "/v1/echo", {}, callbacks,
                     [&opened](Result<Socket> socket) { opened.put(std::move(socket)); });
    QVERIFY(opened.waitFor(1));
    auto socket = opened.at(0);
    QVERIFY2(socket, socket ? "" : socket.error().message.c_str());
    (*socket)->send("hello");
    (*socket)->send("again");
    QVERIFY(messages.waitFor(2));
    QCOMPARE(q(messages.at(0)), QStringLiteral("olga operator: hello"));
    QCOMPARE(q(messages.at(1)), QStringLiteral("olga operator: again"));
    (*socket)->close();
}

void tst_Tls::hostNameIsVerifiedAndSent()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    const auto answer = get(io.io(), at("localhost", server.port()), m_operator);
    QVERIFY2(answer, answer ? "" : answer.error().message.c_str());
    QCOMPARE(q(answer->body), QStringLiteral("olga operator"));
}

void tst_Tls::clientWithoutCertificateIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    bool refused = false;
    const std::string received =
        requestWithoutCertificate(server.port(), path("ca") / pki::CaCertFileName, refused);
    QVERIFY(refused);
    QVERIFY2(received.empty(), received.c_str());
    QCOMPARE(server.calls.load(), 0);
    QVERIFY(get(io.io(), at("127.0.0.1", server.port()), m_operator)); // still serving
}

void tst_Tls::clientFromAnotherCaIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    TlsConfig config;
    config.caFile = path("ca") / pki::CaCertFileName; // trusts our server, is not trusted
    config.certFile = path("other") / "olga.crt";
    config.keyFile = path("other") / "olga.key";
    const auto stranger = TlsContext::load(config);
    QVERIFY(stranger);
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), *stranger);
    QVERIFY(!answer);
    QVERIFY2(answer.error().code == int(rpc::AccessDenied) ||
                 answer.error().code == int(rpc::CallFailed) ||
                 answer.error().code == int(rpc::CallFailedDne),
             answer.error().message.c_str());

    // The same over WebSocket.
    Mailbox<Result<Socket>> opened;
    WebSocketCallbacks callbacks;
    connectWebSocket(io.io(), at("127.0.0.1", server.port(), *stranger), "/v1/echo", {}, callbacks,
                     [&opened](Result<Socket> socket) { opened.put(std::move(socket)); });
    QVERIFY(opened.waitFor(1));
    QVERIFY(!opened.at(0));
    QCOMPARE(server.calls.load(), 0);
    QVERIFY(get(io.io(), at("127.0.0.1", server.port()), m_operator));
}

void tst_Tls::expiredClientIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    const auto answer =
        get(io.io(), at("127.0.0.1", server.port()), context("ca", "expired", "olga"));
    QVERIFY(!answer);
    QCOMPARE(server.calls.load(), 0);
}

void tst_Tls::serverFromAnotherCaIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), context("other-ca", "other", "HS1"));
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), m_operator);
    QVERIFY(!answer);
    QCOMPARE(answer.error().code, int(rpc::AccessDenied));
    QVERIFY2(answer.error().message.find("TLS") != std::string::npos,
             answer.error().message.c_str());
    QCOMPARE(server.calls.load(), 0);
}

void tst_Tls::expiredServerIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), context("ca", "expired", "HS1"));
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), m_operator);
    QVERIFY(!answer);
    QCOMPARE(answer.error().code, int(rpc::AccessDenied));
    QVERIFY2(answer.error().message.find("expired") != std::string::npos,
             answer.error().message.c_str());
}

void tst_Tls::wrongHostIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), context("ca", "good", "HS2")); // hs2.corp.example only
    for (const char *host : {"127.0.0.1", "localhost"}) {
        const auto answer = get(io.io(), at(host, server.port()), m_operator);
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, int(rpc::AccessDenied));
    }
    Mailbox<Result<Socket>> opened;
    connectWebSocket(io.io(), at("127.0.0.1", server.port(), m_operator), "/v1/echo", {}, {},
                     [&opened](Result<Socket> socket) { opened.put(std::move(socket)); });
    QVERIFY(opened.waitFor(1));
    QVERIFY(!opened.at(0));
    QCOMPARE(opened.at(0).error().code, int(rpc::AccessDenied));
    QCOMPARE(server.calls.load(), 0);
}

void tst_Tls::operatorCannotPoseAsServer()
{
    IoThread io;
    IdentityServer server(io.io(), m_operator); // no serverAuth, role operator
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), m_server);
    QVERIFY(!answer);
    QCOMPARE(answer.error().code, int(rpc::AccessDenied));
    QCOMPARE(server.calls.load(), 0);
}

void tst_Tls::plainClientIsRefused()
{
    IoThread io;
    IdentityServer server(io.io(), m_server);
    // Our own client without TLS.
    QVERIFY(!get(io.io(), at("127.0.0.1", server.port()), nullptr));
    // A raw one: no HTTP answer, the connection closed.
    RawConnection raw = RawConnection::connectTo(server.port());
    QVERIFY(raw.connected());
    QVERIFY(raw.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string received;
    QVERIFY(raw.readUntilClosed(received, 5s));
    QVERIFY2(received.find("HTTP/1.") == std::string::npos, received.c_str());
    QCOMPARE(server.calls.load(), 0);
    // And the other way round: a TLS client at a plain server.
    HttpServer plain(io.io());
    plain.setHttpHandler(
        [](const HttpRequest &, Responder respond) { respond(HttpResponse::text(200, "plain")); });
    QVERIFY(plain.listen("127.0.0.1", 0));
    QVERIFY(!get(io.io(), at("127.0.0.1", plain.port()), m_operator));
    // The TLS server still serves.
    const auto answer = get(io.io(), at("127.0.0.1", server.port()), m_operator);
    QVERIFY2(answer, answer ? "" : answer.error().message.c_str());
    QCOMPARE(answer->status, 200);
}

void tst_Tls::silentClientIsCutOffByTheHandshakeDeadline()
{
    IoThread io;
    Limits limits;
    limits.handshakeTimeout = 300ms;
    IdentityServer server(io.io(), m_server, limits);
    RawConnection raw = RawConnection::connectTo(server.port());
    QVERIFY(raw.connected());
    const auto start = Clock::now();
    std::string received;
    QVERIFY(raw.readUntilClosed(received, 5s));
    QVERIFY(Clock::now() - start < 3s);
    QTRY_COMPARE(server.server.sessionCount(), std::size_t{0});
}

void tst_Tls::badFilesAreNamed()
{
    TlsConfig config;
    config.caFile = path("ca") / pki::CaCertFileName;
    config.certFile = path("good") / "HS1.crt";
    config.keyFile = path("good") / "missing.key";
    auto loaded = TlsContext::load(config);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.find("missing.key") != std::string::npos,
             loaded.error().message.c_str());

    config.keyFile = path("good") / "olga.key"; // another certificate's key
    loaded = TlsContext::load(config);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.find("does not belong") != std::string::npos,
             loaded.error().message.c_str());

    config.keyFile = path("good") / "HS1.key";
    config.caFile = path("good") / "HS1.key"; // not a certificate
    loaded = TlsContext::load(config);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.find("CA certificate") != std::string::npos,
             loaded.error().message.c_str());
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
