#include "events/textindex.h"

#include <cstdio>
#include <vector>

namespace hostsec::events {

using store::Database;
using store::Statement;
using store::StoreError;

namespace {

constexpr int kCatchUpBatch = 20000; // rows per index transaction

Database openOrThrow(const std::string &path, const store::OpenOptions &options, const char *what)
{
    auto db = Database::open(path, options);
    if (!db)
        throw StoreError(db.error().code, std::string(what) + ": " + db.error().message);
    return std::move(*db);
}

// Version 1: a contentless FTS5 table (words and rowids only, no positions: word and prefix
// look-ups) and the index's state: which store it indexes and up to which seq.
const std::vector<store::Migration> &migrations()
{
    static const std::vector<store::Migration> all = {
        {1, "full-text index",
         [](Database &db) {
             db.exec(R"(
                CREATE VIRTUAL TABLE events_fts USING fts5(
                    message, content='', tokenize='unicode61', detail=none, columnsize=0);
                CREATE TABLE state(
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    store_id INTEGER NOT NULL,
                    indexed_upto INTEGER NOT NULL);
                INSERT INTO state VALUES (1, 0, 0);
             )",
                     "creating the full-text index");
         }},
    };
    return all;
}

} // namespace

std::string TextIndex::pathFor(const std::string &storePath)
{
    return storePath + "-fts";
}

TextIndex::TextIndex(const std::string &storePath, std::int64_t storeId, std::int64_t storeHighSeq)
    : m_index(openOrThrow(pathFor(storePath), {.cacheMiB = 16}, "full-text index"))
    , m_store(openOrThrow(storePath, {.create = false, .wal = false, .cacheMiB = 8},
                          "event store (text indexer)"))
{
    store::migrate(m_index, "full-text index", migrations());
    store::Transaction tx(m_index, "checking the full-text index");
    Statement s = m_index.prepare("SELECT store_id, indexed_upto FROM state",
                                  "reading the full-text index's state");
    s.step();
    const std::int64_t id = s.columnInt(0);
    const std::int64_t upTo = s.columnInt(1);
    s.reset();
    if (id != storeId || upTo > storeHighSeq) {
        // Built for another file, or ahead of this one: start again from the first row.
        m_index.exec("INSERT INTO events_fts(events_fts) VALUES ('delete-all')",
                     "emptying the full-text index");
        Statement reset = m_index.prepare("UPDATE state SET store_id = ?, indexed_upto = 0",
                                          "resetting the full-text index");
        reset.bind(1, storeId).run();
    }
    tx.commit();
}

TextIndex::~TextIndex()
{
    {
        std::lock_guard lock(m_wakeMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable())
        m_worker.join();
}

void TextIndex::notify()
{
    {
        std::lock_guard lock(m_wakeMutex);
        m_dirty = true;
        if (!m_worker.joinable())
            m_worker = std::thread([this] { run(); });
    }
    m_wake.notify_one();
}

void TextIndex::run()
{
    for (;;) {
        {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait(lock, [this] { return m_dirty || m_stopping; });
            if (m_stopping)
                return;
            m_dirty = false;
        }
        try {
            std::lock_guard lock(m_mutex);
            catchUpLocked();
        } catch (const StoreError &e) {
            // The next text query catches up itself and reports the error to its caller.
            std::fprintf(stderr, "event store: indexing event texts: %s\n", e.what());
        }
    }
}

void TextIndex::catchUp()
{
    std::lock_guard lock(m_mutex);
    catchUpLocked();
}

std::int64_t TextIndex::indexedUpTo()
{
    std::lock_guard lock(m_mutex);
    Statement s = m_index.prepare("SELECT indexed_upto FROM state", "reading the index state");
    s.step();
    return s.columnInt(0);
}

void TextIndex::catchUpLocked()
{
    Statement read = m_store.prepare("SELECT seq, message FROM events WHERE seq > ? ORDER BY seq "
                                     "LIMIT ?",
                                     "reading events to index");
    Statement insert = m_index.prepare("INSERT INTO events_fts(rowid, message) VALUES (?, ?)",
                                       "indexing an event's text");
    for (;;) {
        store::Transaction tx(m_index, "indexing event texts");
        Statement state = m_index.prepare("SELECT indexed_upto FROM state",
                                          "reading the full-text index's state");
        state.step();
        std::int64_t upTo = state.columnInt(0);
        state.reset();
        read.bind(1, upTo).bind(2, kCatchUpBatch);
        int rows = 0;
        while (read.step()) {
            upTo = read.columnInt(0);
            insert.bind(1, upTo).bind(2, read.columnText(1)).run();
            ++rows;
        }
        read.reset();
        if (rows == 0)
            return; // the transaction rolls back: nothing changed
        m_index.prepare("UPDATE state SET indexed_upto = ?", "recording the indexed rows")
            .bind(1, upTo)
            .run();
        tx.commit();
        if (rows < kCatchUpBatch || m_stopping)
            return; // a closing store leaves the rest to the next catchUp
    }
}

std::int64_t TextIndex::remove(const std::string &condition,
                               const std::function<int(Statement &)> &bind,
                               const std::function<std::int64_t()> &removeFromStore)
{
    std::lock_guard lock(m_mutex);
    catchUpLocked();
    // The index's write lock is held from here until the store's delete has committed, so no
    // other indexer sees the rows half gone.
    store::Transaction tx(m_index, "removing event texts");
    Statement state =
        m_index.prepare("SELECT indexed_upto FROM state", "reading the full-text index's state");
    state.step();
    const std::int64_t upTo = state.columnInt(0);
    state.reset();
    Statement read =
        m_store.prepare("SELECT seq, message FROM events WHERE " + condition + " AND seq <= ?",
                        "reading the events to remove");
    read.bind(bind(read), upTo);
    Statement forget = m_index.prepare(
        "INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', ?, ?)",
        "removing an event's text from the index");
    while (read.step())
        forget.bind(1, read.columnInt(0)).bind(2, read.columnText(1)).run();
    read.reset();
    const std::int64_t removed = removeFromStore();
    tx.commit();
    return removed;
}

} // namespace hostsec::events
