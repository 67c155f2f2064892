#include "ui/eventmodel.h"

#include "ui/format.h"
#include "ui/taskthread.h"

#include <QBrush>
#include <QtDebug>

#include <algorithm>
#include <atomic>
#include <climits>
#include <iterator>
#include <tuple>

#include <sys/resource.h>
#include <unistd.h>

namespace hostsec::ui {

namespace {

constexpr int GrowthCoalesceMs = 250; // history growth is shown at most this often
constexpr std::size_t MaxAnchors = 8192;
constexpr int MaxSeekSteps = 80;
constexpr int DirectoryNice = 10; // the row directory's worker thread runs at this nice value

EventCursor cursorOf(const Event &e)
{
    return EventCursor{e.time, e.seq};
}

// The filter without its time range, for reads beside a keyset cursor: the view's range is
// applied to the rows read instead. With `time < ?` in the SQL, SQLite takes that bound for the
// index range and walks from the newest row to the cursor, which far down a history of a
// million events is most of the table (200 ms instead of 1 ms at row 500,000).
EventFilter withoutTimeRange(EventFilter f)
{
    f.from = 0;
    f.until = 0;
    return f;
}

bool inTimeRange(const EventFilter &f, const Event &e)
{
    return e.time >= f.from && (f.until == 0 || e.time < f.until);
}

} // namespace

/// Builds row directories off the GUI thread, on a connection of its own to the history.
struct EventModel::DirectoryWorker
{
    std::atomic<int> wanted{0};        // the newest build; older ones give up
    std::string storePath;             // worker thread only
    std::unique_ptr<EventStore> store; // worker thread only
    TaskThread thread;                 // last: joined while the rest is alive
};

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_growthTimer.setSingleShot(true);
    m_growthTimer.setInterval(GrowthCoalesceMs);
    connect(&m_growthTimer, &QTimer::timeout, this, &EventModel::applyGrowth);
}

EventModel::~EventModel()
{
    if (m_directoryWorker)
        ++m_directoryWorker->wanted; // a build under way gives up: the worker is joined next
}

bool EventModel::open(const QString &path, QString *error)
{
    auto store = EventStore::open(path.toStdString());
    if (!store) {
        if (error)
            *error = QString::fromStdString(store.error().message);
        return false;
    }
    beginResetModel();
    m_store = std::move(store.value());
    m_path = path.toStdString();
    clearPages();
    takeSnapshot();
    m_count = shownCount();
    m_pending = 0;
    endResetModel();
    Q_EMIT countChanged(m_count);
    Q_EMIT pendingRowsChanged(m_pending);
    buildDirectory();
    return true;
}

void EventModel::close()
{
    beginResetModel();
    m_store.reset();
    clearPages();
    m_directory.clear();
    m_directoryPending = false;
    if (m_directoryWorker)
        ++m_directoryWorker->wanted; // a build under way gives up
    m_count = 0;
    m_pending = 0;
    m_snapshotUntil = 0;
    endResetModel();
    Q_EMIT countChanged(m_count);
}

void EventModel::setFilter(const EventFilter &filter)
{
    m_filter = filter;
    reload();
}

void EventModel::reload()
{
    beginResetModel();
    clearPages();
    if (m_store) {
        takeSnapshot();
        m_count = shownCount();
    }
    m_pending = 0;
    endResetModel();
    Q_EMIT countChanged(m_count);
    Q_EMIT pendingRowsChanged(m_pending);
    buildDirectory();
}

void EventModel::setLiveTail(bool on)
{
    if (m_liveTail == on)
        return;
    m_liveTail = on;
    if (on)
        applyGrowth();
}

void EventModel::historyGrew()
{
    if (m_store && !m_growthTimer.isActive())
        m_growthTimer.start();
}

