#include "commands.h"

#include "agentdirectory.h"
#include "table.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "model/domain.h"
#include "model/rpcstatus.h"
#include "model/time.h"
#include "protocol/modeljson.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <thread>
#include <tuple>

#include <termios.h>
#include <unistd.h>

namespace hostsec::ctl {

using client::AgentClient;
using client::ProfileAgent;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto JobPollInterval = 200ms; // how often `resync` asks for its job's progress

// A member as text: strings as they are, numbers as JSON, null and missing as "".
std::string text(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string orDash(std::string value)
{
    return value.empty() ? "-" : value;
}

// "12s" since an ISO time member, "-" when it is null or missing.
std::string ageOf(const json &object, const char *key)
{
    const std::string iso = text(object, key);
    if (iso.empty())
        return "-";
    const Millis t = parseIsoTime(iso);
    return t < 0 ? iso : formatAge(nowMillis() - t);
}

// Array member, or an empty array when it is missing or not an array.
json arrayOf(const json &object, const char *key)
{
    if (object.is_object()) {
        const auto it = object.find(key);
        if (it != object.end() && it->is_array())
            return *it;
    }
    return json::array();
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

// "/v1/users?state=failed&limit=50": parameters with an empty value are left out.
std::string withQuery(std::string path,
                      const std::vector<std::pair<std::string, std::string>> &query)
{
    char separator = '?';
    for (const auto &[name, value] : query) {
        if (value.empty())
            continue;
        path += separator + name + "=" + urlEncode(value);
        separator = '&';
    }
    return path;
}

std::string joined(const std::vector<std::string> &values, const char *separator = ",")
{
    std::string result;
    for (const auto &value : values)
        result += (result.empty() ? "" : separator) + value;
    return result;
}

// "<what>: 0x6BA RPC_S_SERVER_UNAVAILABLE: <why>"
Error failed(const std::string &what, const Error &why)
{
    return Error{why.code, what + ": " + AgentClient::describeError(why)};
}

// {"code","hex","name","text","message"} for an Error, in --json output.
json errorJson(const Error &error)
{
    json object = error.code > 0 ? rpcStatusJson(static_cast<std::uint32_t>(error.code))
                                 : json::object({{"code", error.code}});
    object["message"] = error.message;
    return object;
}

std::chrono::milliseconds toMillis(double seconds)
{
    return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

// One line from stdin, without echo when it is a terminal. The caller clears it after use.
Result<std::string> readSecret(const std::string &prompt)
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << '\n';
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (!got || line.empty())
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "no password on stdin (give it as one line)"};
    return line;
}

// Overwrites a secret before its memory is given back.
void wipe(std::string &secret)
{
    std::fill(secret.begin(), secret.end(), '\0');
    secret.clear();
}

// The answers of several agents to one GET, and a summary of those that failed.
struct Gathered
{
    std::vector<std::pair<const ProfileAgent *, json>> answers;
    std::string problems; // "HS2: 0x6BA ...: connect to ...; ..."
    int code = 0;         // the code of the first problem
};

// GET `target` from `agents` at once. A service missing on an agent (409, EPT_S_NOT_REGISTERED)
// is not a problem: that agent simply has nothing of the kind.
Gathered gather(const std::vector<const ProfileAgent *> &agents, const std::string &target,
                std::chrono::milliseconds timeout)
{
    std::vector<net::Endpoint> endpoints;
    for (const auto *agent : agents)
        endpoints.push_back(agent->endpoint);
    auto answers = AgentClient::getAll(endpoints, target, timeout);
    Gathered gathered;
    for (std::size_t i = 0; i < agents.size(); ++i) {
        if (answers[i]) {
            gathered.answers.emplace_back(agents[i], std::move(answers[i]).value());
            continue;
        }
        const Error &error = answers[i].error();
        if (error.code == static_cast<int>(rpc::EndpointNotRegistered))
            continue;
        if (gathered.code == 0)
            gathered.code = error.code;
        gathered.problems += (gathered.problems.empty() ? "" : "; ") + agents[i]->name + ": " +
                             AgentClient::describeError(error);
    }
    return gathered;
}

Status partial(const std::string &what, const Gathered &gathered)
{
    if (gathered.problems.empty())
        return {};
    return Error{gathered.code, what + ": " + gathered.problems};
}

bool isHostAccountName(const std::string &name)
{
    return !name.empty() && name.find_first_of(" \t\\/") == std::string::npos;
}

} // namespace

Commands::Commands(GlobalOptions options, std::ostream &out, std::ostream &err)
    : m_options(std::move(options))
    , m_out(out)
    , m_err(err)
{}

Result<AgentDirectory> Commands::openProfile() const
{
    auto directory = AgentDirectory::open(m_options.profile, toMillis(m_options.timeoutSeconds));
    if (!directory)
        return Error{directory.error().code, "profile: " + directory.error().message};
    return directory;
}

// ---- demo ----------------------------------------------------------------------------------

Status Commands::demoInit(const std::string &dir, int users)
{
    if (auto done = client::DemoDomain::init(dir, users); !done)
        return Error{done.error().code, "demo init " + dir + ": " + done.error().message};
    auto profile = client::Profile::load((std::filesystem::path(dir) / "profile.json").string());
    if (!profile)
        return Error{profile.error().code, "demo init " + dir + ": " + profile.error().message};
    if (m_options.json) {
        json agents = json::array();
        for (const auto &agent : profile->agents)
            agents.push_back({{"name", agent.name},
                              {"address", agent.endpoint.toString()},
                              {"config", agent.configPath}});
        m_out << json{{"profile", profile->path},
                      {"users", users},
                      {"agents", agents},
                      {"tls",
                       {{"ca", profile->tls.caFile.string()},
                        {"cert", profile->tls.certFile.string()},
                        {"key", profile->tls.keyFile.string()}}}}
                     .dump(2)
              << '\n';
        return {};
    }
    m_out << "demo domain " << profile->domain << " / " << profile->hostDomain << " with " << users
          << " users in " << dir << ":\n";
    Table table({"SERVER", "ADDRESS", "CONFIG"});
    for (const auto &agent : profile->agents)
        table.add({agent.name, agent.endpoint.toString(), agent.configPath});
    table.print(m_out);
    m_out << "mutual TLS: the demo's CA is " << profile->tls.caFile.string() << "; you connect as "
          << profile->tls.certFile.string() << " (role admin)\n";
    m_out << "start it with: hostsecctl demo start " << dir << '\n';
    return {};
}

Status Commands::demoStart(const std::string &dir, double waitSeconds)
{
    if (auto done = client::DemoDomain::start(dir, toMillis(waitSeconds)); !done)
        return Error{done.error().code, "demo start " + dir + ": " + done.error().message};
    auto profile = client::Profile::load((std::filesystem::path(dir) / "profile.json").string());
    if (!profile)
        return Error{profile.error().code, "demo start " + dir + ": " + profile.error().message};
    json agents = json::array();
    Table table({"SERVER", "ADDRESS", "PID"});
    for (const auto &agent : profile->agents) {
        const int pid = client::DemoDomain::runningPid(dir, agent.name);
        agents.push_back(
            {{"name", agent.name}, {"address", agent.endpoint.toString()}, {"pid", pid}});
        table.add({agent.name, agent.endpoint.toString(), std::to_string(pid)});
    }
    if (m_options.json) {
        m_out << json{{"profile", profile->path}, {"agents", agents}}.dump(2) << '\n';
        return {};
    }
    m_out << "demo domain in " << dir << " is up:\n";
    table.print(m_out);
    m_out << "try: hostsecctl -p " << dir << " bindings\n";
    return {};
}

Status Commands::demoStop(const std::string &dir)
{
    if (auto done = client::DemoDomain::stop(dir); !done)
        return Error{done.error().code, "demo stop " + dir + ": " + done.error().message};
    if (m_options.json)
        m_out << json{{"stopped", true}, {"dir", dir}}.dump(2) << '\n';
    else
        m_out << "demo domain in " << dir << " stopped\n";
    return {};
}

Status Commands::demoRecycle(const std::string &dir, const std::string &server, double waitSeconds)
{
    const int before = client::DemoDomain::runningPid(dir, server);
    if (auto done = client::DemoDomain::recycle(dir, server, toMillis(waitSeconds)); !done)
        return Error{done.error().code,
                     "demo recycle " + dir + " " + server + ": " + done.error().message};
    int after = client::DemoDomain::runningPid(dir, server);
    if (after == 0) { // the name may differ in case from the folder's
        for (const char *name : client::DemoDomain::Servers) {
            std::string upper = server;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            if (upper == name)
                after = client::DemoDomain::runningPid(dir, name);
        }
    }
    if (m_options.json) {
        m_out << json{{"server", server}, {"previous_pid", before}, {"pid", after}}.dump(2) << '\n';
        return {};
    }
    m_out << server << " recycled: ";
    if (before > 0)
        m_out << "killed pid " << before << ", ";
    m_out << "running again as pid " << after << '\n';
    return {};
}

// ---- reading -------------------------------------------------------------------------------

Status Commands::status(const std::string &server)
{
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agents = directory->select(server);
    if (!agents)
        return Error{agents.error().code, "status: " + agents.error().message};

    std::vector<net::Endpoint> endpoints;
    for (const auto *agent : *agents)
        endpoints.push_back(agent->endpoint);
    auto answers = AgentClient::getAll(endpoints, "/v1/status", directory->timeout());

    json all = json::array();
    Table table({"SERVER", "ROLE", "ADDRESS", "STATE", "UPTIME", "OUTBOX", "LAST EVENT", "VERSION",
                 "CERTIFICATE UNTIL"});
    std::vector<std::string> down;
    for (std::size_t i = 0; i < agents->size(); ++i) {
        const ProfileAgent &agent = *(*agents)[i];
        if (answers[i]) {
            json status = answers[i].value();
            if (!status.is_object())
                status = json::object({{"server", agent.name}});
            status["reachable"] = true;
            const std::string uptime = text(status, "uptime_ms");
            const json certificate = status.value("certificate", json());
            const std::string notAfter =
                certificate.is_object() ? text(certificate, "not_after") : std::string();
            table.add({orDash(text(status, "server")), orDash(text(status, "role")),
                       orDash(text(status, "address").empty() ? agent.endpoint.toString()
                                                              : text(status, "address")),
                       "up", uptime.empty() ? "-" : formatAge(std::atoll(uptime.c_str())),
                       orDash(text(status, "outbox_depth")), orDash(text(status, "last_event_seq")),
                       orDash(text(status, "version")), orDash(notAfter.substr(0, 10))});
            all.push_back(std::move(status));
        } else {
            const Error &error = answers[i].error();
            all.push_back({{"server", agent.name},
                           {"address", agent.endpoint.toString()},
                           {"reachable", false},
                           {"error", errorJson(error)}});
            table.add({agent.name, "-", agent.endpoint.toString(), "unreachable", "-", "-", "-",
                       "-", "-"});
            down.push_back(agent.name + ": " + AgentClient::describeError(error));
        }
    }
    if (m_options.json) {
        m_out << all.dump(2) << '\n';
        return {};
    }
    table.print(m_out);
    for (const auto &line : down)
        m_out << line << '\n';
    return {};
}

Status Commands::bindings(const std::string &server)
{
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agents = directory->select(server);
    if (!agents)
        return Error{agents.error().code, "bindings: " + agents.error().message};
    const Gathered gathered = gather(*agents, "/v1/bindings", directory->timeout());

    json all = json::array();
    for (const auto &[agent, answer] : gathered.answers) {
        for (const json &binding : arrayOf(answer, "bindings"))
            all.push_back(binding);
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const json &a, const json &b) { return text(a, "id") < text(b, "id"); });
    if (m_options.json) {
        m_out << all.dump(2) << '\n';
        return partial("bindings", gathered);
    }
    Table table({"ID", "STATE", "POLICY", "LAST ERROR", "FAILURES", "SINCE"});
    for (const json &binding : all) {
        const json timeline = arrayOf(binding, "timeline");
        const std::string since = timeline.empty() ? "-" : ageOf(timeline.back(), "time");
        table.add({text(binding, "id"), orDash(text(binding, "state")),
                   orDash(text(binding, "policy")),
                   AgentClient::shortStatus(binding.value("last_error", json())),
                   orDash(text(binding, "consecutive_failures")), since});
    }
    table.print(m_out);
    return partial("bindings", gathered);
}

