#pragma once

#include "net/transport.h"

#include <cstdint>
#include <string>

#include <sys/types.h>

namespace hostsec::bench {

/// One hostsecd in a folder of its own under the temporary directory, started with the given
/// configuration, its output in agent.log there; stopped with SIGTERM (SIGKILL after 10 s) and
/// its folder removed when destroyed.
class AgentProcess
{
public:
    AgentProcess() = default;
    ~AgentProcess();
    AgentProcess(const AgentProcess &) = delete;
    AgentProcess &operator=(const AgentProcess &) = delete;

    /// Writes `config` (TOML) and starts hostsecd on it; returns "" once the agent answers
    /// /healthz on 127.0.0.1:port (over TLS as `tls` when the agent serves TLS), else what went
    /// wrong. `tag` names the folder.
    std::string start(std::uint16_t port, const std::string &config, const std::string &tag,
                      net::TlsContextPtr tls = nullptr);

    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = 0;
    std::string m_dir;
};

/// A TCP port on 127.0.0.1 that nothing listens on right now.
std::uint16_t freeLoopbackPort();

} // namespace hostsec::bench
