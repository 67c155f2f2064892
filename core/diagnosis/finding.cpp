#include "diagnosis/finding.h"

#include "events/catalogue.h"

#include <array>

namespace hostsec::diagnosis {

namespace {

constexpr std::array<std::string_view, 3> LevelNames = {"info", "warning", "error"};
constexpr std::array<std::string_view, 7> ActionKindNames = {
    "none",         "rebind-binding", "rebind-server", "rebind-all-stale",
    "resync-users", "resync-failed",  "start-agent"};

} // namespace

std::string_view toString(Level level)
{
    const auto index = static_cast<std::size_t>(level);
    return index < LevelNames.size() ? LevelNames[index] : "unknown";
}

std::optional<Level> levelFromString(std::string_view text)
{
    for (std::size_t i = 0; i < LevelNames.size(); ++i) {
        if (LevelNames[i] == text)
            return static_cast<Level>(i);
    }
    return std::nullopt;
}

std::string_view toString(ActionKind kind)
{
    const auto index = static_cast<std::size_t>(kind);
    return index < ActionKindNames.size() ? ActionKindNames[index] : "unknown";
}

std::optional<ActionKind> actionKindFromString(std::string_view text)
{
    for (std::size_t i = 0; i < ActionKindNames.size(); ++i) {
        if (ActionKindNames[i] == text)
            return static_cast<ActionKind>(i);
    }
    return std::nullopt;
}

std::string toText(const std::vector<Phrase> &phrases)
{
    std::string text;
    for (const Phrase &phrase : phrases) {
        if (!text.empty())
            text += ' ';
        text += formatMessage(phrase.text, phrase.params);
    }
    return text;
}

} // namespace hostsec::diagnosis
