#pragma once

// The JSON-RPC 2.0 envelope the peer bindings speak (one message per WebSocket frame).
// Deviations from the specification, on purpose: ids are integers (int64) only, error codes
// are Win32/RPC statuses (0x6BE, ...) instead of -32xxx, and batches are not supported.

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hostsec {

/// Deepest nesting of arrays and objects decodeRpcMessage accepts (the envelope is level 1).
inline constexpr int MaxRpcDepth = 64;

/// A call, or a notification when it has no id (no response is expected).
struct RpcRequest
{
    std::optional<std::int64_t> id;
    std::string method;
    nlohmann::json params; // an object or an array; null when the message has none
};

/// Why a call failed: a Win32/RPC status (rpc::CallFailed, ...) and a text for a human.
struct RpcError
{
    std::int64_t code = 0;
    std::string message;
    std::optional<nlohmann::json> data;
};

/// The answer to a request: a result, or an error.
struct RpcResponse
{
    std::optional<std::int64_t> id; // none only in an error answering an unreadable request
    nlohmann::json result;          // null when error is set
    std::optional<RpcError> error;

    bool ok() const { return !error.has_value(); }
};

/// What a decoded message is.
enum class RpcMessageKind
{
    Request,
    Notification,
    Response
};

/// A decoded message: `request` holds a Request or Notification, `response` a Response.
struct RpcMessage
{
    RpcMessageKind kind = RpcMessageKind::Request;
    RpcRequest request;
    RpcResponse response;
};

/// An RpcError carrying the standard text of `status`, with `detail` appended when given:
/// "The remote procedure call failed. (peer instance changed)".
RpcError makeRpcError(std::uint32_t status, std::string_view detail = {});

/// A request expecting a response. `params` must be an object, an array, or null (omitted).
std::string encodeRequest(std::int64_t id, std::string_view method,
                          const nlohmann::json &params = nullptr);

/// A notification (no id, no response). `params` as for encodeRequest.
std::string encodeNotification(std::string_view method, const nlohmann::json &params = nullptr);

/// A successful response to request `id`.
std::string encodeResult(std::int64_t id, const nlohmann::json &result);

/// An error response to request `id`; no id writes "id": null (the request was unreadable).
std::string encodeError(std::optional<std::int64_t> id, const RpcError &error);

/// Parses and classifies one message. Refuses, with an Error naming the problem, text over
/// maxBytes (rpc::InvalidParameter) and anything that is not a well-formed JSON-RPC 2.0
/// request, notification or response, or nests deeper than MaxRpcDepth (rpc::BadStubData).
/// Never throws.
Result<RpcMessage> decodeRpcMessage(std::string_view text, std::size_t maxBytes);

} // namespace hostsec
