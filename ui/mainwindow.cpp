#include "ui/mainwindow.h"

#include "ui/bindingtablemodel.h"
#include "ui/brokenwatch.h"
#include "ui/demorunner.h"
#include "ui/diagnosispane.h"
#include "ui/eventfilterbar.h"
#include "ui/eventmodel.h"
#include "ui/eventspane.h"
#include "ui/format.h"
#include "ui/language.h"
#include "ui/reportexport.h"
#include "ui/servertablemodel.h"
#include "ui/settingsdialog.h"
#include "ui/timelinemodel.h"
#include "ui/topologyscene.h"
#include "ui/topologyview.h"
#include "ui/userspane.h"
#include "ui/usertablemodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

// The icons and the application icon live in resources/hostsec.qrc, compiled into this static
// library: its initialiser must be called by name, outside any namespace.
static void initHostsecResources()
{
    Q_INIT_RESOURCE(hostsec);
}

namespace hostsec::ui {

namespace {

constexpr int MaxRecentProfiles = 8;
constexpr int MessageMs = 10000;
constexpr int ReadyDelayMs = 1500; // let the events table fill before a screenshot

QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

QTableView *makeTable(QWidget *parent, const QString &name)
{
    auto *t = new QTableView(parent);
    t->setObjectName(name);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setSortingEnabled(true);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->setContextMenuPolicy(Qt::CustomContextMenu);
    t->verticalHeader()->setVisible(false);
    t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setSectionsMovable(true);
    return t;
}

QString countText(int n, const QString &label)
{
    return QStringLiteral("%1: %2").arg(label).arg(n);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_language(new Language(this))
    , m_scene(new TopologyScene(this))
    , m_view(new TopologyView(m_scene, this))
    , m_serverModel(new ServerTableModel(this))
    , m_serverProxy(new QSortFilterProxyModel(this))
    , m_bindingModel(new BindingTableModel(this))
    , m_bindingProxy(new QSortFilterProxyModel(this))
    , m_timelineModel(new TimelineModel(this))
{
    initHostsecResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/hostsec.svg")));
    setCentralWidget(m_view);
    setDockNestingEnabled(true);

    m_serverProxy->setSourceModel(m_serverModel);
    m_serverProxy->setSortRole(ServerTableModel::SortRole);
    m_serverProxy->setFilterKeyColumn(-1);
    m_serverProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_bindingProxy->setSourceModel(m_bindingModel);
    m_bindingProxy->setSortRole(BindingTableModel::SortRole);
    m_bindingProxy->setFilterKeyColumn(-1);
    m_bindingProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    createActions();
    createMenus();
    createToolBar();
    createDocks();
    createStatusBar();
    wireSession();
    m_brokenWatch = new BrokenBindingWatch(m_session, this);
    connect(m_brokenWatch, &BrokenBindingWatch::brokenTooLong, this, &MainWindow::onBrokenTooLong);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/hostsec.svg")), this);
        m_tray->setObjectName(QStringLiteral("trayIcon"));
        m_tray->show();
    }
    m_exporter = new ReportExporter(this);
    connect(m_exporter, &ReportExporter::progress, this, [this](int step, const QString &text) {
        if (m_exportProgress) {
            m_exportProgress->setLabelText(text);
            m_exportProgress->setValue(step - 1);
        }
    });
    connect(m_exporter, &ReportExporter::finished, this,
            [this](bool ok, const QString &message, const QStringList &) {
                if (m_exportProgress)
                    m_exportProgress->close();
                showMessage(ok, message);
            });
    readSettings();
    retranslateUi();
    updateActions();
    updateStatusBar();

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        m_serverModel->refreshTexts();
        m_scene->update();
    });
    m_clock.start();
}

MainWindow::~MainWindow()
{
    // The session's network thread stops first, then the demo agents are stopped.
    delete m_session;
    m_session = nullptr;
    m_demo.reset();
}

// ---------------------------------------------------------------------------------------------
// Building the window