Status Commands::users(const UsersOptions &options)
{
    if (!options.state.empty() && !syncStateFromString(options.state))
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "users: --state: expected in-sync, pending, failed or rejected, got \"" +
                         options.state + "\""};
    if (options.limit < 0)
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "users: --limit: expected 0 (all) or more"};
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto primary = directory->byService("host-account-sync", "primary");
    if (!primary)
        return Error{primary.error().code, "users: " + primary.error().message};
    AgentClient client = directory->client(**primary);

    constexpr int PageLimit = 1000; // the API's largest page
    json rows = json::array();
    std::string after;
    bool more = false;
    while (true) {
        const int remaining =
            options.limit == 0 ? PageLimit : options.limit - static_cast<int>(rows.size());
        if (remaining <= 0)
            break;
        const std::string target =
            withQuery("/v1/users", {{"state", options.state},
                                    {"text", options.text},
                                    {"after", after},
                                    {"limit", std::to_string(std::min(remaining, PageLimit))}});
        auto page = client.get(target);
        if (!page)
            return failed("users from " + (*primary)->name, page.error());
        const json pageRows = arrayOf(*page, "users");
        for (const json &row : pageRows)
            rows.push_back(row);
        after = text(*page, "next");
        more = !after.empty();
        if (!more || pageRows.empty())
            break;
    }
    if (m_options.json) {
        m_out << rows.dump(2) << '\n';
        return {};
    }
    Table table({"DOMAIN ACCOUNT", "HOST ACCOUNT", "STATE", "LAST CHANGE", "LAST STATUS"});
    for (const json &row : rows)
        table.add({text(row, "domain_account"), orDash(text(row, "host_account")),
                   orDash(text(row, "sync_state")), ageOf(row, "last_change"),
                   AgentClient::shortStatus(row.value("last_status", json()))});
    table.print(m_out);
    if (more)
        m_err << "(more users on " << (*primary)->name
              << ": raise --limit, or --limit 0 for all)\n";
    return {};
}

