#include "client/demodomain.h"

#include "client/agentclient.h"
#include "client/profile.h"
#include "model/rpcstatus.h"
#include "pki/authority.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hostsec::client {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr const char *DemoDomainName = "CONTOSO";
constexpr const char *DemoHostDomain = "HOSTDOM";
constexpr auto PollInterval = 50ms;     // condition polls below are all deadline-bounded
constexpr auto StopGrace = 5s;          // SIGTERM, then SIGKILL after this
constexpr auto KillWait = 5s;           // how long a SIGKILLed process may take to vanish
constexpr std::size_t LogTailLines = 8; // lines of agent.log quoted when an agent fails
constexpr int MaxDemoUsers = 9999;      // demo accounts are user0001..user9999

// What each demo server runs, as [services] keys and as the [[peer]] services list others see.
struct DemoServer
{
    const char *name;
    bool domainAccountSync;
    const char *hostAccountSync; // "primary", "backup", "none"
    bool host;
    const char *peerServices; // TOML array text
    bool manualRebind;
    const char *what; // for the file's comment header
};

constexpr std::array<DemoServer, 4> DemoServers{{
    {"DC1", true, "none", false, R"(["domain-account-sync"])", false,
     "the domain controller, domain account sync"},
    {"HS1", false, "primary", false, R"(["host-account-sync:primary"])", false,
     "host account sync, primary host account cache"},
    {"HS2", false, "backup", false, R"(["host-account-sync:backup"])", true,
     "host account sync, backup cache, rebind policy manual"},
    {"HOST1", false, "none", true, R"(["host"])", false, "the simulated host"},
}};

Error failure(std::uint32_t code, std::string message)
{
    return Error{static_cast<int>(code), std::move(message)};
}

Error ioError(const std::string &what, int error)
{
    return Error{error, what + ": " + std::strerror(error)};
}

fs::path serverDir(const std::string &dir, const std::string &server)
{
    return fs::absolute(fs::path(dir)) / server;
}

fs::path pidFile(const std::string &dir, const std::string &server)
{
    return serverDir(dir, server) / "agent.pid";
}

Status writeFile(const fs::path &path, const std::string &text)
{
    const fs::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return ioError(path.string() + ": cannot write", errno ? errno : EACCES);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            return ioError(path.string() + ": cannot write", errno ? errno : EIO);
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return Error{ec.value(), path.string() + ": cannot write: " + ec.message()};
    }
    return {};
}

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The lowest port of the kernel's ephemeral range, from which outgoing connections take their
// local port; 32768 (Linux's default) when it cannot be read.
int ephemeralLow()
{
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 0;
    return range >> low && low > 1024 ? low : 32768;
}

// Ports free right now on 127.0.0.1, below the ephemeral range: an agent restarted while the
// domain is busy must find its port free, and a port in the ephemeral range can meanwhile be
// the local end of any outgoing connection on the machine (another agent's, a client's). All
// sockets stay bound until every port is found, so the ports differ from each other. Another
// program may take one before the agent starts; the agent then fails to listen and `demo
// start` quotes its log.
Result<std::vector<std::uint16_t>> freeLoopbackPorts(std::size_t count)
{
    constexpr int FirstPort = 20000; // above the well-known and most registered services
    const int low = std::max(ephemeralLow(), FirstPort + 1);
    const int span = low - FirstPort;
    // Start somewhere else each time, so demo domains started side by side rarely collide.
    const int offset = static_cast<int>(
        (static_cast<unsigned>(::getpid()) * 7919u +
         static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())) %
        static_cast<unsigned>(span));
    std::vector<int> sockets;
    std::vector<std::uint16_t> ports;
    Error error = failure(rpc::ServerTooBusy, "no free port on 127.0.0.1 between " +
                                                  std::to_string(FirstPort) + " and " +
                                                  std::to_string(low - 1));
    for (int i = 0; i < span && ports.size() < count; ++i) {
        const int port = FirstPort + (offset + i) % span;
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error = ioError("cannot pick a free port: socket", errno);
            break;
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // The socket API takes sockaddr_in through a sockaddr pointer; there is no other way.
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0) {
            sockets.push_back(fd); // held until every port is found
            ports.push_back(static_cast<std::uint16_t>(port));
        } else {
            ::close(fd);
        }
    }
    for (const int fd : sockets)
        ::close(fd);
    if (ports.size() != count)
        return error;
    return ports;
}

