// Why this test exists: a report leaves the machine. An auditor opens the HTML in a browser, a
// script reads the CSV or the JSON, and every name in it came from an agent or a profile, so any
// of them may be hostile. Each format is read back here by a real consumer (Python's csv module,
// the jsonschema package against docs/report-schema.json, xmllint and Python's HTML tokenizer),
// and every hostile name must come back as the same text: never as markup, never as an extra
// field or line, never reordering the text around it.

#include "core/report/consumers.h"
#include "core/report/hostilereport.h"

#include "report/csv.h"
#include "report/escape.h"
#include "report/html.h"
#include "report/json.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace hostsec;
using namespace hostsec::testing;
using nlohmann::json;

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The column `name` of a table read back by the CSV consumer.
QStringList column(const QJsonArray &table, const QString &name)
{
    const QJsonArray header = table.at(0).toArray();
    qsizetype index = -1;
    for (qsizetype i = 0; i < header.size(); ++i) {
        if (header.at(i).toString() == name)
            index = i;
    }
    QStringList values;
    if (index < 0)
        return values;
    for (qsizetype row = 1; row < table.size(); ++row)
        values << table.at(row).toArray().at(index).toString();
    return values;
}

const QStringList HostileServers = {q(CommaQuote), q(RightToLeft), q(NewLine)};

} // namespace

class tst_ReportFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void csvReadsBackExactly();
    void jsonMatchesItsSchema();
    void htmlIsWellFormedAndInert();
    void summaryCanBeCutShortForPaper();
    void sectionsLeaveTheirTablesOut();
    void emptyReportIsStillValid();
    void failedSummaryLeavesNoFile();

private:
    QTemporaryDir m_dir;
};

void tst_ReportFormats::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString missing = missingConsumers();
    if (!missing.isEmpty())
        QFAIL(qPrintable(missing));
}

void tst_ReportFormats::csvReadsBackExactly()
{
    const QString folder = m_dir.filePath(QStringLiteral("csv"));
    auto written = report::writeCsv(hostileReport(), folder.toStdString());
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    QCOMPARE(written->size(), std::size_t(9));

    const Consumed read = readCsvFolder(folder);
    QVERIFY2(read.ok(), read.describe().constData());
    const QJsonObject tables = QJsonDocument::fromJson(read.out).object();
    QCOMPARE(tables.keys(), QStringList({"binding_timeline.csv", "bindings.csv", "event_kinds.csv",
                                         "events.csv", "findings.csv", "pending.csv", "report.csv",
                                         "servers.csv", "users.csv"}));

    // Every hostile name comes back as exactly the same text, in its own field.
    const QStringList servers = column(tables.value("servers.csv").toArray(), "server");
    QCOMPARE(servers, QStringList({"DC1", q(CommaQuote), q(RightToLeft), q(NewLine), q(Script)}));
    const QStringList errors = column(tables.value("servers.csv").toArray(), "error");
    QCOMPARE(errors.last(), q("0x6BA RPC_S_SERVER_UNAVAILABLE: connect: refused\n" + Ampersand));
    // Users by sync state: failed first (then by account), rejected, pending; the control
    // character is shown as its symbol.
    QCOMPARE(column(tables.value("users.csv").toArray(), "domain_account"),
             QStringList({"CONTOSO\\a,b\"c", q(report::cleanText("CONTOSO\\" + Control)),
                          q("CONTOSO\\" + RightToLeft), q("CONTOSO\\" + Script)}));
    QCOMPARE(column(tables.value("users.csv").toArray(), "sync_state"),
             QStringList({"failed", "failed", "rejected", "pending"}));
    QVERIFY(
        column(tables.value("users.csv").toArray(), "domain_account")[1].contains(QChar(0x2401)));

    // Errors as code, name and text, each its own column.
    const QJsonArray bindings = tables.value("bindings.csv").toArray();
    QCOMPARE(column(bindings, "last_error_code")[1], QStringLiteral("0x6BE"));
    QCOMPARE(column(bindings, "last_error_name")[1], QStringLiteral("RPC_S_CALL_FAILED"));
    QCOMPARE(column(bindings, "last_error_text")[1],
             QStringLiteral("The remote procedure call failed."));
    QCOMPARE(column(bindings, "from_server")[1], q(CommaQuote));
    QCOMPARE(column(tables.value("binding_timeline.csv").toArray(), "reason").last(),
             q("peer " + Script + " recycled\n" + Script));

    // Findings most severe first; the event summary with the catalogue's words.
    QCOMPARE(column(tables.value("findings.csv").toArray(), "level"),
             QStringList({"error", "warning", "info"}));
    QCOMPARE(column(tables.value("findings.csv").toArray(), "servers").first(),
             q(CommaQuote + "\n" + RightToLeft));
    const QJsonArray events = tables.value("events.csv").toArray();
    // Ordered by hour, then server name byte by byte, then id.
    QCOMPARE(column(events, "server"),
             QStringList({q(NewLine), q(RightToLeft), q(Script), "DC1", q(CommaQuote)}));
    QCOMPARE(column(events, "symbol"), QStringList({"CHANGE_APPLIED", "SSO_FAILED", "BINDING_STALE",
                                                    "UNKNOWN", "RPC_LAYER_ERROR"}));
    QCOMPARE(column(events, "title")[1],
             QStringLiteral("Single Sign-On request for \u2026\\\u2026 failed - failed to "
                            "communicate with the host account cache for host domain \u2026"));
    QCOMPARE(column(tables.value("event_kinds.csv").toArray(), "id"),
             QStringList({"401", "601", "630", "702", "9999"}));
    QCOMPARE(column(tables.value("report.csv").toArray(), "value")[1], q("eve@" + Script));
}

