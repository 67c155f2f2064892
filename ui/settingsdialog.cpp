#include "ui/settingsdialog.h"

#include "ui/language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hostsec::ui {

SettingsDialog::SettingsDialog(const QString &language, int brokenMinutes, QWidget *parent)
    : QDialog(parent)
    , m_languageLabel(new QLabel(this))
    , m_language(new QComboBox(this))
    , m_brokenLabel(new QLabel(this))
    , m_brokenMinutes(new QSpinBox(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(QString(), QString());
    for (const QString &code : Language::available())
        m_language->addItem(Language::nativeName(code), code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(language)));
    m_languageLabel->setBuddy(m_language);
    m_brokenMinutes->setObjectName(QStringLiteral("brokenMinutes"));
    m_brokenMinutes->setRange(1, 24 * 60);
    m_brokenMinutes->setValue(brokenMinutes);
    m_brokenLabel->setBuddy(m_brokenMinutes);

    auto *form = new QFormLayout;
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_brokenLabel, m_brokenMinutes);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslateUi();
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

int SettingsDialog::brokenMinutes() const
{
    return m_brokenMinutes->value();
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    m_languageLabel->setText(tr("&Language:"));
    m_language->setItemText(0, tr("System default"));
    m_brokenLabel->setText(tr("&Notify when a binding stays broken longer than:"));
    m_brokenMinutes->setSuffix(tr(" min"));
}

} // namespace hostsec::ui
