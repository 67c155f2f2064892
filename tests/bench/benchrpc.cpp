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
// Each pair runs twice: over plain TCP (the agent with [tls] plaintext = true), and over mutual
// TLS 1.3 as every real agent serves (metrics with the suffix _tls). For TLS the bench makes a
// throwaway domain CA with core/pki in a temporary folder and issues service certificates for
// the agent, the echo server and the client (/v1/rpc is for role service); the echo server then
// runs Beast over asio::ssl with the same kind of context, and the client uses core/net's.
//
// hostsec-bench rpc [--connections C] [--depth D] [--seconds S] [--endpoint HOST:PORT]
// --endpoint uses an agent that is already running, over plain TCP (to profile it: perf
// record -p PID); the TLS pair is then left out.

#include <utility> // before Asio: Boost 1.74's awaitable.hpp forgets it

#include "agentprocess.h"
#include "bench.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "model/domain.h"
#include "net/transport.h"
#include "pki/authority.h"
// Private to core/net, used here on purpose: the bare client and the TLS echo drive Beast
// streams themselves, with core/net's OpenSSL context and its checks of the peer.
#include "net/tls.h"

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
#include <type_traits>

namespace hostsec::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using PlainSocket = websocket::stream<beast::tcp_stream>;
using TlsSocket = websocket::stream<net::TlsStream>;
namespace fs = std::filesystem;
using asio::use_awaitable;
using namespace std::chrono_literals;

constexpr int kUsers = 200;

