// hostsec-console: with no arguments, starts the embedded demo domain and shows it; with
// --profile FILE, connects to a real domain. --screenshot PATH saves the window once the
// domain's bindings are shown, then quits (for docs and tests). --bench measures the console on
// that domain and prints the figures as JSON lines, then quits (consolebench.h).

#include "consolebench.h"
#include "ui/language.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("HostSecurity"));
    QApplication::setApplicationName(QStringLiteral("hostsec-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Host Security Console"));
    QApplication::setApplicationVersion(QStringLiteral(HOSTSEC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("hostsec-console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Host Security Console: the domain's servers, RPC bindings, users and "
                       "events. Without --profile it starts a demo domain on this computer."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Connect to the domain profile FILE."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window to PATH (PNG) once the bindings are shown, then quit."),
        QStringLiteral("PATH"));
    const QCommandLineOption users(QStringLiteral("demo-users"),
                                   QStringLiteral("Users in the demo domain (default 50)."),
                                   QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QStringLiteral("Language: en or de (default: as set, "
                                                     "else the system's)."),
                                      QStringLiteral("CODE"));
    const QCommandLineOption bench(
        QStringLiteral("bench"),
        QStringLiteral("Measure start-up, filter changes and scrolling on the domain, print one "
                       "JSON line per figure, then quit (run by hostsec-bench console)."));
    parser.addOptions({profile, screenshot, users, language, bench});
    parser.process(app);

    hostsec::ui::MainWindow window;
    if (parser.isSet(language))
        window.setLanguage(parser.value(language), false); // for this run only
    else
        window.setLanguage(QSettings().value(QStringLiteral("language")).toString());
    if (parser.isSet(bench))
        hostsec::console::startBench(window); // before show(): the first paint is measured
    window.show();
    if (parser.isSet(profile)) {
        if (!window.openProfile(parser.value(profile)) && parser.isSet(screenshot))
            return 1;
    } else {
        window.startDemo(std::max(1, parser.value(users).toInt()));
    }
    if (parser.isSet(screenshot))
        window.screenshotWhenReady(parser.value(screenshot));
    return app.exec();
}
