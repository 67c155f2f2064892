#pragma once

#include "report/report.h"

#include <iosfwd>

namespace hostsec::report {

/// How the topology picture is embedded.
enum class SvgForm
{
    Inline,     // an <svg> element for an HTML page
    Standalone, // an SVG document with its namespace, for an SVG renderer (the PDF's picture)
};

/// The size of the topology picture, in SVG user units (CSS pixels).
struct SvgSize
{
    int width = 0;
    int height = 0;
};

/// Draws the domain as SVG: servers grouped by role in columns (domain controller, primary
/// cache, backups, host, other), each binding an arrow from client to server coloured (and
/// dashed) by its state, and a legend. Unreachable servers are drawn greyed and dashed. Uses
/// no markers, filters or scripts, so simple renderers (SVG Tiny) draw it the same.
SvgSize writeTopologySvg(const Report &report, std::ostream &out, SvgForm form);

/// The colour a binding state is drawn in ("#2e7d32" for bound), shared with the tables.
const char *stateColour(BindingState state);

} // namespace hostsec::report