void MainWindow::createActions()
{
    auto make = [this](const char *name, const char *iconName, const QKeySequence &key = {}) {
        auto *a = new QAction(this);
        a->setObjectName(QLatin1String(name));
        if (iconName)
            a->setIcon(icon(iconName));
        if (!key.isEmpty())
            a->setShortcut(key);
        return a;
    };
    m_openProfile = make("openProfile", "open", QKeySequence::Open);
    m_startDemo = make("startDemo", "demo");
    m_exportReport = make("exportReport", nullptr, QKeySequence(Qt::CTRL | Qt::Key_E));
    m_settings = make("settings", "settings", QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_quit = make("quit", nullptr, QKeySequence::Quit);
    m_refresh = make("refresh", "refresh", QKeySequence(Qt::Key_F5));
    m_rebind = make("rebindBinding", "rebind", QKeySequence(Qt::CTRL | Qt::Key_R));
    m_rebindServer =
        make("rebindServer", "rebind-server", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_rebindAllStale =
        make("rebindAllStale", "rebind-all", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R));
    m_resyncSelected = make("resyncSelected", "resync", QKeySequence(Qt::CTRL | Qt::Key_Y));
    m_resyncFailed =
        make("resyncFailed", "resync-failed", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
    m_resyncAll = make("resyncAll", nullptr);
    m_recycle = make("recycleServer", "recycle", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    m_fit = make("fitTopology", "fit", QKeySequence(Qt::CTRL | Qt::Key_0));
    m_zoomIn = make("zoomIn", "zoom-in", QKeySequence::ZoomIn);
    m_zoomOut = make("zoomOut", "zoom-out", QKeySequence::ZoomOut);
    m_liveTail = make("liveTail", "live", QKeySequence(Qt::CTRL | Qt::Key_L));
    m_liveTail->setCheckable(true);
    m_liveTail->setChecked(true);
    m_about = make("about", "hostsec");

    connect(m_openProfile, &QAction::triggered, this, &MainWindow::openProfileDialog);
    connect(m_startDemo, &QAction::triggered, this, [this] { startDemo(); });
    connect(m_settings, &QAction::triggered, this, &MainWindow::openSettingsDialog);
    connect(m_exportReport, &QAction::triggered, this, &MainWindow::openReportDialog);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    connect(m_refresh, &QAction::triggered, this, [this] {
        m_session->refresh();
        if (m_users)
            m_users->reload();
        if (m_events)
            m_events->model()->reload();
    });
    connect(m_rebind, &QAction::triggered, this, &MainWindow::rebindSelected);
    connect(m_rebindServer, &QAction::triggered, this, &MainWindow::rebindSelectedServer);
    connect(m_rebindAllStale, &QAction::triggered, m_session, &Session::rebindAllStale);
    connect(m_resyncSelected, &QAction::triggered, this, &MainWindow::resyncSelectedUsers);
    connect(m_resyncFailed, &QAction::triggered, this,
            [this] { resync(Session::ResyncScope::Failed, {}); });
    connect(m_resyncAll, &QAction::triggered, this,
            [this] { resync(Session::ResyncScope::All, {}); });
    connect(m_recycle, &QAction::triggered, this, &MainWindow::recycleSelected);
    connect(m_fit, &QAction::triggered, m_view, &TopologyView::fitAll);
    connect(m_zoomIn, &QAction::triggered, m_view, &TopologyView::zoomIn);
    connect(m_zoomOut, &QAction::triggered, m_view, &TopologyView::zoomOut);
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openProfile);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("recentProfiles"));
    m_fileMenu->addAction(m_startDemo);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportReport);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_settings);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quit);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_fit);
    m_viewMenu->addAction(m_zoomIn);
    m_viewMenu->addAction(m_zoomOut);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_liveTail);
    m_viewMenu->addSeparator(); // dock toggles follow (createDocks)

    m_actionsMenu = menuBar()->addMenu(QString());
    m_actionsMenu->addAction(m_refresh);
    m_actionsMenu->addSeparator();
    m_actionsMenu->addAction(m_rebind);
    m_actionsMenu->addAction(m_rebindServer);
    m_actionsMenu->addAction(m_rebindAllStale);
    m_actionsMenu->addSeparator();
    m_resyncMenu = m_actionsMenu->addMenu(icon("resync"), QString());
    m_resyncMenu->addAction(m_resyncSelected);
    m_resyncMenu->addAction(m_resyncFailed);
    m_resyncMenu->addAction(m_resyncAll);
    m_actionsMenu->addSeparator();
    m_actionsMenu->addAction(m_recycle);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_about);
    updateRecentMenu();
}

void MainWindow::createToolBar()
{
    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setIconSize(QSize(24, 24));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_refresh);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_rebind);
    m_toolBar->addAction(m_rebindAllStale);
    m_toolBar->addAction(m_resyncFailed);
    m_toolBar->addAction(m_recycle);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_fit);
    auto *spacer = new QWidget(m_toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolBar->addWidget(spacer);
    m_demoBadge = new QLabel(m_toolBar);
    m_demoBadge->setObjectName(QStringLiteral("demoBadge"));
    m_demoBadge->setStyleSheet(QStringLiteral(
        "QLabel { background: #e0731a; color: white; font-weight: bold; border-radius: 4px;"
        " padding: 3px 10px; margin-right: 6px; }"));
    m_toolBar->addWidget(m_demoBadge)->setObjectName(QStringLiteral("demoBadgeAction"));
    m_demoBadge->setVisible(false);
}

