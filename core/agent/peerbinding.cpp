#include "agent/peerbinding.h"

#include "events/catalogue.h"
#include "protocol/bindhandshake.h"
#include "protocol/jsonrpc.h"

#include <algorithm>
#include <cmath>

namespace hostsec {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kHandshakeTimeout = 2000ms;

std::string hex(std::uint32_t code)
{
    return rpcCodeHex(code).substr(2);
}

} // namespace

PeerBinding::PeerBinding(boost::asio::io_context &io, Binding model, net::Endpoint endpoint,
                         BindingConfig timing, LocalIdentity self, Hooks hooks)
    : m_io(io)
    , m_model(std::move(model))
    , m_endpoint(std::move(endpoint))
    , m_timing(timing)
    , m_self(std::move(self))
    , m_hooks(std::move(hooks))
    , m_retryTimer(io)
    , m_heartbeatTimer(io)
    , m_rng(std::random_device{}())
{}

PeerBinding::~PeerBinding() = default;

void PeerBinding::start()
{
    connect("initial bind");
}

void PeerBinding::stop()
{
    m_stopped = true;
    m_retryTimer.cancel();
    m_heartbeatTimer.cancel();
    ++m_generation;
    if (m_socket)
        m_socket->close();
    m_socket.reset();
    failAll(rpc::CallCancelled, "the agent is stopping");
}

void PeerBinding::move(BindingState to, std::uint32_t status, const std::string &reason)
{
    if (m_model.state == to)
        return;
    if (!m_model.transition(to, nowMillis(), status, reason))
        return;
    if (m_hooks.changed)
        m_hooks.changed(m_model);
}

std::chrono::milliseconds PeerBinding::nextDelay()
{
    // Exponential backoff with jitter: initial * multiplier^attempt, capped, then +-jitter.
    const double base =
        std::min(static_cast<double>(m_timing.backoffMaxMs),
                 m_timing.backoffInitialMs * std::pow(m_timing.backoffMultiplier, m_attempt));
    std::uniform_real_distribution<double> jitter(-m_timing.backoffJitter, m_timing.backoffJitter);
    ++m_attempt;
    return std::chrono::milliseconds(
        std::max<long long>(1, std::llround(base * (1.0 + jitter(m_rng)))));
}

void PeerBinding::connect(const std::string &reason)
{
    if (m_stopped || m_connecting)
        return;
    m_connecting = true;
    const std::uint64_t generation = ++m_generation;
    if (m_socket) {
        m_socket->close();
        m_socket.reset();
    }
    m_heartbeatTimer.cancel();
    m_heartbeatOutstanding = false;
    if (m_everBound) {
        move(BindingState::Rebinding, rpc::Success, reason);
        m_hooks.raise(ev::RebindStarted, {m_model.id, reason});
    }
    const Millis started = nowMillis();
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    net::WebSocketCallbacks callbacks;
    callbacks.onMessage = [weak, generation](const std::string &text) {
        if (auto self = weak.lock())
            self->onMessage(generation, text);
    };
    callbacks.onClose = [weak, generation](const Error &why) {
        if (auto self = weak.lock())
            self->onClosed(generation, why);
    };
    net::Limits limits;
    limits.connectTimeout = 2s;
    net::connectWebSocket(
        m_io, m_endpoint, "/v1/rpc", {}, std::move(callbacks),
        [weak, generation, reason, started](Result<std::shared_ptr<net::WebSocket>> socket) {
            if (auto self = weak.lock())
                self->onConnected(generation, std::move(socket), reason, started);
            else if (socket)
                (*socket)->close();
        },
        limits);
}

