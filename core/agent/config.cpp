#include "agent/config.h"

#include "net/transport.h"

#include <boost/asio/ip/address.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
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

// A value from the file, quoted for a one-line message: control characters escaped, and cut
// short when long.
std::string quotedValue(const std::string &text)
{
    constexpr std::size_t kShown = 60;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += text.size() > kShown ? "...\"" : "\"";
    return out;
}

// The message stays one line whatever the file held (a key can be a quoted string with a
// newline in it).
std::string oneLine(std::string text)
{
    std::replace_if(
        text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
    return text;
}

// What a key of the wrong type holds, for "expected a string, got an integer".
std::string kindOf(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a fractional number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "a list";
    default:
        return "a date or time";
    }
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

// The transport's own reading, so an address accepted here is one the agent can listen on or
// connect to ("::1:40102" is refused: a bare IPv6 address needs brackets).
bool validAddress(const std::string &address)
{
    net::Endpoint endpoint;
    return net::parseEndpoint(address, endpoint);
}

// Whether `address` ("host:port") names this machine only: 127.0.0.0/8, ::1 or localhost.
bool loopbackAddress(const std::string &address)
{
    net::Endpoint endpoint;
    if (!net::parseEndpoint(address, endpoint))
        return false;
    std::string host = endpoint.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost")
        return true;
    boost::system::error_code ec;
    const auto ip = boost::asio::ip::make_address(host, ec);
    return !ec && ip.is_loopback();
}

template <class T>
T get(const toml::table &table, const std::string &section, const std::string &key, T fallback)
{
    const toml::node *node = table.get(key);
    const std::string where = section.empty() ? key : section + "." + key;
    if (!node)
        return fallback;
    if constexpr (std::is_same_v<T, std::string>) {
        if (auto v = node->value_exact<std::string>())
            return *v;
        fail(where, "expected a string, got " + kindOf(*node));
    } else if constexpr (std::is_same_v<T, bool>) {
        if (auto v = node->value_exact<bool>())
            return *v;
        fail(where, "expected true or false, got " + kindOf(*node));
    } else if constexpr (std::is_same_v<T, double>) {
        if (node->is_number()) {
            if (auto v = node->value<double>())
                return *v;
            // An integer beyond 2^53 has no exact double: toml++ gives none.
            fail(where, "expected a number, got an integer too large to be exact");
        }
        fail(where, "expected a number, got " + kindOf(*node));
    } else {
        if (auto v = node->value_exact<std::int64_t>()) {
            if (*v < 0 || *v > std::numeric_limits<T>::max())
                fail(where, "expected an integer from 0 to " +
                                std::to_string(std::numeric_limits<T>::max()) + ", got " +
                                std::to_string(*v));
            return static_cast<T>(*v);
        }
        fail(where, "expected an integer, got " + kindOf(*node));
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
                 where.empty() && (value.is_table() || value.is_array_of_tables())
                     ? "unknown section"
                     : "unknown key");
    }
}

RebindPolicy policyFrom(const std::string &text, const std::string &key)
{
    auto policy = rebindPolicyFromString(text);
    if (!policy)
        fail(key, "expected auto or manual, got " + quotedValue(text));
    return *policy;
}

