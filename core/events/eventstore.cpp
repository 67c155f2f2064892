#include "events/eventstore.h"

#include "events/textindex.h"
#include "store/database.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <mutex>
#include <optional>

namespace hostsec {

using store::Database;
using store::Statement;
using store::StoreError;

// Params travel in one column, separated by the ASCII unit separator (never part of a text
// an operator typed: it is replaced by a space on the way in).
constexpr char kParamSeparator = '\x1f';

std::string joinEventParams(const std::vector<std::string> &params)
{
    std::string out;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (i)
            out += kParamSeparator;
        std::string p = params[i];
        std::replace(p.begin(), p.end(), kParamSeparator, ' ');
        out += p;
    }
    return out;
}

std::vector<std::string> splitEventParams(const std::string &text, bool none)
{
    std::vector<std::string> out;
    if (none)
        return out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(kParamSeparator, start);
        out.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return out;
}

namespace {

constexpr std::size_t kChainBytes = 32; // SHA-256
const std::string kChainStart(kChainBytes, '\0');

void putInt(std::string &out, std::int64_t value)
{
    const auto u = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        out += static_cast<char>((u >> shift) & 0xFF);
}

void putText(std::string &out, std::string_view text)
{
    putInt(out, static_cast<std::int64_t>(text.size()));
    out += text;
}

std::string hexOf(const std::string &bytes)
{
    static constexpr char Hex[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += Hex[b >> 4];
        out += Hex[b & 0xF];
    }
    return out;
}

// The audit rows in seq order. The clause must read exactly like the partial index's, or
// SQLite will not use that index and sorts every audit row instead.
constexpr const char *kAuditRows = "event_id BETWEEN 900 AND 999";

// The meta keys of the chain: its head and how many records it has, and the anchor retention
// leaves (the chain value and number of the last audit record it removed).
constexpr const char *kReadChain = "SELECT (SELECT value FROM meta WHERE key = 'audit_head'), "
                                   "(SELECT value FROM meta WHERE key = 'audit_count'), "
                                   "(SELECT value FROM meta WHERE key = 'audit_anchor'), "
                                   "(SELECT value FROM meta WHERE key = 'audit_anchor_count')";

struct ChainState
{
    std::string head = kChainStart;
    std::int64_t count = 0;
    std::string anchor = kChainStart;
    std::int64_t anchorCount = 0;
};

ChainState readChain(Statement &s)
{
    ChainState c;
    if (s.step()) {
        // A meta row someone removed reads as NULL: keep the start values, which then do not
        // match the rows, so verification reports it instead of failing to run.
        if (!s.columnIsNull(0))
            c.head = s.columnBlob(0);
        c.count = s.columnInt(1);
        if (!s.columnIsNull(2))
            c.anchor = s.columnBlob(2);
        c.anchorCount = s.columnInt(3);
    }
    s.reset();
    return c;
}

// Schema 1: the events table and its indexes. Schema 2: origin_seq for the console's history.
// Schema 3: full-text search over messages; word and prefix look-ups only (detail=none keeps
// no positions, which doubles the ingest rate; phrase queries are not offered). Schema 4: the
// full-text index moves to a file of its own, filled behind the committed rows (textindex.h),
// and seq numbers come from meta.high_seq so that none is ever used twice, even after the
// newest rows were removed. Each index leads with a filter column and ends with (time, seq), so
// a filtered, newest-first page is read straight off one index.
const std::vector<store::Migration> &migrations()
{
    static const std::vector<store::Migration> all = {
        {1, "events table",
         [](Database &db) {
             db.exec(R"(
                CREATE TABLE events(
                    seq INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    server TEXT NOT NULL,
                    source TEXT NOT NULL,
                    event_id INTEGER NOT NULL,
                    severity INTEGER NOT NULL,
                    params TEXT NOT NULL,
                    param_count INTEGER NOT NULL,
                    message TEXT NOT NULL);
                CREATE INDEX events_by_time ON events(time, seq);
                CREATE INDEX events_by_server ON events(server, time, seq);
                CREATE INDEX events_by_source ON events(source, time, seq);
                CREATE INDEX events_by_id ON events(event_id, time, seq);
                CREATE INDEX events_by_severity ON events(severity, time, seq);
             )",
                     "creating the events table");
         }},
        {2, "origin sequence numbers",
         [](Database &db) {
             db.exec(R"(
                ALTER TABLE events ADD COLUMN origin_seq INTEGER;
                CREATE UNIQUE INDEX events_by_origin ON events(server, origin_seq)
                    WHERE origin_seq IS NOT NULL;
             )",
                     "adding origin sequence numbers");
         }},
        {3, "full-text search",
         [](Database &db) {
             db.exec(R"(
                CREATE VIRTUAL TABLE events_fts USING fts5(
                    message, content='events', content_rowid='seq', tokenize='unicode61',
                    detail=none, columnsize=0);
                CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
                    INSERT INTO events_fts(rowid, message) VALUES (new.seq, new.message);
                END;
                CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
                    INSERT INTO events_fts(events_fts, rowid, message)
                        VALUES ('delete', old.seq, old.message);
                END;
                INSERT INTO events_fts(events_fts) VALUES ('rebuild');
             )",
                     "adding full-text search");
         }},
        {4, "full-text index in its own file",
         [](Database &db) {
             db.exec(R"(
                DROP TRIGGER events_fts_insert;
                DROP TRIGGER events_fts_delete;
                DROP TABLE events_fts;
                CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO meta VALUES ('high_seq', (SELECT coalesce(max(seq), 0) FROM events));
                INSERT INTO meta VALUES ('store_id', (random() & 4611686018427387903) + 1);
             )",
                     "moving full-text search to its own file");
         }},
        {5, "hash-chained audit records",
         [](Database &db) {
             db.exec(R"(
                ALTER TABLE events ADD COLUMN chain BLOB;
                ALTER TABLE events ADD COLUMN audit_n INTEGER;
                CREATE INDEX events_audit ON events(seq) WHERE event_id BETWEEN 900 AND 999;
             )",
                     "adding the audit chain");
             // The audit records already held are chained in seq order, as if they had been
             // appended now; the chain vouches for them from this migration on.
             Statement rows = db.prepare(std::string("SELECT seq, time, server, source, "
                                                     "event_id, severity, params, param_count, "
                                                     "message FROM events WHERE ") +
                                             kAuditRows + " ORDER BY seq",
                                         "chaining the audit records");
             Statement set = db.prepare("UPDATE events SET chain = ?, audit_n = ? WHERE seq = ?",
                                        "chaining the audit records");
             std::string head = kChainStart;
             std::int64_t count = 0;
             while (rows.step()) {
                 Event e;
                 e.seq = rows.columnInt(0);
                 e.time = rows.columnInt(1);
                 e.server = rows.columnText(2);
                 e.source = rows.columnText(3);
                 e.id = static_cast<int>(rows.columnInt(4));
                 e.severity = static_cast<Severity>(rows.columnInt(5));
                 e.params = splitEventParams(rows.columnText(6), rows.columnInt(7) == 0);
                 e.message = rows.columnText(8);
                 head = auditChainValue(head, e);
                 set.bindBlob(1, head).bind(2, ++count).bind(3, e.seq).run();
             }
             db.prepare("INSERT INTO meta VALUES ('audit_head', ?), ('audit_count', ?), "
                        "('audit_anchor', ?), ('audit_anchor_count', 0)",
                        "recording the audit chain's head")
                 .bindBlob(1, head)
                 .bind(2, count)
                 .bindBlob(3, kChainStart)
                 .run();
         }},
    };
    return all;
}

