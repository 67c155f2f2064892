// The console's small table models (servers, bindings, timeline, users, outbox) are checked
// by QAbstractItemModelTester while their rows are added, updated and removed the way the
// session feeds them, so a wrong begin/end pair or index shows up here, not in a view.

#include "ui/bindingtablemodel.h"
#include "ui/format.h"
#include "ui/outboxmodel.h"
#include "ui/servertablemodel.h"
#include "ui/timelinemodel.h"
#include "ui/usertablemodel.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QTest>

using namespace hostsec;
using namespace hostsec::ui;

namespace {

Binding binding(const std::string &from, const std::string &to, BindingState state)
{
    Binding b;
    b.fromServer = from;
    b.toServer = to;
    b.fromService = ServiceKind::DomainAccountSync;
    b.toService = ServiceKind::HostAccountSync;
    b.id = Binding::makeId(from, b.fromService, to, b.toService);
    b.state = state;
    return b;
}

AgentState agent(const QString &name, bool reachable)
{
    AgentState a;
    a.name = name;
    a.address = QStringLiteral("127.0.0.1:1");
    a.reachable = reachable;
    a.server.name = name.toStdString();
    a.server.instanceId = "abcdef0123456789";
    a.server.services = {Service{ServiceKind::HostAccountSync, CacheRole::Primary}};
    if (!reachable)
        a.unreachableSince = QDateTime::currentDateTime();
    return a;
}

UserMapping user(int i, SyncState state = SyncState::InSync)
{
    UserMapping u;
    u.domainAccount = "CONTOSO\\user" + std::to_string(1000 + i);
    u.hostAccount = "USER" + std::to_string(1000 + i);
    u.hostDomain = "HOSTDOM";
    u.syncState = state;
    return u;
}

} // namespace

class tst_TableModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bindingsUpdateInPlace();
    void serversAddAndRemove();
    void certificateExpiryIsShownAndWarnedOf();
    void timelineGrowsAtTheTop();
    void usersPageByKeyset();
    void usersIgnoreAnswersToOldFilters();
    void outboxShowsEntries();
};

void tst_TableModels::bindingsUpdateInPlace()
{
    BindingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBindings(
        {binding("DC1", "HS1", BindingState::Bound), binding("HS2", "HS1", BindingState::Bound)});
    QCOMPARE(model.rowCount(), 2);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    auto stale = binding("HS2", "HS1", BindingState::Stale);
    stale.lastError = rpc::CallFailed;
    model.setBindings({binding("DC1", "HS1", BindingState::Bound), stale});
    QCOMPARE(inserted.count(), 0);
    QVERIFY(changed.count() >= 1);
    const int row = model.rowOf(QString::fromStdString(stale.id));
    QCOMPARE(model.index(row, BindingTableModel::StateColumn).data().toString(),
             Format::bindingState(BindingState::Stale));
    QCOMPARE(model.index(row, BindingTableModel::LastErrorColumn).data().toString(),
             QStringLiteral("0x6BE RPC_S_CALL_FAILED"));
    QVERIFY(model.index(row, BindingTableModel::LastErrorColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("The remote procedure call failed.")));
    QCOMPARE(model.index(row, 0).data(BindingTableModel::StateRole).toInt(),
             int(BindingState::Stale));

    model.setBindings({stale});
    QCOMPARE(model.rowCount(), 1);
    model.setBindings({});
    QCOMPARE(model.rowCount(), 0);
}

void tst_TableModels::serversAddAndRemove()
{
    ServerTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAgents({agent(QStringLiteral("DC1"), true), agent(QStringLiteral("HS1"), true)});
    QCOMPARE(model.rowCount(), 2);
    model.setAgents({agent(QStringLiteral("HS1"), false), agent(QStringLiteral("HOST1"), true)});
    QCOMPARE(model.rowCount(), 2);
    const int hs1 = model.rowOf(QStringLiteral("HS1"));
    QVERIFY(hs1 >= 0);
    QVERIFY(model.index(hs1, ServerTableModel::ReachableColumn)
                .data()
                .toString()
                .contains(QStringLiteral("since")));
    QCOMPARE(model.index(hs1, ServerTableModel::RoleColumn).data().toString(),
             Format::serverRole(ServerRole::CachePrimary));
    QCOMPARE(model.rowOf(QStringLiteral("DC1")), -1);
}

