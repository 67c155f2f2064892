#include "report/csv.h"

#include "report/escape.h"
#include "report/tables.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace hostsec::report {

namespace {

namespace fs = std::filesystem;

// Writes each table to its own file; the first failure is kept and stops further writing.
class CsvSink : public TableSink
{
public:
    explicit CsvSink(fs::path folder)
        : m_folder(std::move(folder))
    {}

    void begin(const TableSpec &table) override
    {
        if (!m_error.message.empty())
            return;
        m_final = m_folder / (std::string(table.name) + ".csv");
        m_part = m_folder / ("." + std::string(table.name) + ".csv.part");
        m_out.open(m_part, std::ios::binary | std::ios::trunc);
        if (!m_out)
            return fail("cannot create " + m_part.string());
        m_keep.clear();
        std::vector<std::string> header;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const bool kept = table.columns[i].show != Show::DocumentOnly;
            m_keep.push_back(kept);
            if (kept)
                header.emplace_back(table.columns[i].name);
        }
        writeLine(header);
    }

    void row(const std::vector<std::string> &cells) override
    {
        if (!m_out.is_open())
            return;
        std::vector<std::string> kept;
        for (std::size_t i = 0; i < cells.size() && i < m_keep.size(); ++i) {
            if (m_keep[i])
                kept.push_back(cells[i]);
        }
        writeLine(kept);
    }

    void end(const TableSpec &) override
    {
        if (!m_out.is_open())
            return;
        m_out.close();
        if (!m_out)
            return fail("cannot write " + m_part.string());
        std::error_code ec;
        fs::rename(m_part, m_final, ec);
        if (ec)
            return fail("cannot rename " + m_part.string() + " to " + m_final.string() + ": " +
                        ec.message());
        m_written.push_back(m_final.string());
    }

    const Error &error() const { return m_error; }
    const std::vector<std::string> &written() const { return m_written; }

    void abandon()
    {
        if (m_out.is_open())
            m_out.close();
        std::error_code ec;
        fs::remove(m_part, ec);
    }

private:
    void writeLine(const std::vector<std::string> &fields)
    {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0)
                m_out << ',';
            m_out << csvField(fields[i]);
        }
        m_out << "\r\n";
        if (!m_out)
            fail("cannot write " + m_part.string());
    }

    void fail(const std::string &message)
    {
        const int code = errno; // what the failed stream call left, if anything
        if (m_error.message.empty())
            m_error = Error{code, code ? message + ": " + std::strerror(code) : message};
        abandon();
    }

    fs::path m_folder;
    fs::path m_final;
    fs::path m_part;
    std::ofstream m_out;
    std::vector<bool> m_keep;
    std::vector<std::string> m_written;
    Error m_error;
};

} // namespace

Result<std::vector<std::string>> writeCsv(const Report &report, const std::string &folder)
{
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder))
        return Error{ec.value(), "cannot create the folder " + folder + ": " +
                                     (ec ? ec.message() : "a file of that name is in the way")};
    CsvSink sink{fs::path(folder)};
    const Status done = writeTables(report, sink);
    if (sink.error().message.empty() && done)
        return sink.written();
    // Half a report is worse than none: take back what this call wrote.
    sink.abandon();
    for (const std::string &file : sink.written())
        fs::remove(file, ec);
    if (!sink.error().message.empty())
        return sink.error();
    return Error{done.error().code, "event summary: " + done.error().message};
}

} // namespace hostsec::report
