// HttpServer: the acceptor and one HttpSession per connection, each on its own strand.
// Upgrades to WebSocket are handed over to websocket.cpp (see websocketsession.h). With TLS a
// session is an HttpSession<TlsStream> that begins with the handshake; the rest is the same code.

#include "net/asio.h"
#include "net/sessionregistry.h"
#include "net/tls.h"
#include "net/transport.h"
#include "net/websocketsession.h"
#include "net/wire.h"

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <optional>

namespace hostsec::net {

namespace {

using namespace std::string_literals;

constexpr const char *serverName = "hostsecd";

std::string toString(beast::string_view text)
{
    return std::string(text.data(), text.size());
}

std::string endpointText(const tcp::endpoint &endpoint)
{
    const auto address = endpoint.address();
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

/// What the server and its sessions share; lives as long as the last of them.
class ServerShared
{
public:
    explicit ServerShared(const Limits &limits)
        : m_limits(limits)
    {}

    const Limits &limits() const { return m_limits; }
    const std::shared_ptr<SessionRegistry> &registry() const { return m_registry; }

    void setHttpHandler(HttpHandler handler)
    {
        std::lock_guard lock(m_mutex);
        m_httpHandler = std::move(handler);
    }
    void setWebSocketHandler(const std::string &path, WebSocketHandler handler)
    {
        std::lock_guard lock(m_mutex);
        m_webSocketHandlers[path] = std::move(handler);
    }
    /// A copy, so a handler can be replaced while a request runs.
    HttpHandler httpHandler() const
    {
        std::lock_guard lock(m_mutex);
        return m_httpHandler;
    }
    /// The handler registered for exactly `path`, or an empty function.
    WebSocketHandler webSocketHandler(const std::string &path) const
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_webSocketHandlers.find(path);
        return it == m_webSocketHandlers.end() ? WebSocketHandler() : it->second;
    }

private:
    const Limits m_limits;
    const std::shared_ptr<SessionRegistry> m_registry = std::make_shared<SessionRegistry>();
    mutable std::mutex m_mutex;
    HttpHandler m_httpHandler;
    std::map<std::string, WebSocketHandler> m_webSocketHandlers;
};

/// Whether a read failed because the request was malformed (worth a 400), as opposed to cut
/// off, timed out or reset (nobody left to answer).
bool isMalformed(const beast::error_code &ec)
{
    if (ec.category() != http::make_error_code(http::error::bad_target).category())
        return false;
    return ec != http::error::end_of_stream && ec != http::error::partial_message &&
           ec != http::error::need_more && ec != http::error::need_buffer &&
           ec != http::error::buffer_overflow;
}

/// What answering one request needs to know about it.
struct RequestFacts
{
    unsigned version = 11;
    bool keepAlive = false;
    bool head = false;
};

template <class Stream>
class HttpSession;

/// Shared by every copy of one request's Responder: the first call answers and later calls
/// are ignored. If every copy is dropped unanswered, the client gets a 500 instead of silence.
template <class Stream>
class PendingAnswer
{
public:
    PendingAnswer(std::shared_ptr<HttpSession<Stream>> session, RequestFacts facts)
        : m_session(std::move(session))
        , m_facts(facts)
    {}
    PendingAnswer(const PendingAnswer &) = delete;
    PendingAnswer &operator=(const PendingAnswer &) = delete;

    ~PendingAnswer()
    {
        if (m_answered.load())
            return;
        try {
            answer(HttpResponse::json(
                500, Internal::jsonErrorBody(500, "the request handler did not answer")));
        } catch (...) { // nothing may leave a destructor; the session then just closes
        }
    }

    /// Posts the response onto the session's strand; any thread, once.
    void answer(HttpResponse response)
    {
        if (m_answered.exchange(true))
            return;
        m_session->post(
            [session = m_session, response = std::move(response), facts = m_facts]() mutable {
                session->respond(std::move(response), facts);
            });
    }

private:
    const std::shared_ptr<HttpSession<Stream>> m_session;
    const RequestFacts m_facts;
    std::atomic<bool> m_answered{false};
};

/// One HTTP connection: reads a request, hands it to the handler, writes the answer, and again
/// while the client keeps the connection alive. Every member runs on the session's strand.
/// Stream is beast::tcp_stream or TlsStream; the TLS session first completes the handshake
/// (within Limits::handshakeTimeout) and reads who the client is from its certificate. It ends
/// as a plain one does (a TCP half-close, no close_notify): answers carry a Content-Length.
template <class Stream>
class HttpSession final : public Closable, public std::enable_shared_from_this<HttpSession<Stream>>
{
public:
    HttpSession(Stream stream, std::shared_ptr<ServerShared> shared, std::string remote)
        : m_stream(std::move(stream))
        , m_strand(m_stream.get_executor())
        , m_shared(std::move(shared))
        , m_remote(std::move(remote))
    {}

