#include "ui/servertablemodel.h"

#include "diagnosis/diagnosis.h"
#include "ui/format.h"

#include <QBrush>
#include <QDateTime>
#include <QHash>
#include <QIcon>

#include <limits>

namespace hostsec::ui {

ServerTableModel::ServerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ServerTableModel::setAgents(const QList<AgentState> &agents)
{
    // By name, so 500 servers cost 500 look-ups, not 500 x 500 comparisons.
    QHash<QString, const AgentState *> incoming;
    incoming.reserve(agents.size());
    for (const AgentState &a : agents)
        incoming.insert(a.name, &a);
    // Rows that went away, from the bottom so earlier row numbers stay right.
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(m_rows[row].name)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    QHash<QString, int> rows;
    rows.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        rows.insert(m_rows[row].name, row);
    QList<AgentState> added;
    for (const AgentState &a : agents) {
        if (const auto it = rows.constFind(a.name); it != rows.cend())
            m_rows[*it] = a;
        else
            added.push_back(a);
    }
    if (!added.isEmpty()) { // one insert for all, as the first status of a domain brings them
        const int at = static_cast<int>(m_rows.size());
        beginInsertRows({}, at, at + static_cast<int>(added.size()) - 1);
        m_rows.append(added);
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

namespace {

// Within the window of the diagnosis' certificate-expiring rule.
bool certificateExpiresSoon(const AgentState &a)
{
    return a.reachable && a.certificateNotAfter.isValid() &&
           QDateTime::currentDateTimeUtc().msecsTo(a.certificateNotAfter) <=
               diagnosis::Options{}.certificateWarning;
}

} // namespace

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
        case CertificateColumn:
            if (role == SortRole)
                return a.certificateNotAfter.isValid() ? a.certificateNotAfter.toMSecsSinceEpoch()
                                                       : std::numeric_limits<qint64>::max();
            return a.certificateNotAfter.isValid()
                       ? a.certificateNotAfter.toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))
                       : QStringLiteral("-");
        }
        return {};
    }
    if (index.column() == CertificateColumn && certificateExpiresSoon(a)) {
        if (role == Qt::DecorationRole)
            return Format::severityIcon(Severity::Warning);
        if (role == Qt::ToolTipRole)
            return tr("The certificate %1 of %2 expires on %3 (in %4). Issue a new service "
                      "certificate, put it in place and send hostsecd SIGHUP.")
                .arg(a.certificate, a.name,
                     a.certificateNotAfter.toLocalTime().toString(
                         QStringLiteral("yyyy-MM-dd hh:mm")),
                     Format::duration(
                         QDateTime::currentDateTimeUtc().msecsTo(a.certificateNotAfter)));
    }
    if (role == Qt::ToolTipRole && index.column() == CertificateColumn &&
        a.certificateNotAfter.isValid())
        return tr("%1 serves the certificate %2, valid until %3.")
            .arg(a.name, a.certificate,
                 a.certificateNotAfter.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")));
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
    case CertificateColumn:
        return tr("Certificate until");
    }
    return {};
}

} // namespace hostsec::ui
