// Suite "console": hostsec-console on a domain of 500 real hostsecd processes and a history of
// 1,000,000 events (docs/performance.md, "console"). The console measures itself
// (`hostsec-console --bench`, app/console/consolebench.h); this suite builds the domain and the
// history, runs the console three times and reports the medians, each beside a baseline
// measured in the same run:
//   first paint, topology: hostsec-bench-console-baseline window, an empty QMainWindow with a
//                          QGraphicsView: spawn to its first completed paint, and its CPU time;
//   peak RSS:              the same empty window's VmHWM;
//   filter change:         the bare sqlite3 SELECT of the same first page (200 rows, every
//                          column read) on the same history file, median of 21;
//   jump + repaint:        hostsec-bench-console-baseline table, a bare QTableView over a trivial
//                          model of as many rows in a viewport of the same size, same jumps.
// Wall-clock figures on a shared 2-core machine include waiting for a CPU, so the GUI thread's
// own CPU time is reported beside them ("_gui_cpu", "_process_cpu").
// Domain: 2 domain controllers and 10 cells of a primary cache, a backup cache and ~48 hosts,
// each cell's hosts bound to their primary and back (1,036 bindings). The history is built once
// and kept in the temporary folder (hostsec-bench-console-history-*), copied for every run.

#include "bench.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "events/catalogue.h"
#include "events/eventstore.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace hostsec::bench {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int kFirstPort = 20000; // below Linux's ephemeral range: agents' outgoing connections
                                  // never take a port another agent is about to listen on
constexpr auto kChildTimeout = 300s;
constexpr auto kBoundTimeout = 300s;
constexpr Millis kHistorySpan = 30LL * 24 * 3600 * 1000; // the pre-filled history: 30 days

std::int64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double median(std::vector<double> v)
{
    return percentile(std::move(v), 50);
}

// ---- the domain -----------------------------------------------------------------------------

struct Server
{
    std::string name;
    std::uint16_t port = 0;
    bool domainController = false;
    std::string cache = "none"; // primary, backup, none
    bool host = false;
    int cell = -1;
};

struct Domain
{
    std::string dir;
    std::string profilePath;
    std::vector<Server> servers;
    int bindings = 0;
};

std::string peerServices(const Server &s)
{
    if (s.domainController)
        return R"(["domain-account-sync"])";
    if (s.cache != "none")
        return "[\"host-account-sync:" + s.cache + "\"]";
    return R"(["host"])";
}

void writePeer(std::ostream &out, const Server &peer)
{
    out << "[[peer]]\nname = \"" << peer.name << "\"\naddress = \"127.0.0.1:" << peer.port
        << "\"\nservices = " << peerServices(peer) << "\n\n";
}

// `count` ports from kFirstPort up that nothing listens on now and that lie below the ephemeral
// range.
std::optional<std::vector<std::uint16_t>> freePorts(std::size_t count)
{
    int ephemeralLow = 32768;
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeralLow;
    std::vector<std::uint16_t> ports;
    for (int port = kFirstPort; port < ephemeralLow && ports.size() < count; ++port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // The socket API takes sockaddr_in through a sockaddr pointer.
        if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0)
            ports.push_back(static_cast<std::uint16_t>(port));
        ::close(fd);
    }
    if (ports.size() < count)
        return std::nullopt;
    return ports;
}