void tst_TableModels::certificateExpiryIsShownAndWarnedOf()
{
    ServerTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    AgentState soon = agent(QStringLiteral("HS1"), true);
    soon.certificate = QStringLiteral("HS1");
    soon.certificateNotAfter = now.addDays(12);
    AgentState later = agent(QStringLiteral("HS2"), true);
    later.certificate = QStringLiteral("HS2");
    later.certificateNotAfter = now.addDays(300);
    const AgentState plain = agent(QStringLiteral("DC1"), true); // no certificate known
    model.setAgents({soon, later, plain});

    const auto cell = [&](const char *name) {
        return model.index(model.rowOf(QString::fromLatin1(name)),
                           ServerTableModel::CertificateColumn);
    };
    QCOMPARE(cell("HS1").data().toString(),
             soon.certificateNotAfter.toLocalTime().toString(QStringLiteral("yyyy-MM-dd")));
    QCOMPARE(cell("DC1").data().toString(), QStringLiteral("-"));
    // Within the diagnosis' 30 days: an icon, and a tooltip that says what to do.
    QVERIFY(!cell("HS1").data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(cell("HS1").data(Qt::ToolTipRole).toString().contains(QStringLiteral("SIGHUP")));
    QVERIFY(cell("HS2").data(Qt::DecorationRole).isNull());
    QVERIFY(!cell("HS2").data(Qt::ToolTipRole).toString().contains(QStringLiteral("SIGHUP")));
    QVERIFY(cell("DC1").data(Qt::DecorationRole).isNull());
    // Sorted by expiry, the unknown last.
    QVERIFY(cell("HS1").data(ServerTableModel::SortRole).toLongLong() <
            cell("HS2").data(ServerTableModel::SortRole).toLongLong());
    QVERIFY(cell("HS2").data(ServerTableModel::SortRole).toLongLong() <
            cell("DC1").data(ServerTableModel::SortRole).toLongLong());
}

void tst_TableModels::timelineGrowsAtTheTop()
{
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<BindingTransition> t = {
        {1000, BindingState::Unbound, BindingState::Bound, 0, "bound"}};
    model.setTimeline(t);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    t.push_back(
        {2000, BindingState::Bound, BindingState::Stale, rpc::CallFailed, "peer instance changed"});
    model.setTimeline(t);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, TimelineModel::ReasonColumn).data().toString(),
             QStringLiteral("peer instance changed"));
    model.setTimeline({});
    QCOMPARE(model.rowCount(), 0);
}

void tst_TableModels::usersPageByKeyset()
{
    // A fake primary cache with 45 users, answering pages of 20 by keyset.
    std::vector<UserMapping> all;
    for (int i = 0; i < 45; ++i)
        all.push_back(user(i, i % 7 == 0 ? SyncState::Failed : SyncState::InSync));
    QList<UsersQuery> asked;
    UserTableModel model(
        [&](const UsersQuery &q, std::function<void(const Result<UsersPage> &)> done) {
            asked << q;
            UsersPage page;
            for (const UserMapping &u : all) {
                if (!q.state.isEmpty() &&
                    q.state != QString::fromStdString(std::string(toString(u.syncState))))
                    continue;
                if (!q.after.isEmpty() && QString::fromStdString(u.domainAccount) <= q.after)
                    continue;
                if (static_cast<int>(page.users.size()) == q.limit) {
                    page.next = QString::fromStdString(page.users.back().domainAccount);
                    break;
                }
                page.users.push_back(u);
            }
            QTimer::singleShot(0, [done, page] { done(page); });
        },
        20);
    // The tester already asks for the first page.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    while (model.canFetchMore({}) || model.isLoading()) {
        if (model.canFetchMore({}))
            model.fetchMore({});
        QTRY_VERIFY(!model.isLoading());
    }
    QCOMPARE(model.rowCount(), 45);
    QCOMPARE(asked.size(), 3);
    QCOMPARE(asked[1].after, QStringLiteral("CONTOSO\\user1019"));

    model.setFilter(QStringLiteral("failed"), {});
    QCOMPARE(model.rowCount(), 0);
    model.fetchMore({});
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.index(0, UserTableModel::SyncStateColumn).data().toString(),
             Format::syncState(SyncState::Failed));
    QVERIFY(!model.canFetchMore({}));
}

void tst_TableModels::usersIgnoreAnswersToOldFilters()
{
    std::function<void(const Result<UsersPage> &)> pending;
    UserTableModel model(
        [&](const UsersQuery &, std::function<void(const Result<UsersPage> &)> done) {
            pending = std::move(done);
        });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.fetchMore({});
    auto old = pending;
    model.setFilter(QStringLiteral("failed"), {});
    UsersPage page;
    page.users = {user(1)};
    old(page); // answer to the query before the filter changed
    QCOMPARE(model.rowCount(), 0);
    model.fetchMore({});
    pending(Error{0x6BA, "down"});
    QCOMPARE(model.lastError(), QStringLiteral("down"));
    QVERIFY(!model.canFetchMore({}));
}

void tst_TableModels::outboxShowsEntries()
{
    OutboxModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    OutboxEntry e;
    e.changeId = QStringLiteral("DC1-12");
    e.attempts = 3;
    e.lastStatus = rpc::ServerUnavailable;
    model.setEntries({e, e});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, OutboxModel::AttemptsColumn).data().toInt(), 3);
    QCOMPARE(model.index(0, OutboxModel::LastStatusColumn).data().toString(),
             QStringLiteral("0x6BA RPC_S_SERVER_UNAVAILABLE"));
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_TableModels)
#include "tst_tablemodels.moc"
