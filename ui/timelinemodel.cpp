#include "ui/timelinemodel.h"

#include "ui/format.h"

namespace hostsec::ui {

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TimelineModel::setTimeline(const std::vector<BindingTransition> &timeline)
{
    std::vector<BindingTransition> rows(timeline.rbegin(), timeline.rend());
    if (rows == m_rows)
        return;
    // Usually one transition was added at the top: insert it rather than resetting the view.
    const std::size_t added = rows.size() - std::min(rows.size(), m_rows.size());
    if (added > 0 && std::equal(m_rows.begin(), m_rows.end(),
                                rows.begin() + static_cast<std::ptrdiff_t>(added))) {
        beginInsertRows({}, 0, static_cast<int>(added) - 1);
        m_rows = std::move(rows);
        endInsertRows();
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void TimelineModel::refreshTexts()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BindingTransition &t = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn:
            return Format::time(t.time);
        case FromColumn:
            return Format::bindingState(t.from);
        case ToColumn:
            return Format::bindingState(t.to);
        case StatusColumn:
            return Format::rpcStatusShort(t.status);
        case ReasonColumn:
            return QString::fromStdString(t.reason);
        }
    } else if (role == Qt::DecorationRole) {
        if (index.column() == FromColumn)
            return Format::bindingStateIcon(t.from);
        if (index.column() == ToColumn)
            return Format::bindingStateIcon(t.to);
    } else if (role == Qt::ToolTipRole && t.status != rpc::Success) {
        return Format::rpcStatusLong(t.status);
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case FromColumn:
        return tr("From");
    case ToColumn:
        return tr("To");
    case StatusColumn:
        return tr("Status");
    case ReasonColumn:
        return tr("Reason");
    }
    return {};
}

} // namespace hostsec::ui
