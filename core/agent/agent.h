#pragma once

#include "agent/config.h"
#include "util/result.h"

#include <cstdint>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace hostsec {

/// One hostsecd: the services its config names, their bindings to peers, the durable outbox,
/// the host account cache, the simulated host, the event log and the admin API, all on one
/// io_context (run by the caller's thread).
class Agent
{
public:
    Agent(boost::asio::io_context &io, AgentConfig config);
    ~Agent();
    Agent(const Agent &) = delete;
    Agent &operator=(const Agent &) = delete;

    /// Opens the stores (creating the key file and seeding demo users at first start),
    /// listens, binds to peers and announces this instance. An Error says what stopped it.
    Status start();
    /// Reads the [tls] files again (SIGHUP): new connections use them, open ones keep theirs.
    /// Refused, keeping the files in use, when they do not pass the checks of start().
    Status reloadTls();
    /// Stops serving: closes bindings, watch streams and the listener. Pending changes stay
    /// in the durable outbox for the next start.
    void stop();
    /// The port the admin API listens on (useful with listen port 0).
    std::uint16_t port() const;
    const std::string &instanceId() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

/// The version hostsecd reports.
const char *agentVersion();

} // namespace hostsec
