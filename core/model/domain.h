#pragma once

#include "model/rpcstatus.h"
#include "model/time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

/// The services a host security domain is made of.
enum class ServiceKind
{
    DomainAccountSync,
    HostAccountSync,
    Host
};

/// A host-account-sync service keeps the primary host account cache or a backup of it.
enum class CacheRole
{
    None,
    Primary,
    Backup
};

/// The RPC interface UUID each service exports. HostAccountSync's is the one in the Q216558 trace.
std::string_view interfaceUuid(ServiceKind kind);

/// "domain-account-sync", "host-account-sync", "host".
std::string_view toString(ServiceKind kind);
std::optional<ServiceKind> serviceKindFromString(std::string_view text);
std::string_view toString(CacheRole role); // "none", "primary", "backup"
std::optional<CacheRole> cacheRoleFromString(std::string_view text);

/// One service configured on a server.
struct Service
{
    ServiceKind kind = ServiceKind::Host;
    CacheRole cacheRole = CacheRole::None; // only for HostAccountSync

    bool operator==(const Service &) const = default;
};

/// What a server is, derived from its services, for grouping in the topology.
enum class ServerRole
{
    DomainController,
    CachePrimary,
    CacheBackup,
    Host,
    Other
};
std::string_view toString(ServerRole role); // "domain-controller", "cache-primary", ...

/// One server (one hostsecd process) of the domain.
struct Server
{
    std::string name;    // "HS1"
    std::string address; // "127.0.0.1:40123", where its agent listens
    std::vector<Service> services;
    std::string instanceId; // new at every start of the agent; empty if never seen
    Millis startedAt = 0;   // when the current instance started
    std::string version;

    ServerRole role() const;
    bool runs(ServiceKind kind) const;
};

/// The state of an RPC binding.
enum class BindingState
{
    Unbound,
    Bound,
    Stale,
    Failed,
    Rebinding
};
std::string_view toString(BindingState state); // "unbound", "bound", "stale", "failed", "rebinding"
std::optional<BindingState> bindingStateFromString(std::string_view text);

/// What a binding does when its peer goes away: rebind by itself, or wait for an operator.
enum class RebindPolicy
{
    Auto,
    Manual
};
std::string_view toString(RebindPolicy policy); // "auto", "manual"
std::optional<RebindPolicy> rebindPolicyFromString(std::string_view text);

/// Whether a binding may move from one state to another. Staying in a state is not a move.
bool isValidTransition(BindingState from, BindingState to);

/// One recorded change of a binding's state.
struct BindingTransition
{
    Millis time = 0;
    BindingState from = BindingState::Unbound;
    BindingState to = BindingState::Unbound;
    std::uint32_t status = rpc::Success; // the RPC status that caused it, if any
    std::string reason;                  // "peer instance changed", "operator rebind", ...

    bool operator==(const BindingTransition &) const = default;
};

/// A client service's binding to a server service on another server.
struct Binding
{
    static constexpr std::size_t TimelineLimit = 200; // oldest transitions are dropped

    std::string id; // "DC1/domain-account-sync->HS1/host-account-sync"
    std::string fromServer;
    ServiceKind fromService = ServiceKind::DomainAccountSync;
    std::string toServer;
    ServiceKind toService = ServiceKind::HostAccountSync;
    std::string interfaceUuid;
    std::string protseq = "ncacn_ip_tcp";
    std::string endpoint; // "127.0.0.1:40123"
    BindingState state = BindingState::Unbound;
    RebindPolicy policy = RebindPolicy::Auto;
    std::uint32_t lastError = rpc::Success;
    Millis lastSuccess = 0;
    Millis lastFailure = 0;
    int consecutiveFailures = 0;
    std::string peerInstance;
    std::vector<BindingTransition> timeline;

    /// The canonical id for a binding between two services.
    static std::string makeId(std::string_view fromServer, ServiceKind fromService,
                              std::string_view toServer, ServiceKind toService);

    /// "dc76dcd0-...@ncacn_ip_tcp:HS1[127.0.0.1:40123]", as the RPC runtime prints a binding.
    std::string stringBinding() const;

    /// Moves to `to` and records the change; refuses (returns false, changes nothing) when the
    /// move is not valid. Moving to the current state records nothing and returns true.
    bool transition(BindingState to, Millis time, std::uint32_t status, std::string reason);

    /// Records a successful call: clears the failure count.
    void recordSuccess(Millis time);
    /// Records a failed call with its status.
    void recordFailure(Millis time, std::uint32_t status);
};

/// Where a user's passwords stand between the domain and the host.
enum class SyncState
{
    InSync,
    Pending,
    Failed,
    Rejected
};
std::string_view toString(SyncState state); // "in-sync", "pending", "failed", "rejected"
std::optional<SyncState> syncStateFromString(std::string_view text);

/// A domain account mapped to a host account.
struct UserMapping
{
    std::string domainAccount; // "CONTOSO\alice"
    std::string hostAccount;   // "ALICE"
    std::string hostDomain;    // "HOSTDOM"
    SyncState syncState = SyncState::InSync;
    Millis lastChange = 0;
    std::uint32_t lastStatus = rpc::Success;

    bool operator==(const UserMapping &) const = default;
};

/// "CONTOSO\alice" split into {"CONTOSO", "alice"}; false if there is no single backslash
/// with text on both sides.
bool splitDomainAccount(std::string_view account, std::string &domain, std::string &user);

/// The whole host security domain as the console sees it.
struct Domain
{
    std::string name;       // the Windows domain, "CONTOSO"
    std::string hostDomain; // the host security domain, "HOSTDOM"
    std::vector<Server> servers;
    std::vector<Binding> bindings;

    const Server *server(std::string_view name) const;
    const Binding *binding(std::string_view id) const;
    /// Bindings whose client or server is the named server.
    std::vector<const Binding *> bindingsOf(std::string_view serverName) const;
};

} // namespace hostsec