void MainWindow::createDocks()
{
    // Servers
    auto *serversBox = new QWidget(this);
    m_serverFilter = new QLineEdit(serversBox);
    m_serverFilter->setObjectName(QStringLiteral("serverTableFilter"));
    m_serverFilter->setClearButtonEnabled(true);
    m_serversTable = makeTable(serversBox, QStringLiteral("serversTable"));
    m_serversTable->setModel(m_serverProxy);
    m_serversTable->sortByColumn(ServerTableModel::NameColumn, Qt::AscendingOrder);
    m_serversTable->setColumnWidth(ServerTableModel::NameColumn, 70);
    m_serversTable->setColumnWidth(ServerTableModel::RoleColumn, 120);
    m_serversTable->setColumnWidth(ServerTableModel::ServicesColumn, 190);
    m_serversTable->setColumnWidth(ServerTableModel::ReachableColumn, 110);
    auto *serversLayout = new QVBoxLayout(serversBox);
    serversLayout->setContentsMargins(4, 4, 4, 4);
    serversLayout->addWidget(m_serverFilter);
    serversLayout->addWidget(m_serversTable, 1);
    m_serversDock = new QDockWidget(this);
    m_serversDock->setObjectName(QStringLiteral("serversDock"));
    m_serversDock->setWidget(serversBox);
    addDockWidget(Qt::RightDockWidgetArea, m_serversDock);

    // Bindings, with the selected binding's timeline beside
    auto *bindingsBox = new QWidget(this);
    m_bindingFilter = new QLineEdit(bindingsBox);
    m_bindingFilter->setObjectName(QStringLiteral("bindingFilter"));
    m_bindingFilter->setClearButtonEnabled(true);
    m_bindingsTable = makeTable(bindingsBox, QStringLiteral("bindingsTable"));
    m_bindingsTable->setModel(m_bindingProxy);
    m_bindingsTable->sortByColumn(BindingTableModel::IdColumn, Qt::AscendingOrder);
    m_bindingsTable->setColumnWidth(BindingTableModel::IdColumn, 330);
    m_bindingsTable->setColumnWidth(BindingTableModel::FromColumn, 55);
    m_bindingsTable->setColumnWidth(BindingTableModel::ToColumn, 55);
    m_bindingsTable->setColumnWidth(BindingTableModel::StateColumn, 95);
    m_bindingsTable->setColumnWidth(BindingTableModel::PolicyColumn, 65);
    m_bindingsTable->setColumnWidth(BindingTableModel::LastErrorColumn, 190);
    m_bindingsTable->setColumnWidth(BindingTableModel::LastSuccessColumn, 175);
    m_bindingsTable->setColumnWidth(BindingTableModel::LastFailureColumn, 175);
    auto *timelineBox = new QWidget(this);
    m_timelineTitle = new QLabel(timelineBox);
    m_timelineTitle->setWordWrap(true);
    auto *timelineTable = makeTable(timelineBox, QStringLiteral("timelineTable"));
    timelineTable->setSortingEnabled(false);
    timelineTable->setModel(m_timelineModel);
    timelineTable->setColumnWidth(TimelineModel::TimeColumn, 170);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addWidget(m_timelineTitle);
    timelineLayout->addWidget(timelineTable, 1);
    m_bindingsSplitter = new QSplitter(Qt::Horizontal, bindingsBox);
    m_bindingsSplitter->setObjectName(QStringLiteral("bindingsSplitter"));
    m_bindingsSplitter->addWidget(m_bindingsTable);
    m_bindingsSplitter->addWidget(timelineBox);
    m_bindingsSplitter->setStretchFactor(0, 3);
    m_bindingsSplitter->setStretchFactor(1, 2);
    auto *bindingsLayout = new QVBoxLayout(bindingsBox);
    bindingsLayout->setContentsMargins(4, 4, 4, 4);
    bindingsLayout->addWidget(m_bindingFilter);
    bindingsLayout->addWidget(m_bindingsSplitter, 1);
    m_bindingsDock = new QDockWidget(this);
    m_bindingsDock->setObjectName(QStringLiteral("bindingsDock"));
    m_bindingsDock->setWidget(bindingsBox);
    addDockWidget(Qt::BottomDockWidgetArea, m_bindingsDock);

    // Users
    m_users = new UsersPane(m_session, this);
    m_usersDock = new QDockWidget(this);
    m_usersDock->setObjectName(QStringLiteral("usersDock"));
    m_usersDock->setWidget(m_users);
    addDockWidget(Qt::RightDockWidgetArea, m_usersDock);
    tabifyDockWidget(m_serversDock, m_usersDock);
    m_serversDock->raise();

    // Events
    m_events = new EventsPane(this);
    m_eventsDock = new QDockWidget(this);
    m_eventsDock->setObjectName(QStringLiteral("eventsDock"));
    m_eventsDock->setWidget(m_events);
    addDockWidget(Qt::BottomDockWidgetArea, m_eventsDock);
    tabifyDockWidget(m_bindingsDock, m_eventsDock);
    m_bindingsDock->raise();

    // Diagnosis: what is wrong and what to do, beside servers and users
    m_diagnosis = new DiagnosisPane(m_session, this);
    m_diagnosisDock = new QDockWidget(this);
    m_diagnosisDock->setObjectName(QStringLiteral("diagnosisDock"));
    m_diagnosisDock->setWidget(m_diagnosis);
    addDockWidget(Qt::RightDockWidgetArea, m_diagnosisDock);
    tabifyDockWidget(m_serversDock, m_diagnosisDock);
    m_serversDock->raise();
    connect(m_diagnosis, &DiagnosisPane::actionFinished, this, &MainWindow::showMessage);

    for (QDockWidget *d :
         {m_serversDock, m_bindingsDock, m_usersDock, m_eventsDock, m_diagnosisDock})
        m_viewMenu->addAction(d->toggleViewAction());

    // Selection mirrored between topology and tables.
    connect(m_scene, &TopologyScene::serverSelected, this, &MainWindow::selectServer);
    connect(m_scene, &TopologyScene::bindingSelected, this, &MainWindow::selectBinding);
    connect(m_serversTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!m_syncingSelection && current.isValid())
                    selectServer(current.data(ServerTableModel::NameRole).toString());
            });
    connect(m_bindingsTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!m_syncingSelection && current.isValid())
                    selectBinding(current.data(BindingTableModel::BindingIdRole).toString());
            });
    connect(m_bindingFilter, &QLineEdit::textChanged, m_bindingProxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_serverFilter, &QLineEdit::textChanged, m_serverProxy,
            &QSortFilterProxyModel::setFilterFixedString);

    // Context menus
    connect(m_view, &TopologyView::serverMenuRequested, this, &MainWindow::showServerMenu);
    connect(m_view, &TopologyView::bindingMenuRequested, this, &MainWindow::showBindingMenu);
    connect(m_bindingsTable, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_bindingsTable->indexAt(pos);
        if (!index.isValid())
            return;
        selectBinding(index.data(BindingTableModel::BindingIdRole).toString());
        showBindingMenu(m_selectedBinding, m_bindingsTable->viewport()->mapToGlobal(pos));
    });
    connect(m_serversTable, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_serversTable->indexAt(pos);
        if (!index.isValid())
            return;
        selectServer(index.data(ServerTableModel::NameRole).toString());
        showServerMenu(m_selectedServer, m_serversTable->viewport()->mapToGlobal(pos));
    });

    // Live tail: the menu action and the pane's check box are one switch.
    connect(m_liveTail, &QAction::toggled, m_events, &EventsPane::setLiveTail);
    if (auto *box = m_events->findChild<QCheckBox *>(QStringLiteral("liveTail")))
        connect(box, &QCheckBox::toggled, m_liveTail, &QAction::setChecked);
    connect(m_users, &UsersPane::selectionChanged, this, &MainWindow::updateActions);
}

