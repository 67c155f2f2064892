#pragma once

// The demo domain a fault test runs on: four real hostsecd processes in a temporary folder,
// and the questions the fault tests ask them (bindings, outboxes, a password change on DC1, the
// integrity of every database once they are stopped).

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integrationtest.h"

#include <QTemporaryDir>

#include <chrono>
#include <string>

namespace hostsec::integration {

class DemoFixture
{
public:
    /// `demo init` with `users` users in `folder`, or in a new temporary folder when it is
    /// empty, its profile read; an Error names what failed.
    Status init(int users, const std::string &folder = {})
    {
        if (folder.empty() && !m_dir.isValid())
            return Error{1, "cannot make a temporary folder"};
        m_path = folder.empty() ? m_dir.path().toStdString() + "/demo" : folder;
        if (auto made = client::DemoDomain::init(m_path, users); !made)
            return made;
        auto profile = client::Profile::load(m_path + "/profile.json");
        if (!profile)
            return profile.error();
        m_profile = *profile;
        return {};
    }

    /// `demo start` of every agent that is not running.
    Status start() { return client::DemoDomain::start(m_path, std::chrono::seconds(60)); }
    /// `demo stop`; nothing when init() never ran.
    Status stop() { return m_path.empty() ? Status{} : client::DemoDomain::stop(m_path); }

    /// The demo's folder: DIR/<SERVER>/ holds each agent's config and data.
    const std::string &path() const { return m_path; }
    const client::Profile &profile() const { return m_profile; }

    client::AgentClient agent(const std::string &name,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) const
    {
        return client::AgentClient(m_profile.agent(name)->endpoint, timeout);
    }

    /// GET /v1/bindings of `server`: its list, empty when it does not answer.
    nlohmann::json bindings(const std::string &server) const
    {
        auto b = agent(server).get("/v1/bindings");
        return b ? (*b)["bindings"] : nlohmann::json::array();
    }

    /// How many bindings of the whole domain are bound (7 when all are).
    int boundCount() const
    {
        int bound = 0;
        for (const char *s : client::DemoDomain::Servers) {
            for (const nlohmann::json &b : bindings(s))
                bound += b["state"] == "bound";
        }
        return bound;
    }

    /// The outbox depth of `server`; -1 when it does not answer.
    std::int64_t outboxDepth(const std::string &server) const
    {
        auto o = agent(server).get("/v1/outbox");
        return o ? (*o)["depth"].get<std::int64_t>() : -1;
    }

    /// Every agent's outbox depth together; -1 when one does not answer.
    std::int64_t totalOutboxDepth() const
    {
        std::int64_t depth = 0;
        for (const char *s : client::DemoDomain::Servers) {
            const std::int64_t d = outboxDepth(s);
            if (d < 0)
                return -1;
            depth += d;
        }
        return depth;
    }

    /// A domain-side password change of user(i), made on DC1.
    Result<nlohmann::json> passwd(int i, const std::string &password) const
    {
        return agent("DC1").post("/v1/passwd", {{"account", user(i)}, {"password", password}});
    }

    /// Stops every agent and runs PRAGMA integrity_check on every database under `subfolder`
    /// of the demo ("" for all): the first problem, or "" when at least `atLeast` databases
    /// were checked and all are ok.
    std::string stopAndCheckIntegrity(int atLeast, const std::string &subfolder = {})
    {
        if (auto stopped = stop(); !stopped)
            return "cannot stop the demo domain: " + stopped.error().message;
        const IntegrityReport report =
            integrityCheckAll(subfolder.empty() ? m_path : m_path + "/" + subfolder);
        if (!report.problems.empty())
            return report.problems.front();
        if (report.checked < atLeast)
            return "only " + std::to_string(report.checked) + " databases found";
        return {};
    }

private:
    QTemporaryDir m_dir;
    std::string m_path;
    client::Profile m_profile;
};

} // namespace hostsec::integration
