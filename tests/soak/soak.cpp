// hostsec-soak: the long run of issue 6 (`./dev soak [MINUTES]`). A demo domain of four real
// hostsecd processes, the console connected to it (offscreen), password changes and SSO
// look-ups streaming in, and one server recycled (kill -9, start again) at random every 10-30 s.
// At the end it checks what must hold after any number of recycles:
//  - no binding stuck: every binding with policy auto is bound again within 10 s of the last
//    recycle; manual ones (HS2's) are rebound as an operator would, then bound too;
//  - no change lost: the outboxes drain, and the history checker (historycheck.h) finds every
//    acknowledged change applied exactly once, in per-user order, with the host holding each
//    user's newest password;
//  - memory flat: the console's resident set, and each agent's within each of its lives,
//    sampled every 2 s, does not grow once warmed up by more than 20 % + 8 MiB beyond what
//    its data files grew (SQLite's page caches fill with the pages of growing files: a cache
//    filling up to its bound, not a leak).
// Every sample and finding is printed; the last line is a JSON summary; exit 0 when all held.
//
// hostsec-soak [--minutes N] [--users N] [--seed S] [--dir DIR] [--no-console]

#include "client/agentclient.h"
#include "client/demodomain.h"
#include "client/profile.h"
#include "integration/ctlprocess.h"
#include "integration/demofixture.h"
#include "integration/historycheck.h"
#include "integration/integrationtest.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

using namespace hostsec;
using namespace hostsec::client;
using namespace hostsec::integration;
using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int Writers = 2;
constexpr auto SampleEvery = 2s;
constexpr auto WarmUp = 20s;          // samples younger than this are not judged
constexpr double GrowthAllowed = 0.2; // a warmed-up resident set may grow 20 % ...
constexpr double SlackKiB = 8 * 1024; // ... plus 8 MiB (allocator noise) ...
// ... plus what its databases grew by: SQLite's page caches (64 MiB per event store) fill with
// the pages of files that grow all through a soak, which is a cache filling up, not a leak.

struct Options
{
    double minutes = 10;
    int users = 40;
    unsigned seed = std::random_device{}();
    std::string dir; // kept when given; a temporary folder otherwise
    bool console = true;
};

// Resident set of `pid` in KiB (VmRSS), or 0 when it is gone.
double rssKiB(int pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            double kib = 0;
            status >> kib;
            return kib;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

// The size of every file under `dir`, in KiB: a process's databases and their WALs.
double filesKiB(const std::string &dir)
{
    std::error_code ec;
    double bytes = 0;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->is_regular_file(ec))
            bytes += static_cast<double>(it->file_size(ec));
    }
    return bytes / 1024;
}

struct Sample
{
    double age = 0;  // seconds since the life started
    double rss = 0;  // KiB
    double data = 0; // KiB of the process's data files
};

// One process's life, as sampled.
struct Life
{
    std::string name;
    int pid = 0;
    std::string dataDir;
    Clock::time_point started;
    std::vector<Sample> samples;
};

// Whether a life's resident set stayed flat after the warm-up: its last quarter's mean against
// the first warmed-up quarter's. Lives too short to tell are not judged.
struct Judgement
{
    bool judged = false;
    double fromKiB = 0;
    double toKiB = 0;
    double dataGrowthKiB = 0;
    bool flat = true;
};

Judgement judge(const Life &life)
{
    std::vector<Sample> warm;
    for (const Sample &sample : life.samples) {
        if (sample.age >= std::chrono::duration<double>(WarmUp).count() && sample.rss > 0)
            warm.push_back(sample);
    }
    Judgement j;
    if (warm.size() < 8)
        return j;
    const std::size_t q = warm.size() / 4;
    auto mean = [](auto begin, auto end, double Sample::*field) {
        double sum = 0;
        for (auto it = begin; it != end; ++it)
            sum += (*it).*field;
        return sum / static_cast<double>(end - begin);
    };
    const auto firstEnd = warm.begin() + static_cast<std::ptrdiff_t>(q);
    const auto lastBegin = warm.end() - static_cast<std::ptrdiff_t>(q);
    j.judged = true;
    j.fromKiB = mean(warm.begin(), firstEnd, &Sample::rss);
    j.toKiB = mean(lastBegin, warm.end(), &Sample::rss);
    j.dataGrowthKiB = std::max(0.0, mean(lastBegin, warm.end(), &Sample::data) -
                                        mean(warm.begin(), firstEnd, &Sample::data));
    j.flat = j.toKiB <= j.fromKiB * (1 + GrowthAllowed) + SlackKiB + j.dataGrowthKiB;
    return j;
}

