#include "report/tables.h"

#include "model/rpcstatus.h"

#include <map>

namespace hostsec::report {

namespace {

using diagnosis::AgentState;

// Column makers, so each table below reads as a list of what it shows.
constexpr Column text(std::string_view name, std::string_view heading)
{
    return {name, heading, Show::Everywhere, Kind::Text};
}
constexpr Column number(std::string_view name, std::string_view heading)
{
    return {name, heading, Show::Everywhere, Kind::Number};
}
constexpr Column time(std::string_view name, std::string_view heading)
{
    return {name, heading, Show::Everywhere, Kind::Time};
}
constexpr Column state(std::string_view name, std::string_view heading)
{
    return {name, heading, Show::Everywhere, Kind::State};
}
constexpr Column csvOnly(std::string_view name)
{
    return {name, "", Show::CsvOnly, Kind::Text};
}
constexpr Column documentOnly(std::string_view heading)
{
    return {"", heading, Show::DocumentOnly, Kind::Text};
}

// The columns of an RPC status: one readable cell for documents, code, name and text for CSV.
std::vector<Column> statusColumns(std::string_view heading, std::string_view code,
                                  std::string_view name, std::string_view text)
{
    return {documentOnly(heading), csvOnly(code), csvOnly(name), csvOnly(text)};
}

void appendStatus(std::vector<std::string> &cells, std::uint32_t code)
{
    cells.push_back(statusText(code));
    if (code == rpc::Success) {
        cells.insert(cells.end(), {"", "", ""});
        return;
    }
    const RpcStatus status = rpcStatus(code);
    cells.push_back(rpcCodeHex(code));
    cells.emplace_back(status.name);
    cells.emplace_back(status.text);
}

std::vector<Column> concat(std::vector<Column> a, const std::vector<Column> &b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// `values` joined by `separator`.
template <class Values, class Text>
std::string joined(const Values &values, std::string_view separator, Text text)
{
    std::string out;
    for (const auto &value : values) {
        if (!out.empty())
            out += separator;
        out += text(value);
    }
    return out;
}

std::string lines(const std::vector<std::string> &values)
{
    return joined(values, "\n", [](const std::string &value) { return value; });
}

std::string sectionList(const std::vector<Section> &sections)
{
    return joined(sections, ",", [](Section section) { return std::string(toString(section)); });
}

std::string servicesText(const Server &server)
{
    return joined(server.services, ", ", [](const Service &service) {
        std::string text(toString(service.kind));
        if (service.cacheRole != CacheRole::None) {
            text += " (";
            text += toString(service.cacheRole);
            text += ')';
        }
        return text;
    });
}

const TableSpec &metaTable()
{
    static const TableSpec spec{"report",
                                "About this report",
                                std::nullopt,
                                {csvOnly("key"), documentOnly("Item"), text("value", "Value")}};
    return spec;
}

const TableSpec &serversTable()
{
    static const TableSpec spec{"servers",
                                "Servers",
                                Section::Servers,
                                {text("server", "Server"), text("role", "Role"),
                                 text("address", "Address"), state("reachable", "Reachable"),
                                 text("error", "Error"),
                                 time("unreachable_since", "Unreachable since"),
                                 text("services", "Services"), text("instance_id", "Instance"),
                                 time("started_at", "Started"), text("version", "Version")}};
    return spec;
}

const TableSpec &bindingsTable()
{
    static const TableSpec spec{
        "bindings", "Bindings", Section::Bindings,
        concat(concat({text("id", "Binding"), csvOnly("from_server"), csvOnly("from_service"),
                       csvOnly("to_server"), csvOnly("to_service"), state("state", "State"),
                       text("policy", "Policy")},
                      statusColumns("Last error", "last_error_code", "last_error_name",
                                    "last_error_text")),
               {number("consecutive_failures", "Failures"), time("last_success", "Last success"),
                time("last_failure", "Last failure"), text("peer_instance", "Peer instance"),
                csvOnly("endpoint"), csvOnly("interface"), csvOnly("protseq")})};
    return spec;
}

const TableSpec &timelineTable()
{
    static const TableSpec spec{
        "binding_timeline", "Binding timelines", Section::Bindings,
        concat(concat({text("binding", "Binding"), time("time", "Time"), state("from", "From"),
                       state("to", "To")},
                      statusColumns("Status", "status_code", "status_name", "status_text")),
               {text("reason", "Reason")})};
    return spec;
}

const TableSpec &usersTable()
{
    static const TableSpec spec{
        "users", "Users not in sync, by sync state", Section::Users,
        concat({state("sync_state", "Sync state"), text("domain_account", "Domain account"),
                text("host_account", "Host account"), text("host_domain", "Host domain"),
                time("last_change", "Last change")},
               statusColumns("Last status", "last_status_code", "last_status_name",
                             "last_status_text"))};
    return spec;
}

const TableSpec &pendingTable()
{
    static const TableSpec spec{
        "pending", "Pending changes", Section::Pending,
        concat({text("holder", "Held by"), number("seq", "Seq"), text("change_id", "Change"),
                text("kind", "Kind"), text("user", "User"), text("target", "Waiting for"),
                time("created", "Created"), number("attempts", "Attempts"),
                time("last_attempt", "Last attempt")},
               statusColumns("Last status", "last_status_code", "last_status_name",
                             "last_status_text"))};
    return spec;
}

const TableSpec &findingsTable()
{
    static const TableSpec spec{
        "findings",
        "Findings",
        Section::Findings,
        {state("level", "Level"), csvOnly("rule"), text("title", "Finding"),
         documentOnly("Concerns"), csvOnly("servers"), csvOnly("bindings"), csvOnly("users"),
         time("since", "Since"), text("what", "What happened"), text("why", "Why"),
         csvOnly("action_kind"), text("action", "Recommended action"), text("command", "Command")}};
    return spec;
}

const TableSpec &eventsTable()
{
    static const TableSpec spec{"events",
                                "Event summary by hour, server and id",
                                Section::Events,
                                {time("hour", "Hour (UTC)"), text("server", "Server"),
                                 number("id", "Id"), text("symbol", "Event"), csvOnly("source"),
                                 state("severity", "Severity"), number("count", "Count"),
                                 text("title", "Text")}};
    return spec;
}

const TableSpec &eventKindsTable()
{
    static const TableSpec spec{"event_kinds",
                                "Event kinds in this summary",
                                Section::Events,
                                {number("id", "Id"), text("symbol", "Event"),
                                 text("source", "Source"), text("title", "Text"),
                                 text("explanation", "Meaning")}};
    return spec;
}

void writeMeta(const Report &report, TableSink &sink)
{
    const ReportMeta &meta = report.meta;
    const diagnosis::DomainSnapshot &snapshot = report.snapshot;
    sink.begin(metaTable());
    struct Item
    {
        const char *key;
        const char *label;
        std::string value;
    };
    const Item items[] = {
        {"schema", "Schema", std::string(SchemaId)},
        {"generated_by", "Generated by", meta.generatedBy},
        {"generated_at", "Generated at (UTC)", timeText(meta.generatedAt)},
        {"profile", "Profile", meta.profile},
        {"domain", "Domain", snapshot.domain.name},
        {"host_domain", "Host domain", snapshot.domain.hostDomain},
        {"snapshot_taken_at", "Snapshot taken at (UTC)", timeText(snapshot.takenAt)},
        {"period_from", "Events from (UTC)", timeText(meta.from)},
        {"period_until", "Events until (UTC)", timeText(meta.until)},
        {"sections", "Sections", sectionList(meta.sections)},
        {"snapshot_gaps", "Incomplete", lines(snapshot.gaps)},
    };
    for (const Item &item : items)
        sink.row({item.key, item.label, item.value});
    sink.end(metaTable());
}

void writeServers(const Report &report, TableSink &sink)
{
    const Domain &domain = report.snapshot.domain;
    sink.begin(serversTable());
    const auto row = [&](const AgentState *agent, const Server *server) {
        const std::string name = agent ? agent->name : server->name;
        const std::string address =
            server && !server->address.empty() ? server->address : (agent ? agent->endpoint : "");
        const bool reachable = agent ? agent->reachable : true;
        sink.row({name, server ? std::string(toString(server->role())) : "", address,
                  reachable ? "yes" : "no", agent ? agent->error : "",
                  agent ? timeText(agent->unreachableSince) : "",
                  server ? servicesText(*server) : "", server ? server->instanceId : "",
                  server ? timeText(server->startedAt) : "", server ? server->version : ""});
    };
    for (const AgentState &agent : report.snapshot.agents)
        row(&agent, domain.server(agent.name));
    for (const Server &server : domain.servers) {
        bool listed = false;
        for (const AgentState &agent : report.snapshot.agents)
            listed = listed || agent.name == server.name;
        if (!listed)
            row(nullptr, &server);
    }
    sink.end(serversTable());
}

void writeBindings(const Report &report, TableSink &sink)
{
    const Domain &domain = report.snapshot.domain;
    sink.begin(bindingsTable());
    for (const Binding &b : domain.bindings) {
        std::vector<std::string> cells = {b.id,
                                          b.fromServer,
                                          std::string(toString(b.fromService)),
                                          b.toServer,
                                          std::string(toString(b.toService)),
                                          std::string(toString(b.state)),
                                          std::string(toString(b.policy))};
        appendStatus(cells, b.lastError);
        cells.insert(cells.end(), {std::to_string(b.consecutiveFailures), timeText(b.lastSuccess),
                                   timeText(b.lastFailure), b.peerInstance, b.endpoint,
                                   b.interfaceUuid, b.protseq});
        sink.row(cells);
    }
    sink.end(bindingsTable());

    sink.begin(timelineTable());
    for (const Binding &b : domain.bindings) {
        for (const BindingTransition &t : b.timeline) {
            std::vector<std::string> cells = {b.id, timeText(t.time), std::string(toString(t.from)),
                                              std::string(toString(t.to))};
            appendStatus(cells, t.status);
            cells.push_back(t.reason);
            sink.row(cells);
        }
    }
    sink.end(timelineTable());
}

void writeUsers(const Report &report, TableSink &sink)
{
    sink.begin(usersTable());
    for (const UserMapping *user : usersByState(report)) {
        std::vector<std::string> cells = {std::string(toString(user->syncState)),
                                          user->domainAccount, user->hostAccount, user->hostDomain,
                                          timeText(user->lastChange)};
        appendStatus(cells, user->lastStatus);
        sink.row(cells);
    }
    sink.end(usersTable());
}

void writePending(const Report &report, TableSink &sink)
{
    sink.begin(pendingTable());
    for (const diagnosis::PendingChange &p : report.snapshot.pending) {
        std::vector<std::string> cells = {p.holder,
                                          std::to_string(p.seq),
                                          p.changeId,
                                          p.kind,
                                          p.user,
                                          p.target,
                                          timeText(p.created),
                                          std::to_string(p.attempts),
                                          timeText(p.lastAttempt)};
        appendStatus(cells, p.lastStatus);
        sink.row(cells);
    }
    sink.end(pendingTable());
}

void writeFindings(const Report &report, TableSink &sink)
{
    sink.begin(findingsTable());
    for (const diagnosis::Finding *f : findingsBySeverity(report)) {
        std::vector<std::string> concerns = f->servers;
        concerns.insert(concerns.end(), f->bindings.begin(), f->bindings.end());
        concerns.insert(concerns.end(), f->users.begin(), f->users.end());
        sink.row({std::string(diagnosis::toString(f->level)), f->rule, f->title, lines(concerns),
                  lines(f->servers), lines(f->bindings), lines(f->users), timeText(f->since),
                  f->what, f->why, std::string(diagnosis::toString(f->action.kind)), f->action.text,
                  f->action.command});
    }
    sink.end(findingsTable());
}

Status writeEvents(const Report &report, TableSink &sink)
{
    // One wording per id, looked up once: a summary has many rows but few ids.
    std::map<int, EventWording> wordings;
    sink.begin(eventsTable());
    Status status;
    if (report.events) {
        status = report.events([&](const EventSummaryRow &r) {
            auto it = wordings.find(r.id);
            if (it == wordings.end())
                it = wordings.emplace(r.id, eventWording(r.id)).first;
            const EventWording &w = it->second;
            sink.row({timeText(r.hour), r.server, std::to_string(r.id), w.symbol, w.source,
                      std::string(toString(r.severity)), std::to_string(r.count), w.title});
            return true;
        });
    }
    if (!status)
        return status; // the table is incomplete: the caller discards what it wrote
    sink.end(eventsTable());

    sink.begin(eventKindsTable());
    for (const auto &[id, w] : wordings)
        sink.row({std::to_string(id), w.symbol, w.source, w.title, w.explanation});
    sink.end(eventKindsTable());
    return {};
}

} // namespace

std::string timeText(Millis t)
{
    return formatIsoTime(t);
}

Status writeTables(const Report &report, TableSink &sink)
{
    writeMeta(report, sink);
    for (const Section section : report.meta.sections) {
        switch (section) {
        case Section::Servers:
            writeServers(report, sink);
            break;
        case Section::Bindings:
            writeBindings(report, sink);
            break;
        case Section::Users:
            writeUsers(report, sink);
            break;
        case Section::Pending:
            writePending(report, sink);
            break;
        case Section::Findings:
            writeFindings(report, sink);
            break;
        case Section::Events:
            if (auto done = writeEvents(report, sink); !done)
                return done;
            break;
        }
    }
    return {};
}

} // namespace hostsec::report
