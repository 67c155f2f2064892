// The topology is where an operator sees a stale binding first: these tests build the scene
// from a Domain and check the columns by role, the colour of every binding state, that A->B
// and B->A are drawn apart, that unreachable servers show it, that selection is mirrored
// without echo, and that 50 servers are laid out without overlaps.

#include "ui/format.h"
#include "ui/topologyscene.h"
#include "ui/topologyview.h"

#include <QSignalSpy>
#include <QTest>

using namespace hostsec;
using namespace hostsec::ui;

namespace {

Server server(const std::string &name, std::vector<Service> services)
{
    Server s;
    s.name = name;
    s.address = "127.0.0.1:1";
    s.services = std::move(services);
    s.instanceId = name + "-instance";
    return s;
}

Binding binding(const std::string &from, ServiceKind fk, const std::string &to, ServiceKind tk,
                BindingState state)
{
    Binding b;
    b.fromServer = from;
    b.fromService = fk;
    b.toServer = to;
    b.toService = tk;
    b.id = Binding::makeId(from, fk, to, tk);
    b.state = state;
    return b;
}

QList<AgentState> agentsOf(const Domain &d)
{
    QList<AgentState> out;
    for (const Server &s : d.servers) {
        AgentState a;
        a.name = QString::fromStdString(s.name);
        a.address = QString::fromStdString(s.address);
        a.server = s;
        a.reachable = true;
        out << a;
    }
    return out;
}

Domain demoDomain()
{
    using K = ServiceKind;
    Domain d;
    d.name = "CONTOSO";
    d.servers = {server("DC1", {{K::DomainAccountSync, CacheRole::None}}),
                 server("HS1", {{K::HostAccountSync, CacheRole::Primary}}),
                 server("HS2", {{K::HostAccountSync, CacheRole::Backup}}),
                 server("HOST1", {{K::Host, CacheRole::None}})};
    d.bindings = {
        binding("DC1", K::DomainAccountSync, "HS1", K::HostAccountSync, BindingState::Bound),
        binding("DC1", K::DomainAccountSync, "HS2", K::HostAccountSync, BindingState::Rebinding),
        binding("HS2", K::HostAccountSync, "HS1", K::HostAccountSync, BindingState::Stale),
        binding("HS1", K::HostAccountSync, "HS2", K::HostAccountSync, BindingState::Unbound),
        binding("HS1", K::HostAccountSync, "HOST1", K::Host, BindingState::Failed),
        binding("HS1", K::HostAccountSync, "DC1", K::DomainAccountSync, BindingState::Bound)};
    return d;
}

QString id(const Domain &d, const std::string &from, const std::string &to)
{
    for (const Binding &b : d.bindings) {
        if (b.fromServer == from && b.toServer == to)
            return QString::fromStdString(b.id);
    }
    return {};
}

} // namespace

class tst_Topology : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodesAndEdgesFromTheDomain();
    void columnsByRole();
    void edgesColouredByState_data();
    void edgesColouredByState();
    void oppositeBindingsDoNotOverlap();
    void unreachableServerIsMarked();
    void updatesKeepItemsAndFollowChanges();
    void selectionIsMirroredWithoutEcho();
    void fiftyServersDoNotOverlap();
    void viewFitsAndZooms();
};

void tst_Topology::nodesAndEdgesFromTheDomain()
{
    TopologyScene scene;
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    QCOMPARE(scene.nodeCount(), 4);
    QCOMPARE(scene.edgeCount(), 6);
    for (const Binding &b : d.bindings) {
        TopologyEdge *e = scene.edge(QString::fromStdString(b.id));
        QVERIFY(e);
        QCOMPARE(e->fromServer(), QString::fromStdString(b.fromServer));
        QCOMPARE(e->toServer(), QString::fromStdString(b.toServer));
        QVERIFY(!e->path().isEmpty());
    }
}

