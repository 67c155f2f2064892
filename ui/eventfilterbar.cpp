#include "ui/eventfilterbar.h"

#include "ui/format.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QToolButton>

namespace hostsec::ui {

namespace {

constexpr int DebounceMs = 300;

enum Period
{
    AnyTime,
    Last15Minutes,
    LastHour,
    Last24Hours,
    Last7Days,
    CustomRange
};

// Severity box entries: one severity, or "warnings and worse".
constexpr int AllSeverities = -1;
constexpr int WarningOrWorse = -2;

const char *const Sources[] = {
    "agent", "domain-account-sync", "host-account-sync", "host", "binding", "password-sync",
    "audit"};

} // namespace

EventFilterBar::EventFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_server(new QComboBox(this))
    , m_source(new QComboBox(this))
    , m_ids(new QLineEdit(this))
    , m_severity(new QComboBox(this))
    , m_period(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_until(new QDateTimeEdit(this))
    , m_text(new QLineEdit(this))
    , m_clear(new QToolButton(this))
{
    m_server->setObjectName(QStringLiteral("serverFilter"));
    m_source->setObjectName(QStringLiteral("sourceFilter"));
    m_ids->setObjectName(QStringLiteral("idFilter"));
    m_severity->setObjectName(QStringLiteral("severityFilter"));
    m_period->setObjectName(QStringLiteral("periodFilter"));
    m_from->setObjectName(QStringLiteral("fromFilter"));
    m_until->setObjectName(QStringLiteral("untilFilter"));
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_clear->setObjectName(QStringLiteral("clearFilter"));

    m_server->addItem(QString(), QString());
    m_source->addItem(QString(), QString());
    for (const char *s : Sources)
        m_source->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    m_severity->addItem(QString(), AllSeverities);
    m_severity->addItem(QString(), WarningOrWorse);
    for (Severity s : {Severity::Information, Severity::Warning, Severity::Error,
                       Severity::AuditSuccess, Severity::AuditFailure})
        m_severity->addItem(Format::severityIcon(s), QString(), static_cast<int>(s));
    for (int p = AnyTime; p <= CustomRange; ++p)
        m_period->addItem(QString(), p);
    const QDateTime now = QDateTime::currentDateTime();
    m_from->setDateTime(now.addSecs(-3600));
    m_until->setDateTime(now.addSecs(3600));
    for (QDateTimeEdit *e : {m_from, m_until}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
        e->setVisible(false);
    }
    m_ids->setClearButtonEnabled(true);
    m_ids->setMaximumWidth(150);
    m_text->setClearButtonEnabled(true);
    m_clear->setIcon(QIcon(QStringLiteral(":/icons/clear.svg")));
    m_clear->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_server);
    layout->addWidget(m_source);
    layout->addWidget(m_ids);
    layout->addWidget(m_severity);
    layout->addWidget(m_period);
    layout->addWidget(m_from);
    layout->addWidget(m_until);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_clear);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &EventFilterBar::filterChanged);
    auto now_ = [this] {
        m_debounce.stop();
        Q_EMIT filterChanged();
    };
    connect(m_server, &QComboBox::currentIndexChanged, this, now_);
    connect(m_source, &QComboBox::currentIndexChanged, this, now_);
    connect(m_severity, &QComboBox::currentIndexChanged, this, now_);
    connect(m_period, &QComboBox::currentIndexChanged, this, [this, now_] {
        periodChanged();
        now_();
    });
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, [this] { m_debounce.start(); });
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, [this] { m_debounce.start(); });
    connect(m_ids, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_clear, &QToolButton::clicked, this, &EventFilterBar::clear);
    retranslateUi();
}

void EventFilterBar::setServers(const QStringList &servers)
{
    const QString current = m_server->currentData().toString();
    QStringList known;
    for (int i = 1; i < m_server->count(); ++i)
        known << m_server->itemData(i).toString();
    if (known == servers)
        return;
    const QSignalBlocker block(m_server);
    while (m_server->count() > 1)
        m_server->removeItem(1);
    for (const QString &s : servers)
        m_server->addItem(s, s);
    m_server->setCurrentIndex(std::max(0, m_server->findData(current)));
}

