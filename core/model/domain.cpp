#include "model/domain.h"

#include <algorithm>
#include <climits>

namespace hostsec {

namespace {

// One table per enum, so toString and fromString can never disagree.
template <class Enum>
struct EnumName
{
    Enum value;
    std::string_view text;
};

constexpr EnumName<ServiceKind> serviceKindNames[] = {
    {ServiceKind::DomainAccountSync, "domain-account-sync"},
    {ServiceKind::HostAccountSync, "host-account-sync"},
    {ServiceKind::Host, "host"},
};

constexpr EnumName<CacheRole> cacheRoleNames[] = {
    {CacheRole::None, "none"},
    {CacheRole::Primary, "primary"},
    {CacheRole::Backup, "backup"},
};

constexpr EnumName<ServerRole> serverRoleNames[] = {
    {ServerRole::DomainController, "domain-controller"},
    {ServerRole::CachePrimary, "cache-primary"},
    {ServerRole::CacheBackup, "cache-backup"},
    {ServerRole::Host, "host"},
    {ServerRole::Other, "other"},
};

constexpr EnumName<BindingState> bindingStateNames[] = {
    {BindingState::Unbound, "unbound"},     {BindingState::Bound, "bound"},
    {BindingState::Stale, "stale"},         {BindingState::Failed, "failed"},
    {BindingState::Rebinding, "rebinding"},
};

constexpr EnumName<RebindPolicy> rebindPolicyNames[] = {
    {RebindPolicy::Auto, "auto"},
    {RebindPolicy::Manual, "manual"},
};

constexpr EnumName<SyncState> syncStateNames[] = {
    {SyncState::InSync, "in-sync"},
    {SyncState::Pending, "pending"},
    {SyncState::Failed, "failed"},
    {SyncState::Rejected, "rejected"},
};

// An out-of-range value (a cast from a bad integer) prints as "?" rather than crashing.
template <class Enum, std::size_t N>
std::string_view nameOf(const EnumName<Enum> (&names)[N], Enum value)
{
    for (const auto &entry : names) {
        if (entry.value == value) {
            return entry.text;
        }
    }
    return "?";
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const EnumName<Enum> (&names)[N], std::string_view text)
{
    for (const auto &entry : names) {
        if (entry.text == text) {
            return entry.value;
        }
    }
    return std::nullopt;
}

constexpr std::size_t stateIndex(BindingState s)
{
    return static_cast<std::size_t>(s);
}
constexpr std::size_t StateCount = 5;

// validMoves[from][to]. Rows and columns: Unbound, Bound, Stale, Failed, Rebinding.
// Every move between two different states is allowed; the table keeps it one edit away to
// forbid one.
constexpr bool validMoves[StateCount][StateCount] = {
    /* Unbound   */ {false, true, true, true, true},
    /* Bound     */ {true, false, true, true, true},
    /* Stale     */ {true, true, false, true, true},
    /* Failed    */ {true, true, true, false, true},
    /* Rebinding */ {true, true, true, true, false},
};

} // namespace

std::string_view interfaceUuid(ServiceKind kind)
{
    switch (kind) {
    case ServiceKind::HostAccountSync:
        return "dc76dcd0-c084-11cf-a65e-0020afc28c52";
    case ServiceKind::DomainAccountSync:
        return "dc76dcd1-c084-11cf-a65e-0020afc28c52";
    case ServiceKind::Host:
        return "dc76dcd2-c084-11cf-a65e-0020afc28c52";
    }
    return {};
}

std::string_view toString(ServiceKind kind)
{
    return nameOf(serviceKindNames, kind);
}

std::optional<ServiceKind> serviceKindFromString(std::string_view text)
{
    return valueOf(serviceKindNames, text);
}

std::string_view toString(CacheRole role)
{
    return nameOf(cacheRoleNames, role);
}

std::optional<CacheRole> cacheRoleFromString(std::string_view text)
{
    return valueOf(cacheRoleNames, text);
}

std::string_view toString(ServerRole role)
{
    return nameOf(serverRoleNames, role);
}

std::string_view toString(BindingState state)
{
    return nameOf(bindingStateNames, state);
}

std::optional<BindingState> bindingStateFromString(std::string_view text)
{
    return valueOf(bindingStateNames, text);
}

std::string_view toString(RebindPolicy policy)
{
    return nameOf(rebindPolicyNames, policy);
}

std::optional<RebindPolicy> rebindPolicyFromString(std::string_view text)
{
    return valueOf(rebindPolicyNames, text);
}

std::string_view toString(SyncState state)
{
    return nameOf(syncStateNames, state);
}

std::optional<SyncState> syncStateFromString(std::string_view text)
{
    return valueOf(syncStateNames, text);
}

ServerRole Server::role() const
{
    if (!services.empty() && std::all_of(services.begin(), services.end(), [](const Service &s) {
            return s.kind == ServiceKind::Host;
        })) {
        return ServerRole::Host;
    }
    if (runs(ServiceKind::DomainAccountSync)) {
        return ServerRole::DomainController;
    }
    const auto cacheWith = [this](CacheRole cacheRole) {
        return std::any_of(services.begin(), services.end(), [cacheRole](const Service &s) {
            return s.kind == ServiceKind::HostAccountSync && s.cacheRole == cacheRole;
        });
    };
    if (cacheWith(CacheRole::Primary)) {
        return ServerRole::CachePrimary;
    }
    if (cacheWith(CacheRole::Backup)) {
        return ServerRole::CacheBackup;
    }
    return ServerRole::Other;
}

bool Server::runs(ServiceKind kind) const
{
    return std::any_of(services.begin(), services.end(),
                       [kind](const Service &s) { return s.kind == kind; });
}

bool isValidTransition(BindingState from, BindingState to)
{
    const std::size_t f = stateIndex(from);
    const std::size_t t = stateIndex(to);
    return f < StateCount && t < StateCount && validMoves[f][t];
}

std::string Binding::makeId(std::string_view clientServer, ServiceKind clientService,
                            std::string_view peerServer, ServiceKind peerService)
{
    std::string text;
    text.reserve(clientServer.size() + peerServer.size() + 48);
    text.append(clientServer).append("/").append(toString(clientService));
    text.append("->");
    text.append(peerServer).append("/").append(toString(peerService));
    return text;
}

// Composed the way RpcStringBindingCompose does: the "uuid@" part and the "[endpoint]" part
// are left out when empty, so a binding without an endpoint prints as in the seed's trace.
std::string Binding::stringBinding() const
{
    std::string text;
    if (!interfaceUuid.empty()) {
        text.append(interfaceUuid).append("@");
    }
    text.append(protseq).append(":").append(toServer);
    if (!endpoint.empty()) {
        text.append("[").append(endpoint).append("]");
    }
    return text;
}

bool Binding::transition(BindingState to, Millis time, std::uint32_t status, std::string reason)
{
    if (to == state) {
        return true;
    }
    if (!isValidTransition(state, to)) {
        return false;
    }
    if (timeline.size() >= TimelineLimit) {
        timeline.erase(timeline.begin(),
                       timeline.begin() +
                           static_cast<std::ptrdiff_t>(timeline.size() - TimelineLimit + 1));
    }
    timeline.push_back({time, state, to, status, std::move(reason)});
    state = to;
    return true;
}

void Binding::recordSuccess(Millis time)
{
    consecutiveFailures = 0;
    lastSuccess = time;
}

// lastError stays after a success: it is the last error seen, for the operator's history.
void Binding::recordFailure(Millis time, std::uint32_t status)
{
    if (consecutiveFailures < INT_MAX) {
        ++consecutiveFailures;
    }
    lastError = status;
    lastFailure = time;
}

bool splitDomainAccount(std::string_view account, std::string &domain, std::string &user)
{
    const std::size_t slash = account.find('\\');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == account.size() ||
        account.find('\\', slash + 1) != std::string_view::npos) {
        return false;
    }
    domain.assign(account.substr(0, slash));
    user.assign(account.substr(slash + 1));
    return true;
}

const Server *Domain::server(std::string_view serverName) const
{
    const auto it = std::find_if(servers.begin(), servers.end(),
                                 [serverName](const Server &s) { return s.name == serverName; });
    return it != servers.end() ? &*it : nullptr;
}

const Binding *Domain::binding(std::string_view bindingId) const
{
    const auto it = std::find_if(bindings.begin(), bindings.end(),
                                 [bindingId](const Binding &b) { return b.id == bindingId; });
    return it != bindings.end() ? &*it : nullptr;
}

std::vector<const Binding *> Domain::bindingsOf(std::string_view serverName) const
{
    std::vector<const Binding *> found;
    for (const Binding &b : bindings) {
        if (b.fromServer == serverName || b.toServer == serverName) {
            found.push_back(&b);
        }
    }
    return found;
}

} // namespace hostsec