Status Commands::outbox(const std::string &server, const std::string &user)
{
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agents = directory->select(server);
    if (!agents)
        return Error{agents.error().code, "outbox: " + agents.error().message};
    const Gathered gathered =
        gather(*agents, withQuery("/v1/outbox", {{"user", user}}), directory->timeout());

    json all = json::array();
    for (const auto &[agent, answer] : gathered.answers) {
        for (json row : arrayOf(answer, "pending")) {
            if (row.is_object() && !row.contains("server"))
                row["server"] = agent->name;
            all.push_back(std::move(row));
        }
    }
    if (m_options.json) {
        m_out << all.dump(2) << '\n';
        return partial("outbox", gathered);
    }
    if (all.empty()) {
        m_out << "no change is waiting for a peer\n";
    } else {
        Table table(
            {"SERVER", "SEQ", "CHANGE", "USER", "TARGET", "AGE", "ATTEMPTS", "LAST STATUS"});
        for (const json &row : all)
            table.add({text(row, "server"), text(row, "seq"), text(row, "change_id"),
                       text(row, "user"), text(row, "target"), ageOf(row, "created"),
                       text(row, "attempts"),
                       AgentClient::shortStatus(row.value("last_status", json()))});
        table.print(m_out);
    }
    return partial("outbox", gathered);
}

