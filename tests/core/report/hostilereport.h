#pragma once

// A report built by hand whose every name is hostile: separators, quotes, line breaks, markup,
// a right-to-left override, Hebrew, a control character. Shared by the report format tests.

#include "events/catalogue.h"
#include "model/rpcstatus.h"
#include "report/report.h"

#include <string>
#include <vector>

namespace hostsec::testing {

inline constexpr Millis ReportTime = 1'764'100'000'000; // 2025-11-25T19:46:40Z

// The hostile names. Each is short, so a PDF table cell does not break it across lines.
inline const std::string CommaQuote = "HS,\"1\"";                // CSV separators
inline const std::string Script = "<script>alert(1)</script>";   // markup
inline const std::string NewLine = "HS\r\nTWO";                  // a line break inside
inline const std::string RightToLeft = "\u202Eevil\u05D0\u05D1"; // RLO, then Hebrew
// How documents (HTML, PDF) show it: the override as a visible marker.
inline const std::string RightToLeftShown = "[U+202E]evil\u05D0\u05D1";
inline const std::string Control = std::string("ctl\x01") + "x"; // a C0 control
inline const std::string Ampersand = "R&D <b>bold</b> 'q'";

inline report::Report hostileReport()
{
    using namespace hostsec::diagnosis;
    report::Report r;
    r.meta.generatedBy = "eve@" + Script;
    r.meta.generatedAt = ReportTime;
    r.meta.profile = "/tmp/pro,file \"x\"/profile.json";
    r.meta.from = ReportTime - 86'400'000;
    r.meta.until = ReportTime;
    r.meta.sections = report::allSections();

    DomainSnapshot &s = r.snapshot;
    s.takenAt = ReportTime - 1000;
    s.profile = r.meta.profile;
    s.domain.name = "CONTOSO" + Script;
    s.gaps = {CommaQuote + ": GET /v1/outbox: " + Script};
    s.domain.hostDomain = "HOST\"DOM";

    const auto server = [](std::string name, std::vector<Service> services, std::string port) {
        Server sv;
        sv.name = std::move(name);
        sv.address = "127.0.0.1:" + port;
        sv.services = std::move(services);
        sv.instanceId = "inst-" + port;
        sv.startedAt = ReportTime - 3'600'000;
        sv.version = "0.1.0";
        return sv;
    };
    s.domain.servers = {
        server("DC1", {{ServiceKind::DomainAccountSync, CacheRole::None}}, "40101"),
        server(CommaQuote, {{ServiceKind::HostAccountSync, CacheRole::Primary}}, "40102"),
        server(RightToLeft, {{ServiceKind::HostAccountSync, CacheRole::Backup}}, "40103"),
        server(NewLine, {{ServiceKind::Host, CacheRole::None}}, "40104"),
    };
    s.agents = {
        {"DC1", "127.0.0.1:40101", true, "", 0},
        {CommaQuote, "127.0.0.1:40102", true, "", 0},
        {RightToLeft, "127.0.0.1:40103", true, "", 0},
        {NewLine, "127.0.0.1:40104", true, "", 0},
        {Script, "127.0.0.1:40105", false,
         "0x6BA RPC_S_SERVER_UNAVAILABLE: connect: refused\n" + Ampersand, ReportTime - 600'000},
    };

    const auto binding = [](const std::string &from, ServiceKind fromService, const std::string &to,
                            ServiceKind toService, BindingState state, std::uint32_t error) {
        Binding b;
        b.id = Binding::makeId(from, fromService, to, toService);
        b.fromServer = from;
        b.fromService = fromService;
        b.toServer = to;
        b.toService = toService;
        b.interfaceUuid = std::string(interfaceUuid(toService));
        b.endpoint = "127.0.0.1:1";
        b.state = state;
        b.policy = state == BindingState::Stale ? RebindPolicy::Manual : RebindPolicy::Auto;
        b.lastError = error;
        b.lastSuccess = ReportTime - 120'000;
        b.lastFailure = error ? ReportTime - 60'000 : 0;
        b.consecutiveFailures = error ? 3 : 0;
        b.peerInstance = "peer-" + to;
        b.timeline = {{ReportTime - 130'000, BindingState::Unbound, BindingState::Bound,
                       rpc::Success, "bound"}};
        if (state != BindingState::Bound)
            b.timeline.push_back({ReportTime - 60'000, BindingState::Bound, state, error,
                                  "peer " + to + " recycled\n" + Script});
        return b;
    };
    using K = ServiceKind;
    s.domain.bindings = {
        binding("DC1", K::DomainAccountSync, CommaQuote, K::HostAccountSync, BindingState::Bound,
                0),
        binding(CommaQuote, K::HostAccountSync, "DC1", K::DomainAccountSync, BindingState::Stale,
                rpc::CallFailed),
        binding("DC1", K::DomainAccountSync, RightToLeft, K::HostAccountSync, BindingState::Failed,
                rpc::AccessDenied),
        binding(RightToLeft, K::HostAccountSync, CommaQuote, K::HostAccountSync,
                BindingState::Rebinding, rpc::ServerUnavailable),
        binding(CommaQuote, K::HostAccountSync, NewLine, K::Host, BindingState::Unbound, 0),
        binding(NewLine, K::Host, CommaQuote, K::HostAccountSync, BindingState::Bound, 0),
        binding(CommaQuote, K::HostAccountSync, Script, K::HostAccountSync, BindingState::Failed,
                rpc::ServerUnavailable),
    };

    s.users = {
        {"CONTOSO\\" + Script, "SCRIPT", "HOSTDOM", SyncState::Pending, ReportTime - 5000,
         rpc::Success},
        {"CONTOSO\\a,b\"c", "ABC", "HOSTDOM", SyncState::Failed, ReportTime - 4000,
         rpc::CallFailed},
        {"CONTOSO\\" + RightToLeft, "HEB", "HOSTDOM", SyncState::Rejected, ReportTime - 3000,
         rpc::PasswordRestriction},
        {"CONTOSO\\" + Control, "CTL", "HOSTDOM", SyncState::Failed, ReportTime - 2000,
         rpc::CallFailed},
    };
    s.pending = {
        {"DC1", 12, "DC1-12", "domain", "CONTOSO\\a,b\"c", CommaQuote + "/host-account-sync",
         ReportTime - 900'000, 7, ReportTime - 10'000, rpc::CallFailed},
        {CommaQuote, 3, "HS1-3", "domain", "CONTOSO\\" + Script, NewLine + "/host",
         ReportTime - 800'000, 1, ReportTime - 20'000, rpc::ServerUnavailable},
    };

    Finding stale;
    stale.rule = "stale-after-recycle";
    stale.level = Level::Error;
    stale.title = "Binding to " + CommaQuote + " stale since it was recycled " + Script;
    stale.servers = {CommaQuote, RightToLeft};
    stale.bindings = {s.domain.bindings[1].id};
    stale.since = ReportTime - 60'000;
    stale.what = "3 calls failed with 0x6BE\nsince the peer's instance changed";
    stale.why = "The Q216558 pattern: " + Ampersand;
    stale.action = {ActionKind::RebindServer,
                    {CommaQuote},
                    "Force a rebind of " + CommaQuote,
                    "hostsecctl -p '/tmp/a b' rebind --server 'HS,\"1\"'"};
    Finding lag;
    lag.rule = "link-lagging";
    lag.level = Level::Info;
    lag.title = "Link to " + RightToLeft + " lags";
    lag.what = "2 changes older than 1 minute";
    lag.why = "Normal under load.";
    Finding denied;
    denied.rule = "access-denied";
    denied.level = Level::Warning;
    denied.title = "0x5 Access is denied on DC1 -> " + RightToLeft;
    denied.users = {"CONTOSO\\a,b\"c"};
    denied.action = {ActionKind::None, {}, "Check the peer's role and certificate.", ""};
    r.findings = {lag, stale, denied}; // the report lists the error first

    const Millis hour = (ReportTime / 3'600'000) * 3'600'000;
    r.events = report::summaryOf(std::vector<EventSummaryRow>{
        {ev::RpcLayerError, CommaQuote, hour, 12, Severity::Error},
        {ev::SsoFailed, RightToLeft, hour - 3'600'000, 3, Severity::Error},
        {ev::BindingStale, Script, hour, 1, Severity::Warning},
        {ev::ChangeApplied, NewLine, hour - 3'600'000, 40, Severity::Information},
        {9999, "DC1", hour, 2, Severity::Error}, // an id this catalogue does not know
    });
    return r;
}

} // namespace hostsec::testing
