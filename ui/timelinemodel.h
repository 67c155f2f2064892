#pragma once

#include "model/domain.h"

#include <QAbstractTableModel>

#include <vector>

namespace hostsec::ui {

/// One binding's state changes, newest first: time, from, to, status and reason.
class TimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        FromColumn,
        ToColumn,
        StatusColumn,
        ReasonColumn,
        ColumnCount
    };

    /// An empty timeline.
    explicit TimelineModel(QObject *parent = nullptr);

    /// Shows the binding's timeline (oldest first in the binding, newest first here).
    void setTimeline(const std::vector<BindingTransition> &timeline);
    /// Repaints every text (after a language switch).
    void refreshTexts();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<BindingTransition> m_rows; // newest first
};

} // namespace hostsec::ui
