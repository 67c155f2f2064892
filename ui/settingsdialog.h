#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QSpinBox;

namespace hostsec::ui {

/// The console's settings: the language (system, English, German), applied without restart, and
/// how long a binding may stay broken before a desktop notification says so.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    /// A dialog showing `language` ("" = follow the system) and the notification delay.
    explicit SettingsDialog(const QString &language, int brokenMinutes = 5,
                            QWidget *parent = nullptr);

    /// The language chosen ("" = follow the system).
    QString language() const;
    /// Minutes a binding may stay stale or failed before the console notifies.
    int brokenMinutes() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_languageLabel;
    QComboBox *m_language;
    QLabel *m_brokenLabel;
    QSpinBox *m_brokenMinutes;
    QDialogButtonBox *m_buttons;
};

} // namespace hostsec::ui
