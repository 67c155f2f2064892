// Why: operators search for the seed article's exact texts (events 630 and 401), and a
// message template filled from hostile parameters must never read out of bounds or lose text.

#include "events/catalogue.h"

#include <QTest>

#include <set>

using namespace hostsec;

class tst_Catalogue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idsAreUniqueAndSorted()
    {
        std::set<int> seen;
        int previous = 0;
        for (const CatalogueEntry &e : eventCatalogue()) {
            QVERIFY2(seen.insert(e.id).second, qPrintable(QString::number(e.id)));
            QVERIFY(e.id > previous);
            previous = e.id;
            QVERIFY(!e.messageTemplate.empty());
            QVERIFY(!e.explanation.empty());
            QCOMPARE(catalogueEntry(e.id), &e);
        }
        QVERIFY(catalogueEntry(12345) == nullptr);
    }

    void seedArticleWording()
    {
        const Event e630 =
            makeEvent(ev::RpcLayerError, "DC1", {"5", "Access is denied.", "HS1"}, 1);
        QVERIFY(e630.severity == Severity::Error);
        QCOMPARE(e630.source, std::string(source::DomainAccountSync));
        QVERIFY(e630.message.starts_with("RPC Layer returned error 0x5 (Access is denied.)"));
        QVERIFY(e630.message.find("is not privileged to send messages to the remote end") !=
                std::string::npos);

        const Event e401 = makeEvent(ev::SsoFailed, "HS2", {"CONTOSO", "alice", "HOSTDOM"}, 1);
        QCOMPARE(e401.message,
                 std::string("Single Sign-On request for CONTOSO\\alice failed - failed to "
                             "communicate with the host account cache for host domain HOSTDOM"));
    }

    void formatsPlaceholders_data()
    {
        QTest::addColumn<QString>("templ");
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "no params" << QStringList{} << "no params";
        QTest::newRow("ordered") << "%1-%2" << QStringList{"a", "b"} << "a-b";
        QTest::newRow("reordered") << "%2 %1 %2" << QStringList{"a", "b"} << "b a b";
        QTest::newRow("missing param kept") << "%1 %3" << QStringList{"a"} << "a %3";
        QTest::newRow("percent literal") << "100%% of %1" << QStringList{"x"} << "100% of x";
        QTest::newRow("trailing percent") << "50%" << QStringList{} << "50%";
        QTest::newRow("percent zero") << "%0" << QStringList{"a"} << "%0";
        QTest::newRow("two digits")
            << "%10" << QStringList{"1", "2", "3", "4", "5", "6", "7", "8", "9", "ten"} << "ten";
        QTest::newRow("param with placeholder not re-expanded")
            << "%1 %2" << QStringList{"%2", "b"} << "%2 b";
        QTest::newRow("adjacent text") << "x%1y" << QStringList{"A"} << "xAy";
    }

    void formatsPlaceholders()
    {
        QFETCH(QString, templ);
        QFETCH(QStringList, params);
        QFETCH(QString, expected);
        std::vector<std::string> p;
        for (const QString &s : params)
            p.push_back(s.toStdString());
        QCOMPARE(QString::fromStdString(formatMessage(templ.toStdString(), p)), expected);
    }

    void unknownIdStillMakesAnEvent()
    {
        const Event e = makeEvent(4242, "X", {}, 5);
        QVERIFY(e.severity == Severity::Error);
        QVERIFY(e.message.find("4242") != std::string::npos);
    }

    void severityNamesRoundTrip()
    {
        for (int i = 0; i <= 4; ++i) {
            const auto s = static_cast<Severity>(i);
            QVERIFY(severityFromString(toString(s)) == std::optional<Severity>(s));
        }
        QVERIFY(!severityFromString("loud"));
    }
};

QTEST_APPLESS_MAIN(tst_Catalogue)
#include "tst_catalogue.moc"
