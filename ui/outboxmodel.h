#pragma once

#include "ui/session.h"

#include <QAbstractTableModel>

#include <vector>

namespace hostsec::ui {

/// The password changes of one user still waiting in the agents' outboxes.
class OutboxModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ChangeColumn,
        KindColumn,
        AgentColumn,
        TargetColumn,
        CreatedColumn,
        AttemptsColumn,
        LastAttemptColumn,
        LastStatusColumn,
        ColumnCount
    };

    /// An empty model.
    explicit OutboxModel(QObject *parent = nullptr);

    /// Shows these pending changes.
    void setEntries(std::vector<OutboxEntry> entries);
    /// Repaints every text (after a language switch).
    void refreshTexts();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<OutboxEntry> m_rows;
};

} // namespace hostsec::ui
