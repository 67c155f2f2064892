// The HTTP request path: a real Agent runs in this process (domain-account-sync, the primary
// host account cache and the host on one server, three demo users, one peer that is never up),
// and each input is written as it is to a new TCP connection to its admin API, then the
// connection is half-closed and everything the agent answers is read until it closes. So the
// input meets everything a client meets: Beast's request parser with the agent's limits, the
// transport's target and header decoding, the agent's routing, query and JSON body parsing,
// the stores behind each route, and, after an upgrade request to /v1/rpc or /v1/watch, the
// WebSocket frames that follow it in the input (sent once the 101 arrived: the RPC server and
// the bind handshake). Several requests in one input are served one after the other, as on a
// keep-alive connection.
//
// Checked beyond sanitizers: the agent answers and closes within 20 s; whatever it writes is
// HTTP responses, never a 500 (an exception or a storage failure: with a healthy local store
// that is a bug), each as long as its Content-Length, JSON where it says JSON.
//
// The agent keeps its state from one input to the next (users, outbox, events, jobs), as a
// real one does: a finding may need the inputs before it to reproduce.

#include "fuzztarget.h"

#include "agent/agent.h"
#include "agent/asio.h"
#include "agent/config.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

namespace hostsec::fuzz {

namespace {

using namespace std::chrono_literals;

constexpr auto kAnswerDeadline = 20s;
constexpr auto kUpgradeWait = 200ms;

constexpr const char *kConfig = R"(
[server]
name = "FUZZ1"
listen = "127.0.0.1:0"
data_dir = "."

[services]
domain_account_sync = true
host_account_sync = "primary"
host = true

[binding]
announce = false

[outbox]
retry_ms = 3600000

[demo]
users = 3

# The HTTP parser is the target, not TLS: the fuzzer's bytes go to the agent unencrypted.
[tls]
plaintext = true

[[peer]]
name = "HS2"
address = "127.0.0.1:1"
services = ["host-account-sync:backup"]
)";

std::string errnoText()
{
    return std::strerror(errno);
}

// Where the header of the first request ends, if it asks for an upgrade; else the input's size.
std::size_t upgradeRequestEnd(std::string_view request)
{
    const auto end = request.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return request.size();
    std::string head(request.substr(0, end));
    for (char &c : head)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return head.find("\nupgrade:") == std::string::npos ? request.size() : end + 4;
}

// $TMPDIR, else /dev/shm where there is one: the agent syncs every commit to disk, which would
// cost milliseconds a request and tell the fuzzer nothing.
std::string folderBase()
{
    if (const char *tmp = std::getenv("TMPDIR"); tmp && *tmp)
        return tmp;
    return ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

/// The agent the inputs are sent to, started at the first input, stopped and its folder
/// removed when the process exits.
class AgentUnderTest
{
public:
    AgentUnderTest()
    {
        std::string pattern = folderBase() + "/hostsec-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            fail("cannot create the agent's folder " + pattern + ": " + errnoText());
        m_dir = pattern;
        auto config = AgentConfig::parse(kConfig, m_dir + "/hostsecd.toml");
        if (!config)
            fail("the agent's config: " + config.error().message);
        m_agent = std::make_unique<Agent>(m_io, std::move(*config));
        if (auto started = m_agent->start(); !started)
            fail("the agent did not start: " + started.error().message);
        m_port = m_agent->port();
    }

    ~AgentUnderTest()
    {
        m_agent->stop();
        m_agent.reset();
        m_io.poll();
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }

    AgentUnderTest(const AgentUnderTest &) = delete;
    AgentUnderTest &operator=(const AgentUnderTest &) = delete;

    /// Writes `request` on a new connection, half-closes it and returns all the agent wrote
    /// before it closed. The agent's io_context runs here, between the socket calls.
    std::string exchange(std::string_view request)
    {
        const int fd = connectToAgent();
        std::string answer;
        std::size_t sent = 0;
        bool writing = true;
        const auto start = std::chrono::steady_clock::now();
        // A WebSocket client sends frames only once the 101 arrived (RFC 6455, 4.1), and the
        // agent drops what came earlier: after an upgrade request the rest of the input waits
        // for the answer's header (or kUpgradeWait, for a request the agent waits on).
        std::size_t held = upgradeRequestEnd(request);
        for (;;) {
            bool progress = false;
            if (held < request.size() && sent == held &&
                (answer.find("\r\n\r\n") != std::string::npos ||
                 std::chrono::steady_clock::now() > start + kUpgradeWait))
                held = request.size();
            if (writing && sent < held) {
                const ssize_t n = ::send(fd, request.data() + sent, held - sent, MSG_NOSIGNAL);
                if (n > 0) {
                    sent += static_cast<std::size_t>(n);
                    progress = true;
                } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    writing = false; // the agent closed: it refused what came before
                }
            }
            if (writing && sent == request.size()) {
                ::shutdown(fd, SHUT_WR);
                writing = false;
            }
            char buffer[16384];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                answer.append(buffer, static_cast<std::size_t>(n));
                progress = true;
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                break; // closed (or reset) by the agent
            }
            if (m_io.poll() > 0 || progress)
                continue;
            if (std::chrono::steady_clock::now() > start + kAnswerDeadline)
                fail("the agent neither answered nor closed the connection within 20 s");
            m_io.run_one_for(std::chrono::milliseconds(1));
        }
        // Reset instead of FIN: no TIME_WAIT, so a long run does not run out of ports.
        const linger reset{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(fd);
        m_io.poll();
        return answer;
    }

private:
    // A non-blocking connect: libFuzzer's timer signal would interrupt a blocking one. The
    // kernel completes it from the listen backlog; the agent accepts when its io_context runs.
    int connectToAgent()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            fail("socket: " + errnoText());
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(m_port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
            return fd;
        if (errno != EINPROGRESS && errno != EINTR)
            fail("connect to the agent: " + errnoText());
        pollfd writable{fd, POLLOUT, 0};
        const auto deadline = std::chrono::steady_clock::now() + kAnswerDeadline;
        while (::poll(&writable, 1, 100) <= 0) {
            if (std::chrono::steady_clock::now() > deadline)
                fail("the agent's port accepted no connection within 20 s");
        }
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            fail(std::string("connect to the agent: ") + std::strerror(error));
        return fd;
    }

    boost::asio::io_context m_io;
    std::string m_dir;
    std::unique_ptr<Agent> m_agent;
    std::uint16_t m_port = 0;
};

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

// The value of header `name` (as Beast writes it) in `head`, or "".
std::string_view headerValue(std::string_view head, std::string_view name)
{
    const std::string key = "\r\n" + std::string(name) + ": ";
    const auto at = head.find(key);
    if (at == std::string_view::npos)
        return {};
    const auto start = at + key.size();
    return head.substr(start, head.find("\r\n", start) - start);
}

// Walks the responses the agent wrote, one after the other, until a WebSocket takes over.
void checkAnswers(std::string_view answer)
{
    while (!answer.empty()) {
        check(startsWith(answer, "HTTP/") && answer.size() > 12,
              "the agent wrote something that is not an HTTP response");
        const auto headEnd = answer.find("\r\n\r\n");
        check(headEnd != std::string_view::npos, "an HTTP response header without its end");
        const std::string_view head = answer.substr(0, headEnd);
        const std::string_view status = head.substr(9, 3);
        std::string_view rest = answer.substr(headEnd + 4);
        check(status != "500", "the agent answered 500: " + std::string(answer.substr(0, 600)));
        if (status == "101") // the rest is the WebSocket's
            return;
        if (status == "100" || startsWith(rest, "HTTP/")) { // 100 Continue, or the answer to HEAD
            answer = rest;
            continue;
        }
        const std::string_view lengthText = headerValue(head, "Content-Length");
        check(!lengthText.empty(), "an HTTP response without a Content-Length");
        const auto length = static_cast<std::size_t>(std::stoull(std::string(lengthText)));
        if (rest.empty()) // the answer to a HEAD request, the last one
            return;
        check(rest.size() >= length, "an HTTP response shorter than its Content-Length");
        const std::string_view body = rest.substr(0, length);
        if (startsWith(headerValue(head, "Content-Type"), "application/json"))
            check(nlohmann::json::accept(body),
                  "a response that says JSON is not JSON: " + std::string(body.substr(0, 600)));
        answer = rest.substr(length);
    }
}

} // namespace

int httpRequest(const std::uint8_t *data, std::size_t size)
{
    static AgentUnderTest agent;
    checkAnswers(agent.exchange(text(data, size)));
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::httpRequest)