std::string agentConfigText(const DemoServer &server, const std::vector<std::uint16_t> &ports,
                            std::size_t self, int users, const std::string &caFile)
{
    std::ostringstream out;
    out << "# hostsecd configuration of " << server.name << ": " << server.what << ".\n"
        << "# One server of the embedded demo domain " << DemoDomainName << " / " << DemoHostDomain
        << ", written by `hostsecctl demo init`;\n"
        << "# `hostsecctl demo start` runs `hostsecd --config hostsecd.toml` in this folder.\n"
        << "# Paths are relative to this file's folder. Every key is described in\n"
        << "# resources/hostsecd.example.toml.\n\n";
    out << "[server]\n"
        << "name = \"" << server.name << "\"\n"
        << "listen = \"127.0.0.1:" << ports[self] << "\"\n"
        << "data_dir = \".\"\n"
        << "domain = \"" << DemoDomainName << "\"\n"
        << "host_domain = \"" << DemoHostDomain << "\"\n\n";
    out << "[services]\n"
        << "domain_account_sync = " << (server.domainAccountSync ? "true" : "false") << "\n"
        << "host_account_sync = \"" << server.hostAccountSync << "\"\n"
        << "host = " << (server.host ? "true" : "false") << "\n\n";
    out << "[binding]\n";
    if (server.manualRebind)
        out << "# manual: a stale binding waits for an operator's rebind (the failure of "
               "Q216558, kept to show it)\n";
    out << "policy = \"" << (server.manualRebind ? "manual" : "auto") << "\"\n\n";
    out << "# The other servers of the domain; the bindings follow from their services.\n";
    for (std::size_t i = 0; i < DemoServers.size(); ++i) {
        if (i == self)
            continue;
        out << "[[peer]]\n"
            << "name = \"" << DemoServers[i].name << "\"\n"
            << "address = \"127.0.0.1:" << ports[i] << "\"\n"
            << "services = " << DemoServers[i].peerServices << "\n\n";
    }
    out << "# Mutual TLS: this server's certificate (role service, for 127.0.0.1) and the demo\n"
        << "# domain's CA, both made by `hostsecctl demo init`.\n"
        << "[tls]\n"
        << "ca = \"" << caFile << "\"\n"
        << "cert = \"" << server.name << ".crt\"\n"
        << "key = \"" << server.name << ".key\"\n\n";
    out << "[demo]\n"
        << "users = " << users << "   # demo users CONTOSO\\user0001 -> USER0001, ...\n";
    return out.str();
}

// The demo user's certificate name: the operator name hostsecctl sends, made a valid
// certificate name (pki: letters, digits, . _ @ -, starting with a letter or digit).
std::string certificateName(std::string name)
{
    for (char &c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '.' && c != '_' && c != '@' && c != '-')
            c = '_';
    }
    if (name.size() > 64)
        name.resize(64);
    if (name.empty() || !std::isalnum(static_cast<unsigned char>(name.front())))
        name = "operator";
    return name;
}

// Whether `pid` is a live process (a zombie is not: it has exited and waits for its reaper).
bool isAlive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) != 0 && errno != EPERM)
        return false;
    const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size()) {
        const char state = stat[close + 2];
        if (state == 'Z' || state == 'X')
            return false;
    }
    return true;
}

// Waits until `pid` has gone, up to `limit`.
bool waitGone(pid_t pid, Clock::duration limit)
{
    const auto deadline = Clock::now() + limit;
    while (isAlive(pid)) {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(PollInterval);
    }
    return true;
}