void MainWindow::createStatusBar()
{
    auto label = [this](const char *name) {
        auto *l = new QLabel(this);
        l->setObjectName(QLatin1String(name));
        l->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(l);
        return l;
    };
    m_connectionLabel = label("connectionStatus");
    m_staleLabel = label("staleStatus");
    m_failedLabel = label("failedStatus");
    m_usersLabel = label("failedUsersStatus");
    m_backlogLabel = label("backlogStatus");
}

void MainWindow::wireSession()
{
    connect(m_session, &Session::agentsChanged, this, &MainWindow::onAgentsChanged);
    connect(m_session, &Session::bindingsChanged, this, &MainWindow::onBindingsChanged);
    connect(m_session, &Session::connectionChanged, this, &MainWindow::onConnectionChanged);
    connect(m_session, &Session::statsChanged, this, &MainWindow::updateStatusBar);
    connect(m_session, &Session::actionFinished, this, &MainWindow::showMessage);
    connect(m_session, &Session::jobUpdated, this, &MainWindow::onJobUpdated);
    connect(m_session, &Session::historyGrew, m_events, &EventsPane::historyGrew);
    connect(m_session, &Session::historyOpened, this, [this](const QString &path) {
        QString error;
        if (!m_events->openHistory(path, &error))
            showMessage(false, tr("Cannot read the history database %1: %2").arg(path, error));
    });
    connect(m_session, &Session::instanceChanged, this, [this](const QString &server) {
        m_scene->flashServer(server);
        showMessage(true,
                    tr("%1 runs as a new instance: bindings to it must be rebound.").arg(server));
    });
}

// ---------------------------------------------------------------------------------------------
// Opening a domain

void MainWindow::startDemo(int users)
{
    if (m_demo) {
        if (m_demo->isRunning())
            openProfile(m_demo->profilePath());
        return;
    }
    m_demo = std::make_unique<DemoRunner>();
    m_starting = true;
    m_startError.clear();
    connect(m_demo.get(), &DemoRunner::started, this, [this](const QString &profile) {
        m_starting = false;
        openProfile(profile);
    });
    connect(m_demo.get(), &DemoRunner::failed, this, [this](const QString &message) {
        m_starting = false;
        m_startError = message;
        showMessage(false, message);
        m_view->setPlaceholder(message);
        updateTitle();
        updateActions();
        updateStatusBar();
        if (!m_screenshotPath.isEmpty()) {
            qWarning("hostsec-console: %s", qPrintable(message));
            QCoreApplication::exit(1); // nothing to take a picture of
        }
    });
    m_view->setPlaceholder(tr("Starting demo domain…"));
    m_demo->start(users);
    updateTitle();
    updateActions();
    updateStatusBar();
}

bool MainWindow::openProfile(const QString &path)
{
    auto profile = client::Profile::load(path.toStdString());
    if (!profile) {
        const QString message = tr("Cannot open the profile %1: %2")
                                    .arg(path, QString::fromStdString(profile.error().message));
        showMessage(false, message);
        if (isVisible() && m_screenshotPath.isEmpty()) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Open profile"), message,
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        return false;
    }
    const bool demo =
        profile->demo && m_demo && QFileInfo(path) == QFileInfo(m_demo->profilePath());
    // A demo's history lives in its folder and goes with it; a real profile's in AppData.
    const QString history =
        demo ? QFileInfo(path).absolutePath() + QStringLiteral("/console-history.db") : QString();
    m_ready = false;
    m_usersLoaded = false;
    m_selectedServer.clear();
    m_selectedBinding.clear();
    m_events->model()->close();
    m_session->open(*profile, history);
    if (!demo)
        addRecentProfile(QFileInfo(path).absoluteFilePath());
    m_view->setPlaceholder(tr("Connecting to %1…").arg(QString::fromStdString(profile->domain)));
    updateTitle();
    updateActions();
    updateTimeline();
    return true;
}

void MainWindow::screenshotWhenReady(const QString &path, int timeoutMs)
{
    m_screenshotPath = path;
    auto shoot = [this](int code) {
        if (m_screenshotPath.isEmpty())
            return;
        const QString target = m_screenshotPath;
        m_screenshotPath.clear();
        const bool saved = grab().save(target, "PNG");
        if (!saved)
            qWarning("hostsec-console: cannot write the screenshot %s", qPrintable(target));
        QCoreApplication::exit(saved ? code : 3);
    };
    connect(this, &MainWindow::domainReady, this,
            [shoot] { QTimer::singleShot(ReadyDelayMs, qApp, [shoot] { shoot(0); }); });
    QTimer::singleShot(timeoutMs, this, [shoot] { shoot(2); });
    checkReady();
}

void MainWindow::checkReady()
{
    if (m_ready || !m_session->isOpen())
        return;
    if (m_session->connection() != Session::Connection::Connected)
        return;
    if (m_bindingModel->rowCount() == 0 || m_scene->edgeCount() == 0)
        return;
    m_ready = true;
    Q_EMIT domainReady();
}

// ---------------------------------------------------------------------------------------------
// Session updates