void EventModel::applyGrowth()
{
    if (!m_store)
        return;
    if (!m_liveTail) {
        const qint64 pending = std::max<qint64>(0, countOf(pendingFilter()) - m_count);
        if (pending != m_pending) {
            m_pending = pending;
            Q_EMIT pendingRowsChanged(m_pending);
        }
        return;
    }
    const Millis oldSnapshot = m_snapshotUntil;
    takeSnapshot();
    const qint64 count = shownCount();
    const int oldRows = rowCount();
    if (count < m_count || oldRows == INT_MAX) {
        reload();
        return;
    }
    const int newRows = static_cast<int>(std::min<qint64>(count, INT_MAX));
    const qint64 previousCount = m_count;
    if (newRows > oldRows) {
        // Newest first: what arrived goes on top. Pages shift by the inserted rows, so they
        // are read again.
        beginInsertRows({}, 0, newRows - oldRows - 1);
        clearPages();
        m_count = count;
        endInsertRows();
    } else {
        clearPages();
        m_count = count;
        if (oldRows > 0)
            Q_EMIT dataChanged(index(0, 0), index(oldRows - 1, ColumnCount - 1));
    }
    // A build under way is brought up to date when it answers (directoryBuilt).
    if (!m_directoryPending && !shiftDirectory(oldSnapshot, m_count - previousCount))
        buildDirectory();
    if (m_pending != 0) {
        m_pending = 0;
        Q_EMIT pendingRowsChanged(0);
    }
    Q_EMIT countChanged(m_count);
}

EventFilter EventModel::pendingFilter() const
{
    return m_filter;
}

EventFilter EventModel::shownFilter() const
{
    EventFilter f = m_filter;
    f.until = f.until > 0 ? std::min(f.until, m_snapshotUntil) : m_snapshotUntil;
    return f;
}

// The rows shown: the filter's events older than the snapshot. Without an end of its own the
// filter's count comes first and the events newer than the snapshot (few) are taken off, so an
// unfiltered view costs SQLite's count(*) of the table instead of a walk along the time index.
std::int64_t EventModel::shownCount() const
{
    if (m_filter.until > 0)
        return countOf(shownFilter());
    return countOf(m_filter) - countBetween(m_filter, m_snapshotUntil, 0);
}

// The filter's events with time in [from, until) (until 0: no end), within its own range.
std::int64_t EventModel::countBetween(const EventFilter &filter, Millis from, Millis until) const
{
    EventFilter f = filter;
    f.from = std::max(f.from, from);
    if (until > 0)
        f.until = f.until > 0 ? std::min(f.until, until) : until;
    if (f.until > 0 && f.from >= f.until)
        return 0;
    return countOf(f);
}

std::int64_t EventModel::countOf(const EventFilter &filter) const
{
    if (!m_store)
        return 0;
    auto n = m_store->count(filter);
    if (!n) {
        qWarning("hostsec-console: counting history events failed: %s", n.error().message.c_str());
        return 0;
    }
    return *n;
}

Millis EventModel::newestTime(const EventFilter &filter) const
{
    PageRequest top;
    top.limit = 1;
    auto r = m_store->query(filter, top);
    if (!r || r->empty())
        return 0;
    ++m_fetched;
    return r->front().time;
}

void EventModel::takeSnapshot()
{
    // Rows shown are the events older than a moment: rows stay put while new ones arrive,
    // until the next snapshot shows them on top.
    m_snapshotUntil = std::max<Millis>(newestTime(pendingFilter()) + 1, 1);
}

