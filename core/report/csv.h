#pragma once

#include "report/report.h"

#include <string>
#include <vector>

namespace hostsec::report {

/// Writes the report as CSV into `folder` (created when missing): one file per table, named
/// after it (report.csv, servers.csv, bindings.csv, binding_timeline.csv, users.csv,
/// pending.csv, findings.csv, events.csv, event_kinds.csv; only the chosen sections' tables).
/// RFC 4180: a header row, CRLF line ends, UTF-8 without a byte order mark, a field quoted
/// (quotes doubled) when it holds a comma, quote, CR or LF. Each file is written beside its
/// final name and renamed into place when complete. Returns the paths written.
Result<std::vector<std::string>> writeCsv(const Report &report, const std::string &folder);

} // namespace hostsec::report
