#include "ui/usertablemodel.h"

#include "ui/format.h"

#include <QBrush>
#include <QPointer>

namespace hostsec::ui {

UserTableModel::UserTableModel(PageFetcher fetcher, int pageSize, QObject *parent)
    : QAbstractTableModel(parent)
    , m_fetcher(std::move(fetcher))
    , m_pageSize(pageSize)
{}

void UserTableModel::setFilter(const QString &state, const QString &text)
{
    m_state = state;
    m_text = text;
    reload();
}

void UserTableModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_next.clear();
    m_atEnd = false;
    m_loading = false;
    m_error.clear();
    ++m_request;
    endResetModel();
}

const UserMapping *UserTableModel::userAt(int row) const
{
    return row >= 0 && row < rowCount() ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

void UserTableModel::refreshTexts()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int UserTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int UserTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool UserTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading && m_fetcher;
}

void UserTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    UsersQuery query;
    query.state = m_state;
    query.text = m_text;
    query.after = m_next;
    query.limit = m_pageSize;
    m_loading = true;
    const int request = m_request;
    QPointer<UserTableModel> self(this);
    m_fetcher(query, [self, request](const Result<UsersPage> &page) {
        UserTableModel *model = self.data(); // once: QPointer checks again at every ->
        if (!model || request != model->m_request)
            return;
        model->m_loading = false;
        if (!page) {
            model->m_error = QString::fromStdString(page.error().message);
            model->m_atEnd = true; // a retry starts over with reload()
            Q_EMIT model->pageLoaded(model->m_error);
            return;
        }
        model->m_error.clear();
        model->m_next = page->next;
        model->m_atEnd = page->next.isEmpty();
        if (!page->users.empty()) {
            const int first = model->rowCount();
            model->beginInsertRows({}, first, first + static_cast<int>(page->users.size()) - 1);
            model->m_rows.insert(model->m_rows.end(), page->users.begin(), page->users.end());
            model->endInsertRows();
        }
        Q_EMIT model->pageLoaded(QString());
    });
}

QVariant UserTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UserMapping &u = m_rows[static_cast<std::size_t>(index.row())];
    if (role == AccountRole)
        return QString::fromStdString(u.domainAccount);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case DomainAccountColumn:
            return QString::fromStdString(u.domainAccount);
        case HostAccountColumn:
            return QString::fromStdString(u.hostAccount);
        case HostDomainColumn:
            return QString::fromStdString(u.hostDomain);
        case SyncStateColumn:
            return Format::syncState(u.syncState);
        case LastChangeColumn:
            return Format::time(u.lastChange);
        case LastStatusColumn:
            return Format::rpcStatusShort(u.lastStatus);
        }
        return {};
    }
    if (role == Qt::ForegroundRole && index.column() == SyncStateColumn &&
        u.syncState != SyncState::InSync)
        return QBrush(Format::syncStateColor(u.syncState).darker(115));
    if (role == Qt::ToolTipRole && index.column() == LastStatusColumn &&
        u.lastStatus != rpc::Success)
        return Format::rpcStatusLong(u.lastStatus);
    return {};
}

QVariant UserTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case DomainAccountColumn:
        return tr("Domain account");
    case HostAccountColumn:
        return tr("Host account");
    case HostDomainColumn:
        return tr("Host domain");
    case SyncStateColumn:
        return tr("Sync state");
    case LastChangeColumn:
        return tr("Last change");
    case LastStatusColumn:
        return tr("Last status");
    }
    return {};
}

} // namespace hostsec::ui