void tst_ReportFormats::jsonMatchesItsSchema()
{
    const QString file = m_dir.filePath(QStringLiteral("report.json"));
    const Status written = report::writeJsonFile(hostileReport(), file.toStdString());
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

    const Consumed valid = validateJson(file);
    QVERIFY2(valid.ok(), valid.describe().constData());

    const QByteArray raw = readAll(file);
    // No bidi control stands raw in the file (a viewer of the text could be fooled); escaped,
    // it still reads back as the same string.
    QVERIFY(!raw.contains("\xE2\x80\xAE"));
    QVERIFY(raw.contains("\\u202e"));
    const json doc = json::parse(raw.toStdString());
    QCOMPARE(doc["schema"].get<std::string>(), std::string("hostsec-report/1"));
    const json &servers = doc["snapshot"]["servers"];
    QCOMPARE(servers.size(), std::size_t(4));
    QCOMPARE(servers[1]["name"].get<std::string>(), CommaQuote);
    QCOMPARE(servers[2]["name"].get<std::string>(), RightToLeft);
    QCOMPARE(servers[3]["name"].get<std::string>(), NewLine);
    QCOMPARE(doc["snapshot"]["agents"][4]["name"].get<std::string>(), Script);
    QCOMPARE(doc["snapshot"]["domain"]["name"].get<std::string>(), "CONTOSO" + Script);
    // JSON keeps text exact: the control character travels as \u0001.
    QCOMPARE(doc["snapshot"]["users"][1]["domain_account"].get<std::string>(),
             "CONTOSO\\" + Control);
    QCOMPARE(doc["snapshot"]["bindings"][1]["last_error"]["hex"].get<std::string>(),
             std::string("0x6BE"));
    QCOMPARE(doc["findings"][0]["level"].get<std::string>(), std::string("error"));
    QCOMPARE(doc["findings"][0]["action"]["kind"].get<std::string>(), std::string("rebind-server"));
    QCOMPARE(doc["event_summary"]["groups"].get<int>(), 5);
    QCOMPARE(doc["event_summary"]["events"].get<int>(), 58);
    QCOMPARE(doc["event_summary"]["rows"][1]["symbol"].get<std::string>(),
             std::string("SSO_FAILED"));
    QCOMPARE(doc["period"]["until"].get<std::string>(), formatIsoTime(ReportTime));
}