constexpr const char *kColumns =
    "seq, time, server, source, event_id, severity, params, param_count, message, origin_seq";

// Records the last audit record before `seq` as the anchor, in the caller's transaction,
// before retention deletes it and all audit records before it.
void anchorBefore(Database &db, std::int64_t seq)
{
    Statement last = db.prepare(std::string("SELECT chain, audit_n FROM events WHERE ") +
                                    kAuditRows + " AND seq < ? ORDER BY seq DESC LIMIT 1",
                                "anchoring the audit chain");
    last.bind(1, seq);
    // A record without a chain was never appended by the store; anchoring on it would hide
    // that, so the previous anchor stays and verification reports the gap.
    if (!last.step() || last.columnIsNull(0) || last.columnIsNull(1))
        return;
    db.prepare("INSERT OR REPLACE INTO meta VALUES ('audit_anchor', ?), ('audit_anchor_count', ?)",
               "anchoring the audit chain")
        .bindBlob(1, last.columnBlob(0))
        .bind(2, last.columnInt(1))
        .run();
}

Event readEvent(const Statement &s)
{
    Event e;
    e.seq = s.columnInt(0);
    e.time = s.columnInt(1);
    e.server = s.columnText(2);
    e.source = s.columnText(3);
    e.id = static_cast<int>(s.columnInt(4));
    e.severity = static_cast<Severity>(s.columnInt(5));
    e.params = splitEventParams(s.columnText(6), s.columnInt(7) == 0);
    e.message = s.columnText(8);
    e.originSeq = s.columnIsNull(9) ? 0 : s.columnInt(9);
    return e;
}

