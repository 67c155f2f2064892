#pragma once

#include "model/time.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace hostsec::ui {

class Session;

/// Watches the session's bindings and says once when one has stayed stale or failed longer than
/// a threshold (the console shows it as a desktop notification). A binding that recovers and
/// breaks again is reported again.
class BrokenBindingWatch : public QObject
{
    Q_OBJECT
public:
    explicit BrokenBindingWatch(Session *session, QObject *parent = nullptr);

    /// How long a binding may stay broken before it is reported (default 5 minutes).
    void setThreshold(qint64 ms);
    qint64 threshold() const { return m_thresholdMs; }
    /// Checks every binding now (also done every few seconds and on every bindings change).
    void check();

Q_SIGNALS:
    /// `binding` has been `state` ("stale", "failed") since `since`, longer than the threshold.
    void brokenTooLong(const QString &binding, const QString &state, Millis since);

private:
    Session *m_session;
    qint64 m_thresholdMs = 5 * 60 * 1000;
    QTimer m_timer;
    QSet<QString> m_reported; // "binding id\nsince" of outages already reported
};

} // namespace hostsec::ui