    ~HttpSession() override { m_shared->registry()->remove(m_id); }

    /// Joins the server's session list; false when the server stopped meanwhile.
    bool enroll()
    {
        m_id = m_shared->registry()->add(this->weak_from_this());
        return m_id != 0;
    }

    /// Starts the TLS handshake, or reading the first request.
    void start()
    {
        post([self = this->shared_from_this()] {
            if constexpr (Internal::isTls<Stream>)
                self->handshake();
            else
                self->readRequest();
        });
    }

    void shutdown() override
    {
        post([self = this->shared_from_this()] { self->closeNow(); });
    }

    /// Runs `work` on this session's strand.
    template <class Work>
    void post(Work &&work)
    {
        asio::post(m_strand, [work = std::forward<Work>(work)]() mutable {
            try {
                work();
            } catch (...) { // a handler must not throw into the io_context
            }
        });
    }

    /// Sends the answer to the current request (on the strand, see PendingAnswer).
    void respond(HttpResponse answer, const RequestFacts &facts)
    {
        if (m_closed || m_upgraded)
            return;
        bool closeAfter = !facts.keepAlive;
        Response response;
        try {
            response = makeResponse(answer, facts, closeAfter);
        } catch (const std::exception &e) {
            closeAfter = true;
            response = makeResponse(
                HttpResponse::json(
                    500, Internal::jsonErrorBody(500, "cannot send the response: "s + e.what())),
                facts, closeAfter);
        }
        queueWrite(std::move(response), closeAfter);
    }

private:
    using Response = http::response<http::string_body>;

    struct Outgoing
    {
        Response response;
        bool closeAfter = false;
    };

    beast::tcp_stream &tcpStream() { return beast::get_lowest_layer(m_stream); }

    // A client that fails the handshake (no certificate, another CA's, expired, plain TCP, too
    // slow) is closed without an answer: it cannot read one, and the server goes on serving.
    void handshake()
    {
        tcpStream().expires_after(m_shared->limits().handshakeTimeout);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 [self = this->shared_from_this()](beast::error_code ec) {
                                     self->guarded([&] { self->onHandshake(ec); });
                                 });
    }

    void onHandshake(beast::error_code ec)
    {
        if (ec || m_closed)
            return closeNow();
        if constexpr (Internal::isTls<Stream>) {
            auto identity = Internal::peerIdentity(m_stream);
            if (!identity) // signed by our CA but without a single known role or name
                return closeNow();
            m_peerIdentity = identity->name;
            m_peerRole = std::string(pki::roleName(identity->role));
        }
        readRequest();
    }

