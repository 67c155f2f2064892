#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QTemporaryDir;

namespace hostsec::ui {

class TaskThread;

/// The embedded demo domain's life: a fresh temporary folder, DemoDomain::init and start off
/// the GUI thread, and at the end DemoDomain::stop and the folder's removal.
class DemoRunner : public QObject
{
    Q_OBJECT
public:
    /// Nothing started yet.
    explicit DemoRunner(QObject *parent = nullptr);
    /// Stops the agents (waiting for them) and removes the folder.
    ~DemoRunner() override;

    /// Creates the folder and starts `users` demo users' domain; started() or failed() follows.
    void start(int users = 50);
    /// The demo folder ("" before start()).
    QString directory() const;
    /// DIR/profile.json.
    QString profilePath() const;
    /// Whether the agents were started and not stopped.
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    /// Every agent answers; connect to the profile.
    void started(const QString &profilePath);
    /// The domain could not be created or started.
    void failed(const QString &message);

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskThread> m_worker; // after m_dir: destroyed (and joined) first
    bool m_running = false;
};

} // namespace hostsec::ui
