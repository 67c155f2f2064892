#include "report/topology.h"

#include "report/escape.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace hostsec::report {

namespace {

constexpr int BoxWidth = 150;
constexpr int BoxHeight = 50;
constexpr int ColumnStep = 230;
constexpr int RowStep = 110;
constexpr int Margin = 30;
constexpr int Top = 110; // column headings, and room for arrows bending upwards
constexpr int LegendHeight = 50;
constexpr std::size_t MaxLabel = 18; // characters of a server name shown in its box

// Columns left to right, by the part a server plays.
enum Column
{
    DomainControllers,
    PrimaryCaches,
    BackupCaches,
    Hosts,
    Others,
    ColumnCount
};
constexpr std::array<const char *, ColumnCount> ColumnTitles = {
    "Domain controller", "Primary cache", "Backup caches", "Host", "Other / unknown"};

Column columnOf(const Server *server)
{
    if (!server)
        return Others;
    switch (server->role()) {
    case ServerRole::DomainController:
        return DomainControllers;
    case ServerRole::CachePrimary:
        return PrimaryCaches;
    case ServerRole::CacheBackup:
        return BackupCaches;
    case ServerRole::Host:
        return Hosts;
    case ServerRole::Other:
        break;
    }
    return Others;
}

struct Node
{
    std::string name;
    Column column = Others;
    bool reachable = true;
    double x = 0; // centre
    double y = 0;
};

const char *dashOf(BindingState state)
{
    switch (state) {
    case BindingState::Bound:
        return "";
    case BindingState::Stale:
        return "8 4";
    case BindingState::Failed:
        return "3 3";
    case BindingState::Rebinding:
        return "12 3 3 3";
    case BindingState::Unbound:
        return "2 6";
    }
    return "";
}

// The first `max` characters (code points) of clean text, with an ellipsis when cut.
std::string shortened(const std::string &text, std::size_t max)
{
    const std::string clean = cleanText(text);
    std::size_t count = 0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        if ((static_cast<unsigned char>(clean[i]) & 0xC0) == 0x80)
            continue; // a continuation byte
        if (count++ == max)
            return clean.substr(0, i) + "\xE2\x80\xA6";
    }
    return clean;
}

std::string number(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

// Where the ray from a box's centre towards `toward` leaves the box.
std::pair<double, double> boxExit(const Node &n, double towardX, double towardY)
{
    const double dx = towardX - n.x;
    const double dy = towardY - n.y;
    if (dx == 0 && dy == 0)
        return {n.x, n.y};
    const double tx = dx != 0 ? (BoxWidth / 2.0) / std::abs(dx) : 1e9;
    const double ty = dy != 0 ? (BoxHeight / 2.0) / std::abs(dy) : 1e9;
    const double t = std::min(tx, ty);
    return {n.x + dx * t, n.y + dy * t};
}

} // namespace

const char *stateColour(BindingState state)
{
    switch (state) {
    case BindingState::Bound:
        return "#2e7d32";
    case BindingState::Stale:
        return "#e65100";
    case BindingState::Failed:
        return "#c62828";
    case BindingState::Rebinding:
        return "#1565c0";
    case BindingState::Unbound:
        return "#757575";
    }
    return "#757575";
}

