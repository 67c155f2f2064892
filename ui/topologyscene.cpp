#include "ui/topologyscene.h"

#include "ui/format.h"

#include <QGraphicsSimpleTextItem>
#include <QIcon>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QVariantAnimation>

#include <QtMath>
#include <algorithm>
#include <cmath>

namespace hostsec::ui {

namespace {

constexpr qreal SubColumnGap = 36; // between columns of one role group
constexpr qreal GroupGap = 150;    // between role groups: room for the curves
constexpr qreal RowGap = 58;       // room for the arcs between servers of one column
constexpr qreal TitleHeight = 44;
constexpr int FlashMs = 4000;
// Below this scale a node's texts are under 3 pixels high: it is drawn as a box with its role's
// colour only (a 500-server domain fitted in the view is at about 0.2, 50 servers at about 0.5).
constexpr qreal TextDetailScale = 0.3;
constexpr qint64 RecycledMarkSecs = 600; // "new instance since" shows this long

// The column a role goes to: domain controllers | host security servers | hosts | other.
int groupOf(ServerRole role)
{
    switch (role) {
    case ServerRole::DomainController:
        return 0;
    case ServerRole::CachePrimary:
    case ServerRole::CacheBackup:
        return 1;
    case ServerRole::Host:
        return 2;
    case ServerRole::Other:
        break;
    }
    return 3;
}

QColor roleColor(ServerRole role)
{
    switch (role) {
    case ServerRole::DomainController:
        return QColor(0x6a, 0x4c, 0x93);
    case ServerRole::CachePrimary:
        return QColor(0x1b, 0x8a, 0x8f);
    case ServerRole::CacheBackup:
        return QColor(0x5f, 0xb3, 0xb7);
    case ServerRole::Host:
        return QColor(0x8d, 0x6e, 0x63);
    case ServerRole::Other:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QString roleIconPath(ServerRole role)
{
    switch (role) {
    case ServerRole::DomainController:
        return QStringLiteral(":/icons/domain-controller.svg");
    case ServerRole::CachePrimary:
    case ServerRole::CacheBackup:
        return QStringLiteral(":/icons/cache-server.svg");
    case ServerRole::Host:
        return QStringLiteral(":/icons/host.svg");
    case ServerRole::Other:
        break;
    }
    return QStringLiteral(":/icons/server.svg");
}

// The role's colour strip on a node's left edge (the same shape for every node).
const QPainterPath &roleStrip()
{
    static const QPainterPath strip = [] {
        QPainterPath rounded;
        rounded.addRoundedRect(QRectF(0.5, 0.5, 10, TopologyNode::Height - 1), 7, 7);
        QPainterPath cut;
        cut.addRect(QRectF(6, 0, 6, TopologyNode::Height));
        return rounded.subtracted(cut);
    }();
    return strip;
}

QString groupTitle(int group)
{
    switch (group) {
    case 0:
        return TopologyScene::tr("Domain controllers");
    case 1:
        return TopologyScene::tr("Host security servers");
    case 2:
        return TopologyScene::tr("Hosts");
    }
    return TopologyScene::tr("Not yet known");
}

Qt::PenStyle stateStyle(BindingState state)
{
    switch (state) {
    case BindingState::Bound:
    case BindingState::Failed:
        return Qt::SolidLine;
    case BindingState::Stale:
        return Qt::DashLine;
    case BindingState::Rebinding:
        return Qt::DotLine;
    case BindingState::Unbound:
        break;
    }
    return Qt::DashDotLine;
}

} // namespace

// ---------------------------------------------------------------------------------------------

TopologyNode::TopologyNode(const QString &name)
    : m_name(name)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(1);
    setData(0, name);
}

void TopologyNode::setAgent(const AgentState &agent)
{
    const bool known = !agent.server.instanceId.empty() || !agent.server.services.empty();
    const ServerRole role = known ? agent.server.role() : ServerRole::Other;
    const bool connecting = !agent.reachable && !agent.unreachableSince.isValid();
    const QString instance = QString::fromStdString(agent.server.instanceId);
    const QString lastError = agent.reachable ? QString() : agent.lastError;
    // An agent answers every second; most answers change nothing the node shows.
    if (m_shown && known == m_known && role == m_role && agent.reachable == m_reachable &&
        connecting == m_connecting && agent.unreachableSince == m_unreachableSince &&
        agent.instanceChangedAt == m_instanceChangedAt && instance == m_instance &&
        agent.address == m_address && agent.server.services == m_services &&
        lastError == m_lastError)
        return;
    m_shown = true;
    m_known = known;
    m_role = role;
    m_reachable = agent.reachable;
    m_connecting = connecting;
    m_unreachableSince = agent.unreachableSince;
    m_instanceChangedAt = agent.instanceChangedAt;
    m_instance = instance;
    m_address = agent.address;
    m_services = agent.server.services;
    m_lastError = lastError;
    QString tip = TopologyScene::tr("%1 at %2").arg(m_name, m_address);
    if (!agent.server.services.empty())
        tip += QLatin1Char('\n') + Format::services(agent.server);
    if (!m_instance.isEmpty())
        tip += QLatin1Char('\n') + TopologyScene::tr("instance %1").arg(m_instance);
    if (!m_lastError.isEmpty())
        tip += QLatin1Char('\n') + m_lastError;
    setToolTip(tip);
    update();
}

void TopologyNode::flash()
{
    if (!m_flash) {
        m_flash = new QVariantAnimation(this);
        m_flash->setDuration(FlashMs);
        // Three pulses that fade out.
        m_flash->setKeyValueAt(0.0, 1.0);
        m_flash->setKeyValueAt(0.15, 0.2);
        m_flash->setKeyValueAt(0.3, 1.0);
        m_flash->setKeyValueAt(0.45, 0.2);
        m_flash->setKeyValueAt(0.6, 0.9);
        m_flash->setKeyValueAt(1.0, 0.0);
        QObject::connect(m_flash, &QVariantAnimation::valueChanged, this,
                         [this](const QVariant &v) {
                             m_flashLevel = v.toReal();
                             update();
                         });
    }
    m_flash->stop();
    m_flash->start();
}

QPointF TopologyNode::borderPoint(const QPointF &target) const
{
    const QPointF centre = pos() + QPointF(Width / 2, Height / 2);
    const QPointF d = target - centre;
    if (qFuzzyIsNull(d.x()) && qFuzzyIsNull(d.y()))
        return centre;
    const qreal halfW = Width / 2 + 3;
    const qreal halfH = Height / 2 + 3;
    const qreal tx = qFuzzyIsNull(d.x()) ? 1e9 : halfW / std::abs(d.x());
    const qreal ty = qFuzzyIsNull(d.y()) ? 1e9 : halfH / std::abs(d.y());
    return centre + d * std::min(tx, ty);
}

QRectF TopologyNode::boundingRect() const
{
    return QRectF(-8, -8, Width + 16, Height + 16);
}

void TopologyNode::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QRectF r(0, 0, Width, Height);
    const bool down = !m_reachable && !m_connecting;
    const bool selected = option->state & QStyle::State_Selected;
    QColor stripColor = roleColor(m_role);
    if (down)
        stripColor = stripColor.lighter(150);
    if (option->levelOfDetailFromTransform(p->worldTransform()) < TextDetailScale) {
        // Too small to read (hundreds of servers fitted in the view): a box in the role's
        // colour, its border saying whether the agent answers. Plain rectangles, no smoothing.
        QPen frame(selected ? QColor(0x2f, 0x74, 0xd0)
                   : down   ? Format::bindingStateColor(BindingState::Failed)
                            : QColor(0x9a, 0xa3, 0xad),
                   selected || down ? 2 : 1);
        frame.setCosmetic(true); // in pixels, whatever the zoom
        p->setPen(frame);
        p->setBrush(m_flashLevel > 0 ? Format::bindingStateColor(BindingState::Stale)
                                     : QColor(down ? QColor(0xec, 0xef, 0xf1) : QColor(Qt::white)));
        p->drawRect(r);
        p->fillRect(QRectF(0, 0, Width / 6, Height), stripColor);
        return;
    }
    p->setRenderHint(QPainter::Antialiasing);
    const QColor text = down ? QColor(0x8a, 0x8f, 0x98) : QColor(0x1f, 0x25, 0x2b);
    const QColor muted(0x6b, 0x72, 0x7b);