// Writes DIR/<SERVER>/hostsecd.toml for every server and DIR/profile.json; counts bindings.
int writeDomain(Domain &d, int serverCount)
{
    const int cells = std::max(1, serverCount / 50);
    const int controllers = 2;
    const int hosts = serverCount - controllers - 2 * cells;
    if (hosts < cells)
        return std::fprintf(stderr, "console: --servers %d is too few\n", serverCount), 1;
    auto ports = freePorts(static_cast<std::size_t>(serverCount));
    if (!ports)
        return std::fprintf(stderr, "console: not enough free ports from %d\n", kFirstPort), 1;
    char name[16];
    for (int i = 1; i <= controllers; ++i)
        d.servers.push_back({"DC" + std::to_string(i), 0, true, "none", false, -1});
    for (int c = 1; c <= cells; ++c) {
        std::snprintf(name, sizeof name, "HSP%02d", c);
        d.servers.push_back({name, 0, false, "primary", false, c - 1});
        std::snprintf(name, sizeof name, "HSB%02d", c);
        d.servers.push_back({name, 0, false, "backup", false, c - 1});
    }
    for (int h = 1; h <= hosts; ++h) {
        std::snprintf(name, sizeof name, "HOST%03d", h);
        d.servers.push_back({name, 0, false, "none", true, (h - 1) % cells});
    }
    for (std::size_t i = 0; i < d.servers.size(); ++i)
        d.servers[i].port = (*ports)[i];

    client::Profile profile;
    profile.domain = "CONTOSO";
    profile.hostDomain = "HOSTDOM";
    for (const Server &s : d.servers) {
        // The bindings follow from the peers' services (docs/architecture.md, "The agent").
        std::vector<const Server *> peers;
        for (const Server &p : d.servers) {
            if (&p == &s)
                continue;
            const bool sameCell = p.cell == s.cell;
            if (s.domainController && p.cache != "none")
                peers.push_back(&p); // binds to every cache
            else if (s.cache == "primary" &&
                     (p.domainController || (sameCell && (p.host || p.cache == "backup"))))
                peers.push_back(&p); // binds to the DCs, its hosts and its backup
            else if ((s.cache == "backup" || s.host) && sameCell && p.cache == "primary")
                peers.push_back(&p); // binds to its primary
        }
        d.bindings += static_cast<int>(peers.size());
        const fs::path folder = fs::path(d.dir) / s.name;
        fs::create_directories(folder);
        std::ofstream out(folder / "hostsecd.toml");
        out << "# hostsec-bench console: one of " << d.servers.size() << " servers.\n\n"
            << "[server]\nname = \"" << s.name << "\"\nlisten = \"127.0.0.1:" << s.port
            << "\"\ndata_dir = \".\"\ndomain = \"CONTOSO\"\nhost_domain = \"HOSTDOM\"\n\n"
            << "[services]\ndomain_account_sync = " << (s.domainController ? "true" : "false")
            << "\nhost_account_sync = \"" << s.cache << "\"\nhost = " << (s.host ? "true" : "false")
            << "\n\n[binding]\npolicy = \"auto\"\n\n"
            << "# The console's own cost is measured, not TLS's.\n[tls]\nplaintext = true\n\n";
        for (const Server *p : peers)
            writePeer(out, *p);
        if (!out)
            return std::fprintf(stderr, "console: cannot write %s\n", folder.c_str()), 1;
        client::ProfileAgent agent;
        agent.name = s.name;
        agent.endpoint = net::Endpoint{"127.0.0.1", s.port};
        agent.configPath = (folder / "hostsecd.toml").string();
        profile.agents.push_back(agent);
    }
    d.profilePath = (fs::path(d.dir) / "profile.json").string();
    if (auto saved = profile.save(d.profilePath); !saved)
        return std::fprintf(stderr, "console: %s\n", saved.error().message.c_str()), 1;
    return 0;
}

// Waits until every agent reports every binding it holds as bound.
int waitAllBound(const Domain &d)
{
    std::vector<net::Endpoint> endpoints;
    for (const Server &s : d.servers)
        endpoints.push_back({"127.0.0.1", s.port});
    const auto deadline = std::chrono::steady_clock::now() + kBoundTimeout;
    int bound = 0;
    int held = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        bound = 0;
        held = 0;
        for (const auto &answer : client::AgentClient::getAll(endpoints, "/v1/bindings")) {
            if (!answer || !answer->contains("bindings"))
                continue;
            for (const json &b : (*answer)["bindings"]) {
                ++held;
                bound += b.value("state", "") == "bound" ? 1 : 0;
            }
        }
        if (bound == d.bindings && held == d.bindings)
            return 0;
        std::this_thread::sleep_for(1s);
    }
    std::fprintf(stderr, "console: only %d of %d bindings bound (%d held) after %lld s\n", bound,
                 d.bindings, held, static_cast<long long>(kBoundTimeout.count()));
    return 1;
}