// A WHERE clause with its bound values, built from a filter.
struct Where
{
    std::string sql;
    std::vector<std::string> texts; // bound in order, as text or integer (see kinds)
    std::vector<bool> isInt;

    void add(const std::string &clause)
    {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += clause;
    }
    void bindText(const std::string &value)
    {
        texts.push_back(value);
        isInt.push_back(false);
    }
    void bindInt(std::int64_t value)
    {
        texts.push_back(std::to_string(value));
        isInt.push_back(true);
    }
    int bindAll(Statement &s) const
    {
        int index = 1;
        for (std::size_t i = 0; i < texts.size(); ++i, ++index) {
            if (isInt[i])
                s.bind(index, static_cast<std::int64_t>(std::stoll(texts[i])));
            else
                s.bind(index, texts[i]);
        }
        return index;
    }
};

// `lead` is false for every filter column but the most selective one: "+column" keeps
// SQLite from reading that column's index, so the query always walks the leading column's
// (column, time, seq) index, newest first, without statistics to guess from.
template <class T, class F>
void addIn(Where &w, const char *column, const std::vector<T> &values, bool lead, F bind)
{
    if (values.empty())
        return;
    std::string clause =
        std::string(lead ? "" : "+") + column + (values.size() == 1 ? " = ?" : " IN (");
    if (values.size() > 1) {
        for (std::size_t i = 0; i < values.size(); ++i)
            clause += i ? ",?" : "?";
        clause += ")";
    }
    w.add(clause);
    for (const T &v : values)
        bind(v);
}

Where buildWhere(const EventFilter &f)
{
    Where w;
    // Most selective first: 500 servers, dozens of ids, a few sources, five severities.
    const int lead = !f.servers.empty() ? 0 : !f.ids.empty() ? 1 : !f.sources.empty() ? 2 : 3;
    addIn(w, "server", f.servers, lead == 0, [&](const std::string &v) { w.bindText(v); });
    addIn(w, "event_id", f.ids, lead == 1, [&](int v) { w.bindInt(v); });
    addIn(w, "source", f.sources, lead == 2, [&](const std::string &v) { w.bindText(v); });
    addIn(w, "severity", f.severities, lead == 3,
          [&](Severity v) { w.bindInt(static_cast<int>(v)); });
    if (f.from > 0) {
        w.add("time >= ?");
        w.bindInt(f.from);
    }
    if (f.until > 0) {
        w.add("time < ?");
        w.bindInt(f.until);
    }
    const std::string fts = toFtsQuery(f.text);
    if (!fts.empty()) {
        w.add("seq IN (SELECT rowid FROM fts.events_fts WHERE events_fts MATCH ?)");
        w.bindText(fts);
    } else if (!f.text.empty()) {
        w.add("0"); // words with nothing searchable in them match nothing
    }
    return w;
}

std::string pageSql(const EventFilter &filter, const PageRequest &page, Where &w)
{
    w = buildWhere(filter);
    bool ascending = false;
    if (page.before) {
        w.add("(time, seq) < (?, ?)");
        w.bindInt(page.before->time);
        w.bindInt(page.before->seq);
    }
    if (page.after) {
        w.add("(time, seq) > (?, ?)");
        w.bindInt(page.after->time);
        w.bindInt(page.after->seq);
        ascending = !page.before; // the rows just newer than the cursor
    }
    std::string sql = std::string("SELECT ") + kColumns + " FROM events" + w.sql;
    sql += ascending ? " ORDER BY time ASC, seq ASC" : " ORDER BY time DESC, seq DESC";
    sql += " LIMIT ?";
    return sql;
}

constexpr int kCacheMiB = 64;

int clampLimit(int limit)
{
    return std::clamp(limit, 0, EventStore::MaxPageSize);
}

} // namespace

