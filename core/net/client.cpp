// httpRequest: one HTTP request on a connection of its own, with RPC status codes for every
// way it can fail (see transport.h).

#include "net/asio.h"
#include "net/tls.h"
#include "net/transport.h"
#include "net/wire.h"

#include "model/rpcstatus.h"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <limits>

namespace hostsec::net {

namespace {

using namespace std::string_literals;
using Internal::describeDuration;

constexpr const char *clientName = "hostsec";

int rpcCode(std::uint32_t code)
{
    return static_cast<int>(code);
}

std::string toString(beast::string_view text)
{
    return std::string(text.data(), text.size());
}

/// One request in flight. Every step runs on the call's strand; pending I/O holds a shared_ptr
/// to the call, so `done` runs exactly once and never after the call is gone. Stream is
/// beast::tcp_stream or TlsStream (a TLS handshake, checking the server, before the request).
template <class Stream>
class HttpCall : public std::enable_shared_from_this<HttpCall<Stream>>
{
public:
    using Done = std::function<void(Result<HttpResponse>)>;

    HttpCall(Stream stream, const Endpoint &to, const Limits &limits, Done done, TlsContextPtr tls)
        : m_to(to)
        , m_where(to.toString())
        , m_limits(limits)
        , m_done(std::move(done))
        , m_tls(std::move(tls))
        , m_stream(std::move(stream))
        , m_resolver(m_stream.get_executor())
        , m_deadline(m_stream.get_executor())
    {}

    /// Builds the request; throws std::exception when it cannot be built.
    void prepare(const std::string &method, const std::string &target, const std::string &body,
                 const std::map<std::string, std::string> &headers)
    {
        const auto verb = http::string_to_verb(method);
        if (verb == http::verb::unknown)
            m_request.method_string(method);
        else
            m_request.method(verb);
        m_request.target(target.empty() ? "/" : target);
        m_request.version(11);
        m_request.set(http::field::host, m_where);
        m_request.set(http::field::user_agent, clientName);
        if (!body.empty())
            m_request.set(http::field::content_type, "application/json");
        for (const auto &[name, value] : headers)
            m_request.set(name, value);
        m_request.keep_alive(false); // a connection per request
        m_request.body() = body;
        m_request.prepare_payload();

        m_parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
            m_limits.maxHeaderBytes, std::numeric_limits<std::uint32_t>::max())));
        m_parser.body_limit(static_cast<std::uint64_t>(m_limits.maxBodyBytes));
        if (verb == http::verb::head)
            m_parser.skip(true); // a HEAD response announces a body it does not carry
    }

    /// Starts the call on its strand.
    void start()
    {
        asio::post(m_stream.get_executor(),
                   [self = this->shared_from_this()] { self->guarded([&] { self->resolve(); }); });
    }

