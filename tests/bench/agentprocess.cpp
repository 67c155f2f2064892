#include "agentprocess.h"

#include "client/agentclient.h"
#include "client/demodomain.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace hostsec::bench {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

AgentProcess::~AgentProcess()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        const auto end = Clock::now() + 10s;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (Clock::now() > end) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(5ms);
        }
    }
    if (!m_dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
}

std::string AgentProcess::start(std::uint16_t port, const std::string &config,
                                const std::string &tag, net::TlsContextPtr tls)
{
    namespace fs = std::filesystem;
    m_dir =
        (fs::temp_directory_path() / ("hostsec-bench-" + tag + "-" + std::to_string(::getpid())))
            .string();
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    const std::string configPath = m_dir + "/hostsecd.toml";
    std::ofstream(configPath) << config;
    const std::string program = client::DemoDomain::hostsecdPath();
    const std::string log = m_dir + "/agent.log";
    m_pid = ::fork();
    if (m_pid < 0)
        return "fork failed";
    if (m_pid == 0) {
        if (::chdir(m_dir.c_str()) != 0)
            ::_exit(126);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        ::execl(program.c_str(), program.c_str(), "--config", configPath.c_str(),
                static_cast<char *>(nullptr));
        ::_exit(127);
    }
    client::AgentClient agent({"127.0.0.1", port, std::move(tls)}, 1s);
    const auto end = Clock::now() + 30s;
    while (!agent.health()) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = 0;
            return program + " exited; see " + log;
        }
        if (Clock::now() > end)
            return program + " did not answer /healthz within 30 s; see " + log;
        std::this_thread::sleep_for(10ms);
    }
    return {};
}

std::uint16_t freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof at;
    std::uint16_t port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<const sockaddr *>(&at), sizeof at) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&at), &size) == 0)
        port = ntohs(at.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

} // namespace hostsec::bench
