// The console's Diagnosis panel, its broken-binding notification and File ▸ Export report…,
// against the real embedded demo domain (four hostsecd processes). Recycling HS1 leaves HS2's
// manual bindings stale (the Q216558 pattern): the panel lists the finding, its button rebinds,
// and the finding clears. Each report format written by the console is read back by its real
// consumer (tests/core/report/consumers.h). Skipped when hostsecd is missing.

#include "client/demodomain.h"
#include "core/report/consumers.h"
#include "ui/brokenwatch.h"
#include "ui/demorunner.h"
#include "ui/diagnosispane.h"
#include "ui/mainwindow.h"
#include "ui/reportexport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace hostsec;
using namespace hostsec::ui;
using namespace hostsec::testing;

namespace {

constexpr int AgentTimeoutMs = 45000;

bool hostsecdAvailable()
{
    const QFileInfo f(QString::fromStdString(client::DemoDomain::hostsecdPath()));
    return f.isAbsolute() ? f.isExecutable()
                          : !QStandardPaths::findExecutable(f.filePath()).isEmpty();
}

} // namespace

class tst_ConsoleDiagnosis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void healthyDomainHasNoErrorFinding();
    void recycledHs1ShowsTheStaleFindingAndItsButtonClearsIt();
    void exportsEachFormatFromTheConsole_data();
    void exportsEachFormatFromTheConsole();
    void exportDialogRefusesAnEmptySelection();

private:
    int rowOf(const char *rule) const;
    bool hasErrorFinding() const;

    MainWindow *m_window = nullptr;
    QTemporaryDir m_out;
};

void tst_ConsoleDiagnosis::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("HostSecurityTest"));
    QCoreApplication::setApplicationName(QStringLiteral("hostsec-console-diagnosis-test"));
    if (!hostsecdAvailable())
        QSKIP("hostsecd is not built yet (set HOSTSEC_HOSTSECD or HOSTSEC_BIN_DIR)");
    QVERIFY(m_out.isValid());
    m_window = new MainWindow;
    m_window->setLanguage(QStringLiteral("en"));
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QSignalSpy ready(m_window, &MainWindow::domainReady);
    m_window->startDemo(10);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, AgentTimeoutMs);
    m_window->diagnosisPane()->setInterval(1000);
    new QAbstractItemModelTester(m_window->diagnosisPane()->model(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void tst_ConsoleDiagnosis::cleanupTestCase()
{
    delete m_window; // stops the agents and removes the folder
    m_window = nullptr;
}

int tst_ConsoleDiagnosis::rowOf(const char *rule) const
{
    const FindingModel *model = m_window->diagnosisPane()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->finding(row)->rule == rule)
            return row;
    }
    return -1;
}

bool tst_ConsoleDiagnosis::hasErrorFinding() const
{
    for (const diagnosis::Finding &f : m_window->diagnosisPane()->model()->findings()) {
        if (f.level == diagnosis::Level::Error)
            return true;
    }
    return false;
}

void tst_ConsoleDiagnosis::healthyDomainHasNoErrorFinding()
{
    DiagnosisPane *pane = m_window->diagnosisPane();
    QSignalSpy refreshed(pane, &DiagnosisPane::refreshed);
    pane->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, AgentTimeoutMs);
    // Every binding bound once the demo settled: nothing broken is reported.
    QTRY_VERIFY_WITH_TIMEOUT((pane->refresh(), !hasErrorFinding()), AgentTimeoutMs);
}

void tst_ConsoleDiagnosis::recycledHs1ShowsTheStaleFindingAndItsButtonClearsIt()
{
    DiagnosisPane *pane = m_window->diagnosisPane();
    BrokenBindingWatch *watch = m_window->brokenWatch();
    QSignalSpy notified(watch, &BrokenBindingWatch::brokenTooLong);
    watch->setThreshold(500); // the desktop notification after half a second broken

    const QString dir = m_window->demo()->directory();
    const Status recycled = client::DemoDomain::recycle(dir.toStdString(), "HS1");
    QVERIFY2(recycled.ok(), recycled.ok() ? "" : recycled.error().message.c_str());

    // The panel lists the Q216558 finding for HS2's manual bindings to HS1.
    QTRY_VERIFY_WITH_TIMEOUT(rowOf("stale-after-recycle") >= 0, AgentTimeoutMs);
    const int row = rowOf("stale-after-recycle");
    const diagnosis::Finding finding = *pane->model()->finding(row);
    QVERIFY(finding.level == diagnosis::Level::Error);
    QVERIFY(std::find(finding.servers.begin(), finding.servers.end(), "HS1") !=
            finding.servers.end());
    QVERIFY(!finding.bindings.empty());
    QVERIFY(finding.action.kind != diagnosis::ActionKind::None);
    QVERIFY2(finding.action.command.find("hostsecctl -p ") == 0, finding.action.command.c_str());

    // The stale binding was reported as a notification once it stayed broken.
    QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), AgentTimeoutMs);
    QVERIFY(notified.first().at(1).toString() == QLatin1String("stale"));

    // Its row has a button that runs the recommended action.
    auto *button = qobject_cast<QPushButton *>(
        pane->table()->indexWidget(pane->model()->index(row, FindingModel::ActionColumn)));
    QVERIFY(button);
    QSignalSpy done(pane, &DiagnosisPane::actionFinished);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), AgentTimeoutMs);
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));

    // The finding clears, and no binding is left stale.
    QTRY_VERIFY_WITH_TIMEOUT(rowOf("stale-after-recycle") < 0, AgentTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->staleBindings(), 0, AgentTimeoutMs);
    watch->setThreshold(5 * 60 * 1000);
}

