#pragma once

// One agent in the test's own process, on its own I/O thread, from a config's text: the real
// Agent with its real files, without a hostsecd process to start and find. Its peers are
// wherever the config says (often nowhere: 127.0.0.1:1), so what it queues stays queued where a
// test can see it.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "agent/agent.h"
#include "agent/agentstore.h"
#include "agent/config.h"
#include "client/agentclient.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QtGlobal>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace hostsec::testing {

class InProcessAgent
{
public:
    /// `config` is hostsecd.toml's text; the agent's data and config path are in `dataDir`.
    InProcessAgent(const std::string &config, const std::string &dataDir)
    {
        auto parsed = AgentConfig::parse(config, dataDir + "/hostsecd.toml");
        if (!parsed) {
            m_problem = parsed.error().message;
            return;
        }
        m_agent = std::make_unique<Agent>(m_io, std::move(*parsed));
        if (auto started = m_agent->start(); !started) {
            m_problem = started.error().message;
            return;
        }
        m_thread = std::thread([this] { m_io.run(); });
    }

    ~InProcessAgent()
    {
        if (m_thread.joinable()) {
            boost::asio::post(m_io, [this] {
                m_agent->stop();
                m_io.stop();
            });
            m_thread.join();
        }
    }

    InProcessAgent(const InProcessAgent &) = delete;
    InProcessAgent &operator=(const InProcessAgent &) = delete;

    /// Why the agent did not start, or "".
    const std::string &problem() const { return m_problem; }
    client::AgentClient api() const
    {
        using namespace std::chrono_literals;
        return client::AgentClient({"127.0.0.1", m_agent->port()}, 10s);
    }

private:
    boost::asio::io_context m_io{1};
    std::unique_ptr<Agent> m_agent;
    std::thread m_thread;
    std::string m_problem;
};

/// How many events the journal in `dataDir`'s agent.db holds (the agent stopped).
inline std::size_t journalSize(const std::string &dataDir)
{
    auto store = AgentStore::open(dataDir + "/agent.db");
    if (!store)
        qFatal("%s", store.error().message.c_str());
    return (*store)->journaledEvents().size();
}

} // namespace hostsec::testing