void MainWindow::onAgentsChanged()
{
    m_serverModel->setAgents(m_session->agents());
    m_scene->setDomain(m_session->domain(), m_session->agents());
    QStringList names;
    for (const AgentState &a : m_session->agents())
        names << a.name;
    m_events->setServers(names);
    if (!m_usersLoaded && m_session->primaryCache()) {
        m_usersLoaded = true;
        m_users->reload();
    }
    updateActions();
    updateStatusBar();
    checkReady();
}

void MainWindow::onBindingsChanged()
{
    m_bindingModel->setBindings(m_session->domain().bindings);
    m_scene->setDomain(m_session->domain(), m_session->agents());
    if (!m_selectedBinding.isEmpty()) {
        m_syncingSelection = true;
        m_scene->selectBinding(m_selectedBinding);
        m_syncingSelection = false;
    } else if (!m_selectedServer.isEmpty()) {
        m_syncingSelection = true;
        m_scene->selectServer(m_selectedServer);
        m_syncingSelection = false;
    }
    updateTimeline();
    updateActions();
    updateStatusBar();
    checkReady();
}

void MainWindow::onConnectionChanged()
{
    if (m_session->connection() == Session::Connection::Lost)
        m_view->setPlaceholder(tr("No agent of this domain answers."));
    updateTitle();
    updateActions();
    updateStatusBar();
    checkReady();
}

void MainWindow::showMessage(bool ok, const QString &message)
{
    m_lastMessage = message;
    statusBar()->showMessage(ok ? message : QStringLiteral("⚠ ") + message, MessageMs);
}

void MainWindow::onJobUpdated(const JobState &job)
{
    if (!m_progress)
        return;
    if (!job.id.isEmpty())
        m_jobId = job.id;
    if (!job.error.isEmpty() || job.finished()) {
        m_progress->reset();
        m_progress->close();
        m_progress->deleteLater();
        m_progress.clear();
        if (m_users)
            m_users->reload();
        return;
    }
    m_progress->setMaximum(std::max(1, job.total));
    m_progress->setValue(std::min(job.done, std::max(1, job.total) - 1));
    m_progress->setLabelText(tr("Resync %1: %2 of %3 users done, %4 failed.")
                                 .arg(job.id)
                                 .arg(job.done)
                                 .arg(job.total)
                                 .arg(job.failed));
}

// ---------------------------------------------------------------------------------------------
// Selection

void MainWindow::selectServer(const QString &name)
{
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    m_selectedServer = name;
    m_scene->selectServer(name);
    const int row = m_serverModel->rowOf(name);
    if (row >= 0) {
        const QModelIndex index = m_serverProxy->mapFromSource(m_serverModel->index(row, 0));
        m_serversTable->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_serversTable->scrollTo(index);
    }
    m_syncingSelection = false;
    updateActions();
}

void MainWindow::selectBinding(const QString &id)
{
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    m_selectedBinding = id;
    m_scene->selectBinding(id);
    const int row = m_bindingModel->rowOf(id);
    if (row >= 0) {
        const QModelIndex index = m_bindingProxy->mapFromSource(m_bindingModel->index(row, 0));
        m_bindingsTable->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_bindingsTable->scrollTo(index);
        // The binding's client is the server an operator acts on.
        if (const Binding *b = m_bindingModel->bindingAt(row))
            m_selectedServer = QString::fromStdString(b->fromServer);
    }
    m_syncingSelection = false;
    updateTimeline();
    updateActions();
}

void MainWindow::updateTimeline()
{
    const Binding *b = m_session->domain().binding(m_selectedBinding.toStdString());
    if (!b) {
        m_timelineModel->setTimeline({});
        m_timelineTitle->setText(tr("Select a binding to see its timeline."));
        return;
    }
    m_timelineModel->setTimeline(b->timeline);
    m_timelineTitle->setText(
        tr("Timeline of %1 (%2)").arg(m_selectedBinding, Format::bindingState(b->state)));
}

// ---------------------------------------------------------------------------------------------
// Actions

void MainWindow::rebindSelected()
{
    if (m_selectedBinding.isEmpty()) {
        showMessage(false, tr("Select a binding to rebind."));
        return;
    }
    m_session->rebind(m_selectedBinding);
}

void MainWindow::rebindSelectedServer()
{
    if (m_selectedServer.isEmpty()) {
        showMessage(false, tr("Select a server whose bindings to rebind."));
        return;
    }
    m_session->rebindServer(m_selectedServer);
}

void MainWindow::recycleSelected()
{
    if (m_selectedServer.isEmpty()) {
        showMessage(false, tr("Select a server to recycle."));
        return;
    }
    m_session->recycle(m_selectedServer);
}

void MainWindow::resyncSelectedUsers()
{
    const QStringList users = m_users->selectedUsers();
    if (users.isEmpty()) {
        showMessage(false, tr("Select users in the Users pane to resync them."));
        return;
    }
    resync(Session::ResyncScope::Users, users);
}

void MainWindow::resync(Session::ResyncScope scope, const QStringList &users)
{
    if (m_progress)
        return; // one resync at a time
    m_jobId.clear();
    m_progress = new QProgressDialog(this);
    m_progress->setObjectName(QStringLiteral("resyncProgress"));
    m_progress->setWindowTitle(tr("Resync users"));
    m_progress->setLabelText(tr("Starting the resync…"));
    m_progress->setCancelButtonText(tr("Cancel"));
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setRange(0, 0);
    m_progress->setWindowModality(Qt::WindowModal);
    connect(m_progress, &QProgressDialog::canceled, this, [this] {
        if (!m_jobId.isEmpty())
            m_session->cancelJob(m_jobId);
        if (m_progress)
            m_progress->setLabelText(tr("Cancelling…"));
    });
    m_progress->show();
    m_session->resync(scope, users);
}