std::string canonicalAuditBytes(const Event &event)
{
    std::string out;
    out.reserve(128 + event.message.size());
    putInt(out, event.seq);
    putInt(out, event.time);
    putText(out, event.server);
    putText(out, event.source);
    putInt(out, event.id);
    putInt(out, static_cast<int>(event.severity));
    putInt(out, static_cast<std::int64_t>(event.params.size()));
    for (const std::string &p : event.params) {
        // As the store keeps it (joinEventParams), so the rows read back hash the same.
        if (p.find(kParamSeparator) == std::string::npos) {
            putText(out, p);
        } else {
            std::string kept = p;
            std::replace(kept.begin(), kept.end(), kParamSeparator, ' ');
            putText(out, kept);
        }
    }
    putText(out, event.message);
    return out;
}

std::string auditChainValue(const std::string &previous, const Event &event)
{
    std::string input = previous;
    input += canonicalAuditBytes(event);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    // SHA-256 cannot fail on memory we hand it; a failure here is an OpenSSL without SHA-256,
    // which the store must not paper over with a chain that proves nothing.
    if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != kChainBytes)
        throw StoreError(0, "audit chain: SHA-256 is not available from OpenSSL");
    return std::string(reinterpret_cast<const char *>(digest.data()), size);
}

std::string_view toString(AuditVerification::Problem problem)
{
    using P = AuditVerification::Problem;
    switch (problem) {
    case P::None:
        return "none";
    case P::Edited:
        return "edited";
    case P::Removed:
        return "removed";
    case P::Inserted:
        return "inserted";
    case P::Appended:
        return "appended";
    case P::HeadMismatch:
        return "head-mismatch";
    }
    return "unknown";
}

bool EventFilter::isEmpty() const
{
    return servers.empty() && sources.empty() && ids.empty() && severities.empty() && from == 0 &&
           until == 0 && text.empty();
}

namespace {

// The full-text index's own tokenizer (unicode61, default options), borrowed from an in-memory
// connection, so a query is cut into words exactly where the messages were: a character the
// index splits at (a dash, an invalid UTF-8 byte) inside one quoted word would make it a phrase,
// which an index without positions cannot answer.
class QueryTokenizer
{
public:
    static QueryTokenizer &instance()
    {
        static QueryTokenizer tokenizer;
        return tokenizer;
    }

    QueryTokenizer(const QueryTokenizer &) = delete;
    QueryTokenizer &operator=(const QueryTokenizer &) = delete;

    /// The words of `text` as the index folds them; nullopt when SQLite has no unicode61.
    std::optional<std::vector<std::string>> words(const std::string &text)
    {
        std::lock_guard lock(m_mutex); // a tokenizer keeps a buffer of its own
        if (!m_tokenizer)
            return std::nullopt;
        std::vector<std::string> out;
        const auto take = [](void *context, int flags, const char *token, int size, int, int) {
            if (!(flags & FTS5_TOKEN_COLOCATED))
                static_cast<std::vector<std::string> *>(context)->emplace_back(
                    token, static_cast<std::size_t>(size));
            return SQLITE_OK;
        };
        if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
            m_api.xTokenize(m_tokenizer, &out, FTS5_TOKENIZE_QUERY, text.data(),
                            static_cast<int>(text.size()), take) != SQLITE_OK)
            return std::nullopt;
        return out;
    }

private:
    QueryTokenizer()
    {
        if (sqlite3_open(":memory:", &m_db) != SQLITE_OK)
            return;
        fts5_api *api = nullptr;
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(m_db, "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_bind_pointer(s, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr) ==
                SQLITE_OK)
            sqlite3_step(s);
        sqlite3_finalize(s);
        void *user = nullptr;
        if (!api || api->xFindTokenizer(api, "unicode61", &user, &m_api) != SQLITE_OK ||
            m_api.xCreate(user, nullptr, 0, &m_tokenizer) != SQLITE_OK)
            m_tokenizer = nullptr;
    }

    ~QueryTokenizer()
    {
        if (m_tokenizer)
            m_api.xDelete(m_tokenizer);
        sqlite3_close(m_db);
    }

    std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
    fts5_tokenizer m_api{};
    Fts5Tokenizer *m_tokenizer = nullptr;
};

