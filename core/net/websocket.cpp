// WebSocket sessions, both sides: the server's (after an upgrade in server.cpp) and the
// client's (connectWebSocket). The only translation unit that instantiates websocket::stream.

#include "net/asio.h"
#include "net/sessionregistry.h"
#include "net/tls.h"
#include "net/transport.h"
#include "net/websocketsession.h"
#include "net/wire.h"

#include "model/rpcstatus.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <deque>
#include <optional>

namespace hostsec::net {

namespace {

namespace websocket = boost::beast::websocket;
using namespace std::string_literals;
using Internal::describeDuration;

constexpr const char *serverName = "hostsecd";
constexpr const char *clientName = "hostsec";

int rpcCode(std::uint32_t code)
{
    return static_cast<int>(code);
}

/// One WebSocket connection, either side. Public members may be called from any thread and
/// post onto the strand; everything else runs on the strand. Pending I/O holds a
/// shared_ptr to the connection, so no callback can outlive it. One write is outstanding at a
/// time, the rest wait in m_queue. NextLayer is beast::tcp_stream or TlsStream; a TLS client
/// completes the TLS handshake (and checks the server's certificate) before the upgrade.
template <class NextLayer>
class WsConnection final : public WebSocket,
                           public Closable,
                           public std::enable_shared_from_this<WsConnection<NextLayer>>
{
public:
    using Done = std::function<void(Result<std::shared_ptr<WebSocket>>)>;
    using OnOpen = std::function<void(std::shared_ptr<WebSocket>)>;

    WsConnection(NextLayer next, const Limits &limits, WebSocketCallbacks callbacks,
                 std::string remote)
        : m_ws(std::move(next))
        , m_limits(limits)
        , m_callbacks(std::move(callbacks))
        , m_remote(std::move(remote))
        , m_deadline(m_ws.get_executor())
    {}

    ~WsConnection() override
    {
        if (m_registry)
            m_registry->remove(m_id);
    }

    void send(std::string text) override
    {
        post([self = this->shared_from_this(), text = std::move(text)]() mutable {
            self->enqueue(std::move(text));
        });
    }

    void close() override
    {
        post([self = this->shared_from_this()] {
            self->requestClose(websocket::close_code::normal, {});
        });
    }

    bool isOpen() const override { return m_open.load(); }

    std::string remote() const override { return m_remote; }

    /// The server stops: a close with "going away", without sending what is still queued.
    void shutdown() override
    {
        post([self = this->shared_from_this()] {
            if (self->m_phase == Phase::Opening)
                return self->tcpStream().close(); // the handshake fails, quietly
            while (self->m_queue.size() > (self->m_writing ? 1u : 0u))
                self->m_queue.pop_back();
            self->requestClose(websocket::close_code::going_away, "server stopping");
        });
    }

    /// Server side: answers the upgrade request, then runs. On the strand.
    void accept(http::request<http::string_body> request, OnOpen onOpen,
                std::shared_ptr<SessionRegistry> registry)
    {
        m_registry = std::move(registry);
        m_id = m_registry->add(this->weak_from_this());
        if (m_id == 0) { // the server stopped meanwhile
            m_phase = Phase::Finished;
            m_callbacks = {};
            return tcpStream().close();
        }
        m_onOpen = std::move(onOpen);
        m_request = std::move(request);
        tcpStream().expires_never(); // websocket::stream keeps its own deadlines
        configure(m_limits.readTimeout);
        m_ws.set_option(websocket::stream_base::decorator([](websocket::response_type &response) {
            response.set(http::field::server, serverName);
        }));
        m_ws.async_accept(m_request, [self = this->shared_from_this()](beast::error_code ec) {
            self->guarded([&] { self->onAccepted(ec); });
        });
    }

    /// Client side: resolves, connects, upgrades; `done` hears the outcome. Any thread.
    void connect(const Endpoint &to, const std::string &target,
                 std::map<std::string, std::string> headers, Done done, TlsContextPtr tls = {})
    {
        m_tls = std::move(tls);
        m_done = std::move(done);
        m_endpoint = to;
        m_target = target.empty() ? "/" : target;
        m_headers = std::move(headers);
        m_resolver.emplace(m_ws.get_executor());
        post([self = this->shared_from_this()] { self->resolve(); });
    }

private:
    enum class Phase
    {
        Opening,
        Open,
        Finished
    };
    enum class Step
    {
        Resolving,
        Connecting,
        Handshaking
    };

    beast::tcp_stream &tcpStream() { return beast::get_lowest_layer(m_ws); }

    std::string where() const { return "websocket " + m_remote; }

    /// Runs `work` on the strand, catching what it throws.
    template <class Work>
    void post(Work &&work)
    {
        asio::post(m_ws.get_executor(),
                   [self = this->shared_from_this(), work = std::forward<Work>(work)]() mutable {
                       self->guarded(work);
                   });
    }

    /// Runs a step on the strand; an exception ends the connection with an Error.
    template <class Fn>
    void guarded(Fn &&step)
    {
        try {
            step();
        } catch (const std::exception &e) {
            fail("internal error: "s + e.what());
        } catch (...) {
            fail("internal error");
        }
    }

    void fail(const std::string &what)
    {
        try {
            if (m_phase == Phase::Opening)
                return failOpen(Error{rpcCode(rpc::CallFailed), where() + ": " + what});
            finish(Error{rpcCode(rpc::CallFailed), where() + ": " + what});
        } catch (...) {
            m_phase = Phase::Finished;
            m_open = false;
            beast::error_code ignored;
            tcpStream().socket().close(ignored);
        }
    }

    void configure(std::chrono::milliseconds handshakeTimeout)
    {
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = handshakeTimeout;
        // Pings at half the idle time: a peer that answers nothing for idleTimeout is dead.
        timeouts.idle_timeout = m_limits.idleTimeout;
        timeouts.keep_alive_pings = true;
        m_ws.set_option(timeouts);
        m_ws.read_message_max(m_limits.maxMessageBytes);
    }

    // ---- server side

    void onAccepted(beast::error_code ec)
    {
        m_request = {};
        if (ec) // never opened, so no onClose: the user has not seen this socket
            return failOpen(
                Error{rpcCode(rpc::CallFailed), where() + ": upgrade: " + ec.message()});
        open();
        auto onOpen = std::move(m_onOpen);
        m_onOpen = nullptr;
        try {
            if (onOpen)
                onOpen(this->shared_from_this());
        } catch (const std::exception &e) {
            return finish(
                Error{rpcCode(rpc::CallFailed), where() + ": open handler failed: " + e.what()});
        }
        if (m_phase == Phase::Open)
            startRead();
    }

    // ---- client side

    void resolve()
    {
        m_step = Step::Resolving;
        m_deadline.expires_after(m_limits.connectTimeout);
        m_deadline.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
            auto self = weak.lock();
            if (ec || !self || self->m_step != Step::Resolving || !self->m_resolver)
                return;
            self->m_resolveTimedOut = true;
            self->m_resolver->cancel();
        });
        m_resolver->async_resolve(m_endpoint.host, std::to_string(m_endpoint.port),
                                  [self = this->shared_from_this()](
                                      beast::error_code ec, tcp::resolver::results_type results) {
                                      self->guarded([&] { self->onResolved(ec, results); });
                                  });
    }

