#include "ui/topologyview.h"

#include "ui/format.h"
#include "ui/topologyscene.h"

#include <QContextMenuEvent>
#include <QEvent>
#include <QPainter>
#include <QWheelEvent>

#include <QtMath>

namespace hostsec::ui {

namespace {

constexpr qreal ZoomStep = 1.2;
constexpr qreal MinZoom = 0.1;
constexpr qreal MaxZoom = 4.0;
constexpr BindingState LegendStates[] = {BindingState::Bound, BindingState::Stale,
                                         BindingState::Failed, BindingState::Rebinding,
                                         BindingState::Unbound};
constexpr int LegendRow = 18;
constexpr int LegendLine = 26;

Qt::PenStyle legendStyle(BindingState s)
{
    switch (s) {
    case BindingState::Stale:
        return Qt::DashLine;
    case BindingState::Rebinding:
        return Qt::DotLine;
    case BindingState::Unbound:
        return Qt::DashDotLine;
    default:
        return Qt::SolidLine;
    }
}

} // namespace

TopologyLegend::TopologyLegend(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
}

QSize TopologyLegend::sizeHint() const
{
    int width = 0;
    for (BindingState s : LegendStates)
        width = std::max(width, fontMetrics().horizontalAdvance(Format::bindingState(s)));
    return QSize(width + LegendLine + 24, int(std::size(LegendStates)) * LegendRow + 12);
}

void TopologyLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor back = palette().color(QPalette::Base);
    back.setAlpha(225);
    p.setPen(QColor(0xc8, 0xcd, 0xd3));
    p.setBrush(back);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    int y = 6;
    for (BindingState s : LegendStates) {
        const QColor c = Format::bindingStateColor(s);
        p.setPen(QPen(c, 2.5, legendStyle(s), Qt::RoundCap));
        const int mid = y + LegendRow / 2;
        p.drawLine(8, mid, 8 + LegendLine - 6, mid);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(8 + LegendLine, y, width() - LegendLine - 12, LegendRow),
                   Qt::AlignLeft | Qt::AlignVCenter, Format::bindingState(s));
        y += LegendRow;
    }
}

void TopologyLegend::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        updateGeometry();
        resize(sizeHint());
        update();
    }
    QWidget::changeEvent(event);
}

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
    , m_legend(new TopologyLegend(this))
{
    setObjectName(QStringLiteral("topologyView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setBackgroundBrush(QColor(0xf6, 0xf7, 0xf9));
    connect(scene, &TopologyScene::laidOut, this, [this] {
        if (m_autoFit)
            fitAll();
    });
    m_legend->resize(m_legend->sizeHint());
    placeLegend();
}

void TopologyView::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

qreal TopologyView::zoom() const
{
    return transform().m11();
}

void TopologyView::scaleBy(qreal factor)
{
    const qreal target = std::clamp(zoom() * factor, MinZoom, MaxZoom);
    const qreal f = target / zoom();
    scale(f, f);
}

void TopologyView::zoomIn()
{
    m_autoFit = false;
    scaleBy(ZoomStep);
}

void TopologyView::zoomOut()
{
    m_autoFit = false;
    scaleBy(1 / ZoomStep);
}

void TopologyView::fitAll()
{
    m_autoFit = true;
    if (!m_scene || m_scene->nodeCount() == 0)
        return;
    const QRectF r = m_scene->sceneRect();
    resetTransform();
    fitInView(r, Qt::KeepAspectRatio);
    // Never blow a small domain up beyond its natural size: text would look bloated.
    if (zoom() > 1.25) {
        resetTransform();
        scale(1.25, 1.25);
    }
    centerOn(r.center());
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        m_autoFit = false;
        const int steps = event->angleDelta().y() / 120;
        if (steps != 0)
            scaleBy(std::pow(ZoomStep, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    for (QGraphicsItem *item : items(event->pos())) {
        if (auto *n = dynamic_cast<TopologyNode *>(item)) {
            m_scene->selectServer(n->name());
            Q_EMIT m_scene->serverSelected(n->name());
            Q_EMIT serverMenuRequested(n->name(), event->globalPos());
            return;
        }
        if (auto *e = dynamic_cast<TopologyEdge *>(item)) {
            m_scene->selectBinding(e->id());
            Q_EMIT m_scene->bindingSelected(e->id());
            Q_EMIT bindingMenuRequested(e->id(), event->globalPos());
            return;
        }
    }
    QGraphicsView::contextMenuEvent(event);
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeLegend();
    if (m_autoFit)
        fitAll();
}

void TopologyView::placeLegend()
{
    m_legend->resize(m_legend->sizeHint());
    const QRect area = viewport()->geometry();
    m_legend->move(area.left() + 10, area.bottom() - m_legend->height() - 10);
    m_legend->raise();
}

void TopologyView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (m_placeholder.isEmpty() || (m_scene && m_scene->nodeCount() > 0))
        return;
    painter->save();
    painter->resetTransform();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    painter->setFont(f);
    painter->setPen(QColor(0x6b, 0x72, 0x7b));
    painter->drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    painter->restore();
}

} // namespace hostsec::ui
