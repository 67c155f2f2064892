#pragma once

#include "diagnosis/diagnosis.h"
#include "diagnosis/finding.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace hostsec::ui {

class Session;
class TaskThread;

/// The findings of the diagnosis as a table: level, finding, since, action.
class FindingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        LevelColumn,
        TitleColumn,
        SinceColumn,
        ActionColumn,
        ColumnCount
    };

    explicit FindingModel(QObject *parent = nullptr);

    /// Replaces the findings (already in the diagnosis's order: most severe first).
    void setFindings(std::vector<diagnosis::Finding> findings);
    const std::vector<diagnosis::Finding> &findings() const { return m_findings; }
    /// The finding of a row, or nullptr.
    const diagnosis::Finding *finding(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// "Error", "Warning", "Info" in the current language.
    static QString levelText(diagnosis::Level level);
    /// The level's icon (red, amber, blue).
    static QIcon levelIcon(diagnosis::Level level);
    /// Phrases in the current language (the catalogue "hostsec::Finding"), filled in and joined;
    /// `english` when there are none.
    static QString translated(const std::vector<diagnosis::Phrase> &phrases,
                              const std::string &english);

private:
    std::vector<diagnosis::Finding> m_findings;
};

/// The Diagnosis panel: what is wrong in the domain, most severe first, refreshed live from the
/// agents (client::collectSnapshot + diagnosis::diagnose on a worker thread, never the GUI
/// thread); each finding with what happened, why, and a button that runs its recommended action.
class DiagnosisPane : public QWidget
{
    Q_OBJECT
public:
    explicit DiagnosisPane(Session *session, QWidget *parent = nullptr);
    ~DiagnosisPane() override;

    FindingModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    /// The button that runs the selected finding's action (also one per row in the table).
    QPushButton *runButton() const { return m_run; }
    /// The rules' thresholds (tests shorten them).
    void setOptions(const diagnosis::Options &options) { m_options = options; }
    /// The refresh period (default 5 s); bindings changes also refresh, within half a second.
    void setInterval(int ms);
    /// Whether a diagnosis or an action is running.
    bool busy() const { return m_running; }

    /// Diagnoses again now (or as soon as the one running ends).
    void refresh();
    /// Runs the recommended action of the finding in `row`.
    void runAction(int row);

Q_SIGNALS:
    /// A diagnosis finished and the model holds its findings.
    void refreshed();
    /// An action ended: its outcome in words, for the status bar.
    void actionFinished(bool ok, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void start();
    void onDiagnosed(int generation, std::vector<diagnosis::Finding> findings, QString error);
    void onActionDone(int generation, bool ok, QString message);
    void updateDetail();
    void updateRowButtons();
    void retranslateUi();

    Session *m_session;
    FindingModel *m_model;
    QTableView *m_table;
    QTextBrowser *m_detail;
    QPushButton *m_run;
    QPushButton *m_refresh;
    QLabel *m_state;
    QTimer m_timer;
    QTimer m_debounce;
    diagnosis::Options m_options;
    int m_generation = 0; // a new profile starts a new generation: late answers are dropped
    bool m_running = false;
    bool m_again = false;
    QDateTime m_lastRun;
    QString m_lastError;
    std::unique_ptr<TaskThread> m_worker; // last: joined first, while the pane still exists
};

} // namespace hostsec::ui