void EventModel::clearPages()
{
    m_pages.clear();
    m_lru.clear();
    m_anchors.clear();
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(std::min<qint64>(m_count, INT_MAX));
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const EventModel::Page *EventModel::page(int index) const
{
    auto it = m_pages.find(index);
    if (it == m_pages.end()) {
        if (!loadPage(index))
            return nullptr;
        it = m_pages.find(index);
    } else {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
    }
    return &it->second;
}

const Event *EventModel::eventAt(int row) const
{
    if (!m_store || row < 0 || row >= rowCount())
        return nullptr;
    const Page *p = page(row / PageSize);
    if (!p)
        return nullptr;
    const auto i = static_cast<std::size_t>(row % PageSize);
    return i < p->events.size() ? &p->events[i] : nullptr;
}

int EventModel::cachedRowOf(std::int64_t seq) const
{
    for (const auto &[index, p] : m_pages) {
        for (std::size_t i = 0; i < p.events.size(); ++i) {
            if (p.events[i].seq == seq)
                return index * PageSize + static_cast<int>(i);
        }
    }
    return -1;
}

bool EventModel::loadPage(int index) const
{
    const int rows = rowCount();
    const int start = index * PageSize;
    if (start >= rows)
        return false;
    const int want = std::min(PageSize, rows - start);
    const EventFilter f = shownFilter();

    std::vector<Event> events;
    std::optional<EventCursor> before;
    int skip = 0;
    bool found = false;
    if (start > 0) {
        if (auto above = m_anchors.find(start - 1); above != m_anchors.end()) {
            before = above->second; // the page below a loaded one
        } else if (auto below = m_anchors.find(start + want);
                   below != m_anchors.end() && start + want < rows) {
            // The page above a loaded one: the `want` events just newer than its first row.
            PageRequest request;
            request.after = below->second;
            request.limit = want;
            if (auto r = m_store->query(withoutTimeRange(f), request);
                r && static_cast<int>(r->size()) == want) {
                m_fetched += static_cast<qint64>(r->size());
                found = std::all_of(r->begin(), r->end(),
                                    [&f](const Event &e) { return inTimeRange(f, e); });
                if (found)
                    events = std::move(r.value());
            }
        }
        if (!found && !before) {
            // Walk down from the nearest known row above, if it is near; else find by time.
            auto near = m_anchors.lower_bound(start);
            if (near != m_anchors.begin()) {
                --near;
                if (start - near->first - 1 <= MaxWalkRows) {
                    before = near->second;
                    skip = start - near->first - 1;
                }
            }
            if (!before) {
                if (start <= MaxWalkRows)
                    skip = start;
                else if (!seekByTime(f, start, before, skip))
                    return false;
            }
        }
    }
    if (!found)
        events = readFrom(f, before, skip, want);
    if (events.empty())
        return false;

    if (m_anchors.size() > MaxAnchors)
        m_anchors.clear();
    m_anchors[start] = cursorOf(events.front());
    m_anchors[start + static_cast<int>(events.size()) - 1] = cursorOf(events.back());

    m_lru.push_front(index);
    Page &p = m_pages[index];
    p.events = std::move(events);
    p.lru = m_lru.begin();
    while (m_pages.size() > static_cast<std::size_t>(MaxCachedPages)) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
    return true;
}

std::vector<Event> EventModel::readFrom(const EventFilter &filter,
                                        std::optional<EventCursor> before, int skip, int want) const
{
    std::vector<Event> out;
    out.reserve(static_cast<std::size_t>(want));
    const EventFilter unbounded = withoutTimeRange(filter);
    int remaining = skip + want;
    while (remaining > 0) {
        PageRequest request;
        request.before = before;
        request.limit = std::min(remaining, EventStore::MaxPageSize);
        auto r = m_store->query(before ? unbounded : filter, request);
        if (!r) {
            qWarning("hostsec-console: reading history failed: %s", r.error().message.c_str());
            break;
        }
        m_fetched += static_cast<qint64>(r->size());
        bool ended = static_cast<int>(r->size()) < request.limit;
        for (Event &e : r.value()) {
            if (!inTimeRange(filter, e)) {
                ended = true; // older than the view's range: its end
                break;
            }
            if (skip > 0)
                --skip;
            else
                out.push_back(std::move(e));
        }
        if (ended)
            break;
        remaining -= request.limit;
        before = out.empty() ? cursorOf(r->back()) : cursorOf(out.back());
    }
    return out;
}

// Finds a keyset cursor for a far row without reading the rows above it. N(t), the number of
// shown events at or after time t, falls as t rises; the row's time is the t where N(t)
// passes the row number. The row directory, when built, gives the slice of time that holds the
// row; else the search starts from the oldest and the newest event. Interpolation (times are
// roughly even) alternating with bisection narrows it, each step counting the smaller side of
// the range only; the rows sharing the found millisecond are skipped by reading.
bool EventModel::seekByTime(const EventFilter &filter, int row, std::optional<EventCursor> &before,
                            int &skip) const
{
    Millis lo = 0; // N(lo) > row
    qint64 nLo = 0;
    Millis hi = 0; // N(hi) <= row
    qint64 nHi = 0;
    const auto slice =
        std::upper_bound(m_directory.begin(), m_directory.end(), static_cast<qint64>(row),
                         [](qint64 r, const TimeRank &bound) { return r < bound.second; });
    if (slice != m_directory.begin() && slice != m_directory.end()) {
        std::tie(lo, nLo) = *slice;
        std::tie(hi, nHi) = *std::prev(slice);
    } else {
        PageRequest newest;
        newest.limit = 1;
        PageRequest oldest;
        oldest.after = EventCursor{0, 0};
        oldest.limit = 1;
        auto top = m_store->query(filter, newest);
        auto bottom = m_store->query(filter, oldest);
        if (!top || !bottom || top->empty() || bottom->empty())
            return false;
        m_fetched += 2;
        lo = bottom->front().time;
        nLo = m_count;
        hi = top->front().time + 1;
        nHi = 0;
    }
    for (int step = 0; hi - lo > 1 && step < MaxSeekSteps; ++step) {
        Millis mid;
        if (step % 2 == 0 && nLo > nHi) {
            const long double fraction =
                (static_cast<long double>(nLo - row) - 0.5L) / static_cast<long double>(nLo - nHi);
            mid = lo + static_cast<Millis>(static_cast<long double>(hi - lo) * fraction);
        } else {
            mid = lo + (hi - lo) / 2;
        }
        mid = std::clamp(mid, lo + 1, hi - 1);
        // Count [lo, mid) or [mid, hi), whichever should hold fewer rows: a count reads them all.
        const long double share = static_cast<long double>(mid - lo) / (hi - lo);
        const qint64 n = share < 0.5L ? nLo - countBetween(filter, lo, mid)
                                      : nHi + countBetween(filter, mid, hi);
        if (n > row) {
            lo = mid;
            nLo = n;
        } else {
            hi = mid;
            nHi = n;
        }
    }
    before = EventCursor{hi, 0};
    skip = static_cast<int>(row - nHi);
    return skip >= 0;
}

// Counts the rows of DirectorySlices slices of the view's time range on the worker thread; the
// answer arrives with directoryBuilt. Views that a walk from the top serves, and text searches
// (every slice would run the search again), go without.
void EventModel::buildDirectory()
{
    m_directory.clear();
    m_directoryPending = false;
    if (m_directoryWorker)
        ++m_directoryWorker->wanted; // the view changed: a build under way gives up
    if (!m_store || m_count <= MaxWalkRows || !m_filter.text.empty())
        return;
    const EventFilter filter = shownFilter();
    PageRequest newest;
    newest.limit = 1;
    PageRequest oldest;
    oldest.after = EventCursor{0, 0};
    oldest.limit = 1;
    auto top = m_store->query(filter, newest);
    auto bottom = m_store->query(filter, oldest);
    if (!top || !bottom || top->empty() || bottom->empty())
        return;
    m_fetched += 2;
    const Millis high = top->front().time + 1;
    const Millis low = bottom->front().time;
    if (!m_directoryWorker)
        m_directoryWorker = std::make_unique<DirectoryWorker>();
    DirectoryWorker *worker = m_directoryWorker.get();
    const int build = ++worker->wanted;
    m_directoryBuild = build;
    m_directoryPending = true;
    const Millis snapshot = m_snapshotUntil;
    worker->thread.post([this, worker, build, snapshot, path = m_path, filter, high, low] {
        if (worker->wanted != build)
            return;
        if (!worker->store) {
            // Background work: it yields the CPU to the GUI and the network (Linux threads
            // have a nice value of their own).
            ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), DirectoryNice);
        }
        if (!worker->store || worker->storePath != path) {
            worker->store.reset();
            auto opened = EventStore::open(path);
            if (!opened) {
                qWarning("hostsec-console: the events view's row directory cannot open %s: %s",
                         path.c_str(), opened.error().message.c_str());
                return;
            }
            worker->store = std::move(opened.value());
            worker->storePath = path;
        }
        std::vector<TimeRank> bounds{{high, 0}};
        bounds.reserve(DirectorySlices + 1);
        qint64 above = 0;
        for (int i = 1; i <= DirectorySlices; ++i) {
            if (worker->wanted != build)
                return; // the view changed: its own build follows
            const Millis bound = low + (high - low) * (DirectorySlices - i) / DirectorySlices;
            if (bound >= bounds.back().first)
                continue; // a range of few milliseconds has fewer slices
            EventFilter f = filter;
            f.from = std::max(filter.from, bound);
            f.until = bounds.back().first;
            auto n = worker->store->count(f);
            if (!n)
                return;
            above += *n;
            bounds.emplace_back(bound, above);
        }
        // `this` only receives the answer: the worker is joined before the model goes.
        QMetaObject::invokeMethod(
            this,
            [this, build, snapshot, bounds = std::move(bounds)]() mutable {
                directoryBuilt(build, snapshot, std::move(bounds));
            },
            Qt::QueuedConnection);
    });
}

