#pragma once

// The `bind` handshake that opens every peer binding (architecture.md, "The agent"): the caller
// names the interface and service it wants and who it is; the peer answers with its server,
// service and instance id (new at every start, so a recycled peer is recognised for certain).
// Both sides read what the other sent with these functions; they never throw, whatever a
// hostile or broken peer sends.

#include "model/domain.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hostsec {

/// The params of a `bind` call.
struct BindRequest
{
    std::string interfaceUuid;  // "interface"
    std::string service;        // "service": the service the caller wants, as text
    std::string clientServer;   // "client_server"
    std::string clientService;  // "client_service"
    std::string clientInstance; // "client_instance"
};

/// The result of a successful `bind`.
struct BindAnswer
{
    std::string server;   // the peer's name
    std::string service;  // the service it serves on this binding, as text
    std::string instance; // the peer's instance id
};

/// The params object of a `bind` call.
nlohmann::json bindParamsJson(const BindRequest &request);

/// Reads the params of a `bind` call. A missing key reads as "" (the caller is then refused by
/// acceptBind); params that are neither an object nor absent (null), or a key that is not a
/// string, are rpc::BadStubData naming the key.
Result<BindRequest> decodeBindParams(const nlohmann::json &params);

/// The server's verdict on a bind request: the service asked for, when this server runs it
/// and the interface is that service's; otherwise rpc::UnknownInterface,
/// "interface <uuid> (<service>) is not served by <serverName>".
Result<ServiceKind> acceptBind(const BindRequest &request, const std::vector<Service> &served,
                               const std::string &serverName);

/// The result object of a successful `bind`.
nlohmann::json bindAnswerJson(const BindAnswer &answer);

/// Reads the result of a `bind` call. A missing key reads as ""; a result that is not an
/// object, or a key that is not a string, is rpc::BadStubData naming the key.
Result<BindAnswer> decodeBindAnswer(const nlohmann::json &result);

} // namespace hostsec
