#include "ui/brokenwatch.h"

#include "ui/session.h"

#include <QDateTime>

namespace hostsec::ui {

BrokenBindingWatch::BrokenBindingWatch(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &BrokenBindingWatch::check);
    connect(m_session, &Session::bindingsChanged, this, &BrokenBindingWatch::check);
    m_timer.start();
}

void BrokenBindingWatch::setThreshold(qint64 ms)
{
    m_thresholdMs = ms;
    check();
}

void BrokenBindingWatch::check()
{
    const Millis now = QDateTime::currentMSecsSinceEpoch();
    QSet<QString> stillBroken;
    for (const Binding &b : m_session->domain().bindings) {
        if (b.state != BindingState::Stale && b.state != BindingState::Failed)
            continue;
        // Broken since it entered its present state (the newest transition into it).
        Millis since = b.lastFailure;
        for (auto t = b.timeline.rbegin(); t != b.timeline.rend(); ++t) {
            if (t->to == b.state) {
                since = t->time;
                break;
            }
        }
        if (since == 0)
            continue;
        const QString key =
            QString::fromStdString(b.id) + QLatin1Char('\n') + QString::number(since);
        stillBroken.insert(key);
        if (now - since < m_thresholdMs || m_reported.contains(key))
            continue;
        m_reported.insert(key);
        Q_EMIT brokenTooLong(QString::fromStdString(b.id),
                             QString::fromLatin1(toString(b.state).data(),
                                                 static_cast<int>(toString(b.state).size())),
                             since);
    }
    m_reported.intersect(stillBroken); // a recovered binding is reported again if it breaks
}

} // namespace hostsec::ui
