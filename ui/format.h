#pragma once

#include "events/event.h"
#include "model/domain.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QString>

namespace hostsec::ui {

/// How the console words and colours the domain's values; every text is translated at the
/// moment it is asked for, so a language switch shows at the next repaint.
class Format
{
    Q_DECLARE_TR_FUNCTIONS(hostsec::ui::Format)
public:
    /// The event's message in the current language, from its catalogue template and params.
    static QString eventMessage(const Event &event);
    /// What the event means and what to do, from the catalogue; "" for an unknown id.
    static QString eventExplanation(int id);
    /// The catalogue's symbolic name ("RPC_LAYER_ERROR"), or "".
    static QString eventSymbol(int id);
    /// The standard text of an RPC status in the current language.
    static QString rpcStatusText(std::uint32_t code);
    /// "0x6BE RPC_S_CALL_FAILED", or "" for success.
    static QString rpcStatusShort(std::uint32_t code);
    /// "0x6BE RPC_S_CALL_FAILED: The remote procedure call failed."
    static QString rpcStatusLong(std::uint32_t code);
    /// The first RPC status named in an event's params (630's first param is a hex code), if
    /// the event kind carries one.
    static bool eventRpcStatus(const Event &event, std::uint32_t &code);

    /// "bound", "stale", ... in the current language.
    static QString bindingState(BindingState state);
    /// The colour of a binding state in every view: bound green, stale amber, failed red,
    /// rebinding blue, unbound grey.
    static QColor bindingStateColor(BindingState state);
    /// A coloured dot for a binding state.
    static QIcon bindingStateIcon(BindingState state);
    /// "auto" / "manual" in the current language.
    static QString rebindPolicy(RebindPolicy policy);
    /// "Domain controller", "Primary cache", ...
    static QString serverRole(ServerRole role);
    /// "domain account sync", ...
    static QString serviceKind(ServiceKind kind);
    /// "Services" column text: every service, cache role included.
    static QString services(const Server &server);
    /// "Information", "Warning", ...
    static QString severity(Severity severity);
    /// An icon for an event severity.
    static QIcon severityIcon(Severity severity);
    /// "in sync", "pending", ...
    static QString syncState(SyncState state);
    /// The colour of a sync state (failed and rejected red, pending amber).
    static QColor syncStateColor(SyncState state);
    /// Local date and time, or "never" for 0.
    static QString time(Millis t);
    /// Local time of day only (hh:mm:ss).
    static QString timeOfDay(Millis t);
    /// "3 d 04:05:06", "04:05:06", "12 s".
    static QString duration(qint64 ms);
};

} // namespace hostsec::ui
