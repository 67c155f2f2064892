#include "ui/outboxmodel.h"

#include "ui/format.h"

namespace hostsec::ui {

OutboxModel::OutboxModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void OutboxModel::setEntries(std::vector<OutboxEntry> entries)
{
    beginResetModel();
    m_rows = std::move(entries);
    endResetModel();
}

void OutboxModel::refreshTexts()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int OutboxModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OutboxModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OutboxModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OutboxEntry &e = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ChangeColumn:
            return e.changeId;
        case KindColumn:
            return e.kind;
        case AgentColumn:
            return e.agent;
        case TargetColumn:
            return e.target;
        case CreatedColumn:
            return Format::time(e.created);
        case AttemptsColumn:
            return e.attempts;
        case LastAttemptColumn:
            return Format::time(e.lastAttempt);
        case LastStatusColumn:
            return Format::rpcStatusShort(e.lastStatus);
        }
    } else if (role == Qt::ToolTipRole && index.column() == LastStatusColumn &&
               e.lastStatus != rpc::Success) {
        return Format::rpcStatusLong(e.lastStatus);
    }
    return {};
}

QVariant OutboxModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case KindColumn:
        return tr("Kind");
    case AgentColumn:
        return tr("Outbox of");
    case TargetColumn:
        return tr("Target");
    case CreatedColumn:
        return tr("Created");
    case AttemptsColumn:
        return tr("Attempts");
    case LastAttemptColumn:
        return tr("Last attempt");
    case LastStatusColumn:
        return tr("Last status");
    }
    return {};
}

} // namespace hostsec::ui
