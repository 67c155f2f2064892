#include "client/agentclient.h"

#include "model/rpcstatus.h"

// Boost 1.74's Asio headers need <utility> first (see core/net/asio.h).
#include <utility>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include <pwd.h>
#include <unistd.h>

namespace hostsec::client {

using nlohmann::json;

namespace {

net::Limits limitsFor(std::chrono::milliseconds timeout)
{
    net::Limits limits;
    limits.connectTimeout = timeout;
    limits.readTimeout = timeout;
    limits.writeTimeout = timeout;
    return limits;
}

std::string stringOr(const json &object, const char *key, std::string fallback)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return it->get<std::string>();
}

// The code of a status object: "code" as a number, else "hex" as text; nullopt if neither.
std::optional<std::uint32_t> statusCode(const json &status)
{
    if (!status.is_object())
        return std::nullopt;
    const auto code = status.find("code");
    if (code != status.end() && code->is_number_integer() && code->get<std::int64_t>() >= 0 &&
        code->get<std::int64_t>() <= 0xFFFFFFFFLL)
        return static_cast<std::uint32_t>(code->get<std::int64_t>());
    const auto hex = status.find("hex");
    std::uint32_t parsed = 0;
    if (hex != status.end() && hex->is_string() && parseRpcCode(hex->get<std::string>(), parsed))
        return parsed;
    return std::nullopt;
}

std::string excerpt(const std::string &body)
{
    constexpr std::size_t limit = 200;
    std::string text = body.substr(0, limit);
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    return body.size() > limit ? text + "..." : text;
}

// Turns what the transport handed back into the JSON answer or an Error a user can act on.
Result<json> interpret(const net::Endpoint &endpoint, const std::string &method,
                       const std::string &target, Result<net::HttpResponse> answer)
{
    const std::string where = endpoint.toString();
    if (!answer) {
        Error error = answer.error();
        if (error.message.find(where) == std::string::npos)
            error.message = "agent at " + where + ": " + error.message;
        return error;
    }
    const net::HttpResponse &response = answer.value();
    const json body =
        response.body.empty() ? json(nullptr) : json::parse(response.body, nullptr, false);
    if (response.status >= 200 && response.status < 300) {
        if (body.is_discarded())
            return Error{static_cast<int>(rpc::BadStubData),
                         method + " " + target + " on " + where +
                             " answered text that is not JSON: " + excerpt(response.body)};
        return body;
    }
    if (!body.is_discarded() && body.is_object() && body.contains("error") &&
        body["error"].is_object()) {
        const json &apiError = body["error"];
        const auto code = statusCode(apiError);
        std::string message = stringOr(apiError, "message", "");
        if (message.empty())
            message = stringOr(apiError, "text", "");
        if (message.empty())
            message = method + " " + target + " on " + where + " failed with HTTP " +
                      std::to_string(response.status);
        return Error{static_cast<int>(code.value_or(rpc::CallFailed)), message};
    }
    return Error{static_cast<int>(response.status == 404 ? rpc::InvalidParameter : rpc::CallFailed),
                 method + " " + target + " on " + where + " answered HTTP " +
                     std::to_string(response.status) +
                     (response.body.empty() ? std::string() : ": " + excerpt(response.body))};
}

} // namespace

std::string AgentClient::operatorName()
{
    if (const char *name = std::getenv("HOSTSEC_OPERATOR"); name && *name)
        return name;
    // getpwuid_r, not getpwuid: the console calls this from its I/O thread.
    passwd entry{};
    passwd *found = nullptr;
    char buffer[1024];
    if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found &&
        found->pw_name)
        return found->pw_name;
    return {};
}

AgentClient::AgentClient(net::Endpoint endpoint, std::chrono::milliseconds timeout)
    : m_endpoint(std::move(endpoint))
    , m_timeout(timeout)
{}

Result<json> AgentClient::get(const std::string &target)
{
    return call("GET", target, {});
}

