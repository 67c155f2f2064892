#include "ui/eventspane.h"

#include "ui/eventfilterbar.h"
#include "ui/eventmodel.h"
#include "ui/format.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace hostsec::ui {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString row(const QString &label, const QString &value)
{
    return QStringLiteral(
               "<tr><td style='color:#6b727b;padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(esc(label), value);
}

} // namespace

EventsPane::EventsPane(QWidget *parent)
    : QWidget(parent)
    , m_filterBar(new EventFilterBar(this))
    , m_model(new EventModel(this))
    , m_liveTail(new QCheckBox(this))
    , m_counts(new QLabel(this))
    , m_table(new QTableView(this))
    , m_detail(new QTextBrowser(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setObjectName(QStringLiteral("eventsPane"));
    m_table->setObjectName(QStringLiteral("eventsTable"));
    m_detail->setObjectName(QStringLiteral("eventDetail"));
    m_liveTail->setObjectName(QStringLiteral("liveTail"));
    m_splitter->setObjectName(QStringLiteral("eventsSplitter"));

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    // Fixed row heights: the view never asks every row for its size.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setColumnWidth(EventModel::TimeColumn, 180);
    m_table->setColumnWidth(EventModel::SeverityColumn, 110);
    m_table->setColumnWidth(EventModel::ServerColumn, 70);
    m_table->setColumnWidth(EventModel::SourceColumn, 140);
    m_table->setColumnWidth(EventModel::IdColumn, 56);
    m_detail->setOpenLinks(false);

    m_liveTail->setChecked(true);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_filterBar, 1);
    top->addWidget(m_liveTail);
    top->addWidget(m_counts);

    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);

    connect(m_filterBar, &EventFilterBar::filterChanged, this,
            [this] { m_model->setFilter(m_filterBar->filter()); });
    connect(m_liveTail, &QCheckBox::toggled, m_model, &EventModel::setLiveTail);
    connect(m_model, &EventModel::countChanged, this, &EventsPane::updateCounts);
    connect(m_model, &EventModel::pendingRowsChanged, this, &EventsPane::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventsPane::showDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventsPane::showDetail);
    retranslateUi();
}

bool EventsPane::openHistory(const QString &path, QString *error)
{
    m_model->setFilter(m_filterBar->filter());
    return m_model->open(path, error);
}

void EventsPane::setServers(const QStringList &servers)
{
    m_filterBar->setServers(servers);
}

void EventsPane::setLiveTail(bool on)
{
    m_liveTail->setChecked(on);
}

void EventsPane::historyGrew()
{
    m_model->historyGrew();
}

QString EventsPane::detailText() const
{
    return m_detail->toPlainText();
}

void EventsPane::updateCounts()
{
    QString text = tr("%n event(s)", nullptr, static_cast<int>(m_model->totalCount()));
    if (!m_model->liveTail() && m_model->pendingRows() > 0)
        text +=
            QStringLiteral(" · ") + tr("%n new", nullptr, static_cast<int>(m_model->pendingRows()));
    m_counts->setText(text);
}

void EventsPane::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const Event *e = current.isValid() ? m_model->eventAt(current.row()) : nullptr;
    if (!e) {
        m_detail->setHtml(QStringLiteral("<p style='color:#6b727b'>%1</p>")
                              .arg(esc(tr("Select an event to see its details."))));
        return;
    }
    QString html = QStringLiteral("<p><b>%1</b></p><table>").arg(esc(Format::eventMessage(*e)));
    html += row(tr("Time"), esc(Format::time(e->time)));
    html += row(tr("Server"), esc(QString::fromStdString(e->server)));
    html += row(tr("Source"), esc(QString::fromStdString(e->source)));
    const QString symbol = Format::eventSymbol(e->id);
    html +=
        row(tr("Event"), esc(symbol.isEmpty() ? QString::number(e->id)
                                              : QStringLiteral("%1 (%2)").arg(e->id).arg(symbol)));
    html += row(tr("Severity"), esc(Format::severity(e->severity)));
    html += row(tr("Agent sequence"), QString::number(e->originSeq));
    html += QStringLiteral("</table>");
    if (!e->params.empty()) {
        html += QStringLiteral("<p><b>%1</b></p><ol>").arg(esc(tr("Parameters")));
        for (const std::string &p : e->params)
            html += QStringLiteral("<li><code>%1</code></li>").arg(esc(QString::fromStdString(p)));
        html += QStringLiteral("</ol>");
    }
    std::uint32_t code = 0;
    if (Format::eventRpcStatus(*e, code)) {
        html += QStringLiteral("<p><b>%1</b><br><code>%2</code><br>%3</p>")
                    .arg(esc(tr("RPC status")), esc(Format::rpcStatusShort(code)),
                         esc(Format::rpcStatusText(code)));
    }
    const QString explanation = Format::eventExplanation(e->id);
    if (!explanation.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b><br>%2</p>")
                    .arg(esc(tr("What it means")), esc(explanation));
    }
    m_detail->setHtml(html);
}

void EventsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void EventsPane::retranslateUi()
{
    m_liveTail->setText(tr("Live tail"));
    m_liveTail->setToolTip(tr("Show new events at the top as they arrive"));
    m_model->refreshTexts();
    updateCounts();
    showDetail();
}

} // namespace hostsec::ui