void tst_ReportFormats::htmlIsWellFormedAndInert()
{
    const QString file = m_dir.filePath(QStringLiteral("report.html"));
    const Status written = report::writeHtmlFile(hostileReport(), file.toStdString());
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

    const Consumed wellFormed = xmlWellFormed(file);
    QVERIFY2(wellFormed.ok(), wellFormed.describe().constData());
    const Consumed html = readHtml(file);
    QVERIFY2(html.ok(), html.describe().constData());
    const QJsonObject read = QJsonDocument::fromJson(html.out).object();
    const QJsonObject tags = read.value("tags").toObject();
    QVERIFY(!tags.contains("script"));
    QVERIFY(tags.value("svg").toInt() == 1);
    QVERIFY(tags.value("table").toInt() >= 8);

    // The names are text in their cells, exactly (a line break shows as one).
    QStringList cells;
    for (const auto &cell : read.value("cells").toArray())
        cells << cell.toString();
    QVERIFY(cells.contains(q(CommaQuote)));
    QVERIFY(cells.contains(q(RightToLeftShown))); // the override shown, never applied
    QVERIFY(cells.contains(q(Script)));
    QVERIFY(cells.contains(QStringLiteral("HS\nTWO")));
    QVERIFY(cells.contains(q(report::cleanText("CONTOSO\\" + Control))));
    QVERIFY(cells.contains(QStringLiteral("0x6BE RPC_S_CALL_FAILED: The remote procedure call "
                                          "failed.")));

    // xmllint reads the same text out of the servers table.
    const Consumed first = xpathString(file, "//section[@id='servers']//tbody/tr[5]/td[1]");
    QVERIFY2(first.ok(), first.describe().constData());
    QCOMPARE(QString::fromUtf8(first.out), q(Script));

    // Self-contained and inert: no script, no external reference, no raw bidi control.
    const QByteArray raw = readAll(file);
    QVERIFY(!raw.toLower().contains("<script"));
    QVERIFY(!raw.contains("http:") && !raw.contains("https:") && !raw.contains("url("));
    QVERIFY(!raw.contains("\xE2\x80\xAE"));
    QVERIFY(raw.contains("[U+202E]"));
    QVERIFY(raw.contains("@media print"));
    // The page title has no markup to isolate with, so it holds no bidi control at all.
    const Consumed title = xpathString(file, "/html/head/title");
    QVERIFY(!QString::fromUtf8(title.out).contains(QChar(0x202E)));
}

void tst_ReportFormats::summaryCanBeCutShortForPaper()
{
    // The PDF prints a summary's first rows only; the page says how many more there are.
    report::HtmlOptions options;
    options.maxSummaryRows = 2;
    const QString file = m_dir.filePath(QStringLiteral("short.html"));
    QVERIFY(report::writeHtmlFile(hostileReport(), file.toStdString(), options).ok());
    QVERIFY(xmlWellFormed(file).ok());
    const Consumed rows = xpathString(file, "count(//section[@id='events']//table[1]/tbody/tr)");
    QCOMPARE(rows.out, QByteArray("2"));
    QVERIFY(readAll(file).contains("The first 2 of 5 rows"));
    // The kinds table still names every id of the whole summary.
    const Consumed kinds = xpathString(file, "count(//section[@id='events']//table[2]/tbody/tr)");
    QCOMPARE(kinds.out, QByteArray("5"));
}