// What the tokenizer cannot be had: words split at ASCII punctuation and spaces, as the index
// splits them; other characters stay in the word.
std::vector<std::string> asciiWords(const std::string &text)
{
    std::vector<std::string> out(1);
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && !std::isalnum(u)) {
            if (!out.back().empty())
                out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    if (out.back().empty())
        out.pop_back();
    return out;
}

} // namespace

std::string toFtsQuery(const std::string &text)
{
    const std::vector<std::string> words =
        QueryTokenizer::instance().words(text).value_or(asciiWords(text));
    std::string out;
    for (const std::string &word : words) {
        if (word.empty())
            continue;
        if (!out.empty())
            out += ' ';
        out += '"';
        for (char c : word) {
            out += c;
            if (c == '"')
                out += '"';
        }
        out += "\"*";
    }
    return out;
}

struct EventStore::Impl
{
    Database db;
    Statement insert;
    Statement lastSeq;
    Statement lastOrigin;
    Statement highSeq;
    Statement setHighSeq;
    Statement readChain;
    Statement setChain;
    std::unique_ptr<events::TextIndex> text;
    // A second, read-only connection with the text index attached. Only it sees the index:
    // BEGIN IMMEDIATE on a connection takes the write lock of every file attached to it, so the
    // appending connection must not hold the index file, or appends and indexing would take
    // turns instead of running side by side.
    Database textReader;

    // The connection a query with this filter reads through; a text query first brings the
    // index up to every committed row, so it never misses one.
    Database &reader(const EventFilter &filter, bool catchUp = true)
    {
        if (filter.text.empty())
            return db;
        if (catchUp)
            text->catchUp();
        return textReader;
    }
};

EventStore::EventStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

EventStore::~EventStore() = default;

int EventStore::schemaVersion()
{
    return migrations().back().version;
}

