#pragma once

#include <cstdint>
#include <string>

namespace hostsec {

/// A point in time: milliseconds since the Unix epoch, UTC. Plain integers travel unchanged
/// through SQLite, JSON and queued Qt signals.
using Millis = std::int64_t;

/// Now, on the system clock, in Millis.
Millis nowMillis();

/// ISO 8601 UTC with milliseconds, e.g. "2026-11-25T21:25:22.123Z"; empty for 0 (never).
std::string formatIsoTime(Millis t);

/// Parses formatIsoTime's output and the shorter forms "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ";
/// returns -1 when the text is not such a time.
Millis parseIsoTime(const std::string &text);

} // namespace hostsec
