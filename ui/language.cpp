#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

namespace hostsec::ui {

Language::Language(QObject *parent)
    : QObject(parent)
{}

Language::~Language()
{
    removeAll();
}

QStringList Language::available()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

QString Language::nativeName(const QString &code)
{
    if (code == QLatin1String("de"))
        return QStringLiteral("Deutsch");
    return QStringLiteral("English");
}

QString Language::resolve(const QString &setting)
{
    QString code = setting;
    if (code.isEmpty())
        code = QLocale::system().name().section(QLatin1Char('_'), 0, 0);
    return available().contains(code) ? code : QStringLiteral("en");
}

void Language::removeAll()
{
    if (!m_installed)
        return;
    QCoreApplication::removeTranslator(&m_console);
    QCoreApplication::removeTranslator(&m_qt);
    m_installed = false;
}

QString Language::apply(const QString &setting)
{
    const QString code = resolve(setting);
    removeAll();
    m_current = code;
    QLocale::setDefault(QLocale(code));
    if (code == QLatin1String("en")) {
        // The source texts are English; only the plural forms come from a translation.
        if (m_console.load(QStringLiteral(":/i18n/hostsec_en.qm"))) {
            QCoreApplication::installTranslator(&m_console);
            m_installed = true;
        }
        return code;
    }
    const bool console = m_console.load(QStringLiteral(":/i18n/hostsec_%1.qm").arg(code));
    const bool qt = m_qt.load(QStringLiteral("qtbase_%1").arg(code),
                              QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    if (qt)
        QCoreApplication::installTranslator(&m_qt);
    if (console)
        QCoreApplication::installTranslator(&m_console);
    m_installed = true;
    if (!console)
        qWarning("hostsec-console: no translation for language %s", qPrintable(code));
    return code;
}

} // namespace hostsec::ui
