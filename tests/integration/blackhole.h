#pragma once

// A TCP forwarder on loopback that a test can cut like a dead network path, without touching
// the host's network: each route listens on 127.0.0.1 (a free port) and forwards every
// connection to 127.0.0.1:target. cut() stops all traffic in both directions and leaves every
// connection open: nothing is read, written, accepted or closed, so neither end sees a FIN or an
// RST, only silence, as when a path drops packets. Bytes already sent wait in the kernel's
// buffers, as dropped segments wait to be retransmitted; new connections complete their TCP
// handshake into the listen backlog and then hear nothing, as behind a firewall that drops
// what follows. heal() lets everything flow again, held bytes and closes included.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace hostsec::integration {

class Blackhole
{
public:
    Blackhole() = default;
    Blackhole(const Blackhole &) = delete;
    Blackhole &operator=(const Blackhole &) = delete;
    ~Blackhole()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        for (const Route &r : m_routes)
            ::close(r.listener);
        for (const auto &c : m_connections) {
            ::close(c->fd[0]);
            ::close(c->fd[1]);
        }
    }

    /// A new route to 127.0.0.1:target; the port it listens on, or 0 when it cannot listen.
    /// Call before start().
    std::uint16_t addRoute(std::uint16_t target)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return 0;
        sockaddr_in address = loopback(0);
        socklen_t size = sizeof address;
        if (::bind(fd, asSockaddr(&address), sizeof address) != 0 || ::listen(fd, 64) != 0 ||
            ::getsockname(fd, asSockaddr(&address), &size) != 0) {
            ::close(fd);
            return 0;
        }
        m_routes.push_back({fd, target});
        return ntohs(address.sin_port);
    }

    /// Starts forwarding on a thread of its own.
    void start()
    {
        m_thread = std::thread([this] { run(); });
    }

    /// Silence in both directions from now on, every connection kept open.
    void cut() { m_cut = true; }
    /// Traffic flows again.
    void heal() { m_cut = false; }

private:
    struct Route
    {
        int listener;
        std::uint16_t target;
    };

    // One forwarded connection: fd[0] the accepted client, fd[1] the connection to the target.
    // held[s] are bytes read from fd[s] not yet written to the other side.
    struct Connection
    {
        int fd[2];
        std::string held[2];
        bool ended[2] = {false, false};    // fd[s] has sent its FIN
        bool passedOn[2] = {false, false}; // ...and the other side has been told (SHUT_WR)
        bool broken = false;
    };

    static sockaddr_in loopback(std::uint16_t port)
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }

    static sockaddr *asSockaddr(sockaddr_in *address)
    {
        return reinterpret_cast<sockaddr *>(address);
    }

    void accept(const Route &route)
    {
        const int client = ::accept4(route.listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            return;
        const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in target = loopback(route.target);
        // A loopback connect is answered at once: connected, or refused (the target is down).
        if (upstream < 0 || ::connect(upstream, asSockaddr(&target), sizeof target) != 0) {
            ::close(client);
            if (upstream >= 0)
                ::close(upstream);
            return;
        }
        auto c = std::make_unique<Connection>();
        c->fd[0] = client;
        c->fd[1] = upstream;
        m_connections.push_back(std::move(c));
    }

    // Moves what poll reported for side s of `c`.
    void transfer(Connection &c, int s, short events)
    {
        const int other = 1 - s;
        if ((events & (POLLIN | POLLHUP | POLLERR)) && c.held[s].empty() && !c.ended[s]) {
            char buffer[16384];
            const ssize_t n = ::recv(c.fd[s], buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0)
                c.held[s].assign(buffer, static_cast<std::size_t>(n));
            else if (n == 0)
                c.ended[s] = true;
            else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                c.broken = true;
        }
        if ((events & POLLOUT) && !c.held[other].empty()) {
            const ssize_t n = ::send(c.fd[s], c.held[other].data(), c.held[other].size(),
                                     MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0)
                c.held[other].erase(0, static_cast<std::size_t>(n));
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                c.broken = true;
        }
    }

    void run()
    {
        while (!m_stop) {
            if (m_cut) {
                // Cut: touch nothing. (A wait of 10 ms between looks at the switch.)
                ::poll(nullptr, 0, 10);
                continue;
            }
            std::vector<pollfd> fds;
            for (const Route &r : m_routes)
                fds.push_back({r.listener, POLLIN, 0});
            for (const auto &c : m_connections) {
                for (int s = 0; s < 2; ++s) {
                    short events = 0;
                    if (c->held[s].empty() && !c->ended[s])
                        events |= POLLIN;
                    if (!c->held[1 - s].empty())
                        events |= POLLOUT;
                    fds.push_back({c->fd[s], events, 0});
                }
            }
            if (::poll(fds.data(), fds.size(), 10) <= 0)
                continue;
            if (m_cut)
                continue; // cut while polling: what poll saw waits for heal()
            std::size_t at = 0;
            for (const Route &r : m_routes) {
                if (fds[at++].revents & POLLIN)
                    accept(r);
            }
            for (auto &c : m_connections) {
                if (at >= fds.size())
                    break; // accepted in this turn: polled in the next
                for (int s = 0; s < 2; ++s)
                    transfer(*c, s, fds[at++].revents);
            }
            std::erase_if(m_connections, [](const std::unique_ptr<Connection> &c) {
                for (int s = 0; s < 2; ++s) {
                    if (c->ended[s] && c->held[s].empty() && !c->passedOn[s]) {
                        ::shutdown(c->fd[1 - s], SHUT_WR);
                        c->passedOn[s] = true;
                    }
                }
                if (c->broken || (c->passedOn[0] && c->passedOn[1])) {
                    ::close(c->fd[0]);
                    ::close(c->fd[1]);
                    return true;
                }
                return false;
            });
        }
    }

    std::vector<Route> m_routes;
    std::vector<std::unique_ptr<Connection>> m_connections; // the thread's alone once started
    std::atomic<bool> m_cut{false};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace hostsec::integration
