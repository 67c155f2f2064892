#include "report/report.h"

#include "events/catalogue.h"
#include "model/rpcstatus.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>

namespace hostsec::report {

namespace {

constexpr std::array<std::string_view, 6> SectionNames = {"servers", "bindings", "users",
                                                          "pending", "findings", "events"};

int stateRank(SyncState state)
{
    switch (state) {
    case SyncState::Failed:
        return 0;
    case SyncState::Rejected:
        return 1;
    case SyncState::Pending:
        return 2;
    case SyncState::InSync:
        return 3;
    }
    return 4;
}

} // namespace

std::string_view toString(Section section)
{
    const auto index = static_cast<std::size_t>(section);
    return index < SectionNames.size() ? SectionNames[index] : "unknown";
}

std::optional<Section> sectionFromString(std::string_view text)
{
    for (std::size_t i = 0; i < SectionNames.size(); ++i) {
        if (SectionNames[i] == text)
            return static_cast<Section>(i);
    }
    return std::nullopt;
}

const std::vector<Section> &allSections()
{
    static const std::vector<Section> sections = {Section::Servers,  Section::Bindings,
                                                  Section::Users,    Section::Pending,
                                                  Section::Findings, Section::Events};
    return sections;
}

Result<std::vector<Section>> parseSections(const std::vector<std::string> &words)
{
    std::vector<bool> chosen(SectionNames.size(), false);
    for (const std::string &word : words) {
        const auto section = sectionFromString(word);
        if (!section) {
            std::string names;
            for (const auto name : SectionNames) {
                if (!names.empty())
                    names += ", ";
                names += name;
            }
            return Error{static_cast<int>(rpc::InvalidParameter),
                         "unknown section \"" + word + "\" (one of " + names + ")"};
        }
        chosen[static_cast<std::size_t>(*section)] = true;
    }
    std::vector<Section> sections;
    for (const Section section : allSections()) {
        if (chosen[static_cast<std::size_t>(section)])
            sections.push_back(section);
    }
    return sections;
}

EventSummary summaryOf(const EventStore &store, EventFilter filter)
{
    return [&store, filter = std::move(filter)](const SummaryVisitor &visit) {
        return store.summarize(filter, visit);
    };
}

EventSummary summaryOf(std::vector<EventSummaryRow> rows)
{
    std::sort(rows.begin(), rows.end(), [](const EventSummaryRow &a, const EventSummaryRow &b) {
        return std::tie(a.hour, a.server, a.id) < std::tie(b.hour, b.server, b.id);
    });
    return [rows = std::move(rows)](const SummaryVisitor &visit) -> Status {
        for (const EventSummaryRow &row : rows) {
            if (!visit(row))
                break;
        }
        return {};
    };
}

bool Report::has(Section section) const
{
    return std::find(meta.sections.begin(), meta.sections.end(), section) != meta.sections.end();
}

EventWording eventWording(int id)
{
    const CatalogueEntry *entry = catalogueEntry(id);
    if (!entry)
        return {"UNKNOWN", "", "Event " + std::to_string(id) + " (not in this catalogue)", ""};
    // Nine placeholders are more than any template uses; each shows as an ellipsis.
    static const std::vector<std::string> Ellipses(9, "\xE2\x80\xA6");
    return {std::string(entry->symbol), std::string(entry->source),
            formatMessage(entry->messageTemplate, Ellipses), std::string(entry->explanation)};
}

std::string statusText(std::uint32_t code)
{
    if (code == rpc::Success)
        return {};
    const RpcStatus status = rpcStatus(code);
    return rpcCodeHex(code) + " " + std::string(status.name) + ": " + std::string(status.text);
}

Status writeFile(const std::string &path, const std::function<Status(std::ostream &)> &write)
{
    namespace fs = std::filesystem;
    const fs::path final(path);
    fs::path part = final;
    part += ".part";
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    if (!out)
        return Error{errno, "cannot create " + part.string() + ": " + std::strerror(errno)};
    Status written = write(out);
    out.close();
    if (written && !out)
        written = Error{errno, "cannot write " + part.string() + ": " + std::strerror(errno)};
    std::error_code ec;
    if (written) {
        fs::rename(part, final, ec);
        if (ec)
            written = Error{ec.value(),
                            "cannot rename " + part.string() + " to " + path + ": " + ec.message()};
    }
    if (!written)
        fs::remove(part, ec);
    return written;
}

std::string currentUserAtHost()
{
    std::string user;
    if (const passwd *entry = ::getpwuid(::geteuid()); entry && entry->pw_name)
        user = entry->pw_name;
    if (user.empty()) {
        const char *fromEnv = std::getenv("USER");
        user = fromEnv ? fromEnv : "uid" + std::to_string(::geteuid());
    }
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
        return user + "@localhost";
    return user + "@" + host;
}

std::vector<const diagnosis::Finding *> findingsBySeverity(const Report &report)
{
    std::vector<const diagnosis::Finding *> out;
    for (const auto &finding : report.findings)
        out.push_back(&finding);
    std::stable_sort(out.begin(), out.end(), [](const auto *a, const auto *b) {
        return static_cast<int>(a->level) > static_cast<int>(b->level);
    });
    return out;
}

std::vector<const UserMapping *> usersByState(const Report &report)
{
    std::vector<const UserMapping *> out;
    for (const auto &user : report.snapshot.users)
        out.push_back(&user);
    std::stable_sort(out.begin(), out.end(), [](const auto *a, const auto *b) {
        return std::make_tuple(stateRank(a->syncState), a->domainAccount) <
               std::make_tuple(stateRank(b->syncState), b->domainAccount);
    });
    return out;
}

} // namespace hostsec::report
