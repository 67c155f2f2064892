#include "ui/diagnosispane.h"

#include "client/snapshot.h"
#include "events/catalogue.h"
#include "ui/format.h"
#include "ui/session.h"
#include "ui/taskthread.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace hostsec::ui {

using diagnosis::ActionKind;
using diagnosis::Finding;
using diagnosis::Level;

namespace {

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

constexpr int DefaultIntervalMs = 5000;
constexpr int DebounceMs = 500;

} // namespace

// --- FindingModel ---------------------------------------------------------------------------

FindingModel::FindingModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void FindingModel::setFindings(std::vector<Finding> findings)
{
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
}

const Finding *FindingModel::finding(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_findings.size()))
        return nullptr;
    return &m_findings[static_cast<std::size_t>(row)];
}

int FindingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int FindingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FindingModel::levelText(Level level)
{
    switch (level) {
    case Level::Error:
        return tr("Error");
    case Level::Warning:
        return tr("Warning");
    case Level::Info:
        break;
    }
    return tr("Info");
}

QIcon FindingModel::levelIcon(Level level)
{
    const QColor colour = level == Level::Error     ? QColor(0xc6, 0x28, 0x28)
                          : level == Level::Warning ? QColor(0xef, 0x8f, 0x00)
                                                    : QColor(0x15, 0x65, 0xc0);
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(colour);
    p.setPen(colour.darker(130));
    p.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pixmap);
}

QString FindingModel::translated(const std::vector<diagnosis::Phrase> &phrases,
                                 const std::string &english)
{
    if (phrases.empty())
        return qstr(english);
    QStringList parts;
    for (const diagnosis::Phrase &p : phrases) {
        const std::string source(p.text); // translate() wants a terminated string
        const QString tpl = QCoreApplication::translate("hostsec::Finding", source.c_str());
        parts << qstr(formatMessage(tpl.toStdString(), p.params));
    }
    return parts.join(QLatin1Char(' '));
}

QVariant FindingModel::data(const QModelIndex &index, int role) const
{
    const Finding *f = finding(index.row());
    if (!f)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LevelColumn:
            return levelText(f->level);
        case TitleColumn:
            return translated(f->titlePhrases, f->title);
        case SinceColumn:
            return f->since ? Format::time(f->since) : QString();
        case ActionColumn:
            return f->action.kind == ActionKind::None ? tr("Check by hand")
                                                      : qstr(f->action.command);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == LevelColumn)
            return levelIcon(f->level);
        break;
    case Qt::ToolTipRole:
        return QString(translated(f->whatPhrases, f->what) + QStringLiteral("\n\n") +
                       translated(f->whyPhrases, f->why));
    case Qt::UserRole: // the rule, for tests and scripts
        return qstr(f->rule);
    }
    return {};
}

QVariant FindingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LevelColumn:
        return tr("Level");
    case TitleColumn:
        return tr("Finding");
    case SinceColumn:
        return tr("Since");
    case ActionColumn:
        return tr("Recommended action");
    }
    return {};
}

// --- DiagnosisPane --------------------------------------------------------------------------

DiagnosisPane::DiagnosisPane(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new FindingModel(this))
    , m_table(new QTableView(this))
    , m_detail(new QTextBrowser(this))
    , m_run(new QPushButton(this))
    , m_refresh(new QPushButton(this))
    , m_state(new QLabel(this))
    , m_worker(std::make_unique<TaskThread>())
{
    m_table->setObjectName(QStringLiteral("diagnosisTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(FindingModel::TitleColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(FindingModel::LevelColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(FindingModel::SinceColumn,
                                                      QHeaderView::ResizeToContents);
    m_detail->setObjectName(QStringLiteral("diagnosisDetail"));
    m_detail->setOpenExternalLinks(false);
    m_run->setObjectName(QStringLiteral("diagnosisRun"));
    m_run->setEnabled(false);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_state, 1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_run);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DiagnosisPane::updateDetail);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateDetail();
        updateRowButtons();
    });
    connect(m_run, &QPushButton::clicked, this,
            [this] { runAction(m_table->currentIndex().row()); });
    connect(m_refresh, &QPushButton::clicked, this, &DiagnosisPane::refresh);

    m_timer.setInterval(DefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &DiagnosisPane::refresh);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &DiagnosisPane::refresh);
    // A change the console sees (a binding going stale, an agent lost) is diagnosed at once.
    connect(m_session, &Session::bindingsChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_session, &Session::agentsChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_session, &Session::connectionChanged, this, [this] {
        if (!m_session->isOpen()) {
            ++m_generation; // answers for the closed profile are dropped
            m_model->setFindings({});
            m_timer.stop();
        } else if (!m_timer.isActive() &&
                   m_session->connection() != Session::Connection::Connecting) {
            m_timer.start();
            refresh();
        }
    });
    retranslateUi();
}

DiagnosisPane::~DiagnosisPane()
{
    ++m_generation;
    m_worker.reset(); // joins: a job's queued answer to this pane is dropped with it
}

void DiagnosisPane::setInterval(int ms)
{
    m_timer.setInterval(ms);
}

void DiagnosisPane::refresh()
{
    // While the first answers come in, the session's polls go first: a snapshot of every agent
    // then would slow them down (500 agents: the topology appears seconds later). The pane's
    // first run follows the connection state leaving Connecting.
    if (!m_session->isOpen() || m_session->connection() == Session::Connection::Connecting)
        return;
    if (!m_timer.isActive())
        m_timer.start();
    if (m_running) {
        m_again = true;
        return;
    }
    start();
}