void tst_Topology::columnsByRole()
{
    TopologyScene scene;
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    const qreal dc = scene.node(QStringLiteral("DC1"))->pos().x();
    const qreal hs1 = scene.node(QStringLiteral("HS1"))->pos().x();
    const qreal hs2 = scene.node(QStringLiteral("HS2"))->pos().x();
    const qreal host = scene.node(QStringLiteral("HOST1"))->pos().x();
    QVERIFY(dc < hs1);
    QCOMPARE(hs1, hs2);
    QVERIFY(hs1 < host);
    // The primary cache above its backup.
    QVERIFY(scene.node(QStringLiteral("HS1"))->pos().y() <
            scene.node(QStringLiteral("HS2"))->pos().y());
}

void tst_Topology::edgesColouredByState_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<int>("state");
    QTest::addColumn<QColor>("colour");
    QTest::newRow("bound green") << "DC1"
                                 << "HS1" << int(BindingState::Bound) << QColor(0x2e, 0x9d, 0x4f);
    QTest::newRow("stale amber") << "HS2"
                                 << "HS1" << int(BindingState::Stale) << QColor(0xe0, 0x9b, 0x12);
    QTest::newRow("failed red") << "HS1"
                                << "HOST1" << int(BindingState::Failed) << QColor(0xd3, 0x3a, 0x2f);
    QTest::newRow("rebinding blue")
        << "DC1"
        << "HS2" << int(BindingState::Rebinding) << QColor(0x2f, 0x74, 0xd0);
    QTest::newRow("unbound grey") << "HS1"
                                  << "HS2" << int(BindingState::Unbound)
                                  << QColor(0x8a, 0x8f, 0x98);
}

void tst_Topology::edgesColouredByState()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(int, state);
    QFETCH(QColor, colour);
    TopologyScene scene;
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    TopologyEdge *e = scene.edge(id(d, from.toStdString(), to.toStdString()));
    QVERIFY(e);
    QCOMPARE(int(e->state()), state);
    QCOMPARE(e->color(), colour);
    QCOMPARE(Format::bindingStateColor(BindingState(state)), colour);
}

void tst_Topology::oppositeBindingsDoNotOverlap()
{
    TopologyScene scene;
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    const TopologyEdge *ab = scene.edge(id(d, "HS1", "HS2"));
    const TopologyEdge *ba = scene.edge(id(d, "HS2", "HS1"));
    QVERIFY(ab && ba);
    const QPointF m1 = ab->path().pointAtPercent(0.5);
    const QPointF m2 = ba->path().pointAtPercent(0.5);
    QVERIFY2(QLineF(m1, m2).length() > 20, "A->B and B->A must bend apart");
    // Neither arrow runs through a node's box.
    const QRectF hs1 = scene.node(QStringLiteral("HS1"))->sceneBoundingRect();
    QVERIFY(!hs1.contains(ab->path().pointAtPercent(0.5)));
}

void tst_Topology::unreachableServerIsMarked()
{
    TopologyScene scene;
    const Domain d = demoDomain();
    QList<AgentState> agents = agentsOf(d);
    agents[1].reachable = false;
    agents[1].unreachableSince = QDateTime::currentDateTime();
    scene.setDomain(d, agents);
    QVERIFY(!scene.node(QStringLiteral("HS1"))->isReachable());
    QVERIFY(scene.node(QStringLiteral("DC1"))->isReachable());
    scene.flashServer(QStringLiteral("HS1"));
    QTRY_VERIFY(scene.node(QStringLiteral("HS1"))->isFlashing());
}

void tst_Topology::updatesKeepItemsAndFollowChanges()
{
    TopologyScene scene;
    Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    TopologyEdge *edge = scene.edge(id(d, "HS2", "HS1"));
    TopologyNode *node = scene.node(QStringLiteral("HS1"));
    QSignalSpy laidOut(&scene, &TopologyScene::laidOut);
    d.bindings[2].state = BindingState::Bound;
    scene.setDomain(d, agentsOf(d));
    QCOMPARE(scene.edge(id(d, "HS2", "HS1")), edge); // the same item, recoloured
    QCOMPARE(int(edge->state()), int(BindingState::Bound));
    QCOMPARE(scene.node(QStringLiteral("HS1")), node);
    QCOMPARE(laidOut.count(), 0); // same servers: nothing moves

    d.bindings.pop_back();
    d.servers.pop_back(); // HOST1 leaves, its binding with it
    d.bindings.erase(d.bindings.begin() + 3);
    scene.setDomain(d, agentsOf(d));
    QCOMPARE(scene.nodeCount(), 3);
    QVERIFY(!scene.edge(id(demoDomain(), "HS1", "HOST1")));
    QCOMPARE(laidOut.count(), 1);
}

