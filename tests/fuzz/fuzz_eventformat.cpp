// Event message formatting: every event the agent raises is makeEvent(id, params) with params
// that often come from the network (account names, peer instance ids, error texts), and the
// event store keeps the params joined in one column. The input is NUL-separated: first an event
// id (decimal) or a message template, then the params. Checked: formatMessage never reads past
// its params and leaves a template without '%' as it is; makeEvent fills the catalogue's
// template (or says the id is unknown) and keeps the params; the store's join and split give
// back the params (with 0x1F, the separator, as a space) and any stored text unchanged.

#include "fuzztarget.h"

#include "events/catalogue.h"
#include "events/eventstore.h"

#include <algorithm>
#include <charconv>

namespace hostsec::fuzz {

namespace {

constexpr std::size_t kMaxParams = 120; // past %99, so "more params than placeholders" is tried

std::vector<std::string> splitOnNul(std::string_view input)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = input.find('\0', start);
        parts.emplace_back(input.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos || parts.size() > kMaxParams)
            return parts;
        start = end + 1;
    }
}

void checkEvent(int id, const std::vector<std::string> &params)
{
    const Event e = makeEvent(id, "HS1", params, 1'764'000'000'000);
    check(e.id == id && e.params == params && e.server == "HS1", "makeEvent changed its input");
    check(toString(e.severity) != "unknown", "an event with an unknown severity");
    if (const CatalogueEntry *entry = catalogueEntry(id)) {
        check(entry->id == id, "catalogueEntry returned another id");
        check(e.message == formatMessage(entry->messageTemplate, params),
              "an event's message is not its template filled in");
        check(e.severity == entry->severity && e.source == entry->source,
              "an event's severity or source is not its catalogue entry's");
    } else {
        check(e.message == "Unknown event " + std::to_string(id) + ".",
              "an unknown id without the unknown-event message");
    }
}

void checkTemplate(std::string_view messageTemplate, const std::vector<std::string> &params)
{
    const std::string out = formatMessage(messageTemplate, params);
    if (messageTemplate.find('%') == std::string_view::npos)
        check(out == messageTemplate, "a template without placeholders changed");
    std::size_t longest = 0;
    for (const std::string &p : params)
        longest = std::max(longest, p.size());
    const auto marks =
        static_cast<std::size_t>(std::count(messageTemplate.begin(), messageTemplate.end(), '%'));
    check(out.size() <= messageTemplate.size() + marks * longest,
          "a message longer than its template and params can make");
}

void checkStoredParams(std::string_view input, const std::vector<std::string> &params)
{
    std::vector<std::string> expected = params;
    for (std::string &p : expected)
        std::replace(p.begin(), p.end(), '\x1f', ' ');
    check(splitEventParams(joinEventParams(params), params.empty()) == expected,
          "params do not survive the event store's join and split");
    const std::string stored(input);
    check(joinEventParams(splitEventParams(stored, false)) == stored,
          "a stored params text does not survive split and join");
}

} // namespace

int eventFormat(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input = text(data, size);
    std::vector<std::string> parts = splitOnNul(input);
    const std::string head = std::move(parts.front());
    parts.erase(parts.begin());

    int id = 0;
    const auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), id);
    if (!head.empty() && ec == std::errc() && end == head.data() + head.size())
        checkEvent(id, parts);
    checkTemplate(head, parts);
    for (const CatalogueEntry &entry : eventCatalogue())
        checkTemplate(entry.messageTemplate, parts);
    checkStoredParams(input, parts);
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::eventFormat)
