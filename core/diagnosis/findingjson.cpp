#include "diagnosis/findingjson.h"

namespace hostsec::diagnosis {

using nlohmann::json;

namespace {

// An ISO time, or null for 0 (unknown), as the admin API writes times.
json isoTimeJson(Millis t)
{
    return t > 0 ? json(formatIsoTime(t)) : json(nullptr);
}

} // namespace

void to_json(json &j, const Action &action)
{
    j = json{{"kind", toString(action.kind)},
             {"targets", action.targets},
             {"text", action.text},
             {"command", action.command}};
}

void to_json(json &j, const Finding &finding)
{
    j = json{{"rule", finding.rule},
             {"level", toString(finding.level)},
             {"title", finding.title},
             {"servers", finding.servers},
             {"bindings", finding.bindings},
             {"users", finding.users},
             {"since", isoTimeJson(finding.since)},
             {"what", finding.what},
             {"why", finding.why},
             {"action", finding.action}};
}

json findingsDocument(const std::vector<Finding> &findings, Millis takenAt,
                      const std::string &profile, const std::vector<std::string> &gaps)
{
    json counts = {{"error", 0}, {"warning", 0}, {"info", 0}};
    for (const Finding &f : findings) {
        json &count = counts[std::string(toString(f.level))];
        count = count.get<int>() + 1;
    }
    return json{{"taken_at", isoTimeJson(takenAt)},
                {"profile", profile},
                {"counts", counts},
                {"findings", findings},
                {"gaps", gaps}};
}

} // namespace hostsec::diagnosis