EventFilter EventFilterBar::filter() const
{
    EventFilter f;
    if (const QString server = m_server->currentData().toString(); !server.isEmpty())
        f.servers.push_back(server.toStdString());
    if (const QString source = m_source->currentData().toString(); !source.isEmpty())
        f.sources.push_back(source.toStdString());
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    for (const QString &part : m_ids->text().split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const int id = part.toInt(&ok);
        if (ok)
            f.ids.push_back(id);
    }
    const int severity = m_severity->currentData().toInt();
    if (severity == WarningOrWorse)
        f.severities = {Severity::Warning, Severity::Error, Severity::AuditFailure};
    else if (severity >= 0)
        f.severities = {static_cast<Severity>(severity)};
    const Millis now = QDateTime::currentMSecsSinceEpoch();
    switch (m_period->currentData().toInt()) {
    case Last15Minutes:
        f.from = now - 15 * 60 * 1000;
        break;
    case LastHour:
        f.from = now - 3600 * 1000;
        break;
    case Last24Hours:
        f.from = now - 24 * 3600 * 1000;
        break;
    case Last7Days:
        f.from = now - 7LL * 24 * 3600 * 1000;
        break;
    case CustomRange:
        f.from = m_from->dateTime().toMSecsSinceEpoch();
        f.until = m_until->dateTime().toMSecsSinceEpoch();
        break;
    default:
        break;
    }
    f.text = m_text->text().trimmed().toStdString();
    return f;
}

void EventFilterBar::clear()
{
    const QSignalBlocker b1(m_server), b2(m_source), b3(m_ids), b4(m_severity), b5(m_period),
        b6(m_text);
    m_server->setCurrentIndex(0);
    m_source->setCurrentIndex(0);
    m_ids->clear();
    m_severity->setCurrentIndex(0);
    m_period->setCurrentIndex(0);
    m_text->clear();
    periodChanged();
    m_debounce.stop();
    Q_EMIT filterChanged();
}

void EventFilterBar::periodChanged()
{
    const bool custom = m_period->currentData().toInt() == CustomRange;
    m_from->setVisible(custom);
    m_until->setVisible(custom);
}

void EventFilterBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void EventFilterBar::retranslateUi()
{
    m_server->setItemText(0, tr("All servers"));
    m_server->setToolTip(tr("Only events of this server"));
    m_source->setItemText(0, tr("All sources"));
    m_source->setToolTip(tr("Only events from this source"));
    m_ids->setPlaceholderText(tr("Event IDs, e.g. 630, 401"));
    m_ids->setToolTip(tr("Only these event IDs, separated by commas"));
    m_severity->setItemText(0, tr("All severities"));
    m_severity->setItemText(1, tr("Warnings and errors"));
    int row = 2;
    for (Severity s : {Severity::Information, Severity::Warning, Severity::Error,
                       Severity::AuditSuccess, Severity::AuditFailure})
        m_severity->setItemText(row++, Format::severity(s));
    m_period->setItemText(AnyTime, tr("Any time"));
    m_period->setItemText(Last15Minutes, tr("Last 15 minutes"));
    m_period->setItemText(LastHour, tr("Last hour"));
    m_period->setItemText(Last24Hours, tr("Last 24 hours"));
    m_period->setItemText(Last7Days, tr("Last 7 days"));
    m_period->setItemText(CustomRange, tr("Custom range"));
    m_from->setToolTip(tr("From (inclusive)"));
    m_until->setToolTip(tr("Until (exclusive)"));
    m_text->setPlaceholderText(tr("Search messages (full text)"));
    m_clear->setToolTip(tr("Clear every filter"));
}

} // namespace hostsec::ui
