#pragma once

#include "report/report.h"

#include <iosfwd>
#include <string>

namespace hostsec::report {

/// Which reader an HTML report is written for.
enum class HtmlForm
{
    /// A browser: one self-contained file (inline CSS and SVG, no script, no external link),
    /// printable (@media print). It is also well-formed XML, so any XML parser can check it.
    Browser,
    /// Qt's rich text (QTextDocument, for the PDF): the same content and tables, with styles
    /// inline and the topology as an image resource named by HtmlOptions::topologyImage.
    RichText,
};

/// How to write an HTML report.
struct HtmlOptions
{
    HtmlForm form = HtmlForm::Browser;
    std::string topologyImage; // RichText: the image resource's name; "" leaves the picture out
    int topologyWidth = 0;     // RichText: its width in the document, in pixels
    /// At most this many rows of the event summary (0: all), the rest counted and said so: a
    /// document laid out whole in memory (the PDF) must not take a million rows.
    std::int64_t maxSummaryRows = 0;
};

/// Writes the report as HTML: a summary, then a section per chosen part with its tables, the
/// topology picture in the servers section. Every text is escaped (escapeHtml) and isolated in
/// its own cell or <bdi>, so no name can add markup or reorder the text around it.
Status writeHtml(const Report &report, std::ostream &out, const HtmlOptions &options = {});
/// writeHtml into a file (see writeFile).
Status writeHtmlFile(const Report &report, const std::string &path,
                     const HtmlOptions &options = {});

} // namespace hostsec::report