void MainWindow::showServerMenu(const QString &server, const QPoint &globalPos)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_rebindServer);
    menu->addAction(m_recycle);
    menu->addSeparator();
    menu->addAction(icon("events"), tr("Show events of %1").arg(server), this,
                    [this, server] { showEventsOf(server); });
    menu->popup(globalPos);
}

void MainWindow::showBindingMenu(const QString &binding, const QPoint &globalPos)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_rebind);
    menu->addAction(m_rebindServer);
    menu->addAction(m_rebindAllStale);
    menu->addSeparator();
    menu->addAction(icon("copy"), tr("Copy binding id"), this,
                    [binding] { QGuiApplication::clipboard()->setText(binding); });
    menu->popup(globalPos);
}

void MainWindow::showEventsOf(const QString &server)
{
    auto *combo = m_events->filterBar()->findChild<QComboBox *>(QStringLiteral("serverFilter"));
    if (combo)
        combo->setCurrentIndex(std::max(0, combo->findData(server)));
    m_eventsDock->show();
    m_eventsDock->raise();
}

void MainWindow::openProfileDialog()
{
    auto *dialog = new QFileDialog(this, tr("Open domain profile"), QString(),
                                   tr("Domain profiles (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString &file) { openProfile(file); });
    dialog->open();
}

void MainWindow::openSettingsDialog()
{
    auto *dialog = new SettingsDialog(m_languageSetting, m_brokenMinutes, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        setLanguage(dialog->language());
        m_brokenMinutes = dialog->brokenMinutes();
        m_brokenWatch->setThreshold(qint64{m_brokenMinutes} * 60 * 1000);
        QSettings().setValue(QStringLiteral("notifications/brokenMinutes"), m_brokenMinutes);
    });
    dialog->open();
}

void MainWindow::openReportDialog()
{
    if (!m_session->isOpen()) {
        showMessage(false, tr("Open a profile or start the demo domain first."));
        return;
    }
    if (m_exporter->busy()) {
        showMessage(false, tr("A report is being written already."));
        return;
    }
    if (m_reportFolder.isEmpty())
        m_reportFolder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto *dialog = new ReportDialog(m_reportFolder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ReportRequest request = dialog->request();
        m_reportFolder = QFileInfo(request.path).absolutePath();
        if (!m_exporter->start(m_session->profile(), m_session->historyPath(), request))
            return;
        m_exportProgress = new QProgressDialog(this);
        m_exportProgress->setObjectName(QStringLiteral("reportProgress"));
        m_exportProgress->setAttribute(Qt::WA_DeleteOnClose);
        m_exportProgress->setWindowTitle(tr("Export report"));
        m_exportProgress->setRange(0, ReportExporter::Steps);
        m_exportProgress->setMinimumDuration(0);
        m_exportProgress->setValue(0);
        connect(m_exportProgress, &QProgressDialog::canceled, m_exporter, &ReportExporter::cancel);
    });
    dialog->open();
}

void MainWindow::onBrokenTooLong(const QString &binding, const QString &state, Millis since)
{
    const QString title =
        tr("Binding %1").arg(state == QLatin1String("failed") ? tr("failed") : tr("stale"));
    const QString text =
        tr("%1 has been %2 since %3. The Diagnosis panel says what to do.")
            .arg(binding, state == QLatin1String("failed") ? tr("failed") : tr("stale"),
                 Format::time(since));
    if (m_tray)
        m_tray->showMessage(title, text, QSystemTrayIcon::Warning);
    showMessage(false, text);
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Host Security Console"));
    box->setIconPixmap(QIcon(QStringLiteral(":/icons/hostsec.svg")).pixmap(64, 64));
    box->setText(tr("<b>Host Security Console</b> %1").arg(QCoreApplication::applicationVersion()));
    box->setInformativeText(
        tr("Shows a host security domain's servers and RPC bindings, rebinds stale bindings, "
           "resyncs users and searches every server's event history."));
    box->open();
}

void MainWindow::setLanguage(const QString &setting, bool remember)
{
    m_language->apply(setting);
    if (remember) {
        m_languageSetting = setting;
        QSettings().setValue(QStringLiteral("language"), setting);
    }
}

// ---------------------------------------------------------------------------------------------
// Appearance

void MainWindow::updateActions()
{
    const bool open = m_session->isOpen();
    const bool demo = open && m_session->profile().demo && !m_session->demoDirectory().isEmpty();
    const bool haveBinding = open && m_session->domain().binding(m_selectedBinding.toStdString());
    const bool haveServer = open && m_session->agent(m_selectedServer);
    const bool primary = open && m_session->primaryCache();
    // What the certificate's role does not allow is greyed out, and says why: the agents
    // would refuse it with 0x5 (docs/security.md, "Roles").
    const bool mayOperate = m_session->mayOperate();
    const QString refused =
        mayOperate ? QString()
                   : tr("Your certificate (%1) has the role %2: rebinding and resynchronizing "
                        "need the role operator or admin.")
                         .arg(m_session->identity(), m_session->role());
    m_refresh->setEnabled(open);
    m_rebind->setEnabled(haveBinding && mayOperate);
    m_rebindServer->setEnabled(haveServer && mayOperate);
    m_rebindAllStale->setEnabled(open && mayOperate);
    m_resyncSelected->setEnabled(primary && !m_users->selectedUsers().isEmpty() && mayOperate);
    m_resyncFailed->setEnabled(primary && mayOperate);
    m_resyncAll->setEnabled(primary && mayOperate);
    for (QAction *a : {m_rebind, m_rebindServer, m_rebindAllStale, m_resyncSelected, m_resyncFailed,
                       m_resyncAll}) {
        QString base = a->property("baseToolTip").toString();
        if (base.isEmpty())
            base = a->text().remove(QLatin1Char('&'));
        a->setToolTip(refused.isEmpty() ? base : base + QLatin1Char('\n') + refused);
        a->setStatusTip(refused);
    }
    m_recycle->setEnabled(demo && haveServer);
    m_startDemo->setEnabled(!m_starting && !(demo && m_demo && m_demo->isRunning()));
    m_demoBadge->setVisible(demo || m_starting);
}

