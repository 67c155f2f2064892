#pragma once

#include "client/agentclient.h"
#include "client/profile.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hostsec::ctl {

/// One agent of the profile and what its GET /v1/status answered.
struct AgentState
{
    const client::ProfileAgent *agent = nullptr;
    Result<nlohmann::json> status = Error{};
};

/// The agents of a profile as hostsecctl reaches them: by name, or by the service and role
/// their GET /v1/status reports (a profile lists addresses only; what runs where is the
/// agents' own word).
class AgentDirectory
{
public:
    /// Loads the profile; `path` may also be the folder holding profile.json.
    static Result<AgentDirectory> open(const std::string &path, std::chrono::milliseconds timeout);

    /// The loaded profile.
    const client::Profile &profile() const { return m_profile; }
    /// The per-request deadline (--timeout).
    std::chrono::milliseconds timeout() const { return m_timeout; }

    /// A client for one agent of the profile.
    client::AgentClient client(const client::ProfileAgent &agent) const;
    /// The agent named `name` (any case), or an Error listing the profile's servers.
    Result<const client::ProfileAgent *> byName(const std::string &name) const;
    /// Every agent, or just the one named `server` when it is not empty.
    Result<std::vector<const client::ProfileAgent *>> select(const std::string &server) const;

    /// Every agent's GET /v1/status, asked once, all at the same time.
    const std::vector<AgentState> &states();
    /// The reachable agent whose status lists a service of `kind` ("host") or, with a
    /// cacheRole, that cache role; an Error naming what is missing and what did not answer.
    Result<const client::ProfileAgent *> byService(const std::string &kind,
                                                   const std::string &cacheRole = {});

    /// "HS2 (127.0.0.1:40103): connect to ...: Connection refused; ..." for every agent of
    /// `states()` that did not answer; "" when all did.
    std::string unreachableSummary();

private:
    AgentDirectory(client::Profile profile, std::chrono::milliseconds timeout);

    client::Profile m_profile;
    std::chrono::milliseconds m_timeout;
    std::optional<std::vector<AgentState>> m_states;
};

} // namespace hostsec::ctl
