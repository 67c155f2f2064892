// Suite "rpc": SSO look-ups over a binding, against a bare Boost.Beast WebSocket echo.
//  ours:     a real hostsecd (host-account-sync primary, 200 demo users) in its own process.
//            Each client connection upgrades at /v1/rpc, makes the bind handshake every
//            PeerBinding makes, then calls sso_lookup (JSON-RPC 2.0), cycling through the users.
//  baseline: a bare Beast WebSocket echo server (the Beast example's read-then-write loop) in
//            a process of its own, sent messages of the size of an SSO answer.
// One client drives both the same way: C connections, each keeping D calls in flight (a
// domain controller pipelines the look-ups of concurrent logons on its binding), and then one
// connection with one call in flight for the unloaded latency. So the ratios say what the
// agent adds per call: JSON-RPC, the cache read from SQLite and the AES-GCM decrypt.
//
// hostsec-bench rpc [--connections C] [--depth D] [--seconds S] [--endpoint HOST:PORT]
// --endpoint uses an agent that is already running (to profile it: perf record -p PID).

#include <utility> // before Asio: Boost 1.74's awaitable.hpp forgets it

#include "agentprocess.h"
#include "bench.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "model/domain.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace hostsec::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Socket = websocket::stream<beast::tcp_stream>;
using asio::use_awaitable;
using namespace std::chrono_literals;

constexpr int kUsers = 200;

struct Options
{
    int connections = 4;
    int depth = 16;
    double seconds = 3;
    std::string endpoint; // an agent already running; empty: start one
};

// What one run of the client sends and what it accepts as an answer.
struct Workload
{
    std::string target;                       // the upgrade path
    std::string hello;                        // sent and answered before the timed calls
    std::function<std::string(int n)> call;   // the n-th call of a connection
    std::function<bool(std::string_view)> ok; // whether an answer is a success
};

// One timed run: answers between measureFrom and end are counted.
struct Run
{
    Clock::time_point measureFrom;
    Clock::time_point end;
    std::vector<double> latencyUs;
    std::int64_t answered = 0;
    std::int64_t total = 0; // every answer, warm-up and drain included
    std::int64_t wrong = 0;
    std::string failure;
    double serverCpuPerCallUs = 0; // the server's CPU time (user + system) per answer
    double clientCpuPerCallUs = 0; // and this client's

    double rate() const
    {
        return static_cast<double>(answered) /
               std::chrono::duration<double>(end - measureFrom).count();
    }
};

std::string_view text(const beast::flat_buffer &buffer)
{
    return {static_cast<const char *>(buffer.cdata().data()), buffer.size()};
}

// One client connection: `depth` calls in flight; each answer is timed and replaced by the
// next call until the run ends, then the calls still in flight are drained.
asio::awaitable<void> drive(tcp::endpoint to, const Workload &w, int index, int depth, Run &run)
{
    Socket ws(co_await asio::this_coro::executor);
    co_await beast::get_lowest_layer(ws).async_connect(to, use_awaitable);
    beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true));
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws.text(true);
    co_await ws.async_handshake(to.address().to_string(), w.target, use_awaitable);
    beast::flat_buffer buffer;
    if (!w.hello.empty()) {
        co_await ws.async_write(asio::buffer(w.hello), use_awaitable);
        co_await ws.async_read(buffer, use_awaitable);
        if (text(buffer).find("\"result\"") == std::string_view::npos)
            throw std::runtime_error("handshake refused: " + std::string(text(buffer)));
    }
    int n = index * 7919; // each connection starts at another user
    std::deque<Clock::time_point> sent;
    std::string message;
    for (int i = 0; i < depth; ++i) {
        message = w.call(n++);
        sent.push_back(Clock::now());
        co_await ws.async_write(asio::buffer(message), use_awaitable);
    }
    while (!sent.empty()) {
        buffer.clear();
        co_await ws.async_read(buffer, use_awaitable);
        const auto now = Clock::now();
        ++run.total;
        if (!w.ok(text(buffer)) && run.wrong++ == 0)
            run.failure = "unexpected answer: " + std::string(text(buffer).substr(0, 200));
        if (now >= run.measureFrom && now < run.end) {
            ++run.answered;
            run.latencyUs.push_back(
                std::chrono::duration<double, std::micro>(now - sent.front()).count());
        }
        sent.pop_front();
        if (now < run.end) {
            message = w.call(n++);
            sent.push_back(Clock::now());
            co_await ws.async_write(asio::buffer(message), use_awaitable);
        }
    }
    beast::error_code ignored;
    co_await ws.async_close(websocket::close_code::normal,
                            asio::redirect_error(use_awaitable, ignored));
}

