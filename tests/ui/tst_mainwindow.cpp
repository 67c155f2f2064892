// The console against the real embedded demo domain (four hostsecd processes): it connects,
// shows the bindings, and shows the Q216558 failure when HS1 is recycled (HS2's binding to it,
// rebind policy manual, goes stale; DC1's, policy auto, is bound again to the new instance);
// Force rebind clears it; an agent that disappears is marked and picked up again when it
// returns. Screenshots of the window go to the build folder. Skipped when hostsecd is missing.

#include "client/demodomain.h"
#include "pki/authority.h"
#include "ui/bindingtablemodel.h"
#include "ui/demorunner.h"
#include "ui/eventmodel.h"
#include "ui/eventspane.h"
#include "ui/format.h"
#include "ui/mainwindow.h"
#include "ui/servertablemodel.h"
#include "ui/topologyscene.h"
#include "ui/userspane.h"
#include "ui/usertablemodel.h"

#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QProgressDialog>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace hostsec;
using namespace hostsec::ui;

namespace {

constexpr int AgentTimeoutMs = 45000;

bool hostsecdAvailable()
{
    const QFileInfo f(QString::fromStdString(client::DemoDomain::hostsecdPath()));
    return f.isAbsolute() ? f.isExecutable()
                          : !QStandardPaths::findExecutable(f.filePath()).isEmpty();
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connectsToTheDemoDomain();
    void screenshot();
    void recyclingHs1LeavesTheBackupBindingStale();
    void forceRebindClearsIt();
    void historyHoldsEveryServersEvents();
    void resyncShowsProgressUntilDone();
    void survivesAnAgentThatDisappears();
    void opensAProfileFile();
    void aViewerSeesWhatItMayNotDoGreyedOutAndWhy();
    void screenshotInGerman();

private:
    BindingState stateOf(const QString &id) const;
    QString bindingId(const std::string &from, const std::string &to) const;
    QString saveShot(const QString &name);

    MainWindow *m_window = nullptr;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("HostSecurityTest"));
    QCoreApplication::setApplicationName(QStringLiteral("hostsec-console-test"));
    if (!hostsecdAvailable())
        QSKIP("hostsecd is not built yet (set HOSTSEC_HOSTSECD or HOSTSEC_BIN_DIR)");
    m_window = new MainWindow;
    m_window->setLanguage(QStringLiteral("en"));
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QSignalSpy ready(m_window, &MainWindow::domainReady);
    m_window->startDemo(20);
    // The window is usable at once, before the agents answer.
    QVERIFY(m_window->demoBadge()->isVisible());
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("DEMO DOMAIN")));
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, AgentTimeoutMs);
}

void tst_MainWindow::cleanupTestCase()
{
    const QString dir = m_window && m_window->demo() ? m_window->demo()->directory() : QString();
    delete m_window; // stops the agents and removes the folder
    m_window = nullptr;
    if (!dir.isEmpty())
        QVERIFY2(!QFileInfo::exists(dir), qPrintable(dir));
}

BindingState tst_MainWindow::stateOf(const QString &id) const
{
    const int row = m_window->bindingModel()->rowOf(id);
    const Binding *b = m_window->bindingModel()->bindingAt(row);
    return b ? b->state : BindingState::Unbound;
}

QString tst_MainWindow::bindingId(const std::string &from, const std::string &to) const
{
    for (const Binding &b : m_window->session()->domain().bindings) {
        if (b.fromServer == from && b.toServer == to)
            return QString::fromStdString(b.id);
    }
    return {};
}

QString tst_MainWindow::saveShot(const QString &name)
{
    const QString path = QDir::current().filePath(name);
    QTest::qWait(100); // let relayouts (a language switch, new texts) happen before the grab
    m_window->grab().save(path, "PNG");
    return path;
}

