#pragma once

#include "events/eventstore.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QToolButton;

namespace hostsec::ui {

/// The events filter bar: server, source, event ids, severity, time range and text. Each
/// choice becomes part of an EventFilter that runs in SQL.
class EventFilterBar : public QWidget
{
    Q_OBJECT
public:
    /// A bar with every filter open.
    explicit EventFilterBar(QWidget *parent = nullptr);

    /// The servers offered in the server box.
    void setServers(const QStringList &servers);
    /// The filter the widgets describe now (relative periods end now).
    EventFilter filter() const;
    /// Opens every filter again.
    void clear();

Q_SIGNALS:
    /// The filter changed (typing is debounced).
    void filterChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void periodChanged();

    QComboBox *m_server;
    QComboBox *m_source;
    QLineEdit *m_ids;
    QComboBox *m_severity;
    QComboBox *m_period;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_until;
    QLineEdit *m_text;
    QToolButton *m_clear;
    QTimer m_debounce;
};

} // namespace hostsec::ui
