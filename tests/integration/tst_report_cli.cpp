// Why this test exists: `hostsecctl report` is how scripts and auditors get a domain's report,
// and a report is only worth something if the program that opens it can read it. This runs the
// built hostsecctl against a real demo domain (four hostsecd processes), in every format, and
// reads each file back with its consumer: xmllint and Python's HTML tokenizer, Python's csv
// module, jsonschema against docs/report-schema.json, pdftotext. A password set during the test
// must appear in none of them. After HS1 is recycled, the report carries the stale binding the
// diagnosis finds and the events that tell the story. Every wait is bounded by a deadline.

#include "core/report/consumers.h"
#include "ctlprocess.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace hostsec;
using namespace hostsec::testing;

using namespace hostsec::integration;

namespace {

constexpr int StepTimeoutMs = 120000; // one hostsecctl run (a PDF under ASan included)
constexpr int SettleTimeoutMs = 60000;

const QByteArray Password = "RPTPW7X2"; // valid under the host's rules; never in a report

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_ReportCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyFormatReadsBack_data();
    void everyFormatReadsBack();
    void sectionsAndPeriodAreHonoured();
    void badArgumentsAreOneLine_data();
    void badArgumentsAreOneLine();
    void recycleShowsInTheReport();
    void cleanupTestCase();

private:
    CtlRun ctl(const QStringList &args, const QByteArray &input = {});
    CtlRun report(const QString &format, const QString &output, const QStringList &extra = {});
    bool allBound();

    QTemporaryDir m_dir;
    QString m_demo;
    bool m_started = false;
};

CtlRun tst_ReportCli::ctl(const QStringList &args, const QByteArray &input)
{
    QProcessEnvironment env = ctlEnvironment();
    // hostsecctl must find its own way to a platform for the PDF: no display, no preset.
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    const CtlRun run = runCtl(args, env, input, StepTimeoutMs);
    if (run.out.toUtf8().contains(Password) || run.err.toUtf8().contains(Password))
        qFatal("hostsecctl %s printed the password", qPrintable(args.join(QLatin1Char(' '))));
    return run;
}

CtlRun tst_ReportCli::report(const QString &format, const QString &output, const QStringList &extra)
{
    return ctl(QStringList{QStringLiteral("-p"), m_demo, QStringLiteral("report"),
                           QStringLiteral("--format"), format, QStringLiteral("-o"), output} +
               extra);
}

bool tst_ReportCli::allBound()
{
    const CtlRun run =
        ctl({QStringLiteral("-p"), m_demo, QStringLiteral("bindings"), QStringLiteral("--json")});
    const QJsonArray bindings = QJsonDocument::fromJson(run.out.toUtf8()).array();
    if (bindings.size() != 7)
        return false;
    for (const auto &binding : bindings) {
        if (binding.toObject().value(QStringLiteral("state")).toString() != QStringLiteral("bound"))
            return false;
    }
    return true;
}

