#pragma once

#include "client/profile.h"
#include "model/domain.h"
#include "util/result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace hostsec::ui {

class TaskThread;

/// What the console knows about one agent: whether it answers, and its last /v1/status.
struct AgentState
{
    QString name;
    QString address;
    bool reachable = false;
    bool everReached = false;   // answered at least once since the session opened
    QDateTime unreachableSince; // invalid while reachable or before the first attempt
    QString lastError;          // why the last call failed
    QString role;               // the status "role": "cache-primary", "domain-controller", ...
    Server server;              // services, instance id, start time, version
    qint64 uptimeMs = 0;        // as the agent reported it at statusTime
    QDateTime statusTime;       // when the last status arrived
    int outboxDepth = 0;
    qint64 lastEventSeq = 0;
    QString previousInstance;      // the instance id seen before the last change
    QDateTime instanceChangedAt;   // when a new instance id was seen; invalid if never
    QString certificate;           // the name in the TLS certificate it serves; "" if unknown
    QDateTime certificateNotAfter; // when that certificate expires; invalid if unknown

    /// Uptime now, extrapolated from the last status; 0 when unknown.
    qint64 uptimeNow() const;
};

/// One page of GET /v1/users.
struct UsersPage
{
    std::vector<UserMapping> users;
    QString next; // the keyset cursor for the next page; empty on the last page
};

/// The users query of GET /v1/users.
struct UsersQuery
{
    QString state; // "", "failed", "pending", ...
    QString text;
    QString after;
    int limit = 200;
};

/// One change waiting in an outbox (GET /v1/outbox).
struct OutboxEntry
{
    qint64 seq = 0;
    QString changeId;
    QString kind;
    QString user;
    QString target;
    Millis created = 0;
    int attempts = 0;
    Millis lastAttempt = 0;
    std::uint32_t lastStatus = 0;
    QString agent; // the agent whose outbox holds it
};

/// A resync job as GET /v1/jobs/ID reports it.
struct JobState
{
    QString id;
    QString state; // "running", "done", "cancelled"
    int total = 0;
    int done = 0;
    int failed = 0;
    QString error; // set when the job could not be started or followed

    /// Whether the job has ended (done, cancelled, or lost).
    bool finished() const { return state != QLatin1String("running"); }
};

/// The console's link to every agent of a domain profile: polls status and bindings, follows
/// each agent's /v1/watch stream, fills the history database and runs operator actions.
/// Network I/O runs on an io_context thread of its own; everything here is called and
/// signalled on the GUI thread. Answers update the state at once; agentsChanged,
/// bindingsChanged and statsChanged follow at most every NotifyIntervalMs, once for all the
/// answers in between (500 agents answer about 1,000 times a second).
class Session : public QObject
{
    Q_OBJECT
public:
    /// Overall reachability of the profile's agents.
    enum class Connection
    {
        Idle,       // no profile open
        Connecting, // not every agent has answered or failed yet
        Connected,  // every agent answers
        Degraded,   // some agents do not answer
        Lost        // no agent answers
    };
    Q_ENUM(Connection)

    /// Which users a resync covers.
    enum class ResyncScope
    {
        Users,
        Failed,
        All
    };
    Q_ENUM(ResyncScope)

    /// The views hear of changes at most this often.
    static constexpr int NotifyIntervalMs = 50;

    /// Receives a JSON answer (or the Error) on the GUI thread.
    using JsonCallback = std::function<void(const Result<nlohmann::json> &)>;

    /// A session with nothing open.
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    /// Connects to the profile's agents (closing what was open). `historyPath` overrides the
    /// history database location (tests); by default it is historyPathFor(profile.path).
    void open(const client::Profile &profile, const QString &historyPath = {});
    /// Stops polling and closes every connection.
    void close();
    /// Whether a profile is open.
    bool isOpen() const { return m_io != nullptr; }
    /// The open profile.
    const client::Profile &profile() const { return m_profile; }
    /// Who the profile's certificate says this console's user is, and the role in it that the
    /// agents check ("viewer", "operator", "admin"); both empty without TLS (an agent run with
    /// the plaintext opt-out checks no role) or when the certificate cannot be read.
    const QString &identity() const { return m_identity; }
    const QString &role() const { return m_role; }
    /// Whether the agents will let this user rebind and resync: role operator or admin (and
    /// anything without a role to check).
    bool mayOperate() const;
    /// The folder of a demo profile ("" otherwise): where DemoDomain::recycle acts.
    QString demoDirectory() const;

    /// The domain as last reported: servers from statuses, bindings from every agent.
    const Domain &domain() const { return m_domain; }
    /// Every agent of the profile, in profile order.
    const QList<AgentState> &agents() const { return m_agents; }
    /// The agent named `name`, or nullptr.
    const AgentState *agent(const QString &name) const;
    /// The agent that keeps the primary host account cache (users, resync), or nullptr.
    const AgentState *primaryCache() const;
    /// Overall reachability.
    Connection connection() const { return m_connection; }
    /// How many agents' reports of their bindings domain() holds (each agent reports those it
    /// is the client of).
    int reportedBindings() const { return m_bindingReports; }

