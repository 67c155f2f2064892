#pragma once

// hostsecctl report: the domain's report (docs/reports.md) as HTML, PDF, CSV or JSON.

#include "commands.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace hostsec::ctl {

/// `report` options.
struct ReportOptions
{
    std::string format;                // --format: html, pdf, csv or json
    std::string since;                 // --since: an ISO time, or an age (30m, 24h, 7d, 2w)
    std::string until;                 // --until: likewise; empty is now
    std::vector<std::string> sections; // --sections: empty is every section
    std::string output;                // -o: the file, or for csv the folder
};

/// report --format F [--since T] [--until T] [--sections ...] -o PATH: takes the domain's
/// snapshot and diagnosis, pages every agent's events of the period into a temporary event
/// store (removed afterwards) and writes the report from it, the summary streamed. An agent that
/// does not answer is reported as such in the report, not as a failure. Prints where the report
/// went and what it holds (JSON with --json); progress goes to `err`.
Status writeReport(const GlobalOptions &global, const ReportOptions &options, std::ostream &out,
                   std::ostream &err);

} // namespace hostsec::ctl
