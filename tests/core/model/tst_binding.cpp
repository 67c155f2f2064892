// Why: a Binding's state, timeline and failure count are what the console shows an operator to
// explain a stale binding after a recycle (Q216558). A refused move that still changed state,
// a timeline that grows without bound, or a failure count that never resets would each tell
// the operator something false; the ids and string bindings are matched by other components.

#include "model/domain.h"

#include <QtTest>

using namespace hostsec;

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// Enums compare by their text: clearer failure output, and QCOMPARE would otherwise find
// hostsec::toString by ADL and choke on its std::string_view.
QString name(BindingState state)
{
    return qs(toString(state));
}

Binding sampleBinding()
{
    Binding b;
    b.fromServer = "DC1";
    b.fromService = ServiceKind::DomainAccountSync;
    b.toServer = "HS1";
    b.toService = ServiceKind::HostAccountSync;
    b.id = Binding::makeId(b.fromServer, b.fromService, b.toServer, b.toService);
    b.interfaceUuid = std::string(interfaceUuid(b.toService));
    b.endpoint = "127.0.0.1:40123";
    return b;
}
} // namespace

class tst_Binding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transitionTable_data();
    void transitionTable();
    void outOfRangeStatesAreRefused();
    void transitionRecordsTimeline();
    void refusedTransitionChangesNothing();
    void sameStateRecordsNothing();
    void timelineKeepsNewestAtLimit();
    void failuresCountUntilSuccess();
    void failureCountSaturates();
    void stringBinding_data();
    void stringBinding();
    void makeId_data();
    void makeId();
};

void tst_Binding::transitionTable_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<bool>("valid");

    using S = BindingState;
    struct Row
    {
        S from;
        S to;
        bool valid;
    };
    // All 25 pairs, written out: the brief's table allows every move between two different
    // states; staying in a state is not a move.
    const Row rows[] = {
        {S::Unbound, S::Unbound, false},     {S::Unbound, S::Bound, true},
        {S::Unbound, S::Stale, true},        {S::Unbound, S::Failed, true},
        {S::Unbound, S::Rebinding, true},    {S::Bound, S::Unbound, true},
        {S::Bound, S::Bound, false},         {S::Bound, S::Stale, true},
        {S::Bound, S::Failed, true},         {S::Bound, S::Rebinding, true},
        {S::Stale, S::Unbound, true},        {S::Stale, S::Bound, true},
        {S::Stale, S::Stale, false},         {S::Stale, S::Failed, true},
        {S::Stale, S::Rebinding, true},      {S::Failed, S::Unbound, true},
        {S::Failed, S::Bound, true},         {S::Failed, S::Stale, true},
        {S::Failed, S::Failed, false},       {S::Failed, S::Rebinding, true},
        {S::Rebinding, S::Unbound, true},    {S::Rebinding, S::Bound, true},
        {S::Rebinding, S::Stale, true},      {S::Rebinding, S::Failed, true},
        {S::Rebinding, S::Rebinding, false},
    };
    for (const Row &row : rows) {
        const std::string name =
            std::string(toString(row.from)) + "->" + std::string(toString(row.to));
        QTest::newRow(name.c_str())
            << static_cast<int>(row.from) << static_cast<int>(row.to) << row.valid;
    }
}

void tst_Binding::transitionTable()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(bool, valid);

    const auto fromState = static_cast<BindingState>(from);
    const auto toState = static_cast<BindingState>(to);
    QCOMPARE(isValidTransition(fromState, toState), valid);

    Binding b = sampleBinding();
    b.state = fromState;
    QVERIFY(b.transition(toState, 1000, rpc::Success, "test"));
    QCOMPARE(name(b.state), name(toState));
    QCOMPARE(b.timeline.size(), std::size_t{valid ? 1u : 0u});
}

void tst_Binding::outOfRangeStatesAreRefused()
{
    const auto bogus = static_cast<BindingState>(17);
    QVERIFY(!isValidTransition(BindingState::Bound, bogus));
    QVERIFY(!isValidTransition(bogus, BindingState::Bound));
    QCOMPARE(qs(toString(bogus)), QStringLiteral("?"));
}

void tst_Binding::transitionRecordsTimeline()
{
    Binding b = sampleBinding();
    QVERIFY(b.transition(BindingState::Bound, 1000, rpc::Success, "connected"));
    QVERIFY(b.transition(BindingState::Stale, 2000, rpc::CallFailed, "peer instance changed"));
    QVERIFY(b.transition(BindingState::Rebinding, 3000, rpc::Success, "auto rebind"));

    QCOMPARE(name(b.state), name(BindingState::Rebinding));
    QCOMPARE(b.timeline.size(), std::size_t{3});
    const BindingTransition expected{2000, BindingState::Bound, BindingState::Stale,
                                     rpc::CallFailed, "peer instance changed"};
    QVERIFY(b.timeline[1] == expected);
    QCOMPARE(name(b.timeline.front().from), name(BindingState::Unbound));
    QCOMPARE(name(b.timeline.back().to), name(BindingState::Rebinding));
}

void tst_Binding::refusedTransitionChangesNothing()
{
    Binding b = sampleBinding();
    b.state = BindingState::Bound;
    QVERIFY(!b.transition(static_cast<BindingState>(42), 1000, rpc::CallFailed, "bogus"));
    QCOMPARE(name(b.state), name(BindingState::Bound));
    QVERIFY(b.timeline.empty());
}

void tst_Binding::sameStateRecordsNothing()
{
    Binding b = sampleBinding();
    QVERIFY(b.transition(BindingState::Bound, 1000, rpc::Success, "connected"));
    QVERIFY(b.transition(BindingState::Bound, 2000, rpc::Success, "again"));
    QCOMPARE(b.timeline.size(), std::size_t{1});
}

