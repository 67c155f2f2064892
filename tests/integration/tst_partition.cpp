// Why: the failure this product exists for is the silent one. A peer cut off by a path that
// drops packets (a firewall rule, a dead switch port) refuses nothing and closes nothing: the
// connection stays open and every call simply gets no answer. The bindings must still notice
// within 3 s, nothing sent meanwhile may be reported delivered, and once the path heals the
// domain must converge by itself within 2 s, every acknowledged change applied exactly once, in
// each user's order.
//
// How the path is cut: a fault-injecting TCP forwarder inside the test (blackhole.h), on
// 127.0.0.1 only, put between the domain controller DC1 and the primary cache HS1 in both
// directions: after `demo init` and before `demo start`, DC1's [[peer]] entry for HS1 and HS1's
// for DC1 are rewritten to the forwarder's ports. cut() stops it forwarding, accepting and
// closing anything, with every connection left open (no FIN, no RST); heal() resumes. We chose
// the forwarder over iptables DROP in a network namespace of the test's own (unshare -n): it
// needs no root, no iptables or nftables binaries and no kernel netfilter modules, so it runs
// wherever the other tests run, it cannot touch the host's network even by mistake, and the
// moment of the cut is exact. What it does not model: a connect() to a dropped port hangs
// rather than completing into the listen backlog; for the agents both look the same (a
// handshake that never answers).
// While the path is cut, password changes keep arriving at DC1 (it must queue them, never
// report them delivered); the history checker (historycheck.h) checks the whole run.

#include "blackhole.h"
#include "demofixture.h"
#include "historycheck.h"
#include "model/time.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace hostsec;
using namespace hostsec::client;
using nlohmann::json;
using namespace std::chrono_literals;
using namespace hostsec::integration;

namespace {

constexpr int Users = 20;
constexpr auto CutFor = 6s; // past the heartbeat's deadline and a rebind attempt's timeout
constexpr Millis DetectWithinMs = 3000;
constexpr Millis ConvergeWithinMs = 2000;
const std::string DcToHs1 = "DC1/domain-account-sync->HS1/host-account-sync";
const std::string Hs1ToDc1 = "HS1/host-account-sync->DC1/domain-account-sync";

// Replaces `from` by `to` in the file at `path`, which must hold it exactly once.
bool replaceOnce(const std::string &path, const std::string &from, const std::string &to)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const auto at = s.find(from);
    if (at == std::string::npos || s.find(from, at + 1) != std::string::npos)
        return false;
    s.replace(at, from.size(), to);
    std::ofstream out(path, std::ios::trunc);
    out << s;
    return static_cast<bool>(out.flush());
}

} // namespace

class tst_Partition : public QObject
{
    Q_OBJECT

private:
    DemoFixture m_demo;
    Blackhole m_blackhole;

    AgentClient agent(const std::string &name, std::chrono::milliseconds timeout = 10s)
    {
        return m_demo.agent(name, timeout);
    }

    std::string state(const std::string &server, const std::string &id)
    {
        for (const json &b : m_demo.bindings(server)) {
            if (b["id"] == id)
                return b["state"];
        }
        return {};
    }

    bool outboxesEmpty()
    {
        for (const char *s : DemoDomain::Servers) {
            if (m_demo.outboxDepth(s) != 0)
                return false;
        }
        return true;
    }

    // The change ids DC1 has reported applied on the host (its event 702, from HS1's verdict).
    std::set<std::string> reportedApplied()
    {
        std::set<std::string> ids;
        for (const json &e : allEvents(agent("DC1"), "702"))
            ids.insert(e["params"][0].get<std::string>());
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto made = m_demo.init(Users);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        const Profile &profile = m_demo.profile();

        // DC1 reaches HS1, and HS1 reaches DC1, only through the blackhole.
        const auto address = [](std::uint16_t port) {
            return "address = \"127.0.0.1:" + std::to_string(port) + "\"";
        };
        const std::uint16_t hs1 = profile.agent("HS1")->endpoint.port;
        const std::uint16_t dc1 = profile.agent("DC1")->endpoint.port;
        const std::uint16_t toHs1 = m_blackhole.addRoute(hs1);
        const std::uint16_t toDc1 = m_blackhole.addRoute(dc1);
        QVERIFY(toHs1 != 0 && toDc1 != 0);
        QVERIFY(replaceOnce(m_demo.path() + "/DC1/hostsecd.toml", address(hs1), address(toHs1)));
        QVERIFY(replaceOnce(m_demo.path() + "/HS1/hostsecd.toml", address(dc1), address(toDc1)));
        m_blackhole.start();

        auto started = m_demo.start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        QVERIFY2(waitFor([&] { return m_demo.boundCount() == 7; }, 20s),
                 "the 7 bindings never all bound");
        // The bindings really go through the blackhole.
        for (const json &b : m_demo.bindings("DC1")) {
            if (b["id"] == DcToHs1)
                QCOMPARE(b["endpoint"].get<std::string>(), "127.0.0.1:" + std::to_string(toHs1));
        }
    }

    void cleanupTestCase()
    {
        m_blackhole.heal();
        (void)m_demo.stop();
    }

