#pragma once

#include "ui/session.h"

#include <QGraphicsObject>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QHash>
#include <QIcon>

class QVariantAnimation;

namespace hostsec::ui {

/// A server in the topology: name, role, reachability and instance; flashes when recycled.
class TopologyNode : public QGraphicsObject
{
public:
    static constexpr qreal Width = 188;
    static constexpr qreal Height = 68;

    /// A node for the named server.
    explicit TopologyNode(const QString &name);

    /// Shows what the console knows about the server's agent (nothing is repainted when what
    /// it shows is the same).
    void setAgent(const AgentState &agent);
    /// Marks an instance change for a few seconds.
    void flash();
    /// Builds the tool tip again at the next setAgent (the language changed).
    void retranslate() { m_shown = false; }

    /// The server's name.
    QString name() const { return m_name; }
    /// The server's role as shown (decides its column).
    ServerRole role() const { return m_role; }
    /// Whether the agent answers.
    bool isReachable() const { return m_reachable; }
    /// Whether the instance-change mark is showing.
    bool isFlashing() const { return m_flashLevel > 0; }
    /// Where a line from the node's centre towards `target` (scene coordinates) leaves it.
    QPointF borderPoint(const QPointF &target) const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_name;
    ServerRole m_role = ServerRole::Other;
    bool m_known = false; // a status has arrived
    bool m_reachable = false;
    bool m_connecting = true;
    QDateTime m_unreachableSince;
    QDateTime m_instanceChangedAt;
    QString m_instance;
    QString m_address;
    std::vector<Service> m_services; // for the tool tip
    QString m_lastError;             // for the tool tip
    bool m_shown = false;            // setAgent has run
    qreal m_flashLevel = 0;
    QVariantAnimation *m_flash = nullptr;
};

/// A binding in the topology: a curved arrow from client to server, coloured by state.
/// A->B and B->A bend to opposite sides, so they never overlap.
class TopologyEdge : public QGraphicsPathItem
{
public:
    /// An edge for the binding id.
    explicit TopologyEdge(const QString &id);

    /// Shows the binding's state and texts (nothing is repainted when they are the same).
    void setBinding(const Binding &binding);
    /// Builds the tool tip again at the next setBinding (the language changed).
    void retranslate() { m_shown = false; }
    /// Routes the arrow between the two nodes.
    void route(const TopologyNode *from, const TopologyNode *to);

    /// The binding's id.
    QString id() const { return m_id; }
    /// The state it is drawn for.
    BindingState state() const { return m_state; }
    /// The colour it is drawn in.
    QColor color() const;
    /// The server names at either end.
    QString fromServer() const { return m_from; }
    QString toServer() const { return m_to; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_id;
    QString m_from;
    QString m_to;
    BindingState m_state = BindingState::Unbound;
    RebindPolicy m_policy = RebindPolicy::Auto;
    std::uint32_t m_lastError = 0;
    bool m_shown = false; // setBinding has run
    QPolygonF m_arrow;
};

/// The domain as a graph: servers in columns by role (domain controllers, host-security
/// caches, hosts), bindings as directed edges; selection is mirrored to and from the tables.
class TopologyScene : public QGraphicsScene
{
    Q_OBJECT
public:
    /// An empty scene.
    explicit TopologyScene(QObject *parent = nullptr);
    ~TopologyScene() override;

    /// Shows the domain: adds, updates and removes nodes and edges; lays the nodes out again
    /// only when the set of servers or their roles changed, and routes only new edges
    /// otherwise. Nodes and edges whose state is unchanged are not repainted.
    void setDomain(const Domain &domain, const QList<AgentState> &agents);
    /// Marks a recycled server.
    void flashServer(const QString &name);

    /// The node for a server, or nullptr.
    TopologyNode *node(const QString &name) const { return m_nodes.value(name); }
    /// The edge for a binding, or nullptr.
    TopologyEdge *edge(const QString &id) const { return m_edges.value(id); }
    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    int edgeCount() const { return static_cast<int>(m_edges.size()); }

    /// Selects a server's node (without echoing serverSelected).
    void selectServer(const QString &name);
    /// Selects a binding's edge (without echoing bindingSelected).
    void selectBinding(const QString &id);
    /// Column titles in the current language.
    void retranslate();
    /// The icon nodes of a role show; one per role, so its rendered pixmaps are kept.
    const QIcon &roleIcon(ServerRole role) const;

Q_SIGNALS:
    /// The user selected a node.
    void serverSelected(const QString &name);
    /// The user selected an edge.
    void bindingSelected(const QString &id);
    /// Nodes were laid out anew (a view may fit them).
    void laidOut();

private:
    void layoutNodes();
    void routeEdges();
    void onSelectionChanged();

    QHash<QString, TopologyNode *> m_nodes;
    QHash<QString, TopologyEdge *> m_edges;
    QHash<ServerRole, QIcon> m_roleIcons;
    QList<QGraphicsSimpleTextItem *> m_titles;
    QList<ServerRole> m_titleRoles;
    QStringList m_layoutKey;
    bool m_syncing = false;
};

} // namespace hostsec::ui
