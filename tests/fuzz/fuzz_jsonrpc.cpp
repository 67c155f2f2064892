// The JSON-RPC decoder: every WebSocket frame a peer sends on /v1/rpc, and every answer a
// binding reads, goes through decodeRpcMessage first (agent.cpp onRpcMessage, peerbinding.cpp
// onMessage). Beyond "no crash, no sanitizer report": it never throws (documented); its errors
// are one line of printable ASCII, so input echoed in them cannot forge a log line; the size
// limit holds; nothing deeper than MaxRpcDepth gets through; and what it accepts, encoded again
// with our encoder, decodes to the same message.

#include "fuzztarget.h"

#include "model/rpcstatus.h"
#include "protocol/jsonrpc.h"

#include <algorithm>

namespace hostsec::fuzz {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxRpcMessage = 1024 * 1024; // the agent's and the bindings' limit

int depthOf(const json &value)
{
    int deepest = 0;
    if (value.is_object() || value.is_array()) {
        for (const json &child : value)
            deepest = std::max(deepest, depthOf(child));
        return deepest + 1;
    }
    return 0;
}

void checkError(const Error &error)
{
    check(!error.message.empty(), "an error without a message");
    check(error.message.size() < 1024, "an error message over 1 KiB: " + error.message);
    for (const char c : error.message)
        check(c >= 0x20 && c < 0x7F,
              "an error message with a byte outside printable ASCII: " + error.message);
    check(error.code == static_cast<int>(rpc::BadStubData) ||
              error.code == static_cast<int>(rpc::InvalidParameter),
          "an error code other than 0x6F7 or 0x57: " + std::to_string(error.code));
}

std::string encode(const RpcMessage &m)
{
    switch (m.kind) {
    case RpcMessageKind::Request:
        return encodeRequest(*m.request.id, m.request.method, m.request.params);
    case RpcMessageKind::Notification:
        return encodeNotification(m.request.method, m.request.params);
    case RpcMessageKind::Response:
        return m.response.ok() ? encodeResult(*m.response.id, m.response.result)
                               : encodeError(m.response.id, *m.response.error);
    }
    fail("a message of no known kind");
}

bool same(const RpcMessage &a, const RpcMessage &b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind != RpcMessageKind::Response)
        return a.request.id == b.request.id && a.request.method == b.request.method &&
               a.request.params == b.request.params;
    const RpcResponse &x = a.response;
    const RpcResponse &y = b.response;
    if (x.id != y.id || x.result != y.result || x.ok() != y.ok())
        return false;
    return x.ok() || (x.error->code == y.error->code && x.error->message == y.error->message &&
                      x.error->data == y.error->data);
}

} // namespace

int jsonRpc(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input = text(data, size);
    const Result<RpcMessage> message = decodeRpcMessage(input, kMaxRpcMessage);
    if (size > 0) {
        const Result<RpcMessage> over = decodeRpcMessage(input, size - 1);
        check(!over.ok() && over.error().code == static_cast<int>(rpc::InvalidParameter),
              "a message over the size limit was not refused with 0x57");
    }
    if (!message) {
        checkError(message.error());
        return 0;
    }

    const RpcMessage &m = *message;
    switch (m.kind) {
    case RpcMessageKind::Request:
        check(m.request.id.has_value(), "a request without an id");
        [[fallthrough]];
    case RpcMessageKind::Notification:
        check(!m.request.method.empty(), "a call without a method");
        check(m.request.params.is_null() || m.request.params.is_object() ||
                  m.request.params.is_array(),
              "params that are neither an object, an array nor absent");
        check(depthOf(m.request.params) < MaxRpcDepth, "params nested too deep got through");
        break;
    case RpcMessageKind::Response:
        check(m.response.id.has_value() || !m.response.ok(), "a result without an id");
        check(depthOf(m.response.result) < MaxRpcDepth, "a result nested too deep got through");
        break;
    }

    const std::string again = encode(m);
    const Result<RpcMessage> back = decodeRpcMessage(again, kMaxRpcMessage);
    check(back.ok(), "our own encoding of an accepted message is refused: " + again);
    check(same(m, *back), "an accepted message changes when encoded and decoded again: " + again);
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::jsonRpc)