void tst_ReportFormats::sectionsLeaveTheirTablesOut()
{
    report::Report r = hostileReport();
    r.meta.sections = {report::Section::Servers, report::Section::Findings};

    const QString folder = m_dir.filePath(QStringLiteral("some"));
    auto written = report::writeCsv(r, folder.toStdString());
    QVERIFY(written.ok());
    QCOMPARE(QDir(folder).entryList(QDir::Files),
             QStringList({"findings.csv", "report.csv", "servers.csv"}));
    const Consumed csv = readCsvFolder(folder);
    QVERIFY2(csv.ok(), csv.describe().constData());

    const QString jsonFile = m_dir.filePath(QStringLiteral("some.json"));
    QVERIFY(report::writeJsonFile(r, jsonFile.toStdString()).ok());
    const Consumed valid = validateJson(jsonFile);
    QVERIFY2(valid.ok(), valid.describe().constData());
    const json doc = json::parse(readAll(jsonFile).toStdString());
    QVERIFY(doc["snapshot"].contains("servers"));
    QVERIFY(!doc["snapshot"].contains("bindings"));
    QVERIFY(!doc["snapshot"].contains("users"));
    QVERIFY(!doc.contains("event_summary"));
    QVERIFY(doc["sections"] == json({"servers", "findings"}));

    const QString htmlFile = m_dir.filePath(QStringLiteral("some.html"));
    QVERIFY(report::writeHtmlFile(r, htmlFile.toStdString()).ok());
    QVERIFY(xmlWellFormed(htmlFile).ok());
    const QByteArray raw = readAll(htmlFile);
    QVERIFY(raw.contains("id=\"servers\"") && raw.contains("id=\"findings\""));
    QVERIFY(!raw.contains("id=\"bindings\"") && !raw.contains("id=\"events\""));
}

void tst_ReportFormats::emptyReportIsStillValid()
{
    report::Report r; // nothing but when it was made
    r.meta.generatedAt = ReportTime;
    r.meta.sections = report::allSections();
    const QString folder = m_dir.filePath(QStringLiteral("empty"));
    QVERIFY(report::writeCsv(r, folder.toStdString()).ok());
    const Consumed csv = readCsvFolder(folder);
    QVERIFY2(csv.ok(), csv.describe().constData());
    QCOMPARE(QJsonDocument::fromJson(csv.out).object().value("servers.csv").toArray().size(), 1);

    const QString jsonFile = m_dir.filePath(QStringLiteral("empty.json"));
    QVERIFY(report::writeJsonFile(r, jsonFile.toStdString()).ok());
    const Consumed valid = validateJson(jsonFile);
    QVERIFY2(valid.ok(), valid.describe().constData());

    const QString htmlFile = m_dir.filePath(QStringLiteral("empty.html"));
    QVERIFY(report::writeHtmlFile(r, htmlFile.toStdString()).ok());
    const Consumed wellFormed = xmlWellFormed(htmlFile);
    QVERIFY2(wellFormed.ok(), wellFormed.describe().constData());
    QVERIFY(readAll(htmlFile).contains("None."));
}

void tst_ReportFormats::failedSummaryLeavesNoFile()
{
    report::Report r = hostileReport();
    r.events = [](const report::SummaryVisitor &visit) -> Status {
        visit({ev::RpcLayerError, "DC1", ReportTime, 1, Severity::Error});
        return Error{5, "disk I/O error reading events.db"};
    };
    const QString html = m_dir.filePath(QStringLiteral("failed.html"));
    const Status status = report::writeHtmlFile(r, html.toStdString());
    QVERIFY(!status.ok());
    QVERIFY2(status.error().message.find("events.db") != std::string::npos,
             status.error().message.c_str());
    QVERIFY(!QFile::exists(html));
    QVERIFY(!QFile::exists(html + QStringLiteral(".part")));

    const QString jsonFile = m_dir.filePath(QStringLiteral("failed.json"));
    QVERIFY(!report::writeJsonFile(r, jsonFile.toStdString()).ok());
    QVERIFY(!QFile::exists(jsonFile));

    const QString folder = m_dir.filePath(QStringLiteral("failed"));
    QVERIFY(!report::writeCsv(r, folder.toStdString()).ok());
    QVERIFY(!QFile::exists(folder + QStringLiteral("/events.csv")));
    QVERIFY(!QFile::exists(folder + QStringLiteral("/.events.csv.part")));
}

QTEST_GUILESS_MAIN(tst_ReportFormats)
#include "tst_reportformats.moc"
