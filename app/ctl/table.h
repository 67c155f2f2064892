#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace hostsec::ctl {

/// A text table with left-aligned columns separated by two spaces, as `ps` and `kubectl`
/// print them; the last column is not padded, so long messages do not push trailing spaces.
class Table
{
public:
    /// A table with these column headings.
    explicit Table(std::vector<std::string> headings);
    /// Appends a row; missing cells are empty, extra cells are dropped.
    void add(std::vector<std::string> cells);
    /// Writes the headings and rows, or nothing but the headings when there are no rows.
    void print(std::ostream &out) const;
    /// The table as print() writes it.
    std::string toString() const;
    /// Whether no row was added.
    bool empty() const { return m_rows.empty(); }

private:
    std::vector<std::string> m_headings;
    std::vector<std::vector<std::string>> m_rows;
};

/// The width a terminal gives UTF-8 text: its code points (our texts have no wide characters).
std::size_t displayWidth(const std::string &text);

/// A duration in the compact form tables use: "12s", "3m07s", "2h05m", "3d04h".
std::string formatAge(long long milliseconds);

} // namespace hostsec::ctl