Status Commands::events(const EventsOptions &options)
{
    if (options.limit <= 0 || options.limit > 1000)
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "events: --limit: expected 1 to 1000, got " + std::to_string(options.limit)};
    if (options.after < 0)
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "events: --after: expected a sequence number of 0 or more"};
    // The event log's severities (core/events), checked here so a typo does not just find nothing.
    constexpr std::array<std::string_view, 5> Severities{"information", "warning", "error",
                                                         "audit-success", "audit-failure"};
    for (const auto &severity : options.severities) {
        if (std::find(Severities.begin(), Severities.end(), severity) == Severities.end())
            return Error{static_cast<int>(rpc::InvalidParameter),
                         "events: --severity: expected information, warning, error, "
                         "audit-success or audit-failure, got \"" +
                             severity + "\""};
    }
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agents = directory->select(options.server);
    if (!agents)
        return Error{agents.error().code, "events: " + agents.error().message};
    const std::string target = withQuery("/v1/events", {{"after", std::to_string(options.after)},
                                                        {"limit", std::to_string(options.limit)},
                                                        {"id", joined(options.ids)},
                                                        {"severity", joined(options.severities)},
                                                        {"source", joined(options.sources)},
                                                        {"text", options.text},
                                                        {"from", options.from},
                                                        {"until", options.until}});
    const Gathered gathered = gather(*agents, target, directory->timeout());

    json all = json::array();
    for (const auto &[agent, answer] : gathered.answers) {
        for (const json &event : arrayOf(answer, "events"))
            all.push_back(event);
    }
    // ISO times with milliseconds sort as text; seq orders events of one server within one ms.
    std::stable_sort(all.begin(), all.end(), [](const json &a, const json &b) {
        const auto key = [](const json &e) {
            return std::make_tuple(text(e, "time"), text(e, "server"),
                                   e.is_object() ? e.value("seq", 0LL) : 0LL);
        };
        return key(a) < key(b);
    });
    if (all.size() > static_cast<std::size_t>(options.limit))
        all.erase(all.begin() + options.limit, all.end());
    if (m_options.json) {
        m_out << all.dump(2) << '\n';
        return partial("events", gathered);
    }
    Table table({"TIME", "SERVER", "SEQ", "ID", "SEVERITY", "SOURCE", "MESSAGE"});
    for (const json &event : all)
        table.add({text(event, "time"), text(event, "server"), text(event, "seq"),
                   text(event, "id"), text(event, "severity"), text(event, "source"),
                   text(event, "message")});
    table.print(m_out);
    return partial("events", gathered);
}