void tst_MainWindow::connectsToTheDemoDomain()
{
    QCOMPARE(m_window->session()->connection(), Session::Connection::Connected);
    QCOMPARE(m_window->serverModel()->rowCount(), 4);
    QCOMPARE(m_window->topologyScene()->nodeCount(), 4);
    // Each agent's bindings arrive with its first poll; the agents answer in any order.
    QTRY_VERIFY_WITH_TIMEOUT(!bindingId("HS2", "HS1").isEmpty(), AgentTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!bindingId("DC1", "HS1").isEmpty(), AgentTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->bindingModel()->rowCount(), 7, AgentTimeoutMs);
    QCOMPARE(m_window->topologyScene()->edgeCount(), m_window->bindingModel()->rowCount());
    // Every binding settles to bound on a fresh domain.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->staleBindings() == 0 &&
                                 m_window->session()->failedBindings() == 0,
                             AgentTimeoutMs);
    const auto *status = m_window->findChild<QLabel *>(QStringLiteral("connectionStatus"));
    QVERIFY(status->text().contains(QStringLiteral("connected")));
}

void tst_MainWindow::screenshot()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_window->eventsPane()->model()->totalCount() > 0, AgentTimeoutMs);
    const QString path = saveShot(QStringLiteral("console-demo.png"));
    const QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path));
    QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
    qInfo("screenshot: %s", qPrintable(path));

    // The other docks: events with a detail, users with their pending changes.
    auto *events = m_window->findChild<QDockWidget *>(QStringLiteral("eventsDock"));
    auto *users = m_window->findChild<QDockWidget *>(QStringLiteral("usersDock"));
    events->raise();
    users->raise();
    QTableView *table = m_window->eventsPane()->table();
    table->selectionModel()->setCurrentIndex(table->model()->index(0, 0),
                                             QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
    QVERIFY(!m_window->eventsPane()->detailText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->usersPane()->model()->rowCount() > 0, AgentTimeoutMs);
    saveShot(QStringLiteral("console-demo-events.png"));
    m_window->findChild<QDockWidget *>(QStringLiteral("bindingsDock"))->raise();
    m_window->findChild<QDockWidget *>(QStringLiteral("serversDock"))->raise();
}

void tst_MainWindow::recyclingHs1LeavesTheBackupBindingStale()
{
    const QString backup = bindingId("HS2", "HS1");
    const QString domain = bindingId("DC1", "HS1");
    const std::string oldInstance =
        m_window->session()->agent(QStringLiteral("HS1"))->server.instanceId;
    QSignalSpy recycled(m_window->session(), &Session::recycleFinished);
    QSignalSpy newInstance(m_window->session(), &Session::instanceChanged);

    m_window->selectServer(QStringLiteral("HS1"));
    auto *recycle = m_window->findChild<QAction *>(QStringLiteral("recycleServer"));
    QVERIFY(recycle->isEnabled());
    recycle->trigger(); // DemoDomain::recycle, off the GUI thread
    QTRY_VERIFY_WITH_TIMEOUT(recycled.count() == 1, AgentTimeoutMs);
    QVERIFY2(recycled.first().at(1).toBool(), qPrintable(recycled.first().at(2).toString()));

    // HS2's binding to HS1 has rebind policy manual: stale, in the table and the topology.
    QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(backup)), int(BindingState::Stale), AgentTimeoutMs);
    TopologyEdge *edge = m_window->topologyScene()->edge(backup);
    QVERIFY(edge);
    QCOMPARE(int(edge->state()), int(BindingState::Stale));
    QCOMPARE(edge->color(), Format::bindingStateColor(BindingState::Stale));
    QTRY_VERIFY(m_window->findChild<QLabel *>(QStringLiteral("staleStatus"))
                    ->text()
                    .contains(QStringLiteral("1")));

    // DC1's has policy auto: bound again, to the new instance.
    QTRY_VERIFY_WITH_TIMEOUT(newInstance.count() >= 1, AgentTimeoutMs);
    const std::string instance =
        m_window->session()->agent(QStringLiteral("HS1"))->server.instanceId;
    QVERIFY(instance != oldInstance);
    QTRY_VERIFY_WITH_TIMEOUT(
        stateOf(domain) == BindingState::Bound &&
            m_window->session()->domain().binding(domain.toStdString())->peerInstance == instance,
        AgentTimeoutMs);
    QCOMPARE(int(m_window->topologyScene()->edge(domain)->state()), int(BindingState::Bound));
    saveShot(QStringLiteral("console-demo-stale.png"));
}