Result<json> AgentClient::post(const std::string &target, const json &body)
{
    return call("POST", target, body.dump());
}

Result<json> AgentClient::call(const std::string &method, const std::string &target,
                               const std::string &body)
{
    boost::asio::io_context io;
    std::optional<Result<net::HttpResponse>> answer;
    std::map<std::string, std::string> headers;
    if (!body.empty())
        headers["Content-Type"] = "application/json";
    if (const std::string name = operatorName(); !name.empty())
        headers["X-Hostsec-Operator"] = name;
    net::httpRequest(
        io, m_endpoint, method, target, body,
        [&answer](Result<net::HttpResponse> result) { answer.emplace(std::move(result)); },
        limitsFor(m_timeout), std::move(headers));
    io.run();
    if (!answer)
        return Error{static_cast<int>(rpc::Timeout),
                     method + " " + target + " on " + m_endpoint.toString() + ": no answer"};
    return interpret(m_endpoint, method, target, std::move(*answer));
}

Status AgentClient::health()
{
    boost::asio::io_context io;
    std::optional<Result<net::HttpResponse>> answer;
    net::httpRequest(
        io, m_endpoint, "GET", "/healthz", {},
        [&answer](Result<net::HttpResponse> result) { answer.emplace(std::move(result)); },
        limitsFor(m_timeout));
    io.run();
    const std::string where = m_endpoint.toString();
    if (!answer)
        return Error{static_cast<int>(rpc::Timeout), "GET /healthz on " + where + ": no answer"};
    if (!*answer) {
        Error error = answer->error();
        if (error.message.find(where) == std::string::npos)
            error.message = "agent at " + where + ": " + error.message;
        return error;
    }
    if (answer->value().status != 200)
        return Error{static_cast<int>(rpc::ServerTooBusy),
                     "GET /healthz on " + where + " answered HTTP " +
                         std::to_string(answer->value().status)};
    return {};
}

std::vector<Result<json>> AgentClient::getAll(const std::vector<net::Endpoint> &endpoints,
                                              const std::string &target,
                                              std::chrono::milliseconds timeout)
{
    boost::asio::io_context io;
    std::vector<std::optional<Result<net::HttpResponse>>> answers(endpoints.size());
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        net::httpRequest(
            io, endpoints[i], "GET", target, {},
            [&answers, i](Result<net::HttpResponse> result) {
                answers[i].emplace(std::move(result));
            },
            limitsFor(timeout));
    }
    io.run();
    std::vector<Result<json>> results;
    results.reserve(endpoints.size());
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        if (!answers[i])
            results.emplace_back(
                Error{static_cast<int>(rpc::Timeout),
                      "GET " + target + " on " + endpoints[i].toString() + ": no answer"});
        else
            results.push_back(interpret(endpoints[i], "GET", target, std::move(*answers[i])));
    }
    return results;
}

std::string AgentClient::describeStatus(const json &status)
{
    const auto code = statusCode(status);
    if (!code)
        return {};
    const RpcStatus known = rpcStatus(*code);
    return stringOr(status, "hex", rpcCodeHex(*code)) + " " +
           stringOr(status, "name", std::string(known.name)) + " (" +
           stringOr(status, "text", std::string(known.text)) + ")";
}

std::string AgentClient::shortStatus(const json &status)
{
    const auto code = statusCode(status);
    if (!code || *code == rpc::Success)
        return "-";
    return stringOr(status, "hex", rpcCodeHex(*code)) + " " +
           stringOr(status, "name", std::string(rpcStatus(*code).name));
}

std::string AgentClient::describeError(const Error &error)
{
    if (error.code <= 0)
        return error.message;
    const auto code = static_cast<std::uint32_t>(error.code);
    if (!isKnownRpcStatus(code))
        return rpcCodeHex(code) + ": " + error.message;
    return rpcCodeHex(code) + " " + std::string(rpcStatus(code).name) + ": " + error.message;
}

} // namespace hostsec::client
