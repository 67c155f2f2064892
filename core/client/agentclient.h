#pragma once

#include "net/transport.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace hostsec::client {

/// Synchronous JSON calls to one agent's admin API (docs/api.md), for hostsecctl and tests.
/// Each call runs a private io_context until its answer arrives or a deadline passes; the
/// console, which must not block, uses the asynchronous transport instead.
class AgentClient
{
public:
    /// A client for the agent listening at `endpoint` (with endpoint.tls: mutual TLS, as a
    /// profile's agents carry it); every call ends within about `timeout`.
    explicit AgentClient(net::Endpoint endpoint,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// GET `target` ("/v1/status"); the answer's JSON body, or an Error (see call()).
    Result<nlohmann::json> get(const std::string &target);
    /// POST `body` to `target`; the answer's JSON body, or an Error (see call()).
    Result<nlohmann::json> post(const std::string &target, const nlohmann::json &body);
    /// One request. A 2xx answer gives its body parsed as JSON (null when empty); any other
    /// status gives Error{API error code, API "message"}; a transport failure keeps the net
    /// layer's RPC code (0x6BA when nothing listens) and names this agent's endpoint.
    Result<nlohmann::json> call(const std::string &method, const std::string &target,
                                const std::string &body);
    /// GET /healthz: succeeds when the agent answers 200.
    Status health();

    /// GET `target` from several agents at once, on one io_context; one Result per endpoint,
    /// in order. The merged views of hostsecctl ask every agent of a profile this way.
    static std::vector<Result<nlohmann::json>>
    getAll(const std::vector<net::Endpoint> &endpoints, const std::string &target,
           std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// One line for an API status object ({"code","hex","name","text"}):
    /// "0x6BE RPC_S_CALL_FAILED (The remote procedure call failed.)". Missing keys are filled
    /// in from the code; a value that is not a status object gives "".
    static std::string describeStatus(const nlohmann::json &status);
    /// "0x6BE RPC_S_CALL_FAILED" for a status object, or "-" for success and non-statuses:
    /// the short form for table cells.
    static std::string shortStatus(const nlohmann::json &status);
    /// "0x52E ERROR_LOGON_FAILURE: <message>" for an Error from this client, so a user sees
    /// the code Windows documentation knows and the agent's reason.
    static std::string describeError(const Error &error);

    /// The name sent as X-Hostsec-Operator on every call: $HOSTSEC_OPERATOR, else the login name
    /// of the user running this process. An agent without TLS (the plaintext opt-out) records
    /// it as who acted; over TLS it takes the client certificate's name instead. `demo init`
    /// names the demo user's certificate after it.
    static std::string operatorName();

    /// The agent this client talks to.
    const net::Endpoint &endpoint() const { return m_endpoint; }
    /// The per-call deadline given at construction.
    std::chrono::milliseconds timeout() const { return m_timeout; }

private:
    net::Endpoint m_endpoint;
    std::chrono::milliseconds m_timeout;
};

} // namespace hostsec::client