struct Options
{
    int connections = 4;
    int depth = 16;
    double seconds = 3;
    std::string endpoint; // an agent already running (plain TCP); empty: start one, and a TLS one
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

// An answer as a failure message may show it: the first 200 characters, never a credential.
std::string shown(std::string_view answer)
{
    auto j = nlohmann::json::parse(answer, nullptr, false);
    if (j.is_discarded())
        return "(" + std::to_string(answer.size()) + " bytes, not JSON)";
    if (j.contains("result") && j["result"].is_object() && j["result"].contains("credential"))
        j["result"]["credential"] = "(hidden)";
    return j.dump().substr(0, 200);
}

// Connects `ws` to `to` and upgrades at `target`. Over TLS as core/net's clients do it: the
// server's certificate must name the address and carry role service; ours is presented.
template <class Ws>
asio::awaitable<void> connectTo(Ws &ws, const tcp::endpoint &to, const std::string &target)
{
    beast::tcp_stream &stream = beast::get_lowest_layer(ws);
    const std::string host = to.address().to_string();
    co_await stream.async_connect(to, use_awaitable);
    stream.socket().set_option(tcp::no_delay(true));
    if constexpr (std::is_same_v<Ws, TlsSocket>) {
        if (auto expected = net::Internal::expectServer(ws.next_layer(), host); !expected)
            throw std::runtime_error(expected.error().message);
        stream.expires_after(10s);
        co_await ws.next_layer().async_handshake(asio::ssl::stream_base::client, use_awaitable);
        const auto identity = net::Internal::peerIdentity(ws.next_layer());
        if (!identity)
            throw std::runtime_error(identity.error().message);
        if (identity->role != pki::Role::Service)
            throw std::runtime_error("TLS: the server's certificate (" + identity->name +
                                     ") is not a service's");
    }
    stream.expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws.text(true);
    co_await ws.async_handshake(host, target, use_awaitable);
}

// One client connection: `depth` calls in flight; each answer is timed and replaced by the
// next call until the run ends, then the calls still in flight are drained.
template <class Ws>
asio::awaitable<void> exchange(Ws &ws, const Workload &w, int index, int depth, Run &run)
{
    beast::flat_buffer buffer;
    if (!w.hello.empty()) {
        co_await ws.async_write(asio::buffer(w.hello), use_awaitable);
        co_await ws.async_read(buffer, use_awaitable);
        if (text(buffer).find("\"result\"") == std::string_view::npos)
            throw std::runtime_error("handshake refused: " + shown(text(buffer)));
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
            run.failure = "unexpected answer: " + shown(text(buffer));
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

// One client connection to `to`: plain TCP, or mutual TLS with `tls`.
asio::awaitable<void> drive(tcp::endpoint to, const Workload &w, int index, int depth, Run &run,
                            net::TlsContextPtr tls)
{
    const auto executor = co_await asio::this_coro::executor;
    if (!tls) {
        PlainSocket ws(executor);
        co_await connectTo(ws, to, w.target);
        co_await exchange(ws, w, index, depth, run);
    } else {
        TlsSocket ws(executor, tls->impl().context);
        co_await connectTo(ws, to, w.target);
        co_await exchange(ws, w, index, depth, run);
    }
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
            double seconds, const net::TlsContextPtr &tls)
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
        asio::co_spawn(io, drive(to, w, i, depth, run, tls), [&run](std::exception_ptr e) {
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

template <class Ws>
asio::awaitable<void> echoMessages(Ws &ws)
{
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

// One connection. With `tls`, first what the agent's server does before a request: the TLS
// 1.3 handshake (the client's certificate required and verified against the CA), then the
// identity read from the client's certificate.
asio::awaitable<void> echoSession(tcp::socket socket, net::TlsContextPtr tls)
{
    if (!tls) {
        PlainSocket ws(std::move(socket));
        co_await echoMessages(ws);
        co_return;
    }
    TlsSocket ws(beast::tcp_stream(std::move(socket)), tls->impl().context);
    beast::get_lowest_layer(ws).expires_after(10s);
    co_await ws.next_layer().async_handshake(asio::ssl::stream_base::server, use_awaitable);
    beast::get_lowest_layer(ws).expires_never();
    if (!net::Internal::peerIdentity(ws.next_layer()))
        co_return;
    co_await echoMessages(ws);
}

asio::awaitable<void> echoListen(tcp::acceptor &acceptor, net::TlsContextPtr tls)
{
    for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), echoSession(std::move(socket), tls),
                       asio::detached);
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

    // Returns "" once the echo server listens (the socket is made before the fork); with
    // `tls`, each connection is mutual TLS with that context.
    std::string start(net::TlsContextPtr tls = nullptr)
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
            asio::co_spawn(io, echoListen(acceptor, std::move(tls)), asio::detached);
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
std::string probe(const tcp::endpoint &to, std::size_t &answerSize,
                  const net::TlsContextPtr &tls = nullptr)
{
    Workload w = ssoWorkload();
    std::size_t size = 0;
    std::string problem;
    w.ok = [&](std::string_view answer) {
        size = answer.size();
        auto j = nlohmann::json::parse(answer, nullptr, false);
        if (j.is_discarded() || !j.contains("result") ||
            j["result"].value("host_account", "") != "USER0001")
            problem = "sso_lookup of CONTOSO\\user0001 answered " + shown(answer);
        return true;
    };
    Run run;
    run.measureFrom = run.end = Clock::now(); // the one call is not timed
    asio::io_context io(1);
    asio::co_spawn(io, drive(to, w, 0, 1, run, tls), [&](std::exception_ptr e) {
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

// ---- TLS: a throwaway domain and an agent that serves it -----------------------------------

// A domain CA of its own in a temporary folder, made with core/pki as `hostsecctl pki` makes one,
// and the contexts of the certificates it issued: the agent's and the echo server's (role
// service, 127.0.0.1), the client's (role service too: /v1/rpc is for agents only) and a
// viewer's (an agent's /healthz is for the reading roles). The folder, keys included, is
// removed with it.
class TlsDomain
{
public:
    TlsDomain() = default;
    TlsDomain(const TlsDomain &) = delete;
    TlsDomain &operator=(const TlsDomain &) = delete;
    ~TlsDomain()
    {
        if (!m_dir.empty()) {
            std::error_code ignored;
            fs::remove_all(m_dir, ignored);
        }
    }

    // Returns "" once the CA and the four certificates are made and loaded.
    std::string make()
    {
        m_dir = fs::temp_directory_path() / ("hostsec-bench-rpc-tls-" + std::to_string(::getpid()));
        std::error_code ec;
        fs::remove_all(m_dir, ec);
        fs::create_directories(m_dir / "certs", ec);
        if (!ec)
            fs::permissions(m_dir, fs::perms::owner_all, ec); // private keys inside
        if (ec)
            return "cannot make " + m_dir.string() + ": " + ec.message();
        const auto ca = pki::initCa(m_dir / "ca", "BENCH");
        if (!ca)
            return ca.error().message;
        struct Holder
        {
            const char *name;
            pki::Role role;
            net::TlsContextPtr *context;
        };
        const Holder holders[] = {{"HS1", pki::Role::Service, &agent},
                                  {"ECHO", pki::Role::Service, &echo},
                                  {"BENCH", pki::Role::Service, &client},
                                  {"bench-viewer", pki::Role::Viewer, &viewer}};
        for (const Holder &h : holders) {
            pki::IssueRequest request{.name = h.name, .role = h.role};
            if (h.role == pki::Role::Service)
                request.hosts = {"127.0.0.1"};
            const auto issued = pki::issue(m_dir / "ca", request, m_dir / "certs");
            if (!issued)
                return "issue " + request.name + ": " + issued.error().message;
            auto loaded = net::TlsContext::load({ca->certFile, issued->certFile, issued->keyFile});
            if (!loaded)
                return loaded.error().message;
            *h.context = std::move(loaded).value();
        }
        return {};
    }

    const fs::path &dir() const { return m_dir; }

    net::TlsContextPtr agent;
    net::TlsContextPtr echo;
    net::TlsContextPtr client;
    net::TlsContextPtr viewer;

private:
    fs::path m_dir;
};

// The agent's configuration: the primary host account cache alone, the demo users, and
// `tls` as the [tls] section's body.
std::string agentConfig(std::uint16_t port, const std::string &tls)
{
    return "[server]\nname = \"HS1\"\nlisten = \"127.0.0.1:" + std::to_string(port) +
           "\"\ndata_dir = \".\"\n[services]\nhost_account_sync = \"primary\"\n[demo]\nusers = " +
           std::to_string(kUsers) + "\n[tls]\n" + tls;
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
    // The certificates and both echo servers first, while this process has no other thread:
    // the child of a fork has one.
    const bool withTls = o.endpoint.empty();
    TlsDomain domain;
    if (withTls) {
        if (auto problem = domain.make(); !problem.empty())
            return std::fprintf(stderr, "rpc: TLS: %s\n", problem.c_str()), 1;
    }
    EchoProcess echo;
    if (auto problem = echo.start(); !problem.empty())
        return std::fprintf(stderr, "rpc: %s\n", problem.c_str()), 1;
    EchoProcess echoTls;
    if (withTls) {
        if (auto problem = echoTls.start(domain.echo); !problem.empty())
            return std::fprintf(stderr, "rpc: TLS %s\n", problem.c_str()), 1;
    }
    AgentProcess agent;
    tcp::endpoint ours;
    pid_t agentPid = 0;
    if (o.endpoint.empty()) {
        const std::uint16_t port = freeLoopbackPort();
        const std::string config = agentConfig(port, "plaintext = true\n");
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
    AgentProcess agentTls;
    tcp::endpoint oursTls;
    if (withTls) {
        const std::uint16_t port = freeLoopbackPort();
        // TOML literal strings: the temporary folder's path needs no escaping in them.
        const net::TlsConfig &files = domain.agent->config();
        const auto literal = [](const fs::path &file) { return "'" + file.string() + "'\n"; };
        const std::string config = agentConfig(port, "ca = " + literal(files.caFile) +
                                                         "cert = " + literal(files.certFile) +
                                                         "key = " + literal(files.keyFile));
        if (auto problem = agentTls.start(port, config, "rpc-tls-agent", domain.viewer);
            !problem.empty())
            return std::fprintf(stderr, "rpc: TLS agent: %s\n", problem.c_str()), 1;
        oursTls = {asio::ip::make_address("127.0.0.1"), port};
    }
    std::size_t answerSize = 0;
    if (auto problem = probe(ours, answerSize); !problem.empty())
        return std::fprintf(stderr, "rpc: %s\n", problem.c_str()), 1;
    std::size_t answerSizeTls = 0;
    if (withTls) {
        if (auto problem = probe(oursTls, answerSizeTls, domain.client); !problem.empty())
            return std::fprintf(stderr, "rpc: TLS: %s\n", problem.c_str()), 1;
    }

    // The same client, the same shape of load: first the baseline, then ours; over plain TCP,
    // then over TLS (whose metrics end in _tls).
    struct Shape
    {
        const char *name;
        int connections;
        int depth;
    };
    struct Pair
    {
        const char *suffix;
        tcp::endpoint echo;
        pid_t echoPid;
        std::size_t answerSize;
        tcp::endpoint ours;
        pid_t oursPid;
        net::TlsContextPtr tls; // the client's; null: plain TCP
    };
    std::vector<Pair> pairs = {{"", echo.endpoint(), echo.pid(), answerSize, ours, agentPid, {}}};
    if (withTls)
        pairs.push_back({"_tls", echoTls.endpoint(), echoTls.pid(), answerSizeTls, oursTls,
                         agentTls.pid(), domain.client});
    const Shape loaded{"pipelined", o.connections, o.depth};
    const Shape single{"single", 1, 1};
    for (const Shape &shape : {loaded, single}) {
        for (const Pair &pair : pairs) {
            const Run base = measure(pair.echo, pair.echoPid, echoWorkload(pair.answerSize),
                                     shape.connections, shape.depth, o.seconds, pair.tls);
            const Run run = measure(pair.ours, pair.oursPid, ssoWorkload(), shape.connections,
                                    shape.depth, o.seconds, pair.tls);
            for (const Run *r : {&base, &run}) {
                if (!r->failure.empty() || r->wrong)
                    return std::fprintf(stderr, "rpc: %s%s (%lld wrong answers)\n",
                                        pair.tls ? "TLS: " : "", r->failure.c_str(),
                                        static_cast<long long>(r->wrong)),
                           1;
            }
            const std::string suffix = std::string("_") + shape.name + pair.suffix;
            report("rpc", "sso_lookups_per_s" + suffix, run.rate(), "look-ups/s", base.rate());
            report("rpc", "sso_latency_p50" + suffix, percentile(run.latencyUs, 50), "us",
                   percentile(base.latencyUs, 50));
            report("rpc", "sso_latency_p99" + suffix, percentile(run.latencyUs, 99), "us",
                   percentile(base.latencyUs, 99));
            // CPU per call survives a busy machine better than rates and latencies do; with two
            // cores, the rate a quiet machine reaches is about 1 / max(server, client) CPU per
            // call.
            report("rpc", "server_cpu_per_lookup" + suffix, run.serverCpuPerCallUs, "us",
                   base.serverCpuPerCallUs);
            report("rpc", "client_cpu_per_lookup" + suffix, run.clientCpuPerCallUs, "us",
                   base.clientCpuPerCallUs);
        }
    }
    std::fprintf(stderr,
                 "rpc: %d connection(s) x %d in flight, then 1 x 1; %.1f s each; messages of "
                 "%zu bytes; %s\n",
                 o.connections, o.depth, o.seconds, answerSize,
                 withTls ? "plain TCP, then mutual TLS 1.3 (_tls)" : "plain TCP only (--endpoint)");
    return 0;
}

} // namespace hostsec::bench