void EventModel::directoryBuilt(int build, Millis snapshot, std::vector<TimeRank> bounds)
{
    if (build != m_directoryBuild || !m_directoryPending || !m_store || bounds.empty())
        return;
    m_directoryPending = false;
    const qint64 counted = bounds.back().second;
    m_directory = std::move(bounds);
    // Live tail may have added rows since the build began: fine if all lie above its snapshot.
    if (counted != m_count && !shiftDirectory(snapshot, m_count - counted)) {
        buildDirectory(); // rows came in below: count again
        return;
    }
    Q_EMIT rowDirectoryReady();
}

// After live-tail growth: if every new row is newer than the old snapshot, each slice keeps its
// rows and only the rows above it grew; false when the directory must be built again.
bool EventModel::shiftDirectory(Millis oldSnapshot, qint64 added)
{
    if (m_directory.empty() || added < 0 ||
        countBetween(m_filter, oldSnapshot, m_snapshotUntil) != added)
        return false;
    for (TimeRank &bound : m_directory)
        bound.second += added;
    m_directory.insert(m_directory.begin(), TimeRank{m_snapshotUntil, 0});
    return true;
}

void EventModel::refreshTexts()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case Qt::DecorationRole:
    case Qt::ForegroundRole:
    case SeqRole:
    case EventIdRole:
    case SeverityRole:
        break;
    default:
        return {};
    }
    const Event *e = eventAt(index.row());
    if (!e)
        return {};
    switch (role) {
    case SeqRole:
        return QVariant::fromValue<qint64>(e->seq);
    case EventIdRole:
        return e->id;
    case SeverityRole:
        return static_cast<int>(e->severity);
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return Format::time(e->time);
        case SeverityColumn:
            return Format::severity(e->severity);
        case ServerColumn:
            return QString::fromStdString(e->server);
        case SourceColumn:
            return QString::fromStdString(e->source);
        case IdColumn:
            return e->id;
        case MessageColumn:
            return Format::eventMessage(*e);
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == SeverityColumn ? QVariant(Format::severityIcon(e->severity))
                                                : QVariant();
    case Qt::ForegroundRole:
        if (e->severity == Severity::Error || e->severity == Severity::AuditFailure)
            return QBrush(Format::bindingStateColor(BindingState::Failed).darker(120));
        return {};
    case Qt::ToolTipRole:
        return index.column() == MessageColumn ? QVariant(Format::eventMessage(*e)) : QVariant();
    }
    return {};
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SeverityColumn:
        return tr("Severity");
    case ServerColumn:
        return tr("Server");
    case SourceColumn:
        return tr("Source");
    case IdColumn:
        return tr("Event");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace hostsec::ui
