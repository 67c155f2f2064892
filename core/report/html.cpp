#include "report/html.h"

#include "report/escape.h"
#include "report/tables.h"
#include "report/topology.h"

#include <algorithm>
#include <map>
#include <ostream>

namespace hostsec::report {

namespace {

constexpr std::string_view Css = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Verdana, sans-serif; font-size: 14px;
       color: #263238; margin: 24px; line-height: 1.4; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 2px solid #cfd8dc; padding-bottom: 2px; margin-top: 28px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.subtitle { margin: 0; color: #546e7a; }
p.none { color: #78909c; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; font-size: 13px; }
th, td { border: 1px solid #cfd8dc; padding: 3px 6px; text-align: left; vertical-align: top;
         unicode-bidi: plaintext; overflow-wrap: anywhere; }
th { background: #eceff1; }
tbody tr:nth-child(even) td { background: #f7f9fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.glance { padding-left: 20px; }
figure { margin: 8px 0 16px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.v-bound, .v-yes, .v-in-sync { color: #2e7d32; font-weight: bold; }
.v-stale, .v-warning, .v-pending { color: #e65100; font-weight: bold; }
.v-failed, .v-error, .v-no, .v-rejected, .v-audit-failure { color: #c62828; font-weight: bold; }
.v-rebinding, .v-info { color: #1565c0; font-weight: bold; }
.v-unbound { color: #757575; font-weight: bold; }
footer { margin-top: 32px; color: #78909c; font-size: 12px; }
@media print {
  body { margin: 0; font-size: 10pt; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  tbody tr:nth-child(even) td { background: none; }
}
@page { size: A4 landscape; margin: 12mm; }
)";

// "2026-11-25T21:25:22.123Z" as documents show it, "2026-11-25 21:25:22" (the headings say
// UTC); anything else as it is.
std::string documentTime(const std::string &iso)
{
    if (iso.size() != 24 || iso[10] != 'T' || iso[19] != '.' || iso[23] != 'Z')
        return iso;
    return iso.substr(0, 10) + ' ' + iso.substr(11, 8);
}

bool isNumber(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

// The colour of a state word in rich text, where CSS classes are not available.
const char *wordColour(std::string_view word)
{
    static const std::map<std::string_view, const char *> colours = {
        {"bound", "#2e7d32"},    {"yes", "#2e7d32"},           {"in-sync", "#2e7d32"},
        {"stale", "#e65100"},    {"warning", "#e65100"},       {"pending", "#e65100"},
        {"failed", "#c62828"},   {"error", "#c62828"},         {"no", "#c62828"},
        {"rejected", "#c62828"}, {"audit-failure", "#c62828"}, {"rebinding", "#1565c0"},
        {"info", "#1565c0"},     {"unbound", "#757575"}};
    const auto it = colours.find(word);
    return it == colours.end() ? nullptr : it->second;
}

bool isWord(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

// Escaped text with its line breaks kept as <br/>.
std::string cellText(std::string_view text)
{
    const std::string escaped = escapeHtml(text);
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        const char c = escaped[i];
        if (c == '\r') {
            if (i + 1 < escaped.size() && escaped[i + 1] == '\n')
                continue;
            out += "<br/>";
        } else if (c == '\n') {
            out += "<br/>";
        } else {
            out += c;
        }
    }
    return out;
}

struct SectionText
{
    const char *id;
    const char *title;
};

SectionText sectionText(std::optional<Section> section)
{
    if (!section)
        return {"about", "About this report"};
    switch (*section) {
    case Section::Servers:
        return {"servers", "Servers"};
    case Section::Bindings:
        return {"bindings", "Bindings"};
    case Section::Users:
        return {"users", "Users"};
    case Section::Pending:
        return {"pending", "Pending changes"};
    case Section::Findings:
        return {"findings", "Findings"};
    case Section::Events:
        return {"events", "Events"};
    }
    return {"other", "Other"};
}

class HtmlSink : public TableSink
{
public:
    HtmlSink(const Report &report, std::ostream &out, const HtmlOptions &options)
        : m_report(report)
        , m_out(out)
        , m_options(options)
        , m_rich(options.form == HtmlForm::RichText)
    {}

    void begin(const TableSpec &table) override
    {
        if (!m_inSection || table.section != m_section) {
            closeSection();
            openSection(table.section);
        }
        const SectionText text = sectionText(table.section);
        if (table.title != text.title)
            m_out << "<h3>" << table.title << "</h3>\n";
        m_columns.clear();
        for (const Column &column : table.columns)
            m_columns.push_back(column.show == Show::CsvOnly ? nullptr : &column);
        m_rows = 0;
        m_limit = table.name == "events" ? m_options.maxSummaryRows : 0;
    }

    void row(const std::vector<std::string> &cells) override
    {
        if (m_limit > 0 && m_rows >= m_limit) {
            ++m_rows; // counted, not written
            return;
        }
        if (m_rows++ == 0)
            writeHead();
        m_out << "<tr>";
        for (std::size_t i = 0; i < cells.size() && i < m_columns.size(); ++i) {
            if (m_columns[i])
                writeCell(*m_columns[i], cells[i]);
        }
        m_out << "</tr>\n";
    }

    void end(const TableSpec &) override
    {
        if (m_rows == 0) {
            m_out << "<p class=\"none\"><i>None.</i></p>\n";
            return;
        }
        m_out << "</tbody></table>\n";
        if (m_limit > 0 && m_rows > m_limit)
            m_out << "<p><i>The first " << m_limit << " of " << m_rows
                  << " rows; the CSV and JSON reports hold them all.</i></p>\n";
    }

    void finish() { closeSection(); }

private:
    void openSection(std::optional<Section> section)
    {
        const SectionText text = sectionText(section);
        m_out << "<section id=\"" << text.id << "\">\n";
        // On paper the servers start a page: the picture is tall, and the first page (summary
        // and metadata) reads as a cover.
        if (m_rich && section == Section::Servers)
            m_out << "<h2 style=\"page-break-before: always\">" << text.title << "</h2>\n";
        else
            m_out << "<h2>" << text.title << "</h2>\n";
        m_inSection = true;
        m_section = section;
        if (section == Section::Servers)
            writeTopology();
        if (section == Section::Events)
            m_out << "<p>Events raised " << period()
                  << ", counted by hour, server and event id. Each id is printed with its "
                     "catalogue text, so the summary reads the same on any machine.</p>\n";
    }

    void closeSection()
    {
        if (m_inSection)
            m_out << "</section>\n";
        m_inSection = false;
    }

    std::string period() const
    {
        const ReportMeta &meta = m_report.meta;
        if (meta.from == 0 && meta.until == 0)
            return "at any time";
        std::string text;
        if (meta.from != 0)
            text += "from " + documentTime(timeText(meta.from));
        if (meta.until != 0)
            text += std::string(text.empty() ? "" : " ") + "until " +
                    documentTime(timeText(meta.until));
        return text + " (UTC)";
    }

    void writeTopology()
    {
        if (m_rich) {
            if (!m_options.topologyImage.empty())
                m_out << "<p><img src=\"" << escapeHtml(m_options.topologyImage) << "\" width=\""
                      << m_options.topologyWidth << "\"/></p>\n";
            return;
        }
        m_out << "<figure>\n";
        writeTopologySvg(m_report, m_out, SvgForm::Inline);
        m_out << "</figure>\n";
    }

    void writeHead()
    {
        if (m_rich)
            m_out << "<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">";
        else
            m_out << "<table>";
        m_out << "<thead><tr>";
        for (const Column *column : m_columns) {
            if (!column)
                continue;
            m_out << (m_rich ? "<th bgcolor=\"#eceff1\" align=\"left\">" : "<th>")
                  << column->heading << "</th>";
        }
        m_out << "</tr></thead>\n<tbody>\n";
    }

    void writeCell(const Column &column, const std::string &cell)
    {
        const std::string value = column.kind == Kind::Time ? documentTime(cell) : cell;
        const bool number = column.kind == Kind::Number && isNumber(value);
        const bool state = column.kind == Kind::State && isWord(value);
        if (m_rich) {
            m_out << (number ? "<td align=\"right\">" : "<td>");
            const char *colour = state ? wordColour(value) : nullptr;
            if (colour)
                m_out << "<span style=\"color:" << colour << "; font-weight:bold\">"
                      << cellText(value) << "</span>";
            else
                m_out << cellText(value);
            m_out << "</td>";
            return;
        }
        m_out << "<td";
        if (number)
            m_out << " class=\"num\"";
        else if (state)
            m_out << " class=\"v-" << value << '"';
        m_out << '>' << cellText(value) << "</td>";
    }

    const Report &m_report;
    std::ostream &m_out;
    const HtmlOptions &m_options;
    const bool m_rich;
    bool m_inSection = false;
    std::optional<Section> m_section;
    std::vector<const Column *> m_columns; // nullptr: a CSV-only column, left out
    std::int64_t m_rows = 0;
    std::int64_t m_limit = 0; // rows written of this table; 0: all
};

// "value" isolated from the text around it (a browser's <bdi>; rich text has no bidi controls
// left to isolate from, see escapeHtml, so the value stands as it is).
std::string inlineValue(std::string_view text, bool rich)
{
    return rich ? cellText(text) : "<bdi>" + cellText(text) + "</bdi>";
}

void writeGlance(const Report &report, std::ostream &out)
{
    const diagnosis::DomainSnapshot &s = report.snapshot;
    out << "<section id=\"glance\">\n<h2>At a glance</h2>\n<ul class=\"glance\">\n";
    if (report.has(Section::Servers)) {
        const auto down = std::count_if(s.agents.begin(), s.agents.end(),
                                        [](const auto &a) { return !a.reachable; });
        out << "<li>" << std::max(s.agents.size(), s.domain.servers.size()) << " servers, " << down
            << " unreachable</li>\n";
    }
    if (report.has(Section::Bindings)) {
        std::map<std::string_view, int> byState;
        for (const Binding &b : s.domain.bindings)
            ++byState[toString(b.state)];
        out << "<li>" << s.domain.bindings.size() << " bindings";
        for (const auto &[state, count] : byState)
            out << ", " << count << ' ' << state;
        out << "</li>\n";
    }
    if (report.has(Section::Users)) {
        std::map<std::string_view, int> byState;
        for (const UserMapping &u : s.users)
            ++byState[toString(u.syncState)];
        out << "<li>" << s.users.size() << " users not in sync";
        for (const auto &[state, count] : byState)
            out << ", " << count << ' ' << state;
        out << "</li>\n";
    }
    if (report.has(Section::Pending))
        out << "<li>" << s.pending.size() << " changes waiting in an outbox</li>\n";
    if (report.has(Section::Findings)) {
        std::map<int, int> byLevel;
        for (const auto &f : report.findings)
            ++byLevel[static_cast<int>(f.level)];
        out << "<li>" << report.findings.size() << " findings";
        for (auto it = byLevel.rbegin(); it != byLevel.rend(); ++it)
            out << ", " << it->second << ' '
                << diagnosis::toString(static_cast<diagnosis::Level>(it->first));
        out << "</li>\n";
    }
    out << "</ul>\n";
    if (!s.gaps.empty()) {
        // What the agents could not give: the report is incomplete there, and says so first.
        out << "<p><b>The snapshot is incomplete:</b></p>\n<ul class=\"gaps\">\n";
        for (const std::string &gap : s.gaps)
            out << "<li><bdi>" << cellText(gap) << "</bdi></li>\n";
        out << "</ul>\n";
    }
    out << "</section>\n";
}

} // namespace

Status writeHtml(const Report &report, std::ostream &out, const HtmlOptions &options)
{
    const bool rich = options.form == HtmlForm::RichText;
    const diagnosis::DomainSnapshot &s = report.snapshot;
    const std::string domain =
        s.domain.name.empty() ? std::string("(domain unknown)") : s.domain.name;

    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
    if (!rich)
        out << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
               "<meta name=\"generator\" content=\"hostsec-report/1\"/>\n";
    out << "<title>Host security report: " << escapeHtml(domain) << ", "
        << timeText(report.meta.generatedAt) << "</title>\n";
    if (!rich)
        out << "<style>" << Css << "</style>\n";
    out << "</head>\n<body>\n<header>\n<h1>Host security report</h1>\n<p class=\"subtitle\">Domain "
        << inlineValue(domain, rich) << ", host domain " << inlineValue(s.domain.hostDomain, rich)
        << ". Generated " << documentTime(timeText(report.meta.generatedAt)) << " UTC by "
        << inlineValue(report.meta.generatedBy, rich) << ".</p>\n</header>\n";
    writeGlance(report, out);

    HtmlSink sink(report, out, options);
    const Status done = writeTables(report, sink);
    sink.finish();
    out << "<footer><p>Schema " << SchemaId
        << ". Times are UTC. Passwords and credentials are never part of a report.</p></footer>\n"
           "</body>\n</html>\n";
    if (!done)
        return Error{done.error().code, "event summary: " + done.error().message};
    return {};
}

Status writeHtmlFile(const Report &report, const std::string &path, const HtmlOptions &options)
{
    return writeFile(path, [&](std::ostream &out) { return writeHtml(report, out, options); });
}

} // namespace hostsec::report