    /// Bindings in state stale / failed.
    int staleBindings() const;
    int failedBindings() const;
    /// Users whose sync state is failed (-1 while unknown); `failedUsersMore` when over 1000.
    int failedUsers() const { return m_failedUsers; }
    bool failedUsersMore() const { return m_failedUsersMore; }
    /// Password changes waiting in every agent's outbox.
    int outboxBacklog() const;

    /// The history database of the open profile ("" before open).
    QString historyPath() const { return m_historyPath; }
    /// AppDataLocation/history-<hash of the profile's absolute path>.db.
    static QString historyPathFor(const QString &profilePath);

    /// Polling period while an agent answers (default 1 s); tests shorten it.
    void setPollInterval(int ms);

    /// Forces a rebind of one binding, on the agent that holds it.
    void rebind(const QString &bindingId);
    /// Forces a rebind of every binding the server holds or is the target of.
    void rebindServer(const QString &server);
    /// Asks every agent to rebind its stale bindings.
    void rebindAllStale();
    /// Starts a resync job on the primary cache; jobUpdated follows until it ends.
    void resync(ResyncScope scope, const QStringList &users = {});
    /// Asks the primary cache to cancel a running resync job.
    void cancelJob(const QString &jobId);
    /// Recycles a server of the demo domain (kill -9 and start), off the GUI thread.
    void recycle(const QString &server);
    /// Polls every agent now.
    void refresh();

    /// GET /v1/users on the primary cache; `done` runs on the GUI thread unless `context` died.
    void requestUsers(const UsersQuery &query, QObject *context,
                      std::function<void(const Result<UsersPage> &)> done);
    /// GET /v1/outbox?user= on every reachable agent, merged; `done` as above.
    void requestOutbox(const QString &user, QObject *context,
                       std::function<void(const Result<std::vector<OutboxEntry>> &)> done);
    /// One admin API call to the named agent; `done` runs on the GUI thread unless `context`
    /// died. A non-2xx answer becomes an Error with the API's code and message.
    void call(const QString &agent, const QString &method, const QString &target,
              const QString &body, QObject *context, JsonCallback done);

Q_SIGNALS:
    /// An agent's reachability or status changed (its uptime moving on is not a change:
    /// AgentState::uptimeNow extrapolates it).
    void agentsChanged();
    /// The set or the state of bindings changed.
    void bindingsChanged();
    /// A server came back with a new instance id (it was recycled).
    void instanceChanged(const QString &server);
    /// Overall reachability changed.
    void connectionChanged(hostsec::ui::Session::Connection connection);
    /// The history database exists at `path` (emitted once per open()).
    void historyOpened(const QString &path);
    /// Events were appended to the history database.
    void historyGrew(int appended);
    /// Status bar numbers changed (stale, failed, failed users, backlog).
    void statsChanged();
    /// An action ended: its outcome in words, for the status bar.
    void actionFinished(bool ok, const QString &message);
    /// A resync job progressed or ended.
    void jobUpdated(const hostsec::ui::JobState &job);
    /// A demo recycle ended.
    void recycleFinished(const QString &server, bool ok, const QString &message);

private:
    struct Io;
    struct StatusInfo;

    void onStatus(int generation, const QString &agent, const StatusInfo &status);
    void onBindings(int generation, const QString &agent, std::vector<Binding> bindings);
    void onBinding(int generation, const QString &agent, const Binding &binding);
    void onUnreachable(int generation, const QString &agent, const QString &error);
    void onHistoryOpened(int generation, const QString &path, const QString &error);
    void onHistoryGrew(int generation, int appended);
    void rebuildBindings();
    void notifyLater();
    void notifyNow();
    void updateConnection();
    void pollFailedUsers();
    void followJob(const QString &agent, const QString &jobId);
    void postRebind(const QString &agent, const QString &body, const QString &what);
    AgentState *agentState(const QString &name);

    client::Profile m_profile;
    QString m_identity;
    QString m_role;
    QString m_historyPath;
    Domain m_domain;
    QList<AgentState> m_agents;
    QHash<QString, int> m_agentIndex;                           // name -> index in m_agents
    std::map<QString, std::vector<Binding>> m_reportedBindings; // per reporting agent
    int m_bindingReports = 0; // agents of m_reportedBindings merged into m_domain
    Connection m_connection = Connection::Idle;
    int m_failedUsers = -1;
    bool m_failedUsersMore = false;
    int m_pollIntervalMs = 1000;
    int m_generation = 0;
    QTimer m_usersTimer;
    QTimer m_notifyTimer;         // the next agentsChanged / bindingsChanged / statsChanged
    QElapsedTimer m_lastNotify;   // when they were last emitted
    bool m_agentsDirty = false;   // an agent's state changed since
    bool m_bindingsDirty = false; // an agent's bindings changed since
    bool m_statsDirty = false;    // a status bar number may have changed since
    std::unique_ptr<TaskThread> m_blocking; // demo recycles
    std::unique_ptr<Io> m_io;               // last: its thread stops first
};

/// Short hex form of an id for tables: the first 8 characters.
QString shortId(const std::string &id);
/// Whether two reports of a binding show the same (every field the console shows or keeps).
bool sameBinding(const Binding &a, const Binding &b);

} // namespace hostsec::ui

Q_DECLARE_METATYPE(hostsec::ui::JobState)
