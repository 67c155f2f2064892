#pragma once

#include "report/report.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec::report {

/// Where a column appears: in every format, only in the CSV (machine-readable parts), or only
/// in the documents (HTML, PDF), which print a combined, readable form instead.
enum class Show
{
    Everywhere,
    CsvOnly,
    DocumentOnly,
};

/// What a column holds, for a document to show it well (CSV writes every kind as it is).
enum class Kind
{
    Text,
    Number, // right-aligned
    Time,   // ISO 8601 UTC; documents show "2026-11-25 21:25:22"
    State,  // one word of a closed set (bound, error, failed, yes...), shown in its colour
};

/// One column of a report table.
struct Column
{
    std::string_view name;    // the CSV header, snake_case: "last_error_code"
    std::string_view heading; // the document heading: "Last error"
    Show show = Show::Everywhere;
    Kind kind = Kind::Text;
};

/// One table of a report: the same rows go into an HTML table, a PDF table and a CSV file.
struct TableSpec
{
    std::string_view name;          // "bindings": the CSV file is bindings.csv
    std::string_view title;         // "Bindings"
    std::optional<Section> section; // none: the report's own metadata
    std::vector<Column> columns;
};

/// Receives a report's tables one after the other, each as begin, its rows, end.
class TableSink
{
public:
    virtual ~TableSink() = default;
    virtual void begin(const TableSpec &table) = 0;
    /// One row: a cell per column of the table, in order; clean or not, the sink escapes it.
    virtual void row(const std::vector<std::string> &cells) = 0;
    virtual void end(const TableSpec &table) = 0;
};

/// Hands every table of the report's chosen sections to `sink`, preceded by the "report"
/// table of metadata (key, value). The event summary is streamed from the report's source, so a
/// summary of any size passes through in bounded memory; an Error is the source's.
Status writeTables(const Report &report, TableSink &sink);

/// The text of a time in a report: ISO 8601 UTC, "" for never.
std::string timeText(Millis t);

} // namespace hostsec::report