SvgSize writeTopologySvg(const Report &report, std::ostream &out, SvgForm form)
{
    const diagnosis::DomainSnapshot &s = report.snapshot;

    // Every server the report knows of: the agents of the profile, the servers that answered,
    // and the ends of every binding (a peer that is not in the profile still gets a box).
    std::vector<Node> nodes;
    std::map<std::string, std::size_t> index;
    const auto add = [&](const std::string &name, bool reachable) {
        if (index.count(name))
            return;
        index[name] = nodes.size();
        nodes.push_back({name, columnOf(s.domain.server(name)), reachable});
    };
    for (const auto &agent : s.agents)
        add(agent.name, agent.reachable);
    for (const Server &server : s.domain.servers)
        add(server.name, true);
    for (const Binding &b : s.domain.bindings) {
        add(b.fromServer, s.domain.server(b.fromServer) != nullptr);
        add(b.toServer, s.domain.server(b.toServer) != nullptr);
    }

    // Lay out the columns that hold a server, left to right, each centred vertically.
    std::array<int, ColumnCount> perColumn{};
    for (const Node &n : nodes)
        ++perColumn[n.column];
    std::array<int, ColumnCount> slot{};
    int used = 0;
    for (int c = 0; c < ColumnCount; ++c)
        slot[c] = perColumn[c] > 0 ? used++ : -1;
    const int rows = std::max(1, *std::max_element(perColumn.begin(), perColumn.end()));
    const int legendWidth = 5 * 120; // see the legend below
    const int width = Margin * 2 + std::max(legendWidth, std::max(1, used) * ColumnStep -
                                                             (ColumnStep - BoxWidth));
    const int height = Top + rows * RowStep + LegendHeight + 40;
    std::array<int, ColumnCount> placed{};
    for (Node &n : nodes) {
        const int c = n.column;
        n.x = Margin + slot[c] * ColumnStep + BoxWidth / 2.0;
        const double columnHeight = perColumn[c] * RowStep;
        n.y = Top + (rows * RowStep - columnHeight) / 2.0 + placed[c]++ * RowStep + RowStep / 2.0;
    }

    out << "<svg";
    if (form == SvgForm::Standalone)
        out << " xmlns=\"http://www.w3.org/2000/svg\"";
    out << " class=\"topology\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height
        << "\" role=\"img\" aria-label=\"Topology: servers by role, bindings coloured by state\" "
           "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n";
    out << "<rect x=\"0\" y=\"0\" width=\"" << width << "\" height=\"" << height
        << "\" fill=\"#ffffff\"/>\n";
    for (int c = 0; c < ColumnCount; ++c) {
        if (slot[c] < 0)
            continue;
        out << "<text x=\"" << Margin + slot[c] * ColumnStep + BoxWidth / 2
            << "\" y=\"28\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" "
               "fill=\"#37474f\">"
            << ColumnTitles[c] << "</text>\n";
    }

    // Arrows first, so the boxes cover their ends. Each bends to its left, so a pair of
    // bindings in opposite directions draws as two separate arcs.
    for (const Binding &b : s.domain.bindings) {
        const Node &from = nodes[index[b.fromServer]];
        const Node &to = nodes[index[b.toServer]];
        const double dx = to.x - from.x;
        const double dy = to.y - from.y;
        const double length = std::max(1.0, std::hypot(dx, dy));
        const double bend = std::clamp(0.18 * length, 28.0, 110.0);
        const double cx = (from.x + to.x) / 2 - dy / length * bend;
        const double cy = (from.y + to.y) / 2 + dx / length * bend;
        const auto [x0, y0] = boxExit(from, cx, cy);
        const auto [x1, y1] = boxExit(to, cx, cy);
        // The arrowhead points along the curve's end tangent (control point -> end).
        const double tx = x1 - cx;
        const double ty = y1 - cy;
        const double tl = std::max(1.0, std::hypot(tx, ty));
        const double ux = tx / tl;
        const double uy = ty / tl;
        const double baseX = x1 - ux * 11;
        const double baseY = y1 - uy * 11;
        const char *colour = stateColour(b.state);
        const std::string label = escapeHtml(b.id + ": " + std::string(toString(b.state)));
        out << "<g><title>" << label << "</title>";
        out << "<path d=\"M " << number(x0) << ' ' << number(y0) << " Q " << number(cx) << ' '
            << number(cy) << ' ' << number(baseX) << ' ' << number(baseY)
            << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2.2\"";
        if (const char *dash = dashOf(b.state); *dash)
            out << " stroke-dasharray=\"" << dash << '"';
        out << "/>";
        out << "<polygon points=\"" << number(x1) << ',' << number(y1) << ' '
            << number(baseX - uy * 5) << ',' << number(baseY + ux * 5) << ' '
            << number(baseX + uy * 5) << ',' << number(baseY - ux * 5) << "\" fill=\"" << colour
            << "\"/></g>\n";
    }

    for (const Node &n : nodes) {
        const double left = n.x - BoxWidth / 2.0;
        const double top = n.y - BoxHeight / 2.0;
        out << "<g><title>" << escapeHtml(n.name) << "</title><rect x=\"" << number(left)
            << "\" y=\"" << number(top) << "\" width=\"" << BoxWidth << "\" height=\"" << BoxHeight
            << "\" rx=\"6\" ry=\"6\" fill=\"" << (n.reachable ? "#fafafa" : "#eceff1")
            << "\" stroke=\"" << (n.reachable ? "#37474f" : "#90a4ae") << "\" stroke-width=\"1.5\""
            << (n.reachable ? "" : " stroke-dasharray=\"5 3\"") << "/>";
        out << "<text x=\"" << number(n.x) << "\" y=\"" << number(n.reachable ? n.y + 5 : n.y - 2)
            << "\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\""
            << (n.reachable ? "#263238" : "#607d8b") << "\">"
            << escapeHtml(shortened(n.name, MaxLabel)) << "</text>";
        if (!n.reachable)
            out << "<text x=\"" << number(n.x) << "\" y=\"" << number(n.y + 15)
                << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#607d8b\">unreachable</text>";
        out << "</g>\n";
    }

    // Legend: one short line per state.
    const BindingState states[] = {BindingState::Bound, BindingState::Stale, BindingState::Failed,
                                   BindingState::Rebinding, BindingState::Unbound};
    const int legendY = height - LegendHeight + 10;
    int x = Margin;
    for (const BindingState state : states) {
        out << "<line x1=\"" << x << "\" y1=\"" << legendY << "\" x2=\"" << x + 36 << "\" y2=\""
            << legendY << "\" stroke=\"" << stateColour(state) << "\" stroke-width=\"2.2\"";
        if (const char *dash = dashOf(state); *dash)
            out << " stroke-dasharray=\"" << dash << '"';
        out << "/><text x=\"" << x + 42 << "\" y=\"" << legendY + 4
            << "\" font-size=\"12\" fill=\"#37474f\">" << toString(state) << "</text>\n";
        x += 120;
    }
    out << "<text x=\"" << Margin << "\" y=\"" << legendY + 28
        << "\" font-size=\"11\" fill=\"#607d8b\">Arrows point from the client service to the "
           "server service it binds to.</text>\n";
    out << "</svg>\n";
    return {width, height};
}

} // namespace hostsec::report
