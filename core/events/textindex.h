#pragma once

// The full-text index of an EventStore, kept off the ingest path (internal to core/events).
//
// The events table and its B-tree indexes live in the store's file; the FTS5 index of their
// messages lives in a second file beside it (`<store>-fts`), filled by a worker thread behind
// the committed rows. Two files have two write locks, so the second core indexes text while
// the first appends, and an append never waits for tokenising. A text query first brings the
// index up to every committed row (catchUp), so it never misses an event the store holds.
//
// The index is contentless (it keeps no copy of the messages): rowid = the event's seq, which
// the store never reuses, so a row the index holds but the store lost (a crash between the two
// files' commits) can only be a harmless extra that no query joins. Retention deletes the
// removed rows' words from the index first, in one transaction on the index file that ends
// after the store's delete commits.

#include "store/database.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace hostsec::events {

class TextIndex
{
public:
    /// The index file for the store at `storePath` ("" for a store without one).
    static std::string pathFor(const std::string &storePath);

    /// Opens (creating and migrating) the index file of the store at `storePath`, whose
    /// identity is `storeId`: an index built for another file, or ahead of the store (a store
    /// restored from a backup), is emptied and rebuilt. Throws store::StoreError.
    TextIndex(const std::string &storePath, std::int64_t storeId, std::int64_t storeHighSeq);
    /// Stops the worker (rows not yet indexed are indexed by the next catchUp, at any open).
    ~TextIndex();
    TextIndex(const TextIndex &) = delete;
    TextIndex &operator=(const TextIndex &) = delete;

    /// Rows were committed: the worker indexes them soon (started at the first call).
    void notify();
    /// Indexes every committed row not indexed yet, now. Throws store::StoreError.
    void catchUp();
    /// Removes rows from the index and then from the store, in that order, holding the index's
    /// write lock throughout: `condition` selects them ("time < ?"; `bind` binds its values on
    /// the statement reading them and returns the next free index), `removeFromStore` deletes
    /// the same rows from the store and returns how many went. Throws store::StoreError;
    /// nothing is removed from the index unless the store's delete committed.
    std::int64_t remove(const std::string &condition,
                        const std::function<int(store::Statement &)> &bind,
                        const std::function<std::int64_t()> &removeFromStore);

    /// The highest seq indexed (for tests and the benchmark).
    std::int64_t indexedUpTo();

private:
    void catchUpLocked();
    void run();

    std::mutex m_mutex;      // the two connections below
    store::Database m_index; // the FTS5 file, written
    store::Database m_store; // the store's file, read
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_dirty = false;
    std::atomic<bool> m_stopping = false;
    std::thread m_worker;
};

} // namespace hostsec::events
