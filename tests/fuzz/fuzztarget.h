#pragma once

// The fuzz targets' entry functions (docs/security.md, "Hostile input"). Each takes one input
// as libFuzzer hands it over and returns 0; a finding aborts. With HOSTSEC_LIBFUZZER (the fuzz
// build) each file also defines libFuzzer's LLVMFuzzerTestOneInput; without it tst_fuzzcorpus
// calls all of them on the seed corpus.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace hostsec::fuzz {

/// One JSON-RPC message as a peer's WebSocket frame brings it.
int jsonRpc(const std::uint8_t *data, std::size_t size);
/// Raw bytes on a TCP connection to a running agent's admin API (and its WebSocket paths).
int httpRequest(const std::uint8_t *data, std::size_t size);
/// One message of the binding handshake, read by the side it is addressed to.
int bindHandshake(const std::uint8_t *data, std::size_t size);
/// The text of a hostsecd configuration file.
int agentConfig(const std::uint8_t *data, std::size_t size);
/// An event id or message template and its parameters.
int eventFormat(const std::uint8_t *data, std::size_t size);
/// An agent's JSON answer as the console and hostsecctl read it.
int modelJson(const std::uint8_t *data, std::size_t size);

/// A finding: says what broke and aborts, which libFuzzer reports as a crash and keeps the input.
/// On stdout: ./dev fuzz runs the HTTP target with stderr closed (-close_fd_mask=2), or the
/// agent's event lines would fill its log; libFuzzer and the sanitizers keep their own copy.
[[noreturn]] inline void fail(std::string_view what)
{
    std::fprintf(stdout, "fuzz finding: %.*s\n", static_cast<int>(what.size()), what.data());
    std::fflush(stdout);
    std::abort();
}

/// fail(what) unless `ok`.
inline void check(bool ok, std::string_view what)
{
    if (!ok)
        fail(what);
}

/// The input as text.
inline std::string_view text(const std::uint8_t *data, std::size_t size)
{
    return size == 0 ? std::string_view()
                     : std::string_view(reinterpret_cast<const char *>(data), size);
}

} // namespace hostsec::fuzz

#ifdef HOSTSEC_LIBFUZZER
#define HOSTSEC_FUZZ_TARGET(function)                                                              \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)              \
    {                                                                                              \
        return function(data, size);                                                               \
    }
#else
#define HOSTSEC_FUZZ_TARGET(function)
#endif