void tst_Topology::selectionIsMirroredWithoutEcho()
{
    TopologyScene scene;
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    QSignalSpy servers(&scene, &TopologyScene::serverSelected);
    QSignalSpy bindings(&scene, &TopologyScene::bindingSelected);
    scene.selectServer(QStringLiteral("HS2"));
    QVERIFY(scene.node(QStringLiteral("HS2"))->isSelected());
    QCOMPARE(servers.count(), 0);

    // A user's click does signal.
    scene.clearSelection();
    scene.edge(id(d, "HS2", "HS1"))->setSelected(true);
    QCOMPARE(bindings.count(), 1);
    QCOMPARE(bindings.first().first().toString(), id(d, "HS2", "HS1"));
    scene.clearSelection();
    scene.node(QStringLiteral("DC1"))->setSelected(true);
    QCOMPARE(servers.count(), 1);
}

void tst_Topology::fiftyServersDoNotOverlap()
{
    using K = ServiceKind;
    Domain d;
    d.servers.push_back(server("DC1", {{K::DomainAccountSync, CacheRole::None}}));
    d.servers.push_back(server("DC2", {{K::DomainAccountSync, CacheRole::None}}));
    d.servers.push_back(server("HS001", {{K::HostAccountSync, CacheRole::Primary}}));
    for (int i = 2; i <= 40; ++i)
        d.servers.push_back(
            server(QStringLiteral("HS%1").arg(i, 3, 10, QLatin1Char('0')).toStdString(),
                   {{K::HostAccountSync, CacheRole::Backup}}));
    for (int i = 1; i <= 8; ++i)
        d.servers.push_back(server("HOST" + std::to_string(i), {{K::Host, CacheRole::None}}));
    QCOMPARE(d.servers.size(), std::size_t(50));
    for (std::size_t i = 3; i < 43; ++i) {
        d.bindings.push_back(binding("DC1", K::DomainAccountSync, d.servers[i - 1].name,
                                     K::HostAccountSync, BindingState::Bound));
    }
    TopologyScene scene;
    scene.setDomain(d, agentsOf(d));
    QCOMPARE(scene.nodeCount(), 50);
    QList<QRectF> boxes;
    for (const Server &s : d.servers) {
        const TopologyNode *n = scene.node(QString::fromStdString(s.name));
        boxes << QRectF(n->pos(), QSizeF(TopologyNode::Width, TopologyNode::Height));
    }
    for (int i = 0; i < boxes.size(); ++i) {
        for (int j = i + 1; j < boxes.size(); ++j)
            QVERIFY2(!boxes[i].intersects(boxes[j]), "nodes overlap");
    }
    // Wrapped into columns: the picture is wider than tall rather than a 40-node tower, so a
    // fit at a normal window size keeps the names readable.
    const QRectF all = scene.itemsBoundingRect();
    QVERIFY2(all.height() < 12 * (TopologyNode::Height + 58),
             qPrintable(QString::number(all.height())));
    TopologyView view(&scene);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitAll();
    QVERIFY2(view.zoom() > 0.55, qPrintable(QString::number(view.zoom())));
}

void tst_Topology::viewFitsAndZooms()
{
    TopologyScene scene;
    TopologyView view(&scene);
    view.setPlaceholder(QStringLiteral("Starting demo domain…"));
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const Domain d = demoDomain();
    scene.setDomain(d, agentsOf(d));
    view.fitAll();
    const qreal fitted = view.zoom();
    QVERIFY(fitted > 0.3 && fitted <= 1.25);
    view.zoomIn();
    QVERIFY(view.zoom() > fitted);
    view.zoomOut();
    view.zoomOut();
    QVERIFY(view.zoom() < fitted);
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
}

QTEST_MAIN(tst_Topology)
#include "tst_topology.moc"