void tst_ConsoleDiagnosis::exportsEachFormatFromTheConsole_data()
{
    QTest::addColumn<QString>("format");
    for (const char *format : {"html", "pdf", "csv", "json"})
        QTest::newRow(format) << QString::fromLatin1(format);
}

void tst_ConsoleDiagnosis::exportsEachFormatFromTheConsole()
{
    QFETCH(QString, format);
    if (const QString missing = missingConsumers(); !missing.isEmpty())
        QFAIL(qPrintable(missing));
    const QString path =
        m_out.filePath(QStringLiteral("console-report") +
                       (format == QLatin1String("csv") ? QString() : QLatin1Char('.') + format));

    // File ▸ Export report… opens the dialog; the test fills it in and accepts it.
    QAction *exportAction = m_window->findChild<QAction *>(QStringLiteral("exportReport"));
    QVERIFY(exportAction);
    exportAction->trigger();
    ReportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ReportDialog *>()) != nullptr);
    ReportRequest request;
    request.format = format;
    request.from = QDateTime::currentDateTime().addDays(-1);
    request.until = QDateTime::currentDateTime().addSecs(60);
    request.path = path;
    dialog->setRequest(request);
    QSignalSpy finished(m_window->reportExporter(), &ReportExporter::finished);
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), AgentTimeoutMs * 2);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(!finished.first().at(2).toStringList().isEmpty());

    // Each format read back by its real consumer, with the demo's servers in it.
    if (format == QLatin1String("html")) {
        const Consumed wellFormed = xmlWellFormed(path);
        QVERIFY2(wellFormed.ok(), wellFormed.describe().constData());
        const Consumed parsed = readHtml(path);
        QVERIFY2(parsed.ok(), parsed.describe().constData());
        QVERIFY(parsed.out.contains("HS1") && parsed.out.contains("HOST1"));
    } else if (format == QLatin1String("pdf")) {
        const Consumed text = pdfText(path);
        QVERIFY2(text.ok(), text.describe().constData());
        const QString squeezedText = squeezed(QString::fromUtf8(text.out));
        QVERIFY2(squeezedText.contains(QStringLiteral("HS1")), text.out.left(2000).constData());
        QVERIFY(squeezedText.contains(QStringLiteral("HOST1")));
    } else if (format == QLatin1String("csv")) {
        const Consumed tables = readCsvFolder(path);
        QVERIFY2(tables.ok(), tables.describe().constData());
        const QJsonObject files = QJsonDocument::fromJson(tables.out).object();
        QVERIFY2(files.contains(QStringLiteral("servers.csv")), tables.out.left(500).constData());
        QVERIFY(files.contains(QStringLiteral("bindings.csv")));
        QVERIFY(tables.out.contains("HOST1"));
    } else {
        const Consumed valid = validateJson(path);
        QVERIFY2(valid.ok(), valid.describe().constData());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(report.value(QStringLiteral("schema")).toString(),
                 QStringLiteral("hostsec-report/1"));
    }
}

void tst_ConsoleDiagnosis::exportDialogRefusesAnEmptySelection()
{
    ReportDialog dialog(m_out.path());
    ReportRequest request;
    request.sections.clear();
    request.path = m_out.filePath(QStringLiteral("none.html"));
    dialog.setRequest(request);
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    request.sections = {report::Section::Servers};
    dialog.setRequest(request);
    QVERIFY(ok->isEnabled());
}

QTEST_MAIN(tst_ConsoleDiagnosis)
#include "tst_consolediagnosis.moc"