// The CPU time (user + system) process `pid` has used so far, in microseconds; 0 if unknown.
double cpuMicros(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::stringstream text;
    text << in.rdbuf();
    const std::string stat = text.str();
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string skipped;
    for (int field = 3; field < 14; ++field) // state ... cmajflt
        fields >> skipped;
    long long user = 0, system = 0;
    fields >> user >> system;
    return static_cast<double>(user + system) * 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Runs `connections` clients against `to` for `seconds` (after a warm-up of a fifth of it).
Run measure(const tcp::endpoint &to, pid_t server, const Workload &w, int connections, int depth,
            double seconds)
{
    Run run;
    const double cpuBefore = cpuMicros(server);
    const double clientBefore = cpuMicros(::getpid());
    const auto start = Clock::now();
    run.measureFrom = start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(seconds / 5));
    run.end = run.measureFrom +
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    run.latencyUs.reserve(1 << 20);
    asio::io_context io(1);
    for (int i = 0; i < connections; ++i)
        asio::co_spawn(io, drive(to, w, i, depth, run), [&run](std::exception_ptr e) {
            try {
                if (e)
                    std::rethrow_exception(e);
            } catch (const std::exception &x) {
                if (run.failure.empty())
                    run.failure = x.what();
            }
        });
    io.run();
    if (run.total > 0) {
        const auto calls = static_cast<double>(run.total);
        run.serverCpuPerCallUs = (cpuMicros(server) - cpuBefore) / calls;
        run.clientCpuPerCallUs = (cpuMicros(::getpid()) - clientBefore) / calls;
    }
    return run;
}

// ---- the baseline: the Beast example's echo server -----------------------------------------

asio::awaitable<void> echoSession(tcp::socket socket)
{
    Socket ws(std::move(socket));
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    co_await ws.async_accept(use_awaitable);
    beast::flat_buffer buffer;
    for (;;) {
        co_await ws.async_read(buffer, use_awaitable); // throws when the client closes
        ws.text(ws.got_text());
        co_await ws.async_write(buffer.data(), use_awaitable);
        buffer.consume(buffer.size());
    }
}

asio::awaitable<void> echoListen(tcp::acceptor &acceptor)
{
    for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), echoSession(std::move(socket)), asio::detached);
    }
}

// The echo server in a process of its own, as the agent is: the baseline pays the same
// wake-ups across processes (between two threads of one process they are cheaper).
class EchoProcess
{
public:
    ~EchoProcess()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            int status = 0;
            ::waitpid(m_pid, &status, 0);
        }
    }

    // Returns "" once the echo server listens (the socket is made before the fork).
    std::string start()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), size) != 0 ||
            ::listen(fd, 128) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size) != 0)
            return std::string("echo server socket: ") + std::strerror(errno);
        m_endpoint = {asio::ip::make_address("127.0.0.1"), ntohs(address.sin_port)};
        m_pid = ::fork();
        if (m_pid < 0)
            return "fork failed";
        if (m_pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlives the bench
            asio::io_context io(1);
            tcp::acceptor acceptor(io, tcp::v4(), fd);
            asio::co_spawn(io, echoListen(acceptor), asio::detached);
            io.run();
            ::_exit(0);
        }
        ::close(fd);
        return {};
    }

    const tcp::endpoint &endpoint() const { return m_endpoint; }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = 0;
    tcp::endpoint m_endpoint;
};

// ---- ours: a hostsecd process ----------------------------------------------------------------

std::string account(int n)
{
    char name[32];
    std::snprintf(name, sizeof name, "CONTOSO\\\\user%04d", 1 + n % kUsers);
    return name;
}

Workload ssoWorkload()
{
    Workload w;
    w.target = "/v1/rpc";
    w.hello = nlohmann::json{{"jsonrpc", "2.0"},
                             {"id", 0},
                             {"method", "bind"},
                             {"params",
                              {{"interface", interfaceUuid(ServiceKind::HostAccountSync)},
                               {"service", toString(ServiceKind::HostAccountSync)},
                               {"client_server", "BENCH"},
                               {"client_service", toString(ServiceKind::DomainAccountSync)},
                               {"client_instance", "bench"}}}}
                  .dump();
    w.call = [](int n) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(n + 1) +
               ",\"method\":\"sso_lookup\",\"params\":{\"account\":\"" + account(n) + "\"}}";
    };
    w.ok = [](std::string_view answer) {
        return answer.find("\"credential\"") != std::string_view::npos &&
               answer.find("\"error\"") == std::string_view::npos;
    };
    return w;
}

Workload echoWorkload(std::size_t size)
{
    Workload w;
    w.target = "/";
    const std::string payload(size, 'x');
    w.call = [payload](int) { return payload; };
    w.ok = [size](std::string_view answer) { return answer.size() == size; };
    return w;
}

// The size of one SSO answer, and a check that it is the right user's.
std::string probe(const tcp::endpoint &to, std::size_t &answerSize)
{
    Workload w = ssoWorkload();
    std::size_t size = 0;
    std::string problem;
    w.ok = [&](std::string_view answer) {
        size = answer.size();
        auto j = nlohmann::json::parse(answer, nullptr, false);
        if (j.is_discarded() || !j.contains("result") ||
            j["result"].value("host_account", "") != "USER0001")
            problem =
                "sso_lookup of CONTOSO\\user0001 answered " + std::string(answer.substr(0, 200));
        return true;
    };
    Run run;
    run.measureFrom = run.end = Clock::now(); // the one call is not timed
    asio::io_context io(1);
    asio::co_spawn(io, drive(to, w, 0, 1, run), [&](std::exception_ptr e) {
        try {
            if (e)
                std::rethrow_exception(e);
        } catch (const std::exception &x) {
            problem = x.what();
        }
    });
    io.run();
    answerSize = size;
    return problem;
}