// utime + stime of a process in clock ticks, and its proportional set size in KiB.
std::pair<long long, long long> cpuAndPss(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text; // one line
    std::getline(stat, text);
    long long ticks = 0;
    if (const auto close = text.rfind(')'); close != std::string::npos) {
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i == 14 || i == 15) // utime, stime
                ticks += std::atoll(field.c_str());
        }
    }
    long long pss = 0;
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    for (std::string line; std::getline(rollup, line);) {
        if (line.rfind("Pss:", 0) == 0)
            pss = std::atoll(line.c_str() + 4);
    }
    return {ticks, pss};
}

// ---- the history ----------------------------------------------------------------------------

// Event i of the pre-filled history: the events suite's mix (routine sync and binding traffic,
// some 630/401 errors) over the domain's servers, ~2.6 s apart, ending a minute before `end`.
// No agent seq: the console backfills every agent's own events on top, as after a long pause.
Event historyEvent(std::mt19937 &rng, const std::vector<Server> &servers, std::int64_t i,
                   std::int64_t count, Millis end)
{
    static const int ids[] = {ev::ChangeQueued,  ev::ChangeForwarded, ev::ChangeApplied,
                              ev::BindingBound,  ev::BindingStale,    ev::RebindSucceeded,
                              ev::RpcLayerError, ev::SsoFailed,       ev::CacheUpdated,
                              ev::OperatorAction};
    const auto any = [&] { return servers[rng() % servers.size()].name; };
    const int id = ids[rng() % 10];
    const std::string user = "user" + std::to_string(rng() % 20000);
    const std::string server = any();
    std::vector<std::string> params;
    switch (id) {
    case ev::RpcLayerError:
        params = {"6BE", "The remote procedure call failed.", any()};
        break;
    case ev::SsoFailed:
        params = {"CONTOSO", user, "HOSTDOM"};
        break;
    case ev::OperatorAction:
        params = {"CONTOSO\\admin", "rebind", server, "done"};
        break;
    default:
        params = {std::to_string(i), "CONTOSO\\" + user, any(), "12"};
    }
    const Millis time = end - 60'000 - (count - i) * (kHistorySpan / count);
    return makeEvent(id, server, std::move(params), time);
}

// The files of a store at `path`: the file itself and its siblings named path + suffix.
std::vector<fs::path> storeFiles(const fs::path &path)
{
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(path.parent_path())) {
        if (entry.path().filename().string().rfind(path.filename().string(), 0) == 0)
            files.push_back(entry.path());
    }
    return files;
}

// Builds the history of `count` events at `path` once (kept for later runs).
int buildHistory(const fs::path &path, const std::vector<Server> &servers, std::int64_t count)
{
    if (fs::exists(path)) {
        std::fprintf(stderr, "console: using the history built before: %s\n", path.c_str());
        return 0;
    }
    const fs::path building = path.parent_path() / (path.filename().string() + ".building");
    fs::create_directories(building);
    const fs::path store = building / path.filename();
    for (const fs::path &f : storeFiles(store))
        fs::remove(f);
    const auto start = std::chrono::steady_clock::now();
    {
        auto opened = EventStore::open(store.string());
        if (!opened)
            return std::fprintf(stderr, "console: %s\n", opened.error().message.c_str()), 1;
        std::mt19937 rng(42);
        const Millis end = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        std::vector<Event> batch;
        for (std::int64_t done = 0; done < count;) {
            batch.clear();
            for (int b = 0; b < 10000 && done < count; ++b, ++done)
                batch.push_back(historyEvent(rng, servers, done, count, end));
            if (auto r = (*opened)->append(batch); !r)
                return std::fprintf(stderr, "console: %s\n", r.error().message.c_str()), 1;
            if (done % 100000 == 0)
                std::fprintf(stderr, "console: history %lld of %lld events (%.0f s)\n",
                             static_cast<long long>(done), static_cast<long long>(count),
                             secondsSince(start));
        }
        // A text query brings the full-text index up to date before the file is kept.
        (void)(*opened)->count({.text = "user1"});
    }
    for (const fs::path &f : storeFiles(store))
        fs::rename(f, path.parent_path() / f.filename());
    fs::remove_all(building);
    std::fprintf(stderr, "console: history of %lld events built in %.0f s: %s\n",
                 static_cast<long long>(count), secondsSince(start), path.c_str());
    return 0;
}

