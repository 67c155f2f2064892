#pragma once

#include "util/result.h"

#include <chrono>
#include <string>
#include <vector>

namespace hostsec::client {

/// The embedded demo domain: four real hostsecd processes on loopback, in one folder.
///   DC1   domain-account-sync
///   HS1   host-account-sync, primary cache
///   HS2   host-account-sync, backup cache, every binding with rebind policy manual
///   HOST1 host (the simulated host)
/// DIR/profile.json lists the agents; DIR/<SERVER>/ holds hostsecd.toml, its data, agent.log
/// and, while it runs, agent.pid.
class DemoDomain
{
public:
    static constexpr const char *Servers[] = {"DC1", "HS1", "HS2", "HOST1"};

    /// Creates the folder's configs and profile.json, with free loopback ports and `users`
    /// demo users. Refuses a folder that already holds a profile.
    static Status init(const std::string &dir, int users);
    /// Starts every agent of DIR that is not running, each its own process (setsid, output to
    /// agent.log, pid in agent.pid); returns when all answer /healthz, or an Error naming the
    /// agents that did not within `timeout` (with the last lines of their log).
    static Status start(const std::string &dir,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// Stops every running agent of DIR (SIGTERM, then SIGKILL after a grace period).
    static Status stop(const std::string &dir);
    /// kill -9 one agent and start it again, as a reboot would; returns when it is healthy.
    static Status recycle(const std::string &dir, const std::string &server,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// kill -9 one agent without starting it again.
    static Status kill(const std::string &dir, const std::string &server);
    /// The pid of a running agent of DIR, or 0.
    static int runningPid(const std::string &dir, const std::string &server);

    /// The hostsecd executable: $HOSTSEC_HOSTSECD, else beside the running program, else
    /// $HOSTSEC_BIN_DIR/hostsecd, else "hostsecd" on PATH.
    static std::string hostsecdPath();
};

} // namespace hostsec::client
