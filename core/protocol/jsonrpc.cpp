#include "protocol/jsonrpc.h"

#include "model/rpcstatus.h"

#include <cstdint>
#include <limits>

namespace hostsec {

namespace {

using json = nlohmann::json;

// Never throws: text that is not valid UTF-8 (from a hostile peer, echoed in a message) is
// written with U+FFFD instead of making dump() throw.
std::string dump(const json &j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Error malformed(std::string_view problem)
{
    std::string message = "malformed JSON-RPC message: ";
    message += problem;
    return Error{static_cast<int>(rpc::BadStubData), std::move(message)};
}

// Printable ASCII only and cut short: parts of the input end up in the message, which ends up
// in a log or an error response.
std::string printable(std::string_view text, std::size_t maxChars)
{
    std::string out;
    for (const char c : text.substr(0, maxChars)) {
        out += c >= 0x20 && c < 0x7F ? c : '?';
    }
    if (text.size() > maxChars) {
        out += "...";
    }
    return out;
}

// A JSON value described for an error message: its type and a short rendering.
std::string describe(const json &value)
{
    std::string text = value.type_name();
    if (!value.is_object() && !value.is_array() && !value.is_null()) {
        text += ' ';
        text += printable(dump(value), 40);
    }
    return text;
}

// Whether arrays and objects nest deeper than MaxRpcDepth. A pre-scan, so a depth bomb is
// refused before the parser builds anything. Brackets inside strings do not count. On text
// that is not JSON the count may be off, but only past the point where the parser stops.
bool nestsTooDeep(std::string_view text)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > MaxRpcDepth) {
                return true;
            }
            break;
        case ']':
        case '}':
            --depth;
            break;
        default:
            break;
        }
    }
    return false;
}

// Reads an integer id or code; false for anything else (floats, strings, out of int64 range).
bool readInt64(const json &value, std::int64_t &out)
{
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return false;
        }
        out = static_cast<std::int64_t>(u);
        return true;
    }
    if (value.is_number_integer()) {
        out = value.get<std::int64_t>();
        return true;
    }
    return false;
}

// Finds where parsing fails, for the errors nlohmann reports without a position (a number out
// of range). Run only after a failure, on text already known to be shallow enough.
class ErrorLocator : public nlohmann::json_sax<json>
{
public:
    std::size_t position = 0;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t &) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t at, const std::string &, const json::exception &) override
    {
        position = at;
        return false;
    }
};

// `doc` is taken apart: its params move into the request.
Result<RpcMessage> decodeRequest(json &doc)
{
    RpcMessage message;
    RpcRequest &request = message.request;

    const json &method = doc.at("method");
    if (!method.is_string()) {
        return malformed("\"method\" must be a string, got " + describe(method));
    }
    request.method = method.get<std::string>();
    if (request.method.empty()) {
        return malformed("\"method\" must not be empty");
    }

    if (const auto params = doc.find("params"); params != doc.end()) {
        if (!params->is_object() && !params->is_array()) {
            return malformed("\"params\" must be an object or an array, got " + describe(*params));
        }
        request.params = std::move(*params);
    }

    if (const auto id = doc.find("id"); id != doc.end()) {
        std::int64_t value = 0;
        if (!readInt64(*id, value)) {
            return malformed("\"id\" must be an integer (int64), got " + describe(*id));
        }
        request.id = value;
        message.kind = RpcMessageKind::Request;
    } else {
        message.kind = RpcMessageKind::Notification;
    }
    return message;
}

Result<RpcMessage> decodeResponse(const json &doc)
{
    RpcMessage message;
    message.kind = RpcMessageKind::Response;
    RpcResponse &response = message.response;
    const auto error = doc.find("error");

    const auto id = doc.find("id");
    if (id == doc.end()) {
        return malformed("a response needs an \"id\"");
    }
    if (id->is_null()) {
        if (error == doc.end()) {
            return malformed("\"id\" may be null only in an error response");
        }
    } else {
        std::int64_t value = 0;
        if (!readInt64(*id, value)) {
            return malformed("\"id\" must be an integer (int64), got " + describe(*id));
        }
        response.id = value;
    }

    if (error == doc.end()) {
        response.result = doc.at("result");
        return message;
    }
    if (!error->is_object()) {
        return malformed("\"error\" must be an object, got " + describe(*error));
    }
    RpcError rpcError;
    const auto code = error->find("code");
    if (code == error->end()) {
        return malformed("\"error\" has no integer \"code\"");
    }
    if (!readInt64(*code, rpcError.code)) {
        return malformed("\"error.code\" must be an integer, got " + describe(*code));
    }
    const auto text = error->find("message");
    if (text == error->end() || !text->is_string()) {
        return malformed("\"error.message\" must be a string, got " +
                         (text == error->end() ? std::string("nothing") : describe(*text)));
    }
    rpcError.message = text->get<std::string>();
    if (const auto data = error->find("data"); data != error->end()) {
        rpcError.data = *data;
    }
    response.error = std::move(rpcError);
    return message;
}