    if (m_flashLevel > 0) {
        QColor glow = Format::bindingStateColor(BindingState::Stale);
        glow.setAlphaF(std::clamp(m_flashLevel, 0.0, 1.0));
        p->setPen(QPen(glow, 6));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(r.adjusted(-4, -4, 4, 4), 11, 11);
    }

    QPen border(selected ? QColor(0x2f, 0x74, 0xd0) : QColor(0x9a, 0xa3, 0xad), selected ? 2.5 : 1);
    if (down) {
        border = QPen(Format::bindingStateColor(BindingState::Failed), selected ? 2.5 : 1.5,
                      Qt::DashLine);
    }
    p->setPen(border);
    p->setBrush(down ? QColor(0xec, 0xef, 0xf1) : QColor(Qt::white));
    p->drawRoundedRect(r, 8, 8);

    // The role's colour as a strip on the left.
    p->setPen(Qt::NoPen);
    p->setBrush(stripColor);
    p->drawPath(roleStrip());

    // The scene's icon, shared by every node: it keeps its rendered pixmaps, so the SVG is not
    // drawn again at every paint of every node.
    static_cast<const TopologyScene *>(scene())->roleIcon(m_role).paint(
        p, QRect(16, 10, 24, 24), Qt::AlignCenter, down ? QIcon::Disabled : QIcon::Normal);