// Copies the store at `from` (and its sibling files) to `to`.
void copyStore(const fs::path &from, const fs::path &to)
{
    fs::create_directories(to.parent_path());
    for (const fs::path &f : storeFiles(to))
        fs::remove(f);
    const std::string prefix = from.filename().string();
    for (const fs::path &f : storeFiles(from)) {
        const std::string suffix = f.filename().string().substr(prefix.size());
        fs::copy_file(f, to.string() + suffix, fs::copy_options::overwrite_existing);
    }
}

// Where the console keeps a profile's history: Session::historyPathFor, i.e.
// $XDG_DATA_HOME/<organisation>/<application>/history-<first 16 hex of SHA-1(path)>.db.
fs::path historyPathFor(const fs::path &xdgData, const std::string &profilePath)
{
    const std::string absolute = fs::absolute(profilePath).lexically_normal().string();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(absolute.data(), absolute.size(), digest, &length, EVP_sha1(), nullptr);
    char hex[17] = {};
    for (int i = 0; i < 8; ++i)
        std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return xdgData / "HostSecurity" / "hostsec-console" / (std::string("history-") + hex + ".db");
}

// ---- child processes ------------------------------------------------------------------------

struct ChildRun
{
    std::int64_t spawnNs = 0;
    std::vector<json> lines; // the JSON lines it printed
    int exitCode = -1;
};

// Runs a program with extra environment, stdout read as JSON lines, stderr to `log`.
std::optional<ChildRun> runChild(const std::string &program, const std::vector<std::string> &args,
                                 const std::vector<std::string> &env, const fs::path &log)
{
    std::vector<std::string> environment = env;
    for (char **e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (std::none_of(env.begin(), env.end(),
                         [&](const std::string &mine) { return mine.rfind(key + "=", 0) == 0; }))
            environment.push_back(entry);
    }
    std::vector<char *> envp;
    for (std::string &e : environment)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argvText{program};
    argvText.insert(argvText.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (std::string &a : argvText)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return std::nullopt;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    ChildRun run;
    pid_t pid = 0;
    run.spawnNs = monotonicNs();
    const int spawned =
        posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
        ::close(out[0]);
        std::fprintf(stderr, "console: cannot run %s: %s\n", program.c_str(),
                     std::strerror(spawned));
        return std::nullopt;
    }
    std::string pending;
    const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
    char buffer[4096];
    for (;;) {
        pollfd p{out[0], POLLIN, 0};
        const int ready = ::poll(&p, 1, 1000);
        if (ready < 0 && errno != EINTR)
            break;
        if (std::chrono::steady_clock::now() > deadline) {
            std::fprintf(stderr, "console: %s ran longer than %lld s: killed\n", program.c_str(),
                         static_cast<long long>(kChildTimeout.count()));
            ::kill(pid, SIGKILL);
            break;
        }
        if (ready <= 0)
            continue;
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        pending.append(buffer, static_cast<std::size_t>(n));
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            json line = json::parse(pending.substr(0, nl), nullptr, false);
            if (!line.is_discarded() && line.is_object())
                run.lines.push_back(std::move(line));
            pending.erase(0, nl + 1);
        }
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return run;
}

// The lines of one milestone.
std::vector<json> milestones(const ChildRun &run, const std::string &name)
{
    std::vector<json> out;
    for (const json &line : run.lines) {
        if (line.value("milestone", "") == name)
            out.push_back(line);
    }
    return out;
}

double msSinceSpawn(const ChildRun &run, const json &line)
{
    return static_cast<double>(line.value("t_ns", std::int64_t{0}) - run.spawnNs) / 1e6;
}

// ---- the SQL baseline -----------------------------------------------------------------------

// The bare sqlite3 SELECT of the first page (200 rows, every column read) for a filter, the
// median of 21 runs.
double bareFirstPage(const fs::path &history, const std::string &where,
                     const std::optional<std::string> &value)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(history.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::string table = "events_fts";
    if (fs::exists(history.string() + "-fts")) {
        const std::string attach = "ATTACH DATABASE '" + history.string() + "-fts' AS fts";
        sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr);
        table = "fts.events_fts";
    }
    std::string condition = where;
    if (const auto at = condition.find("FTS"); at != std::string::npos)
        condition.replace(at, 3, table);
    const std::string sql = "SELECT seq, time, server, source, event_id, severity, params, "
                            "param_count, message, origin_seq FROM events" +
                            condition + " ORDER BY time DESC, seq DESC LIMIT 200";
    std::vector<double> samples;
    for (int round = 0; round < 21; ++round) {
        const std::int64_t start = monotonicNs();
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "console: baseline %s: %s\n", sql.c_str(), sqlite3_errmsg(db));
            break;
        }
        if (value)
            sqlite3_bind_text(s, 1, value->c_str(), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < 10; ++c)
                (void)sqlite3_column_text(s, c);
        }
        sqlite3_finalize(s);
        samples.push_back(static_cast<double>(monotonicNs() - start) / 1e6);
    }
    sqlite3_close(db);
    return median(samples);
}