// ---- acting --------------------------------------------------------------------------------

Status Commands::rebind(const RebindOptions &options)
{
    const int chosen = (options.binding.empty() ? 0 : 1) + (options.server.empty() ? 0 : 1) +
                       (options.allStale ? 1 : 0);
    if (chosen != 1)
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "rebind: give exactly one of BINDING_ID, --server NAME or --all-stale"};
    auto directory = openProfile();
    if (!directory)
        return directory.error();

    std::vector<std::pair<const ProfileAgent *, json>> requests;
    if (!options.binding.empty()) {
        const auto slash = options.binding.find('/');
        const auto arrow = options.binding.find("->");
        if (slash == std::string::npos || slash == 0 || arrow == std::string::npos || arrow < slash)
            return Error{static_cast<int>(rpc::InvalidParameter),
                         "rebind: BINDING_ID: expected FROM/service->TO/service, got \"" +
                             options.binding + "\""};
        // A binding is held, and so rebound, by its client side: the from_server.
        auto agent = directory->byName(options.binding.substr(0, slash));
        if (!agent)
            return Error{agent.error().code,
                         "rebind " + options.binding + ": " + agent.error().message};
        requests.emplace_back(*agent, json{{"binding", options.binding}});
    } else if (!options.server.empty()) {
        auto agent = directory->byName(options.server);
        if (!agent)
            return Error{agent.error().code, "rebind: " + agent.error().message};
        requests.emplace_back(*agent, json{{"all", true}});
    } else {
        for (const auto &agent : directory->profile().agents)
            requests.emplace_back(&agent, json{{"all_stale", true}});
    }

    json rebinding = json::array();
    std::string problems;
    int code = 0;
    for (const auto &[agent, body] : requests) {
        auto answer = directory->client(*agent).post("/v1/rebind", body);
        if (!answer) {
            if (requests.size() == 1)
                return failed("rebind on " + agent->name, answer.error());
            problems += (problems.empty() ? "" : "; ") + agent->name + ": " +
                        AgentClient::describeError(answer.error());
            code = code == 0 ? answer.error().code : code;
            continue;
        }
        for (const json &id : arrayOf(*answer, "rebinding"))
            rebinding.push_back(id);
    }
    if (m_options.json) {
        m_out << json{{"rebinding", rebinding}}.dump(2) << '\n';
    } else if (rebinding.empty()) {
        m_out << "no binding to rebind\n";
    } else {
        for (const json &id : rebinding)
            m_out << "rebinding " << (id.is_string() ? id.get<std::string>() : id.dump()) << '\n';
    }
    if (!problems.empty())
        return Error{code, "rebind: " + problems};
    return {};
}

