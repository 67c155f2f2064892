// Suites "sync" and "recovery": a real demo domain of hostsecd processes on loopback.
//  sync:     a domain-side password change until the host applied it (three durable hops),
//            against one HTTP round trip to the same agent (the transport's floor).
//  recovery: HS1 recycled 20 times; from HS1 listening again to every auto binding to it
//            bound, against the time HS1 itself takes from start to listening. The same 20
//            recycles run three times: with our defaults (backoff from 100 ms and the restarted
//            agent's announcement), with our backoff alone (no announcement), and with gRPC's
//            connection-backoff defaults (1 s, x1.6, +-20 %, at most 120 s) and no announcement.

#include "bench.h"

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace hostsec::bench {

namespace {

using namespace std::chrono_literals;
using client::AgentClient;
using nlohmann::json;

struct Domain
{
    std::string dir;
    client::Profile profile;

    AgentClient agent(const std::string &name) const
    {
        return AgentClient(profile.agent(name)->endpoint, 10s);
    }
    ~Domain()
    {
        if (!dir.empty()) {
            (void)client::DemoDomain::stop(dir);
            std::filesystem::remove_all(dir);
        }
    }
};

bool boundTo(const Domain &d, const std::string &server, const std::string &to)
{
    auto b = d.agent(server).get("/v1/bindings");
    if (!b)
        return false;
    for (const json &x : (*b)["bindings"]) {
        if (x["to_server"] == to && x["policy"] == "auto" && x["state"] != "bound")
            return false;
    }
    return true;
}

// Adds `keys` to the [binding] section of every agent's config.
int configureBindings(const Domain &d, const std::string &keys)
{
    for (const char *server : client::DemoDomain::Servers) {
        const std::string path = d.dir + "/" + server + "/hostsecd.toml";
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        std::string config = text.str();
        const auto at = config.find("[binding]\n");
        if (!in || at == std::string::npos)
            return std::fprintf(stderr, "%s: no [binding] section\n", path.c_str()), 1;
        config.insert(at + std::strlen("[binding]\n"), keys);
        std::ofstream(path, std::ios::trunc) << config;
    }
    return 0;
}

// A demo domain of 200 users, started, every auto binding bound; `bindingKeys` go into each
// agent's [binding] section first.
int startDomain(Domain &d, const char *name, const std::string &bindingKeys = {})
{
    d.dir = (std::filesystem::temp_directory_path() / name).string();
    (void)client::DemoDomain::stop(d.dir);
    std::filesystem::remove_all(d.dir);
    if (auto s = client::DemoDomain::init(d.dir, 200); !s) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return 1;
    }
    if (!bindingKeys.empty() && configureBindings(d, bindingKeys))
        return 1;
    if (auto s = client::DemoDomain::start(d.dir, 60s); !s) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return 1;
    }
    d.profile = *client::Profile::load(d.dir + "/profile.json");
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < end) {
        if (boundTo(d, "DC1", "HS1") && boundTo(d, "HS1", "HOST1"))
            return 0;
        std::this_thread::sleep_for(10ms);
    }
    std::fprintf(stderr, "the demo domain never bound\n");
    return 1;
}

std::int64_t lastSeq(AgentClient &a)
{
    auto s = a.get("/v1/status");
    return s ? (*s)["last_event_seq"].get<std::int64_t>() : 0;
}

} // namespace