    void readRequest()
    {
        if (m_closed)
            return;
        const Limits &limits = m_shared->limits();
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
            limits.maxHeaderBytes, std::numeric_limits<std::uint32_t>::max())));
        m_parser->body_limit(static_cast<std::uint64_t>(limits.maxBodyBytes));
        if (m_requestCount == 0 || m_buffer.size() > 0) {
            tcpStream().expires_after(limits.readTimeout);
            return readWhole();
        }
        // Between keep-alive requests the client may think for idleTimeout; once its next
        // request begins, it has readTimeout to send all of it.
        tcpStream().expires_after(limits.idleTimeout);
        m_stream.async_read_some(m_buffer.prepare(1024), [self = this->shared_from_this()](
                                                             beast::error_code ec, std::size_t n) {
            self->guarded([&] { self->onFirstBytes(ec, n); });
        });
    }

    void onFirstBytes(beast::error_code ec, std::size_t bytes)
    {
        if (ec || m_closed)
            return closeNow();
        m_buffer.commit(bytes);
        tcpStream().expires_after(m_shared->limits().readTimeout);
        readWhole();
    }

    // The header first, then the body: Beast 1.74's eager parse loses the body_limit error
    // of a Content-Length that is too big, and between the two we may owe "100 Continue".
    void readWhole()
    {
        http::async_read_header(
            m_stream, m_buffer, *m_parser,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                self->guarded([&] { self->onHeader(ec); });
            });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec || m_parser->is_done())
            return onRead(ec);
        const auto expect = m_parser->get()[http::field::expect];
        if (beast::iequals(expect, "100-continue")) { // curl waits a second for it otherwise
            static constexpr std::string_view goOn = "HTTP/1.1 100 Continue\r\n\r\n";
            return asio::async_write(
                m_stream, asio::buffer(goOn.data(), goOn.size()),
                [self = this->shared_from_this()](beast::error_code writeEc, std::size_t) {
                    self->guarded([&] {
                        if (writeEc)
                            return self->closeNow();
                        self->readBody();
                    });
                });
        }
        readBody();
    }

    void readBody()
    {
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->guarded([&] { self->onRead(ec); });
                         });
    }

    void onRead(beast::error_code ec)
    {
        if (m_closed)
            return;
        const Limits &limits = m_shared->limits();
        if (ec == http::error::header_limit)
            return refuse(431, "request header larger than " +
                                   std::to_string(limits.maxHeaderBytes) + " bytes");
        if (ec == http::error::body_limit)
            return refuse(413, "request body larger than " + std::to_string(limits.maxBodyBytes) +
                                   " bytes");
        if (isMalformed(ec))
            return refuse(400, "malformed HTTP request: " + ec.message());
        if (ec) // end of stream, deadline, reset: nobody left to answer
            return closeNow();
        ++m_requestCount;
        handleRequest();
    }

    void handleRequest()
    {
        auto &message = m_parser->get();
        HttpRequest request;
        request.method = toString(message.method_string());
        request.target = toString(message.target());
        Internal::splitTarget(request);
        for (const auto &field : message) {
            auto [it, inserted] = request.headers.try_emplace(
                Internal::toLower(toString(field.name_string())), toString(field.value()));
            if (!inserted)
                it->second += ", " + toString(field.value());
        }
        request.remote = m_remote;
        request.peerIdentity = m_peerIdentity;
        request.peerRole = m_peerRole;
        const RequestFacts facts{message.version(), message.keep_alive(),
                                 message.method() == http::verb::head};

        if (beast::websocket::is_upgrade(message)) {
            if (auto handler = m_shared->webSocketHandler(request.path))
                return upgrade(handler, request, facts);
        }
        request.body = std::move(message.body());
        dispatch(request, facts);
    }

    void dispatch(const HttpRequest &request, const RequestFacts &facts)
    {
        auto pending = std::make_shared<PendingAnswer<Stream>>(this->shared_from_this(), facts);
        const Responder responder = [pending](HttpResponse response) {
            pending->answer(std::move(response));
        };
        pending.reset(); // the responder copies alone keep it
        const HttpHandler handler = m_shared->httpHandler();
        if (!handler)
            return responder(HttpResponse::json(
                404, Internal::jsonErrorBody(404, "nothing is served at " + request.path)));
        try {
            handler(request, responder);
        } catch (const std::exception &e) {
            responder(HttpResponse::json(
                500, Internal::jsonErrorBody(500, "the request handler failed: "s + e.what())));
        } catch (...) {
            responder(HttpResponse::json(
                500, Internal::jsonErrorBody(500, "the request handler failed")));
        }
    }

    void upgrade(const WebSocketHandler &handler, const HttpRequest &request,
                 const RequestFacts &facts)
    {
        WebSocketAccept decision;
        try {
            decision = handler(request);
        } catch (const std::exception &e) {
            decision = {};
            decision.refusal = HttpResponse::json(
                500, Internal::jsonErrorBody(500, "the WebSocket handler failed: "s + e.what()));
        }
        if (!decision.accept) {
            if (decision.refusal.status < 300) // a refusal must not read as success
                decision.refusal.status = 403;
            return respond(std::move(decision.refusal), facts);
        }
        m_upgraded = true;
        tcpStream().expires_never();        // the WebSocket stream keeps its own deadlines
        m_shared->registry()->remove(m_id); // the WebSocket session counts from now on
        m_id = 0;
        Internal::acceptWebSocket(std::move(m_stream), m_parser->release(),
                                  Internal::ServerUpgrade{m_shared->limits(), m_shared->registry(),
                                                          std::move(decision), m_remote});
    }

    Response makeResponse(const HttpResponse &answer, const RequestFacts &facts,
                          bool &closeAfter) const
    {
        const int status = answer.status >= 100 && answer.status <= 599 ? answer.status : 500;
        Response response{static_cast<http::status>(status), facts.version};
        response.set(http::field::server, serverName);
        response.set(http::field::date, Internal::httpDate());
        if (!answer.contentType.empty())
            response.set(http::field::content_type, answer.contentType);
        for (const auto &[name, value] : answer.headers) {
            response.set(name, value);
            if (Internal::toLower(name) == "connection" &&
                Internal::toLower(value).find("close") != std::string::npos)
                closeAfter = true;
        }
        response.body() = answer.body;
        response.keep_alive(!closeAfter);
        response.prepare_payload();
        if (facts.head) // Content-Length as for GET, no body
            response.body().clear();
        return response;
    }

    void queueWrite(Response response, bool closeAfter)
    {
        m_queue.push_back(Outgoing{std::move(response), closeAfter});
        if (m_queue.size() == 1)
            writeNext();
    }

    void writeNext()
    {
        tcpStream().expires_after(m_shared->limits().writeTimeout);
        http::async_write(m_stream, m_queue.front().response,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->guarded([&] { self->onWrite(ec); });
                          });
    }

    void onWrite(beast::error_code ec)
    {
        if (m_closed)
            return;
        if (ec)
            return closeNow();
        const bool closeAfter = m_queue.front().closeAfter;
        m_queue.pop_front();
        if (closeAfter)
            return closeGracefully();
        if (!m_queue.empty())
            return writeNext();
        readRequest();
    }

    /// Answers with a JSON error and closes: the input cannot be trusted any more.
    void refuse(int status, const std::string &message)
    {
        RequestFacts facts;
        facts.keepAlive = false;
        respond(HttpResponse::json(status, Internal::jsonErrorBody(status, message)), facts);
    }

    /// Sends FIN, then reads and drops what the client still sends (the rest of an oversize
    /// body), so closing does not reset the connection before the client read our answer.
    void closeGracefully()
    {
        beast::error_code ec;
        tcpStream().socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec)
            return closeNow();
        tcpStream().expires_after(m_shared->limits().readTimeout);
        drain();
    }

    void drain()
    {
        m_buffer.clear();
        m_stream.async_read_some(m_buffer.prepare(4096), [self = this->shared_from_this()](
                                                             beast::error_code ec, std::size_t) {
            self->guarded([&] {
                if (ec || self->m_closed)
                    return self->closeNow();
                self->drain();
            });
        });
    }

    void closeNow()
    {
        if (m_closed)
            return;
        m_closed = true;
        if (m_upgraded) // the stream belongs to the WebSocket session now
            return;
        beast::error_code ignored;
        tcpStream().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcpStream().close();
    }

    /// Runs a completion step; whatever it throws closes the connection instead of escaping.
    template <class Fn>
    void guarded(Fn &&step)
    {
        try {
            step();
        } catch (...) {
            closeNow();
        }
    }

    Stream m_stream;
    const asio::any_io_executor m_strand;
    const std::shared_ptr<ServerShared> m_shared;
    const std::string m_remote;
    std::string m_peerIdentity; // TLS: the client certificate's CN and role, once verified
    std::string m_peerRole;
    std::uint64_t m_id = 0;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::deque<Outgoing> m_queue; // front is being written
    std::uint64_t m_requestCount = 0;
    bool m_closed = false;
    bool m_upgraded = false;
};

} // namespace

