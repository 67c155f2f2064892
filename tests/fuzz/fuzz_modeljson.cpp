// What the console and hostsecctl read from an agent: the JSON of the model types (modeljson's
// from_json, used by ui/session.cpp on /v1/bindings and the watch stream and by
// core/client/snapshot.cpp), and ISO 8601 times (also the agent's `from`/`until` query
// parameters). The input is parsed as the console parses an answer, then read as each model
// type. Checked: a refusal is exactly std::invalid_argument, as documented (anything else
// thrown is a finding); a binding keeps at most Binding::TimelineLimit transitions; what is read,
// written again with to_json, reads back the same; a time that parses (after the epoch) prints as
// text that parses to the same time.

#include "fuzztarget.h"

#include "model/time.h"
#include "protocol/modeljson.h"

#include <stdexcept>

namespace hostsec::fuzz {

namespace {

using nlohmann::json;

// Reads `value` as a T, and `inspect`s it; when that works, T's JSON must read back the same.
template <class T, class Inspect>
void readAs(const json &value, Inspect &&inspect)
{
    T read;
    try {
        read = value.get<T>();
    } catch (const std::invalid_argument &) {
        return; // a refusal, as documented
    }
    inspect(read);
    const json written = read;
    T again;
    try {
        again = written.get<T>();
    } catch (const std::invalid_argument &e) {
        fail(std::string("our own JSON is refused: ") + e.what() + ": " +
             written.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 600));
    }
    inspect(again);
    check(json(again) == written, "a model value changes when written and read again");
}

void readTime(const std::string &text)
{
    const Millis t = parseIsoTime(text);
    if (t <= 0) // 0, the epoch itself, is "never" throughout the model and prints as ""
        return;
    const std::string printed = formatIsoTime(t);
    check(parseIsoTime(printed) == t, "a time does not read back from its own text: " + printed);
}

} // namespace

int modelJson(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input = text(data, size);
    readTime(std::string(input));
    const json value = json::parse(input.begin(), input.end(), nullptr, false);
    if (value.is_discarded())
        return 0;
    const auto none = [](const auto &) {};
    readAs<ServiceKind>(value, none);
    readAs<CacheRole>(value, none);
    readAs<BindingState>(value, none);
    readAs<RebindPolicy>(value, none);
    readAs<SyncState>(value, none);
    readAs<Service>(value, none);
    readAs<Server>(value, none);
    readAs<BindingTransition>(value, none);
    readAs<UserMapping>(value, none);
    const auto timeline = [](const Binding &b) {
        check(b.timeline.size() <= Binding::TimelineLimit, "a timeline over its limit kept");
    };
    readAs<Binding>(value, timeline);
    readAs<Domain>(value, [&](const Domain &d) {
        for (const Binding &b : d.bindings)
            timeline(b);
    });
    if (value.is_object()) { // the watch stream's {"type": "binding", "binding": {...}}
        if (const auto binding = value.find("binding"); binding != value.end())
            readAs<Binding>(*binding, timeline);
    }
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::modelJson)
