// Suite "slowclients": a legitimate client's latency while 1,000 connections trickle a request
// one byte at a time (slowloris), against the same client's latency on the same agent with no
// such connections, measured in the same run (target: p99 within 2x).
//  agent:      a real hostsecd (the simulated host, 3 demo users) in its own process.
//  legitimate: GET /healthz and GET /v1/status, each on a new connection, one after another.
//  tricklers:  a thread keeps N connections open, each sending the start of a request and then
//              one header byte every 500 ms; the agent drops each at its 10 s read deadline,
//              and the thread opens a new one in its place, so the load stays at N throughout.
// Phases: quiet (baseline), tricklers, quiet again (the agent has recovered).
//
// hostsec-bench slowclients [--connections N] [--requests R]

#include <utility> // before Asio: Boost 1.74 forgets it

#include "agentprocess.h"
#include "bench.h"

#include "client/agentclient.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <initializer_list>
#include <thread>

namespace hostsec::bench {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto TrickleEvery = 500ms;

struct Options
{
    int connections = 1000;
    int requests = 2000;
};

// A non-blocking connection to 127.0.0.1:port that has sent the start of a request whose
// headers never end; -1 when the connect failed.
int openTrickler(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static const char start[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0 ||
        ::send(fd, start, sizeof start - 1, MSG_NOSIGNAL) < 0) {
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

// Whether the agent closed fd (end of stream or reset); what it sent before is dropped.
bool closedByPeer(int fd)
{
    char buffer[1024];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0)
            continue;
        return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    }
}

// Keeps `count` trickling connections open until stopped; counts the agent's drops.
class Tricklers
{
public:
    Tricklers(std::uint16_t port, int count)
        : m_thread([this, port, count] { run(port, count); })
    {}
    ~Tricklers()
    {
        m_stop = true;
        m_thread.join();
    }
    Tricklers(const Tricklers &) = delete;
    Tricklers &operator=(const Tricklers &) = delete;

    int open() const { return m_open; }
    long dropped() const { return m_dropped; }
    long failedConnects() const { return m_failedConnects; }

private:
    void run(std::uint16_t port, int count)
    {
        std::vector<int> fds(static_cast<std::size_t>(count), -1);
        auto nextByte = Clock::now();
        while (!m_stop) {
            const bool trickle = Clock::now() >= nextByte;
            if (trickle)
                nextByte += TrickleEvery;
            int open = 0;
            for (int &fd : fds) {
                if (fd >= 0 &&
                    (closedByPeer(fd) || (trickle && ::send(fd, "a", 1, MSG_NOSIGNAL) < 0 &&
                                          errno != EAGAIN && errno != EWOULDBLOCK))) {
                    ::close(fd);
                    fd = -1;
                    ++m_dropped;
                }
                if (fd < 0 && (fd = openTrickler(port)) < 0)
                    ++m_failedConnects;
                open += fd >= 0 ? 1 : 0;
            }
            m_open = open;
            std::this_thread::sleep_for(20ms);
        }
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }

    std::atomic<bool> m_stop{false};
    std::atomic<int> m_open{0};
    std::atomic<long> m_dropped{0};
    std::atomic<long> m_failedConnects{0};
    std::thread m_thread; // last: started when the rest exists
};

struct Latencies
{
    std::vector<double> us;
    int failed = 0;
};

// `requests` legitimate requests one after another, alternating /healthz and /v1/status.
Latencies legitimate(std::uint16_t port, int requests)
{
    client::AgentClient agent({"127.0.0.1", port}, 5s);
    Latencies l;
    l.us.reserve(static_cast<std::size_t>(requests));
    for (int i = 0; i < requests; ++i) {
        const auto start = Clock::now();
        const bool ok = i % 2 == 0 ? agent.health().ok() : agent.get("/v1/status").ok();
        const auto took = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        if (ok)
            l.us.push_back(took);
        else
            ++l.failed;
    }
    return l;
}

bool parseOptions(const std::vector<std::string> &args, Options &o)
{
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == "--connections")
            o.connections = std::max(1, std::atoi(args[i + 1].c_str()));
        else if (args[i] == "--requests")
            o.requests = std::max(10, std::atoi(args[i + 1].c_str()));
        else
            return false;
    }
    return args.size() % 2 == 0;
}

} // namespace

