#include "ui/format.h"

#include "events/catalogue.h"
#include "model/rpcstatus.h"

#include <QDateTime>
#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace hostsec::ui {

namespace {

constexpr const char *EventContext = "hostsec::Event";

QString translateCore(std::string_view text)
{
    const std::string source(text); // translate() wants a terminated string
    return QCoreApplication::translate(EventContext, source.c_str());
}

QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QIcon dot(const QColor &color, bool hollow = false)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(130), 3));
    p.setBrush(hollow ? QBrush(Qt::NoBrush) : QBrush(color));
    p.drawEllipse(QRectF(5, 5, 22, 22));
    return QIcon(pixmap);
}

} // namespace

QString Format::eventMessage(const Event &event)
{
    const CatalogueEntry *entry = catalogueEntry(event.id);
    if (!entry)
        return QString::fromStdString(event.message);
    const QString tpl = translateCore(entry->messageTemplate);
    return QString::fromStdString(formatMessage(tpl.toStdString(), event.params));
}

QString Format::eventExplanation(int id)
{
    const CatalogueEntry *entry = catalogueEntry(id);
    return entry ? translateCore(entry->explanation) : QString();
}

QString Format::eventSymbol(int id)
{
    const CatalogueEntry *entry = catalogueEntry(id);
    return entry ? fromView(entry->symbol) : QString();
}

QString Format::rpcStatusText(std::uint32_t code)
{
    return translateCore(rpcStatus(code).text);
}

QString Format::rpcStatusShort(std::uint32_t code)
{
    if (code == rpc::Success)
        return {};
    return QString::fromStdString(rpcCodeHex(code)) + QLatin1Char(' ') +
           fromView(rpcStatus(code).name);
}

QString Format::rpcStatusLong(std::uint32_t code)
{
    return QString::fromStdString(rpcCodeHex(code)) + QLatin1Char(' ') +
           fromView(rpcStatus(code).name) + QStringLiteral(": ") + rpcStatusText(code);
}

bool Format::eventRpcStatus(const Event &event, std::uint32_t &code)
{
    // The catalogue's templates that print "error 0x%N": which param holds the code.
    int index = -1;
    switch (event.id) {
    case 630: // RPC Layer returned error 0x%1
        index = 0;
        break;
    case 604: // Rebind of %1 failed with error 0x%2
    case 605: // Binding %1 failed with error 0x%2
        index = 1;
        break;
    case 704: // Delivery of password change %1 to %2 failed with error 0x%3
        index = 2;
        break;
    default:
        return false;
    }
    if (index >= static_cast<int>(event.params.size()))
        return false;
    return parseRpcCode("0x" + event.params[static_cast<std::size_t>(index)], code) ||
           parseRpcCode(event.params[static_cast<std::size_t>(index)], code);
}

QString Format::bindingState(BindingState state)
{
    switch (state) {
    case BindingState::Unbound:
        return tr("unbound");
    case BindingState::Bound:
        return tr("bound");
    case BindingState::Stale:
        return tr("stale");
    case BindingState::Failed:
        return tr("failed");
    case BindingState::Rebinding:
        return tr("rebinding");
    }
    return {};
}

QColor Format::bindingStateColor(BindingState state)
{
    switch (state) {
    case BindingState::Bound:
        return QColor(0x2e, 0x9d, 0x4f);
    case BindingState::Stale:
        return QColor(0xe0, 0x9b, 0x12);
    case BindingState::Failed:
        return QColor(0xd3, 0x3a, 0x2f);
    case BindingState::Rebinding:
        return QColor(0x2f, 0x74, 0xd0);
    case BindingState::Unbound:
        break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QIcon Format::bindingStateIcon(BindingState state)
{
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(state);
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.insert(key, dot(bindingStateColor(state), state == BindingState::Unbound));
    return *it;
}

QString Format::rebindPolicy(RebindPolicy policy)
{
    return policy == RebindPolicy::Auto ? tr("auto") : tr("manual");
}

QString Format::serverRole(ServerRole role)
{
    switch (role) {
    case ServerRole::DomainController:
        return tr("Domain controller");
    case ServerRole::CachePrimary:
        return tr("Primary cache");
    case ServerRole::CacheBackup:
        return tr("Backup cache");
    case ServerRole::Host:
        return tr("Host");
    case ServerRole::Other:
        break;
    }
    return tr("Other");
}

QString Format::serviceKind(ServiceKind kind)
{
    switch (kind) {
    case ServiceKind::DomainAccountSync:
        return tr("domain account sync");
    case ServiceKind::HostAccountSync:
        return tr("host account sync");
    case ServiceKind::Host:
        return tr("host");
    }
    return {};
}

QString Format::services(const Server &server)
{
    QStringList parts;
    for (const Service &s : server.services) {
        QString text = serviceKind(s.kind);
        if (s.cacheRole == CacheRole::Primary)
            text += tr(" (primary)");
        else if (s.cacheRole == CacheRole::Backup)
            text += tr(" (backup)");
        parts << text;
    }
    return parts.join(QStringLiteral(", "));
}

QString Format::severity(Severity severity)
{
    switch (severity) {
    case Severity::Information:
        return tr("Information");
    case Severity::Warning:
        return tr("Warning");
    case Severity::Error:
        return tr("Error");
    case Severity::AuditSuccess:
        return tr("Audit success");
    case Severity::AuditFailure:
        return tr("Audit failure");
    }
    return {};
}

QIcon Format::severityIcon(Severity severity)
{
    // One icon per severity: an icon keeps the pixmaps it rendered, so the events table does
    // not draw the SVG again for every row it paints.
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(severity);
    auto it = cache.find(key);
    if (it != cache.end())
        return *it;
    QString file;
    switch (severity) {
    case Severity::Information:
        file = QStringLiteral(":/icons/info.svg");
        break;
    case Severity::Warning:
        file = QStringLiteral(":/icons/warning.svg");
        break;
    case Severity::Error:
        file = QStringLiteral(":/icons/error.svg");
        break;
    case Severity::AuditSuccess:
        file = QStringLiteral(":/icons/audit-success.svg");
        break;
    case Severity::AuditFailure:
        file = QStringLiteral(":/icons/audit-failure.svg");
        break;
    }
    return *cache.insert(key, file.isEmpty() ? QIcon() : QIcon(file));
}

QString Format::syncState(SyncState state)
{
    switch (state) {
    case SyncState::InSync:
        return tr("in sync");
    case SyncState::Pending:
        return tr("pending");
    case SyncState::Failed:
        return tr("failed");
    case SyncState::Rejected:
        return tr("rejected");
    }
    return {};
}

QColor Format::syncStateColor(SyncState state)
{
    switch (state) {
    case SyncState::InSync:
        return bindingStateColor(BindingState::Bound);
    case SyncState::Pending:
        return bindingStateColor(BindingState::Stale);
    case SyncState::Failed:
    case SyncState::Rejected:
        break;
    }
    return bindingStateColor(BindingState::Failed);
}

QString Format::time(Millis t)
{
    if (t <= 0)
        return tr("never");
    return QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"));
}

QString Format::timeOfDay(Millis t)
{
    if (t <= 0)
        return tr("never");
    return QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("hh:mm:ss"));
}

QString Format::duration(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    qint64 s = ms / 1000;
    const qint64 days = s / 86400;
    s %= 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg(s / 3600, 2, 10, QLatin1Char('0'))
                              .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                              .arg(s % 60, 2, 10, QLatin1Char('0'));
    if (days > 0)
        return tr("%n d", nullptr, static_cast<int>(days)) + QLatin1Char(' ') + clock;
    return clock;
}

} // namespace hostsec::ui
