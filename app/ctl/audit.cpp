#include "audit.h"

#include "agentdirectory.h"
#include "table.h"

#include <cmath>
#include <iostream>

namespace hostsec::ctl {

using client::AgentClient;
using nlohmann::json;

namespace {

constexpr int ExitFailure = 1;

std::string cell(const json &answer, const char *key)
{
    const auto it = answer.find(key);
    if (it == answer.end() || it->is_null())
        return "-";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

} // namespace

int auditVerify(const GlobalOptions &global, const std::vector<std::string> &servers,
                std::ostream &out, std::ostream &err)
{
    const auto timeout = std::chrono::milliseconds(
        static_cast<long long>(std::llround(global.timeoutSeconds * 1000.0)));
    auto directory = AgentDirectory::open(global.profile, timeout);
    if (!directory) {
        err << "hostsecctl: profile: " << directory.error().message << std::endl;
        return ExitFailure;
    }
    std::vector<const client::ProfileAgent *> agents;
    for (const std::string &name : servers) {
        auto agent = directory->byName(name);
        if (!agent) {
            err << "hostsecctl: audit verify: " << agent.error().message << std::endl;
            return ExitFailure;
        }
        agents.push_back(*agent);
    }
    if (servers.empty()) {
        for (const auto &agent : directory->profile().agents)
            agents.push_back(&agent);
    }

    std::vector<net::Endpoint> endpoints;
    for (const auto *agent : agents)
        endpoints.push_back(agent->endpoint);
    // Every agent at once: each walks its own chain, so the slowest one sets the time.
    auto answers = AgentClient::getAll(endpoints, "/v1/audit/verify", timeout);

    bool broken = false;
    bool unanswered = false;
    json list = json::array();
    Table table({"SERVER", "CHAIN", "RECORDS", "BROKEN AT", "WHY"});
    for (std::size_t i = 0; i < agents.size(); ++i) {
        const std::string &name = agents[i]->name;
        if (!answers[i] || !answers[i]->is_object()) {
            unanswered = true;
            const std::string why = answers[i] ? std::string("the answer is not a JSON object")
                                               : AgentClient::describeError(answers[i].error());
            list.push_back(
                {{"server", name}, {"address", agents[i]->endpoint.toString()}, {"error", why}});
            table.add({name, "not verified", "-", "-", why});
            continue;
        }
        json answer = *answers[i];
        const bool intact = answer.value("intact", false);
        broken = broken || !intact;
        answer["server"] = name;
        answer["address"] = agents[i]->endpoint.toString();
        list.push_back(answer);
        const std::string records = cell(answer, "records");
        if (intact) {
            table.add({name, "intact", records, "-", "-"});
        } else {
            table.add({name, "BROKEN", records, "seq " + cell(answer, "seq"),
                       cell(answer, "problem") + ": " + cell(answer, "reason")});
        }
    }

    if (global.json) {
        out << json{{"intact", !broken && !unanswered}, {"agents", list}}.dump(2) << '\n';
    } else {
        table.print(out);
        if (broken)
            out << "an audit trail is broken: records were changed, removed or added outside "
                   "the agent; keep its events.db as it is for investigation, and compare it "
                   "with a backup (docs/security.md, \"Audit\")\n";
    }
    if (broken)
        return ExitAuditBroken;
    return unanswered ? ExitFailure : 0;
}

} // namespace hostsec::ctl
