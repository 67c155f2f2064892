#include "ui/servertablemodel.h"

#include "ui/format.h"

#include <QBrush>
#include <QIcon>

namespace hostsec::ui {

ServerTableModel::ServerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ServerTableModel::setAgents(const QList<AgentState> &agents)
{
    // Rows that went away, from the bottom so earlier row numbers stay right.
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
        const bool stays = std::any_of(agents.begin(), agents.end(), [&](const AgentState &a) {
            return a.name == m_rows[row].name;
        });
        if (!stays) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const AgentState &a : agents) {
        const int row = rowOf(a.name);
        if (row >= 0) {
            m_rows[row] = a;
            continue;
        }
        const int at = static_cast<int>(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.push_back(a);
        endInsertRows();
    }
    refreshTexts();
}

const AgentState *ServerTableModel::agentAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int ServerTableModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].name == name)
            return row;
    }
    return -1;
}

void ServerTableModel::refreshTexts()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0),
                           index(static_cast<int>(m_rows.size()) - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int ServerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ServerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AgentState &a = m_rows[index.row()];
    const bool known = !a.server.instanceId.empty();
    if (role == NameRole)
        return a.name;
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (index.column()) {
        case NameColumn:
            return a.name;
        case RoleColumn:
            return known ? Format::serverRole(a.server.role()) : QString();
        case ServicesColumn:
            return Format::services(a.server);
        case ReachableColumn:
            if (role == SortRole)
                return a.reachable ? 1 : 0;
            if (a.reachable)
                return tr("yes");
            if (a.unreachableSince.isValid())
                return tr("no, since %1")
                    .arg(a.unreachableSince.toString(QStringLiteral("hh:mm:ss")));
            return tr("connecting…");
        case InstanceColumn:
            return QString::fromStdString(a.server.instanceId);
        case UptimeColumn:
            if (role == SortRole)
                return a.uptimeNow();
            return a.reachable ? Format::duration(a.uptimeNow()) : QStringLiteral("-");
        }
        return {};
    }
    if (role == Qt::DecorationRole && index.column() == ReachableColumn) {
        if (a.reachable)
            return Format::bindingStateIcon(BindingState::Bound);
        return Format::bindingStateIcon(a.unreachableSince.isValid() ? BindingState::Failed
                                                                     : BindingState::Unbound);
    }
    if (role == Qt::ForegroundRole && !a.reachable && a.unreachableSince.isValid())
        return QBrush(Qt::gray);
    if (role == Qt::ToolTipRole) {
        if (!a.reachable && !a.lastError.isEmpty())
            return tr("%1 does not answer at %2: %3").arg(a.name, a.address, a.lastError);
        if (index.column() == InstanceColumn && !a.previousInstance.isEmpty())
            return tr("New instance since %1 (was %2)")
                .arg(a.instanceChangedAt.toString(QStringLiteral("hh:mm:ss")), a.previousInstance);
        return tr("%1 at %2, version %3")
            .arg(a.name, a.address, QString::fromStdString(a.server.version));
    }
    return {};
}

QVariant ServerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Server");
    case RoleColumn:
        return tr("Role");
    case ServicesColumn:
        return tr("Services");
    case ReachableColumn:
        return tr("Reachable");
    case InstanceColumn:
        return tr("Instance");
    case UptimeColumn:
        return tr("Uptime");
    }
    return {};
}

} // namespace hostsec::ui