private:
    beast::tcp_stream &tcp() { return beast::get_lowest_layer(m_stream); }

    template <class Fn>
    void guarded(Fn &&step)
    {
        try {
            step();
        } catch (const std::exception &e) {
            finish(Error{rpcCode(m_written ? rpc::CallFailed : rpc::CallFailedDne),
                         "request to " + m_where + ": internal error: " + e.what()});
        } catch (...) {
            finish(Error{rpcCode(m_written ? rpc::CallFailed : rpc::CallFailedDne),
                         "request to " + m_where + ": internal error"});
        }
    }

    void resolve()
    {
        m_deadline.expires_after(m_limits.connectTimeout);
        m_deadline.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
            auto self = weak.lock();
            if (ec || !self || !self->m_resolving)
                return;
            self->m_resolveTimedOut = true;
            self->m_resolver.cancel();
        });
        m_resolving = true;
        m_resolver.async_resolve(m_to.host, std::to_string(m_to.port),
                                 [self = this->shared_from_this()](
                                     beast::error_code ec, tcp::resolver::results_type results) {
                                     self->guarded([&] { self->onResolved(ec, results); });
                                 });
    }

    void onResolved(beast::error_code ec, const tcp::resolver::results_type &results)
    {
        m_resolving = false;
        m_deadline.cancel();
        if (ec)
            return finish(
                Error{rpcCode(rpc::ServerUnavailable),
                      "resolve " + m_to.host + ": " +
                          (m_resolveTimedOut
                               ? "no answer within " + describeDuration(m_limits.connectTimeout)
                               : ec.message())});
        tcp().expires_after(m_limits.connectTimeout);
        tcp().async_connect(results, [self = this->shared_from_this()](beast::error_code connectEc,
                                                                       const tcp::endpoint &) {
            self->guarded([&] { self->onConnected(connectEc); });
        });
    }

    void onConnected(beast::error_code ec)
    {
        if (ec)
            return finish(
                Error{rpcCode(rpc::ServerUnavailable),
                      "connect to " + m_where + ": " +
                          (ec == beast::error::timeout
                               ? "no answer within " + describeDuration(m_limits.connectTimeout)
                               : ec.message())});
        if constexpr (Internal::isTls<Stream>)
            tlsHandshake();
        else
            send();
    }

    void tlsHandshake()
    {
        if (auto expected = Internal::expectServer(m_stream, m_to.host); !expected)
            return finish(Error{rpcCode(rpc::AccessDenied), expected.error().message});
        tcp().expires_after(m_limits.connectTimeout);
        m_stream.async_handshake(asio::ssl::stream_base::client,
                                 [self = this->shared_from_this()](beast::error_code ec) {
                                     self->guarded([&] { self->onTlsHandshake(ec); });
                                 });
    }

    void onTlsHandshake(beast::error_code ec)
    {
        const std::string what = "TLS handshake with " + m_where + ": ";
        if (ec == beast::error::timeout)
            return finish(
                Error{rpcCode(rpc::Timeout),
                      what + "no answer within " + describeDuration(m_limits.connectTimeout)});
        if (ec && !Internal::isTlsFailure(ec))
            return finish(Error{rpcCode(rpc::CallFailedDne), what + ec.message()});
        if (ec)
            return finish(
                Error{rpcCode(rpc::AccessDenied), what + Internal::tlsFailure(m_stream, ec)});
        const auto identity = Internal::peerIdentity(m_stream);
        if (!identity)
            return finish(Error{rpcCode(rpc::AccessDenied), what + identity.error().message});
        if (identity->role != pki::Role::Service)
            return finish(Error{rpcCode(rpc::AccessDenied),
                                what + "the server's certificate (" + identity->name +
                                    ") has role " + std::string(pki::roleName(identity->role)) +
                                    ", not service"});
        send();
    }

    void send()
    {
        tcp().expires_after(m_limits.writeTimeout);
        http::async_write(
            m_stream, m_request,
            [self = this->shared_from_this()](beast::error_code writeEc, std::size_t) {
                self->guarded([&] { self->onWritten(writeEc); });
            });
    }

    void onWritten(beast::error_code ec)
    {
        if (ec == beast::error::timeout)
            return finish(
                Error{rpcCode(rpc::Timeout), "send request to " + m_where + ": not sent within " +
                                                 describeDuration(m_limits.writeTimeout)});
        if constexpr (Internal::isTls<Stream>) {
            if (Internal::isTlsFailure(ec)) // TLS 1.3: the server's verdict on our certificate
                return finish(Error{rpcCode(rpc::AccessDenied),
                                    "send request to " + m_where +
                                        ": refused by TLS: " + Internal::tlsFailure(m_stream, ec)});
        }
        if (ec) // the server never had the whole request
            return finish(Error{rpcCode(rpc::CallFailedDne),
                                "send request to " + m_where + ": " + ec.message()});
        m_written = true;
        tcp().expires_after(m_limits.readTimeout);
        // The header first, then the body: Beast 1.74's eager parse loses the body_limit error
        // of a Content-Length that is too big.
        http::async_read_header(
            m_stream, m_buffer, m_parser,
            [self = this->shared_from_this()](beast::error_code readEc, std::size_t) {
                self->guarded([&] { self->onHeader(readEc); });
            });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec || m_parser.is_done())
            return onRead(ec);
        http::async_read(m_stream, m_buffer, m_parser,
                         [self = this->shared_from_this()](beast::error_code readEc, std::size_t) {
                             self->guarded([&] { self->onRead(readEc); });
                         });
    }

    void onRead(beast::error_code ec)
    {
        const std::string what = "read response from " + m_where + ": ";
        if (ec == beast::error::timeout)
            return finish(Error{rpcCode(rpc::Timeout), what + "no answer within " +
                                                           describeDuration(m_limits.readTimeout)});
        if (ec == http::error::body_limit)
            return finish(Error{rpcCode(rpc::CallFailed),
                                what + "body larger than " + std::to_string(m_limits.maxBodyBytes) +
                                    " bytes"});
        if (ec == http::error::header_limit)
            return finish(Error{rpcCode(rpc::CallFailed),
                                what + "header larger than " +
                                    std::to_string(m_limits.maxHeaderBytes) + " bytes"});
        if constexpr (Internal::isTls<Stream>) {
            // TLS 1.3 finishes the client's handshake before the server checked our certificate:
            // its refusal arrives as an alert here. Nothing was handled.
            if (Internal::isTlsFailure(ec) && ec != asio::ssl::error::stream_truncated &&
                !m_parser.got_some())
                return finish(
                    Error{rpcCode(rpc::AccessDenied),
                          what + "refused by TLS: " + Internal::tlsFailure(m_stream, ec)});
        }
        if (ec) // reset or end of stream after the request went out: the call may have run
            return finish(Error{rpcCode(rpc::CallFailed), what + ec.message()});

        auto message = m_parser.release();
        HttpResponse response;
        response.status = static_cast<int>(message.result_int());
        response.contentType = toString(message[http::field::content_type]);
        for (const auto &field : message) {
            auto [it, inserted] = response.headers.try_emplace(
                Internal::toLower(toString(field.name_string())), toString(field.value()));
            if (!inserted)
                it->second += ", " + toString(field.value());
        }
        response.body = std::move(message.body());
        finish(std::move(response));
    }

    void finish(Result<HttpResponse> result)
    {
        m_deadline.cancel();
        beast::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp().close();
        auto done = std::move(m_done);
        m_done = nullptr;
        if (!done)
            return;
        try {
            done(std::move(result));
        } catch (...) { // the user's; there is nobody else to tell
        }
    }

    const Endpoint m_to;
    const std::string m_where;
    const Limits m_limits;
    Done m_done;
    const TlsContextPtr m_tls; // keeps the SSL_CTX alive while the call uses it
    Stream m_stream;
    tcp::resolver m_resolver;
    asio::steady_timer m_deadline; // bounds the name look-up
    http::request<http::string_body> m_request;
    http::response_parser<http::string_body> m_parser;
    beast::flat_buffer m_buffer;
    bool m_resolving = false;
    bool m_resolveTimedOut = false;
    bool m_written = false;
};