    void onResolved(beast::error_code ec, const tcp::resolver::results_type &results)
    {
        m_deadline.cancel();
        if (ec)
            return failOpen(
                Error{rpcCode(rpc::ServerUnavailable),
                      "resolve " + m_endpoint.host + ": " +
                          (m_resolveTimedOut
                               ? "no answer within " + describeDuration(m_limits.connectTimeout)
                               : ec.message())});
        m_step = Step::Connecting;
        tcpStream().expires_after(m_limits.connectTimeout);
        tcpStream().async_connect(results, [self = this->shared_from_this()](
                                               beast::error_code connectEc, const tcp::endpoint &) {
            self->guarded([&] { self->onConnected(connectEc); });
        });
    }

    void onConnected(beast::error_code ec)
    {
        if (ec)
            return failOpen(
                Error{rpcCode(rpc::ServerUnavailable),
                      "connect to " + m_remote + ": " +
                          (ec == beast::error::timeout
                               ? "no answer within " + describeDuration(m_limits.connectTimeout)
                               : ec.message())});
        m_step = Step::Handshaking;
        if constexpr (Internal::isTls<NextLayer>)
            tlsHandshake();
        else
            startUpgrade();
    }

    void tlsHandshake()
    {
        if (auto expected = Internal::expectServer(m_ws.next_layer(), m_endpoint.host); !expected)
            return failOpen(Error{rpcCode(rpc::AccessDenied), expected.error().message});
        tcpStream().expires_after(m_limits.connectTimeout);
        m_ws.next_layer().async_handshake(asio::ssl::stream_base::client,
                                          [self = this->shared_from_this()](beast::error_code ec) {
                                              self->guarded([&] { self->onTlsHandshake(ec); });
                                          });
    }

