#include "events/eventstore.h"

#include "events/textindex.h"
#include "store/database.h"

#include <algorithm>
#include <cctype>

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
    };
    return all;
}

constexpr const char *kColumns =
    "seq, time, server, source, event_id, severity, params, param_count, message, origin_seq";

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

bool EventFilter::isEmpty() const
{
    return servers.empty() && sources.empty() && ids.empty() && severities.empty() && from == 0 &&
           until == 0 && text.empty();
}

std::string toFtsQuery(const std::string &text)
{
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty())
            return;
        if (!out.empty())
            out += ' ';
        out += '"';
        for (char c : word) {
            out += c;
            if (c == '"')
                out += '"';
        }
        out += "\"*";
        word.clear();
    };
    for (char c : text) {
        // Separators of the unicode61 tokenizer that a user may type between words.
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && !std::isalnum(u))
            flush();
        else
            word += c;
    }
    flush();
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
            "param_count, message, origin_seq) VALUES (?,?,?,?,?,?,?,?,?,?)",
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
                 std::move(high), std::move(setHigh), std::move(text), std::move(*reader)});
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
            s.run();
            if (m_impl->db.changes() > 0) {
                e.seq = ++seq;
                ++appended;
            } else {
                e.seq = 0;
            }
        }
        if (appended > 0)
            m_impl->setHighSeq.bind(1, seq).run();
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

Result<std::int64_t> EventStore::removeOlderThan(Millis time)
{
    try {
        return m_impl->text->remove(
            "time < ?",
            [&](Statement &s) {
                s.bind(1, time);
                return 2;
            },
            [&] {
                store::Transaction tx(m_impl->db, "removing old events");
                Statement s =
                    m_impl->db.prepare("DELETE FROM events WHERE time < ?", "removing old events");
                s.bind(1, time);
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