Result<RpcMessage> decode(std::string_view text, std::size_t maxBytes)
{
    if (text.size() > maxBytes) {
        return Error{static_cast<int>(rpc::InvalidParameter),
                     "JSON-RPC message of " + std::to_string(text.size()) +
                         " bytes is over the limit of " + std::to_string(maxBytes) + " bytes"};
    }
    if (nestsTooDeep(text)) {
        return malformed("arrays and objects nest deeper than " + std::to_string(MaxRpcDepth) +
                         " levels");
    }

    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::exception &e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." without the
        // bracketed prefix: the rest says where and what. Other errors do not say where.
        std::string_view what = e.what();
        if (const auto end = what.find("] "); end != std::string_view::npos) {
            what.remove_prefix(end + 2);
        }
        std::string problem = "not JSON: ";
        if (dynamic_cast<const json::parse_error *>(&e) == nullptr) {
            ErrorLocator locator;
            json::sax_parse(text.begin(), text.end(), &locator);
            problem += "at byte " + std::to_string(locator.position) + ": ";
        }
        return malformed(problem + printable(what, 240));
    }

    if (doc.is_array()) {
        return malformed("batches (JSON arrays) are not supported: send one object per message");
    }
    if (!doc.is_object()) {
        return malformed("must be a JSON object, got " + describe(doc));
    }
    const auto version = doc.find("jsonrpc");
    if (version == doc.end()) {
        return malformed("missing \"jsonrpc\": \"2.0\"");
    }
    if (!version->is_string() || version->get_ref<const std::string &>() != "2.0") {
        return malformed("\"jsonrpc\" must be \"2.0\", got " + describe(*version));
    }

    const bool hasMethod = doc.contains("method");
    const bool hasResult = doc.contains("result");
    const bool hasError = doc.contains("error");
    if (hasMethod && (hasResult || hasError)) {
        return malformed("a message cannot carry both \"method\" and \"result\" or \"error\"");
    }
    if (hasResult && hasError) {
        return malformed("a response cannot carry both \"result\" and \"error\"");
    }
    if (hasMethod) {
        return decodeRequest(doc);
    }
    if (hasResult || hasError) {
        return decodeResponse(doc);
    }
    return malformed("neither a request (\"method\") nor a response (\"result\" or \"error\")");
}

} // namespace

RpcError makeRpcError(std::uint32_t status, std::string_view detail)
{
    RpcError error;
    error.code = status;
    error.message = rpcStatus(status).text;
    if (!detail.empty()) {
        error.message += " (";
        error.message += detail;
        error.message += ')';
    }
    return error;
}

std::string encodeRequest(std::int64_t id, std::string_view method, const json &params)
{
    json j = {{"jsonrpc", "2.0"}, {"id", id}, {"method", std::string(method)}};
    if (!params.is_null()) {
        j["params"] = params;
    }
    return dump(j);
}

std::string encodeNotification(std::string_view method, const json &params)
{
    json j = {{"jsonrpc", "2.0"}, {"method", std::string(method)}};
    if (!params.is_null()) {
        j["params"] = params;
    }
    return dump(j);
}

std::string encodeResult(std::int64_t id, const json &result)
{
    // The envelope written around the result's own text, byte for byte what dumping
    // {"id","jsonrpc","result"} gives (nlohmann orders keys), without copying the result into
    // a new tree: every SSO answer goes through here.
    std::string text = "{\"id\":";
    text += std::to_string(id);
    text += ",\"jsonrpc\":\"2.0\",\"result\":";
    text += dump(result);
    text += '}';
    return text;
}

std::string encodeError(std::optional<std::int64_t> id, const RpcError &error)
{
    json body = {{"code", error.code}, {"message", error.message}};
    if (error.data) {
        body["data"] = *error.data;
    }
    return dump(json{
        {"jsonrpc", "2.0"}, {"id", id ? json(*id) : json(nullptr)}, {"error", std::move(body)}});
}

// The catch-all is the promise that decoding never throws: whatever escapes the checks above
// (an allocation failure on a large valid message, say) becomes an Error too.
Result<RpcMessage> decodeRpcMessage(std::string_view text, std::size_t maxBytes)
{
    try {
        return decode(text, maxBytes);
    } catch (const std::exception &e) {
        return malformed(std::string("could not be decoded: ") + printable(e.what(), 240));
    }
}

} // namespace hostsec