bool parse(int argc, char **argv, Options &o)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--minutes" && hasValue)
            o.minutes = std::atof(argv[++i]);
        else if (a == "--users" && hasValue)
            o.users = std::atoi(argv[++i]);
        else if (a == "--seed" && hasValue)
            o.seed = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--dir" && hasValue)
            o.dir = argv[++i];
        else if (a == "--no-console")
            o.console = false;
        else if (a == "--help" || a == "-h") {
            std::printf("usage: hostsec-soak [--minutes N] [--users N] [--seed S] [--dir DIR] "
                        "[--no-console]\n  --dir keeps the demo domain's folder (agents' logs "
                        "and databases, console-home/console.log) for a look afterwards\n");
            std::exit(0);
        } else {
            std::fprintf(stderr,
                         "hostsec-soak: unknown or incomplete argument '%s'\nusage: hostsec-soak "
                         "[--minutes N] [--users N] [--seed S] [--dir DIR] [--no-console]\n",
                         a.c_str());
            return false;
        }
    }
    if (!(o.minutes > 0) || o.users < Writers || o.users > 9999) {
        std::fprintf(stderr, "hostsec-soak: --minutes must be above 0 and --users 2 to 9999\n");
        return false;
    }
    return true;
}

class Soak
{
public:
    explicit Soak(Options options)
        : m_options(std::move(options))
        , m_random(m_options.seed)
    {}

    int run()
    {
        if (!setUp())
            return 1;
        std::printf("soak: %.1f min, %d users, seed %u, domain in %s%s\n", m_options.minutes,
                    m_options.users, m_options.seed, m_path.c_str(),
                    m_console ? ", console connected (offscreen)" : ", no console");
        std::fflush(stdout);
        load();
        const bool ok = check();
        tearDown();
        return ok ? 0 : 1;
    }

private:
    Options m_options;
    std::mt19937 m_random;
    DemoFixture m_demo;
    std::string m_path; // m_demo.path()
    std::unique_ptr<QProcess> m_console;
    std::map<std::string, std::vector<Life>> m_lives; // process name -> its lives, in order
    std::vector<std::vector<Change>> m_written{Writers};
    std::set<std::string> m_before;
    int m_recycles = 0;
    std::int64_t m_lookups = 0;
    std::int64_t m_lookupFailures = 0;
    std::vector<std::string> m_findings;

    AgentClient agent(const std::string &name, std::chrono::milliseconds timeout = 10s)
    {
        return m_demo.agent(name, timeout);
    }

    json bindings(const std::string &server) { return m_demo.bindings(server); }

    bool setUp()
    {
        Status ready = m_demo.init(m_options.users, m_options.dir);
        if (ready)
            ready = m_demo.start();
        if (!ready) {
            std::fprintf(stderr, "hostsec-soak: %s\n", ready.error().message.c_str());
            return false;
        }
        m_path = m_demo.path();
        m_before = appliedIds(agent("HOST1"));
        if (m_options.console)
            startConsole();
        for (const char *server : DemoDomain::Servers)
            newLife(server, DemoDomain::runningPid(m_path, server));
        return true;
    }

    // The console on the same profile, offscreen, with a home of its own (its settings and
    // history database stay in the soak's folder).
    void startConsole()
    {
        const QString program = binDir() + QStringLiteral("/hostsec-console");
        if (!QFileInfo::exists(program)) {
            std::printf("soak: %s not built; running without the console\n", qPrintable(program));
            return;
        }
        const QString home = QString::fromStdString(m_path) + QStringLiteral("/console-home");
        QDir().mkpath(home);
        QProcessEnvironment env = ctlEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
        m_console = std::make_unique<QProcess>();
        m_console->setProcessEnvironment(env);
        m_console->setStandardOutputFile(home + QStringLiteral("/console.log"));
        m_console->setStandardErrorFile(home + QStringLiteral("/console.log"));
        m_console->start(program,
                         {QStringLiteral("--profile"),
                          QString::fromStdString(m_path) + QStringLiteral("/profile.json")});
        if (!m_console->waitForStarted(10000)) {
            m_findings.push_back("the console did not start: " +
                                 m_console->errorString().toStdString());
            m_console.reset();
            return;
        }
        newLife("console", static_cast<int>(m_console->processId()));
    }

    void newLife(const std::string &name, int pid)
    {
        const std::string dir =
            name == "console" ? m_path + "/console-home/data" : m_path + "/" + name;
        m_lives[name].push_back({name, pid, dir, Clock::now(), {}});
    }

    void sample()
    {
        for (auto &[name, lives] : m_lives) {
            Life &life = lives.back();
            const double age = std::chrono::duration<double>(Clock::now() - life.started).count();
            life.samples.push_back({age, rssKiB(life.pid), filesKiB(life.dataDir)});
        }
    }