/// Builds the call's request and starts it; a request that cannot be built is reported on the
/// I/O thread like every other outcome.
template <class Call>
void start(IoContext &io, const std::shared_ptr<Call> &call, const std::string &method,
           const std::string &target, const std::string &body,
           const std::map<std::string, std::string> &headers,
           std::function<void(Result<HttpResponse>)> done, const Endpoint &to)
{
    try {
        call->prepare(method, target, body, headers);
    } catch (const std::exception &e) {
        asio::post(io, [done = std::move(done), message = "request " + method + " " + target +
                                                          " to " + to.toString() +
                                                          ": cannot be built: " + e.what()] {
            try {
                done(Error{rpcCode(rpc::InvalidParameter), message});
            } catch (...) {
            }
        });
        return;
    }
    call->start();
}

} // namespace

void httpRequest(IoContext &io, const Endpoint &to, const std::string &method,
                 const std::string &target, const std::string &body,
                 std::function<void(Result<HttpResponse>)> done, Limits limits,
                 std::map<std::string, std::string> headers)
{
    if (const TlsContextPtr &tls = to.tls) {
        TlsStream stream(beast::tcp_stream(asio::make_strand(io)), tls->impl().context);
        auto call = std::make_shared<HttpCall<TlsStream>>(std::move(stream), to, limits, done, tls);
        return start(io, call, method, target, body, headers, std::move(done), to);
    }
    auto call = std::make_shared<HttpCall<beast::tcp_stream>>(
        beast::tcp_stream(asio::make_strand(io)), to, limits, done, nullptr);
    start(io, call, method, target, body, headers, std::move(done), to);
}

} // namespace hostsec::net
