#pragma once

// The network transport the agent, hostsecctl and the console share: an HTTP server that also
// upgrades to WebSocket, an HTTP client and a WebSocket client. Boost.Beast stays out of this
// header: the implementation lives in core/net/*.cpp behind pimpl.

#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace hostsec::net {

using IoContext = boost::asio::io_context;
using namespace std::chrono_literals;

/// Size limits and deadlines. Every read and write has one; nothing waits forever.
struct Limits
{
    std::size_t maxHeaderBytes = 16 * 1024;
    std::size_t maxBodyBytes = 4 * 1024 * 1024;
    std::size_t maxMessageBytes = 1024 * 1024;     // one WebSocket message
    std::chrono::milliseconds readTimeout = 10s;   // a request must arrive whole within this
    std::chrono::milliseconds writeTimeout = 10s;  // a response or message must leave within this
    std::chrono::milliseconds idleTimeout = 60s;   // an idle keep-alive connection is closed
    std::chrono::milliseconds connectTimeout = 5s; // client side: TCP connect + handshakes
    std::chrono::milliseconds handshakeTimeout = 10s; // server side: the TLS handshake
    std::size_t maxQueuedMessages = 10000; // WebSocket send queue; beyond it the socket closes
};

/// The PEM files of one side of mutual TLS: the domain CA's certificate (the only one trusted),
/// this side's certificate and its private key (see core/pki and docs/security.md).
struct TlsConfig
{
    std::filesystem::path caFile;
    std::filesystem::path certFile;
    std::filesystem::path keyFile;
};

/// A loaded TLS configuration (an OpenSSL context behind pimpl), shared by a server and any
/// number of clients on any thread: TLS 1.3 only, the peer's certificate required and verified
/// against the CA (a server refuses a client without one), our certificate and key presented.
class TlsContext
{
public:
    /// Loads the three files; the Error names the file that is missing, unreadable or wrong
    /// (a key that does not match the certificate, a PEM that is not one).
    static Result<std::shared_ptr<const TlsContext>> load(const TlsConfig &config);

    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    const TlsConfig &config() const { return m_config; }

    struct Impl; // private to core/net (net/tls.h)
    Impl &impl() const { return *m_impl; }

private:
    TlsContext(TlsConfig config, std::unique_ptr<Impl> impl);

    TlsConfig m_config;
    std::unique_ptr<Impl> m_impl;
};

/// Null means plain TCP: kept for the in-process fuzz target, benches and unit tests only.
using TlsContextPtr = std::shared_ptr<const TlsContext>;

/// Where a peer listens, and how to reach it: with TLS (the client's TlsContext) or, when tls
/// is null, plain TCP. host is also what the server's certificate must name.
struct Endpoint
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    TlsContextPtr tls; // null: plain TCP

    std::string toString() const { return host + ":" + std::to_string(port); }
};

/// Parses "host:port" into out.host and out.port (out.tls stays); false when it is not one.
bool parseEndpoint(const std::string &text, Endpoint &out);

/// An HTTP request as the server received it, decoded.
struct HttpRequest
{
    std::string method;                         // "GET"
    std::string target;                         // "/v1/events?after=3&limit=10", raw
    std::string path;                           // "/v1/events", percent-decoded
    std::map<std::string, std::string> query;   // {"after":"3","limit":"10"}, decoded
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    std::string remote;       // "127.0.0.1:51234"
    std::string peerIdentity; // TLS client certificate subject CN; empty on plain TCP
    std::string peerRole;     // role carried by the client certificate (pki::roleName); empty
                              // on plain TCP

    /// The header's value, or "" (name in any case).
    std::string header(const std::string &name) const;
    /// The query parameter's value, or `fallback`.
    std::string queryValue(const std::string &name, const std::string &fallback = {}) const;
};

/// An HTTP response. Content-Length, Date and Server are added by the transport.
struct HttpResponse
{
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;

    static HttpResponse json(int status, std::string body);
    static HttpResponse text(int status, std::string body);
};

