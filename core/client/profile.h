#pragma once

#include "net/transport.h"
#include "util/result.h"

#include <string>
#include <vector>

namespace hostsec::client {

/// One agent of a domain profile.
struct ProfileAgent
{
    std::string name;       // "HS1"
    net::Endpoint endpoint; // where its admin API listens
    std::string configPath; // absolute path of its hostsecd.toml when known (demo), else ""
};

/// A domain profile: the agents a console or hostsecctl talks to. Stored as JSON:
/// {"domain": "CONTOSO", "host_domain": "HOSTDOM", "demo": true,
///  "tls": {"ca": "pki/ca.crt", "cert": "pki/olga.crt", "key": "pki/olga.key"},
///  "agents": [{"name": "DC1", "address": "127.0.0.1:40101", "config": "DC1/hostsecd.toml"}]}
/// A relative path ("config", the "tls" files) is relative to the profile's folder. With
/// "tls", every agent's endpoint carries the loaded client context (mutual TLS with the user's
/// certificate); without it, plain TCP, which only agents run with [tls] plaintext accept.
struct Profile
{
    std::string path; // the file it was loaded from
    std::string domain;
    std::string hostDomain;
    bool demo = false;
    net::TlsConfig tls; // absolute paths; empty: plain TCP
    std::vector<ProfileAgent> agents;

    /// Reads and checks a profile and loads its TLS files; the Error names the file and what is
    /// wrong in it (or which certificate or key cannot be loaded).
    static Result<Profile> load(const std::string &path);
    /// Writes it atomically (temporary file, then rename).
    Status save(const std::string &path) const;
    const ProfileAgent *agent(const std::string &name) const;
};

} // namespace hostsec::client
