#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QToolButton;

namespace hostsec::ui {

class OutboxModel;
class Session;
class UserTableModel;

/// The users dock: the primary cache's user mappings, paged as the table scrolls, filtered by
/// state and text; the selected user's pending changes (outbox) below.
class UsersPane : public QWidget
{
    Q_OBJECT
public:
    /// A pane reading from `session`.
    explicit UsersPane(Session *session, QWidget *parent = nullptr);

    UserTableModel *model() const { return m_model; }
    OutboxModel *outbox() const { return m_outbox; }
    QTableView *table() const { return m_table; }
    QSplitter *splitter() const { return m_splitter; }
    /// The domain accounts selected in the table.
    QStringList selectedUsers() const;

public Q_SLOTS:
    /// Reads the first page again (after connecting, after a resync).
    void reload();

Q_SIGNALS:
    /// The selected users changed.
    void selectionChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void applyFilter();
    void showOutbox();
    void updateStatus(const QString &error);

    Session *m_session;
    QComboBox *m_state;
    QLineEdit *m_text;
    QToolButton *m_reload;
    QLabel *m_status;
    UserTableModel *m_model;
    QTableView *m_table;
    QLabel *m_outboxTitle;
    OutboxModel *m_outbox;
    QTableView *m_outboxTable;
    QSplitter *m_splitter;
    QTimer m_debounce;
    QString m_outboxUser;
};

} // namespace hostsec::ui