/// Sends the response for one request. Call it exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
/// Handles one HTTP request; may answer at once or later through the responder.
using HttpHandler = std::function<void(const HttpRequest &, Responder)>;

/// One open WebSocket connection, either side. Text messages only. Thread-safe.
class WebSocket
{
public:
    virtual ~WebSocket() = default;
    /// Queues a text message; one write is outstanding at a time, the rest wait in order.
    /// Past Limits::maxQueuedMessages the connection is closed (a peer that does not read).
    virtual void send(std::string text) = 0;
    /// Starts a clean close; onClose follows.
    virtual void close() = 0;
    virtual bool isOpen() const = 0;
    virtual std::string remote() const = 0;
};

/// What a WebSocket user hears. Both run on the transport's I/O thread; onClose exactly once.
struct WebSocketCallbacks
{
    std::function<void(const std::string &message)> onMessage;
    std::function<void(const Error &why)> onClose; // why.code: rpc::CallFailed when dropped
};

/// The server's answer to an upgrade request: refuse it with a response, or accept it.
struct WebSocketAccept
{
    bool accept = false;
    HttpResponse refusal;                                   // sent when !accept
    std::function<void(std::shared_ptr<WebSocket>)> onOpen; // after the upgrade succeeded
    WebSocketCallbacks callbacks;
};
using WebSocketHandler = std::function<WebSocketAccept(const HttpRequest &)>;

/// An HTTP/1.1 server on one port that also accepts WebSocket upgrades on chosen paths.
/// One session per connection on its own strand; malformed or oversize input gets a 400/413
/// and closes only that connection. With a TlsContext every connection must complete a mutual
/// TLS handshake within Limits::handshakeTimeout, or it is closed (a plain-TCP client too), and
/// each request carries the client certificate's identity and role.
class HttpServer
{
public:
    explicit HttpServer(IoContext &io, Limits limits = {}, TlsContextPtr tls = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    void setHttpHandler(HttpHandler handler);
    void setWebSocketHandler(const std::string &path, WebSocketHandler handler);

    /// Binds and starts accepting. Port 0 picks a free port (see port()).
    Status listen(const std::string &address, std::uint16_t port);
    std::uint16_t port() const;
    /// Closes the acceptor and every open session. Safe to call twice.
    void stop();
    std::size_t sessionCount() const;
    /// Serves the connections accepted from now on with `tls` (a renewed certificate, a new CA);
    /// open ones keep the context they began with. A server made without TLS stays without,
    /// and one made with it cannot drop it: either is refused. Safe from any thread.
    Status setTls(TlsContextPtr tls);

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

/// Client-side errors use RPC status codes: rpc::ServerUnavailable (0x6BA) when nothing
/// listens or the connection is refused, rpc::CallFailed (0x6BE) when the connection drops
/// after the request was sent, rpc::CallFailedDne (0x6BF) when it dropped before, rpc::Timeout
/// (0x5B4) when a deadline passed, rpc::AccessDenied (0x5) when the TLS handshake failed (the
/// server's certificate is not from our CA, not for the host we connected to, not a service's,
/// or the server refused ours).
///
/// With `to.tls` the client presents its certificate, requires the server's to be valid for
/// `to.host` (a DNS name, sent as SNI too, or an IP address) and to carry role service.

/// Sends one HTTP request and hands back the response (any status) or an Error.
/// `done` runs on the I/O thread, exactly once.
void httpRequest(IoContext &io, const Endpoint &to, const std::string &method,
                 const std::string &target, const std::string &body,
                 std::function<void(Result<HttpResponse>)> done, Limits limits = {},
                 std::map<std::string, std::string> headers = {});

/// Opens a WebSocket to `to` at `target`. `done` gets the socket or an Error (a refused
/// upgrade's Error carries the HTTP status in code and the response body in message).
void connectWebSocket(IoContext &io, const Endpoint &to, const std::string &target,
                      std::map<std::string, std::string> headers, WebSocketCallbacks callbacks,
                      std::function<void(Result<std::shared_ptr<WebSocket>>)> done,
                      Limits limits = {});

} // namespace hostsec::net