    QFont title = p->font();
    title.setPointSizeF(10.5);
    title.setBold(true);
    p->setFont(title);
    p->setPen(text);
    p->drawText(QRectF(48, 6, Width - 54, 20), Qt::AlignLeft | Qt::AlignVCenter,
                p->fontMetrics().elidedText(m_name, Qt::ElideRight, int(Width - 54)));

    QFont small = p->font();
    small.setPointSizeF(8);
    small.setBold(false);
    p->setFont(small);
    p->setPen(down ? text : muted);
    const QString role = m_known ? Format::serverRole(m_role) : m_address;
    p->drawText(QRectF(48, 25, Width - 54, 16), Qt::AlignLeft | Qt::AlignVCenter,
                p->fontMetrics().elidedText(role, Qt::ElideRight, int(Width - 54)));

    QString status;
    QColor statusColor = muted;
    if (m_connecting) {
        status = TopologyScene::tr("connecting…");
    } else if (down) {
        status = TopologyScene::tr("unreachable since %1")
                     .arg(m_unreachableSince.toString(QStringLiteral("hh:mm:ss")));
        statusColor = Format::bindingStateColor(BindingState::Failed);
    } else if (m_instanceChangedAt.isValid() &&
               m_instanceChangedAt.secsTo(QDateTime::currentDateTime()) < RecycledMarkSecs) {
        status = TopologyScene::tr("new instance since %1")
                     .arg(m_instanceChangedAt.toString(QStringLiteral("hh:mm:ss")));
        statusColor = Format::bindingStateColor(BindingState::Stale).darker(130);
    } else if (!m_instance.isEmpty()) {
        status = TopologyScene::tr("instance %1").arg(m_instance.left(8));
    }
    p->setPen(statusColor);
    p->drawText(QRectF(16, 44, Width - 22, 18), Qt::AlignLeft | Qt::AlignVCenter,
                p->fontMetrics().elidedText(status, Qt::ElideRight, int(Width - 22)));
}

// ---------------------------------------------------------------------------------------------

TopologyEdge::TopologyEdge(const QString &id)
    : m_id(id)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(0);
    setData(0, id);
}

void TopologyEdge::setBinding(const Binding &binding)
{
    if (m_shown && binding.state == m_state && binding.policy == m_policy &&
        binding.lastError == m_lastError)
        return; // its ends are part of its id
    m_shown = true;
    m_from = QString::fromStdString(binding.fromServer);
    m_to = QString::fromStdString(binding.toServer);
    m_state = binding.state;
    m_policy = binding.policy;
    m_lastError = binding.lastError;
    QString tip = QStringLiteral("%1\n%2: %3, %4: %5")
                      .arg(m_id, TopologyScene::tr("State"), Format::bindingState(m_state),
                           TopologyScene::tr("policy"), Format::rebindPolicy(binding.policy));
    if (binding.lastError != rpc::Success)
        tip += QLatin1Char('\n') + Format::rpcStatusLong(binding.lastError);
    setToolTip(tip);
    update();
}