int runSync(const std::vector<std::string> &)
{
    Domain d;
    if (startDomain(d, "hostsec-bench-sync"))
        return 1;
    AgentClient dc = d.agent("DC1");
    AgentClient host = d.agent("HOST1");
    std::vector<double> latency, floor;
    constexpr int kChanges = 200;
    for (int n = 0; n < kChanges; ++n) {
        char account[32], password[16];
        std::snprintf(account, sizeof account, "CONTOSO\\user%04d", 1 + n % 200);
        std::snprintf(password, sizeof password, "S%07d", n);
        std::int64_t after = lastSeq(host);
        auto start = std::chrono::steady_clock::now();
        auto r = dc.post("/v1/passwd", {{"account", account}, {"password", password}});
        if (!r)
            return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
        const std::string change = (*r)["change_id"];
        for (bool applied = false; !applied;) {
            auto page = host.get("/v1/events?id=702&after=" + std::to_string(after));
            if (!page)
                return 1;
            for (const json &e : (*page)["events"]) {
                after = e["seq"];
                applied = applied || e["params"][0] == change;
            }
            if (secondsSince(start) > 30)
                return std::fprintf(stderr, "change %s never applied\n", change.c_str()), 1;
        }
        latency.push_back(secondsSince(start) * 1000.0);
        start = std::chrono::steady_clock::now();
        (void)dc.health();
        floor.push_back(secondsSince(start) * 1000.0);
    }
    report("sync", "change_latency_p50", percentile(latency, 50), "ms", percentile(floor, 50));
    report("sync", "change_latency_p99", percentile(latency, 99), "ms", percentile(floor, 99));

    // Throughput: a burst, until the outboxes are empty.
    constexpr int kBurst = 500;
    const auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < kBurst; ++n) {
        char account[32], password[16];
        std::snprintf(account, sizeof account, "CONTOSO\\user%04d", 1 + n % 200);
        std::snprintf(password, sizeof password, "T%07d", n);
        if (!dc.post("/v1/passwd", {{"account", account}, {"password", password}}))
            return 1;
    }
    for (;;) {
        std::int64_t depth = 0;
        for (const char *s : client::DemoDomain::Servers) {
            auto o = d.agent(s).get("/v1/outbox");
            depth += o ? (*o)["depth"].get<std::int64_t>() : 1;
        }
        if (depth == 0)
            break;
        if (secondsSince(start) > 300)
            return std::fprintf(stderr, "the burst never drained\n"), 1;
        std::this_thread::sleep_for(5ms);
    }
    report("sync", "changes_per_s", kBurst / secondsSince(start), "changes/s",
           1000.0 / percentile(floor, 50));
    return 0;
}

// Recycles HS1 `rounds` times: per round, the time HS1 took from the kill to listening again,
// and from listening to every auto binding to it (DC1's and HOST1's) bound again.
int recycles(const Domain &d, int rounds, std::vector<double> &recovery,
             std::vector<double> &restart)
{
    for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        if (auto s = client::DemoDomain::recycle(d.dir, "HS1", 30s); !s)
            return std::fprintf(stderr, "%s\n", s.error().message.c_str()), 1;
        const auto listening = std::chrono::steady_clock::now();
        restart.push_back(std::chrono::duration<double>(listening - start).count() * 1000.0);
        while (!(boundTo(d, "DC1", "HS1") && boundTo(d, "HOST1", "HS1"))) {
            if (secondsSince(listening) > 60)
                return std::fprintf(stderr, "bindings to HS1 never came back\n"), 1;
            std::this_thread::sleep_for(2ms);
        }
        recovery.push_back(secondsSince(listening) * 1000.0);
    }
    return 0;
}

int runRecovery(const std::vector<std::string> &)
{
    constexpr int kRounds = 20;
    struct Variant
    {
        const char *metric; // rebind_after_recycle<metric>_p50 / _p95
        const char *bindingKeys;
    };
    const Variant variants[] = {
        {"", ""},
        {"_no_announce", "announce = false\n"},
        {"_grpc_backoff", "announce = false\nbackoff_initial_ms = 1000\nbackoff_multiplier = 1.6\n"
                          "backoff_jitter = 0.2\nbackoff_max_ms = 120000\n"},
    };
    for (const Variant &v : variants) {
        Domain d;
        if (startDomain(d, "hostsec-bench-recovery", v.bindingKeys))
            return 1;
        std::vector<double> recovery, restart;
        if (recycles(d, kRounds, recovery, restart))
            return 1;
        const std::string metric = std::string("rebind_after_recycle") + v.metric;
        report("recovery", metric + "_p50", percentile(recovery, 50), "ms",
               percentile(restart, 50));
        report("recovery", metric + "_p95", percentile(recovery, 95), "ms",
               percentile(restart, 95));
    }
    return 0;
}

} // namespace hostsec::bench