Status Commands::resync(const ResyncOptions &options)
{
    const int chosen =
        (options.users.empty() ? 0 : 1) + (options.failed ? 1 : 0) + (options.all ? 1 : 0);
    if (chosen != 1)
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "resync: give exactly one of --user ACCOUNT (repeatable), --failed or --all"};
    json body;
    if (!options.users.empty()) {
        for (const auto &account : options.users) {
            std::string domain;
            std::string user;
            if (!splitDomainAccount(account, domain, user))
                return Error{static_cast<int>(rpc::InvalidParameter),
                             "resync: --user: expected DOMAIN\\user, got \"" + account + "\""};
        }
        body = {{"users", options.users}};
    } else if (options.failed) {
        body = {{"failed", true}};
    } else {
        body = {{"all", true}};
    }
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto primary = directory->byService("host-account-sync", "primary");
    if (!primary)
        return Error{primary.error().code, "resync: " + primary.error().message};
    AgentClient client = directory->client(**primary);
    auto started = client.post("/v1/resync", body);
    if (!started)
        return failed("resync on " + (*primary)->name, started.error());
    json job = started->value("job", json::object());
    const std::string id = text(job, "id");
    if (id.empty())
        return Error{static_cast<int>(rpc::BadStubData),
                     "resync on " + (*primary)->name +
                         ": the answer names no job: " + started->dump()};

    if (!options.noWait) {
        std::string lastProgress;
        while (text(job, "state") == "running") {
            const std::string progress = text(job, "done") + "/" + text(job, "total") + " done, " +
                                         orDash(text(job, "failed")) + " failed";
            if (progress != lastProgress)
                m_err << "resync " << id << " on " << (*primary)->name << ": " << progress
                      << std::endl;
            lastProgress = progress;
            std::this_thread::sleep_for(JobPollInterval);
            auto polled = client.get("/v1/jobs/" + urlEncode(id));
            if (!polled)
                return failed("resync " + id + " on " + (*primary)->name, polled.error());
            job = polled->value("job", *polled); // accept {"job": JOB} as well as JOB
        }
    }
    if (m_options.json)
        m_out << job.dump(2) << '\n';
    const std::string state = text(job, "state");
    const std::string failedCount = text(job, "failed");
    if (options.noWait || state == "running") {
        if (!m_options.json)
            m_out << "resync " << id << " started on " << (*primary)->name << ": "
                  << orDash(text(job, "total")) << " users (hostsecctl resync follows it without "
                  << "--no-wait)\n";
        return {};
    }
    if (!m_options.json)
        m_out << "resync " << id << " " << state << ": " << text(job, "done") << " of "
              << text(job, "total") << " users, " << orDash(failedCount) << " failed\n";
    if (state == "cancelled")
        return Error{static_cast<int>(rpc::CallCancelled), "resync " + id + ": cancelled after " +
                                                               text(job, "done") + " of " +
                                                               text(job, "total") + " users"};
    if (!failedCount.empty() && failedCount != "0")
        return Error{static_cast<int>(rpc::CallFailed),
                     "resync " + id + ": " + failedCount + " of " + text(job, "total") +
                         " users failed (hostsecctl users --state failed lists them)"};
    return {};
}