    void onTlsHandshake(beast::error_code ec)
    {
        const std::string what = "TLS handshake with " + m_remote + ": ";
        if (ec == beast::error::timeout)
            return failOpen(
                Error{rpcCode(rpc::Timeout),
                      what + "no answer within " + describeDuration(m_limits.connectTimeout)});
        if (ec && !Internal::isTlsFailure(ec))
            return failOpen(Error{rpcCode(rpc::CallFailedDne), what + ec.message()});
        if (ec)
            return failOpen(Error{rpcCode(rpc::AccessDenied),
                                  what + Internal::tlsFailure(m_ws.next_layer(), ec)});
        if constexpr (Internal::isTls<NextLayer>) {
            const auto identity = Internal::peerIdentity(m_ws.next_layer());
            if (!identity)
                return failOpen(Error{rpcCode(rpc::AccessDenied), what + identity.error().message});
            if (identity->role != pki::Role::Service)
                return failOpen(
                    Error{rpcCode(rpc::AccessDenied),
                          what + "the server's certificate (" + identity->name + ") has role " +
                              std::string(pki::roleName(identity->role)) + ", not service"});
        }
        startUpgrade();
    }

    void startUpgrade()
    {
        tcpStream().expires_never(); // websocket::stream keeps its own deadlines
        configure(m_limits.connectTimeout);
        m_ws.set_option(websocket::stream_base::decorator(
            [headers = m_headers](websocket::request_type &request) {
                request.set(http::field::user_agent, clientName);
                for (const auto &[name, value] : headers)
                    request.set(name, value);
            }));
        m_ws.async_handshake(m_upgradeResponse, m_endpoint.toString(), m_target,
                             [self = this->shared_from_this()](beast::error_code handshakeEc) {
                                 self->guarded([&] { self->onHandshake(handshakeEc); });
                             });
    }

    void onHandshake(beast::error_code ec)
    {
        const std::string upgrade = "websocket upgrade at " + m_remote + m_target;
        if (ec == websocket::error::upgrade_declined) {
            const int status = static_cast<int>(m_upgradeResponse.result_int());
            std::string body = m_upgradeResponse.body();
            if (body.empty())
                body = upgrade + ": refused with HTTP " + std::to_string(status);
            return failOpen(Error{status, std::move(body)});
        }
        if (ec == beast::error::timeout)
            return failOpen(
                Error{rpcCode(rpc::Timeout),
                      upgrade + ": no answer within " + describeDuration(m_limits.connectTimeout)});
        if constexpr (Internal::isTls<NextLayer>) {
            if (Internal::isTlsFailure(ec)) // TLS 1.3: the server's verdict on our certificate
                return failOpen(Error{
                    rpcCode(rpc::AccessDenied),
                    upgrade + ": refused by TLS: " + Internal::tlsFailure(m_ws.next_layer(), ec)});
        }
        if (ec)
            return failOpen(Error{rpcCode(rpc::CallFailed), upgrade + ": " + ec.message()});
        m_upgradeResponse = {};
        m_resolver.reset();
        open();
        auto done = std::move(m_done);
        m_done = nullptr;
        try {
            done(std::shared_ptr<WebSocket>(this->shared_from_this()));
        } catch (const std::exception &e) {
            return finish(
                Error{rpcCode(rpc::CallFailed), where() + ": open handler failed: " + e.what()});
        }
        if (m_phase == Phase::Open)
            startRead();
    }

    /// Gives up before the socket opened: `done` (client) hears why; no onClose.
    void failOpen(Error why)
    {
        m_phase = Phase::Finished;
        m_open = false;
        m_deadline.cancel();
        tcpStream().close();
        if (m_registry)
            m_registry->remove(m_id);
        m_callbacks = {};
        m_onOpen = nullptr;
        auto done = std::move(m_done);
        m_done = nullptr;
        if (done) {
            try {
                done(std::move(why));
            } catch (...) { // the user's; nothing to tell anyone
            }
        }
    }

    // ---- both sides, once open

    void open()
    {
        m_phase = Phase::Open;
        m_open = true;
        m_ws.text(true);
    }

