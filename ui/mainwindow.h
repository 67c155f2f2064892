#pragma once

#include "ui/session.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressDialog;
class QSortFilterProxyModel;
class QSplitter;
class QSystemTrayIcon;
class QTableView;
class QToolBar;

namespace hostsec::ui {

class BindingTableModel;
class BrokenBindingWatch;
class DemoRunner;
class DiagnosisPane;
class ReportExporter;
class EventsPane;
class Language;
class ServerTableModel;
class TimelineModel;
class TopologyScene;
class TopologyView;
class UsersPane;

/// The console's main window: topology in the centre; servers, bindings (with the selected
/// binding's timeline), users and events in docks; actions in menus, a toolbar and context
/// menus; connection state and problem counts in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// A window with nothing open; settings (geometry, docks, headers, language) restored.
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Starts the embedded demo domain off the GUI thread and connects once it runs.
    void startDemo(int users = 50);
    /// Connects to the domain profile at `path`; false (and a message) if it cannot be read.
    bool openProfile(const QString &path);
    /// Once the domain is connected and its bindings shown, saves the window to a PNG at
    /// `path` and quits (exit code 0, or 2 if that did not happen within `timeoutMs`).
    void screenshotWhenReady(const QString &path, int timeoutMs = 90000);

    /// Switches the language ("" follows the system) without restart; `remember` keeps it as
    /// the setting for the next start (a --language option does not).
    void setLanguage(const QString &setting, bool remember = true);

    Session *session() const { return m_session; }
    DemoRunner *demo() const { return m_demo.get(); }
    ServerTableModel *serverModel() const { return m_serverModel; }
    BindingTableModel *bindingModel() const { return m_bindingModel; }
    TimelineModel *timelineModel() const { return m_timelineModel; }
    TopologyScene *topologyScene() const { return m_scene; }
    TopologyView *topologyView() const { return m_view; }
    EventsPane *eventsPane() const { return m_events; }
    UsersPane *usersPane() const { return m_users; }
    DiagnosisPane *diagnosisPane() const { return m_diagnosis; }
    ReportExporter *reportExporter() const { return m_exporter; }
    BrokenBindingWatch *brokenWatch() const { return m_brokenWatch; }
    QTableView *bindingsTable() const { return m_bindingsTable; }
    QTableView *serversTable() const { return m_serversTable; }
    /// The badge that marks the demo domain.
    QLabel *demoBadge() const { return m_demoBadge; }
    /// The last action outcome shown in the status bar.
    QString lastMessage() const { return m_lastMessage; }

    /// The server / binding selected in every view ("" if none).
    QString selectedServer() const { return m_selectedServer; }
    QString selectedBinding() const { return m_selectedBinding; }
    /// Selects a server in the topology and the servers table.
    void selectServer(const QString &name);
    /// Selects a binding in the topology and the bindings table.
    void selectBinding(const QString &id);

Q_SIGNALS:
    /// The domain is connected and its bindings are shown (once per opened profile).
    void domainReady();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void createStatusBar();
    void wireSession();
    void retranslateUi();
    void readSettings();
    void writeSettings();
    void updateRecentMenu();
    void addRecentProfile(const QString &path);

    void onAgentsChanged();
    void onBindingsChanged();
    void onConnectionChanged();
    void onJobUpdated(const JobState &job);
    void showMessage(bool ok, const QString &message);
    void updateActions();
    void updateStatusBar();
    void updateTitle();
    void updateTimeline();
    void checkReady();

    void openProfileDialog();
    void openSettingsDialog();
    void openReportDialog();
    void onBrokenTooLong(const QString &binding, const QString &state, Millis since);
    void showAbout();
    void rebindSelected();
    void rebindSelectedServer();
    void recycleSelected();
    void resyncSelectedUsers();
    void resync(Session::ResyncScope scope, const QStringList &users);
    void showServerMenu(const QString &server, const QPoint &globalPos);
    void showBindingMenu(const QString &binding, const QPoint &globalPos);
    void showEventsOf(const QString &server);

    Session *m_session;
    Language *m_language;
    std::unique_ptr<DemoRunner> m_demo;

    TopologyScene *m_scene;
    TopologyView *m_view;
    ServerTableModel *m_serverModel;
    QSortFilterProxyModel *m_serverProxy;
    QTableView *m_serversTable = nullptr;
    BindingTableModel *m_bindingModel;
    QSortFilterProxyModel *m_bindingProxy;
    QTableView *m_bindingsTable = nullptr;
    QLineEdit *m_bindingFilter = nullptr;
    QLineEdit *m_serverFilter = nullptr;
    TimelineModel *m_timelineModel;
    QLabel *m_timelineTitle = nullptr;
    QSplitter *m_bindingsSplitter = nullptr;
    UsersPane *m_users = nullptr;
    EventsPane *m_events = nullptr;
    DiagnosisPane *m_diagnosis = nullptr;
    BrokenBindingWatch *m_brokenWatch = nullptr;
    ReportExporter *m_exporter = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QPointer<QProgressDialog> m_exportProgress;
    QString m_reportFolder;
    int m_brokenMinutes = 5;

    QDockWidget *m_serversDock = nullptr;
    QDockWidget *m_bindingsDock = nullptr;
    QDockWidget *m_usersDock = nullptr;
    QDockWidget *m_eventsDock = nullptr;
    QDockWidget *m_diagnosisDock = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_actionsMenu = nullptr;
    QMenu *m_resyncMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QToolBar *m_toolBar = nullptr;
    QLabel *m_demoBadge = nullptr;

    QAction *m_openProfile = nullptr;
    QAction *m_exportReport = nullptr;
    QAction *m_startDemo = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_rebind = nullptr;
    QAction *m_rebindServer = nullptr;
    QAction *m_rebindAllStale = nullptr;
    QAction *m_resyncSelected = nullptr;
    QAction *m_resyncFailed = nullptr;
    QAction *m_resyncAll = nullptr;
    QAction *m_recycle = nullptr;
    QAction *m_fit = nullptr;
    QAction *m_zoomIn = nullptr;
    QAction *m_zoomOut = nullptr;
    QAction *m_liveTail = nullptr;
    QAction *m_about = nullptr;

    QLabel *m_connectionLabel = nullptr;
    QLabel *m_staleLabel = nullptr;
    QLabel *m_failedLabel = nullptr;
    QLabel *m_usersLabel = nullptr;
    QLabel *m_backlogLabel = nullptr;

    QPointer<QProgressDialog> m_progress;
    QString m_jobId;
    QString m_selectedServer;
    QString m_selectedBinding;
    QString m_lastMessage;
    QString m_languageSetting;
    QString m_screenshotPath;
    QString m_startError; // why the demo did not start
    bool m_starting = false;
    bool m_ready = false;
    bool m_usersLoaded = false;
    bool m_syncingSelection = false;
    bool m_defaultLayout = false; // no saved dock layout: size the docks at first show
    QTimer m_clock;               // uptime and "since" texts
};

} // namespace hostsec::ui
