// hostsec-bench SUITE [options]: each suite measures our code and a baseline in the same run.

#include "bench.h"

#include <sys/resource.h>

#include <cstring>
#include <functional>
#include <map>

namespace hostsec::bench {

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

} // namespace hostsec::bench

int main(int argc, char **argv)
{
    using namespace hostsec::bench;
    const std::map<std::string, std::function<int(const std::vector<std::string> &)>> suites = {
        {"events", runEvents},           {"sync", runSync},     {"recovery", runRecovery},
        {"console", runConsole},         {"report", runReport}, {"rpc", runRpc},
        {"slowclients", runSlowClients},
    };
    if (argc < 2 || !suites.count(argv[1])) {
        std::fprintf(stderr, "usage: hostsec-bench SUITE [options]\nsuites:");
        for (const auto &[name, run] : suites)
            std::fprintf(stderr, " %s", name.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    return suites.at(argv[1])(std::vector<std::string>(argv + 2, argv + argc));
}