bool parseOptions(const std::vector<std::string> &args, Options &o)
{
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        const std::string &key = args[i];
        const std::string &value = args[i + 1];
        if (key == "--connections")
            o.connections = std::max(1, std::atoi(value.c_str()));
        else if (key == "--depth")
            o.depth = std::max(1, std::atoi(value.c_str()));
        else if (key == "--seconds")
            o.seconds = std::max(0.1, std::atof(value.c_str()));
        else if (key == "--endpoint")
            o.endpoint = value;
        else
            return false;
    }
    return args.size() % 2 == 0;
}

} // namespace

int runRpc(const std::vector<std::string> &args)
{
    Options o;
    if (!parseOptions(args, o)) {
        std::fprintf(stderr, "usage: hostsec-bench rpc [--connections C] [--depth D] "
                             "[--seconds S] [--endpoint HOST:PORT]\n");
        return 2;
    }
    // The echo first, while this process has no other thread: the child of a fork has one.
    EchoProcess echo;
    if (auto problem = echo.start(); !problem.empty())
        return std::fprintf(stderr, "rpc: %s\n", problem.c_str()), 1;
    AgentProcess agent;
    tcp::endpoint ours;
    pid_t agentPid = 0;
    if (o.endpoint.empty()) {
        const std::uint16_t port = freeLoopbackPort();
        const std::string config =
            "[server]\nname = \"HS1\"\nlisten = \"127.0.0.1:" + std::to_string(port) +
            "\"\ndata_dir = \".\"\n[services]\nhost_account_sync = "
            "\"primary\"\n[demo]\nusers = " +
            std::to_string(kUsers) + "\n[tls]\nplaintext = true\n";
        if (auto problem = agent.start(port, config, "rpc"); !problem.empty())
            return std::fprintf(stderr, "rpc: %s\n", problem.c_str()), 1;
        ours = {asio::ip::make_address("127.0.0.1"), port};
        agentPid = agent.pid();
    } else {
        const auto colon = o.endpoint.rfind(':');
        ours = {asio::ip::make_address(o.endpoint.substr(0, colon)),
                static_cast<std::uint16_t>(std::atoi(o.endpoint.substr(colon + 1).c_str()))};
        client::AgentClient running({ours.address().to_string(), ours.port()}, 5s);
        if (auto status = running.get("/v1/status"))
            agentPid = (*status).value("pid", 0);
    }
    std::size_t answerSize = 0;
    if (auto problem = probe(ours, answerSize); !problem.empty())
        return std::fprintf(stderr, "rpc: %s\n", problem.c_str()), 1;

    // The same client, the same shape of load: first the baseline, then ours.
    struct Shape
    {
        const char *name;
        int connections;
        int depth;
    };
    const Shape loaded{"pipelined", o.connections, o.depth};
    const Shape single{"single", 1, 1};
    for (const Shape &shape : {loaded, single}) {
        const Run base = measure(echo.endpoint(), echo.pid(), echoWorkload(answerSize),
                                 shape.connections, shape.depth, o.seconds);
        const Run run =
            measure(ours, agentPid, ssoWorkload(), shape.connections, shape.depth, o.seconds);
        for (const Run *r : {&base, &run}) {
            if (!r->failure.empty() || r->wrong)
                return std::fprintf(stderr, "rpc: %s (%lld wrong answers)\n", r->failure.c_str(),
                                    static_cast<long long>(r->wrong)),
                       1;
        }
        const std::string suffix = std::string("_") + shape.name;
        report("rpc", "sso_lookups_per_s" + suffix, run.rate(), "look-ups/s", base.rate());
        report("rpc", "sso_latency_p50" + suffix, percentile(run.latencyUs, 50), "us",
               percentile(base.latencyUs, 50));
        report("rpc", "sso_latency_p99" + suffix, percentile(run.latencyUs, 99), "us",
               percentile(base.latencyUs, 99));
        // CPU per call survives a busy machine better than rates and latencies do; with two
        // cores, the rate a quiet machine reaches is about 1 / max(server, client) CPU per call.
        report("rpc", "server_cpu_per_lookup" + suffix, run.serverCpuPerCallUs, "us",
               base.serverCpuPerCallUs);
        report("rpc", "client_cpu_per_lookup" + suffix, run.clientCpuPerCallUs, "us",
               base.clientCpuPerCallUs);
    }
    std::fprintf(stderr,
                 "rpc: %d connection(s) x %d in flight, then 1 x 1; %.1f s each; messages of "
                 "%zu bytes\n",
                 o.connections, o.depth, o.seconds, answerSize);
    return 0;
}

} // namespace hostsec::bench
