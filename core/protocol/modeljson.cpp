#include "protocol/modeljson.h"

#include <climits>
#include <stdexcept>

namespace hostsec {

namespace {

using json = nlohmann::json;

// What an enum is called in an error message, its texts, and its parser.
template <class Enum>
struct EnumSpec
{
    std::string_view what;
    std::string_view choices;
    std::optional<Enum> (*parse)(std::string_view);
};

constexpr EnumSpec<ServiceKind> serviceKindSpec{
    "service kind", "domain-account-sync, host-account-sync, host", serviceKindFromString};
constexpr EnumSpec<CacheRole> cacheRoleSpec{"cache role", "none, primary, backup",
                                            cacheRoleFromString};
constexpr EnumSpec<BindingState> bindingStateSpec{
    "binding state", "unbound, bound, stale, failed, rebinding", bindingStateFromString};
constexpr EnumSpec<RebindPolicy> rebindPolicySpec{"rebind policy", "auto, manual",
                                                  rebindPolicyFromString};
constexpr EnumSpec<SyncState> syncStateSpec{"sync state", "in-sync, pending, failed, rejected",
                                            syncStateFromString};

[[noreturn]] void fail(const std::string &path, std::string_view problem)
{
    std::string message = path;
    message += ": ";
    message += problem;
    throw std::invalid_argument(message);
}

// A value from the input, quoted for an error message and cut short: input may be hostile.
std::string quoted(const std::string &text)
{
    constexpr std::size_t MaxShown = 64;
    std::string shown = "\"";
    shown += text.size() > MaxShown ? text.substr(0, MaxShown) + "..." : text;
    shown += '"';
    return shown;
}

std::string expected(std::string_view what, const json &got)
{
    std::string problem = "expected ";
    problem += what;
    problem += ", got ";
    problem += got.type_name();
    return problem;
}

template <class Enum>
Enum readEnum(const json &v, const std::string &path, const EnumSpec<Enum> &spec)
{
    if (!v.is_string()) {
        fail(path, expected("a " + std::string(spec.what), v));
    }
    const auto &text = v.get_ref<const std::string &>();
    if (const std::optional<Enum> value = spec.parse(text)) {
        return *value;
    }
    std::string problem = quoted(text);
    problem += " is not a ";
    problem += spec.what;
    problem += " (one of ";
    problem += spec.choices;
    problem += ")";
    fail(path, problem);
}

std::uint32_t readCode(const json &v, const std::string &path)
{
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= UINT32_MAX) {
        return static_cast<std::uint32_t>(v.get<std::uint64_t>());
    }
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
        v.get<std::int64_t>() <= UINT32_MAX) {
        return static_cast<std::uint32_t>(v.get<std::int64_t>());
    }
    fail(path, expected("an unsigned 32-bit number", v));
}

// Reads the keys of one JSON object, naming each by its path in what it throws.
class ObjectReader
{
public:
    ObjectReader(const json &object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    {
        if (!m_object.is_object()) {
            fail(m_path, expected("an object", m_object));
        }
    }

    std::string pathOf(std::string_view key) const
    {
        std::string path = m_path;
        path += '.';
        path += key;
        return path;
    }

    const json &at(std::string_view key) const
    {
        const auto it = m_object.find(key);
        if (it == m_object.end()) {
            fail(pathOf(key), "missing");
        }
        return *it;
    }

    std::string string(std::string_view key) const
    {
        const json &v = at(key);
        if (!v.is_string()) {
            fail(pathOf(key), expected("a string", v));
        }
        return v.get<std::string>();
    }

    template <class Enum>
    Enum enumValue(std::string_view key, const EnumSpec<Enum> &spec) const
    {
        return readEnum(at(key), pathOf(key), spec);
    }

    // An ISO 8601 time, or null (or "") for never.
    Millis time(std::string_view key) const
    {
        const json &v = at(key);
        if (v.is_null()) {
            return 0;
        }
        if (!v.is_string()) {
            fail(pathOf(key), expected("an ISO 8601 time or null", v));
        }
        const auto &text = v.get_ref<const std::string &>();
        if (text.empty()) {
            return 0;
        }
        const Millis t = parseIsoTime(text);
        if (t < 0) {
            fail(pathOf(key),
                 quoted(text) + " is not an ISO 8601 UTC time like 2026-11-25T21:25:22.123Z");
        }
        return t;
    }

    // A status object {code, ...}; only the code is read, the rest is derived from it.
    std::uint32_t status(std::string_view key) const
    {
        const ObjectReader object(at(key), pathOf(key));
        return readCode(object.at("code"), object.pathOf("code"));
    }

    int count(std::string_view key) const
    {
        const json &v = at(key);
        if (v.is_number_unsigned() && v.get<std::uint64_t>() <= INT_MAX) {
            return static_cast<int>(v.get<std::uint64_t>());
        }
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
            v.get<std::int64_t>() <= INT_MAX) {
            return static_cast<int>(v.get<std::int64_t>());
        }
        fail(pathOf(key), expected("a non-negative integer", v));
    }

