#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace hostsec::ui {

/// One worker thread that runs blocking jobs (starting or recycling demo agents) in order, so
/// the GUI thread never waits for them. Jobs report back with a queued invokeMethod.
class TaskThread
{
public:
    TaskThread();
    /// Runs the jobs still queued, then joins: a demo domain is stopped even at exit.
    ~TaskThread();
    TaskThread(const TaskThread &) = delete;
    TaskThread &operator=(const TaskThread &) = delete;

    /// Queues a job; it runs on the worker thread after the ones queued before it.
    void post(std::function<void()> job);
    /// Whether a job is queued or running.
    bool busy() const;

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_running = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace hostsec::ui