void PeerBinding::onConnected(std::uint64_t generation,
                              Result<std::shared_ptr<net::WebSocket>> socket,
                              const std::string &reason, Millis started)
{
    if (generation != m_generation || m_stopped) {
        if (socket)
            (*socket)->close();
        return;
    }
    auto failed = [this](std::uint32_t status, const std::string &why) {
        m_connecting = false;
        if (m_socket) {
            m_socket->close();
            m_socket.reset();
        }
        const bool retry = !m_everBound || m_model.policy == RebindPolicy::Auto;
        m_model.recordFailure(nowMillis(), status);
        move(BindingState::Failed, status, why);
        if (retry) {
            const auto delay = nextDelay();
            if (m_everBound || m_attempt == 1)
                m_hooks.raise(m_everBound ? ev::RebindFailed : ev::BindingFailed,
                              m_everBound
                                  ? std::vector<std::string>{m_model.id, hex(status),
                                                             std::string(rpcStatus(status).text),
                                                             std::to_string(delay.count())}
                                  : std::vector<std::string>{m_model.id, hex(status),
                                                             std::string(rpcStatus(status).text)});
            m_retryTimer.expires_after(delay);
            std::weak_ptr<PeerBinding> weak = weak_from_this();
            m_retryTimer.async_wait([weak](const boost::system::error_code &ec) {
                if (ec)
                    return;
                if (auto self = weak.lock())
                    self->connect("automatic rebind, attempt " +
                                  std::to_string(self->m_attempt + 1));
            });
        } else {
            m_hooks.raise(
                ev::RebindFailed,
                {m_model.id, hex(status), std::string(rpcStatus(status).text), "(none: manual)"});
        }
    };
    if (!socket)
        return failed(static_cast<std::uint32_t>(socket.error().code), socket.error().message);

    m_socket = std::move(*socket);
    const json params =
        bindParamsJson({m_model.interfaceUuid, std::string(toString(m_model.toService)),
                        m_self.server, std::string(toString(m_self.service)), m_self.instance});
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    send("bind", params, kHandshakeTimeout,
         [weak, generation, reason, started, failed](Result<json> answer) {
             auto self = weak.lock();
             if (!self || generation != self->m_generation)
                 return;
             if (!answer)
                 return failed(static_cast<std::uint32_t>(answer.error().code),
                               "bind refused: " + answer.error().message);
             const auto bound = decodeBindAnswer(*answer);
             if (!bound)
                 return failed(static_cast<std::uint32_t>(bound.error().code),
                               bound.error().message);
             const std::string instance = bound->instance;
             const bool rebound = self->m_everBound;
             // A restart the peer announced was reported then; this one we found ourselves.
             if (rebound && !self->m_model.peerInstance.empty() &&
                 instance != self->m_model.peerInstance && instance != self->m_announced)
                 self->m_hooks.raise(ev::PeerRestarted, {self->m_model.toServer, instance});
             self->m_model.peerInstance = instance;
             self->m_connecting = false;
             self->m_attempt = 0;
             self->m_everBound = true;
             self->m_model.recordSuccess(nowMillis());
             self->move(BindingState::Bound, rpc::Success, reason);
             if (rebound) {
                 ++self->m_rebinds;
                 self->m_hooks.raise(ev::RebindSucceeded, {self->m_model.id, instance,
                                                           std::to_string(nowMillis() - started)});
             } else {
                 self->m_hooks.raise(ev::BindingBound,
                                     {self->m_model.id, self->m_model.toServer, instance});
             }
             self->heartbeat();
         });
}

void PeerBinding::onMessage(std::uint64_t generation, const std::string &text)
{
    if (generation != m_generation)
        return;
    auto message = decodeRpcMessage(text, 1024 * 1024);
    if (!message || message->kind != RpcMessageKind::Response || !message->response.id)
        return; // the peer only ever answers; anything else is ignored
    auto it = m_pending.find(*message->response.id);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    pending.timer->cancel();
    const RpcResponse &r = message->response;
    if (r.error)
        pending.reply(Error{static_cast<int>(r.error->code), r.error->message});
    else
        pending.reply(r.result);
}

void PeerBinding::onClosed(std::uint64_t generation, const Error &why)
{
    if (generation != m_generation || m_stopped)
        return;
    m_socket.reset();
    if (m_connecting)
        return; // the handshake's own failure path reports it
    lost(rpc::CallFailed, "connection to " + m_model.toServer + " lost" +
                              (why.message.empty() ? std::string() : ": " + why.message));
}

void PeerBinding::lost(std::uint32_t status, const std::string &why)
{
    ++m_generation;
    if (m_socket) {
        m_socket->close();
        m_socket.reset();
    }
    m_heartbeatTimer.cancel();
    m_heartbeatOutstanding = false;
    m_connecting = false;
    failAll(status, why);
    m_model.recordFailure(nowMillis(), status);
    move(BindingState::Stale, status, why);
    m_hooks.raise(ev::BindingStale, {m_model.id, why});
    if (m_model.policy == RebindPolicy::Auto) {
        m_attempt = 0;
        scheduleRetry(status);
    } else {
        m_hooks.raise(ev::BindingAwaitsOperator, {m_model.id});
    }
}

void PeerBinding::scheduleRetry(std::uint32_t)
{
    m_retryTimer.expires_after(nextDelay());
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    m_retryTimer.async_wait([weak](const boost::system::error_code &ec) {
        if (ec)
            return;
        if (auto self = weak.lock())
            self->connect("automatic rebind, attempt " + std::to_string(self->m_attempt));
    });
}

