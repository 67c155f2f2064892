#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

/// Win32 / RPC status codes, as a real RPC runtime returns them.
namespace rpc {
inline constexpr std::uint32_t Success = 0x0;                 // ERROR_SUCCESS
inline constexpr std::uint32_t AccessDenied = 0x5;            // ERROR_ACCESS_DENIED
inline constexpr std::uint32_t InvalidParameter = 0x57;       // ERROR_INVALID_PARAMETER
inline constexpr std::uint32_t NoSuchUser = 0x525;            // ERROR_NO_SUCH_USER
inline constexpr std::uint32_t PasswordRestriction = 0x52D;   // ERROR_PASSWORD_RESTRICTION
inline constexpr std::uint32_t LogonFailure = 0x52E;          // ERROR_LOGON_FAILURE
inline constexpr std::uint32_t Timeout = 0x5B4;               // ERROR_TIMEOUT
inline constexpr std::uint32_t InvalidBinding = 0x6A6;        // RPC_S_INVALID_BINDING
inline constexpr std::uint32_t UnknownInterface = 0x6B5;      // RPC_S_UNKNOWN_IF
inline constexpr std::uint32_t ServerUnavailable = 0x6BA;     // RPC_S_SERVER_UNAVAILABLE
inline constexpr std::uint32_t ServerTooBusy = 0x6BB;         // RPC_S_SERVER_TOO_BUSY
inline constexpr std::uint32_t CallFailed = 0x6BE;            // RPC_S_CALL_FAILED
inline constexpr std::uint32_t CallFailedDne = 0x6BF;         // RPC_S_CALL_FAILED_DNE
inline constexpr std::uint32_t ProcNumOutOfRange = 0x6D1;     // RPC_S_PROCNUM_OUT_OF_RANGE
inline constexpr std::uint32_t EndpointNotRegistered = 0x6D9; // EPT_S_NOT_REGISTERED
inline constexpr std::uint32_t BadStubData = 0x6F7;           // RPC_X_BAD_STUB_DATA
inline constexpr std::uint32_t CallCancelled = 0x71A;         // RPC_S_CALL_CANCELLED
} // namespace rpc

/// A status code with the symbolic name and the standard text Windows gives it.
struct RpcStatus
{
    std::uint32_t code = 0;
    std::string_view name; // "RPC_S_CALL_FAILED"
    std::string_view text; // "The remote procedure call failed."
};

/// The status for a code; an unknown code gets name "UNKNOWN" and a text saying so.
RpcStatus rpcStatus(std::uint32_t code);

/// Whether the code is one of the catalogue's known codes.
bool isKnownRpcStatus(std::uint32_t code);

/// Every known status, ordered by code.
const std::vector<RpcStatus> &allRpcStatuses();

/// "0x6BE" (upper-case hex, no leading zeros).
std::string rpcCodeHex(std::uint32_t code);

/// Parses "0x6BE", "6BE" or "1726"; returns false if the text is not a code.
bool parseRpcCode(std::string_view text, std::uint32_t &code);

/// "0x6BE (The remote procedure call failed.)", the seed article's way of printing a status.
std::string describeRpcStatus(std::uint32_t code);

} // namespace hostsec
