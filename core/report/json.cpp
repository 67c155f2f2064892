#include "report/json.h"

#include "report/escape.h"
#include "report/tables.h"

#include "diagnosis/findingjson.h"
#include "protocol/modeljson.h"

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>

namespace hostsec::report {

namespace {

using nlohmann::json;

// One value as compact JSON text, safe to read in any viewer (see writeJson).
std::string dump(const json &value)
{
    return escapeBidiInJson(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

json agentJson(const diagnosis::AgentState &agent)
{
    return {{"name", agent.name},
            {"endpoint", agent.endpoint},
            {"reachable", agent.reachable},
            {"error", agent.error},
            {"unreachable_since", isoTimeJson(agent.unreachableSince)},
            {"certificate", agent.certificate},
            {"certificate_not_after", isoTimeJson(agent.certificateNotAfter)}};
}

json pendingJson(const diagnosis::PendingChange &p)
{
    return {{"holder", p.holder},
            {"seq", p.seq},
            {"change_id", p.changeId},
            {"kind", p.kind},
            {"user", p.user},
            {"target", p.target},
            {"created", isoTimeJson(p.created)},
            {"attempts", p.attempts},
            {"last_attempt", isoTimeJson(p.lastAttempt)},
            {"last_status", rpcStatusJson(p.lastStatus)}};
}

json snapshotJson(const Report &report)
{
    const diagnosis::DomainSnapshot &s = report.snapshot;
    json j = {{"taken_at", isoTimeJson(s.takenAt)},
              {"profile", s.profile},
              {"domain", {{"name", s.domain.name}, {"host_domain", s.domain.hostDomain}}},
              {"gaps", s.gaps}};
    if (report.has(Section::Servers)) {
        j["servers"] = s.domain.servers;
        json agents = json::array();
        for (const auto &agent : s.agents)
            agents.push_back(agentJson(agent));
        j["agents"] = std::move(agents);
    }
    if (report.has(Section::Bindings))
        j["bindings"] = s.domain.bindings;
    if (report.has(Section::Users)) {
        json users = json::array();
        for (const UserMapping *user : usersByState(report))
            users.push_back(*user);
        j["users"] = std::move(users);
    }
    if (report.has(Section::Pending)) {
        json pending = json::array();
        for (const auto &p : s.pending)
            pending.push_back(pendingJson(p));
        j["pending"] = std::move(pending);
    }
    return j;
}

Status writeSummary(const Report &report, std::ostream &out)
{
    std::map<int, EventWording> wordings;
    std::int64_t events = 0;
    std::int64_t groups = 0;
    out << "{\"rows\":[";
    Status status;
    if (report.events) {
        status = report.events([&](const EventSummaryRow &r) {
            auto it = wordings.find(r.id);
            if (it == wordings.end())
                it = wordings.emplace(r.id, eventWording(r.id)).first;
            const EventWording &w = it->second;
            out << (groups ? ",\n" : "\n")
                << dump({{"hour", isoTimeJson(r.hour)},
                         {"server", r.server},
                         {"id", r.id},
                         {"symbol", w.symbol},
                         {"source", w.source},
                         {"severity", toString(r.severity)},
                         {"count", r.count},
                         {"title", w.title}});
            ++groups;
            events += r.count;
            return static_cast<bool>(out);
        });
    }
    json kinds = json::array();
    for (const auto &[id, w] : wordings)
        kinds.push_back({{"id", id},
                         {"symbol", w.symbol},
                         {"source", w.source},
                         {"title", w.title},
                         {"explanation", w.explanation}});
    out << "],\n\"kinds\":" << dump(kinds) << ",\n\"groups\":" << groups << ",\"events\":" << events
        << "}";
    if (!status)
        return Error{status.error().code, "event summary: " + status.error().message};
    return {};
}

} // namespace

Status writeJson(const Report &report, std::ostream &out)
{
    const ReportMeta &meta = report.meta;
    json sections = json::array();
    for (const Section section : meta.sections)
        sections.push_back(toString(section));
    const json head = {
        {"schema", SchemaId},
        {"schema_version", meta.schemaVersion},
        {"generated_by", meta.generatedBy},
        {"generated_at", isoTimeJson(meta.generatedAt)},
        {"profile", meta.profile},
        {"period", {{"from", isoTimeJson(meta.from)}, {"until", isoTimeJson(meta.until)}}},
        {"sections", sections}};
    // The head's keys, then the snapshot, findings and the streamed summary, as one object.
    std::string text = dump(head);
    text.pop_back(); // the closing brace: more keys follow
    out << text << ",\n\"snapshot\":" << dump(snapshotJson(report));
    if (report.has(Section::Findings)) {
        json findings = json::array();
        for (const diagnosis::Finding *f : findingsBySeverity(report))
            findings.push_back(*f); // the shape of hostsecctl diagnose --json
        out << ",\n\"findings\":" << dump(findings);
    }
    if (report.has(Section::Events)) {
        out << ",\n\"event_summary\":";
        if (auto done = writeSummary(report, out); !done)
            return done;
    }
    out << "}\n";
    return {};
}

Status writeJsonFile(const Report &report, const std::string &path)
{
    return writeFile(path, [&](std::ostream &out) { return writeJson(report, out); });
}

} // namespace hostsec::report