// The bare SELECT for a filter the console reported by name.
double bareFirstPageFor(const fs::path &history, const std::string &filter)
{
    if (filter.rfind("server ", 0) == 0)
        return bareFirstPage(history, " WHERE server = ?", filter.substr(7));
    if (filter.rfind("severity", 0) == 0)
        return bareFirstPage(history, " WHERE severity IN (1, 2, 4)", std::nullopt);
    if (filter.rfind("event id ", 0) == 0)
        return bareFirstPage(history, " WHERE event_id = " + filter.substr(9), std::nullopt);
    if (filter.rfind("text ", 0) == 0)
        return bareFirstPage(history,
                             " WHERE seq IN (SELECT rowid FROM FTS WHERE events_fts MATCH ?)",
                             "\"" + filter.substr(5) + "\"*");
    return bareFirstPage(history, "", std::nullopt);
}

// A metric name from a filter's: "server HOST239" -> "server", "event id 630" -> "event_id".
std::string filterMetric(const std::string &filter)
{
    std::string name = filter.rfind("server ", 0) == 0 ? "server" : filter;
    if (name.rfind("severity", 0) == 0)
        name = "severity";
    else if (name.rfind("event id", 0) == 0)
        name = "event_id";
    else if (name.rfind("text", 0) == 0)
        name = "text";
    return name;
}

struct Options
{
    int servers = 500;
    std::int64_t events = 1'000'000;
    int runs = 3;
    bool keep = false; // leave the agents running and the folder in place
};

// Stops the agents when the suite ends, however it ends.
struct Farm
{
    std::string dir;
    bool keep = false;
    ~Farm()
    {
        if (dir.empty() || keep)
            return;
        (void)client::DemoDomain::stop(dir);
    }
};

} // namespace

