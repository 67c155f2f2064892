#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QSplitter;
class QTableView;
class QTextBrowser;

namespace hostsec::ui {

class EventFilterBar;
class EventModel;

/// The events dock: filter bar, the lazily paged history table, live tail and a detail pane
/// with the full message, its parameters, the catalogue's explanation and any RPC status.
class EventsPane : public QWidget
{
    Q_OBJECT
public:
    /// A pane with no history open.
    explicit EventsPane(QWidget *parent = nullptr);

    /// Opens the history database (its own read connection).
    bool openHistory(const QString &path, QString *error = nullptr);
    /// The servers offered in the filter bar.
    void setServers(const QStringList &servers);
    /// Live tail on: new events appear at the top as they arrive.
    void setLiveTail(bool on);

    EventModel *model() const { return m_model; }
    EventFilterBar *filterBar() const { return m_filterBar; }
    QTableView *table() const { return m_table; }
    QSplitter *splitter() const { return m_splitter; }
    /// The detail pane's plain text (tests).
    QString detailText() const;

public Q_SLOTS:
    /// The history grew (from the session).
    void historyGrew();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateCounts();
    void showDetail();

    EventFilterBar *m_filterBar;
    EventModel *m_model;
    QCheckBox *m_liveTail;
    QLabel *m_counts;
    QTableView *m_table;
    QTextBrowser *m_detail;
    QSplitter *m_splitter;
};

} // namespace hostsec::ui