    void startRead()
    {
        m_ws.async_read(m_readBuffer,
                        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                            self->guarded([&] { self->onRead(ec); });
                        });
    }

    void onRead(beast::error_code ec)
    {
        if (m_phase != Phase::Open)
            return;
        if (ec == asio::error::operation_aborted && m_closeStarted)
            return; // our own close handshake took over the reading; onClosed reports
        if (ec)
            return finish(closeReason(ec));
        const std::string message = beast::buffers_to_string(m_readBuffer.data());
        m_readBuffer.consume(m_readBuffer.size());
        try {
            if (m_callbacks.onMessage)
                m_callbacks.onMessage(message);
        } catch (const std::exception &e) {
            return finish(
                Error{rpcCode(rpc::CallFailed), where() + ": message handler failed: " + e.what()});
        } catch (...) {
            return finish(Error{rpcCode(rpc::CallFailed), where() + ": message handler failed"});
        }
        if (m_phase == Phase::Open)
            startRead();
    }

    /// Why the read loop ended, as onClose reports it: code 0 for a close handshake that this
    /// side asked for or that the peer began with "normal"; rpc::CallFailed for anything else.
    Error closeReason(const beast::error_code &ec) const
    {
        if (ec == websocket::error::closed) {
            const websocket::close_reason &reason = m_ws.reason();
            if (m_closeRequested)
                return Error{0, where() + ": closed"};
            if (reason.code == websocket::close_code::normal ||
                reason.code == websocket::close_code::none)
                return Error{0, where() + ": closed by the peer"};
            std::string text =
                where() + ": closed by the peer with code " + std::to_string(reason.code);
            if (!reason.reason.empty())
                text += " (" + std::string(reason.reason.data(), reason.reason.size()) + ")";
            return Error{rpcCode(rpc::CallFailed), text};
        }
        if (ec == websocket::error::message_too_big)
            return Error{rpcCode(rpc::CallFailed), where() + ": a message was larger than " +
                                                       std::to_string(m_limits.maxMessageBytes) +
                                                       " bytes; closed"};
        if (ec == beast::error::timeout)
            return Error{rpcCode(rpc::CallFailed),
                         where() + (m_closeStarted
                                        ? ": the peer did not answer the close"
                                        : ": nothing heard from the peer for " +
                                              describeDuration(m_limits.idleTimeout) +
                                              " (pings unanswered); connection dropped")};
        std::string text = where() + ": connection lost: " + ec.message();
        if (const auto &reason = m_ws.reason(); reason.code != websocket::close_code::none)
            text += " (after the peer closed with code " + std::to_string(reason.code) + ")";
        return Error{rpcCode(rpc::CallFailed), text};
    }

    /// Ends an open connection: closes the socket, reports `why` through onClose (once), then
    /// drops the callbacks, which may hold references to this very socket.
    void finish(Error why)
    {
        if (m_phase == Phase::Finished)
            return;
        if (m_phase == Phase::Opening)
            return failOpen(std::move(why));
        m_phase = Phase::Finished;
        m_open = false;
        while (m_queue.size() > (m_writing ? 1u : 0u)) // the front may be in flight
            m_queue.pop_back();
        m_deadline.cancel();
        tcpStream().close();
        if (m_registry)
            m_registry->remove(m_id);
        auto callbacks = std::move(m_callbacks);
        m_callbacks = {};
        if (callbacks.onClose) {
            try {
                callbacks.onClose(why);
            } catch (...) { // the user's; the socket is closed either way
            }
        }
    }

    void enqueue(std::string text)
    {
        if (m_phase != Phase::Open || m_closeRequested)
            return;
        if (m_queue.size() >= m_limits.maxQueuedMessages)
            return finish(Error{rpcCode(rpc::CallFailed),
                                where() + ": more than " +
                                    std::to_string(m_limits.maxQueuedMessages) +
                                    " messages waiting to be sent; the peer does not read"});
        m_queue.push_back(std::move(text));
        if (!m_writing)
            writeNext();
    }

    void writeNext()
    {
        m_writing = true;
        const std::uint64_t serial = ++m_writeSerial;
        m_deadline.expires_after(m_limits.writeTimeout);
        m_deadline.async_wait([weak = this->weak_from_this(), serial](beast::error_code ec) {
            auto self = weak.lock();
            if (ec || !self)
                return;
            self->guarded([&] { self->onWriteDeadline(serial); });
        });
        m_ws.async_write(asio::buffer(m_queue.front()),
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->guarded([&] { self->onWritten(ec); });
                         });
    }

    void onWriteDeadline(std::uint64_t serial)
    {
        if (m_phase != Phase::Open || !m_writing || serial != m_writeSerial)
            return;
        finish(Error{rpcCode(rpc::CallFailed), where() + ": a message could not be sent within " +
                                                   describeDuration(m_limits.writeTimeout) +
                                                   "; connection dropped"});
    }

    void onWritten(beast::error_code ec)
    {
        m_writing = false;
        m_deadline.cancel();
        if (m_phase != Phase::Open)
            return;
        if (ec == websocket::error::closed) // the peer closed; the read loop reports it
            return;
        if (ec)
            return finish(Error{rpcCode(rpc::CallFailed), where() + ": send: " + ec.message()});
        m_queue.pop_front();
        if (!m_queue.empty())
            return writeNext();
        if (m_closeRequested && !m_closeStarted)
            startClose();
    }

    /// Stops taking messages; the close goes out once the queue is empty.
    void requestClose(websocket::close_code code, const std::string &reason)
    {
        if (m_phase != Phase::Open || m_closeStarted)
            return;
        m_closeRequested = true;
        m_closeReason = websocket::close_reason(code, reason);
        if (!m_writing || code != websocket::close_code::normal)
            startClose(); // a going-away close waits for the frame being written only
    }

    void startClose()
    {
        m_closeStarted = true;
        m_ws.async_close(m_closeReason, [self = this->shared_from_this()](beast::error_code ec) {
            self->guarded([&] { self->onClosed(ec); });
        });
    }

    // Whichever ends first reports: this, or the read loop seeing the peer's close frame.
    void onClosed(beast::error_code ec)
    {
        if (m_phase != Phase::Open)
            return;
        if (!ec)
            return finish(Error{0, where() + ": closed"});
        finish(closeReason(ec));
    }

    websocket::stream<NextLayer, false> m_ws; // no permessage-deflate: less code to compile
    const Limits m_limits;
    WebSocketCallbacks m_callbacks;
    const std::string m_remote;
    asio::steady_timer m_deadline; // resolve, then the write in flight
    std::atomic<bool> m_open{false};
    Phase m_phase = Phase::Opening;

    // server side
    std::shared_ptr<SessionRegistry> m_registry;
    std::uint64_t m_id = 0;
    OnOpen m_onOpen;
    http::request<http::string_body> m_request;

    // client side
    TlsContextPtr m_tls; // keeps the SSL_CTX alive while the connection uses it
    Done m_done;
    Endpoint m_endpoint;
    std::string m_target;
    std::map<std::string, std::string> m_headers;
    std::optional<tcp::resolver> m_resolver;
    websocket::response_type m_upgradeResponse;
    Step m_step = Step::Resolving;
    bool m_resolveTimedOut = false;

    // open
    beast::flat_buffer m_readBuffer;
    std::deque<std::string> m_queue; // front is being written while m_writing
    bool m_writing = false;
    std::uint64_t m_writeSerial = 0;
    bool m_closeRequested = false;
    bool m_closeStarted = false;
    websocket::close_reason m_closeReason;
};

} // namespace

