#pragma once

#include "report/report.h"

#include <iosfwd>
#include <string>

namespace hostsec::report {

/// Writes the report as one JSON document with "schema": "hostsec-report/1" (described by
/// docs/report-schema.json and docs/reports.md). Sections left out of the report are absent
/// keys. The event summary's rows are written as they are read, so its size costs no memory.
/// Strings are exact (JSON escapes control characters); bidi controls are written as \uXXXX
/// and invalid UTF-8 as U+FFFD.
Status writeJson(const Report &report, std::ostream &out);
/// writeJson into a file (see writeFile).
Status writeJsonFile(const Report &report, const std::string &path);

} // namespace hostsec::report