void MainWindow::updateStatusBar()
{
    const bool open = m_session->isOpen();
    QString state;
    QString color = QStringLiteral("#8a8f98");
    if (m_starting) {
        state = tr("starting demo domain…");
    } else if (!m_startError.isEmpty() && !open) {
        state = tr("demo domain failed");
        color = QStringLiteral("#d33a2f");
    } else {
        switch (m_session->connection()) {
        case Session::Connection::Idle:
            state = tr("not connected");
            break;
        case Session::Connection::Connecting:
            state = tr("connecting…");
            color = QStringLiteral("#2f74d0");
            break;
        case Session::Connection::Connected:
            state = tr("connected");
            color = QStringLiteral("#2e9d4f");
            break;
        case Session::Connection::Degraded: {
            int down = 0;
            for (const AgentState &a : m_session->agents())
                down += a.reachable ? 0 : 1;
            state = tr("%n agent(s) unreachable", nullptr, down);
            color = QStringLiteral("#e09b12");
            break;
        }
        case Session::Connection::Lost:
            state = tr("no agent answers");
            color = QStringLiteral("#d33a2f");
            break;
        }
    }
    if (open && !m_session->identity().isEmpty())
        state = tr("%1 as %2 (%3)").arg(state, m_session->identity(), m_session->role());
    m_connectionLabel->setText(
        QStringLiteral("<span style='color:%1'>●</span> %2").arg(color, state.toHtmlEscaped()));
    const int stale = m_session->staleBindings();
    const int failed = m_session->failedBindings();
    m_staleLabel->setText(countText(stale, tr("stale")));
    m_staleLabel->setStyleSheet(stale ? QStringLiteral("color:#b7770a;font-weight:bold")
                                      : QString());
    m_failedLabel->setText(countText(failed, tr("failed")));
    m_failedLabel->setStyleSheet(failed ? QStringLiteral("color:#d33a2f;font-weight:bold")
                                        : QString());
    const int users = m_session->failedUsers();
    m_usersLabel->setText(
        users < 0 ? QStringLiteral("%1: -").arg(tr("failed users"))
                  : QStringLiteral("%1: %2%3")
                        .arg(tr("failed users"))
                        .arg(users)
                        .arg(m_session->failedUsersMore() ? QStringLiteral("+") : QString()));
    m_usersLabel->setStyleSheet(users > 0 ? QStringLiteral("color:#d33a2f") : QString());
    m_backlogLabel->setText(countText(m_session->outboxBacklog(), tr("outbox backlog")));
    for (QLabel *l : {m_staleLabel, m_failedLabel, m_usersLabel, m_backlogLabel})
        l->setVisible(open);
    m_staleLabel->setToolTip(tr("Bindings that are stale: calls on them fail until rebound"));
    m_failedLabel->setToolTip(tr("Bindings that failed"));
    m_usersLabel->setToolTip(tr("Users whose password sync failed"));
    m_backlogLabel->setToolTip(tr("Password changes waiting in the agents' outboxes"));
}