std::string logTail(const fs::path &log)
{
    const std::string text = readFile(log);
    if (text.empty())
        return "  (" + log.string() + " is empty)";
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(std::move(line));
    const std::size_t first = lines.size() > LogTailLines ? lines.size() - LogTailLines : 0;
    std::string tail;
    for (std::size_t i = first; i < lines.size(); ++i)
        tail += "\n  | " + lines[i];
    return "  last lines of " + log.string() + ":" + tail;
}

// The executable to run: hostsecdPath(), looked up on PATH when it is a bare name.
Result<std::string> resolveHostsecd()
{
    const std::string path = DemoDomain::hostsecdPath();
    if (path.find('/') != std::string::npos) {
        if (::access(path.c_str(), X_OK) != 0)
            return ioError("cannot run " + path + " (set HOSTSEC_HOSTSECD to the hostsecd program)",
                           errno);
        return path;
    }
    const char *searchPath = std::getenv("PATH");
    std::istringstream dirs(searchPath ? searchPath : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / path;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
    }
    return failure(rpc::ServerUnavailable,
                   "cannot find hostsecd beside this program, in $HOSTSEC_BIN_DIR or on PATH (set "
                   "HOSTSEC_HOSTSECD to the hostsecd program)");
}

// Writes all of `data` to a pipe; in a forked child, so only async-signal-safe calls.
void writeAll(int fd, const void *data, std::size_t size)
{
    const auto *bytes = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, bytes, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        bytes += n;
        size -= static_cast<std::size_t>(n);
    }
}

// Reads up to `size` bytes; returns how many arrived before end of file.
std::size_t readAll(int fd, void *data, std::size_t size)
{
    auto *bytes = static_cast<char *>(data);
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, bytes + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    return got;
}

// Why the grandchild could not become hostsecd: which step, and errno.
struct LaunchFailure
{
    int step = 0;
    int error = 0;
};
constexpr const char *LaunchSteps[] = {
    "fork", "open agent.log", "open /dev/null", "redirect output", "enter the server folder",
    "run"};

