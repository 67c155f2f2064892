// Why this test exists: escape.cpp is the only way text enters a report file, so each rule it
// promises is pinned here byte for byte: markup and quotes as references, CSV quoting by RFC
// 4180, bidi controls shown in HTML and escaped in JSON, invalid UTF-8 and control characters made
// displayable. The format tests then show real consumers agree.

#include "report/escape.h"

#include <QTest>

#include <string>

using namespace hostsec::report;

Q_DECLARE_METATYPE(std::string)

class tst_ReportEscape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanText_data();
    void cleanText();
    void escapeHtml_data();
    void escapeHtml();
    void csvField_data();
    void csvField();
    void escapeBidiInJson_data();
    void escapeBidiInJson();
    void bidiControls();
};

void tst_ReportEscape::cleanText_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("ascii") << std::string("HS1") << std::string("HS1");
    QTest::newRow("hebrew kept") << std::string("\u05D0\u05D1") << std::string("\u05D0\u05D1");
    QTest::newRow("emoji kept") << std::string("\U0001F600") << std::string("\U0001F600");
    QTest::newRow("tab, LF, CR kept") << std::string("a\tb\r\nc") << std::string("a\tb\r\nc");
    QTest::newRow("NUL shown") << std::string("a\0b", 3) << std::string("a\u2400b");
    QTest::newRow("ESC shown") << std::string("a\x1b[31m") << std::string("a\u241B[31m");
    QTest::newRow("DEL shown") << std::string("a\x7f") << std::string("a\u2421");
    QTest::newRow("lone continuation") << std::string("a\x80z") << std::string("a\uFFFDz");
    QTest::newRow("truncated sequence") << std::string("a\xE2\x80") << std::string("a\uFFFD\uFFFD");
    QTest::newRow("overlong slash") << std::string("\xC0\xAF") << std::string("\uFFFD\uFFFD");
    QTest::newRow("surrogate") << std::string("\xED\xA0\x80") << std::string("\uFFFD\uFFFD\uFFFD");
    QTest::newRow("beyond U+10FFFF")
        << std::string("\xF4\x90\x80\x80") << std::string("\uFFFD\uFFFD\uFFFD\uFFFD");
}

void tst_ReportEscape::cleanText()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(hostsec::report::cleanText(input), expected);
}

void tst_ReportEscape::escapeHtml_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("plain") << std::string("HS1") << std::string("HS1");
    QTest::newRow("script") << std::string("<script>alert(1)</script>")
                            << std::string("&lt;script&gt;alert(1)&lt;/script&gt;");
    QTest::newRow("quotes") << std::string("a\"b'c") << std::string("a&quot;b&#39;c");
    QTest::newRow("ampersand first") << std::string("&lt;") << std::string("&amp;lt;");
    QTest::newRow("RLO shown") << std::string("\u202Eevil") << std::string("[U+202E]evil");
    QTest::newRow("isolates and marks shown")
        << std::string("\u2066\u200F\u061C") << std::string("[U+2066][U+200F][U+061C]");
    QTest::newRow("hebrew as is") << std::string("\u05D0") << std::string("\u05D0");
    QTest::newRow("control shown") << std::string("a\x01") << std::string("a\u2401");
    QTest::newRow("invalid byte") << std::string("<\xFF>") << std::string("&lt;\uFFFD&gt;");
}

void tst_ReportEscape::escapeHtml()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(hostsec::report::escapeHtml(input), expected);
}

void tst_ReportEscape::csvField_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("plain") << std::string("HS1") << std::string("HS1");
    QTest::newRow("empty") << std::string() << std::string();
    QTest::newRow("comma") << std::string("a,b") << std::string("\"a,b\"");
    QTest::newRow("quote doubled")
        << std::string("say \"hi\"") << std::string("\"say \"\"hi\"\"\"");
    QTest::newRow("LF") << std::string("a\nb") << std::string("\"a\nb\"");
    QTest::newRow("CR") << std::string("a\rb") << std::string("\"a\rb\"");
    QTest::newRow("spaces kept bare") << std::string(" a ") << std::string(" a ");
    QTest::newRow("markup bare") << std::string("<b>") << std::string("<b>");
    QTest::newRow("RLO kept") << std::string("\u202Ex") << std::string("\u202Ex");
    QTest::newRow("NUL shown") << std::string("a\0,", 3) << std::string("\"a\u2400,\"");
}

void tst_ReportEscape::csvField()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(hostsec::report::csvField(input), expected);
}

void tst_ReportEscape::escapeBidiInJson_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("none") << std::string("{\"a\":\"\u05D0\"}") << std::string("{\"a\":\"\u05D0\"}");
    QTest::newRow("RLO") << std::string("{\"a\":\"\u202Ex\"}")
                         << std::string("{\"a\":\"\\u202ex\"}");
    QTest::newRow("several") << std::string("[\"\u2066\u2069\u200E\"]")
                             << std::string("[\"\\u2066\\u2069\\u200e\"]");
}

void tst_ReportEscape::escapeBidiInJson()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QCOMPARE(hostsec::report::escapeBidiInJson(input), expected);
}

void tst_ReportEscape::bidiControls()
{
    for (char32_t c : {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                       0x2067, 0x2068, 0x2069})
        QVERIFY2(isBidiControl(c), qPrintable(QString::number(c, 16)));
    for (char32_t c : {0x05D0, 0x200D, 0x2029, 0x2065, 0x206A, 0x0041})
        QVERIFY2(!isBidiControl(c), qPrintable(QString::number(c, 16)));
}

QTEST_APPLESS_MAIN(tst_ReportEscape)
#include "tst_reportescape.moc"