void MainWindow::updateTitle()
{
    const bool open = m_session->isOpen();
    const bool demo = (open && m_session->profile().demo) || (m_starting && !open);
    QString title = tr("Host Security Console");
    if (open)
        title += QStringLiteral(" — ") + QString::fromStdString(m_session->profile().domain);
    if (demo)
        title += QStringLiteral(" [") + tr("DEMO DOMAIN") + QStringLiteral("]");
    setWindowTitle(title);
    m_demoBadge->setText(tr("DEMO DOMAIN"));
    m_demoBadge->setToolTip(
        tr("A demo domain of real agents on this computer, created for this "
           "session and removed at exit. Recycle a server to see what happens."));
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("&Recent profiles"));
    m_viewMenu->setTitle(tr("&View"));
    m_actionsMenu->setTitle(tr("&Actions"));
    m_resyncMenu->setTitle(tr("Resync &users"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toolBar->setWindowTitle(tr("Main toolbar"));

    m_openProfile->setText(tr("&Open profile…"));
    m_openProfile->setStatusTip(tr("Connect to the domain a profile file describes"));
    m_startDemo->setText(tr("Start &demo domain"));
    m_startDemo->setStatusTip(tr("Start a small domain of real agents on this computer"));
    m_settings->setText(tr("&Settings…"));
    m_exportReport->setText(tr("&Export report…"));
    m_exportReport->setStatusTip(
        tr("Write the domain's state, findings and event summary as HTML, PDF, CSV or JSON"));
    m_quit->setText(tr("&Quit"));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setIconText(tr("Refresh"));
    m_refresh->setToolTip(tr("Ask every agent now (F5)"));
    m_rebind->setText(tr("Force rebind"));
    m_rebind->setIconText(tr("Rebind"));
    m_rebind->setToolTip(tr("Rebind the selected binding (Ctrl+R)"));
    m_rebindServer->setText(tr("Rebind server's bindings"));
    m_rebindServer->setToolTip(tr("Rebind every binding of the selected server (Ctrl+Shift+R)"));
    m_rebindAllStale->setText(tr("Rebind all stale"));
    m_rebindAllStale->setIconText(tr("Rebind stale"));
    m_rebindAllStale->setToolTip(tr("Ask every agent to rebind its stale bindings (Ctrl+Alt+R)"));
    m_resyncSelected->setText(tr("Resync selected users"));
    m_resyncFailed->setText(tr("Resync failed users"));
    m_resyncFailed->setIconText(tr("Resync failed"));
    m_resyncFailed->setToolTip(tr("Send every failed user's mapping and credential again"));
    m_resyncAll->setText(tr("Resync all users"));
    m_recycle->setText(tr("Recycle server"));
    m_recycle->setIconText(tr("Recycle"));
    m_recycle->setToolTip(tr("Demo domain only: kill the selected server's agent and start it "
                             "again, as a reboot would (Ctrl+Shift+X)"));
    m_fit->setText(tr("Fit topology"));
    m_fit->setIconText(tr("Fit"));
    m_fit->setToolTip(tr("Show every server (Ctrl+0)"));
    m_zoomIn->setText(tr("Zoom in"));
    m_zoomOut->setText(tr("Zoom out"));
    m_liveTail->setText(tr("Live tail of events"));
    m_about->setText(tr("&About Host Security Console"));

    m_serversDock->setWindowTitle(tr("Servers"));
    m_bindingsDock->setWindowTitle(tr("Bindings"));
    m_usersDock->setWindowTitle(tr("Users"));
    m_eventsDock->setWindowTitle(tr("Events"));
    m_diagnosisDock->setWindowTitle(tr("Diagnosis"));
    m_bindingFilter->setPlaceholderText(tr("Filter bindings"));
    m_serverFilter->setPlaceholderText(tr("Filter servers"));

    m_serverModel->refreshTexts();
    m_bindingModel->refreshTexts();
    m_timelineModel->refreshTexts();
    m_scene->retranslate();
    if (m_starting)
        m_view->setPlaceholder(tr("Starting demo domain…"));
    // The translated tooltips, which updateActions extends with why an action is greyed out.
    for (QAction *a : {m_rebind, m_rebindServer, m_rebindAllStale, m_resyncSelected, m_resyncFailed,
                       m_resyncAll})
        a->setProperty("baseToolTip", a->toolTip());
    updateRecentMenu();
    updateTimeline();
    updateTitle();
    updateStatusBar();
    updateActions();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_fileMenu)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

// ---------------------------------------------------------------------------------------------
// Settings

void MainWindow::readSettings()
{
    QSettings s;
    m_languageSetting = s.value(QStringLiteral("language")).toString();
    m_brokenMinutes =
        std::max(1, s.value(QStringLiteral("notifications/brokenMinutes"), 5).toInt());
    m_brokenWatch->setThreshold(qint64{m_brokenMinutes} * 60 * 1000);
    m_reportFolder = s.value(QStringLiteral("reports/folder")).toString();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1440, 900);
    m_defaultLayout = !restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_serversTable->horizontalHeader()->restoreState(
        s.value(QStringLiteral("headers/servers")).toByteArray());
    m_bindingsTable->horizontalHeader()->restoreState(
        s.value(QStringLiteral("headers/bindings")).toByteArray());
    m_users->table()->horizontalHeader()->restoreState(
        s.value(QStringLiteral("headers/users")).toByteArray());
    m_events->table()->horizontalHeader()->restoreState(
        s.value(QStringLiteral("headers/events")).toByteArray());
    m_bindingsSplitter->restoreState(s.value(QStringLiteral("splitters/bindings")).toByteArray());
    m_users->splitter()->restoreState(s.value(QStringLiteral("splitters/users")).toByteArray());
    m_events->splitter()->restoreState(s.value(QStringLiteral("splitters/events")).toByteArray());
}

void MainWindow::writeSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("reports/folder"), m_reportFolder);
    s.setValue(QStringLiteral("headers/servers"), m_serversTable->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("headers/bindings"),
               m_bindingsTable->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("headers/users"), m_users->table()->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("headers/events"),
               m_events->table()->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("splitters/bindings"), m_bindingsSplitter->saveState());
    s.setValue(QStringLiteral("splitters/users"), m_users->splitter()->saveState());
    s.setValue(QStringLiteral("splitters/events"), m_events->splitter()->saveState());
    s.setValue(QStringLiteral("language"), m_languageSetting);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_defaultLayout) {
        // First start: the topology gets most of the room (sized once the window has its own).
        m_defaultLayout = false;
        resizeDocks({m_serversDock}, {width() * 2 / 5}, Qt::Horizontal);
        resizeDocks({m_bindingsDock}, {height() / 3}, Qt::Vertical);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    writeSettings();
    event->accept();
}

void MainWindow::addRecentProfile(const QString &path)
{
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentProfiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecentProfiles)
        recent.removeLast();
    s.setValue(QStringLiteral("recentProfiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProfiles")).toStringList();
    for (const QString &path : recent) {
        m_recentMenu->addAction(QFileInfo(path).fileName() + QStringLiteral("  (") + path +
                                    QLatin1Char(')'),
                                this, [this, path] { openProfile(path); });
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No recent profiles"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this, [this] {
            QSettings().remove(QStringLiteral("recentProfiles"));
            updateRecentMenu();
        });
    }
}

} // namespace hostsec::ui