void tst_Binding::timelineKeepsNewestAtLimit()
{
    Binding b = sampleBinding();
    const std::size_t moves = Binding::TimelineLimit + 57;
    for (std::size_t i = 0; i < moves; ++i) {
        const BindingState to =
            b.state == BindingState::Bound ? BindingState::Stale : BindingState::Bound;
        QVERIFY(b.transition(to, static_cast<Millis>(i + 1), rpc::Success, std::to_string(i)));
        QVERIFY(b.timeline.size() <= Binding::TimelineLimit);
    }
    QCOMPARE(b.timeline.size(), Binding::TimelineLimit);
    // The oldest were dropped: the first kept entry is move number moves - limit.
    QCOMPARE(qs(b.timeline.front().reason), qs(std::to_string(moves - Binding::TimelineLimit)));
    QCOMPARE(qs(b.timeline.back().reason), qs(std::to_string(moves - 1)));
    QCOMPARE(b.timeline.back().time, static_cast<Millis>(moves));
    for (std::size_t i = 1; i < b.timeline.size(); ++i) {
        QCOMPARE(b.timeline[i].time, b.timeline[i - 1].time + 1);
        QCOMPARE(name(b.timeline[i].from), name(b.timeline[i - 1].to));
    }
}

void tst_Binding::failuresCountUntilSuccess()
{
    Binding b = sampleBinding();
    b.recordFailure(1000, rpc::CallFailed);
    b.recordFailure(2000, rpc::AccessDenied);
    QCOMPARE(b.consecutiveFailures, 2);
    QCOMPARE(b.lastError, rpc::AccessDenied);
    QCOMPARE(b.lastFailure, Millis{2000});
    QCOMPARE(b.lastSuccess, Millis{0});

    b.recordSuccess(3000);
    QCOMPARE(b.consecutiveFailures, 0);
    QCOMPARE(b.lastSuccess, Millis{3000});
    // The last error seen stays for the operator, as does its time.
    QCOMPARE(b.lastError, rpc::AccessDenied);
    QCOMPARE(b.lastFailure, Millis{2000});

    b.recordFailure(4000, rpc::ServerUnavailable);
    QCOMPARE(b.consecutiveFailures, 1);
    QCOMPARE(b.lastError, rpc::ServerUnavailable);
}

void tst_Binding::failureCountSaturates()
{
    Binding b = sampleBinding();
    b.consecutiveFailures = std::numeric_limits<int>::max();
    b.recordFailure(1000, rpc::CallFailed); // must not overflow (UBSan would stop here)
    QCOMPARE(b.consecutiveFailures, std::numeric_limits<int>::max());
}

void tst_Binding::stringBinding_data()
{
    QTest::addColumn<QString>("uuid");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected");

    QTest::newRow("full")
        << "dc76dcd0-c084-11cf-a65e-0020afc28c52"
        << "HS1"
        << "127.0.0.1:40123"
        << "dc76dcd0-c084-11cf-a65e-0020afc28c52@ncacn_ip_tcp:HS1[127.0.0.1:40123]";
    QTest::newRow("no endpoint, as in the seed trace")
        << "dc76dcd0-c084-11cf-a65e-0020afc28c52"
        << "SNA1"
        << ""
        << "dc76dcd0-c084-11cf-a65e-0020afc28c52@ncacn_ip_tcp:SNA1";
    QTest::newRow("no uuid") << ""
                             << "HS2"
                             << "10.0.0.2:5000"
                             << "ncacn_ip_tcp:HS2[10.0.0.2:5000]";
}

void tst_Binding::stringBinding()
{
    QFETCH(QString, uuid);
    QFETCH(QString, server);
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);

    Binding b;
    b.interfaceUuid = uuid.toStdString();
    b.toServer = server.toStdString();
    b.endpoint = endpoint.toStdString();
    QCOMPARE(qs(b.stringBinding()), expected);
}

void tst_Binding::makeId_data()
{
    QTest::addColumn<QString>("fromServer");
    QTest::addColumn<int>("fromService");
    QTest::addColumn<QString>("toServer");
    QTest::addColumn<int>("toService");
    QTest::addColumn<QString>("id");

    QTest::newRow("dc to cache") << "DC1" << static_cast<int>(ServiceKind::DomainAccountSync)
                                 << "HS1" << static_cast<int>(ServiceKind::HostAccountSync)
                                 << "DC1/domain-account-sync->HS1/host-account-sync";
    QTest::newRow("cache to host")
        << "HS1" << static_cast<int>(ServiceKind::HostAccountSync) << "MVS1"
        << static_cast<int>(ServiceKind::Host) << "HS1/host-account-sync->MVS1/host";
    QTest::newRow("cache to dc") << "HS2" << static_cast<int>(ServiceKind::HostAccountSync) << "DC1"
                                 << static_cast<int>(ServiceKind::DomainAccountSync)
                                 << "HS2/host-account-sync->DC1/domain-account-sync";
}

void tst_Binding::makeId()
{
    QFETCH(QString, fromServer);
    QFETCH(int, fromService);
    QFETCH(QString, toServer);
    QFETCH(int, toService);
    QFETCH(QString, id);

    QCOMPARE(qs(Binding::makeId(fromServer.toStdString(), static_cast<ServiceKind>(fromService),
                                toServer.toStdString(), static_cast<ServiceKind>(toService))),
             id);
}

QTEST_APPLESS_MAIN(tst_Binding)
#include "tst_binding.moc"
