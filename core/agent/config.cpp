#include "agent/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hostsec {

namespace {

namespace fs = std::filesystem;

// Thrown inside the parser only; parse() turns it into the one-line Error.
struct ConfigError
{
    std::string key;
    std::string what;
};

[[noreturn]] void fail(std::string key, std::string what)
{
    throw ConfigError{std::move(key), std::move(what)};
}

bool validServerName(const std::string &name)
{
    if (name.empty() || name.size() > 15)
        return false;
    for (char c : name) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

bool validAddress(const std::string &address)
{
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        return false;
    const std::string port = address.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        return false;
    return std::stoi(port) <= 65535;
}

template <class T>
T get(const toml::table &table, const std::string &section, const std::string &key, T fallback)
{
    const toml::node *node = table.get(key);
    const std::string where = section.empty() ? key : section + "." + key;
    if (!node)
        return fallback;
    if constexpr (std::is_same_v<T, std::string>) {
        if (auto v = node->value<std::string>())
            return *v;
        fail(where, "expected a string");
    } else if constexpr (std::is_same_v<T, bool>) {
        if (auto v = node->value_exact<bool>())
            return *v;
        fail(where, "expected true or false");
    } else if constexpr (std::is_same_v<T, double>) {
        if (auto v = node->value<double>())
            return *v;
        fail(where, "expected a number");
    } else {
        if (auto v = node->value_exact<std::int64_t>()) {
            if (*v < 0 || *v > std::numeric_limits<T>::max())
                fail(where, "expected a non-negative integer, got " + std::to_string(*v));
            return static_cast<T>(*v);
        }
        fail(where, "expected an integer");
    }
}

const toml::table *section(const toml::table &root, const char *name)
{
    const toml::node *node = root.get(name);
    if (!node)
        return nullptr;
    if (!node->is_table())
        fail(name, "expected a [" + std::string(name) + "] section");
    return node->as_table();
}

void checkKeys(const toml::table &table, const std::string &where,
               std::initializer_list<const char *> known)
{
    for (const auto &[key, value] : table) {
        bool ok = false;
        for (const char *k : known)
            ok = ok || key.str() == k;
        if (!ok)
            fail(where.empty() ? std::string(key.str()) : where + "." + std::string(key.str()),
                 "unknown key");
    }
}

RebindPolicy policyFrom(const std::string &text, const std::string &key)
{
    auto policy = rebindPolicyFromString(text);
    if (!policy)
        fail(key, "expected auto or manual, got \"" + text + "\"");
    return *policy;
}

// "host-account-sync:primary" and friends.
Service serviceFrom(const std::string &text, const std::string &key)
{
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    auto k = serviceKindFromString(kind);
    if (!k)
        fail(key, "unknown service \"" + kind +
                      "\" (expected domain-account-sync, host-account-sync or host)");
    Service s{*k, CacheRole::None};
    if (*k == ServiceKind::HostAccountSync) {
        const std::string role = colon == std::string::npos ? "primary" : text.substr(colon + 1);
        auto r = cacheRoleFromString(role);
        if (!r || *r == CacheRole::None)
            fail(key, "expected host-account-sync:primary or host-account-sync:backup");
        s.cacheRole = *r;
    } else if (colon != std::string::npos) {
        fail(key, "only host-account-sync takes a role after ':'");
    }
    return s;
}

AgentConfig build(const toml::table &root, const std::string &path)
{
    checkKeys(root, "", {"server", "services", "binding", "outbox", "events", "peer", "demo"});
    AgentConfig c;
    c.path = path;

    const toml::table *server = section(root, "server");
    if (!server)
        fail("server", "missing [server] section");
    checkKeys(*server, "server", {"name", "listen", "data_dir", "domain", "host_domain"});
    c.name = get<std::string>(*server, "server", "name", "");
    if (!validServerName(c.name))
        fail("server.name",
             c.name.empty() ? "missing" : "\"" + c.name + "\" is not 1-15 of A-Z 0-9 - _");
    c.listen = get<std::string>(*server, "server", "listen", c.listen);
    if (!validAddress(c.listen))
        fail("server.listen", "\"" + c.listen + "\" is not address:port");
    const std::string dataDir = get<std::string>(*server, "server", "data_dir", ".");
    const fs::path base = fs::absolute(fs::path(path)).parent_path();
    c.dataDir =
        fs::path(dataDir).is_absolute() ? dataDir : (base / dataDir).lexically_normal().string();
    c.domain = get<std::string>(*server, "server", "domain", c.domain);
    c.hostDomain = get<std::string>(*server, "server", "host_domain", c.hostDomain);
    if (c.domain.empty() || c.domain.find('\\') != std::string::npos)
        fail("server.domain", "must be a non-empty name without a backslash");

    if (const toml::table *services = section(root, "services")) {
        checkKeys(*services, "services", {"domain_account_sync", "host_account_sync", "host"});
        if (get<bool>(*services, "services", "domain_account_sync", false))
            c.services.push_back({ServiceKind::DomainAccountSync, CacheRole::None});
        const std::string role =
            get<std::string>(*services, "services", "host_account_sync", "none");
        auto r = cacheRoleFromString(role);
        if (!r)
            fail("services.host_account_sync",
                 "expected primary, backup or none, got \"" + role + "\"");
        if (*r != CacheRole::None)
            c.services.push_back({ServiceKind::HostAccountSync, *r});
        if (get<bool>(*services, "services", "host", false))
            c.services.push_back({ServiceKind::Host, CacheRole::None});
    }
    if (c.services.empty())
        fail("services", "no service enabled: set domain_account_sync, host_account_sync or host");

    if (const toml::table *b = section(root, "binding")) {
        checkKeys(*b, "binding",
                  {"policy", "heartbeat_ms", "heartbeat_timeout_ms", "backoff_initial_ms",
                   "backoff_multiplier", "backoff_jitter", "backoff_max_ms"});
        c.binding.policy =
            policyFrom(get<std::string>(*b, "binding", "policy", "auto"), "binding.policy");
        c.binding.heartbeatMs = get<int>(*b, "binding", "heartbeat_ms", c.binding.heartbeatMs);
        c.binding.heartbeatTimeoutMs =
            get<int>(*b, "binding", "heartbeat_timeout_ms", c.binding.heartbeatTimeoutMs);
        c.binding.backoffInitialMs =
            get<int>(*b, "binding", "backoff_initial_ms", c.binding.backoffInitialMs);
        c.binding.backoffMultiplier =
            get<double>(*b, "binding", "backoff_multiplier", c.binding.backoffMultiplier);
        c.binding.backoffJitter =
            get<double>(*b, "binding", "backoff_jitter", c.binding.backoffJitter);
        c.binding.backoffMaxMs = get<int>(*b, "binding", "backoff_max_ms", c.binding.backoffMaxMs);
        if (c.binding.heartbeatMs < 50)
            fail("binding.heartbeat_ms", "must be at least 50");
        if (c.binding.heartbeatTimeoutMs < 50)
            fail("binding.heartbeat_timeout_ms", "must be at least 50");
        if (c.binding.backoffInitialMs < 1)
            fail("binding.backoff_initial_ms", "must be at least 1");
        if (c.binding.backoffMultiplier < 1.0 || c.binding.backoffMultiplier > 10.0)
            fail("binding.backoff_multiplier", "must be between 1 and 10");
        if (c.binding.backoffJitter < 0.0 || c.binding.backoffJitter >= 1.0)
            fail("binding.backoff_jitter", "must be at least 0 and below 1");
        if (c.binding.backoffMaxMs < c.binding.backoffInitialMs)
            fail("binding.backoff_max_ms", "must not be below backoff_initial_ms");
    }
    if (const toml::table *o = section(root, "outbox")) {
        checkKeys(*o, "outbox", {"retry_ms"});
        c.outboxRetryMs = get<int>(*o, "outbox", "retry_ms", c.outboxRetryMs);
        if (c.outboxRetryMs < 10)
            fail("outbox.retry_ms", "must be at least 10");
    }
    if (const toml::table *e = section(root, "events")) {
        checkKeys(*e, "events", {"retention_days", "max_rows"});
        c.retentionDays = get<int>(*e, "events", "retention_days", c.retentionDays);
        c.maxEventRows = get<std::int64_t>(*e, "events", "max_rows", c.maxEventRows);
    }
    if (const toml::table *d = section(root, "demo")) {
        checkKeys(*d, "demo", {"users"});
        c.demoUsers = get<int>(*d, "demo", "users", 0);
        if (c.demoUsers > 9999)
            fail("demo.users", "at most 9999");
    }

    if (const toml::node *peers = root.get("peer")) {
        const toml::array *list = peers->as_array();
        if (!list)
            fail("peer", "expected [[peer]] sections");
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string where = "peer[" + std::to_string(i) + "]";
            const toml::table *t = (*list)[i].as_table();
            if (!t)
                fail(where, "expected a [[peer]] section");
            checkKeys(*t, where, {"name", "address", "services", "policy"});
            PeerConfig p;
            p.name = get<std::string>(*t, where, "name", "");
            if (!validServerName(p.name))
                fail(where + ".name",
                     p.name.empty() ? "missing" : "\"" + p.name + "\" is not a server name");
            if (p.name == c.name)
                fail(where + ".name", "a server cannot be its own peer");
            for (const PeerConfig &other : c.peers) {
                if (other.name == p.name)
                    fail(where + ".name", "peer " + p.name + " is listed twice");
            }
            p.address = get<std::string>(*t, where, "address", "");
            if (!validAddress(p.address))
                fail(where + ".address",
                     p.address.empty() ? "missing" : "\"" + p.address + "\" is not address:port");
            const toml::node *services = t->get("services");
            if (!services || !services->is_array() || services->as_array()->empty())
                fail(where + ".services", "expected a non-empty list of services");
            for (const toml::node &s : *services->as_array()) {
                auto text = s.value<std::string>();
                if (!text)
                    fail(where + ".services", "expected strings");
                p.services.push_back(serviceFrom(*text, where + ".services"));
            }
            p.policy = policyFrom(
                get<std::string>(*t, where, "policy", std::string(toString(c.binding.policy))),
                where + ".policy");
            c.peers.push_back(std::move(p));
        }
    }
    return c;
}

} // namespace

Result<AgentConfig> AgentConfig::parse(const std::string &text, const std::string &path)
{
    const std::string file = fs::path(path).filename().string();
    try {
        toml::table root = toml::parse(text, path);
        return build(root, path);
    } catch (const toml::parse_error &e) {
        return Error{rpc::InvalidParameter, file + ":" + std::to_string(e.source().begin.line) +
                                                ": " + std::string(e.description())};
    } catch (const ConfigError &e) {
        return Error{rpc::InvalidParameter, file + ": " + e.key + ": " + e.what};
    }
}

Result<AgentConfig> AgentConfig::load(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{rpc::InvalidParameter, path + ": cannot read the configuration file"};
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

bool AgentConfig::runs(ServiceKind kind) const
{
    for (const Service &s : services) {
        if (s.kind == kind)
            return true;
    }
    return false;
}

CacheRole AgentConfig::cacheRole() const
{
    for (const Service &s : services) {
        if (s.kind == ServiceKind::HostAccountSync)
            return s.cacheRole;
    }
    return CacheRole::None;
}

} // namespace hostsec
