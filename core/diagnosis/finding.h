#pragma once

#include "model/time.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec::diagnosis {

/// How bad a finding is; findings are listed most severe first.
enum class Level
{
    Info = 0,    // worth knowing, nothing is broken (a lagging link)
    Warning = 1, // degraded: something will break or is retrying
    Error = 2,   // broken: changes or look-ups fail now
};
std::string_view toString(Level level); // "info", "warning", "error"
std::optional<Level> levelFromString(std::string_view text);

/// One sentence of a finding's text as a template marked for translation (HOSTSEC_TR, context
/// "hostsec::Finding") and its %1..%n, so the console can show it in the user's language; the
/// plain `title`, `what`, `why` and `Action::text` hold the same sentences filled in English.
struct Phrase
{
    std::string_view text;           // the template: a string literal, never freed
    std::vector<std::string> params; // %1..%n
};
/// The phrases filled in and joined with a space, as `title`, `what` and `why` hold them.
std::string toText(const std::vector<Phrase> &phrases);

/// What the recommended action does, so a console button or a script can run it.
enum class ActionKind
{
    None,           // nothing to run; the text says what to check
    RebindBinding,  // POST /v1/rebind {"binding": target} on the binding's client agent
    RebindServer,   // POST /v1/rebind {"all": true} on the named server's agent
    RebindAllStale, // POST /v1/rebind {"all_stale": true} on every agent
    ResyncUsers,    // POST /v1/resync {"users": [...]} on the primary cache
    ResyncFailed,   // POST /v1/resync {"failed": true} on the primary cache
    StartAgent,     // start the named server's agent (demo domain: hostsecctl demo start)
};
std::string_view toString(ActionKind kind); // "none", "rebind-binding", ...
std::optional<ActionKind> actionKindFromString(std::string_view text);

/// The action a finding recommends: what it is, whom it concerns, and the exact command.
struct Action
{
    ActionKind kind = ActionKind::None;
    std::vector<std::string> targets; // binding ids, a server name, or user accounts
    std::string text;                 // "Force a rebind of HS2's two stale bindings to HS1."
    std::string command;              // "hostsecctl -p PROFILE rebind --server HS2"
    std::vector<Phrase> textPhrases;  // `text` for translation
    /// Whether there is something to run (kind is not None); `command` may still be a command
    /// that shows the evidence when there is not.
    bool runnable() const { return kind != ActionKind::None; }
};

/// One thing the diagnosis found wrong (or worth knowing), in an administrator's words.
struct Finding
{
    std::string rule; // the rule that raised it, stable: "stale-after-recycle"
    Level level = Level::Warning;
    std::string title; // one line: "2 bindings to HS1 stale since HS1 was recycled at 10:42"
    std::vector<std::string> servers;
    std::vector<std::string> bindings;
    std::vector<std::string> users;
    Millis since = 0; // when it started, 0 if unknown
    std::string what; // what happened, with figures
    std::string why;  // the cause in plain words (the Q216558 pattern where it applies)
    Action action;
    std::vector<Phrase> titlePhrases; // `title`, `what` and `why` for translation
    std::vector<Phrase> whatPhrases;
    std::vector<Phrase> whyPhrases;
};

} // namespace hostsec::diagnosis
