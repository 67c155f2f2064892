#pragma once

#include <QGraphicsView>
#include <QWidget>

namespace hostsec::ui {

class TopologyScene;

/// The colour key of binding states, drawn over a corner of the topology.
class TopologyLegend : public QWidget
{
    Q_OBJECT
public:
    /// A legend for the view it sits on.
    explicit TopologyLegend(QWidget *parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
};

/// The topology view: wheel + Ctrl zooms, fitAll() shows every server, a legend explains the
/// colours, and a context menu is offered for the node or edge under the mouse.
class TopologyView : public QGraphicsView
{
    Q_OBJECT
public:
    /// A view of `scene`.
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    /// The scene shown.
    TopologyScene *topology() const { return m_scene; }
    /// A line shown while the scene is empty ("Starting demo domain…").
    void setPlaceholder(const QString &text);
    QString placeholder() const { return m_placeholder; }
    /// The current zoom factor (1 = 100 %).
    qreal zoom() const;

public Q_SLOTS:
    /// Zooms in one step.
    void zoomIn();
    /// Zooms out one step.
    void zoomOut();
    /// Shows every server; the view keeps fitting on resize until the user zooms.
    void fitAll();

Q_SIGNALS:
    /// The context menu was asked for on a server's node.
    void serverMenuRequested(const QString &server, const QPoint &globalPos);
    /// The context menu was asked for on a binding's edge.
    void bindingMenuRequested(const QString &binding, const QPoint &globalPos);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void scaleBy(qreal factor);
    void placeLegend();

    TopologyScene *m_scene;
    TopologyLegend *m_legend;
    QString m_placeholder;
    bool m_autoFit = true;
};

} // namespace hostsec::ui
