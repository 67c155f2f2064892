// Every text a user reads must be German after switching to German, without a restart: the
// console's own strings, the event catalogue's templates and explanations from core, and the
// RPC status texts. The list in ui/eventtexts.cpp repeats core's texts for lupdate; this test
// is what notices when core's catalogue changes and that list does not.

#include "events/catalogue.h"
#include "model/rpcstatus.h"
#include "ui/format.h"
#include "ui/language.h"
#include "ui/mainwindow.h"

#include <QMenuBar>
#include <QStandardPaths>
#include <QTest>

using namespace hostsec;
using namespace hostsec::ui;

class tst_Translations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void catalogueIsTranslated();
    void rpcStatusTextsAreTranslated();
    void eventMessagesAreFilledInGerman();
    void windowSwitchesLanguageWithoutRestart();
};

void tst_Translations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("HostSecurityTest"));
    QCoreApplication::setApplicationName(QStringLiteral("hostsec-console-test"));
}

void tst_Translations::catalogueIsTranslated()
{
    Language language;
    QCOMPARE(language.apply(QStringLiteral("de")), QStringLiteral("de"));
    QStringList untranslated;
    for (const CatalogueEntry &e : eventCatalogue()) {
        for (std::string_view text : {e.messageTemplate, e.explanation}) {
            const std::string source(text);
            if (QCoreApplication::translate("hostsec::Event", source.c_str()) ==
                QString::fromStdString(source))
                untranslated << QString::fromStdString(source);
        }
    }
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
}

void tst_Translations::rpcStatusTextsAreTranslated()
{
    Language language;
    language.apply(QStringLiteral("de"));
    for (const RpcStatus &s : allRpcStatuses()) {
        const QString english =
            QString::fromUtf8(s.text.data(), static_cast<qsizetype>(s.text.size()));
        QVERIFY2(Format::rpcStatusText(s.code) != english, qPrintable(english));
    }
    QCOMPARE(Format::rpcStatusText(rpc::CallFailed),
             QStringLiteral("Der Remoteprozeduraufruf ist fehlgeschlagen."));
}

void tst_Translations::eventMessagesAreFilledInGerman()
{
    Language language;
    const Event e =
        makeEvent(ev::RpcLayerError, "DC1", {"6BE", "The remote procedure call failed.", "HS1"}, 1);
    QVERIFY(Format::eventMessage(e).startsWith(QStringLiteral("RPC Layer returned error 0x6BE")));
    language.apply(QStringLiteral("de"));
    QVERIFY2(
        Format::eventMessage(e).startsWith(QStringLiteral("Die RPC-Schicht meldete Fehler 0x6BE")),
        qPrintable(Format::eventMessage(e)));
    QCOMPARE(Format::bindingState(BindingState::Stale), QStringLiteral("veraltet"));
    QCOMPARE(QCoreApplication::translate("hostsec::ui::EventsPane", "%n event(s)", nullptr, 2),
             QStringLiteral("2 Ereignisse"));
    language.apply(QStringLiteral("en"));
    QCOMPARE(Format::bindingState(BindingState::Stale), QStringLiteral("stale"));
    // English plurals come from the plurals-only file.
    QCOMPARE(QCoreApplication::translate("hostsec::ui::EventsPane", "%n event(s)", nullptr, 1),
             QStringLiteral("1 event"));
    QCOMPARE(QCoreApplication::translate("hostsec::ui::EventsPane", "%n event(s)", nullptr, 3),
             QStringLiteral("3 events"));
}

void tst_Translations::windowSwitchesLanguageWithoutRestart()
{
    MainWindow window;
    window.setLanguage(QStringLiteral("en"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    auto *rebind = window.findChild<QAction *>(QStringLiteral("rebindBinding"));
    QVERIFY(rebind);
    QCOMPARE(rebind->text(), QStringLiteral("Force rebind"));

    window.setLanguage(QStringLiteral("de"));
    QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    QCOMPARE(rebind->text(), QStringLiteral("Neubindung erzwingen"));
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("Host Security Console")));

    window.setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