// "host-account-sync:primary" and friends.
Service serviceFrom(const std::string &text, const std::string &key)
{
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    auto k = serviceKindFromString(kind);
    if (!k)
        fail(key, "unknown service " + quotedValue(kind) +
                      " (expected domain-account-sync, host-account-sync or host)");
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
    checkKeys(root, "",
              {"server", "services", "binding", "outbox", "events", "peer", "demo", "tls"});
    AgentConfig c;
    c.path = path;

    const toml::table *server = section(root, "server");
    if (!server)
        fail("server", "missing [server] section");
    checkKeys(*server, "server", {"name", "listen", "data_dir", "domain", "host_domain"});
    c.name = get<std::string>(*server, "server", "name", "");
    if (!validServerName(c.name))
        fail("server.name",
             c.name.empty() ? "missing" : quotedValue(c.name) + " is not 1-15 of A-Z 0-9 - _");
    c.listen = get<std::string>(*server, "server", "listen", c.listen);
    if (!validAddress(c.listen))
        fail("server.listen", quotedValue(c.listen) + " is not address:port");
    const std::string dataDir = get<std::string>(*server, "server", "data_dir", ".");
    const fs::path base = fs::absolute(fs::path(path)).parent_path();
    fs::path data =
        fs::path(dataDir).is_absolute() ? fs::path(dataDir) : (base / dataDir).lexically_normal();
    if (!data.has_filename() && data.has_relative_path()) // "/etc/hostsec/." -> "/etc/hostsec"
        data = data.parent_path();
    c.dataDir = data.string();
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
                 "expected primary, backup or none, got " + quotedValue(role));
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
                   "backoff_multiplier", "backoff_jitter", "backoff_max_ms", "announce"});
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
        c.binding.announce = get<bool>(*b, "binding", "announce", c.binding.announce);
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
    if (const toml::table *t = section(root, "tls")) {
        checkKeys(*t, "tls", {"ca", "cert", "key", "plaintext"});
        c.tls.plaintext = get<bool>(*t, "tls", "plaintext", false);
        const auto file = [&](const char *key) -> std::string {
            const std::string text = get<std::string>(*t, "tls", key, "");
            if (text.empty()) {
                if (c.tls.plaintext)
                    return {};
                fail(std::string("tls.") + key,
                     "missing (ca, cert and key name the domain CA's certificate and this "
                     "server's certificate and key)");
            }
            if (c.tls.plaintext)
                fail("tls.plaintext", "cannot be combined with ca, cert and key");
            const fs::path p(text);
            return (p.is_absolute() ? p : (base / p)).lexically_normal().string();
        };
        c.tls.ca = file("ca");
        c.tls.cert = file("cert");
        c.tls.key = file("key");
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
                     p.name.empty() ? "missing" : quotedValue(p.name) + " is not a server name");
            if (p.name == c.name)
                fail(where + ".name", "a server cannot be its own peer");
            for (const PeerConfig &other : c.peers) {
                if (other.name == p.name)
                    fail(where + ".name", "peer " + p.name + " is listed twice");
            }
            p.address = get<std::string>(*t, where, "address", "");
            if (!validAddress(p.address))
                fail(where + ".address", p.address.empty()
                                             ? "missing"
                                             : quotedValue(p.address) + " is not address:port");
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
    // Plain TCP carries passwords in the clear: never off this machine.
    if (c.tls.plaintext) {
        if (!loopbackAddress(c.listen))
            fail("tls.plaintext", "is for tests on this machine only: server.listen " +
                                      quotedValue(c.listen) +
                                      " is not a loopback address (127.0.0.1, ::1, localhost)");
        for (std::size_t i = 0; i < c.peers.size(); ++i) {
            if (!loopbackAddress(c.peers[i].address))
                fail("tls.plaintext",
                     "is for tests on this machine only: peer[" + std::to_string(i) + "].address " +
                         quotedValue(c.peers[i].address) + " is not a loopback address");
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
        return Error{rpc::InvalidParameter,
                     oneLine(file + ":" + std::to_string(e.source().begin.line) +
                             ": TOML syntax error: " + std::string(e.description()))};
    } catch (const ConfigError &e) {
        return Error{rpc::InvalidParameter, oneLine(file + ": " + e.key + ": " + e.what)};
    }
}

Result<AgentConfig> AgentConfig::load(const std::string &path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return Error{rpc::InvalidParameter,
                     path + ": cannot read the configuration file: it is a folder"};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{rpc::InvalidParameter, path + ": cannot read the configuration file: " +
                                                std::generic_category().message(errno)};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return Error{rpc::InvalidParameter, path + ": cannot read the configuration file: " +
                                                std::generic_category().message(errno)};
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
