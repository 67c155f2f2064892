// The config parser: hostsecd reads its TOML file with AgentConfig::load, which hands the text
// to AgentConfig::parse (called here, from /fuzz/hostsecd.toml, so data_dir resolves the same
// way without a file). Checked: nothing throws; a refusal is one line (tst_agentconfig's
// promise) that names the file; and what is accepted keeps every rule the parser enforces, so
// the agent never starts on a value the parser meant to refuse, nor on an address its transport
// cannot parse.

#include "fuzztarget.h"

#include "agent/config.h"
#include "model/rpcstatus.h"
#include "net/transport.h"

#include <set>

namespace hostsec::fuzz {

namespace {

bool serverName(const std::string &name)
{
    if (name.empty() || name.size() > 15)
        return false;
    for (const char c : name) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

void checkAccepted(const AgentConfig &c)
{
    check(serverName(c.name), "an invalid server name accepted: " + c.name);
    check(!c.services.empty(), "a config without a service accepted");
    check(!c.domain.empty() && c.domain.find('\\') == std::string::npos,
          "an invalid domain accepted: " + c.domain);
    net::Endpoint endpoint;
    check(net::parseEndpoint(c.listen, endpoint),
          "a listen address the agent cannot use accepted: " + c.listen);
    check(!c.dataDir.empty() && c.dataDir.front() == '/', "a data_dir that is not absolute");
    const BindingConfig &b = c.binding;
    check(b.heartbeatMs >= 50 && b.heartbeatTimeoutMs >= 50, "a heartbeat below 50 ms accepted");
    check(b.backoffInitialMs >= 1 && b.backoffMaxMs >= b.backoffInitialMs,
          "a backoff range the parser refuses was accepted");
    check(b.backoffMultiplier >= 1.0 && b.backoffMultiplier <= 10.0,
          "a backoff multiplier outside 1..10 accepted: " + std::to_string(b.backoffMultiplier));
    check(b.backoffJitter >= 0.0 && b.backoffJitter < 1.0,
          "a backoff jitter outside [0, 1) accepted: " + std::to_string(b.backoffJitter));
    check(c.outboxRetryMs >= 10, "an outbox retry below 10 ms accepted");
    check(c.demoUsers >= 0 && c.demoUsers <= 9999, "a demo user count outside 0..9999 accepted");
    check(c.retentionDays >= 0 && c.maxEventRows >= 0, "a negative event limit accepted");
    std::set<std::string> names;
    for (const PeerConfig &p : c.peers) {
        check(serverName(p.name), "an invalid peer name accepted: " + p.name);
        check(p.name != c.name, "a server accepted as its own peer");
        check(names.insert(p.name).second, "a peer listed twice accepted: " + p.name);
        check(!p.services.empty(), "a peer without services accepted");
        check(net::parseEndpoint(p.address, endpoint),
              "a peer address the agent cannot use accepted: " + p.address);
    }
}

void checkRefused(const Error &e)
{
    check(e.code == static_cast<int>(rpc::InvalidParameter),
          "a refusal with a code other than 0x57");
    check(e.message.rfind("hostsecd.toml:", 0) == 0,
          "a refusal that does not start with the file's name: " + e.message);
    for (const char c : e.message)
        check(static_cast<unsigned char>(c) >= 0x20,
              "a refusal longer than one line: " + e.message);
}

} // namespace

int agentConfig(const std::uint8_t *data, std::size_t size)
{
    const Result<AgentConfig> config =
        AgentConfig::parse(std::string(text(data, size)), "/fuzz/hostsecd.toml");
    if (config)
        checkAccepted(*config);
    else
        checkRefused(config.error());
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::agentConfig)
