#pragma once

// Private to core/net: the server's list of open sessions, so stop() can reach every one.

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace hostsec::net {

/// A server-side connection that the server can ask to end.
class Closable
{
public:
    virtual ~Closable() = default;
    /// Ends the connection soon; callable from any thread (posts onto the session's strand).
    virtual void shutdown() = 0;
};

/// The open sessions of one server. Thread-safe. Holds weak references only: a session lives
/// as long as its own I/O does.
class SessionRegistry
{
public:
    /// Adds a session and returns its id; 0 when the server stopped (the caller then closes).
    std::uint64_t add(std::weak_ptr<Closable> session)
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped)
            return 0;
        const std::uint64_t id = m_nextId++;
        m_sessions.emplace(id, std::move(session));
        return id;
    }

    /// Forgets a session (it ended). Unknown ids, and 0, are ignored.
    void remove(std::uint64_t id)
    {
        std::lock_guard lock(m_mutex);
        m_sessions.erase(id);
    }

    /// How many sessions are open.
    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_sessions.size();
    }

    /// Refuses new sessions from now on and hands back every live one, to be shut down.
    std::vector<std::shared_ptr<Closable>> stop()
    {
        std::vector<std::shared_ptr<Closable>> live;
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        for (const auto &entry : m_sessions) {
            if (auto session = entry.second.lock())
                live.push_back(std::move(session));
        }
        return live; // released by the caller, outside the lock (a destructor calls remove())
    }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::uint64_t, std::weak_ptr<Closable>> m_sessions;
    std::uint64_t m_nextId = 1;
    bool m_stopped = false;
};

} // namespace hostsec::net
