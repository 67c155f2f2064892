#include "table.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace hostsec::ctl {

Table::Table(std::vector<std::string> headings)
    : m_headings(std::move(headings))
{}

void Table::add(std::vector<std::string> cells)
{
    cells.resize(m_headings.size());
    m_rows.push_back(std::move(cells));
}

void Table::print(std::ostream &out) const
{
    std::vector<std::size_t> widths(m_headings.size(), 0);
    const auto measure = [&widths](const std::vector<std::string> &row) {
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    };
    measure(m_headings);
    for (const auto &row : m_rows)
        measure(row);

    const auto write = [&](const std::vector<std::string> &row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(widths[i] - displayWidth(row[i]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    };
    write(m_headings);
    for (const auto &row : m_rows)
        write(row);
}

std::string Table::toString() const
{
    std::ostringstream out;
    print(out);
    return out.str();
}

std::size_t displayWidth(const std::string &text)
{
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string formatAge(long long milliseconds)
{
    const long long seconds = std::max(0LL, milliseconds / 1000);
    char text[32];
    if (seconds < 60)
        std::snprintf(text, sizeof text, "%llds", seconds);
    else if (seconds < 3600)
        std::snprintf(text, sizeof text, "%lldm%02llds", seconds / 60, seconds % 60);
    else if (seconds < 86400)
        std::snprintf(text, sizeof text, "%lldh%02lldm", seconds / 3600, seconds % 3600 / 60);
    else
        std::snprintf(text, sizeof text, "%lldd%02lldh", seconds / 86400, seconds % 86400 / 3600);
    return text;
}

} // namespace hostsec::ctl
