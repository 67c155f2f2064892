#include "ui/report/pdfreport.h"

#include "report/html.h"
#include "report/topology.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

#include <algorithm>
#include <memory>
#include <sstream>

namespace hostsec::reportpdf {

namespace {

constexpr int ImageScale = 2; // the picture's pixels per document pixel, for print
// Document pixels (96 a inch) across A4 landscape's text: 297 mm less the 2 cm margins that
// QTextDocument::print() keeps on each side (the page layout's own margins are zero).
constexpr int MaxPictureWidth = 940;
const QString PictureName = QStringLiteral("hostsec-topology.png");
// QTextDocument lays a document out whole, in memory: a summary of a busy month would take
// minutes and gigabytes. The PDF prints this many rows and says how many it left to the CSV.
constexpr std::int64_t MaxSummaryRows = 2000;

// Qt's notice that XDG_RUNTIME_DIR is not set, which the offscreen platform of a command run
// from cron or a service gives every time and which says nothing about the report.
bool isRuntimeDirNotice(const QString &message)
{
    return message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"));
}

QtMessageHandler previousHandler = nullptr;

void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && isRuntimeDirNotice(message))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}

// A QGuiApplication for the duration of one call when the program has none.
class GuiScope
{
public:
    ~GuiScope()
    {
        m_app.reset();
        if (m_quiet)
            qInstallMessageHandler(previousHandler);
    }

    Status start()
    {
        QCoreApplication *app = QCoreApplication::instance();
        if (app) {
            if (!qobject_cast<QGuiApplication *>(app))
                return Error{0, "a PDF needs a QGuiApplication for its fonts, and this program "
                                "runs a QCoreApplication"};
            return {};
        }
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
            qEnvironmentVariableIsEmpty("DISPLAY") &&
            qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        previousHandler = qInstallMessageHandler(quietHandler);
        m_quiet = true;
        m_app = std::make_unique<QGuiApplication>(m_argc, m_argv);
        return {};
    }

private:
    int m_argc = 1;
    char m_name[16] = "hostsec-report";
    char *m_argv[2] = {m_name, nullptr};
    std::unique_ptr<QGuiApplication> m_app;
    bool m_quiet = false;
};

QImage topologyPicture(const report::Report &report, int &width)
{
    std::ostringstream svg;
    const report::SvgSize size = report::writeTopologySvg(report, svg, report::SvgForm::Standalone);
    QSvgRenderer renderer(QByteArray::fromStdString(svg.str()));
    QImage image(size.width * ImageScale, size.height * ImageScale, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    width = std::min(size.width, MaxPictureWidth);
    return image;
}

} // namespace

Status writePdf(const report::Report &report, const std::string &path)
{
    GuiScope gui;
    if (auto started = gui.start(); !started)
        return Error{started.error().code, "PDF " + path + ": " + started.error().message};

    report::HtmlOptions options;
    options.form = report::HtmlForm::RichText;
    options.maxSummaryRows = MaxSummaryRows;
    QImage picture;
    if (report.has(report::Section::Servers)) {
        picture = topologyPicture(report, options.topologyWidth);
        options.topologyImage = PictureName.toStdString();
    }
    std::ostringstream html;
    if (auto written = report::writeHtml(report, html, options); !written)
        return Error{written.error().code, "PDF " + path + ": " + written.error().message};

    QTextDocument document;
    document.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 8));
    if (!picture.isNull())
        document.addResource(QTextDocument::ImageResource, QUrl(PictureName), picture);
    document.setHtml(QString::fromStdString(html.str()));
    html = std::ostringstream(); // the document holds its own copy now

    const QString finalPath = QString::fromStdString(path);
    const QString part = finalPath + QStringLiteral(".part");
    {
        QFile probe(part); // QPdfWriter says nothing when it cannot create its file
        if (!probe.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error{0, "cannot create " + part.toStdString() + ": " +
                                probe.errorString().toStdString()};
    }
    {
        QPdfWriter writer(part);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
                                         QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
        writer.setTitle(QStringLiteral("Host security report"));
        writer.setCreator(QStringLiteral("hostsec-report/1"));
        document.print(&writer);
    }
    if (QFileInfo(part).size() == 0) {
        QFile::remove(part);
        return Error{0, "cannot write " + part.toStdString()};
    }
    QFile::remove(finalPath);
    if (!QFile::rename(part, finalPath)) {
        QFile::remove(part);
        return Error{0, "cannot rename " + part.toStdString() + " to " + path};
    }
    return {};
}

} // namespace hostsec::reportpdf
