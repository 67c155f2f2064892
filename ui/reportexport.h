#pragma once

#include "report/report.h"

#include <QDateTime>
#include <QDialog>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QThread;

namespace hostsec::client {
struct Profile;
}

namespace hostsec::ui {

/// What File ▸ Export report… asks for.
struct ReportRequest
{
    QString format = QStringLiteral("html"); // html, pdf, csv (a folder), json
    QDateTime from;                          // the event summary's period
    QDateTime until;
    std::vector<report::Section> sections = report::allSections();
    QString path; // a file, or a folder for csv
};

/// The Export report dialog: format, period, sections, where to write.
class ReportDialog : public QDialog
{
    Q_OBJECT
public:
    /// A dialog proposing the last 24 hours, every section, and a file in `folder`.
    explicit ReportDialog(const QString &folder, QWidget *parent = nullptr);

    /// What the dialog holds now.
    ReportRequest request() const;
    /// Fills the dialog (tests, and the last request remembered).
    void setRequest(const ReportRequest &request);

private:
    void browse();
    void formatChanged();
    void validate();

    QComboBox *m_format;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_until;
    std::vector<std::pair<report::Section, QCheckBox *>> m_sections;
    QLineEdit *m_path;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

/// Writes a report off the GUI thread: a snapshot of the domain from its agents, the diagnosis,
/// and the event summary from the console's history database, rendered in the chosen format.
class ReportExporter : public QObject
{
    Q_OBJECT
public:
    explicit ReportExporter(QObject *parent = nullptr);
    ~ReportExporter() override;

    /// Starts an export; progress and finished follow. One export at a time (false if busy).
    bool start(const client::Profile &profile, const QString &historyPath,
               const ReportRequest &request);
    /// Asks the running export to stop; it ends with finished(false, "cancelled").
    void cancel();
    bool busy() const { return m_busy; }

    static constexpr int Steps = 3; // snapshot, diagnosis and summary, writing

Q_SIGNALS:
    /// `step` of Steps has started, described by `text`.
    void progress(int step, const QString &text);
    /// The export ended; `files` were written when ok.
    void finished(bool ok, const QString &message, const QStringList &files);

private:
    bool m_busy = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    // A QThread, not a std::thread: the PDF's text layout starts Qt timers, which need a
    // thread Qt knows.
    QThread *m_thread = nullptr;
};

} // namespace hostsec::ui