// Starts hostsecd in `directory` as a detached process (double fork: the agent is reparented to
// init, so nobody has to reap it and the caller may exit); returns its pid once exec succeeded.
Result<pid_t> launch(const fs::path &directory, const std::string &program)
{
    const std::string dirText = directory.string();
    const std::string logText = (directory / "agent.log").string();
    std::string arg0 = "hostsecd";
    std::string arg1 = "--config";
    std::string arg2 = "hostsecd.toml";
    std::array<char *, 4> argv{arg0.data(), arg1.data(), arg2.data(), nullptr};

    int pidPipe[2];
    int errorPipe[2];
    if (::pipe2(pidPipe, O_CLOEXEC) != 0)
        return ioError("cannot start hostsecd in " + dirText + ": pipe", errno);
    if (::pipe2(errorPipe, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(pidPipe[0]);
        ::close(pidPipe[1]);
        return ioError("cannot start hostsecd in " + dirText + ": pipe", error);
    }

    const pid_t child = ::fork();
    if (child < 0) {
        const int error = errno;
        for (const int fd : {pidPipe[0], pidPipe[1], errorPipe[0], errorPipe[1]})
            ::close(fd);
        return ioError("cannot start hostsecd in " + dirText + ": fork", error);
    }
    if (child == 0) {
        // First child: a session of its own (no terminal's Ctrl-C reaches the agents), fork
        // the agent, report its pid, leave.
        ::close(pidPipe[0]);
        ::close(errorPipe[0]);
        ::setsid();
        const pid_t grandchild = ::fork();
        if (grandchild < 0) {
            const LaunchFailure why{0, errno};
            writeAll(errorPipe[1], &why, sizeof why);
            ::_exit(1);
        }
        if (grandchild == 0) {
            ::close(pidPipe[1]);
            const auto fail = [&](int step) {
                const LaunchFailure why{step, errno};
                writeAll(errorPipe[1], &why, sizeof why);
                ::_exit(127);
            };
            const int logFd =
                ::open(logText.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (logFd < 0)
                fail(1);
            const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (nullFd < 0)
                fail(2);
            if (::dup2(nullFd, STDIN_FILENO) < 0 || ::dup2(logFd, STDOUT_FILENO) < 0 ||
                ::dup2(logFd, STDERR_FILENO) < 0)
                fail(3);
            if (::chdir(dirText.c_str()) != 0)
                fail(4);
            // Nothing of ours beyond stdio reaches the agent (a caller's pipes would otherwise
            // stay open as long as the agent runs).
            ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            for (const int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD})
                std::signal(signal, SIG_DFL);
            ::execv(program.c_str(), argv.data());
            fail(5);
        }
        writeAll(pidPipe[1], &grandchild, sizeof grandchild);
        ::_exit(0);
    }

    ::close(pidPipe[1]);
    ::close(errorPipe[1]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    pid_t agent = 0;
    const bool gotPid = readAll(pidPipe[0], &agent, sizeof agent) == sizeof agent;
    ::close(pidPipe[0]);
    // End of file here means exec succeeded (the pipe is close-on-exec); data is a failure.
    LaunchFailure why;
    const bool failed = readAll(errorPipe[0], &why, sizeof why) == sizeof why;
    ::close(errorPipe[0]);
    if (failed) {
        const int step = std::clamp(why.step, 0, 5);
        return ioError("cannot start " + program + " in " + dirText + ": " + LaunchSteps[step],
                       why.error);
    }
    if (!gotPid || agent <= 0)
        return failure(rpc::ServerUnavailable,
                       "cannot start " + program + " in " + dirText + ": lost track of its pid");
    return agent;
}

struct Pending
{
    std::string name;
    net::Endpoint endpoint;
};

// Starts the named agents of a profile that are not running and waits until all answer.
Status startServers(const std::string &dir, const Profile &profile,
                    const std::vector<std::string> &names, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    std::vector<Pending> pending;
    bool programResolved = false;
    std::string program;
    for (const std::string &name : names) {
        const ProfileAgent *agent = profile.agent(name);
        if (!agent)
            return failure(rpc::InvalidParameter, "no server " + name + " in " + profile.path);
        pending.push_back({agent->name, agent->endpoint});
        if (DemoDomain::runningPid(dir, agent->name) > 0)
            continue;
        if (!programResolved) {
            auto resolved = resolveHostsecd();
            if (!resolved)
                return resolved.error();
            program = std::move(resolved).value();
            programResolved = true;
        }
        const fs::path directory = serverDir(dir, agent->name);
        if (!fs::is_directory(directory))
            return failure(rpc::InvalidParameter,
                           "cannot start " + agent->name + ": " + directory.string() +
                               " is missing (run hostsecctl demo init again)");
        auto pid = launch(directory, program);
        if (!pid)
            return pid.error();
        if (auto saved = writeFile(pidFile(dir, agent->name), std::to_string(*pid) + "\n"); !saved)
            return saved.error();
    }

    std::vector<std::string> problems;
    std::string tails;
    while (!pending.empty()) {
        for (auto it = pending.begin(); it != pending.end();) {
            if (DemoDomain::runningPid(dir, it->name) == 0) {
                problems.push_back(it->name + " exited");
                tails += "\n" + it->name + ":\n" + logTail(serverDir(dir, it->name) / "agent.log");
                it = pending.erase(it);
                continue;
            }
            AgentClient client(it->endpoint, 500ms);
            if (client.health())
                it = pending.erase(it);
            else
                ++it;
        }
        if (pending.empty() || Clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(PollInterval);
    }
    for (const Pending &late : pending) {
        problems.push_back(late.name + " did not answer GET /healthz on " +
                           late.endpoint.toString() + " within " + std::to_string(timeout.count()) +
                           " ms");
        tails += "\n" + late.name + ":\n" + logTail(serverDir(dir, late.name) / "agent.log");
    }
    if (problems.empty())
        return {};
    std::string message;
    for (const std::string &problem : problems)
        message += (message.empty() ? "" : "; ") + problem;
    return failure(rpc::ServerUnavailable, message + tails);
}

Result<Profile> loadDemoProfile(const std::string &dir)
{
    const fs::path path = fs::absolute(fs::path(dir)) / "profile.json";
    if (!fs::exists(path))
        return failure(rpc::InvalidParameter,
                       path.string() + " is missing: not a demo domain (run hostsecctl demo init " +
                           dir + " first)");
    return Profile::load(path.string());
}

// The servers of DIR: the profile's when it reads, else the standard four.
std::vector<std::string> serversOf(const std::string &dir)
{
    std::vector<std::string> names(std::begin(DemoDomain::Servers), std::end(DemoDomain::Servers));
    if (auto profile = loadDemoProfile(dir)) {
        for (const ProfileAgent &agent : profile->agents) {
            if (std::find(names.begin(), names.end(), agent.name) == names.end())
                names.push_back(agent.name);
        }
    }
    return names;
}

} // namespace

Status DemoDomain::init(const std::string &dir, int users)
{
    if (users < 0 || users > MaxDemoUsers)
        return failure(rpc::InvalidParameter, "users: expected 0 to " +
                                                  std::to_string(MaxDemoUsers) +
                                                  " demo users, got " + std::to_string(users));
    const fs::path root = fs::absolute(fs::path(dir)).lexically_normal();
    const fs::path profilePath = root / "profile.json";
    std::error_code ec;
    if (fs::exists(profilePath, ec))
        return failure(rpc::InvalidParameter,
                       profilePath.string() +
                           " already exists: this folder holds a domain (use demo start, or pick "
                           "an empty folder)");
    auto ports = freeLoopbackPorts(DemoServers.size());
    if (!ports)
        return ports.error();

    // The demo domain's own CA in DIR/pki; each server's certificate in its folder; the user's
    // (role admin, so every action of the demo works) beside the CA.
    const fs::path pkiDir = root / "pki";
    auto ca = pki::initCa(pkiDir, DemoDomainName);
    if (!ca)
        return ca.error();
    const std::string user = certificateName(AgentClient::operatorName());
    auto admin = pki::issue(pkiDir, {.name = user, .role = pki::Role::Admin}, pkiDir);
    if (!admin)
        return admin.error();

    Profile profile;
    profile.tls = {ca->certFile, admin->certFile, admin->keyFile};
    profile.domain = DemoDomainName;
    profile.hostDomain = DemoHostDomain;
    profile.demo = true;
    for (std::size_t i = 0; i < DemoServers.size(); ++i) {
        const fs::path directory = root / DemoServers[i].name;
        fs::create_directories(directory, ec);
        if (ec)
            return Error{ec.value(), directory.string() + ": cannot create: " + ec.message()};
        auto issued = pki::issue(
            pkiDir,
            {.name = DemoServers[i].name, .role = pki::Role::Service, .hosts = {"127.0.0.1"}},
            directory);
        if (!issued)
            return issued.error();
        const fs::path config = directory / "hostsecd.toml";
        const std::string caFile =
            ca->certFile.lexically_relative(directory).string(); // "../pki/ca.crt"
        if (auto written =
                writeFile(config, agentConfigText(DemoServers[i], *ports, i, users, caFile));
            !written)
            return written.error();
        ProfileAgent agent;
        agent.name = DemoServers[i].name;
        agent.endpoint = net::Endpoint{"127.0.0.1", (*ports)[i]};
        agent.configPath = config.string();
        profile.agents.push_back(std::move(agent));
    }
    profile.path = profilePath.string();
    return profile.save(profilePath.string());
}

Status DemoDomain::start(const std::string &dir, std::chrono::milliseconds timeout)
{
    auto profile = loadDemoProfile(dir);
    if (!profile)
        return profile.error();
    std::vector<std::string> names;
    for (const ProfileAgent &agent : profile->agents)
        names.push_back(agent.name);
    return startServers(dir, *profile, names, timeout);
}

Status DemoDomain::stop(const std::string &dir)
{
    std::vector<std::pair<std::string, pid_t>> running;
    for (const std::string &name : serversOf(dir)) {
        const pid_t pid = runningPid(dir, name);
        if (pid > 0 && ::kill(pid, SIGTERM) == 0)
            running.emplace_back(name, pid);
        else {
            std::error_code ignored;
            fs::remove(pidFile(dir, name), ignored); // a stale file of an agent that is gone
        }
    }
    const auto deadline = Clock::now() + StopGrace;
    while (Clock::now() < deadline &&
           std::any_of(running.begin(), running.end(),
                       [](const auto &entry) { return isAlive(entry.second); }))
        std::this_thread::sleep_for(PollInterval);

    std::string stuck;
    for (const auto &[name, pid] : running) {
        if (isAlive(pid)) {
            ::kill(pid, SIGKILL);
            if (!waitGone(pid, KillWait)) {
                stuck += (stuck.empty() ? "" : ", ") + name + " (pid " + std::to_string(pid) + ")";
                continue;
            }
        }
        std::error_code ignored;
        fs::remove(pidFile(dir, name), ignored);
    }
    if (!stuck.empty())
        return failure(rpc::ServerTooBusy, "could not stop " + stuck + " even with SIGKILL");
    return {};
}

Status DemoDomain::recycle(const std::string &dir, const std::string &server,
                           std::chrono::milliseconds timeout)
{
    auto profile = loadDemoProfile(dir);
    if (!profile)
        return profile.error();
    const ProfileAgent *agent = profile->agent(server);
    if (!agent)
        return failure(rpc::InvalidParameter, "no server " + server + " in " + profile->path);
    if (auto killed = kill(dir, agent->name); !killed)
        return killed;
    return startServers(dir, *profile, {agent->name}, timeout);
}

Status DemoDomain::kill(const std::string &dir, const std::string &server)
{
    const std::vector<std::string> names = serversOf(dir);
    const auto known = std::find(names.begin(), names.end(), server);
    if (known == names.end())
        return failure(rpc::InvalidParameter,
                       "no server " + server + " in the demo domain at " + dir);
    const pid_t pid = runningPid(dir, server);
    if (pid > 0) {
        ::kill(pid, SIGKILL);
        if (!waitGone(pid, KillWait))
            return failure(rpc::ServerTooBusy, server + " (pid " + std::to_string(pid) +
                                                   ") is still running after SIGKILL");
    }
    std::error_code ignored;
    fs::remove(pidFile(dir, server), ignored);
    return {};
}

int DemoDomain::runningPid(const std::string &dir, const std::string &server)
{
    const std::string text = readFile(pidFile(dir, server));
    if (text.empty())
        return 0;
    char *end = nullptr;
    const long pid = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || pid <= 0 || pid > 0x3FFFFFFF)
        return 0;
    if (!isAlive(static_cast<pid_t>(pid)))
        return 0;
    // The pid may have been reused by another program since the agent exited.
    const std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
    if (cmdline.find("hostsecd") == std::string::npos)
        return 0;
    return static_cast<int>(pid);
}

std::string DemoDomain::hostsecdPath()
{
    if (const char *explicitPath = std::getenv("HOSTSEC_HOSTSECD"); explicitPath && *explicitPath)
        return explicitPath;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path beside = self.parent_path() / "hostsecd";
        if (::access(beside.c_str(), X_OK) == 0)
            return beside.string();
    }
    if (const char *binDir = std::getenv("HOSTSEC_BIN_DIR"); binDir && *binDir) {
        const fs::path inBinDir = fs::path(binDir) / "hostsecd";
        if (::access(inBinDir.c_str(), X_OK) == 0)
            return inBinDir.string();
    }
    return "hostsecd";
}

} // namespace hostsec::client