namespace Internal {

template <class Stream>
void acceptWebSocket(Stream stream, http::request<http::string_body> request, ServerUpgrade upgrade)
{
    auto connection = std::make_shared<WsConnection<Stream>>(std::move(stream), upgrade.limits,
                                                             std::move(upgrade.accept.callbacks),
                                                             std::move(upgrade.remote));
    connection->accept(std::move(request), std::move(upgrade.accept.onOpen),
                       std::move(upgrade.registry));
}

template void acceptWebSocket<beast::tcp_stream>(beast::tcp_stream,
                                                 http::request<http::string_body>, ServerUpgrade);
template void acceptWebSocket<TlsStream>(TlsStream, http::request<http::string_body>,
                                         ServerUpgrade);

} // namespace Internal

void connectWebSocket(IoContext &io, const Endpoint &to, const std::string &target,
                      std::map<std::string, std::string> headers, WebSocketCallbacks callbacks,
                      std::function<void(Result<std::shared_ptr<WebSocket>>)> done, Limits limits)
{
    if (const TlsContextPtr &tls = to.tls) {
        auto connection = std::make_shared<WsConnection<TlsStream>>(
            TlsStream(beast::tcp_stream(asio::make_strand(io)), tls->impl().context), limits,
            std::move(callbacks), to.toString());
        return connection->connect(to, target, std::move(headers), std::move(done), tls);
    }
    auto connection = std::make_shared<WsConnection<beast::tcp_stream>>(
        beast::tcp_stream(asio::make_strand(io)), limits, std::move(callbacks), to.toString());
    connection->connect(to, target, std::move(headers), std::move(done));
}

} // namespace hostsec::net
