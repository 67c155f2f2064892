#include "agentdirectory.h"

#include <filesystem>

namespace hostsec::ctl {

using nlohmann::json;

namespace {

std::string serverList(const client::Profile &profile)
{
    std::string names;
    for (const auto &agent : profile.agents)
        names += (names.empty() ? "" : ", ") + agent.name;
    return names;
}

bool runs(const json &status, const std::string &kind, const std::string &cacheRole)
{
    if (!status.is_object())
        return false;
    // The status's role says it directly for the primary cache ("cache-primary").
    if (const auto role = status.find("role"); kind == "host-account-sync" && !cacheRole.empty() &&
                                               role != status.end() && role->is_string() &&
                                               role->get<std::string>() == "cache-" + cacheRole)
        return true;
    const auto services = status.find("services");
    if (services == status.end() || !services->is_array())
        return false;
    for (const json &service : *services) {
        if (!service.is_object())
            continue;
        const auto serviceKind = service.find("kind");
        if (serviceKind == service.end() || !serviceKind->is_string() ||
            serviceKind->get<std::string>() != kind)
            continue;
        if (cacheRole.empty())
            return true;
        const auto role = service.find("cache_role");
        if (role != service.end() && role->is_string() && role->get<std::string>() == cacheRole)
            return true;
    }
    return false;
}

} // namespace

AgentDirectory::AgentDirectory(client::Profile profile, std::chrono::milliseconds timeout)
    : m_profile(std::move(profile))
    , m_timeout(timeout)
{}

Result<AgentDirectory> AgentDirectory::open(const std::string &path,
                                            std::chrono::milliseconds timeout)
{
    if (path.empty())
        return Error{0, "no profile: pass -p PROFILE (a profile.json, or the folder of a demo "
                        "domain) or set HOSTSEC_PROFILE"};
    std::string file = path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        file = (std::filesystem::path(path) / "profile.json").string();
    auto profile = client::Profile::load(file);
    if (!profile)
        return profile.error();
    return AgentDirectory(std::move(profile).value(), timeout);
}

client::AgentClient AgentDirectory::client(const client::ProfileAgent &agent) const
{
    return client::AgentClient(agent.endpoint, m_timeout);
}

Result<const client::ProfileAgent *> AgentDirectory::byName(const std::string &name) const
{
    if (const auto *agent = m_profile.agent(name))
        return agent;
    return Error{0, "no server " + name + " in " + m_profile.path + " (it has " +
                        serverList(m_profile) + ")"};
}

Result<std::vector<const client::ProfileAgent *>>
AgentDirectory::select(const std::string &server) const
{
    std::vector<const client::ProfileAgent *> agents;
    if (!server.empty()) {
        auto agent = byName(server);
        if (!agent)
            return agent.error();
        agents.push_back(*agent);
        return agents;
    }
    for (const auto &agent : m_profile.agents)
        agents.push_back(&agent);
    return agents;
}

const std::vector<AgentState> &AgentDirectory::states()
{
    if (!m_states) {
        std::vector<net::Endpoint> endpoints;
        for (const auto &agent : m_profile.agents)
            endpoints.push_back(agent.endpoint);
        auto answers = client::AgentClient::getAll(endpoints, "/v1/status", m_timeout);
        m_states.emplace();
        for (std::size_t i = 0; i < answers.size(); ++i)
            m_states->push_back(AgentState{&m_profile.agents[i], std::move(answers[i])});
    }
    return *m_states;
}

Result<const client::ProfileAgent *> AgentDirectory::byService(const std::string &kind,
                                                               const std::string &cacheRole)
{
    for (const AgentState &state : states()) {
        if (state.status && runs(state.status.value(), kind, cacheRole))
            return state.agent;
    }
    std::string what = cacheRole.empty() ? "the " + kind + " service"
                                         : "the " + cacheRole + " " + kind + " service";
    std::string message = "no reachable agent of " + m_profile.path + " runs " + what;
    if (const std::string down = unreachableSummary(); !down.empty())
        message += " (unreachable: " + down + ")";
    return Error{0, message};
}

std::string AgentDirectory::unreachableSummary()
{
    std::string summary;
    for (const AgentState &state : states()) {
        if (!state.status)
            summary += (summary.empty() ? "" : "; ") + state.agent->name + ": " +
                       client::AgentClient::describeError(state.status.error());
    }
    return summary;
}

} // namespace hostsec::ctl
