#pragma once

#include "util/result.h"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace hostsec::ctl {

class AgentDirectory;

/// Options every command takes.
struct GlobalOptions
{
    std::string profile;        // -p: a profile.json or a demo domain's folder
    bool json = false;          // --json: print the API's JSON instead of tables
    double timeoutSeconds = 10; // --timeout: per request
};

/// `users` filters; limit 0 lists every user.
struct UsersOptions
{
    std::string state;
    std::string text;
    int limit = 100;
};

/// `events` filters, passed to every agent's GET /v1/events.
struct EventsOptions
{
    std::string server;
    std::int64_t after = 0;
    int limit = 100;
    std::vector<std::string> ids;
    std::vector<std::string> severities;
    std::vector<std::string> sources;
    std::string text;
    std::string from;
    std::string until;
};

/// `rebind`: exactly one of binding, server, allStale.
struct RebindOptions
{
    std::string binding;
    std::string server;
    bool allStale = false;
};

/// `resync`: exactly one of users, failed, all.
struct ResyncOptions
{
    std::vector<std::string> users;
    bool failed = false;
    bool all = false;
    bool noWait = false;
};

/// What hostsecctl does, one function per command. Results go to `out`, progress to `err`;
/// a failure comes back as an Error whose message is "<what failed>: <why>", for main() to
/// print as "hostsecctl: ...". No function ever writes a password or an SSO credential.
class Commands
{
public:
    /// Commands with these options, writing to `out` and `err`.
    Commands(GlobalOptions options, std::ostream &out, std::ostream &err);

    /// demo init DIR [--users N]
    Status demoInit(const std::string &dir, int users);
    /// demo start DIR: returns when every agent answers /healthz, or after waitSeconds.
    Status demoStart(const std::string &dir, double waitSeconds);
    /// demo stop DIR
    Status demoStop(const std::string &dir);
    /// demo recycle DIR SERVER: kill -9 and start again.
    Status demoRecycle(const std::string &dir, const std::string &server, double waitSeconds);

    /// status [--server NAME]: every agent's status; an unreachable agent is shown as such.
    Status status(const std::string &server);
    /// bindings [--server NAME]: the bindings every agent holds, merged.
    Status bindings(const std::string &server);
    /// users: the primary cache's user mappings.
    Status users(const UsersOptions &options);
    /// outbox [--server NAME] [--user ACCOUNT]: changes waiting for a peer, merged.
    Status outbox(const std::string &server, const std::string &user);
    /// events: every agent's event log, merged in time order.
    Status events(const EventsOptions &options);
    /// rebind BINDING_ID | --server NAME | --all-stale
    Status rebind(const RebindOptions &options);
    /// resync (--user ... | --failed | --all) [--no-wait] on the primary cache.
    Status resync(const ResyncOptions &options);
    /// rotate-key SERVER: a new cache key on that host-account-sync server.
    Status rotateKey(const std::string &server);
    /// passwd ACCOUNT: the new password from stdin to the domain-account-sync agent.
    Status passwd(const std::string &account);
    /// host-passwd HOSTUSER: the new password from stdin to the host agent.
    Status hostPasswd(const std::string &hostAccount);
    /// host-logon HOSTUSER: the password from stdin, verified by the host agent.
    Status hostLogon(const std::string &hostAccount);
    /// sso ACCOUNT [--logon] [--server NAME]
    Status sso(const std::string &account, bool logon, const std::string &server);

private:
    Result<AgentDirectory> openProfile() const;

    /// What host-passwd and host-logon start with: a valid host user id, the profile's host
    /// agent, and the secret read from stdin after `prompt`.
    struct HostCall;
    Result<HostCall> prepareHostCall(const std::string &command, const std::string &hostAccount,
                                     const std::string &prompt) const;

    GlobalOptions m_options;
    std::ostream &m_out;
    std::ostream &m_err;
};

} // namespace hostsec::ctl
