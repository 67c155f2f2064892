#pragma once

// The client side of one RPC binding: a WebSocket to the peer's /v1/rpc carrying JSON-RPC,
// the bind handshake (interface, service, instance ids), a heartbeat that finds a hung peer,
// and the rebind policy: auto (backoff with jitter, or at once when the peer announces a new
// instance) or manual (stays stale until an operator rebinds).

#include "agent/asio.h"
#include "agent/config.h"
#include "model/domain.h"
#include "net/transport.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <random>

namespace hostsec {

/// Who this agent is, as the handshake tells the peer.
struct LocalIdentity
{
    std::string server;
    ServiceKind service;
    std::string instance;
};

class PeerBinding : public std::enable_shared_from_this<PeerBinding>
{
public:
    using Reply = std::function<void(Result<nlohmann::json>)>;

    /// What the agent hears from a binding. All run on the agent's I/O thread.
    struct Hooks
    {
        /// After every state change (the binding's timeline has the new transition last).
        std::function<void(const Binding &)> changed;
        /// An event to raise: id and parameters.
        std::function<void(int, std::vector<std::string>)> raise;
    };

    PeerBinding(boost::asio::io_context &io, Binding model, net::Endpoint endpoint,
                BindingConfig timing, LocalIdentity self, Hooks hooks);
    ~PeerBinding();

    /// Binds for the first time; until the first success it retries with backoff, whatever
    /// the policy (a binding that never worked is not stale).
    void start();
    /// Closes the connection and cancels every timer; pending calls fail with 0x71A.
    void stop();
    /// An operator's (or a policy's) rebind: drops the connection and binds again now.
    void rebind(const std::string &reason);
    /// The peer told us (POST /v1/announce) it runs a new instance.
    void peerAnnounced(const std::string &instance);
    /// Connects with `tls` from the next connect on (renewed certificates); the open
    /// connection keeps its own.
    void setTls(net::TlsContextPtr tls) { m_endpoint.tls = std::move(tls); }

    /// Calls `method` on the peer. Fails at once with the RPC status a real runtime gives
    /// when the binding is not bound: stale 0x6BE, failed/unbound/rebinding 0x6BA.
    void call(const std::string &method, nlohmann::json params, std::chrono::milliseconds timeout,
              Reply reply);

    const Binding &model() const { return m_model; }
    std::int64_t rebinds() const { return m_rebinds; }

private:
    struct Pending
    {
        Reply reply;
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    void connect(const std::string &reason);
    void onConnected(std::uint64_t generation, Result<std::shared_ptr<net::WebSocket>> socket,
                     const std::string &reason, Millis started);
    void onMessage(std::uint64_t generation, const std::string &text);
    void onClosed(std::uint64_t generation, const Error &why);
    void lost(std::uint32_t status, const std::string &why);
    void scheduleRetry(std::uint32_t status);
    void heartbeat();
    void failAll(std::uint32_t status, const std::string &why);
    void send(const std::string &method, const nlohmann::json &params,
              std::chrono::milliseconds timeout, Reply reply);
    void move(BindingState to, std::uint32_t status, const std::string &reason);
    std::chrono::milliseconds nextDelay();

    boost::asio::io_context &m_io;
    Binding m_model;
    net::Endpoint m_endpoint;
    BindingConfig m_timing;
    LocalIdentity m_self;
    Hooks m_hooks;

    std::shared_ptr<net::WebSocket> m_socket;
    std::uint64_t m_generation = 0; // bumps at every connect; stale callbacks are ignored
    std::int64_t m_nextId = 1;
    std::map<std::int64_t, Pending> m_pending;
    boost::asio::steady_timer m_retryTimer;
    boost::asio::steady_timer m_heartbeatTimer;
    bool m_everBound = false;
    bool m_stopped = false;
    bool m_connecting = false;
    bool m_heartbeatOutstanding = false;
    int m_attempt = 0;
    std::int64_t m_rebinds = 0;
    std::string m_announced; // the last instance id the peer announced
    std::mt19937 m_rng;
};

} // namespace hostsec
