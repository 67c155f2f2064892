#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace hostsec::ui {

/// The console's settings: the language (system, English, German), applied without restart.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    /// A dialog showing `language` ("" = follow the system).
    explicit SettingsDialog(const QString &language, QWidget *parent = nullptr);

    /// The language chosen ("" = follow the system).
    QString language() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_languageLabel;
    QComboBox *m_language;
    QDialogButtonBox *m_buttons;
};

} // namespace hostsec::ui
