#include "client/profile.h"

#include "model/rpcstatus.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace hostsec::client {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A check failed: "<file>: <key>: <what is wrong>", code ERROR_INVALID_PARAMETER.
Error invalid(const std::string &file, const std::string &key, const std::string &what)
{
    return Error{static_cast<int>(rpc::InvalidParameter), file + ": " + key + ": " + what};
}

Error ioError(const std::string &file, const std::string &what, int error)
{
    return Error{error, file + ": " + what + ": " + std::strerror(error)};
}

// What a JSON value is, for "expected a string, got number".
std::string kindOf(const json &value)
{
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "string " + value.dump();
    case json::value_t::boolean:
        return "boolean " + value.dump();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "number " + value.dump();
    default:
        return "something else";
    }
}

// Server names as the agent config allows them: 1-15 of A-Z 0-9 - _.
bool isServerName(const std::string &name)
{
    return !name.empty() && name.size() <= 15 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// Reads a required non-empty string member.
Result<std::string> requiredString(const std::string &file, const json &object,
                                   const std::string &key, const std::string &path)
{
    const auto it = object.find(key);
    if (it == object.end())
        return invalid(file, path, "missing");
    if (!it->is_string())
        return invalid(file, path, "expected a string, got " + kindOf(*it));
    if (it->get<std::string>().empty())
        return invalid(file, path, "must not be empty");
    return it->get<std::string>();
}

} // namespace

Result<Profile> Profile::load(const std::string &path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return Error{EISDIR, path + ": is a folder, not a profile (did you mean " +
                                 (fs::path(path) / "profile.json").string() + "?)"};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return ioError(path, "cannot read the profile", errno ? errno : ENOENT);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return ioError(path, "cannot read the profile", errno ? errno : EIO);

    json root;
    try {
        root = json::parse(text.str());
    } catch (const json::parse_error &e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
        std::string why = e.what();
        if (const auto close = why.find("] "); why.starts_with("[json.") && close != why.npos)
            why = why.substr(close + 2);
        return Error{static_cast<int>(rpc::InvalidParameter),
                     path + ": not a JSON profile: " + why};
    }
    if (!root.is_object())
        return Error{static_cast<int>(rpc::InvalidParameter),
                     path + ": expected a JSON object, got " + kindOf(root)};

    Profile profile;
    profile.path = path;

    auto domain = requiredString(path, root, "domain", "domain");
    if (!domain)
        return domain.error();
    profile.domain = std::move(domain).value();
    auto hostDomain = requiredString(path, root, "host_domain", "host_domain");
    if (!hostDomain)
        return hostDomain.error();
    profile.hostDomain = std::move(hostDomain).value();

    if (const auto demo = root.find("demo"); demo != root.end()) {
        if (!demo->is_boolean())
            return invalid(path, "demo", "expected true or false, got " + kindOf(*demo));
        profile.demo = demo->get<bool>();
    }

    const auto agents = root.find("agents");
    if (agents == root.end())
        return invalid(path, "agents", "missing");
    if (!agents->is_array())
        return invalid(path, "agents", "expected an array of agents, got " + kindOf(*agents));
    if (agents->empty())
        return invalid(path, "agents", "lists no agent");

    const fs::path folder = fs::absolute(fs::path(path)).parent_path();
    net::TlsContextPtr tls;
    if (const auto section = root.find("tls"); section != root.end()) {
        if (!section->is_object())
            return invalid(path, "tls",
                           "expected an object with ca, cert and key, got " + kindOf(*section));
        fs::path *files[] = {&profile.tls.caFile, &profile.tls.certFile, &profile.tls.keyFile};
        const char *keys[] = {"ca", "cert", "key"};
        for (std::size_t i = 0; i < 3; ++i) {
            auto file = requiredString(path, *section, keys[i], std::string("tls.") + keys[i]);
            if (!file)
                return file.error();
            const fs::path p = file.value();
            *files[i] = (p.is_absolute() ? p : folder / p).lexically_normal();
        }
        auto loaded = net::TlsContext::load(profile.tls);
        if (!loaded)
            return Error{loaded.error().code, path + ": tls: " + loaded.error().message};
        tls = std::move(loaded).value();
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < agents->size(); ++i) {
        const json &entry = (*agents)[i];
        const std::string key = "agents[" + std::to_string(i) + "]";
        if (!entry.is_object())
            return invalid(path, key, "expected an object, got " + kindOf(entry));

        ProfileAgent agent;
        auto name = requiredString(path, entry, "name", key + ".name");
        if (!name)
            return name.error();
        agent.name = std::move(name).value();
        if (!isServerName(agent.name))
            return invalid(path, key + ".name",
                           "expected a server name of 1-15 of A-Z 0-9 - _, got \"" + agent.name +
                               "\"");
        if (!names.insert(agent.name).second)
            return invalid(path, key + ".name", agent.name + " is listed twice");

        auto address = requiredString(path, entry, "address", key + ".address");
        if (!address)
            return address.error();
        if (!net::parseEndpoint(address.value(), agent.endpoint))
            return invalid(path, key + ".address",
                           "expected host:port, got \"" + address.value() + "\"");
        agent.endpoint.tls = tls;

        if (const auto config = entry.find("config"); config != entry.end()) {
            if (!config->is_string())
                return invalid(path, key + ".config",
                               "expected the path of a hostsecd.toml, got " + kindOf(*config));
            const fs::path configPath = config->get<std::string>();
            if (!configPath.empty())
                agent.configPath = (configPath.is_absolute() ? configPath : folder / configPath)
                                       .lexically_normal()
                                       .string();
        }
        profile.agents.push_back(std::move(agent));
    }
    return profile;
}

