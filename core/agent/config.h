#pragma once

#include "model/domain.h"
#include "util/result.h"

#include <string>
#include <vector>

namespace hostsec {

/// A peer server as a config names it.
struct PeerConfig
{
    std::string name;
    std::string address; // "host:port"
    std::vector<Service> services;
    RebindPolicy policy = RebindPolicy::Auto;
};

/// Binding timing: heartbeat and auto-rebind backoff; whether a start is announced to peers.
struct BindingConfig
{
    RebindPolicy policy = RebindPolicy::Auto;
    int heartbeatMs = 500; // + the timeout: a hung peer is found within 2 s (promised: 3 s)
    int heartbeatTimeoutMs = 1500;
    int backoffInitialMs = 100;
    double backoffMultiplier = 1.6;
    double backoffJitter = 0.2;
    int backoffMaxMs = 10000;
    bool announce = true; // tell the peers this instance's id at start, so they rebind at once
};

/// The agent's mutual TLS ([tls]): the domain CA's certificate, this server's service
/// certificate and its key, as absolute paths (relative ones in the file are relative to it).
/// `plaintext` is the loudly named opt-out for tests, fuzzing and benches: no TLS at all.
struct TlsSettings
{
    std::string ca;
    std::string cert;
    std::string key;
    bool plaintext = false;

    bool configured() const { return !ca.empty(); }
};

/// One hostsecd's configuration (resources/hostsecd.example.toml documents every key).
struct AgentConfig
{
    std::string path; // the file it came from
    std::string name;
    std::string listen = "127.0.0.1:0";
    std::string dataDir;
    std::string domain = "CONTOSO";
    std::string hostDomain = "HOSTDOM";
    std::vector<Service> services;
    BindingConfig binding;
    int outboxRetryMs = 1000;
    int retentionDays = 30;
    std::int64_t maxEventRows = 1000000;
    std::vector<PeerConfig> peers;
    int demoUsers = 0;
    TlsSettings tls; // neither configured nor plaintext: the agent refuses to start

    /// Reads and checks a config file. The Error is one line naming the file, the key and
    /// what is wrong: "hs1.toml: services.host_account_sync: expected primary, backup or none".
    static Result<AgentConfig> load(const std::string &path);
    /// The same from text (for tests); `path` is only used in messages and for data_dir.
    static Result<AgentConfig> parse(const std::string &text, const std::string &path);

    bool runs(ServiceKind kind) const;
    CacheRole cacheRole() const;
};

} // namespace hostsec