Status Commands::rotateKey(const std::string &server)
{
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agent = directory->byName(server);
    if (!agent)
        return Error{agent.error().code, "rotate-key: " + agent.error().message};
    auto answer = directory->client(**agent).post("/v1/cache/rotate-key", json::object());
    if (!answer)
        return failed("rotate-key on " + (*agent)->name, answer.error());
    if (m_options.json) {
        m_out << answer->dump(2) << '\n';
        return {};
    }
    m_out << (*agent)->name << ": " << text(*answer, "reencrypted")
          << " secret(s) re-encrypted; key " << text(*answer, "old_key_id") << " replaced by "
          << text(*answer, "new_key_id") << '\n';
    return {};
}

Status Commands::passwd(const std::string &account)
{
    std::string domain;
    std::string user;
    if (!splitDomainAccount(account, domain, user))
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "passwd: expected DOMAIN\\user, got \"" + account + "\""};
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agent = directory->byService("domain-account-sync");
    if (!agent)
        return Error{agent.error().code, "passwd " + account + ": " + agent.error().message};
    auto password = readSecret("New password for " + account + ": ");
    if (!password)
        return Error{password.error().code, "passwd " + account + ": " + password.error().message};
    json body{{"account", account}, {"password", *password}};
    wipe(*password);
    auto answer = directory->client(**agent).post("/v1/passwd", body);
    wipe(body["password"].get_ref<std::string &>());
    if (!answer)
        return failed("passwd " + account + " on " + (*agent)->name, answer.error());
    if (m_options.json)
        m_out << answer->dump(2) << '\n';
    else
        m_out << account << ": password change " << orDash(text(*answer, "change_id")) << " "
              << orDash(text(*answer, "state")) << " on " << (*agent)->name << '\n';
    return {};
}

struct Commands::HostCall
{
    AgentDirectory directory;
    const client::ProfileAgent *agent = nullptr; // points into directory's profile
    std::string password;
};

Result<Commands::HostCall> Commands::prepareHostCall(const std::string &command,
                                                     const std::string &hostAccount,
                                                     const std::string &prompt) const
{
    if (!isHostAccountName(hostAccount))
        return Error{static_cast<int>(rpc::InvalidParameter),
                     command + ": expected a host user id, got \"" + hostAccount + "\""};
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agent = directory->byService("host");
    if (!agent)
        return Error{agent.error().code,
                     command + " " + hostAccount + ": " + agent.error().message};
    auto password = readSecret(prompt);
    if (!password)
        return Error{password.error().code,
                     command + " " + hostAccount + ": " + password.error().message};
    return HostCall{std::move(*directory), *agent, std::move(*password)};
}

Status Commands::hostPasswd(const std::string &hostAccount)
{
    auto call =
        prepareHostCall("host-passwd", hostAccount, "New host password for " + hostAccount + ": ");
    if (!call)
        return call.error();
    json body{{"host_account", hostAccount}, {"password", call->password}};
    wipe(call->password);
    auto answer = call->directory.client(*call->agent).post("/v1/host/passwd", body);
    wipe(body["password"].get_ref<std::string &>());
    if (!answer)
        return failed("host-passwd " + hostAccount + " on " + call->agent->name, answer.error());
    if (m_options.json)
        m_out << answer->dump(2) << '\n';
    else
        m_out << hostAccount << ": host password change " << orDash(text(*answer, "change_id"))
              << " " << orDash(text(*answer, "state")) << " on " << call->agent->name << '\n';
    return {};
}