Result<std::unique_ptr<EventStore>> EventStore::open(const std::string &path)
{
    // A page cache that holds the hot ends of every index keeps ingest off the disk.
    auto db = Database::open(path, {.cacheMiB = kCacheMiB});
    if (!db)
        return Error{db.error().code, "event store: " + db.error().message};
    try {
        store::migrate(*db, "event store", migrations());
        Statement insert = db->prepare(
            "INSERT OR IGNORE INTO events(seq, time, server, source, event_id, severity, params, "
            "param_count, message, origin_seq, chain, audit_n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            "appending an event");
        Statement last = db->prepare("SELECT coalesce(max(seq), 0) FROM events",
                                     "reading the last sequence number");
        Statement origin =
            db->prepare("SELECT coalesce(max(origin_seq), 0) FROM events WHERE server = ? AND "
                        "origin_seq IS NOT NULL",
                        "reading a server's history cursor");
        Statement high = db->prepare("SELECT max((SELECT value FROM meta WHERE key = 'high_seq'), "
                                     "(SELECT coalesce(max(seq), 0) FROM events)), "
                                     "(SELECT value FROM meta WHERE key = 'store_id')",
                                     "reading the highest sequence number ever used");
        Statement setHigh = db->prepare("UPDATE meta SET value = ? WHERE key = 'high_seq'",
                                        "recording the highest sequence number");
        Statement readChain = db->prepare(kReadChain, "reading the audit chain's head");
        Statement setChain =
            db->prepare("INSERT OR REPLACE INTO meta VALUES ('audit_head', ?), ('audit_count', ?)",
                        "recording the audit chain's head");
        high.step();
        const std::int64_t highSeq = high.columnInt(0);
        const std::int64_t storeId = high.columnInt(1);
        high.reset();
        auto text = std::make_unique<events::TextIndex>(path, storeId, highSeq);
        auto reader = Database::open(path, {.create = false, .wal = false, .cacheMiB = 16});
        if (!reader)
            return Error{reader.error().code, "event store: " + reader.error().message};
        reader->prepare("ATTACH DATABASE ? AS fts", "opening the full-text index")
            .bind(1, events::TextIndex::pathFor(path))
            .run();
        auto impl = std::make_unique<Impl>(
            Impl{std::move(*db), std::move(insert), std::move(last), std::move(origin),
                 std::move(high), std::move(setHigh), std::move(readChain), std::move(setChain),
                 std::move(text), std::move(*reader)});
        return std::unique_ptr<EventStore>(new EventStore(std::move(impl)));
    } catch (const StoreError &e) {
        return Error{e.sqliteCode(), std::string("event store: ") + e.what()};
    }
}

const std::string &EventStore::path() const
{
    return m_impl->db.path();
}

Result<int> EventStore::append(Event &event)
{
    std::vector<Event> one{std::move(event)};
    auto r = append(one);
    event = std::move(one.front());
    return r;
}

Result<int> EventStore::append(std::vector<Event> &events)
{
    if (events.empty())
        return 0;
    try {
        store::Transaction tx(m_impl->db, "appending events");
        Statement &high = m_impl->highSeq;
        high.step();
        std::int64_t seq = high.columnInt(0);
        high.reset();
        Statement &s = m_impl->insert;
        int appended = 0;
        // The chain's head is read only when the batch holds an audit record, and written once
        // at its end, in this transaction: other events cost one comparison.
        std::optional<ChainState> chain;
        bool chained = false;
        for (Event &e : events) {
            s.bind(1, seq + 1)
                .bind(2, e.time)
                .bind(3, e.server)
                .bind(4, e.source)
                .bind(5, e.id)
                .bind(6, static_cast<int>(e.severity))
                .bind(7, joinEventParams(e.params))
                .bind(8, static_cast<std::int64_t>(e.params.size()))
                .bind(9, e.message);
            if (e.originSeq > 0)
                s.bind(10, e.originSeq);
            else
                s.bindNull(10);
            std::string value;
            if (isAuditEventId(e.id)) {
                if (!chain)
                    chain = readChain(m_impl->readChain);
                e.seq = seq + 1;
                value = auditChainValue(chain->head, e);
                s.bindBlob(11, value).bind(12, chain->count + 1);
            } else {
                s.bindNull(11).bindNull(12);
            }
            s.run();
            if (m_impl->db.changes() > 0) {
                e.seq = ++seq;
                ++appended;
                if (!value.empty()) {
                    chain->head = std::move(value);
                    ++chain->count;
                    chained = true;
                }
            } else {
                e.seq = 0;
            }
        }
        if (appended > 0)
            m_impl->setHighSeq.bind(1, seq).run();
        if (chained)
            m_impl->setChain.bindBlob(1, chain->head).bind(2, chain->count).run();
        tx.commit();
        if (appended > 0)
            m_impl->text->notify();
        return appended;
    } catch (const StoreError &e) {
        for (Event &event : events)
            event.seq = 0;
        return e.toError();
    }
}

Result<std::vector<Event>> EventStore::query(const EventFilter &filter,
                                             const PageRequest &page) const
{
    try {
        Database &db = m_impl->reader(filter);
        Where w;
        const std::string sql = pageSql(filter, page, w);
        Statement s = db.prepare(sql, "querying events");
        const int next = w.bindAll(s);
        s.bind(next, clampLimit(page.limit));
        std::vector<Event> out;
        while (s.step())
            out.push_back(readEvent(s));
        if (page.after && !page.before)
            std::reverse(out.begin(), out.end());
        return out;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::vector<Event>> EventStore::since(std::int64_t afterSeq, int limit,
                                             const EventFilter &filter) const
{
    try {
        Database &db = m_impl->reader(filter);
        Where w = buildWhere(filter);
        w.add("seq > ?");
        w.bindInt(afterSeq);
        Statement s = db.prepare(std::string("SELECT ") + kColumns + " FROM events" + w.sql +
                                     " ORDER BY seq ASC LIMIT ?",
                                 "reading events by cursor");
        const int next = w.bindAll(s);
        s.bind(next, clampLimit(limit));
        std::vector<Event> out;
        while (s.step())
            out.push_back(readEvent(s));
        return out;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::int64_t> EventStore::count(const EventFilter &filter) const
{
    try {
        Database &db = m_impl->reader(filter);
        Where w = buildWhere(filter);
        Statement s = db.prepare("SELECT count(*) FROM events" + w.sql, "counting events");
        w.bindAll(s);
        s.step();
        return s.columnInt(0);
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Status EventStore::summarize(const EventFilter &filter,
                             const std::function<bool(const EventSummaryRow &)> &row) const
{
    try {
        Database &db = m_impl->reader(filter);
        Where w = buildWhere(filter);
        Statement s = db.prepare(
            "SELECT event_id, server, (time / 3600000) * 3600000 AS hour, count(*), "
            "max(severity) FROM events" +
                w.sql + " GROUP BY hour, server, event_id ORDER BY hour, server, event_id",
            "summarising events");
        w.bindAll(s);
        while (s.step()) {
            const EventSummaryRow r{static_cast<int>(s.columnInt(0)), s.columnText(1),
                                    s.columnInt(2), s.columnInt(3),
                                    static_cast<Severity>(s.columnInt(4))};
            if (!row(r))
                break;
        }
        return {};
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::int64_t> EventStore::lastSeq() const
{
    try {
        Statement &s = m_impl->lastSeq;
        s.step();
        const std::int64_t seq = s.columnInt(0);
        s.reset();
        return seq;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::int64_t> EventStore::lastOriginSeq(const std::string &server) const
{
    try {
        Statement &s = m_impl->lastOrigin;
        s.bind(1, server);
        s.step();
        const std::int64_t seq = s.columnInt(0);
        s.reset();
        return seq;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<AuditVerification> EventStore::verifyAudit() const
{
    try {
        Database &db = m_impl->db;
        // One read transaction: the head, the count and the rows are one snapshot, even with
        // appends committing on another connection meanwhile.
        db.exec("BEGIN", "verifying the audit chain");
        struct End
        {
            Database &db;
            ~End()
            {
                try {
                    db.exec("COMMIT", "verifying the audit chain");
                } catch (const StoreError &) {
                    // A read transaction has nothing to lose; the connection stays usable.
                }
            }
        } end{db};
        const ChainState recorded = readChain(m_impl->readChain);
        AuditVerification v;
        v.count = recorded.count;
        v.anchorCount = recorded.anchorCount;
        v.head = hexOf(recorded.head);
        auto broken = [&v](AuditVerification::Problem problem, std::int64_t seq,
                           std::string reason) {
            if (v.problems++ == 0) {
                v.problem = problem;
                v.seq = seq;
                v.reason = std::move(reason);
            }
        };
        using P = AuditVerification::Problem;
        Statement rows = db.prepare(std::string("SELECT seq, time, server, source, event_id, "
                                                "severity, params, param_count, message, chain, "
                                                "audit_n FROM events WHERE ") +
                                        kAuditRows + " ORDER BY seq",
                                    "verifying the audit chain");
        std::string previous = recorded.anchor;
        std::int64_t number = recorded.anchorCount; // the last record verified
        std::int64_t lastSeq = 0;
        std::int64_t firstBeyond = 0; // the first record numbered beyond the recorded count
        std::string alternative;      // after an edited record: the value it should have had
        Event e;
        while (rows.step()) {
            ++v.records;
            e.seq = rows.columnInt(0);
            e.time = rows.columnInt(1);
            e.server = rows.columnText(2);
            e.source = rows.columnText(3);
            e.id = static_cast<int>(rows.columnInt(4));
            e.severity = static_cast<Severity>(rows.columnInt(5));
            e.params = splitEventParams(rows.columnText(6), rows.columnInt(7) == 0);
            e.message = rows.columnText(8);
            const std::string seqText = "seq " + std::to_string(e.seq);
            if (rows.columnIsNull(9) || rows.columnIsNull(10)) {
                // Not the store's: skip it, so the records after it are checked as usual.
                broken(P::Inserted, e.seq,
                       seqText + " has no chain value: it was written beside the event store");
                continue;
            }
            const std::string stored = rows.columnBlob(9);
            const std::int64_t n = rows.columnInt(10);
            if (n <= number) {
                broken(P::Inserted, e.seq,
                       seqText + " repeats audit record number " + std::to_string(n) +
                           ": it was written beside the event store");
                continue;
            }
            if (n > number + 1) {
                const std::int64_t missing = n - number - 1;
                broken(P::Removed, e.seq,
                       std::to_string(missing) + " audit record(s) before " + seqText +
                           " are missing (number " + std::to_string(number + 1) +
                           (missing > 1 ? " to " + std::to_string(n - 1) : std::string()) + ")");
                alternative.clear();
            } else if (const std::string computed = auditChainValue(previous, e);
                       stored != computed &&
                       (alternative.empty() || stored != auditChainValue(alternative, e))) {
                broken(P::Edited, e.seq,
                       seqText + " does not hash to its chain value: it was changed after it "
                                 "was written, or a record before it was replaced");
                // Its content or its chain value was changed: the next record follows from
                // the stored value in the first case, from the computed one in the second.
                alternative = computed;
            } else {
                alternative.clear();
            }
            if (n > recorded.count && firstBeyond == 0)
                firstBeyond = e.seq;
            // Go on from what the row says, so one break is reported once, not at every row
            // after it.
            previous = stored;
            number = n;
            lastSeq = e.seq;
        }
        if (number < recorded.count) {
            broken(P::Removed, lastSeq,
                   std::to_string(recorded.count - number) + " newest audit record(s) after " +
                       (lastSeq ? "seq " + std::to_string(lastSeq) : std::string("the anchor")) +
                       " are missing: the store counted " + std::to_string(recorded.count));
        } else if (number > recorded.count) {
            broken(P::Appended, firstBeyond,
                   std::to_string(number - recorded.count) + " audit record(s) from seq " +
                       std::to_string(firstBeyond) + " on are beyond the " +
                       std::to_string(recorded.count) +
                       " the store counted: written beside the event store");
        } else if (previous != recorded.head) {
            broken(P::HeadMismatch, lastSeq,
                   "the chain ends at " + hexOf(previous).substr(0, 16) +
                       "..., not at the head the store recorded (" + v.head.substr(0, 16) +
                       "...): the newest records were replaced or the chain recomputed");
        }
        return v;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::int64_t> EventStore::removeOlderThan(Millis time)
{
    try {
        // Times need not rise with seq (the console's history holds other servers' times, and
        // clocks step back), but the chain can only lose a prefix: audit records go up to the
        // first one that is new enough, and older ones after it wait for a later pass.
        Statement firstKept =
            m_impl->db.prepare(std::string("SELECT seq FROM events WHERE ") + kAuditRows +
                                   " AND time >= ? ORDER BY seq LIMIT 1",
                               "removing old events");
        firstKept.bind(1, time);
        const std::int64_t keepFrom =
            firstKept.step() ? firstKept.columnInt(0) : std::numeric_limits<std::int64_t>::max();
        firstKept.reset();
        const std::string condition =
            std::string("time < ? AND (seq < ? OR NOT (") + kAuditRows + "))";
        return m_impl->text->remove(
            condition,
            [&](Statement &s) {
                s.bind(1, time).bind(2, keepFrom);
                return 3;
            },
            [&] {
                store::Transaction tx(m_impl->db, "removing old events");
                anchorBefore(m_impl->db, keepFrom);
                Statement s = m_impl->db.prepare("DELETE FROM events WHERE " + condition,
                                                 "removing old events");
                s.bind(1, time).bind(2, keepFrom);
                s.run();
                const std::int64_t removed = m_impl->db.changes();
                tx.commit();
                return removed;
            });
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::int64_t> EventStore::keepNewest(std::int64_t rows)
{
    try {
        // The newest row to go: the one just older than the `rows` newest.
        Statement find = m_impl->db.prepare(
            "SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?", "trimming the event log");
        find.bind(1, std::max<std::int64_t>(rows, 0));
        if (!find.step())
            return std::int64_t{0};
        const std::int64_t newestGone = find.columnInt(0);
        find.reset();
        return m_impl->text->remove(
            "seq <= ?",
            [&](Statement &s) {
                s.bind(1, newestGone);
                return 2;
            },
            [&] {
                store::Transaction tx(m_impl->db, "trimming the event log");
                anchorBefore(m_impl->db, newestGone + 1);
                Statement s = m_impl->db.prepare("DELETE FROM events WHERE seq <= ?",
                                                 "trimming the event log");
                s.bind(1, newestGone);
                s.run();
                const std::int64_t removed = m_impl->db.changes();
                tx.commit();
                return removed;
            });
    } catch (const StoreError &e) {
        return e.toError();
    }
}

Result<std::string> EventStore::explainQuery(const EventFilter &filter,
                                             const PageRequest &page) const
{
    try {
        Where w;
        const std::string sql = "EXPLAIN QUERY PLAN " + pageSql(filter, page, w);
        Statement s = m_impl->reader(filter, false).prepare(sql, "explaining an event query");
        const int next = w.bindAll(s);
        s.bind(next, clampLimit(page.limit));
        std::string plan;
        while (s.step())
            plan += s.columnText(3) + "\n";
        return plan;
    } catch (const StoreError &e) {
        return e.toError();
    }
}

} // namespace hostsec
