#include "diagnose.h"

#include "agentdirectory.h"
#include "table.h"

#include "client/snapshot.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/findingjson.h"
#include "model/rpcstatus.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

namespace hostsec::ctl {

using diagnosis::ActionKind;
using diagnosis::Finding;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;
constexpr auto RecheckInterval = 250ms; // how often a fix's findings are looked at again
constexpr std::size_t TextWidth = 100;  // the details wrap at this column

std::chrono::milliseconds millisOf(double seconds)
{
    return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

// `text` wrapped at TextWidth, each line after the first indented by `indent` spaces.
std::string wrapped(const std::string &text, std::size_t indent)
{
    std::string out;
    std::size_t column = indent;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t end = std::min(text.find(' ', i), text.size());
        const std::string word = text.substr(i, end - i);
        if (column > indent && column + 1 + displayWidth(word) > TextWidth) {
            out += '\n' + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += displayWidth(word);
        i = end + 1;
    }
    return out;
}

std::string sinceCell(Millis since, Millis now)
{
    if (since <= 0)
        return "-";
    return formatIsoTime(since) + " (" + formatAge(now - since) + " ago)";
}

// What identifies a finding across two diagnoses: its rule and whom it concerns.
std::string keyOf(const Finding &f)
{
    std::string key = f.rule;
    for (const auto *list : {&f.servers, &f.bindings})
        for (const std::string &item : *list)
            key += '|' + item;
    return key;
}

// Actions that must come first: an agent must run before its bindings can be rebound.
int orderOf(ActionKind kind)
{
    switch (kind) {
    case ActionKind::StartAgent:
        return 0;
    case ActionKind::RebindBinding:
    case ActionKind::RebindServer:
    case ActionKind::RebindAllStale:
        return 1;
    default:
        return 2;
    }
}

struct Fix
{
    std::string rule;
    diagnosis::Action action;
    std::vector<std::string> findingKeys;
    bool ok = false;
    std::string error;
};

class Diagnose
{
public:
    Diagnose(const GlobalOptions &global, const DiagnoseOptions &options, std::ostream &out,
             std::ostream &err)
        : m_global(global)
        , m_options(options)
        , m_out(out)
        , m_err(err)
    {
        m_rules.profile = global.profile;
        m_rules.outboxAge = millisOf(options.outboxMinutes * 60).count();
        m_rules.lagThreshold = millisOf(options.lagSeconds).count();
        m_rules.flapChanges = options.flapChanges;
        m_rules.flapWindow = millisOf(options.flapMinutes * 60).count();
        m_collect.timeout = millisOf(global.timeoutSeconds);
        m_collect.eventWindow = millisOf(options.windowMinutes * 60);
    }

    int run()
    {
        const bool fixing = m_options.fixAll || !m_options.fixRule.empty();
        if (!m_options.fixRule.empty()) {
            const auto &names = diagnosis::ruleNames();
            if (std::find(names.begin(), names.end(), m_options.fixRule) == names.end()) {
                std::string list;
                for (const auto name : names)
                    list += (list.empty() ? "" : ", ") + std::string(name);
                return usage("diagnose: --fix: no rule \"" + m_options.fixRule +
                             "\" (the rules: " + list + ")");
            }
        }
        auto directory = AgentDirectory::open(m_global.profile, millisOf(m_global.timeoutSeconds));
        if (!directory)
            return fail("profile: " + directory.error().message);
        m_profile = directory->profile();

        if (!take())
            return ExitFailure;
        if (fixing)
            fix();
        print();
        if (std::any_of(m_fixes.begin(), m_fixes.end(), [](const Fix &f) { return !f.ok; }))
            return ExitFailure;
        const auto worst = diagnosis::worstLevel(m_findings);
        if (worst == diagnosis::Level::Error)
            return ExitErrors;
        if (worst == diagnosis::Level::Warning)
            return ExitWarnings;
        return 0;
    }

private:
    int usage(const std::string &message)
    {
        m_err << "hostsecctl: usage: " << message << std::endl;
        return ExitUsage;
    }

    int fail(const std::string &message)
    {
        m_out.flush();
        m_err << "hostsecctl: " << message << std::endl;
        return ExitFailure;
    }

    bool take()
    {
        auto snapshot = client::collectSnapshot(m_profile, m_collect);
        if (!snapshot) {
            fail("diagnose: " + snapshot.error().message);
            return false;
        }
        m_snapshot = std::move(snapshot).value();
        m_findings = diagnosis::diagnose(m_snapshot, m_rules);
        return true;
    }

    // Runs each chosen finding's action once (the same action for two findings runs once),
    // then looks again until those findings are gone or --wait has passed.
    void fix()
    {
        for (const Finding &f : m_findings) {
            if (!f.action.runnable() || (!m_options.fixAll && f.rule != m_options.fixRule))
                continue;
            auto same = std::find_if(m_fixes.begin(), m_fixes.end(), [&](const Fix &x) {
                return x.action.kind == f.action.kind && x.action.targets == f.action.targets;
            });
            if (same == m_fixes.end())
                same = m_fixes.insert(m_fixes.end(), Fix{f.rule, f.action, {}, false, {}});
            same->findingKeys.push_back(keyOf(f));
        }
        std::stable_sort(m_fixes.begin(), m_fixes.end(), [](const Fix &a, const Fix &b) {
            return orderOf(a.action.kind) < orderOf(b.action.kind);
        });
        if (m_fixes.empty()) {
            if (!m_global.json)
                m_err << "nothing to fix: no finding" +
                             (m_options.fixAll ? std::string() : " of rule " + m_options.fixRule) +
                             " has an action to run\n";
            return;
        }
        std::vector<std::string> pending;
        for (Fix &fix : m_fixes) {
            if (!m_global.json)
                m_err << "running: " << fix.action.command << std::endl;
            const Status done =
                client::runAction(m_profile, fix.action, millisOf(m_global.timeoutSeconds));
            fix.ok = done.ok();
            if (!done) {
                fix.error = done.error().message;
                m_err << "hostsecctl: diagnose: " << fix.action.command << ": " << fix.error
                      << std::endl;
                continue;
            }
            pending.insert(pending.end(), fix.findingKeys.begin(), fix.findingKeys.end());
        }
        if (pending.empty())
            return;
        const auto deadline = std::chrono::steady_clock::now() + millisOf(m_options.waitSeconds);
        while (true) {
            std::this_thread::sleep_for(RecheckInterval);
            if (!take())
                return;
            const bool cleared =
                std::none_of(m_findings.begin(), m_findings.end(), [&](const Finding &f) {
                    return std::find(pending.begin(), pending.end(), keyOf(f)) != pending.end();
                });
            if (cleared || std::chrono::steady_clock::now() >= deadline)
                break;
        }
    }

    void print()
    {
        if (m_global.json) {
            json document = diagnosis::findingsDocument(m_findings, m_snapshot.takenAt,
                                                        m_global.profile, m_snapshot.gaps);
            if (m_options.fixAll || !m_options.fixRule.empty()) {
                json fixes = json::array();
                for (const Fix &fix : m_fixes)
                    fixes.push_back(
                        {{"rule", fix.rule},
                         {"action", fix.action},
                         {"ok", fix.ok},
                         {"error", fix.error.empty() ? json(nullptr) : json(fix.error)}});
                document["fixes"] = fixes;
            }
            m_out << document.dump(2) << '\n';
            return;
        }
        for (const std::string &gap : m_snapshot.gaps)
            m_err << "note: not read: " << gap << '\n';
        if (m_findings.empty()) {
            printHealthy();
            return;
        }
        Table table({"LEVEL", "SINCE", "TITLE", "ACTION"});
        for (const Finding &f : m_findings)
            table.add({std::string(toString(f.level)), sinceCell(f.since, m_snapshot.takenAt),
                       f.title, f.action.command});
        table.print(m_out);
        for (std::size_t i = 0; i < m_findings.size(); ++i) {
            const Finding &f = m_findings[i];
            const std::string number = std::to_string(i + 1) + ". ";
            m_out << '\n'
                  << number << toString(f.level) << ": " << wrapped(f.title, number.size() + 7)
                  << '\n';
            m_out << "   rule: " << f.rule << '\n';
            m_out << "   what: " << wrapped(f.what, 9) << '\n';
            m_out << "   why:  " << wrapped(f.why, 9) << '\n';
            m_out << "   do:   " << wrapped(f.action.text, 9) << '\n';
            if (!f.action.command.empty())
                m_out << "         " << f.action.command << '\n';
        }
    }

    void printHealthy()
    {
        int reachable = 0;
        for (const auto &agent : m_snapshot.agents)
            reachable += agent.reachable ? 1 : 0;
        std::size_t bound = 0;
        for (const Binding &b : m_snapshot.domain.bindings)
            bound += b.state == BindingState::Bound ? 1 : 0;
        m_out << "no problem found: " << reachable << " of " << m_snapshot.agents.size()
              << " agents answer, " << bound << " of " << m_snapshot.domain.bindings.size()
              << " bindings bound, " << m_snapshot.pending.size() << " changes waiting, "
              << m_snapshot.recentEvents.size() << " events since "
              << formatIsoTime(m_snapshot.eventsFrom) << " read\n";
    }

    const GlobalOptions &m_global;
    const DiagnoseOptions &m_options;
    std::ostream &m_out;
    std::ostream &m_err;
    diagnosis::Options m_rules;
    client::SnapshotOptions m_collect;
    client::Profile m_profile;
    diagnosis::DomainSnapshot m_snapshot;
    std::vector<Finding> m_findings;
    std::vector<Fix> m_fixes;
};

} // namespace

int diagnose(const GlobalOptions &global, const DiagnoseOptions &options, std::ostream &out,
             std::ostream &err)
{
    return Diagnose(global, options, out, err).run();
}

} // namespace hostsec::ctl