QColor TopologyEdge::color() const
{
    return Format::bindingStateColor(m_state);
}

void TopologyEdge::route(const TopologyNode *from, const TopologyNode *to)
{
    prepareGeometryChange();
    const QPointF a = from->pos() + QPointF(TopologyNode::Width / 2, TopologyNode::Height / 2);
    const QPointF b = to->pos() + QPointF(TopologyNode::Width / 2, TopologyNode::Height / 2);
    const QPointF d = b - a;
    const qreal length = std::hypot(d.x(), d.y());
    QPointF normal(0, 0);
    if (length > 0)
        normal = QPointF(d.y() / length, -d.x() / length); // left of the direction A->B
    // A->B bends left of its direction, B->A left of its own: they part.
    const QPointF control = (a + b) / 2 + normal * (26 + 0.12 * length);
    const QPointF start = from->borderPoint(control);
    const QPointF end = to->borderPoint(control);
    QPainterPath path(start);
    path.quadTo(control, end);
    setPath(path);

    QPointF dir = end - control;
    const qreal n = std::hypot(dir.x(), dir.y());
    if (n > 0)
        dir /= n;
    const QPointF side(-dir.y(), dir.x());
    constexpr qreal Head = 11;
    m_arrow = QPolygonF({end, end - dir * Head + side * Head * 0.45, end - dir * Head * 0.7,
                         end - dir * Head - side * Head * 0.45});
}

QPainterPath TopologyEdge::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    QPainterPath s = stroker.createStroke(path());
    s.addPolygon(m_arrow);
    return s;
}

QRectF TopologyEdge::boundingRect() const
{
    return path().boundingRect().united(m_arrow.boundingRect()).adjusted(-8, -8, 8, 8);
}

void TopologyEdge::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    p->setRenderHint(QPainter::Antialiasing);
    const QColor c = color();
    if (option->state & QStyle::State_Selected) {
        QColor halo(0x2f, 0x74, 0xd0);
        halo.setAlpha(70);
        p->setPen(QPen(halo, 9, Qt::SolidLine, Qt::RoundCap));
        p->setBrush(Qt::NoBrush);
        p->drawPath(path());
    }
    QPen pen(c, m_state == BindingState::Bound ? 2 : 2.6, stateStyle(m_state), Qt::RoundCap);
    if (option->levelOfDetailFromTransform(p->worldTransform()) < TextDetailScale) {
        // Zoomed far out the line would be thinner than a pixel, and such a curve is filled as
        // a polygon (slow with a thousand bindings): a one-pixel line looks the same, and the
        // arrow head would be a dot. Unsmoothed: a thousand smoothed curves take 40 ms.
        pen.setWidth(0);
        p->setRenderHint(QPainter::Antialiasing, false);
        p->setPen(pen);
        p->setBrush(Qt::NoBrush);
        p->drawPath(path());
        return;
    }
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
    p->setPen(QPen(c, 1));
    p->setBrush(c);
    p->drawPolygon(m_arrow);
}

// ---------------------------------------------------------------------------------------------

TopologyScene::TopologyScene(QObject *parent)
    : QGraphicsScene(parent)
{
    for (const ServerRole role : {ServerRole::DomainController, ServerRole::CachePrimary,
                                  ServerRole::CacheBackup, ServerRole::Host, ServerRole::Other})
        m_roleIcons.insert(role, QIcon(roleIconPath(role)));
    setItemIndexMethod(QGraphicsScene::NoIndex); // few items, moving often
    connect(this, &QGraphicsScene::selectionChanged, this, &TopologyScene::onSelectionChanged);
}

TopologyScene::~TopologyScene()
{
    // ~QGraphicsScene deselects the items it deletes; by then this is no TopologyScene.
    disconnect(this, &QGraphicsScene::selectionChanged, this, &TopologyScene::onSelectionChanged);
}

