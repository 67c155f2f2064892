#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace hostsec::bench {

/// Prints one result as a JSON line: {"suite","metric","value","unit","baseline","ratio"}.
/// `ratio` is value / baseline, so it survives a noisy machine.
inline void report(const std::string &suite, const std::string &metric, double value,
                   const std::string &unit, double baseline)
{
    const double ratio = baseline > 0 ? value / baseline : 0.0;
    std::printf("{\"suite\":\"%s\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\","
                "\"baseline\":%.3f,\"ratio\":%.3f}\n",
                suite.c_str(), metric.c_str(), value, unit.c_str(), baseline, ratio);
    std::fflush(stdout);
}

/// Seconds on the steady clock since `start`.
inline double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The p-th percentile (0..100) of samples, nearest rank.
inline double percentile(std::vector<double> samples, double p)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank =
        static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(rank, samples.size() - 1)];
}

/// Peak resident set size of this process so far, in MiB.
double peakRssMiB();

int runEvents(const std::vector<std::string> &args);
int runSync(const std::vector<std::string> &args);
int runRecovery(const std::vector<std::string> &args);
int runConsole(const std::vector<std::string> &args);
int runReport(const std::vector<std::string> &args);
int runRpc(const std::vector<std::string> &args);
int runSlowClients(const std::vector<std::string> &args);

} // namespace hostsec::bench
