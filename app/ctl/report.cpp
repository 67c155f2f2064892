#include "report.h"

#include "agentdirectory.h"

#include "client/snapshot.h"
#include "diagnosis/diagnosis.h"
#include "events/eventstore.h"
#include "model/rpcstatus.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "report/report.h"
#include "ui/report/pdfreport.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <ostream>

namespace hostsec::ctl {

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

constexpr Millis DefaultPeriod = 24LL * 3'600'000; // --since when not given: a day back
constexpr int EventPage = 1000;                    // the agents' largest page

Error usage(const std::string &message)
{
    return Error{static_cast<int>(rpc::InvalidParameter), "report: " + message};
}

// An ISO time, or an age before `now` such as "30m", "24h", "7d", "2w"; -1 when neither.
Millis parseTime(const std::string &text, Millis now)
{
    if (const Millis t = parseIsoTime(text); t >= 0)
        return t;
    if (text.size() < 2)
        return -1;
    char *end = nullptr;
    const long long count = std::strtoll(text.c_str(), &end, 10);
    if (end != text.c_str() + text.size() - 1 || count < 0)
        return -1;
    Millis unit = 0;
    switch (text.back()) {
    case 'm':
        unit = 60'000;
        break;
    case 'h':
        unit = 3'600'000;
        break;
    case 'd':
        unit = 86'400'000;
        break;
    case 'w':
        unit = 7 * 86'400'000LL;
        break;
    default:
        return -1;
    }
    return now - count * unit;
}

std::string urlEncode(const std::string &value)
{
    static constexpr char Hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += c;
        } else {
            encoded += '%';
            encoded += Hex[byte >> 4];
            encoded += Hex[byte & 0xF];
        }
    }
    return encoded;
}

// A temporary folder, removed with everything in it when this goes.
class TemporaryFolder
{
public:
    TemporaryFolder() = default;
    TemporaryFolder(const TemporaryFolder &) = delete;
    TemporaryFolder &operator=(const TemporaryFolder &) = delete;
    ~TemporaryFolder()
    {
        if (!m_path.empty()) {
            std::error_code ec;
            fs::remove_all(m_path, ec);
        }
    }

    Status create()
    {
        std::error_code ec;
        std::string pattern = (fs::temp_directory_path(ec) / "hostsecctl-report-XXXXXX").string();
        if (ec)
            pattern = "/tmp/hostsecctl-report-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            return Error{errno, "cannot create a temporary folder like " + pattern + ": " +
                                    std::strerror(errno)};
        m_path = pattern;
        return {};
    }

    const std::string &path() const { return m_path; }

private:
    std::string m_path;
};

// One event of GET /v1/events as the event store keeps it; nullopt when it is not one.
std::optional<Event> parseEvent(const json &j, const std::string &agent)
{
    if (!j.is_object())
        return std::nullopt;
    const auto text = [&](const char *key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto seq = j.find("seq");
    const auto id = j.find("id");
    if (seq == j.end() || !seq->is_number_integer() || id == j.end() || !id->is_number_integer())
        return std::nullopt;
    Event e;
    e.originSeq = seq->get<std::int64_t>();
    e.time = parseIsoTime(text("time"));
    if (e.originSeq <= 0 || e.time <= 0)
        return std::nullopt;
    e.server = text("server").empty() ? agent : text("server");
    e.source = text("source");
    e.id = id->get<int>();
    e.severity = severityFromString(text("severity")).value_or(Severity::Information);
    if (const auto params = j.find("params"); params != j.end() && params->is_array()) {
        for (const json &p : *params)
            e.params.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    }
    e.message = text("message");
    return e;
}

// Pages one agent's events of [from, until) into `store`, a page at a time; the count read.
Result<std::int64_t> fetchEvents(const client::ProfileAgent &agent,
                                 std::chrono::milliseconds timeout, Millis from, Millis until,
                                 EventStore &store)
{
    client::AgentClient client(agent.endpoint, timeout);
    const std::string period =
        "&from=" + urlEncode(formatIsoTime(from)) + "&until=" + urlEncode(formatIsoTime(until));
    std::int64_t after = 0;
    std::int64_t read = 0;
    std::vector<Event> batch;
    for (;;) {
        auto page = client.get("/v1/events?after=" + std::to_string(after) +
                               "&limit=" + std::to_string(EventPage) + period);
        if (!page)
            return page.error();
        const auto list = page->find("events");
        if (list == page->end() || !list->is_array())
            return Error{static_cast<int>(rpc::BadStubData),
                         "GET /v1/events answered without an \"events\" list"};
        batch.clear();
        std::int64_t last = after;
        for (const json &item : *list) {
            if (item.is_object() && item.contains("seq") && item["seq"].is_number_integer())
                last = std::max(last, item["seq"].get<std::int64_t>());
            if (auto event = parseEvent(item, agent.name))
                batch.push_back(std::move(*event));
        }
        if (!batch.empty()) {
            if (auto appended = store.append(batch); !appended)
                return appended.error();
        }
        read += static_cast<std::int64_t>(batch.size());
        if (list->size() < static_cast<std::size_t>(EventPage) || last == after)
            return read;
        after = last;
    }
}

// Sends the report to its renderer; the files written.
Result<std::vector<std::string>> render(const report::Report &r, const std::string &format,
                                        const std::string &output)
{
    if (format == "csv")
        return report::writeCsv(r, output);
    Status written;
    if (format == "html")
        written = report::writeHtmlFile(r, output);
    else if (format == "json")
        written = report::writeJsonFile(r, output);
    else
        written = reportpdf::writePdf(r, output);
    if (!written)
        return written.error();
    return std::vector<std::string>{output};
}

} // namespace