void PeerBinding::heartbeat()
{
    if (m_stopped || m_model.state != BindingState::Bound)
        return;
    const std::uint64_t generation = m_generation;
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    m_heartbeatTimer.expires_after(std::chrono::milliseconds(m_timing.heartbeatMs));
    m_heartbeatTimer.async_wait([weak, generation](const boost::system::error_code &ec) {
        auto self = weak.lock();
        if (ec || !self || generation != self->m_generation ||
            self->m_model.state != BindingState::Bound)
            return;
        self->m_heartbeatOutstanding = true;
        self->send(
            "ping", json::object(), std::chrono::milliseconds(self->m_timing.heartbeatTimeoutMs),
            [weak, generation](Result<json> answer) {
                auto me = weak.lock();
                if (!me || generation != me->m_generation)
                    return;
                me->m_heartbeatOutstanding = false;
                if (!answer) {
                    if (answer.error().code == static_cast<int>(rpc::Timeout))
                        me->m_hooks.raise(ev::PeerUnresponsive,
                                          {me->m_model.toServer, me->m_model.id});
                    return me->lost(rpc::CallFailed, "heartbeat failed: " + answer.error().message);
                }
                const std::string instance = answer->value("instance", "");
                if (!instance.empty() && instance != me->m_model.peerInstance)
                    return me->lost(rpc::CallFailed, "peer instance changed");
                me->heartbeat();
            });
    });
}

void PeerBinding::failAll(std::uint32_t status, const std::string &why)
{
    std::map<std::int64_t, Pending> pending;
    pending.swap(m_pending);
    for (auto &[id, p] : pending) {
        p.timer->cancel();
        p.reply(Error{static_cast<int>(status), why});
    }
}

void PeerBinding::send(const std::string &method, const json &params,
                       std::chrono::milliseconds timeout, Reply reply)
{
    const std::int64_t id = m_nextId++;
    auto timer = std::make_unique<boost::asio::steady_timer>(m_io);
    timer->expires_after(timeout);
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    timer->async_wait([weak, id, timeout, method](const boost::system::error_code &ec) {
        if (ec)
            return;
        auto self = weak.lock();
        if (!self)
            return;
        auto it = self->m_pending.find(id);
        if (it == self->m_pending.end())
            return;
        Reply r = std::move(it->second.reply);
        self->m_pending.erase(it);
        r(Error{static_cast<int>(rpc::Timeout), method + " on " + self->m_model.id +
                                                    ": no answer within " +
                                                    std::to_string(timeout.count()) + " ms"});
    });
    m_pending.emplace(id, Pending{std::move(reply), std::move(timer)});
    m_socket->send(encodeRequest(id, method, params));
}

void PeerBinding::call(const std::string &method, json params, std::chrono::milliseconds timeout,
                       Reply reply)
{
    if (m_model.state != BindingState::Bound || !m_socket) {
        const bool stale = m_model.state == BindingState::Stale;
        const std::uint32_t status = stale ? rpc::CallFailed : rpc::ServerUnavailable;
        const std::string why =
            "binding " + m_model.stringBinding() + " is " + std::string(toString(m_model.state));
        boost::asio::post(m_io, [reply = std::move(reply), status, why] {
            reply(Error{static_cast<int>(status), why});
        });
        return;
    }
    std::weak_ptr<PeerBinding> weak = weak_from_this();
    send(method, std::move(params), timeout, [weak, reply = std::move(reply)](Result<json> answer) {
        auto self = weak.lock();
        if (self && answer)
            self->m_model.recordSuccess(nowMillis());
        else if (self && answer.error().code != 0)
            self->m_model.lastError = static_cast<std::uint32_t>(answer.error().code);
        reply(std::move(answer));
    });
}

void PeerBinding::rebind(const std::string &reason)
{
    if (m_stopped)
        return;
    m_retryTimer.cancel();
    m_attempt = 0;
    m_connecting = false;
    ++m_generation;
    if (m_socket) {
        m_socket->close();
        m_socket.reset();
    }
    failAll(rpc::CallCancelled, "binding is being rebound");
    connect(reason);
}

void PeerBinding::peerAnnounced(const std::string &instance)
{
    m_announced = instance;
    if (m_model.state == BindingState::Bound && m_model.peerInstance == instance)
        return;
    if (m_model.policy == RebindPolicy::Auto || !m_everBound) {
        rebind("peer announced instance " + instance);
        return;
    }
    if (m_model.state == BindingState::Bound)
        lost(rpc::CallFailed, "peer announced a new instance " + instance);
}

} // namespace hostsec
