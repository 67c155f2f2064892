#pragma once

// What the transport tests share: an io_context running on threads of its own, a mailbox to
// wait for callbacks with a deadline, and raw TCP peers (POSIX sockets with poll deadlines)
// that can misbehave in ways our own client never would.

#include "net/transport.h"

#include <utility> // before Asio, see core/net/asio.h

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace nettest {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// An io_context run by `threads` threads until the object goes away. The destructor lets
/// run() finish what is left (closes in flight: their callbacks break reference cycles), and
/// stops the io_context only if that takes longer than a few seconds.
class IoThread
{
public:
    explicit IoThread(int threads = 1)
        : m_guard(boost::asio::make_work_guard(m_io))
    {
        for (int i = 0; i < threads; ++i) {
            m_threads.emplace_back([this] {
                m_io.run();
                std::lock_guard lock(m_mutex);
                ++m_finished;
                m_changed.notify_all();
            });
        }
    }
    ~IoThread()
    {
        m_guard.reset();
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait_for(lock, 5s, [this] { return m_finished == m_threads.size(); });
        }
        m_io.stop();
        for (auto &thread : m_threads)
            thread.join();
    }
    IoThread(const IoThread &) = delete;
    IoThread &operator=(const IoThread &) = delete;

    boost::asio::io_context &io() { return m_io; }

private:
    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_finished = 0;
    std::vector<std::thread> m_threads;
};

/// Runs io.run() on a thread of its own, with no work guard: returned() says whether run()
/// ran out of work. The destructor stops the io_context and joins, even after a failed check.
class IoRunner
{
public:
    explicit IoRunner(boost::asio::io_context &io)
        : m_io(io)
        , m_thread([this] {
            m_io.run();
            m_returned = true;
        })
    {}
    ~IoRunner()
    {
        m_io.stop();
        m_thread.join();
    }
    IoRunner(const IoRunner &) = delete;
    IoRunner &operator=(const IoRunner &) = delete;

    bool returned() const { return m_returned.load(); }

private:
    boost::asio::io_context &m_io;
    std::atomic<bool> m_returned{false};
    std::thread m_thread;
};

/// Values handed over from I/O threads; the test thread waits for them with a deadline.
template <class T>
class Mailbox
{
public:
    void put(T value)
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(value));
        m_changed.notify_all();
    }
    /// True once `count` values arrived; false if the deadline passed first.
    bool waitFor(std::size_t count, std::chrono::milliseconds deadline = 10s)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, deadline, [&] { return m_items.size() >= count; });
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_items.size();
    }
    T at(std::size_t index) const
    {
        std::lock_guard lock(m_mutex);
        return m_items.at(index);
    }
    void clear()
    {
        std::lock_guard lock(m_mutex);
        m_items.clear();
    }
    std::vector<T> items() const
    {
        std::lock_guard lock(m_mutex);
        return m_items;
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<T> m_items;
};

/// One raw TCP connection on 127.0.0.1, blocking calls bounded by deadlines.
class RawConnection
{
public:
    explicit RawConnection(int fd = -1)
        : m_fd(fd)
    {}
    /// Connects to 127.0.0.1:port; connected() says whether it worked.
    static RawConnection connectTo(std::uint16_t port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
            ::close(fd);
            return RawConnection();
        }
        return RawConnection(fd);
    }
    RawConnection(RawConnection &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {}
    RawConnection &operator=(RawConnection &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    ~RawConnection() { close(); }

    bool connected() const { return m_fd >= 0; }

    /// Sends everything; false if the peer is gone.
    bool send(const std::string &data)
    {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const auto n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Reads until the peer closes (true) or the deadline passes (false); `received` gets
    /// what arrived meanwhile.
    bool readUntilClosed(std::string &received, std::chrono::milliseconds deadline = 10s)
    {
        return readUntil(received, deadline, [](const std::string &) { return false; });
    }

    /// Reads one whole HTTP response (headers and Content-Length body); empty on failure.
    std::string readResponse(std::chrono::milliseconds deadline = 10s)
    {
        std::string received;
        readUntil(received, deadline, [](const std::string &data) {
            const auto end = data.find("\r\n\r\n");
            if (end == std::string::npos)
                return false;
            return data.size() >= end + 4 + contentLength(data);
        });
        const auto end = received.find("\r\n\r\n");
        if (end == std::string::npos)
            return {};
        return received.substr(0, end + 4 + contentLength(received));
    }

    /// Reads until `marker` arrived; false on deadline or close.
    bool readUntilMarker(const std::string &marker, std::chrono::milliseconds deadline = 10s)
    {
        std::string received;
        return readUntil(received, deadline, [&](const std::string &data) {
            return data.find(marker) != std::string::npos;
        });
    }

    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    static std::size_t contentLength(const std::string &head)
    {
        for (const char *name : {"Content-Length: ", "content-length: "}) {
            const auto at = head.find(name);
            if (at != std::string::npos)
                return std::stoul(head.substr(at + std::strlen(name)));
        }
        return 0;
    }

private:
    /// Reads until done(received) or the peer closed (both true) or the deadline (false).
    template <class Done>
    bool readUntil(std::string &received, std::chrono::milliseconds deadline, Done done)
    {
        const auto end = Clock::now() + deadline;
        char buffer[65536];
        while (!done(received)) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
            if (left.count() <= 0)
                return false;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
                continue;
            const auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0) // EOF or reset: closed
                return true;
            received.append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    }

    int m_fd = -1;
};

/// A raw listening socket on 127.0.0.1, port chosen by the kernel.
class RawListener
{
public:
    RawListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = 0;
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
        ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
        ::listen(m_fd, 16);
        socklen_t length = sizeof address;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length);
        m_port = ntohs(address.sin_port);
    }
    ~RawListener() { close(); }
    RawListener(const RawListener &) = delete;
    RawListener &operator=(const RawListener &) = delete;

    std::uint16_t port() const { return m_port; }

    /// The next connection, or an unconnected one when none came before the deadline.
    RawConnection accept(std::chrono::milliseconds deadline = 10s)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(deadline.count())) <= 0)
            return RawConnection();
        return RawConnection(::accept(m_fd, nullptr, nullptr));
    }

    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
};

/// Small limits, so deadline tests take a fraction of a second.
inline hostsec::net::Limits quickLimits()
{
    hostsec::net::Limits limits;
    limits.readTimeout = 300ms;
    limits.writeTimeout = 2s;
    limits.idleTimeout = 300ms;
    limits.connectTimeout = 2s;
    return limits;
}

/// The status code of a raw HTTP response ("HTTP/1.1 413 ..." -> 413), or 0.
inline int statusOf(const std::string &response)
{
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12)
        return 0;
    return std::stoi(response.substr(9, 3));
}

/// The body of a raw HTTP response.
inline std::string bodyOf(const std::string &response)
{
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

} // namespace nettest
