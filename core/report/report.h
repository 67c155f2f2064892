#pragma once

#include "diagnosis/finding.h"
#include "diagnosis/snapshot.h"
#include "events/eventstore.h"
#include "model/time.h"
#include "util/result.h"

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {
struct CatalogueEntry;
}

namespace hostsec::report {

/// The JSON schema a report follows (docs/report-schema.json); bumped when a key changes meaning.
inline constexpr std::string_view SchemaId = "hostsec-report/1";
inline constexpr int SchemaVersion = 1;

/// The parts a report can hold; a report may leave any of them out.
enum class Section
{
    Servers,  // servers with their agents' reachability, and the topology picture
    Bindings, // bindings with state, last error and timeline
    Users,    // users whose passwords are not in sync, by sync state
    Pending,  // changes waiting in an outbox
    Findings, // what the diagnosis found
    Events,   // the event summary by hour, server and id over the period
};
std::string_view toString(Section section); // "servers", "bindings", ...
std::optional<Section> sectionFromString(std::string_view text);
/// Every section, in the order a report shows them.
const std::vector<Section> &allSections();
/// Reads "servers,bindings" (commas, any order, no repeats); an Error names a wrong word.
Result<std::vector<Section>> parseSections(const std::vector<std::string> &words);

/// Who made a report, when, from what, over which period and with which sections.
struct ReportMeta
{
    std::string generatedBy; // "alice@console7"
    Millis generatedAt = 0;
    std::string profile;           // the profile file the snapshot was taken through
    Millis from = 0;               // the event summary's period: time >= from (0: open)
    Millis until = 0;              // time < until (0: open)
    std::vector<Section> sections; // in allSections() order
    int schemaVersion = SchemaVersion;
};

/// Visits summary rows in (hour, server, id) order; returning false stops the visit.
using SummaryVisitor = std::function<bool(const EventSummaryRow &)>;
/// Where a report's event summary comes from. Called once per rendering, it hands each row to
/// the visitor as it is produced, so a renderer writes a summary of any size in bounded memory.
using EventSummary = std::function<Status(const SummaryVisitor &)>;

/// The summary of the events in `store` that match `filter`, read when a renderer asks for it
/// (EventStore::summarize). The store must outlive the summary.
EventSummary summaryOf(const EventStore &store, EventFilter filter);
/// A summary over rows already in memory (tests, small reports); they are sorted on the way in.
EventSummary summaryOf(std::vector<EventSummaryRow> rows);

/// A report: its metadata, the domain's snapshot, the findings and the event summary.
/// Plain data; the renderers (html.h, csv.h, json.h, and ui/report for PDF) turn it into files.
struct Report
{
    ReportMeta meta;
    diagnosis::DomainSnapshot snapshot;
    std::vector<diagnosis::Finding> findings; // as the diagnosis listed them
    EventSummary events;                      // empty: no summary (an empty table)

    bool has(Section section) const;
};

/// The words a report prints for an event id, from the catalogue, so that a report read on
/// another machine (or another version) means the same.
struct EventWording
{
    std::string symbol;      // "RPC_LAYER_ERROR"; "UNKNOWN" for an id the catalogue lacks
    std::string source;      // "domain-account-sync"
    std::string title;       // the message template, its %1..%n shown as "…"
    std::string explanation; // what it means and what to do
};
EventWording eventWording(int id);

/// An RPC status as a report prints it: "0x6BE RPC_S_CALL_FAILED: The remote procedure call
/// failed."; "" for success (0).
std::string statusText(std::uint32_t code);

/// Writes a file through `write`, into a temporary file beside `path` that is renamed into place
/// once complete, so a failed or interrupted report never leaves a half file under its name.
/// The Error names the file and says what failed.
Status writeFile(const std::string &path, const std::function<Status(std::ostream &)> &write);

/// "alice@console7": the user running this program and the machine's host name.
std::string currentUserAtHost();

/// Findings most severe first; equal levels keep the diagnosis's order.
std::vector<const diagnosis::Finding *> findingsBySeverity(const Report &report);

/// The users of the snapshot ordered by sync state (failed, rejected, pending, in-sync), then
/// by domain account.
std::vector<const UserMapping *> usersByState(const Report &report);

} // namespace hostsec::report
