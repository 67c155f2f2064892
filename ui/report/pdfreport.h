#pragma once

#include "report/report.h"

#include <string>

namespace hostsec::reportpdf {

/// Writes `report` as a PDF file at `path` (A4 landscape): the same content and tables as the
/// HTML report, laid out by QTextDocument, the topology picture drawn from the same SVG. The
/// file is written beside `path` and renamed into place when complete.
///
/// Fonts need a QGuiApplication. In a program that has one (the console) this runs on any
/// thread; in one that has none (hostsecctl) it makes one for the call, on the offscreen
/// platform when there is no display and QT_QPA_PLATFORM is not set. A QCoreApplication that
/// is not a QGuiApplication is refused with an Error.
Status writePdf(const report::Report &report, const std::string &path);

} // namespace hostsec::reportpdf