    // The writers, the SSO look-ups and the recycles, for the soak's minutes.
    void load()
    {
        std::atomic<bool> done{false};
        std::atomic<std::int64_t> lookups{0}, lookupFailures{0};
        std::vector<std::thread> threads;
        for (int w = 0; w < Writers; ++w) {
            threads.emplace_back([&, w] {
                const int mine = m_options.users / Writers;
                for (int n = 0; !done; ++n) {
                    const int i = 1 + w + Writers * (n % mine);
                    char password[16];
                    std::snprintf(password, sizeof password, "S%d%06d", w, n % 1000000);
                    Change c{i, password, {}};
                    auto r = agent("DC1", 3s).post("/v1/passwd",
                                                   {{"account", user(i)}, {"password", password}});
                    if (r.ok() && r->contains("change_id"))
                        c.id = (*r)["change_id"];
                    m_written[static_cast<std::size_t>(w)].push_back(c);
                    // A pace, not a wait: ~10 changes/s per writer, well inside what the
                    // domain delivers (docs/performance.md, sync) even while a server is down,
                    // so that the backlog a recycle leaves drains in the soak's own time.
                    std::this_thread::sleep_for(r.ok() ? 100ms : 200ms);
                }
            });
        }
        threads.emplace_back([&] {
            for (int n = 0; !done; ++n) {
                if (agent("DC1", 3s)
                        .post("/v1/sso", {{"account", user(1 + n % m_options.users)}})
                        .ok())
                    ++lookups;
                else
                    ++lookupFailures;
                std::this_thread::sleep_for(10ms);
            }
        });

        const auto end =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double, std::ratio<60>>(m_options.minutes));
        auto nextSample = Clock::now();
        auto nextRecycle = Clock::now() + recycleDelay();
        while (Clock::now() < end) {
            if (Clock::now() >= nextSample) {
                sample();
                nextSample += SampleEvery;
            }
            if (Clock::now() >= nextRecycle) {
                recycleOne();
                nextRecycle = Clock::now() + recycleDelay();
            }
            if (m_console && m_console->state() != QProcess::Running) {
                m_findings.push_back("the console exited (code " +
                                     std::to_string(m_console->exitCode()) +
                                     "); its log: console-home/console.log");
                m_console.reset();
            }
            std::this_thread::sleep_for(100ms);
        }
        done = true;
        for (std::thread &t : threads)
            t.join();
        sample();
        m_lookups = lookups;
        m_lookupFailures = lookupFailures;
    }

    Clock::duration recycleDelay()
    {
        return std::chrono::milliseconds(
            std::uniform_int_distribution<int>(10000, 30000)(m_random));
    }

    void recycleOne()
    {
        const char *server =
            DemoDomain::Servers[std::uniform_int_distribution<int>(0, 3)(m_random)];
        const auto at = Clock::now();
        const Status recycled = DemoDomain::recycle(m_path, server, 60s);
        ++m_recycles;
        if (!recycled) {
            m_findings.push_back(std::string("recycling ") + server +
                                 " failed: " + recycled.error().message);
            return;
        }
        newLife(server, DemoDomain::runningPid(m_path, server));
        std::printf("soak: recycled %s (%.0f ms until healthy)\n", server,
                    std::chrono::duration<double, std::milli>(Clock::now() - at).count());
        std::fflush(stdout);
    }

    // Bindings with policy auto that are not bound; a manual one stale after a recycle is
    // the policy working, not stuck.
    std::vector<std::string> stuckAuto()
    {
        std::vector<std::string> stuck;
        for (const char *s : DemoDomain::Servers) {
            for (const json &b : bindings(s)) {
                if (b["policy"] == "auto" && b["state"] != "bound")
                    stuck.push_back(b["id"].get<std::string>() + " (" +
                                    b["state"].get<std::string>() + ")");
            }
        }
        return stuck;
    }

    std::int64_t outboxDepth() { return m_demo.totalOutboxDepth(); }

    // Waits until every outbox is empty; false when the depth stops falling for 60 s (a
    // backlog that drains slowly is load, one that does not drain is a stuck delivery).
    bool drained()
    {
        std::int64_t best = outboxDepth();
        auto progressed = Clock::now();
        while (best != 0) {
            if (Clock::now() - progressed > 60s)
                return false;
            std::this_thread::sleep_for(500ms);
            const std::int64_t depth = outboxDepth();
            if (depth >= 0 && (best < 0 || depth < best)) {
                best = depth;
                progressed = Clock::now();
            }
        }
        return true;
    }

    bool check()
    {
        std::vector<std::string> stuck;
        if (!waitFor([&] { return (stuck = stuckAuto()).empty(); }, 10s)) {
            for (const std::string &b : stuck)
                m_findings.push_back("binding " + b +
                                     " under policy auto is not bound 10 s "
                                     "after the load ended");
        }
        // The operator's rebind of the manual bindings (HS2's), then everything bound.
        for (const char *s : DemoDomain::Servers) {
            for (const json &b : bindings(s)) {
                if (b["policy"] == "manual" && b["state"] != "bound")
                    (void)agent(s).post("/v1/rebind", {{"binding", b["id"]}});
            }
        }
        if (!drained())
            m_findings.push_back("the outboxes stopped draining (depth " +
                                 std::to_string(outboxDepth()) + ", no progress for 60 s)");
        std::vector<Change> made;
        for (const auto &w : m_written)
            made.insert(made.end(), w.begin(), w.end());
        std::string history;
        if (const std::string problem =
                checkHistory(agent("HOST1"), made, m_before, m_options.users, &history);
            !problem.empty())
            m_findings.push_back(problem);
        else
            std::printf("soak: history: %s\n", history.c_str());
        if (const std::string trail =
                checkEventTrail(agent("DC1"), agent("HS1"), agent("HOST1"), m_before);
            !trail.empty())
            m_findings.push_back(trail);
        std::size_t acknowledged = 0;
        for (const Change &c : made)
            acknowledged += !c.id.empty();
        std::size_t applied = 0;
        for (const auto &[id, times] : appliedOnHost(agent("HOST1")).times)
            applied += m_before.count(id) ? 0 : static_cast<std::size_t>(times);

        json memory = json::object();
        for (const auto &[name, lives] : m_lives) {
            json perLife = json::array();
            for (const Life &life : lives) {
                const Judgement j = judge(life);
                double peak = 0;
                for (const Sample &sample : life.samples)
                    peak = std::max(peak, sample.rss);
                json series = json::array(); // up to 12 evenly spaced samples, MiB
                const std::size_t n = life.samples.size();
                for (std::size_t k = 0; k < std::min<std::size_t>(12, n); ++k) {
                    const std::size_t at = n < 12 ? k : k * (n - 1) / 11;
                    series.push_back(std::round(life.samples[at].rss / 102.4) / 10);
                }
                perLife.push_back(
                    {{"pid", life.pid},
                     {"series_mib", series},
                     {"seconds", life.samples.empty() ? 0.0 : life.samples.back().age},
                     {"peak_mib", peak / 1024},
                     {"judged", j.judged},
                     {"warm_mib", j.fromKiB / 1024},
                     {"end_mib", j.toKiB / 1024},
                     {"data_growth_mib", j.dataGrowthKiB / 1024}});
                if (j.judged)
                    std::printf("soak: %-7s pid %-7d %6.1f MiB -> %6.1f MiB after warm-up "
                                "(its data files grew %.1f MiB)%s\n",
                                name.c_str(), life.pid, j.fromKiB / 1024, j.toKiB / 1024,
                                j.dataGrowthKiB / 1024, j.flat ? "" : "  GROWING");
                if (!j.flat) {
                    char what[160];
                    std::snprintf(what, sizeof what,
                                  "%s (pid %d) grew from %.1f to %.1f MiB after its warm-up, "
                                  "more than its data files (%.1f MiB) explain",
                                  name.c_str(), life.pid, j.fromKiB / 1024, j.toKiB / 1024,
                                  j.dataGrowthKiB / 1024);
                    m_findings.push_back(what);
                }
            }
            memory[name] = perLife;
        }
        for (const std::string &f : m_findings)
            std::printf("soak: FINDING: %s\n", f.c_str());
        const json summary = {{"minutes", m_options.minutes},
                              {"seed", m_options.seed},
                              {"recycles", m_recycles},
                              {"changes_made", made.size()},
                              {"changes_acknowledged", acknowledged},
                              {"changes_applied", applied},
                              {"sso_lookups", m_lookups},
                              {"sso_failures_during_recycles", m_lookupFailures},
                              {"console", m_console != nullptr},
                              {"memory", memory},
                              {"findings", m_findings},
                              {"passed", m_findings.empty()}};
        std::printf("%s\n", summary.dump().c_str());
        std::printf("soak: %s\n", m_findings.empty() ? "passed" : "FAILED");
        return m_findings.empty();
    }

    void tearDown()
    {
        if (m_console) {
            m_console->terminate();
            if (!m_console->waitForFinished(10000))
                m_console->kill();
        }
        (void)m_demo.stop();
        if (!m_options.dir.empty())
            std::printf("soak: the domain's folder is kept: %s\n", m_path.c_str());
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options options;
    if (!parse(argc, argv, options))
        return 2;
    ::signal(SIGPIPE, SIG_IGN);
    return Soak(std::move(options)).run();
}
