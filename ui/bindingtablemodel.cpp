#include "ui/bindingtablemodel.h"

#include "ui/format.h"
#include "ui/session.h"

#include <QBrush>
#include <QHash>

#include <algorithm>

namespace hostsec::ui {

BindingTableModel::BindingTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void BindingTableModel::setBindings(const std::vector<Binding> &bindings)
{
    // By id, so a domain's thousand bindings cost a thousand look-ups, not a million compares.
    QHash<QString, const Binding *> incoming;
    incoming.reserve(static_cast<qsizetype>(bindings.size()));
    for (const Binding &b : bindings)
        incoming.insert(QString::fromStdString(b.id), &b);
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(QString::fromStdString(m_rows[static_cast<std::size_t>(row)].id))) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
    QHash<QString, int> rows;
    rows.reserve(static_cast<qsizetype>(m_rows.size()));
    for (std::size_t row = 0; row < m_rows.size(); ++row)
        rows.insert(QString::fromStdString(m_rows[row].id), static_cast<int>(row));
    // Rows that changed are announced as one range: one dataChanged, not one per row.
    int first = -1;
    int last = -1;
    std::vector<Binding> added;
    for (const Binding &b : bindings) {
        const auto it = rows.constFind(QString::fromStdString(b.id));
        if (it == rows.cend()) {
            added.push_back(b);
            continue;
        }
        Binding &row = m_rows[static_cast<std::size_t>(*it)];
        if (sameBinding(row, b))
            continue;
        row = b;
        first = first < 0 ? *it : std::min(first, *it);
        last = std::max(last, *it);
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (!added.empty()) {
        const int at = static_cast<int>(m_rows.size());
        beginInsertRows({}, at, at + static_cast<int>(added.size()) - 1);
        std::move(added.begin(), added.end(), std::back_inserter(m_rows));
        endInsertRows();
    }
}

const Binding *BindingTableModel::bindingAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size())
               ? &m_rows[static_cast<std::size_t>(row)]
               : nullptr;
}

int BindingTableModel::rowOf(const QString &id) const
{
    const std::string key = id.toStdString();
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].id == key)
            return static_cast<int>(row);
    }
    return -1;
}

void BindingTableModel::refreshTexts()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int BindingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int BindingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BindingTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Binding &b = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case BindingIdRole:
        return QString::fromStdString(b.id);
    case StateRole:
        return static_cast<int>(b.state);
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case IdColumn:
            return QString::fromStdString(b.id);
        case FromColumn:
            return QString::fromStdString(b.fromServer);
        case ToColumn:
            return QString::fromStdString(b.toServer);
        case StateColumn:
            return role == SortRole ? QVariant(static_cast<int>(b.state))
                                    : QVariant(Format::bindingState(b.state));
        case PolicyColumn:
            return Format::rebindPolicy(b.policy);
        case LastErrorColumn:
            return role == SortRole ? QVariant(b.lastError)
                                    : QVariant(Format::rpcStatusShort(b.lastError));
        case LastSuccessColumn:
            return role == SortRole ? QVariant(qint64(b.lastSuccess))
                                    : QVariant(Format::time(b.lastSuccess));
        case LastFailureColumn:
            return role == SortRole ? QVariant(qint64(b.lastFailure))
                                    : QVariant(Format::time(b.lastFailure));
        case FailuresColumn:
            return b.consecutiveFailures;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return Format::bindingStateIcon(b.state);
        return {};
    case Qt::ForegroundRole:
        // An error from before the binding was bound again is history: shown, but muted.
        if (index.column() == LastErrorColumn && b.state == BindingState::Bound)
            return QBrush(Qt::gray);
        if (index.column() == StateColumn && b.state != BindingState::Bound &&
            b.state != BindingState::Unbound)
            return QBrush(Format::bindingStateColor(b.state).darker(115));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == FailuresColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == LastErrorColumn && b.lastError != rpc::Success)
            return Format::rpcStatusLong(b.lastError);
        return tr("%1\nstring binding: %2\npeer instance: %3")
            .arg(QString::fromStdString(b.id), QString::fromStdString(b.stringBinding()),
                 QString::fromStdString(b.peerInstance));
    }
    return {};
}

QVariant BindingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Binding");
    case FromColumn:
        return tr("From");
    case ToColumn:
        return tr("To");
    case StateColumn:
        return tr("State");
    case PolicyColumn:
        return tr("Policy");
    case LastErrorColumn:
        return tr("Last error");
    case LastSuccessColumn:
        return tr("Last success");
    case LastFailureColumn:
        return tr("Last failure");
    case FailuresColumn:
        return tr("Failures");
    }
    return {};
}

} // namespace hostsec::ui