void DiagnosisPane::start()
{
    m_running = true;
    m_again = false;
    const client::Profile profile = m_session->profile();
    diagnosis::Options options = m_options;
    if (options.profile.empty())
        options.profile = profile.path;
    const int generation = m_generation;
    m_worker->post([this, profile, options, generation] {
        std::vector<Finding> findings;
        QString error;
        // A live panel asks often: a shorter window of recent events than a report's.
        client::SnapshotOptions ask;
        ask.eventWindow = std::chrono::minutes(30);
        ask.maxEventsPerAgent = 5000;
        auto snapshot = client::collectSnapshot(profile, ask);
        if (snapshot)
            findings = diagnosis::diagnose(*snapshot, options);
        else
            error = qstr(snapshot.error().message);
        QMetaObject::invokeMethod(
            this,
            [this, generation, findings = std::move(findings), error]() mutable {
                onDiagnosed(generation, std::move(findings), error);
            },
            Qt::QueuedConnection);
    });
}

void DiagnosisPane::onDiagnosed(int generation, std::vector<Finding> findings, QString error)
{
    m_running = false;
    if (generation != m_generation)
        return;
    m_lastRun = QDateTime::currentDateTime();
    m_lastError = error;
    // Keep the selected finding selected across a refresh (same rule and title).
    QString selected;
    if (const Finding *f = m_model->finding(m_table->currentIndex().row()))
        selected = qstr(f->rule + '\n' + f->title);
    if (error.isEmpty())
        m_model->setFindings(std::move(findings));
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const Finding *f = m_model->finding(row);
        if (!selected.isEmpty() && qstr(f->rule + '\n' + f->title) == selected)
            m_table->setCurrentIndex(m_model->index(row, FindingModel::TitleColumn));
    }
    retranslateUi();
    Q_EMIT refreshed();
    if (m_again)
        start();
}

void DiagnosisPane::runAction(int row)
{
    const Finding *f = m_model->finding(row);
    if (!f || f->action.kind == ActionKind::None)
        return;
    const client::Profile profile = m_session->profile();
    const diagnosis::Action action = f->action;
    const int generation = m_generation;
    const QString text = FindingModel::translated(action.textPhrases, action.text);
    m_worker->post([this, profile, action, generation, text] {
        const Status done = client::runAction(profile, action);
        const QString message = done ? tr("Done: %1").arg(text)
                                     : tr("Failed: %1: %2").arg(text, qstr(done.error().message));
        QMetaObject::invokeMethod(
            this,
            [this, generation, ok = done.ok(), message] { onActionDone(generation, ok, message); },
            Qt::QueuedConnection);
    });
}

void DiagnosisPane::onActionDone(int generation, bool ok, QString message)
{
    if (generation != m_generation)
        return;
    Q_EMIT actionFinished(ok, message);
    m_session->refresh();
    refresh();
}

void DiagnosisPane::updateDetail()
{
    const Finding *f = m_model->finding(m_table->currentIndex().row());
    m_run->setEnabled(f && f->action.kind != ActionKind::None);
    if (!f) {
        m_detail->setHtml(m_model->rowCount() == 0 && m_lastError.isEmpty() && m_lastRun.isValid()
                              ? tr("<p>Nothing wrong found.</p>")
                              : QString());
        return;
    }
    auto para = [](const QString &label, const QString &text) {
        return QStringLiteral("<p><b>%1</b> %2</p>")
            .arg(label.toHtmlEscaped(),
                 text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    };
    QString html = QStringLiteral("<h3>%1</h3>")
                       .arg(FindingModel::translated(f->titlePhrases, f->title).toHtmlEscaped());
    if (f->since)
        html += QStringLiteral("<p>%1</p>").arg(tr("Since %1").arg(Format::time(f->since)));
    html += para(tr("What happened:"), FindingModel::translated(f->whatPhrases, f->what));
    html += para(tr("Why:"), FindingModel::translated(f->whyPhrases, f->why));
    html += para(tr("Recommended action:"),
                 FindingModel::translated(f->action.textPhrases, f->action.text));
    if (!f->action.command.empty())
        html += QStringLiteral("<pre>%1</pre>").arg(qstr(f->action.command).toHtmlEscaped());
    m_detail->setHtml(html);
}

void DiagnosisPane::updateRowButtons()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const Finding *f = m_model->finding(row);
        const QModelIndex index = m_model->index(row, FindingModel::ActionColumn);
        if (f->action.kind == ActionKind::None) {
            m_table->setIndexWidget(index, nullptr);
            continue;
        }
        auto *button = new QPushButton(tr("Run"), m_table);
        button->setObjectName(QStringLiteral("runFinding%1").arg(row));
        button->setToolTip(FindingModel::translated(f->action.textPhrases, f->action.text) +
                           QLatin1Char('\n') + qstr(f->action.command));
        connect(button, &QPushButton::clicked, this, [this, row] { runAction(row); });
        m_table->setIndexWidget(index, button);
    }
}

void DiagnosisPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DiagnosisPane::retranslateUi()
{
    m_run->setText(tr("Run recommended action"));
    m_refresh->setText(tr("Diagnose now"));
    if (!m_lastError.isEmpty())
        m_state->setText(tr("Diagnosis failed: %1").arg(m_lastError));
    else if (m_lastRun.isValid())
        m_state->setText(tr("%n finding(s), checked at %1", nullptr, m_model->rowCount())
                             .arg(m_lastRun.time().toString(QStringLiteral("hh:mm:ss"))));
    else
        m_state->setText(tr("Not diagnosed yet"));
    updateDetail();
    updateRowButtons();
}

} // namespace hostsec::ui