Status Profile::save(const std::string &file) const
{
    const fs::path target = fs::absolute(fs::path(file));
    const fs::path folder = target.parent_path();

    // Relative when inside the profile's folder, so the folder can move as a whole.
    const auto stored = [&folder](const fs::path &p) {
        const fs::path absolute = fs::absolute(p).lexically_normal();
        const fs::path relative = absolute.lexically_relative(folder.lexically_normal());
        const bool inside = !relative.empty() && *relative.begin() != "..";
        return inside ? relative.string() : absolute.string();
    };
    json agentList = json::array();
    for (const ProfileAgent &agent : agents) {
        json entry{{"name", agent.name}, {"address", agent.endpoint.toString()}};
        if (!agent.configPath.empty())
            entry["config"] = stored(agent.configPath);
        agentList.push_back(std::move(entry));
    }
    json root{{"domain", domain}, {"host_domain", hostDomain}, {"demo", demo}};
    if (!tls.caFile.empty())
        root["tls"] = {{"ca", stored(tls.caFile)},
                       {"cert", stored(tls.certFile)},
                       {"key", stored(tls.keyFile)}};
    root["agents"] = std::move(agentList);
    const std::string text = root.dump(2) + "\n";

    // Write a temporary file beside the target and rename it over the target, so a reader
    // never sees half a profile and a crash leaves the old one.
    const std::string temporary = target.string() + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError(file, "cannot write the profile", errno);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            return ioError(file, "cannot write the profile", error);
        }
        written += static_cast<std::size_t>(n);
    }
    const int syncError = ::fsync(fd) != 0 ? errno : 0;
    const int closeError = ::close(fd) != 0 ? errno : 0;
    if (syncError != 0 || closeError != 0) {
        ::unlink(temporary.c_str());
        return ioError(file, "cannot write the profile", syncError != 0 ? syncError : closeError);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return ioError(file, "cannot replace the profile", error);
    }
    return {};
}

const ProfileAgent *Profile::agent(const std::string &name) const
{
    const auto sameName = [&name](const ProfileAgent &agent) {
        return std::equal(agent.name.begin(), agent.name.end(), name.begin(), name.end(),
                          [](char a, char b) {
                              return std::toupper(static_cast<unsigned char>(a)) ==
                                     std::toupper(static_cast<unsigned char>(b));
                          });
    };
    const auto it = std::find_if(agents.begin(), agents.end(), sameName);
    return it == agents.end() ? nullptr : &*it;
}

} // namespace hostsec::client
