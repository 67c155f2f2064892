#pragma once

#include "ui/session.h"

#include <QAbstractTableModel>

#include <functional>
#include <vector>

namespace hostsec::ui {

/// The user mappings of the primary host account cache, fetched a keyset page at a time as
/// the view scrolls (canFetchMore / fetchMore), filtered by sync state and text on the agent.
class UserTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        DomainAccountColumn,
        HostAccountColumn,
        HostDomainColumn,
        SyncStateColumn,
        LastChangeColumn,
        LastStatusColumn,
        ColumnCount
    };
    enum Role
    {
        AccountRole = Qt::UserRole + 1 // the domain account, in every column
    };

    /// Fetches one page; calls `done` exactly once, now or later, on the GUI thread.
    using PageFetcher =
        std::function<void(const UsersQuery &, std::function<void(const Result<UsersPage> &)>)>;

    /// A model that asks `fetcher` for pages of `pageSize` rows.
    explicit UserTableModel(PageFetcher fetcher, int pageSize = 200, QObject *parent = nullptr);

    /// Starts over with another filter: `state` "" for any or "failed", ...; `text` substring.
    void setFilter(const QString &state, const QString &text);
    /// Starts over with the same filter (after a resync, say).
    void reload();
    /// The mapping on `row`, or nullptr.
    const UserMapping *userAt(int row) const;
    /// Whether a page request is under way.
    bool isLoading() const { return m_loading; }
    /// The last fetch error ("" when the last fetch succeeded).
    QString lastError() const { return m_error; }
    /// Repaints every text (after a language switch).
    void refreshTexts();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    /// A page arrived or failed; `error` is "" on success.
    void pageLoaded(const QString &error);

private:
    PageFetcher m_fetcher;
    int m_pageSize;
    QString m_state;
    QString m_text;
    std::vector<UserMapping> m_rows;
    QString m_next;       // cursor of the next page
    bool m_atEnd = false; // the last page arrived
    bool m_loading = false;
    int m_request = 0; // answers to older requests are ignored
    QString m_error;
};

} // namespace hostsec::ui
