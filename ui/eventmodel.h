#pragma once

#include "events/eventstore.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <list>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace hostsec::ui {

/// The console's event history as a table, newest first, read lazily from the history
/// EventStore: rowCount comes from EventStore::count (cached per filter), data() loads only the
/// keyset page that holds the row, and a bounded cache keeps the pages seen last. Filters run
/// in SQL. The table is never loaded whole. A far row (a jump down the scroll bar) is found by
/// time: after each reset a worker thread counts the rows of about a thousand time slices (the
/// row directory), so a jump then costs a few counts inside one slice and one page.
class EventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        SeverityColumn,
        ServerColumn,
        SourceColumn,
        IdColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role
    {
        SeqRole = Qt::UserRole + 1, // the history seq (qint64)
        EventIdRole,                // the catalogue id (int)
        SeverityRole                // the Severity as int
    };

    static constexpr int PageSize = 200;         // rows per keyset page
    static constexpr int MaxCachedPages = 24;    // pages kept in memory
    static constexpr int MaxWalkRows = 2000;     // beyond this, a far page is found by time
    static constexpr int DirectorySlices = 1024; // time slices of the row directory

    /// A model with no history open.
    explicit EventModel(QObject *parent = nullptr);
    ~EventModel() override;

    /// Opens its own connection to the history database at `path` (read on the GUI thread;
    /// the session writes on its own thread). Returns false with `error` set on failure.
    bool open(const QString &path, QString *error = nullptr);
    /// Closes the history; the table empties.
    void close();
    /// Whether a history is open.
    bool isOpen() const { return m_store != nullptr; }

    /// Shows only the events the filter matches (runs in SQL); resets the view.
    void setFilter(const EventFilter &filter);
    /// The current filter.
    const EventFilter &filter() const { return m_filter; }

    /// Live tail on: new events appear at the top as they arrive. Off: the table stays as it
    /// is and pendingRows() counts what is waiting.
    void setLiveTail(bool on);
    bool liveTail() const { return m_liveTail; }
    /// New events matching the filter that are not shown yet (live tail off).
    qint64 pendingRows() const { return m_pending; }

    /// The history grew: shows or counts the new events (coalesced to a few times a second).
    void historyGrew();
    /// Re-reads counts and pages now.
    void reload();

    /// The event on `row` (loading its page if needed), or nullptr.
    const Event *eventAt(int row) const;
    /// The row of an event held in a cached page, or -1.
    int cachedRowOf(std::int64_t seq) const;
    /// Every row matching the filter (may exceed rowCount's int range).
    qint64 totalCount() const { return m_count; }

    /// How many event rows were read from SQLite since the last reset: the tests' proof that
    /// the model reads only what is looked at.
    qint64 fetchedRows() const { return m_fetched; }
    void resetFetchedRows() { m_fetched = 0; }

    /// Repaints every text (after a language switch).
    void refreshTexts();

    /// Whether far rows of the current view are found through its row directory (false while
    /// it is being built, and for views too small or filtered by text, which do without).
    bool hasRowDirectory() const { return !m_directory.empty(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// The number of events waiting (live tail off) changed.
    void pendingRowsChanged(qint64 pending);
    /// The number of rows shown changed (filter, reload or live tail).
    void countChanged(qint64 count);
    /// The row directory of the current view is in place (far rows are found quickly).
    void rowDirectoryReady();

private:
    struct Page
    {
        std::vector<Event> events;
        std::list<int>::iterator lru;
    };

    // Where time T lies in the view: N = how many shown rows have time >= T.
    using TimeRank = std::pair<Millis, qint64>;

    EventFilter shownFilter() const;   // the user's filter bounded by the snapshot time
    EventFilter pendingFilter() const; // the user's filter, unbounded
    std::int64_t countOf(const EventFilter &filter) const;
    std::int64_t shownCount() const;
    void buildDirectory();
    void directoryBuilt(int build, Millis snapshot, std::vector<TimeRank> bounds);
    bool shiftDirectory(Millis oldSnapshot, qint64 added);
    Millis newestTime(const EventFilter &filter) const;
    void takeSnapshot();
    void applyGrowth();
    const Page *page(int index) const;
    bool loadPage(int index) const;
    std::vector<Event> readFrom(const EventFilter &filter, std::optional<EventCursor> before,
                                int skip, int want) const;
    bool seekByTime(const EventFilter &filter, int row, std::optional<EventCursor> &before,
                    int &skip) const;
    std::int64_t countBetween(const EventFilter &filter, Millis from, Millis until) const;
    void clearPages();

    std::unique_ptr<EventStore> m_store;
    EventFilter m_filter;
    Millis m_snapshotUntil = 0; // rows shown have time < this (0: nothing yet)
    qint64 m_count = 0;
    qint64 m_pending = 0;
    bool m_liveTail = true;
    QTimer m_growthTimer;

    mutable std::map<int, Page> m_pages;
    mutable std::list<int> m_lru;                 // most recent first
    mutable std::map<int, EventCursor> m_anchors; // row -> its (time, seq), from loaded pages
    mutable qint64 m_fetched = 0;

    struct DirectoryWorker;
    std::string m_path;
    std::vector<TimeRank> m_directory; // time slice bounds, newest first; empty while not built
    int m_directoryBuild = 0;          // the build whose answer is awaited
    bool m_directoryPending = false;   // it has not answered yet
    std::unique_ptr<DirectoryWorker> m_directoryWorker; // last: its thread stops first
};

} // namespace hostsec::ui
