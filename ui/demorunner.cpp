#include "ui/demorunner.h"

#include "client/demodomain.h"
#include "ui/taskthread.h"

#include <QDir>
#include <QTemporaryDir>

namespace hostsec::ui {

DemoRunner::DemoRunner(QObject *parent)
    : QObject(parent)
{}

DemoRunner::~DemoRunner()
{
    if (m_dir && m_worker) {
        // Queued after start: a demo that is still starting is stopped once it has started.
        m_worker->post([dir = m_dir->path().toStdString()] {
            if (const Status st = client::DemoDomain::stop(dir); !st)
                qWarning("hostsec-console: stopping the demo domain: %s",
                         st.error().message.c_str());
        });
    }
    m_worker.reset(); // runs what is queued, then joins
    m_dir.reset();    // removes the folder
}

void DemoRunner::start(int users)
{
    if (m_dir)
        return;
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/hostsec-demo-XXXXXX"));
    if (!m_dir->isValid()) {
        const QString error = m_dir->errorString();
        m_dir.reset();
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                Q_EMIT failed(tr("Cannot create a folder for the demo domain: %1").arg(error));
            },
            Qt::QueuedConnection);
        return;
    }
    m_worker = std::make_unique<TaskThread>();
    const std::string dir = m_dir->path().toStdString();
    m_worker->post([this, dir, users] {
        Status st = client::DemoDomain::init(dir, users);
        if (st)
            st = client::DemoDomain::start(dir);
        const QString error = st ? QString() : QString::fromStdString(st.error().message);
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                if (error.isEmpty()) {
                    m_running = true;
                    Q_EMIT started(profilePath());
                } else {
                    Q_EMIT failed(tr("The demo domain did not start: %1").arg(error));
                }
            },
            Qt::QueuedConnection);
    });
}

QString DemoRunner::directory() const
{
    return m_dir ? m_dir->path() : QString();
}

QString DemoRunner::profilePath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("profile.json")) : QString();
}

} // namespace hostsec::ui