void tst_ReportCli::initTestCase()
{
    if (!QFileInfo(binDir() + QStringLiteral("/hostsecd")).isExecutable())
        QSKIP("hostsecd is not built (target hostsecd)");
    QVERIFY(QFileInfo(binDir() + QStringLiteral("/hostsecctl")).isExecutable());
    const QString missing = missingConsumers();
    if (!missing.isEmpty())
        QFAIL(qPrintable(missing));
    QVERIFY(m_dir.isValid());
    m_demo = m_dir.filePath(QStringLiteral("demo"));

    const CtlRun init = ctl({QStringLiteral("demo"), QStringLiteral("init"), m_demo,
                             QStringLiteral("--users"), QStringLiteral("10")});
    QVERIFY2(init.exitCode == 0, qPrintable(describe(init)));
    m_started = true;
    const CtlRun start = ctl({QStringLiteral("demo"), QStringLiteral("start"), m_demo,
                              QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(start.exitCode == 0, qPrintable(describe(start)));
    QTRY_VERIFY_WITH_TIMEOUT(allBound(), SettleTimeoutMs);

    // A password change, so the events hold its story; the password itself must stay out.
    const CtlRun change = ctl({QStringLiteral("-p"), m_demo, QStringLiteral("passwd"),
                               QStringLiteral("CONTOSO\\user0002")},
                              Password + "\n");
    QVERIFY2(change.exitCode == 0, qPrintable(describe(change)));
    const auto applied = [this] {
        return ctl({QStringLiteral("-p"), m_demo, QStringLiteral("host-logon"),
                    QStringLiteral("USER0002")},
                   Password + "\n")
                   .exitCode == 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(applied(), SettleTimeoutMs);
}

void tst_ReportCli::everyFormatReadsBack_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("html") << QStringLiteral("html");
    QTest::newRow("csv") << QStringLiteral("csv");
    QTest::newRow("json") << QStringLiteral("json");
    QTest::newRow("pdf") << QStringLiteral("pdf");
}

void tst_ReportCli::everyFormatReadsBack()
{
    QFETCH(QString, format);
    const QString output =
        m_dir.filePath(QStringLiteral("report-") + format +
                       (format == QStringLiteral("csv") ? QString() : QLatin1Char('.') + format));
    const CtlRun run = report(format, output);
    QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.startsWith(format + QStringLiteral(" report written to ")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("4 servers (0 unreachable), 7 bindings")),
             qPrintable(run.out));

    QByteArray everything; // every byte the report holds, to look for the password in
    const QStringList servers = {QStringLiteral("DC1"), QStringLiteral("HS1"),
                                 QStringLiteral("HS2"), QStringLiteral("HOST1")};
    if (format == QStringLiteral("html")) {
        const Consumed wellFormed = xmlWellFormed(output);
        QVERIFY2(wellFormed.ok(), wellFormed.describe().constData());
        const Consumed html = readHtml(output);
        QVERIFY2(html.ok(), html.describe().constData());
        const QJsonObject read = QJsonDocument::fromJson(html.out).object();
        QStringList cells;
        for (const auto &cell : read.value(QStringLiteral("cells")).toArray())
            cells << cell.toString();
        for (const QString &server : servers)
            QVERIFY2(cells.contains(server), qPrintable(server));
        QVERIFY(cells.contains(QStringLiteral("CHANGE_QUEUED")));
        QCOMPARE(read.value(QStringLiteral("tags")).toObject().value(QStringLiteral("svg")).toInt(),
                 1);
        everything = readAll(output);
    } else if (format == QStringLiteral("csv")) {
        const Consumed csv = readCsvFolder(output);
        QVERIFY2(csv.ok(), csv.describe().constData());
        const QJsonObject tables = QJsonDocument::fromJson(csv.out).object();
        QCOMPARE(tables.value(QStringLiteral("servers.csv")).toArray().size(), 1 + 4);
        QCOMPARE(tables.value(QStringLiteral("bindings.csv")).toArray().size(), 1 + 7);
        QVERIFY(tables.value(QStringLiteral("events.csv")).toArray().size() > 4);
        QVERIFY(tables.value(QStringLiteral("binding_timeline.csv")).toArray().size() >= 1 + 7);
        for (const QString &file : QDir(output).entryList(QDir::Files))
            everything += readAll(output + QLatin1Char('/') + file);
    } else if (format == QStringLiteral("json")) {
        const Consumed valid = validateJson(output);
        QVERIFY2(valid.ok(), valid.describe().constData());
        const QJsonObject doc = QJsonDocument::fromJson(readAll(output)).object();
        const QJsonObject snapshot = doc.value(QStringLiteral("snapshot")).toObject();
        QCOMPARE(snapshot.value(QStringLiteral("servers")).toArray().size(), 4);
        QCOMPARE(snapshot.value(QStringLiteral("bindings")).toArray().size(), 7);
        const QJsonObject summary = doc.value(QStringLiteral("event_summary")).toObject();
        QVERIFY(summary.value(QStringLiteral("events")).toInt() > 10);
        QVERIFY(doc.value(QStringLiteral("profile"))
                    .toString()
                    .endsWith(QStringLiteral("profile.json")));
        QVERIFY(doc.value(QStringLiteral("generated_by")).toString().contains(QLatin1Char('@')));
        everything = readAll(output);
    } else {
        QVERIFY(readAll(output).startsWith("%PDF-"));
        const Consumed text = pdfText(output);
        QVERIFY2(text.ok(), text.describe().constData());
        const QString flat = squeezed(QString::fromUtf8(text.out));
        QVERIFY2(flat.contains(QStringLiteral("Hostsecurityreport")), qPrintable(flat.left(2000)));
        for (const QString &server : servers)
            QVERIFY2(flat.contains(server), qPrintable(server));
        QVERIFY(flat.contains(QStringLiteral("CHANGE_QUEUED")));
        everything = readAll(output) + text.out;
    }
    QVERIFY(!everything.isEmpty());
    QVERIFY2(!everything.contains(Password), "the report holds the password");
    // Nothing temporary is left behind: no .part file beside the output.
    QVERIFY(!QFileInfo::exists(output + QStringLiteral(".part")));
}

void tst_ReportCli::sectionsAndPeriodAreHonoured()
{
    const QString output = m_dir.filePath(QStringLiteral("some.json"));
    const CtlRun run =
        report(QStringLiteral("json"), output,
               {QStringLiteral("--sections"), QStringLiteral("bindings,events"),
                QStringLiteral("--since"), QStringLiteral("2h"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    const QJsonObject said = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(said.value(QStringLiteral("files")).toArray().size(), 1);
    QVERIFY(said.value(QStringLiteral("events")).toInt() > 0);

    const Consumed valid = validateJson(output);
    QVERIFY2(valid.ok(), valid.describe().constData());
    const QJsonObject doc = QJsonDocument::fromJson(readAll(output)).object();
    QCOMPARE(doc.value(QStringLiteral("sections")).toArray(),
             QJsonArray({QStringLiteral("bindings"), QStringLiteral("events")}));
    QVERIFY(!doc.contains(QStringLiteral("findings")));
    QVERIFY(!doc.value(QStringLiteral("snapshot")).toObject().contains(QStringLiteral("servers")));
    const QJsonObject period = doc.value(QStringLiteral("period")).toObject();
    const QDateTime from =
        QDateTime::fromString(period.value(QStringLiteral("from")).toString(), Qt::ISODateWithMs);
    const QDateTime until =
        QDateTime::fromString(period.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
    QVERIFY(from.isValid() && until.isValid());
    QVERIFY(qAbs(from.secsTo(until) - 7200) <= 60);

    // A period before the domain existed holds no events, and says so with an empty summary.
    const QString empty = m_dir.filePath(QStringLiteral("empty.json"));
    const CtlRun old = report(QStringLiteral("json"), empty,
                              {QStringLiteral("--since"), QStringLiteral("2001-01-01"),
                               QStringLiteral("--until"), QStringLiteral("2001-01-02")});
    QVERIFY2(old.exitCode == 0, qPrintable(describe(old)));
    QVERIFY(validateJson(empty).ok());
    QCOMPARE(QJsonDocument::fromJson(readAll(empty))
                 .object()
                 .value(QStringLiteral("event_summary"))
                 .toObject()
                 .value(QStringLiteral("events"))
                 .toInt(-1),
             0);
}

void tst_ReportCli::badArgumentsAreOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("prefix");
    const QString out = QStringLiteral("/tmp/never-written.html");
    QTest::newRow("format") << QStringList{QStringLiteral("--format"), QStringLiteral("docx"),
                                           QStringLiteral("-o"), out}
                            << 2 << QStringLiteral("hostsecctl: usage: ");
    QTest::newRow("section") << QStringList{QStringLiteral("--format"),   QStringLiteral("html"),
                                            QStringLiteral("--sections"), QStringLiteral("secrets"),
                                            QStringLiteral("-o"),         out}
                             << 1
                             << QStringLiteral("hostsecctl: report: --sections: unknown section "
                                               "\"secrets\"");
    QTest::newRow("since") << QStringList{QStringLiteral("--format"), QStringLiteral("html"),
                                          QStringLiteral("--since"),  QStringLiteral("yesterday"),
                                          QStringLiteral("-o"),       out}
                           << 1 << QStringLiteral("hostsecctl: report: --since: expected");
    QTest::newRow("order") << QStringList{QStringLiteral("--format"), QStringLiteral("html"),
                                          QStringLiteral("--since"),  QStringLiteral("1h"),
                                          QStringLiteral("--until"),  QStringLiteral("2h"),
                                          QStringLiteral("-o"),       out}
                           << 1 << QStringLiteral("hostsecctl: report: --since ");
    QTest::newRow("unwritable") << QStringList{QStringLiteral("--format"), QStringLiteral("json"),
                                               QStringLiteral("-o"),
                                               QStringLiteral("/nonexistent/dir/r.json")}
                                << 1
                                << QStringLiteral("hostsecctl: report /nonexistent/dir/r.json: "
                                                  "cannot create");
}

void tst_ReportCli::badArgumentsAreOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, prefix);
    const CtlRun run =
        ctl(QStringList{QStringLiteral("-p"), m_demo, QStringLiteral("report")} + args);
    QCOMPARE(run.exitCode, exitCode);
    const QStringList lines = run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(!lines.isEmpty() && lines.last().startsWith(prefix), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/never-written.html")));
}

void tst_ReportCli::recycleShowsInTheReport()
{
    // HS1 reboots; HS2's bindings (manual policy) stay stale: the Q216558 failure. The report
    // must show the stale binding, a finding about it, and the events that tell the story.
    const QString manual = QStringLiteral("HS2/host-account-sync->HS1/host-account-sync");
    const CtlRun recycle =
        ctl({QStringLiteral("demo"), QStringLiteral("recycle"), m_demo, QStringLiteral("HS1"),
             QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(recycle.exitCode == 0, qPrintable(describe(recycle)));

    const QString output = m_dir.filePath(QStringLiteral("recycled.json"));
    QJsonObject doc;
    const auto staleInReport = [&] {
        if (report(QStringLiteral("json"), output).exitCode != 0)
            return false;
        doc = QJsonDocument::fromJson(readAll(output)).object();
        for (const auto &b : doc.value(QStringLiteral("snapshot"))
                                 .toObject()
                                 .value(QStringLiteral("bindings"))
                                 .toArray()) {
            const QJsonObject binding = b.toObject();
            if (binding.value(QStringLiteral("id")).toString() == manual)
                return binding.value(QStringLiteral("state")).toString() != QStringLiteral("bound");
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(staleInReport(), SettleTimeoutMs);
    QVERIFY(validateJson(output).ok());

    bool found = false;
    for (const auto &f : doc.value(QStringLiteral("findings")).toArray()) {
        for (const auto &b : f.toObject().value(QStringLiteral("bindings")).toArray())
            found = found || b.toString() == manual;
    }
    QVERIFY2(found,
             QJsonDocument(doc.value(QStringLiteral("findings")).toArray()).toJson().constData());
    QStringList symbols;
    for (const auto &row : doc.value(QStringLiteral("event_summary"))
                               .toObject()
                               .value(QStringLiteral("rows"))
                               .toArray())
        symbols << row.toObject().value(QStringLiteral("symbol")).toString();
    QVERIFY2(symbols.contains(QStringLiteral("AGENT_STARTED")),
             qPrintable(symbols.join(QLatin1Char(' '))));
    QVERIFY2(symbols.contains(QStringLiteral("BINDING_STALE")) ||
                 symbols.contains(QStringLiteral("BINDING_AWAITS_OPERATOR")),
             qPrintable(symbols.join(QLatin1Char(' '))));
}

void tst_ReportCli::cleanupTestCase()
{
    if (m_started)
        ctl({QStringLiteral("demo"), QStringLiteral("stop"), m_demo});
}

QTEST_GUILESS_MAIN(tst_ReportCli)
#include "tst_report_cli.moc"