void TopologyScene::setDomain(const Domain &domain, const QList<AgentState> &agents)
{
    m_syncing = true;
    QHash<QString, const AgentState *> byName;
    for (const AgentState &a : agents)
        byName.insert(a.name, &a);

    QSet<QString> servers;
    for (const Server &s : domain.servers)
        servers.insert(QString::fromStdString(s.name));
    QSet<QString> bindings;
    for (const Binding &b : domain.bindings)
        bindings.insert(QString::fromStdString(b.id));

    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (!bindings.contains(it.key()) || !servers.contains(it.value()->fromServer()) ||
            !servers.contains(it.value()->toServer())) {
            removeItem(it.value());
            delete it.value();
            it = m_edges.erase(it);
        } else {
            ++it;
        }
    }
    bool structure = false; // servers came or went, or a role changed: lay out again
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (!servers.contains(it.key())) {
            removeItem(it.value());
            delete it.value();
            it = m_nodes.erase(it);
            structure = true;
        } else {
            ++it;
        }
    }
    for (const Server &s : domain.servers) {
        const QString name = QString::fromStdString(s.name);
        TopologyNode *n = m_nodes.value(name);
        if (!n) {
            n = new TopologyNode(name);
            addItem(n);
            m_nodes.insert(name, n);
            structure = true;
        }
        const ServerRole role = n->role();
        if (const AgentState *a = byName.value(name)) {
            n->setAgent(*a);
        } else {
            AgentState fallback;
            fallback.name = name;
            fallback.address = QString::fromStdString(s.address);
            fallback.server = s;
            fallback.reachable = true;
            n->setAgent(fallback);
        }
        structure = structure || n->role() != role;
    }
    std::vector<TopologyEdge *> added;
    for (const Binding &b : domain.bindings) {
        const QString id = QString::fromStdString(b.id);
        const QString from = QString::fromStdString(b.fromServer);
        const QString to = QString::fromStdString(b.toServer);
        if (!m_nodes.contains(from) || !m_nodes.contains(to))
            continue;
        TopologyEdge *e = m_edges.value(id);
        if (!e) {
            e = new TopologyEdge(id);
            addItem(e);
            m_edges.insert(id, e);
            added.push_back(e);
        }
        e->setBinding(b);
    }

    if (structure) {
        QStringList key;
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
            key << it.key() + QLatin1Char('/') +
                       QString::number(static_cast<int>(it.value()->role()));
        key.sort();
        if (key != m_layoutKey) {
            m_layoutKey = key;
            layoutNodes();
            routeEdges();
            m_syncing = false;
            Q_EMIT laidOut();
            return;
        }
    }
    // Nodes stay where they are: only new edges need a route.
    for (TopologyEdge *e : added)
        e->route(m_nodes.value(e->fromServer()), m_nodes.value(e->toServer()));
    if (!added.empty())
        setSceneRect(itemsBoundingRect().adjusted(-40, -30, 40, 40));
    m_syncing = false;
}

