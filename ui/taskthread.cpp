#include "ui/taskthread.h"

namespace hostsec::ui {

TaskThread::TaskThread()
    : m_thread([this] { run(); })
{}

TaskThread::~TaskThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void TaskThread::post(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_all();
}

bool TaskThread::busy() const
{
    std::lock_guard lock(m_mutex);
    return m_running || !m_jobs.empty();
}

void TaskThread::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping, and nothing left to do
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_running = true;
        }
        job();
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
}

} // namespace hostsec::ui