Status writeReport(const GlobalOptions &global, const ReportOptions &options, std::ostream &out,
                   std::ostream &err)
{
    if (options.format != "html" && options.format != "pdf" && options.format != "csv" &&
        options.format != "json")
        return usage("--format: expected html, pdf, csv or json, got \"" + options.format + "\"");
    if (options.output.empty())
        return usage("-o PATH is required (for csv, a folder)");
    const Millis now = nowMillis();
    const Millis until = options.until.empty() ? now : parseTime(options.until, now);
    if (until < 0)
        return usage("--until: expected an ISO time or an age such as 24h, got \"" + options.until +
                     "\"");
    const Millis from =
        options.since.empty() ? until - DefaultPeriod : parseTime(options.since, now);
    if (from < 0)
        return usage("--since: expected an ISO time or an age such as 7d, got \"" + options.since +
                     "\"");
    if (from >= until)
        return usage("--since " + formatIsoTime(from) + " is not before --until " +
                     formatIsoTime(until));
    auto sections = options.sections.empty()
                        ? Result<std::vector<report::Section>>(report::allSections())
                        : report::parseSections(options.sections);
    if (!sections)
        return usage("--sections: " + sections.error().message);

    const auto timeout = std::chrono::milliseconds(
        static_cast<long long>(std::llround(global.timeoutSeconds * 1000.0)));
    auto directory = AgentDirectory::open(global.profile, timeout);
    if (!directory)
        return Error{directory.error().code, "profile: " + directory.error().message};
    const client::Profile &profile = directory->profile();

    client::SnapshotOptions snapshotOptions;
    snapshotOptions.timeout = timeout;
    auto snapshot = client::collectSnapshot(profile, snapshotOptions);
    if (!snapshot)
        return Error{snapshot.error().code, "report: snapshot: " + snapshot.error().message};

    report::Report r;
    r.meta.generatedBy = report::currentUserAtHost();
    r.meta.generatedAt = now;
    r.meta.profile = profile.path;
    r.meta.from = from;
    r.meta.until = until;
    r.meta.sections = std::move(sections).value();
    diagnosis::Options rules;
    rules.profile = global.profile;
    r.findings = diagnosis::diagnose(*snapshot, rules);
    r.snapshot = std::move(snapshot).value();

    // The events of the period, from every agent that answered, into a store of our own: the
    // summary is then one GROUP BY, streamed into the renderer.
    TemporaryFolder folder;
    std::unique_ptr<EventStore> store;
    std::int64_t events = 0;
    if (r.has(report::Section::Events)) {
        if (auto created = folder.create(); !created)
            return Error{created.error().code, "report: " + created.error().message};
        auto opened = EventStore::open(folder.path() + "/events.db");
        if (!opened)
            return Error{opened.error().code, "report: " + opened.error().message};
        store = std::move(opened).value();
        err << "report: reading the agents' events from " << formatIsoTime(from) << " until "
            << formatIsoTime(until) << std::endl;
        for (const diagnosis::AgentState &state : r.snapshot.agents) {
            const client::ProfileAgent *agent = profile.agent(state.name);
            if (!agent || !state.reachable)
                continue;
            auto read = fetchEvents(*agent, timeout, from, until, *store);
            if (!read) {
                const std::string gap = agent->name + ": GET /v1/events: " +
                                        client::AgentClient::describeError(read.error());
                err << "report: " << gap << " (the summary leaves its events out)" << std::endl;
                r.snapshot.gaps.push_back(gap);
                continue;
            }
            events += *read;
        }
        r.events = report::summaryOf(*store, {.from = from, .until = until});
    }

    auto files = render(r, options.format, options.output);
    if (!files)
        return Error{files.error().code, "report " + options.output + ": " + files.error().message};

    std::size_t unreachable = 0;
    for (const auto &agent : r.snapshot.agents)
        unreachable += agent.reachable ? 0 : 1;
    if (global.json) {
        out << json{{"format", options.format},
                    {"output", options.output},
                    {"files", *files},
                    {"period", {{"from", formatIsoTime(from)}, {"until", formatIsoTime(until)}}},
                    {"servers", r.snapshot.agents.size()},
                    {"unreachable", unreachable},
                    {"bindings", r.snapshot.domain.bindings.size()},
                    {"findings", r.findings.size()},
                    {"events", events},
                    {"gaps", r.snapshot.gaps}}
                   .dump(2)
            << '\n';
        return {};
    }
    out << options.format << " report written to " << options.output;
    if (files->size() > 1)
        out << " (" << files->size() << " files)";
    out << ": " << r.snapshot.agents.size() << " servers (" << unreachable << " unreachable), "
        << r.snapshot.domain.bindings.size() << " bindings, " << r.findings.size() << " findings, "
        << events << " events from " << formatIsoTime(from) << " until " << formatIsoTime(until)
        << '\n';
    for (const std::string &gap : r.snapshot.gaps)
        out << "incomplete: " << gap << '\n';
    return {};
}

} // namespace hostsec::ctl