int runConsole(const std::vector<std::string> &args)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const bool more = i + 1 < args.size();
        if (args[i] == "--servers" && more)
            o.servers = std::atoi(args[++i].c_str());
        else if (args[i] == "--events" && more)
            o.events = std::atoll(args[++i].c_str());
        else if (args[i] == "--runs" && more)
            o.runs = std::max(1, std::atoi(args[++i].c_str()));
        else if (args[i] == "--keep")
            o.keep = true;
        else
            return std::fprintf(stderr, "usage: hostsec-bench console [--servers N] [--events N] "
                                        "[--runs N] [--keep]\n"),
                   2;
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    const std::string console = (self.parent_path() / "hostsec-console").string();
    const std::string baseline = (self.parent_path() / "hostsec-bench-console-baseline").string();
    const fs::path root = fs::temp_directory_path() / "hostsec-bench-console";
    const fs::path historyTemplate =
        fs::temp_directory_path() / ("hostsec-bench-console-history-" + std::to_string(o.servers) +
                                     "-" + std::to_string(o.events) + ".db");

    // The domain, written fresh; agents a previous run left behind are stopped first.
    Domain d;
    d.dir = (root / "domain").string();
    if (fs::exists(d.dir))
        (void)client::DemoDomain::stop(d.dir);
    fs::remove_all(root);
    fs::create_directories(d.dir);
    if (writeDomain(d, o.servers))
        return 1;
    if (buildHistory(historyTemplate, d.servers, o.events))
        return 1;

    Farm farm{d.dir, o.keep};
    const auto startAgents = std::chrono::steady_clock::now();
    if (auto started = client::DemoDomain::start(d.dir, 300s); !started)
        return std::fprintf(stderr, "console: %s\n", started.error().message.c_str()), 1;
    const double startSeconds = secondsSince(startAgents);
    if (waitAllBound(d))
        return 1;
    std::fprintf(stderr,
                 "console: %zu hostsecd started in %.1f s, all %d bindings bound after %.1f s\n",
                 d.servers.size(), startSeconds, d.bindings, secondsSince(startAgents));
    std::this_thread::sleep_for(2s); // let the start-up's events and rebinds settle

    // The farm at rest, as the console finds it: CPU over 3 s, and memory.
    std::vector<int> pids;
    for (const Server &s : d.servers)
        pids.push_back(client::DemoDomain::runningPid(d.dir, s.name));
    long long ticksBefore = 0, pss = 0;
    for (const int pid : pids)
        ticksBefore += cpuAndPss(pid).first;
    const std::int64_t farmStart = monotonicNs();
    std::this_thread::sleep_for(3s);
    long long ticksAfter = 0;
    for (const int pid : pids) {
        const auto [ticks, kib] = cpuAndPss(pid);
        ticksAfter += ticks;
        pss += kib;
    }
    const double farmCpu = static_cast<double>(ticksAfter - ticksBefore) /
                           static_cast<double>(sysconf(_SC_CLK_TCK)) /
                           (static_cast<double>(monotonicNs() - farmStart) / 1e9) * 100.0;
    std::fprintf(stderr, "console: the %zu agents at rest: %.0f %% of one core, %.0f MiB PSS\n",
                 pids.size(), farmCpu, static_cast<double>(pss) / 1024.0);

    const fs::path xdg = root / "xdg";
    const std::vector<std::string> env = {
        "QT_QPA_PLATFORM=offscreen",
        "XDG_CONFIG_HOME=" + (xdg / "config").string(), // fresh settings: the default layout
        "XDG_DATA_HOME=" + (xdg / "data").string(),
        "XDG_CACHE_HOME=" + (xdg / "cache").string(),
    };
    const fs::path history = historyPathFor(xdg / "data", d.profilePath);
    const fs::path log = root / "console.log";

    // Runs, alternating the baseline window and the console, so both see the same machine.
    // Each figure is the median over the runs.
    std::map<std::string, std::vector<double>> samples;
    std::map<std::string, std::string> filterNames; // metric key -> the console's filter name
    json historyLine;
    for (int run = 0; run < o.runs; ++run) {
        auto base = runChild(baseline, {"window"}, env, root / "baseline.log");
        if (!base || base->exitCode != 0 || milestones(*base, "window").empty())
            return std::fprintf(stderr, "console: the baseline window failed (%s)\n",
                                (root / "baseline.log").c_str()),
                   1;
        const json baseWindow = milestones(*base, "window").front();
        samples["window"].push_back(msSinceSpawn(*base, baseWindow));
        samples["window_cpu"].push_back(baseWindow.value("process_cpu_ms", 0.0));
        samples["window_rss"].push_back(milestones(*base, "rss").front().value("vmhwm_kib", 0.0) /
                                        1024.0);

        copyStore(historyTemplate, history);
        fs::remove_all(xdg / "config");
        auto c = runChild(console, {"--profile", d.profilePath, "--bench"}, env, log);
        if (!c || c->exitCode != 0 || milestones(*c, "rss").empty()) {
            std::fprintf(stderr, "console: hostsec-console --bench failed (exit %d); see %s\n",
                         c ? c->exitCode : -1, log.c_str());
            if (c)
                for (const json &line : c->lines)
                    std::fprintf(stderr, "  %s\n", line.dump().c_str());
            return 1;
        }
        for (const json &line : c->lines)
            std::fprintf(stderr, "console: run %d: %s\n", run + 1, line.dump().c_str());
        const json topology = milestones(*c, "topology").front();
        samples["first_paint"].push_back(msSinceSpawn(*c, milestones(*c, "window").front()));
        samples["topology"].push_back(msSinceSpawn(*c, topology));
        samples["topology_cpu"].push_back(topology.value("process_cpu_ms", 0.0));
        samples["topology_paint_cpu"].push_back(topology.value("paint_cpu_ms", 0.0));
        samples["rss"].push_back(milestones(*c, "rss").front().value("vmhwm_kib", 0.0) / 1024.0);
        historyLine = milestones(*c, "history").front();
        if (historyLine.value("rows", std::int64_t{0}) < o.events)
            return std::fprintf(stderr,
                                "console: the console did not open the pre-filled "
                                "history %s\n",
                                history.c_str()),
                   1;
        // Every "clear" (back to all events, after each filter) is one more sample of it.
        for (const json &f : milestones(*c, "filter")) {
            const std::string name = f.value("filter", "");
            const std::string key = filterMetric(name);
            samples["filter_" + key].push_back(f.value("ms", 0.0));
            samples["filter_" + key + "_cpu"].push_back(f.value("cpu_ms", 0.0));
            filterNames[key] = name;
        }
        for (const json &f : milestones(*c, "directory")) {
            if (f.value("built", 0) == 1 && f.value("filter", "") == "clear")
                samples["directory"].push_back(f.value("ms", 0.0));
        }
        std::vector<double> random;
        for (const json &j : milestones(*c, "jump")) {
            if (j.value("shown", 0) != 1)
                return std::fprintf(stderr, "console: a jump showed no row: %s\n",
                                    j.dump().c_str()),
                       1;
            const std::string where = j.value("where", "");
            if (where == "middle") {
                samples["middle"].push_back(j.value("ms", 0.0));
                samples["middle_cpu"].push_back(j.value("cpu_ms", 0.0));
            } else if (where == "before directory") {
                samples["cold"].push_back(j.value("ms", 0.0));
            } else if (where == "random") {
                random.push_back(j.value("ms", 0.0));
            }
        }
        samples["random_p50"].push_back(percentile(random, 50));
        samples["random_max"].push_back(percentile(random, 100));
    }

    // The table baseline needs the console's figures: its rows and its viewport's size.
    const auto rows = historyLine.value("rows", std::int64_t{0});
    auto table = runChild(baseline,
                          {"table", std::to_string(rows),
                           std::to_string(historyLine.value("table_width", 800)),
                           std::to_string(historyLine.value("table_height", 300))},
                          env, root / "baseline.log");
    if (!table || table->exitCode != 0)
        return std::fprintf(stderr, "console: the baseline table failed\n"), 1;
    double tableMiddle = 0;
    std::vector<double> tableRandom;
    for (const json &j : milestones(*table, "jump")) {
        if (j.value("where", "") == "middle")
            tableMiddle = j.value("ms", 0.0);
        else if (j.value("where", "") == "random")
            tableRandom.push_back(j.value("ms", 0.0));
    }

    const auto m = [&samples](const std::string &key) { return median(samples[key]); };
    const std::string size = std::to_string(d.servers.size()) + "_servers";
    report("console", "first_paint", m("first_paint"), "ms", m("window"));
    report("console", "first_painted_topology_" + size, m("topology"), "ms", m("window"));
    report("console", "first_painted_topology_" + size + "_process_cpu", m("topology_cpu"), "ms",
           m("window_cpu"));
    report("console", "topology_paint_" + size + "_cpu", m("topology_paint_cpu"), "ms", 0);
    report("console", "peak_rss", m("rss"), "MiB", m("window_rss"));
    for (const auto &[key, name] : filterNames) {
        const double bare = bareFirstPageFor(history, name);
        report("console", "filter_change_" + key, m("filter_" + key), "ms", bare);
        report("console", "filter_change_" + key + "_gui_cpu", m("filter_" + key + "_cpu"), "ms",
               bare);
    }
    report("console", "row_directory_after_clear", m("directory"), "ms", 0);
    report("console", "jump_middle_repaint", m("middle"), "ms", tableMiddle);
    report("console", "jump_middle_repaint_gui_cpu", m("middle_cpu"), "ms", tableMiddle);
    report("console", "jump_before_row_directory", m("cold"), "ms", tableMiddle);
    report("console", "jump_random_repaint_p50", m("random_p50"), "ms",
           percentile(tableRandom, 50));
    report("console", "jump_random_repaint_max", m("random_max"), "ms",
           percentile(tableRandom, 100));
    report("console", "agents_at_rest_cpu", farmCpu, "% of one core", 0);
    std::fprintf(stderr,
                 "console: %d runs, medians; %lld history rows (%lld backfilled), bindings %d; "
                 "console log %s\n",
                 o.runs, static_cast<long long>(rows),
                 static_cast<long long>(historyLine.value("backfilled", std::int64_t{0})),
                 d.bindings, log.c_str());
    return 0;
}

} // namespace hostsec::bench