void tst_MainWindow::forceRebindClearsIt()
{
    const QString backup = bindingId("HS2", "HS1");
    QCOMPARE(int(stateOf(backup)), int(BindingState::Stale));
    m_window->selectBinding(backup);
    QCOMPARE(m_window->selectedBinding(), backup);
    QVERIFY(m_window->topologyScene()->edge(backup)->isSelected()); // mirrored
    auto *rebind = m_window->findChild<QAction *>(QStringLiteral("rebindBinding"));
    QVERIFY(rebind->isEnabled());
    rebind->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(int(stateOf(backup)), int(BindingState::Bound), AgentTimeoutMs);
    QVERIFY2(m_window->lastMessage().contains(QStringLiteral("Rebind")),
             qPrintable(m_window->lastMessage()));
    QCOMPARE(m_window->session()->staleBindings(), 0);
    // The binding's timeline shows the way there.
    const Binding *b = m_window->session()->domain().binding(backup.toStdString());
    QVERIFY(std::any_of(b->timeline.begin(), b->timeline.end(),
                        [](const BindingTransition &t) { return t.to == BindingState::Stale; }));
}

void tst_MainWindow::historyHoldsEveryServersEvents()
{
    EventModel *events = m_window->eventsPane()->model();
    EventFilter started;
    started.ids = {100}; // agent started
    started.servers = {"HS1"};
    events->setFilter(started);
    QTRY_VERIFY_WITH_TIMEOUT((events->reload(), events->totalCount() >= 2),
                             AgentTimeoutMs); // before and after the recycle
    EventFilter stale;
    stale.servers = {"HS2"};
    stale.ids = {601, 607};
    events->setFilter(stale);
    QVERIFY(events->totalCount() >= 1);
    events->setFilter({});
    QVERIFY(events->totalCount() > 10);
}

void tst_MainWindow::resyncShowsProgressUntilDone()
{
    QSignalSpy jobs(m_window->session(), &Session::jobUpdated);
    auto *resync = m_window->findChild<QAction *>(QStringLiteral("resyncAll"));
    QVERIFY(resync->isEnabled());
    resync->trigger();
    QVERIFY(m_window->findChild<QProgressDialog *>(QStringLiteral("resyncProgress")));
    QTRY_VERIFY_WITH_TIMEOUT(!jobs.isEmpty() && jobs.last().first().value<JobState>().finished(),
                             AgentTimeoutMs);
    const JobState job = jobs.last().first().value<JobState>();
    QVERIFY2(job.error.isEmpty(), qPrintable(job.error));
    QCOMPARE(job.state, QStringLiteral("done"));
    QCOMPARE(job.done + job.failed, job.total);
    QTRY_VERIFY(!m_window->findChild<QProgressDialog *>(QStringLiteral("resyncProgress")));
    QVERIFY2(m_window->lastMessage().contains(QStringLiteral("Resync")),
             qPrintable(m_window->lastMessage()));
}

void tst_MainWindow::survivesAnAgentThatDisappears()
{
    const std::string dir = m_window->demo()->directory().toStdString();
    QVERIFY(client::DemoDomain::kill(dir, "HOST1"));
    // Whatever fails below, HOST1 comes back: the tests after this one need the whole domain.
    auto restart = qScopeGuard([&] {
        if (const Status started = client::DemoDomain::start(dir); !started)
            qWarning("restarting HOST1: %s", started.error().message.c_str());
    });
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->agent(QStringLiteral("HOST1"))->reachable,
                             AgentTimeoutMs);
    QCOMPARE(m_window->session()->connection(), Session::Connection::Degraded);
    // The session tells its models once per event-loop turn, so the table follows a moment later.
    const int row = m_window->serverModel()->rowOf(QStringLiteral("HOST1"));
    QTRY_VERIFY(m_window->serverModel()
                    ->index(row, ServerTableModel::ReachableColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("no, since")));
    QTRY_VERIFY(!m_window->topologyScene()->node(QStringLiteral("HOST1"))->isReachable());
    saveShot(QStringLiteral("console-demo-agent-down.png"));

    restart.dismiss();
    QVERIFY(client::DemoDomain::start(dir));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->agent(QStringLiteral("HOST1"))->reachable,
                             AgentTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->connection(), Session::Connection::Connected,
                              AgentTimeoutMs);
    QTRY_VERIFY(m_window->topologyScene()->node(QStringLiteral("HOST1"))->isReachable());
}