Status Commands::hostLogon(const std::string &hostAccount)
{
    auto call = prepareHostCall("host-logon", hostAccount, "Password of " + hostAccount + ": ");
    if (!call)
        return call.error();
    json body{{"host_account", hostAccount}, {"password", call->password}};
    wipe(call->password);
    auto answer = call->directory.client(*call->agent).post("/v1/host/logon", body);
    wipe(body["password"].get_ref<std::string &>());
    if (!answer) {
        if (m_options.json)
            m_out << json{{"ok", false}, {"error", errorJson(answer.error())}}.dump(2) << '\n';
        return failed("host-logon " + hostAccount + " on " + call->agent->name, answer.error());
    }
    if (m_options.json)
        m_out << answer->dump(2) << '\n';
    else
        m_out << hostAccount << ": logon ok on " << call->agent->name << '\n';
    return {};
}

Status Commands::sso(const std::string &account, bool logon, const std::string &server)
{
    std::string domain;
    std::string user;
    if (!splitDomainAccount(account, domain, user))
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "sso: expected DOMAIN\\user, got \"" + account + "\""};
    auto directory = openProfile();
    if (!directory)
        return directory.error();
    auto agent =
        server.empty() ? directory->byService("domain-account-sync") : directory->byName(server);
    if (!agent)
        return Error{agent.error().code, "sso " + account + ": " + agent.error().message};
    auto answer = directory->client(**agent).post("/v1/sso", json{{"account", account}});
    if (!answer)
        return failed("sso " + account + " on " + (*agent)->name, answer.error());

    // The credential is for the logon below and nothing else: out of the answer at once.
    json result = answer->is_object() ? *answer : json::object();
    std::string credential = text(result, "credential");
    result.erase("credential");
    if (auto &raw = answer.value();
        raw.is_object() && raw.contains("credential") && raw["credential"].is_string())
        wipe(raw["credential"].get_ref<std::string &>());

    Status outcome;
    if (logon) {
        const std::string hostAccount = text(result, "host_account");
        auto host = directory->byService("host");
        if (!host) {
            outcome =
                Error{host.error().code, "sso " + account + " --logon: " + host.error().message};
        } else {
            json body{{"host_account", hostAccount}, {"password", credential}};
            auto logonAnswer = directory->client(**host).post("/v1/host/logon", body);
            wipe(body["password"].get_ref<std::string &>());
            if (logonAnswer && logonAnswer->value("ok", false)) {
                result["logon"] = {{"ok", true}, {"server", (*host)->name}};
            } else {
                const Error why = logonAnswer ? Error{static_cast<int>(rpc::LogonFailure),
                                                      "the host did not confirm the logon"}
                                              : logonAnswer.error();
                result["logon"] = {
                    {"ok", false}, {"server", (*host)->name}, {"error", errorJson(why)}};
                outcome = failed("sso " + account + ": logon of " + hostAccount + " on " +
                                     (*host)->name + " with the SSO credential",
                                 why);
            }
        }
    }
    wipe(credential);

    if (m_options.json) {
        m_out << result.dump(2) << '\n';
        return outcome;
    }
    Table table({"ACCOUNT", "HOST ACCOUNT", "HOST DOMAIN", "SERVED BY", "LOGON"});
    std::string logonCell = "-";
    if (result.contains("logon"))
        logonCell = result["logon"].value("ok", false) ? "ok" : "failed";
    table.add({orDash(text(result, "account")), orDash(text(result, "host_account")),
               orDash(text(result, "host_domain")), orDash(text(result, "served_by")), logonCell});
    table.print(m_out);
    return outcome;
}

} // namespace hostsec::ctl
