#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTranslator>

namespace hostsec::ui {

/// The console's language: installs its own and Qt's translations and switches them at run
/// time (every widget then gets QEvent::LanguageChange and retranslates itself).
class Language : public QObject
{
    Q_OBJECT
public:
    /// No translation installed yet.
    explicit Language(QObject *parent = nullptr);
    ~Language() override;

    /// The languages offered: "en", "de".
    static QStringList available();
    /// A language's own name ("Deutsch").
    static QString nativeName(const QString &code);
    /// The language `setting` means: "" follows the system locale.
    static QString resolve(const QString &setting);

    /// Switches to `setting` ("" = system locale, "en", "de"); returns the language in use.
    QString apply(const QString &setting);
    /// The language in use ("en" or "de").
    QString current() const { return m_current; }

private:
    void removeAll();

    QTranslator m_console;
    QTranslator m_qt;
    bool m_installed = false;
    QString m_current = QStringLiteral("en");
};

} // namespace hostsec::ui