void tst_MainWindow::opensAProfileFile()
{
    // A second console on the same domain through its profile file, as --profile does.
    MainWindow other;
    QVERIFY(!other.openProfile(QStringLiteral("/nonexistent/profile.json")));
    QVERIFY(other.lastMessage().contains(QStringLiteral("/nonexistent/profile.json")));
    const QString profile = m_window->demo()->profilePath();
    QVERIFY(other.openProfile(profile));
    QTRY_COMPARE_WITH_TIMEOUT(other.session()->connection(), Session::Connection::Connected,
                              AgentTimeoutMs);
    QTRY_COMPARE(other.bindingModel()->rowCount(), m_window->bindingModel()->rowCount());
    QCOMPARE(other.session()->historyPath(), Session::historyPathFor(profile));
    QTRY_VERIFY(QFileInfo::exists(other.session()->historyPath()));
    QVERIFY(QSettings()
                .value(QStringLiteral("recentProfiles"))
                .toStringList()
                .contains(QFileInfo(profile).absoluteFilePath()));
    QFile::remove(other.session()->historyPath());
}

void tst_MainWindow::aViewerSeesWhatItMayNotDoGreyedOutAndWhy()
{
    // A viewer's certificate from the demo domain's CA, and a profile that uses it.
    const QString demo = QFileInfo(m_window->demo()->profilePath()).absolutePath();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    pki::IssueRequest request;
    request.name = "vera";
    request.role = pki::Role::Viewer;
    const auto issued = pki::issue(QString(demo + QStringLiteral("/pki")).toStdString(), request,
                                   dir.path().toStdString());
    QVERIFY2(issued, issued ? "" : issued.error().message.c_str());
    QFile original(m_window->demo()->profilePath());
    QVERIFY(original.open(QIODevice::ReadOnly));
    nlohmann::json profile = nlohmann::json::parse(original.readAll().toStdString());
    profile.erase("demo"); // a copy elsewhere: no demo folder to manage
    profile["tls"] = {{"ca", QString(demo + QStringLiteral("/pki/ca.crt")).toStdString()},
                      {"cert", issued->certFile.string()},
                      {"key", issued->keyFile.string()}};
    const QString path = dir.filePath(QStringLiteral("profile.json"));
    QFile copy(path);
    QVERIFY(copy.open(QIODevice::WriteOnly));
    copy.write(QByteArray::fromStdString(profile.dump(2)));
    copy.close();

    MainWindow viewer;
    QVERIFY2(viewer.openProfile(path), qPrintable(viewer.lastMessage()));
    QTRY_COMPARE_WITH_TIMEOUT(viewer.session()->connection(), Session::Connection::Connected,
                              AgentTimeoutMs);
    QCOMPARE(viewer.session()->role(), QStringLiteral("viewer"));
    viewer.selectServer(QStringLiteral("HS1"));
    for (const char *name : {"rebindBinding", "rebindServer", "rebindAllStale"}) {
        auto *action = viewer.findChild<QAction *>(QString::fromLatin1(name));
        QVERIFY2(action, name);
        QVERIFY2(!action->isEnabled(), name);
        QVERIFY2(action->toolTip().contains(QStringLiteral("role viewer")) &&
                     action->toolTip().contains(QStringLiteral("operator or admin")),
                 qPrintable(action->toolTip()));
    }
    QVERIFY(viewer.findChild<QAction *>(QStringLiteral("refresh"))->isEnabled()); // reading is
    QVERIFY(viewer.findChild<QLabel *>(QStringLiteral("connectionStatus"))
                ->text()
                .contains(QStringLiteral("as vera (viewer)")));
    // The admin's own console (the demo's certificate) may do all of it.
    QVERIFY(m_window->findChild<QAction *>(QStringLiteral("rebindAllStale"))->isEnabled());
    QFile::remove(viewer.session()->historyPath());
}

void tst_MainWindow::screenshotInGerman()
{
    m_window->setLanguage(QStringLiteral("de"));
    QTRY_COMPARE(m_window->menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("DEMO-DOMÄNE")));
    QCOMPARE(m_window->bindingModel()
                 ->headerData(BindingTableModel::StateColumn, Qt::Horizontal)
                 .toString(),
             QStringLiteral("Zustand"));
    saveShot(QStringLiteral("console-demo-de.png"));
    m_window->setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(m_window->menuBar()->actions().first()->text(), QStringLiteral("&File"));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