void TopologyScene::layoutNodes()
{
    std::vector<std::vector<TopologyNode *>> groups(4);
    for (TopologyNode *n : std::as_const(m_nodes))
        groups[static_cast<std::size_t>(groupOf(n->role()))].push_back(n);
    for (auto &g : groups) {
        std::sort(g.begin(), g.end(), [](const TopologyNode *a, const TopologyNode *b) {
            if (a->role() != b->role())
                return static_cast<int>(a->role()) < static_cast<int>(b->role()); // primary first
            return QString::compare(a->name(), b->name(), Qt::CaseInsensitive) < 0;
        });
    }
    // Many servers of one role wrap into several columns, so 50 servers stay readable.
    const int total = static_cast<int>(m_nodes.size());
    const int maxRows = std::max(5, static_cast<int>(std::ceil(std::sqrt(total * 1.3))));

    for (QGraphicsSimpleTextItem *t : std::as_const(m_titles)) {
        removeItem(t);
        delete t;
    }
    m_titles.clear();
    m_titleRoles.clear();

    qreal tallest = 0;
    for (const auto &g : groups) {
        if (g.empty())
            continue;
        const int columns = (static_cast<int>(g.size()) + maxRows - 1) / maxRows;
        const int rows = (static_cast<int>(g.size()) + columns - 1) / columns;
        tallest = std::max(tallest, rows * (TopologyNode::Height + RowGap) - RowGap);
    }
    qreal x = 0;
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto &g = groups[gi];
        if (g.empty())
            continue;
        const int count = static_cast<int>(g.size());
        const int columns = (count + maxRows - 1) / maxRows;
        const int rows = (count + columns - 1) / columns;
        const qreal height = rows * (TopologyNode::Height + RowGap) - RowGap;
        const qreal top = (tallest - height) / 2;
        for (int i = 0; i < count; ++i) {
            const int c = i / rows;
            const int r = i % rows;
            g[static_cast<std::size_t>(i)]->setPos(x + c * (TopologyNode::Width + SubColumnGap),
                                                   top + r * (TopologyNode::Height + RowGap));
        }
        const qreal width = columns * (TopologyNode::Width + SubColumnGap) - SubColumnGap;
        auto *title = addSimpleText(groupTitle(static_cast<int>(gi)));
        QFont f = title->font();
        f.setBold(true);
        f.setPointSizeF(9.5);
        title->setFont(f);
        title->setBrush(QColor(0x5a, 0x62, 0x6b));
        title->setPos(x + (width - title->boundingRect().width()) / 2, -TitleHeight);
        title->setData(1, static_cast<int>(gi));
        m_titles << title;
        x += width + GroupGap;
    }
    setSceneRect(itemsBoundingRect().adjusted(-40, -30, 40, 40));
}

void TopologyScene::routeEdges()
{
    for (TopologyEdge *e : std::as_const(m_edges))
        e->route(m_nodes.value(e->fromServer()), m_nodes.value(e->toServer()));
    if (!m_nodes.isEmpty())
        setSceneRect(itemsBoundingRect().adjusted(-40, -30, 40, 40));
}

const QIcon &TopologyScene::roleIcon(ServerRole role) const
{
    auto it = m_roleIcons.constFind(role);
    if (it == m_roleIcons.cend())
        it = m_roleIcons.constFind(ServerRole::Other); // every role has one: not reached
    return *it;
}

void TopologyScene::retranslate()
{
    for (TopologyNode *n : std::as_const(m_nodes))
        n->retranslate(); // tool tips follow at the next status
    for (TopologyEdge *e : std::as_const(m_edges))
        e->retranslate();
    for (QGraphicsSimpleTextItem *t : std::as_const(m_titles)) {
        const qreal centre = t->pos().x() + t->boundingRect().width() / 2;
        t->setText(groupTitle(t->data(1).toInt()));
        t->setPos(centre - t->boundingRect().width() / 2, t->pos().y());
    }
    update();
}

void TopologyScene::flashServer(const QString &name)
{
    if (TopologyNode *n = m_nodes.value(name))
        n->flash();
}

void TopologyScene::selectServer(const QString &name)
{
    m_syncing = true;
    clearSelection();
    if (TopologyNode *n = m_nodes.value(name))
        n->setSelected(true);
    m_syncing = false;
}

void TopologyScene::selectBinding(const QString &id)
{
    m_syncing = true;
    clearSelection();
    if (TopologyEdge *e = m_edges.value(id)) {
        e->setSelected(true);
        e->setZValue(0.5);
    }
    m_syncing = false;
}

void TopologyScene::onSelectionChanged()
{
    for (TopologyEdge *e : std::as_const(m_edges)) {
        if (!e->isSelected())
            e->setZValue(0);
    }
    if (m_syncing)
        return;
    const QList<QGraphicsItem *> items = selectedItems();
    if (items.size() != 1)
        return;
    if (auto *n = dynamic_cast<TopologyNode *>(items.front())) {
        Q_EMIT serverSelected(n->name());
    } else if (auto *e = dynamic_cast<TopologyEdge *>(items.front())) {
        e->setZValue(0.5);
        Q_EMIT bindingSelected(e->id());
    }
}

} // namespace hostsec::ui
