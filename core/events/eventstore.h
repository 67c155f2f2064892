#pragma once

#include "events/event.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

/// Which events a query wants. Empty lists and zero times mean "any".
struct EventFilter
{
    std::vector<std::string> servers;
    std::vector<std::string> sources;
    std::vector<int> ids;
    std::vector<Severity> severities;
    Millis from = 0;  // time >= from
    Millis until = 0; // time < until
    std::string text; // words to find in the message (full-text, each word as a prefix)

    bool isEmpty() const;
};

/// A position in the newest-first order of events: (time, seq), both descending.
struct EventCursor
{
    Millis time = 0;
    std::int64_t seq = 0;

    bool operator==(const EventCursor &) const = default;
};

/// One keyset page request. With neither cursor: the newest `limit` events. With `before`:
/// the `limit` events just older than it. With `after`: the `limit` events just newer.
/// Pages are always returned newest first.
struct PageRequest
{
    std::optional<EventCursor> before;
    std::optional<EventCursor> after;
    int limit = 100;
};

/// One group of an event summary: how many events of one id one server raised in one hour.
struct EventSummaryRow
{
    int id = 0;
    std::string server;
    Millis hour = 0; // the hour's start (UTC), a multiple of 3,600,000
    std::int64_t count = 0;
    Severity severity = Severity::Information; // the severity its events carry
};

/// What EventStore::verifyAudit found walking the audit chain (docs/security.md, "Audit").
struct AuditVerification
{
    /// How a chain can break. Only the first break is described; `problems` counts them all.
    enum class Problem
    {
        None,
        Edited,      // a record's chain value is not SHA-256(previous || record): changed
        Removed,     // records are missing: a gap in the record numbers, or fewer than counted
        Inserted,    // a record the store did not append: no chain, or a number used twice
        Appended,    // more records than the store counted: written beside the store
        HeadMismatch // the last record does not end at the head the store recorded
    };

    std::int64_t records = 0;     // audit records read
    std::int64_t count = 0;       // audit records the store appended, those retention removed too
    std::int64_t anchorCount = 0; // of them, removed by retention (verification starts after)
    std::string head;             // the recorded chain head, hex
    Problem problem = Problem::None;
    // The seq of the first record that fails. For records missing or added at the end, the
    // seq of the last record that verified (the break comes after it; 0 when none remain).
    std::int64_t seq = 0;
    std::string reason;        // one sentence, for an operator
    std::int64_t problems = 0; // breaks found in the whole walk

    bool intact() const { return problem == Problem::None; }
};
std::string_view toString(AuditVerification::Problem problem); // "edited", "removed", ...

/// The event ids whose rows are chained: the audit trail (9xx).
constexpr bool isAuditEventId(int id)
{
    return id >= 900 && id <= 999;
}

/// The canonical bytes of an audit record that its chain value hashes (docs/security.md):
/// seq, time, server, source, id, severity, params (their count, then each), message; every
/// integer 8 bytes big-endian, every text its length (8 bytes big-endian) and its bytes.
std::string canonicalAuditBytes(const Event &event);
/// SHA-256(previous || canonicalAuditBytes(event)): the chain value of `event` after
/// `previous` (32 bytes; 32 zero bytes before the first record).
std::string auditChainValue(const std::string &previous, const Event &event);

/// The durable event log: one SQLite file (WAL) with full-text search over messages.
/// One thread uses an EventStore at a time; open one per thread for concurrent readers.
class EventStore
{
public:
    static constexpr int MaxPageSize = 10000;

    /// Opens (creating and migrating as needed) the event log at `path`.
    static Result<std::unique_ptr<EventStore>> open(const std::string &path);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    /// Appends a batch in one transaction; assigns each event's seq. Events whose
    /// (server, originSeq) the store already holds are skipped (the console's history
    /// refetches by cursor). Returns the number appended.
    Result<int> append(std::vector<Event> &events);
    Result<int> append(Event &event);

    /// A page of events matching `filter`, newest first.
    Result<std::vector<Event>> query(const EventFilter &filter, const PageRequest &page) const;
    /// Events with seq > afterSeq in seq order, at most `limit`: for following a log by cursor.
    Result<std::vector<Event>> since(std::int64_t afterSeq, int limit,
                                     const EventFilter &filter = {}) const;
    /// How many events match.
    Result<std::int64_t> count(const EventFilter &filter) const;
    /// The matching events counted by (id, server, hour), ordered by hour, server, id; each
    /// group is handed to `row` as SQLite produces it, so memory stays bounded by the number of
    /// groups SQLite keeps, never by the number of events. `row` returning false stops early.
    Status summarize(const EventFilter &filter,
                     const std::function<bool(const EventSummaryRow &)> &row) const;
    /// The highest seq held, 0 when empty.
    Result<std::int64_t> lastSeq() const;
    /// The highest originSeq held for events from `server` (console cursor), 0 if none.
    Result<std::int64_t> lastOriginSeq(const std::string &server) const;

    /// Walks the audit chain in seq order, reading one record at a time (memory stays bounded
    /// for any number of rows), and says whether it is intact and where it first breaks.
    Result<AuditVerification> verifyAudit() const;

    /// Deletes events older than `time`; returns how many. Audit records go only as a prefix
    /// of the chain (one older than a kept audit record stays), and the last one to go becomes
    /// the chain's anchor.
    Result<std::int64_t> removeOlderThan(Millis time);
    /// Keeps the newest `rows` events (by seq) and deletes the rest; returns how many went.
    /// The last audit record to go becomes the chain's anchor.
    Result<std::int64_t> keepNewest(std::int64_t rows);

    /// SQLite's EXPLAIN QUERY PLAN for the query a filter and page would run, one step a line.
    Result<std::string> explainQuery(const EventFilter &filter, const PageRequest &page) const;

    const std::string &path() const;

    /// The schema version this build writes.
    static int schemaVersion();

private:
    struct Impl;
    explicit EventStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// An event's params as the store keeps them, in one text: joined by the ASCII unit separator
/// (0x1F), which inside a param becomes a space.
std::string joinEventParams(const std::vector<std::string> &params);
/// The params back from joinEventParams' text. `none` for an event without params: the text
/// "" is otherwise one empty param.
std::vector<std::string> splitEventParams(const std::string &text, bool none);

/// Turns what a user typed into an FTS5 query: each word (cut where the index's tokenizer cuts)
/// quoted, as a prefix, all required. Returns "" when nothing searchable remains.
std::string toFtsQuery(const std::string &text);

} // namespace hostsec