int runSlowClients(const std::vector<std::string> &args)
{
    Options o;
    if (!parseOptions(args, o)) {
        std::fprintf(stderr, "usage: hostsec-bench slowclients [--connections N] [--requests R]\n");
        return 2;
    }
    // N connections need N descriptors here and in the agent (which inherits the limit).
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    const auto needed = static_cast<rlim_t>(2 * o.connections + 200);
    if (files.rlim_cur < needed) {
        files.rlim_cur = std::min(files.rlim_max, needed);
        ::setrlimit(RLIMIT_NOFILE, &files);
        if (files.rlim_cur < needed)
            return std::fprintf(stderr,
                                "slowclients: the descriptor limit (ulimit -Hn %llu) "
                                "is below the %llu that %d connections need\n",
                                static_cast<unsigned long long>(files.rlim_max),
                                static_cast<unsigned long long>(needed), o.connections),
                   1;
    }
    const std::uint16_t port = freeLoopbackPort();
    AgentProcess agent;
    const std::string config =
        "[server]\nname = \"HOST1\"\nlisten = \"127.0.0.1:" + std::to_string(port) +
        "\"\n[services]\nhost = true\n[demo]\nusers = 3\n[tls]\nplaintext = true\n";
    if (auto problem = agent.start(port, config, "slowclients"); !problem.empty())
        return std::fprintf(stderr, "slowclients: %s\n", problem.c_str()), 1;

    (void)legitimate(port, 50); // warm-up
    const Latencies quiet = legitimate(port, o.requests);
    Latencies loaded;
    long dropped = 0, failedConnects = 0;
    int open = 0;
    {
        Tricklers tricklers(port, o.connections);
        const auto until = Clock::now() + 20s;
        while (tricklers.open() < o.connections && Clock::now() < until)
            std::this_thread::sleep_for(10ms);
        open = tricklers.open();
        loaded = legitimate(port, o.requests);
        // Keep going past the read deadline, so drops and replacements are part of the load.
        const auto started = Clock::now();
        while (tricklers.dropped() < o.connections && Clock::now() < started + 15s) {
            const Latencies more = legitimate(port, 50);
            loaded.us.insert(loaded.us.end(), more.us.begin(), more.us.end());
            loaded.failed += more.failed;
        }
        dropped = tricklers.dropped();
        failedConnects = tricklers.failedConnects();
    }
    const Latencies after = legitimate(port, o.requests);
    for (const Latencies *l : std::initializer_list<const Latencies *>{&quiet, &loaded, &after}) {
        if (l->failed > 0)
            return std::fprintf(stderr, "slowclients: %d legitimate requests failed\n", l->failed),
                   1;
    }
    std::fprintf(stderr,
                 "slowclients: %d trickling connections open at once, %ld dropped by the agent "
                 "(%ld connects refused), %zu legitimate requests under that load\n",
                 open, dropped, failedConnects, loaded.us.size());
    report("slowclients", "legit_p50_under_tricklers", percentile(loaded.us, 50), "us",
           percentile(quiet.us, 50));
    report("slowclients", "legit_p99_under_tricklers", percentile(loaded.us, 99), "us",
           percentile(quiet.us, 99));
    report("slowclients", "legit_p99_after", percentile(after.us, 99), "us",
           percentile(quiet.us, 99));
    report("slowclients", "tricklers_dropped", static_cast<double>(dropped), "connections",
           static_cast<double>(o.connections));
    return 0;
}

} // namespace hostsec::bench