/// The acceptor. Its own handlers and stop() meet under m_mutex, so stop() can close it
/// synchronously from any thread (and the port is free again when stop() returns).
struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl>
{
    Impl(IoContext &ioContext, const Limits &limits, TlsContextPtr tlsContext)
        : io(ioContext)
        , tls(std::move(tlsContext))
        , shared(std::make_shared<ServerShared>(limits))
        , acceptor(io)
        , retry(io)
    {}

    Status listen(const std::string &address, std::uint16_t wantedPort)
    {
        const std::string where = address + ":" + std::to_string(wantedPort);
        std::lock_guard lock(mutex);
        if (stopped)
            return Error{ECANCELED, "listen on " + where + ": the server was stopped"};
        if (acceptor.is_open())
            return Error{EISCONN, "listen on " + where + ": already listening on port " +
                                      std::to_string(port.load())};
        beast::error_code ec;
        tcp::endpoint endpoint;
        const auto ip = asio::ip::make_address(address, ec);
        if (!ec) {
            endpoint = tcp::endpoint(ip, wantedPort);
        } else {
            tcp::resolver resolver(io);
            const auto results =
                resolver.resolve(address, std::to_string(wantedPort), tcp::resolver::passive, ec);
            if (ec || results.empty())
                return Error{ec ? ec.value() : EADDRNOTAVAIL,
                             "listen on " + where + ": cannot resolve " + address +
                                 (ec ? ": " + ec.message() : std::string())};
            endpoint = results.begin()->endpoint();
        }
        const auto fail = [&]() -> Status {
            beast::error_code ignored;
            acceptor.close(ignored);
            return Error{ec.value(), "listen on " + where + ": " + ec.message()};
        };
        acceptor.open(endpoint.protocol(), ec);
        if (ec)
            return fail();
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (ec)
            return fail();
        acceptor.bind(endpoint, ec);
        if (ec)
            return fail();
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return fail();
        port = acceptor.local_endpoint(ec).port();
        if (ec)
            return fail();
        accept();
        return {};
    }

    // m_mutex held.
    void accept()
    {
        acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](
                                                         beast::error_code ec, tcp::socket socket) {
            try {
                self->onAccept(ec, std::move(socket));
            } catch (...) { // out of memory: drop this connection, keep the server
            }
        });
    }

    void onAccept(beast::error_code ec, tcp::socket socket)
    {
        {
            std::lock_guard lock(mutex);
            if (stopped || !acceptor.is_open() || ec == asio::error::operation_aborted)
                return;
            if (ec) {
                // Out of descriptors, say: the connection waits in the backlog; try again
                // shortly instead of spinning.
                retry.expires_after(std::chrono::milliseconds(100));
                retry.async_wait([self = shared_from_this()](beast::error_code waitEc) {
                    std::lock_guard relock(self->mutex);
                    if (!waitEc && !self->stopped)
                        self->accept();
                });
                return;
            }
            accept();
        }
        startSession(std::move(socket));
    }

    TlsContextPtr currentTls() const
    {
        std::lock_guard lock(mutex);
        return tls;
    }

    void startSession(tcp::socket socket)
    {
        beast::error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        if (ec) // the client left already
            return;
        if (const TlsContextPtr context = currentTls())
            return run(std::make_shared<HttpSession<TlsStream>>(
                TlsStream(beast::tcp_stream(std::move(socket)), context->impl().context), shared,
                endpointText(peer)));
        run(std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)),
                                                             shared, endpointText(peer)));
    }

    template <class Session>
    static void run(const std::shared_ptr<Session> &session)
    {
        if (!session->enroll()) // stopped meanwhile; the socket closes with the session
            return;
        session->start();
    }

    void stop()
    {
        {
            std::lock_guard lock(mutex);
            stopped = true;
            beast::error_code ignored;
            acceptor.close(ignored);
            retry.cancel();
        }
        for (const auto &session : shared->registry()->stop())
            session->shutdown();
    }

    IoContext &io;
    TlsContextPtr tls; // null: plain TCP; each session keeps the one it began with
    const std::shared_ptr<ServerShared> shared;
    mutable std::mutex mutex; // guards acceptor, retry, stopped and tls
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    bool stopped = false;
    std::atomic<std::uint16_t> port{0};
};

