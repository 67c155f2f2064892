#include "ui/eventmodel.h"

#include "ui/format.h"

#include <QBrush>
#include <QtDebug>

#include <algorithm>
#include <climits>

namespace hostsec::ui {

namespace {

constexpr int GrowthCoalesceMs = 250; // history growth is shown at most this often
constexpr std::size_t MaxAnchors = 8192;
constexpr int MaxSeekSteps = 80;

EventCursor cursorOf(const Event &e)
{
    return EventCursor{e.time, e.seq};
}

} // namespace

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_growthTimer.setSingleShot(true);
    m_growthTimer.setInterval(GrowthCoalesceMs);
    connect(&m_growthTimer, &QTimer::timeout, this, &EventModel::applyGrowth);
}

EventModel::~EventModel() = default;

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
    clearPages();
    takeSnapshot();
    m_count = countOf(shownFilter());
    m_pending = 0;
    endResetModel();
    Q_EMIT countChanged(m_count);
    Q_EMIT pendingRowsChanged(m_pending);
    return true;
}

void EventModel::close()
{
    beginResetModel();
    m_store.reset();
    clearPages();
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
        m_count = countOf(shownFilter());
    }
    m_pending = 0;
    endResetModel();
    Q_EMIT countChanged(m_count);
    Q_EMIT pendingRowsChanged(m_pending);
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
    takeSnapshot();
    const qint64 count = countOf(shownFilter());
    const int oldRows = rowCount();
    if (count < m_count || oldRows == INT_MAX) {
        reload();
        return;
    }
    const int newRows = static_cast<int>(std::min<qint64>(count, INT_MAX));
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
            if (auto r = m_store->query(f, request); r && static_cast<int>(r->size()) == want) {
                m_fetched += static_cast<qint64>(r->size());
                events = std::move(r.value());
                found = true;
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
    int remaining = skip + want;
    while (remaining > 0) {
        PageRequest request;
        request.before = before;
        request.limit = std::min(remaining, EventStore::MaxPageSize);
        auto r = m_store->query(filter, request);
        if (!r) {
            qWarning("hostsec-console: reading history failed: %s", r.error().message.c_str());
            break;
        }
        m_fetched += static_cast<qint64>(r->size());
        for (Event &e : r.value()) {
            if (skip > 0)
                --skip;
            else
                out.push_back(std::move(e));
        }
        if (static_cast<int>(r->size()) < request.limit)
            break;
        remaining -= request.limit;
        before = out.empty() ? cursorOf(r->back()) : cursorOf(out.back());
    }
    return out;
}

// Finds a keyset cursor for a far row without reading the rows above it. N(t), the number of
// matching events at or after time t, falls as t rises; the row's time is the t where N(t)
// passes the row number. Interpolation (times are roughly even) alternating with bisection
// finds it in a few count() calls; the rows sharing that millisecond are skipped by reading.
bool EventModel::seekByTime(const EventFilter &filter, int row, std::optional<EventCursor> &before,
                            int &skip) const
{
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
    Millis lo = bottom->front().time; // N(lo) > row
    qint64 nLo = m_count;
    Millis hi = top->front().time + 1; // N(hi) <= row
    qint64 nHi = 0;
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
        EventFilter f = filter;
        f.from = std::max(f.from, mid);
        const qint64 n = countOf(f);
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
