// hostsecd --config FILE: one host security agent, the services its config names.

#include "agent/agent.h"
#include "agent/asio.h"
#include "agent/config.h"

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <functional>

int main(int argc, char **argv)
{
    CLI::App app{"hostsecd: host security agent (password sync, host account cache, SSO)",
                 "hostsecd"};
    std::string configPath;
    app.add_option("-c,--config", configPath, "configuration file (TOML)")->required();
    app.set_version_flag("--version", hostsec::agentVersion());
    CLI11_PARSE(app, argc, argv);

    auto config = hostsec::AgentConfig::load(configPath);
    if (!config) {
        std::fprintf(stderr, "hostsecd: %s\n", config.error().message.c_str());
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    // A file-size limit (ulimit -f) reached is a failed write, which SQLite reports and the agent
    // refuses the change for, as it does for a full disk; not a signal that kills the agent.
    std::signal(SIGXFSZ, SIG_IGN);

    boost::asio::io_context io(1);
    hostsec::Agent agent(io, std::move(*config));
    if (auto started = agent.start(); !started) {
        std::fprintf(stderr, "hostsecd: cannot start: %s\n", started.error().message.c_str());
        return 1;
    }
    // SIGTERM or SIGINT: stop serving; changes not yet confirmed stay in the durable outbox
    // (every outbox write is committed with synchronous=FULL before it is acknowledged).
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code &ec, int) {
        if (ec)
            return;
        agent.stop();
        io.stop();
    });
    // SIGHUP: read the [tls] files again (a renewed certificate) without a restart.
    boost::asio::signal_set hangup(io, SIGHUP);
    std::function<void(const boost::system::error_code &, int)> onHangup =
        [&](const boost::system::error_code &ec, int) {
            if (ec)
                return;
            if (auto reloaded = agent.reloadTls(); !reloaded)
                std::fprintf(stderr, "hostsecd: SIGHUP: %s\n", reloaded.error().message.c_str());
            hangup.async_wait(onHangup);
        };
    hangup.async_wait(onHangup);
    io.run();
    // The closes stop() started run to their end: run_for returns as soon as nothing is left,
    // and gives a peer that never answers its close at most 2 s.
    io.restart();
    io.run_for(std::chrono::seconds(2));
    return 0;
}