HttpServer::HttpServer(IoContext &io, Limits limits, TlsContextPtr tls)
    : m_impl(std::make_shared<Impl>(io, limits, std::move(tls)))
{}

HttpServer::~HttpServer()
{
    try {
        stop();
    } catch (...) { // a destructor must not throw; the io_context's end frees what is left
    }
}

void HttpServer::setHttpHandler(HttpHandler handler)
{
    m_impl->shared->setHttpHandler(std::move(handler));
}

void HttpServer::setWebSocketHandler(const std::string &path, WebSocketHandler handler)
{
    m_impl->shared->setWebSocketHandler(path, std::move(handler));
}

Status HttpServer::listen(const std::string &address, std::uint16_t port)
{
    return m_impl->listen(address, port);
}

std::uint16_t HttpServer::port() const
{
    return m_impl->port.load();
}

void HttpServer::stop()
{
    m_impl->stop();
}

Status HttpServer::setTls(TlsContextPtr tls)
{
    std::lock_guard lock(m_impl->mutex);
    if (!m_impl->tls || !tls)
        return Error{EINVAL, "a server's TLS can be renewed, not turned on or off while it runs"};
    m_impl->tls = std::move(tls);
    return {};
}

std::size_t HttpServer::sessionCount() const
{
    return m_impl->shared->registry()->size();
}

} // namespace hostsec::net