    void silentlyCutPeerIsNoticedAndConvergesAfterHealing()
    {
        const std::set<std::string> before = appliedIds(agent("HOST1"));

        // Changes keep arriving at DC1, three a second, before and during the cut: about 20 wait
        // in its outbox when the path heals.
        std::mutex lock;
        std::vector<Change> made; // in the order DC1 acknowledged them
        std::atomic<bool> writing{true};
        std::atomic<int> failures{0};
        std::thread writer([&] {
            for (int k = 0; writing; ++k) {
                const int i = 1 + k % Users;
                char password[16];
                std::snprintf(password, sizeof password, "P%07d", k);
                auto r = agent("DC1", 5s).post("/v1/passwd",
                                               {{"account", user(i)}, {"password", password}});
                {
                    std::lock_guard<std::mutex> guard(lock);
                    made.push_back({i, password, r ? (*r)["change_id"].get<std::string>() : ""});
                }
                if (!r)
                    ++failures;
                std::this_thread::sleep_for(300ms); // a steady trickle, not a load test
            }
        });
        struct Joiner
        {
            std::atomic<bool> &writing;
            std::thread &writer;
            ~Joiner() // a failed QVERIFY returns early: the writer stops and is joined first
            {
                writing = false;
                if (writer.joinable())
                    writer.join();
            }
        } joiner{writing, writer};
        QVERIFY(waitFor(
            [&] {
                std::lock_guard<std::mutex> guard(lock);
                return made.size() >= 5;
            },
            10s));

        // The cut. Both bindings across it leave "bound", by their own timelines, within 3 s,
        // for a call that failed (not a refusal: nothing refused anything).
        const Millis cut = nowMillis();
        m_blackhole.cut();
        std::size_t madeBeforeCut = 0;
        {
            std::lock_guard<std::mutex> guard(lock);
            madeBeforeCut = made.size();
        }
        json dcLeft, hsLeft;
        const bool noticed = waitFor(
            [&] {
                if (dcLeft.is_null())
                    dcLeft = leftBoundTransition(m_demo.bindings("DC1"), DcToHs1, cut);
                if (hsLeft.is_null())
                    hsLeft = leftBoundTransition(m_demo.bindings("HS1"), Hs1ToDc1, cut);
                return !dcLeft.is_null() && !hsLeft.is_null();
            },
            10s);
        QVERIFY2(noticed, "a binding across the cut stayed bound");
        for (const json *t : {&dcLeft, &hsLeft}) {
            const Millis after = parseIsoTime((*t)["time"].get<std::string>()) - cut;
            qInfo("noticed after %lld ms: %s", static_cast<long long>(after), t->dump().c_str());
            QVERIFY2(after <= DetectWithinMs,
                     qPrintable(QStringLiteral("the cut was noticed after %1 ms").arg(after)));
            QCOMPARE((*t)["to"].get<std::string>(), std::string("stale"));
            QCOMPARE((*t)["status"]["hex"].get<std::string>(), std::string("0x6BE"));
        }

        // While the path is cut nothing made after the cut is delivered, or reported delivered.
        const auto healAt = std::chrono::steady_clock::now() + CutFor -
                            std::chrono::milliseconds(nowMillis() - cut);
        while (std::chrono::steady_clock::now() < healAt) {
            QVERIFY2(state("DC1", DcToHs1) != "bound", "DC1's binding to HS1 bound while cut off");
            std::this_thread::sleep_for(250ms);
        }
        std::vector<Change> duringCut;
        {
            std::lock_guard<std::mutex> guard(lock);
            duringCut.assign(made.begin() + static_cast<std::ptrdiff_t>(madeBeforeCut), made.end());
        }
        QVERIFY2(duringCut.size() >= 10, "too few changes were made while the path was cut");
        const HostHistory applied = appliedOnHost(agent("HOST1"));
        const std::set<std::string> reported = reportedApplied();
        for (const Change &c : duringCut) {
            QVERIFY2(!c.id.empty(), "DC1 refused a change while its peer was cut off");
            QVERIFY2(!applied.times.count(c.id), "a change crossed the cut");
            QVERIFY2(!reported.count(c.id), "DC1 reported a change applied that was not");
        }
        QVERIFY(m_demo.outboxDepth("DC1") >= static_cast<std::int64_t>(duringCut.size()));

        // Healed: the writer stops, and within 2 s both bindings are bound and DC1's outbox is
        // empty.
        writing = false;
        writer.join();
        const auto healed = std::chrono::steady_clock::now();
        m_blackhole.heal();
        const auto sinceHealed = [&] {
            return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - healed)
                                              .count());
        };
        long long rebound = -1;
        const bool converged = waitFor(
            [&] {
                if (rebound < 0 && state("DC1", DcToHs1) == "bound" &&
                    state("HS1", Hs1ToDc1) == "bound")
                    rebound = sinceHealed();
                return rebound >= 0 && m_demo.outboxDepth("DC1") == 0;
            },
            15s);
        const long long took = sinceHealed();
        qInfo("%zu changes made while cut off; after healing bound again at %lld ms, DC1's "
              "outbox empty at %lld ms",
              duringCut.size(), rebound, took);
        QVERIFY2(converged, "the bindings did not rebind, or DC1's outbox did not drain");
        QVERIFY2(took <= ConvergeWithinMs,
                 qPrintable(QStringLiteral("converged %1 ms after healing").arg(took)));

        // Every outbox drains, every binding is bound, and the history holds.
        QVERIFY2(waitFor([&] { return outboxesEmpty(); }, 30s), "the outboxes never drained");
        QCOMPARE(m_demo.boundCount(), 7);
        QCOMPARE(failures.load(), 0);
        std::string summary;
        const std::string problem = checkHistory(agent("HOST1"), made, before, Users, &summary);
        QVERIFY2(problem.empty(), problem.c_str());
        qInfo("%s", summary.c_str());
        const std::set<std::string> reportedAfter = reportedApplied();
        for (const Change &c : made)
            QVERIFY2(reportedAfter.count(c.id), "DC1 never learned that a change was applied");

        const std::string damaged = m_demo.stopAndCheckIntegrity(4);
        QVERIFY2(damaged.empty(), damaged.c_str());
    }
};

QTEST_GUILESS_MAIN(tst_Partition)
#include "tst_partition.moc"