    // Reads each element of an array with `read(element, elementPath)`.
    template <class T, class Read>
    std::vector<T> array(std::string_view key, Read read) const
    {
        const json &v = at(key);
        if (!v.is_array()) {
            fail(pathOf(key), expected("an array", v));
        }
        std::vector<T> items;
        items.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            items.push_back(read(v[i], pathOf(key) + "[" + std::to_string(i) + "]"));
        }
        return items;
    }

private:
    const json &m_object;
    std::string m_path;
};

Service readService(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    Service service;
    service.kind = r.enumValue("kind", serviceKindSpec);
    service.cacheRole = r.enumValue("cache_role", cacheRoleSpec);
    return service;
}

Server readServer(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    Server server;
    server.name = r.string("name");
    server.address = r.string("address");
    server.services = r.array<Service>("services", readService);
    server.instanceId = r.string("instance_id");
    server.startedAt = r.time("started_at");
    server.version = r.string("version");
    return server;
}

BindingTransition readTransition(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    BindingTransition transition;
    transition.time = r.time("time");
    transition.from = r.enumValue("from", bindingStateSpec);
    transition.to = r.enumValue("to", bindingStateSpec);
    transition.status = r.status("status");
    transition.reason = r.string("reason");
    return transition;
}

Binding readBinding(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    Binding binding;
    binding.id = r.string("id");
    binding.fromServer = r.string("from_server");
    binding.fromService = r.enumValue("from_service", serviceKindSpec);
    binding.toServer = r.string("to_server");
    binding.toService = r.enumValue("to_service", serviceKindSpec);
    binding.interfaceUuid = r.string("interface");
    binding.protseq = r.string("protseq");
    binding.endpoint = r.string("endpoint");
    binding.state = r.enumValue("state", bindingStateSpec);
    binding.policy = r.enumValue("policy", rebindPolicySpec);
    binding.lastError = r.status("last_error");
    binding.lastSuccess = r.time("last_success");
    binding.lastFailure = r.time("last_failure");
    binding.consecutiveFailures = r.count("consecutive_failures");
    binding.peerInstance = r.string("peer_instance");
    binding.timeline = r.array<BindingTransition>("timeline", readTransition);
    if (binding.timeline.size() > Binding::TimelineLimit) {
        const auto drop = binding.timeline.size() - Binding::TimelineLimit;
        binding.timeline.erase(binding.timeline.begin(),
                               binding.timeline.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    return binding;
}

UserMapping readUserMapping(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    UserMapping mapping;
    mapping.domainAccount = r.string("domain_account");
    mapping.hostAccount = r.string("host_account");
    mapping.hostDomain = r.string("host_domain");
    mapping.syncState = r.enumValue("sync_state", syncStateSpec);
    mapping.lastChange = r.time("last_change");
    mapping.lastStatus = r.status("last_status");
    return mapping;
}

Domain readDomain(const json &j, const std::string &path)
{
    const ObjectReader r(j, path);
    Domain domain;
    domain.name = r.string("name");
    domain.hostDomain = r.string("host_domain");
    domain.servers = r.array<Server>("servers", readServer);
    domain.bindings = r.array<Binding>("bindings", readBinding);
    return domain;
}

} // namespace

json rpcStatusJson(std::uint32_t code)
{
    const RpcStatus status = rpcStatus(code);
    return json{{"code", code},
                {"hex", rpcCodeHex(code)},
                {"name", std::string(status.name)},
                {"text", std::string(status.text)}};
}

json isoTimeJson(Millis t)
{
    return t == 0 ? json(nullptr) : json(formatIsoTime(t));
}

void to_json(json &j, ServiceKind value)
{
    j = std::string(toString(value));
}

void from_json(const json &j, ServiceKind &value)
{
    value = readEnum(j, "value", serviceKindSpec);
}

void to_json(json &j, CacheRole value)
{
    j = std::string(toString(value));
}

void from_json(const json &j, CacheRole &value)
{
    value = readEnum(j, "value", cacheRoleSpec);
}

void to_json(json &j, ServerRole value)
{
    j = std::string(toString(value));
}

void to_json(json &j, BindingState value)
{
    j = std::string(toString(value));
}

void from_json(const json &j, BindingState &value)
{
    value = readEnum(j, "value", bindingStateSpec);
}

void to_json(json &j, RebindPolicy value)
{
    j = std::string(toString(value));
}

void from_json(const json &j, RebindPolicy &value)
{
    value = readEnum(j, "value", rebindPolicySpec);
}

void to_json(json &j, SyncState value)
{
    j = std::string(toString(value));
}

void from_json(const json &j, SyncState &value)
{
    value = readEnum(j, "value", syncStateSpec);
}

void to_json(json &j, const Service &service)
{
    j = json{{"kind", service.kind}, {"cache_role", service.cacheRole}};
}

void from_json(const json &j, Service &service)
{
    service = readService(j, "service");
}

void to_json(json &j, const Server &server)
{
    j = json{{"name", server.name},
             {"address", server.address},
             {"services", server.services},
             {"role", server.role()},
             {"instance_id", server.instanceId},
             {"started_at", isoTimeJson(server.startedAt)},
             {"version", server.version}};
}

void from_json(const json &j, Server &server)
{
    server = readServer(j, "server");
}

void to_json(json &j, const BindingTransition &transition)
{
    j = json{{"time", isoTimeJson(transition.time)},
             {"from", transition.from},
             {"to", transition.to},
             {"status", rpcStatusJson(transition.status)},
             {"reason", transition.reason}};
}

void from_json(const json &j, BindingTransition &transition)
{
    transition = readTransition(j, "transition");
}

void to_json(json &j, const Binding &binding)
{
    j = json{{"id", binding.id},
             {"from_server", binding.fromServer},
             {"from_service", binding.fromService},
             {"to_server", binding.toServer},
             {"to_service", binding.toService},
             {"interface", binding.interfaceUuid},
             {"protseq", binding.protseq},
             {"endpoint", binding.endpoint},
             {"state", binding.state},
             {"policy", binding.policy},
             {"last_error", rpcStatusJson(binding.lastError)},
             {"last_success", isoTimeJson(binding.lastSuccess)},
             {"last_failure", isoTimeJson(binding.lastFailure)},
             {"consecutive_failures", binding.consecutiveFailures},
             {"peer_instance", binding.peerInstance},
             {"timeline", binding.timeline}};
}

void from_json(const json &j, Binding &binding)
{
    binding = readBinding(j, "binding");
}

void to_json(json &j, const UserMapping &mapping)
{
    j = json{{"domain_account", mapping.domainAccount},
             {"host_account", mapping.hostAccount},
             {"host_domain", mapping.hostDomain},
             {"sync_state", mapping.syncState},
             {"last_change", isoTimeJson(mapping.lastChange)},
             {"last_status", rpcStatusJson(mapping.lastStatus)}};
}

void from_json(const json &j, UserMapping &mapping)
{
    mapping = readUserMapping(j, "user_mapping");
}

void to_json(json &j, const Domain &domain)
{
    j = json{{"name", domain.name},
             {"host_domain", domain.hostDomain},
             {"servers", domain.servers},
             {"bindings", domain.bindings}};
}

void from_json(const json &j, Domain &domain)
{
    domain = readDomain(j, "domain");
}

} // namespace hostsec
