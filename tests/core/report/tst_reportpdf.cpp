// Why this test exists: the PDF is what goes to a change board, laid out by Qt from the report's
// rich-text form. pdftotext (poppler) reads it back here: every table's hostile names must be
// there as text (markup printed, not interpreted), the event texts rendered, and a file that
// cannot be written must say so and leave nothing behind.

#include "core/report/consumers.h"
#include "core/report/hostilereport.h"

#include "ui/report/pdfreport.h"

#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace hostsec;
using namespace hostsec::testing;

class tst_ReportPdf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textReadsBack();
    void unwritablePathSaysSo();

private:
    QTemporaryDir m_dir;
};

void tst_ReportPdf::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        QFAIL("pdftotext is missing (poppler-utils; ./dev test installs it)");
}

void tst_ReportPdf::textReadsBack()
{
    const QString file = m_dir.filePath(QStringLiteral("report.pdf"));
    const Status written = reportpdf::writePdf(hostileReport(), file.toStdString());
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    QFile pdf(file);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(!QFile::exists(file + QStringLiteral(".part")));

    const Consumed text = pdfText(file);
    QVERIFY2(text.ok(), text.describe().constData());
    const QString all = QString::fromUtf8(text.out);
    const QString flat = squeezed(all);
    // Headings and the catalogue's words.
    for (const char *expected :
         {"Hostsecurityreport", "Ataglance", "Servers", "Bindings", "Bindingtimelines",
          "Usersnotinsync,bysyncstate", "Pendingchanges", "Findings",
          "Eventsummarybyhour,serverandid", "RPC_LAYER_ERROR", "SSO_FAILED",
          "0x6BERPC_S_CALL_FAILED:Theremoteprocedurecallfailed.", "rebind--server"})
        QVERIFY2(flat.contains(QLatin1String(expected)), expected);
    // Markup is printed as text, never interpreted.
    QVERIFY2(flat.contains(QStringLiteral("<script>alert(1)</script>")),
             qPrintable(all.left(3000)));
    QVERIFY(flat.contains(QStringLiteral("CONTOSO<script>alert(1)</script>")));
    QVERIFY(flat.contains(QStringLiteral("HS,\"1\"")));
    QVERIFY(flat.contains(QStringLiteral("R&D<b>bold</b>'q'")));
    QVERIFY(flat.contains(QStringLiteral("HSTWO")));
    // The right-to-left override is shown, not applied: the finding's title still reads in order.
    QVERIFY2(flat.contains(QStringLiteral("Linkto[U+202E]evil")), qPrintable(all.left(3000)));
    QVERIFY(!all.contains(QChar(0x202E)));
    // Hebrew survives as text (its visual order is the viewer's business).
    QVERIFY(all.contains(QChar(0x05D0)) && all.contains(QChar(0x05D1)));
    // The control character is never written raw: it becomes its Control Pictures symbol,
    // which the PDF shows when the font has it (DejaVu has not, so pdftotext may see nothing).
    QVERIFY(!all.contains(QChar(0x01)));
    QVERIFY(flat.contains(QStringLiteral("CONTOSO\\ctl\u2401x")) ||
            flat.contains(QStringLiteral("CONTOSO\\ctlx")));
}

void tst_ReportPdf::unwritablePathSaysSo()
{
    const QString file = m_dir.filePath(QStringLiteral("no/such/folder/report.pdf"));
    const Status written = reportpdf::writePdf(hostileReport(), file.toStdString());
    QVERIFY(!written.ok());
    QVERIFY2(written.error().message.find("no/such/folder") != std::string::npos,
             written.error().message.c_str());
    QVERIFY(!QFile::exists(file));
}

QTEST_MAIN(tst_ReportPdf)
#include "tst_reportpdf.moc"
