#include "model/rpcstatus.h"

#include <algorithm>
#include <charconv>

namespace hostsec {

namespace {

// Names and texts exactly as Windows' FormatMessage gives them (winerror.h), ordered by code.
const std::vector<RpcStatus> &catalogue()
{
    static const std::vector<RpcStatus> statuses = {
        {rpc::Success, "ERROR_SUCCESS", "The operation completed successfully."},
        {rpc::AccessDenied, "ERROR_ACCESS_DENIED", "Access is denied."},
        {rpc::InvalidParameter, "ERROR_INVALID_PARAMETER", "The parameter is incorrect."},
        {rpc::NoSuchUser, "ERROR_NO_SUCH_USER", "The specified account does not exist."},
        {rpc::PasswordRestriction, "ERROR_PASSWORD_RESTRICTION",
         "Unable to update the password. The value provided for the new password does not meet "
         "the length, complexity, or history requirements of the domain."},
        {rpc::LogonFailure, "ERROR_LOGON_FAILURE", "The user name or password is incorrect."},
        {rpc::Timeout, "ERROR_TIMEOUT",
         "This operation returned because the timeout period expired."},
        {rpc::InvalidBinding, "RPC_S_INVALID_BINDING", "The binding handle is invalid."},
        {rpc::UnknownInterface, "RPC_S_UNKNOWN_IF", "The interface is unknown."},
        {rpc::ServerUnavailable, "RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable."},
        {rpc::ServerTooBusy, "RPC_S_SERVER_TOO_BUSY",
         "The RPC server is too busy to complete this operation."},
        {rpc::CallFailed, "RPC_S_CALL_FAILED", "The remote procedure call failed."},
        {rpc::CallFailedDne, "RPC_S_CALL_FAILED_DNE",
         "The remote procedure call failed and did not execute."},
        {rpc::ProcNumOutOfRange, "RPC_S_PROCNUM_OUT_OF_RANGE",
         "The procedure number is out of range."},
        {rpc::EndpointNotRegistered, "EPT_S_NOT_REGISTERED",
         "There are no more endpoints available from the endpoint mapper."},
        {rpc::BadStubData, "RPC_X_BAD_STUB_DATA", "The stub received bad data."},
        {rpc::CallCancelled, "RPC_S_CALL_CANCELLED", "The remote procedure call was cancelled."},
    };
    return statuses;
}

const RpcStatus *find(std::uint32_t code)
{
    const auto &all = catalogue();
    const auto it =
        std::lower_bound(all.begin(), all.end(), code,
                         [](const RpcStatus &s, std::uint32_t c) { return s.code < c; });
    return it != all.end() && it->code == code ? &*it : nullptr;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

RpcStatus rpcStatus(std::uint32_t code)
{
    if (const RpcStatus *known = find(code)) {
        return *known;
    }
    return {code, "UNKNOWN", "Unknown status code."};
}

bool isKnownRpcStatus(std::uint32_t code)
{
    return find(code) != nullptr;
}

const std::vector<RpcStatus> &allRpcStatuses()
{
    return catalogue();
}

std::string rpcCodeHex(std::uint32_t code)
{
    char digits[8];
    const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), code, 16);
    std::string hex = "0x";
    for (const char *p = digits; p != end; ++p) {
        hex += *p >= 'a' && *p <= 'f' ? static_cast<char>(*p - 'a' + 'A') : *p;
    }
    return hex;
}

// "0x..." is hex; plain digits are decimal (the way Windows' "net helpmsg" takes them); digits
// with any of A-F are hex, so "6BE" reads as the code the seed article prints.
bool parseRpcCode(std::string_view text, std::uint32_t &code)
{
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        base = 16;
    }
    if (text.empty() || !std::all_of(text.begin(), text.end(), isHexDigit)) {
        return false;
    }
    if (std::any_of(text.begin(), text.end(), [](char c) { return c < '0' || c > '9'; })) {
        base = 16;
    }
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return false;
    }
    code = value;
    return true;
}

std::string describeRpcStatus(std::uint32_t code)
{
    const RpcStatus status = rpcStatus(code);
    std::string text = rpcCodeHex(code);
    text += " (";
    text += status.text;
    text += ')';
    return text;
}

} // namespace hostsec
