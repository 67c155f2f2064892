#pragma once

#include "ui/session.h"

#include <QAbstractTableModel>
#include <QList>

namespace hostsec::ui {

/// The servers of the domain, one row per agent: name, role, services, reachability,
/// instance id and uptime.
class ServerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        RoleColumn,
        ServicesColumn,
        ReachableColumn,
        InstanceColumn,
        UptimeColumn,
        CertificateColumn,
        ColumnCount
    };
    enum Role
    {
        NameRole = Qt::UserRole + 1, // the server's name, in every column
        SortRole                     // a value that sorts the column naturally
    };

    /// An empty model.
    explicit ServerTableModel(QObject *parent = nullptr);

    /// Replaces the rows, keeping rows whose server stays (updated in place).
    void setAgents(const QList<AgentState> &agents);
    /// The agent on `row`, or nullptr.
    const AgentState *agentAt(int row) const;
    /// The row of the named server, or -1.
    int rowOf(const QString &name) const;
    /// Repaints texts that depend on the language or the clock (uptime).
    void refreshTexts();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AgentState> m_rows;
};

} // namespace hostsec::ui
