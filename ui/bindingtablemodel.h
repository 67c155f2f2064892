#pragma once

#include "model/domain.h"

#include <QAbstractTableModel>

#include <vector>

namespace hostsec::ui {

/// Every binding of the domain: id, ends, state, policy, last error and call history.
class BindingTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        IdColumn,
        FromColumn,
        ToColumn,
        StateColumn,
        PolicyColumn,
        LastErrorColumn,
        LastSuccessColumn,
        LastFailureColumn,
        FailuresColumn,
        ColumnCount
    };
    enum Role
    {
        BindingIdRole = Qt::UserRole + 1, // the binding's id, in every column
        SortRole,                         // a value that sorts the column naturally
        StateRole                         // the BindingState as int
    };

    /// An empty model.
    explicit BindingTableModel(QObject *parent = nullptr);

    /// Replaces the rows: bindings that stay are updated in place, new ones appended.
    void setBindings(const std::vector<Binding> &bindings);
    /// The binding on `row`, or nullptr.
    const Binding *bindingAt(int row) const;
    /// The row of a binding id, or -1.
    int rowOf(const QString &id) const;
    /// Repaints every text (after a language switch).
    void refreshTexts();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Binding> m_rows;
};

} // namespace hostsec::ui
