// hostsecctl: the command-line twin of the Host Security Console. This file only parses the
// arguments (CLI11) and reports; commands.cpp does the work.

#include "audit.h"
#include "commands.h"
#include "diagnose.h"
#include "pki.h"
#include "report.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

constexpr int ExitFailure = 1; // a command failed
constexpr int ExitUsage = 2;   // the command line was wrong

int report(const hostsec::Status &status)
{
    if (status)
        return 0;
    std::cout.flush();
    std::cerr << "hostsecctl: " << status.error().message << std::endl;
    return ExitFailure;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace hostsec::ctl;

    CLI::App app{"hostsecctl: the command-line twin of the Host Security Console. Reads and acts "
                 "on the hostsecd agents of a domain profile.",
                 "hostsecctl"};
    // Global options may also follow the subcommand: `hostsecctl status --json -p DIR`.
    app.fallthrough();
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Print the help of every command");

    GlobalOptions global;
    app.add_option("-p,--profile", global.profile,
                   "Domain profile: a profile.json, or a demo domain's folder")
        ->envname("HOSTSEC_PROFILE");
    app.add_flag("--json", global.json, "Print JSON (the admin API's shapes) instead of tables");
    app.add_option("--timeout", global.timeoutSeconds, "Seconds to wait for each agent's answer")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    // demo
    auto *demo = app.add_subcommand("demo", "The embedded demo domain: four agents on loopback");
    demo->require_subcommand(1);
    std::string demoDir;
    std::string demoServer;
    int demoUsers = 50;
    double demoWait = 20;
    auto *demoInit = demo->add_subcommand("init", "Write a demo domain's configs and profile");
    demoInit->add_option("DIR", demoDir, "Folder of the demo domain")->required();
    demoInit->add_option("--users", demoUsers, "Demo users to seed")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    auto *demoStart =
        demo->add_subcommand("start", "Start the agents; returns when all are healthy");
    demoStart->add_option("DIR", demoDir, "Folder of the demo domain")->required();
    demoStart->add_option("--wait", demoWait, "Seconds to wait for the agents to answer")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    auto *demoStop = demo->add_subcommand("stop", "Stop the agents (SIGTERM, then SIGKILL)");
    demoStop->add_option("DIR", demoDir, "Folder of the demo domain")->required();
    auto *demoRecycle =
        demo->add_subcommand("recycle", "kill -9 one agent and start it again, as a reboot would");
    demoRecycle->add_option("DIR", demoDir, "Folder of the demo domain")->required();
    demoRecycle->add_option("SERVER", demoServer, "DC1, HS1, HS2 or HOST1")->required();
    demoRecycle->add_option("--wait", demoWait, "Seconds to wait for the agent to answer")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    // pki (pki.cpp): the domain's own certificate authority; files only, no agent.
    auto *pkiCommand =
        app.add_subcommand("pki", "The domain's own certificate authority, for mutual TLS");
    pkiCommand->require_subcommand(1);
    std::string pkiDir;
    std::string pkiDomain = "HOSTDOM";
    auto *pkiInitCommand = pkiCommand->add_subcommand(
        "init", "Create the domain's CA in a folder: ca.key (0600) and ca.crt, for 10 years");
    pkiInitCommand->add_option("DIR", pkiDir, "Folder of the CA (made 0700 if new)")->required();
    pkiInitCommand->add_option("--domain", pkiDomain, "Name of the host security domain")
        ->capture_default_str();
    PkiIssueOptions pkiIssueOptions;
    auto *pkiIssueCommand = pkiCommand->add_subcommand(
        "issue", "Issue a key (0600) and a certificate signed by the CA: NAME.key, NAME.crt");
    pkiIssueCommand->add_option("--ca", pkiIssueOptions.caDir, "Folder of the CA")->required();
    pkiIssueCommand
        ->add_option("--name", pkiIssueOptions.name, "Server or operator (the CN and file name)")
        ->required();
    pkiIssueCommand->add_option("--role", pkiIssueOptions.role, "service, viewer, operator, admin")
        ->required()
        ->check(CLI::IsMember({"service", "viewer", "operator", "admin"}));
    pkiIssueCommand->add_option("--host", pkiIssueOptions.hosts,
                                "DNS name or IP address peers connect to (repeatable; role "
                                "service needs one)");
    pkiIssueCommand->add_option("--days", pkiIssueOptions.days, "Days of validity")
        ->check(CLI::Range(1, 3650))
        ->capture_default_str();
    pkiIssueCommand->add_option("-o,--output", pkiIssueOptions.outDir, "Folder for the files")
        ->required();

    // reading
    std::string server;
    auto *status = app.add_subcommand("status", "Every agent's status");
    status->add_option("--server", server, "Only this server");
    auto *bindings = app.add_subcommand("bindings", "Every binding, merged from all agents");
    bindings->add_option("--server", server, "Only the bindings this server holds");

    UsersOptions usersOptions;
    auto *users = app.add_subcommand("users", "User mappings of the primary host account cache");
    users->add_option("--state", usersOptions.state, "in-sync, pending, failed or rejected");
    users->add_option("--text", usersOptions.text, "Domain or host account contains this");
    users->add_option("--limit", usersOptions.limit, "At most this many (0: all)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();

    std::string outboxUser;
    auto *outbox = app.add_subcommand("outbox", "Changes waiting for a peer, from every agent");
    outbox->add_option("--server", server, "Only this server");
    outbox->add_option("--user", outboxUser, "Only this domain account's changes");

    EventsOptions eventsOptions;
    auto *events = app.add_subcommand("events", "Event logs of every agent, merged in time order");
    events->add_option("--server", eventsOptions.server, "Only this server");
    events->add_option("--after", eventsOptions.after, "Only events after this sequence number");
    events->add_option("--limit", eventsOptions.limit, "At most this many (1-1000)")
        ->capture_default_str();
    events->add_option("--id", eventsOptions.ids, "Event id (repeatable or comma list)")
        ->delimiter(',');
    events
        ->add_option("--severity", eventsOptions.severities,
                     "information, warning, error, audit-success, audit-failure")
        ->delimiter(',');
    events->add_option("--source", eventsOptions.sources, "Event source (repeatable)")
        ->delimiter(',');
    events->add_option("--text", eventsOptions.text, "Full-text words");
    events->add_option("--from", eventsOptions.from, "Not before this ISO time");
    events->add_option("--until", eventsOptions.until, "Not after this ISO time");

    // acting
    RebindOptions rebindOptions;
    auto *rebind = app.add_subcommand("rebind", "Force bindings to rebind");
    rebind->add_option("BINDING_ID", rebindOptions.binding,
                       "A binding id, e.g. DC1/domain-account-sync->HS1/host-account-sync");
    rebind->add_option("--server", rebindOptions.server, "Every binding this server holds");
    rebind->add_flag("--all-stale", rebindOptions.allStale, "Every stale binding of every agent");

    ResyncOptions resyncOptions;
    auto *resync = app.add_subcommand("resync", "Push users' passwords to the host again");
    resync->add_option("--user", resyncOptions.users, "DOMAIN\\user (repeatable)");
    resync->add_flag("--failed", resyncOptions.failed, "Every user whose sync failed");
    resync->add_flag("--all", resyncOptions.all, "Every user");
    resync->add_flag("--no-wait", resyncOptions.noWait, "Start the job and return");

    std::string rotateServer;
    auto *rotateKey = app.add_subcommand(
        "rotate-key",
        "Replace a host account cache's key (cache.key) and re-encrypt every stored credential "
        "under the new one; SSO keeps answering throughout. Prints the count and the old and new "
        "key ids, never key material");
    rotateKey->add_option("SERVER", rotateServer, "A server running host-account-sync, e.g. HS1")
        ->required();

    std::string account;
    auto *passwd = app.add_subcommand(
        "passwd", "Change a domain user's password (new password on stdin), as the domain would");
    passwd->add_option("ACCOUNT", account, "DOMAIN\\user")->required();
    auto *hostPasswd = app.add_subcommand(
        "host-passwd", "Change a host user's password on the host (new password on stdin)");
    hostPasswd->add_option("HOSTUSER", account, "Host user id")->required();
    auto *hostLogon =
        app.add_subcommand("host-logon", "Log a host user on to the host (password on stdin)");
    hostLogon->add_option("HOSTUSER", account, "Host user id")->required();

    bool ssoLogon = false;
    std::string ssoServer;
    auto *sso = app.add_subcommand("sso", "Single sign-on look-up for a domain user");
    sso->add_option("ACCOUNT", account, "DOMAIN\\user")->required();
    sso->add_flag("--logon", ssoLogon, "Then log on to the host with the credential it returned");
    sso->add_option("--server", ssoServer, "Ask this server instead of the domain controller");

    // diagnose (diagnose.cpp): findings with their commands; its own exit codes.
    DiagnoseOptions diagnoseOptions;
    auto *diagnoseCommand = app.add_subcommand(
        "diagnose", "What is wrong, why, and the command that fixes it. Exits 0 when nothing is "
                    "of level warning or above, 3 for warnings, 4 for errors");
    auto *fixRule = diagnoseCommand->add_option(
        "--fix", diagnoseOptions.fixRule, "Run the recommended action of this rule's findings");
    diagnoseCommand->add_flag("--fix-all", diagnoseOptions.fixAll, "Run every finding's action")
        ->excludes(fixRule);
    diagnoseCommand
        ->add_option("--wait", diagnoseOptions.waitSeconds,
                     "Seconds a fix may take to clear its findings")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    diagnoseCommand
        ->add_option("--outbox-minutes", diagnoseOptions.outboxMinutes,
                     "Report changes waiting this long for a peer that cannot take them")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    diagnoseCommand
        ->add_option("--lag-seconds", diagnoseOptions.lagSeconds,
                     "Report a working link whose oldest change is this old")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    diagnoseCommand
        ->add_option("--flap-changes", diagnoseOptions.flapChanges,
                     "Report a binding lost more than this many times in --flap-minutes")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    diagnoseCommand
        ->add_option("--flap-minutes", diagnoseOptions.flapMinutes,
                     "The window --flap-changes counts in")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    diagnoseCommand
        ->add_option("--window-minutes", diagnoseOptions.windowMinutes,
                     "Read the events of this many recent minutes")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    // audit (audit.cpp): the agents' hash-chained audit trails; its own exit codes.
    auto *auditCommand = app.add_subcommand("audit", "The operators' audit trail on each agent");
    auditCommand->require_subcommand(1);
    std::vector<std::string> auditServers;
    auto *auditVerifyCommand = auditCommand->add_subcommand(
        "verify", "Check that each agent's hash-chained audit records are intact. Exits 0 when "
                  "every chain verifies, 3 when any is broken");
    auditVerifyCommand->add_option("SERVER", auditServers,
                                   "Only these servers (default: every agent of the profile)");

    // report (report.cpp): the domain's report as HTML, PDF, CSV or JSON (docs/reports.md).
    ReportOptions reportOptions;
    auto *reportCommand = app.add_subcommand(
        "report", "A report of the domain for auditors: servers, bindings, users, pending "
                  "changes, findings and an event summary");
    reportCommand->add_option("--format", reportOptions.format, "html, pdf, csv or json")
        ->required()
        ->check(CLI::IsMember({"html", "pdf", "csv", "json"}));
    reportCommand->add_option("--since", reportOptions.since,
                              "Events from this ISO time or age (30m, 24h, 7d, 2w); default 24h");
    reportCommand->add_option("--until", reportOptions.until,
                              "Events before this ISO time or age; default now");
    reportCommand
        ->add_option("--sections", reportOptions.sections,
                     "servers, bindings, users, pending, findings, events (comma list); "
                     "default all")
        ->delimiter(',');
    reportCommand->add_option("-o,--output", reportOptions.output, "The file; for csv a folder")
        ->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        // "A subcommand is required" hides a mistyped command; name the word instead.
        const auto extra = app.remaining();
        if (app.get_subcommands().empty() && !extra.empty())
            std::cerr << "hostsecctl: usage: unknown command \"" << extra.front()
                      << "\" (see hostsecctl --help)" << std::endl;
        else
            std::cerr << "hostsecctl: usage: " << e.what() << " (see hostsecctl --help)"
                      << std::endl;
        return ExitUsage;
    }

    Commands commands(global, std::cout, std::cerr);
    try {
        if (*diagnoseCommand)
            return diagnose(global, diagnoseOptions, std::cout, std::cerr);
        if (*auditVerifyCommand)
            return auditVerify(global, auditServers, std::cout, std::cerr);
        if (*reportCommand)
            return report(writeReport(global, reportOptions, std::cout, std::cerr));
        if (*demoInit)
            return report(commands.demoInit(demoDir, demoUsers));
        if (*demoStart)
            return report(commands.demoStart(demoDir, demoWait));
        if (*demoStop)
            return report(commands.demoStop(demoDir));
        if (*demoRecycle)
            return report(commands.demoRecycle(demoDir, demoServer, demoWait));
        if (*pkiInitCommand)
            return report(pkiInit(global, pkiDir, pkiDomain, std::cout));
        if (*pkiIssueCommand)
            return report(pkiIssue(global, pkiIssueOptions, std::cout));
        if (*status)
            return report(commands.status(server));
        if (*bindings)
            return report(commands.bindings(server));
        if (*users)
            return report(commands.users(usersOptions));
        if (*outbox)
            return report(commands.outbox(server, outboxUser));
        if (*events)
            return report(commands.events(eventsOptions));
        if (*rebind)
            return report(commands.rebind(rebindOptions));
        if (*resync)
            return report(commands.resync(resyncOptions));
        if (*rotateKey)
            return report(commands.rotateKey(rotateServer));
        if (*passwd)
            return report(commands.passwd(account));
        if (*hostPasswd)
            return report(commands.hostPasswd(account));
        if (*hostLogon)
            return report(commands.hostLogon(account));
        if (*sso)
            return report(commands.sso(account, ssoLogon, ssoServer));
    } catch (const std::exception &e) {
        // An answer of an unexpected shape, or out of memory: say so on one line.
        std::cout.flush();
        std::cerr << "hostsecctl: " << app.get_subcommands().front()->get_name()
                  << ": unexpected failure: " << e.what() << std::endl;
        return ExitFailure;
    }
    std::cerr << "hostsecctl: usage: no command given (see hostsecctl --help)" << std::endl;
    return ExitUsage;
}
