#include "agent/agentstore.h"

#include "events/eventstore.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace hostsec {

using store::Database;
using store::Statement;

namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"domain-change", "host-change", "replicate",
                                                        "domain-update", "result"};

const std::vector<store::Migration> &migrations()
{
    static const std::vector<store::Migration> all = {
        {1, "users, outbox and receipts",
         [](Database &db) {
             db.exec(R"(
                CREATE TABLE users(
                    domain_account TEXT PRIMARY KEY,
                    host_account TEXT NOT NULL,
                    host_domain TEXT NOT NULL,
                    credential BLOB,
                    password_hash BLOB,
                    revision INTEGER NOT NULL DEFAULT 0,
                    sync_state INTEGER NOT NULL DEFAULT 0,
                    last_change INTEGER NOT NULL DEFAULT 0,
                    last_status INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX users_by_host_account ON users(host_account);
                CREATE INDEX users_by_state ON users(sync_state, domain_account);
                CREATE TABLE outbox(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    change_id TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    account TEXT NOT NULL,
                    host_account TEXT NOT NULL,
                    target TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    secret BLOB,
                    result_status INTEGER NOT NULL DEFAULT 0,
                    result_message TEXT NOT NULL DEFAULT '',
                    created INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_attempt INTEGER NOT NULL DEFAULT 0,
                    last_status INTEGER NOT NULL DEFAULT 0,
                    last_message TEXT NOT NULL DEFAULT '');
                CREATE INDEX outbox_by_target ON outbox(target, seq);
                CREATE INDEX outbox_by_account ON outbox(account, seq);
                CREATE TABLE receipts(
                    origin TEXT NOT NULL,
                    origin_seq INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    message TEXT NOT NULL,
                    PRIMARY KEY(origin, origin_seq)) WITHOUT ROWID;
                CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta(key, value) VALUES ('store_id', lower(hex(randomblob(8))));
             )",
                     "creating the agent tables");
         }},
        // Accounts are looked up case-insensitively (CONTOSO\User1 is CONTOSO\user1), which
        // the primary key's BINARY index cannot serve: every SSO look-up scanned the table.
        {2, "a case-insensitive index on domain accounts",
         [](Database &db) {
             db.exec("CREATE INDEX users_by_account_nocase ON users(domain_account COLLATE NOCASE)",
                     "indexing domain accounts");
         }},
        // The events a change raises, written in the change's transaction: an agent killed
        // after the commit and before its event log has them writes them at its next start.
        {3, "the journal of events to raise", [](Database &db) {
             db.exec(R"(
                CREATE TABLE pending_events(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: Agent keeps a mark
                    time INTEGER NOT NULL,
                    event_id INTEGER NOT NULL,
                    params TEXT NOT NULL,
                    param_count INTEGER NOT NULL);
             )",
                     "creating the journal of events to raise");
         }}};
    return all;
}

constexpr const char *kUserColumns =
    "domain_account, host_account, host_domain, credential, password_hash, revision, sync_state, "
    "last_change, last_status";

UserRecord readUser(const Statement &s)
{
    UserRecord u;
    u.mapping.domainAccount = s.columnText(0);
    u.mapping.hostAccount = s.columnText(1);
    u.mapping.hostDomain = s.columnText(2);
    u.credential = s.columnBlob(3);
    u.passwordHash = s.columnBlob(4);
    u.revision = s.columnInt(5);
    u.mapping.syncState = static_cast<SyncState>(s.columnInt(6));
    u.mapping.lastChange = s.columnInt(7);
    u.mapping.lastStatus = static_cast<std::uint32_t>(s.columnInt(8));
    return u;
}

constexpr const char *kOutboxColumns =
    "seq, change_id, kind, account, host_account, target, origin, secret, result_status, "
    "result_message, created, attempts, last_attempt, last_status, last_message";

OutboxEntry readEntry(const Statement &s)
{
    OutboxEntry e;
    e.seq = s.columnInt(0);
    e.changeId = s.columnText(1);
    e.kind = static_cast<ChangeKind>(s.columnInt(2));
    e.account = s.columnText(3);
    e.hostAccount = s.columnText(4);
    e.target = s.columnText(5);
    e.origin = s.columnText(6);
    e.secret = s.columnBlob(7);
    e.resultStatus = static_cast<std::uint32_t>(s.columnInt(8));
    e.resultMessage = s.columnText(9);
    e.created = s.columnInt(10);
    e.attempts = static_cast<int>(s.columnInt(11));
    e.lastAttempt = s.columnInt(12);
    e.lastStatus = static_cast<std::uint32_t>(s.columnInt(13));
    e.lastMessage = s.columnText(14);
    return e;
}

// ASCII only, as SQLite's NOCASE: the key of AgentStore's user cache.
std::string asciiLower(std::string text)
{
    for (char &c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// Rows AgentStore::user keeps in memory at most (a few hundred bytes each).
constexpr std::size_t kUserCacheLimit = 100000;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

std::string_view toString(ChangeKind kind)
{
    const auto i = static_cast<std::size_t>(kind);
    return i < kKindNames.size() ? kKindNames[i] : "unknown";
}

std::optional<ChangeKind> changeKindFromString(std::string_view text)
{
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
        if (kKindNames[i] == text)
            return static_cast<ChangeKind>(i);
    }
    return std::nullopt;
}

AgentStore::AgentStore(Database db)
    : m_db(std::move(db))
{}

Result<std::unique_ptr<AgentStore>> AgentStore::open(const std::string &path)
{
    // FULL: an acknowledged change must survive a power cut, not only a crash.
    auto db = Database::open(path, {.synchronous = "FULL", .secureDelete = true});
    if (!db)
        return Error{db.error().code, "agent store: " + db.error().message};
    try {
        store::migrate(*db, "agent store", migrations());
    } catch (const store::StoreError &e) {
        return Error{e.sqliteCode(), std::string("agent store: ") + e.what()};
    }
    return std::unique_ptr<AgentStore>(new AgentStore(std::move(*db)));
}

namespace {

// Resets a kept statement when its use ends, however it ends: no read transaction stays open
// between calls, and the next use starts from clean bindings.
class ResetOnExit
{
public:
    explicit ResetOnExit(Statement &s)
        : m_s(s)
    {}
    ~ResetOnExit() { m_s.reset(); }
    ResetOnExit(const ResetOnExit &) = delete;
    ResetOnExit &operator=(const ResetOnExit &) = delete;

private:
    Statement &m_s;
};

} // namespace

Statement &AgentStore::kept(std::optional<Statement> &slot, std::string_view sql,
                            std::string_view purpose)
{
    if (!slot)
        slot.emplace(m_db.prepare(sql, purpose));
    return *slot;
}

std::optional<UserRecord> AgentStore::user(const std::string &domainAccount)
{
    // Every SSO look-up comes here. A row read before is answered from memory: a read
    // transaction costs two fcntl lock calls and the B-tree descent, more than the rest of
    // the look-up. Otherwise the statement is compiled once, not per call.
    std::string key = asciiLower(domainAccount);
    if (const auto hit = m_userCache.find(key); hit != m_userCache.end())
        return hit->second;
    static const std::string sql = std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE domain_account = ? COLLATE NOCASE";
    Statement &s = kept(m_userByAccount, sql, "reading a user");
    ResetOnExit done(s);
    s.bind(1, domainAccount);
    if (!s.step())
        return std::nullopt;
    UserRecord record = readUser(s);
    // Inside a transaction the row may be one that is rolled back: not remembered.
    if (sqlite3_get_autocommit(m_db.handle()) != 0) {
        if (m_userCache.size() >= kUserCacheLimit)
            m_userCache.clear();
        m_userCache.emplace(std::move(key), record);
    }
    return record;
}

void AgentStore::forgetUser(const std::string &domainAccount)
{
    m_userCache.erase(asciiLower(domainAccount));
}

std::optional<UserRecord> AgentStore::userByHostAccount(const std::string &hostAccount)
{
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE host_account = ? LIMIT 1";
    Statement &s = kept(m_userByHostAccount, sql, "reading a user by host account");
    ResetOnExit done(s);
    s.bind(1, hostAccount);
    if (!s.step())
        return std::nullopt;
    return readUser(s);
}

std::vector<UserMapping> AgentStore::users(std::optional<SyncState> state, const std::string &text,
                                           const std::string &after, int limit)
{
    std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE domain_account > ?";
    if (state)
        sql += " AND sync_state = ?";
    if (!text.empty())
        sql += " AND (instr(lower(domain_account), ?) > 0 OR instr(lower(host_account), ?) > 0)";
    sql += " ORDER BY domain_account LIMIT ?";
    Statement s = m_db.prepare(sql, "listing users");
    int i = 1;
    s.bind(i++, after);
    if (state)
        s.bind(i++, static_cast<int>(*state));
    if (!text.empty()) {
        s.bind(i++, lower(text));
        s.bind(i++, lower(text));
    }
    s.bind(i, limit);
    std::vector<UserMapping> out;
    while (s.step())
        out.push_back(readUser(s).mapping);
    return out;
}

std::vector<std::string> AgentStore::accounts(std::optional<SyncState> state)
{
    Statement s = m_db.prepare(state ? "SELECT domain_account FROM users WHERE sync_state = ? "
                                       "ORDER BY domain_account"
                                     : "SELECT domain_account FROM users ORDER BY domain_account",
                               "listing accounts");
    if (state)
        s.bind(1, static_cast<int>(*state));
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.columnText(0));
    return out;
}

void AgentStore::putUser(const UserRecord &u)
{
    forgetUser(u.mapping.domainAccount);
    Statement s = m_db.prepare(
        "INSERT INTO users(domain_account, host_account, host_domain, credential, password_hash, "
        "revision, sync_state, last_change, last_status) VALUES (?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(domain_account) DO UPDATE SET host_account=excluded.host_account, "
        "host_domain=excluded.host_domain, credential=excluded.credential, "
        "password_hash=excluded.password_hash, revision=excluded.revision, "
        "sync_state=excluded.sync_state, last_change=excluded.last_change, "
        "last_status=excluded.last_status",
        "storing a user");
    s.bind(1, u.mapping.domainAccount)
        .bind(2, u.mapping.hostAccount)
        .bind(3, u.mapping.hostDomain)
        .bindBlob(4, u.credential)
        .bindBlob(5, u.passwordHash)
        .bind(6, u.revision)
        .bind(7, static_cast<int>(u.mapping.syncState))
        .bind(8, u.mapping.lastChange)
        .bind(9, static_cast<std::int64_t>(u.mapping.lastStatus));
    s.run();
}

std::int64_t AgentStore::userCount(std::optional<SyncState> state)
{
    Statement s = m_db.prepare(state ? "SELECT count(*) FROM users WHERE sync_state = ?"
                                     : "SELECT count(*) FROM users",
                               "counting users");
    if (state)
        s.bind(1, static_cast<int>(*state));
    s.step();
    return s.columnInt(0);
}

void AgentStore::enqueue(OutboxEntry &e)
{
    Statement s = m_db.prepare(
        "INSERT INTO outbox(change_id, kind, account, host_account, target, origin, secret, "
        "result_status, result_message, created) VALUES (?,?,?,?,?,?,?,?,?,?)",
        "queueing a change");
    s.bind(1, e.changeId)
        .bind(2, static_cast<int>(e.kind))
        .bind(3, e.account)
        .bind(4, e.hostAccount)
        .bind(5, e.target)
        .bind(6, e.origin)
        .bindBlob(7, e.secret)
        .bind(8, static_cast<std::int64_t>(e.resultStatus))
        .bind(9, e.resultMessage)
        .bind(10, e.created);
    s.run();
    e.seq = m_db.lastInsertRowId();
}

std::optional<OutboxEntry> AgentStore::nextFor(const std::string &target)
{
    Statement s = m_db.prepare(std::string("SELECT ") + kOutboxColumns +
                                   " FROM outbox WHERE target = ? ORDER BY seq LIMIT 1",
                               "reading the outbox");
    s.bind(1, target);
    if (!s.step())
        return std::nullopt;
    return readEntry(s);
}

std::vector<OutboxEntry> AgentStore::pending(const std::string &account)
{
    Statement s = m_db.prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox" +
                                   (account.empty() ? "" : " WHERE account = ? COLLATE NOCASE") +
                                   " ORDER BY seq LIMIT 10000",
                               "listing the outbox");
    if (!account.empty())
        s.bind(1, account);
    std::vector<OutboxEntry> out;
    while (s.step())
        out.push_back(readEntry(s));
    return out;
}

void AgentStore::remove(std::int64_t seq)
{
    Statement s = m_db.prepare("DELETE FROM outbox WHERE seq = ?", "removing a delivered change");
    s.bind(1, seq);
    s.run();
}

void AgentStore::recordAttempt(std::int64_t seq, Millis time, std::uint32_t status,
                               const std::string &message)
{
    Statement s = m_db.prepare("UPDATE outbox SET attempts = attempts + 1, last_attempt = ?, "
                               "last_status = ?, last_message = ? WHERE seq = ?",
                               "recording a delivery attempt");
    s.bind(1, time).bind(2, static_cast<std::int64_t>(status)).bind(3, message).bind(4, seq);
    s.run();
}

std::int64_t AgentStore::depth()
{
    Statement s = m_db.prepare("SELECT count(*) FROM outbox", "counting the outbox");
    s.step();
    return s.columnInt(0);
}

std::vector<AgentStore::TargetBacklog> AgentStore::backlog()
{
    Statement s = m_db.prepare(
        "SELECT target, count(*), min(created) FROM outbox GROUP BY target ORDER BY target",
        "summing up the outbox");
    std::vector<TargetBacklog> out;
    while (s.step())
        out.push_back({s.columnText(0), s.columnInt(1), s.columnInt(2)});
    return out;
}

std::vector<SealedSecret> AgentStore::sealedSecrets()
{
    std::vector<SealedSecret> out;
    Statement users = m_db.prepare("SELECT domain_account, credential FROM users "
                                   "WHERE length(credential) > 0 ORDER BY domain_account",
                                   "listing encrypted credentials");
    while (users.step()) {
        SealedSecret s;
        s.where = SealedSecret::Where::User;
        s.account = users.columnText(0);
        s.blob = users.columnBlob(1);
        out.push_back(std::move(s));
    }
    Statement outbox = m_db.prepare("SELECT seq, change_id, account, secret FROM outbox "
                                    "WHERE length(secret) > 0 ORDER BY seq",
                                    "listing encrypted outbox passwords");
    while (outbox.step()) {
        SealedSecret s;
        s.where = SealedSecret::Where::Outbox;
        s.seq = outbox.columnInt(0);
        s.changeId = outbox.columnText(1);
        s.account = outbox.columnText(2);
        s.blob = outbox.columnBlob(3);
        out.push_back(std::move(s));
    }
    return out;
}

void AgentStore::reseal(const SealedSecret &secret, const std::string &blob)
{
    const bool user = secret.where == SealedSecret::Where::User;
    Statement s = m_db.prepare(user ? "UPDATE users SET credential = ? WHERE domain_account = ?"
                                    : "UPDATE outbox SET secret = ? WHERE seq = ?",
                               "re-encrypting a secret");
    s.bindBlob(1, blob);
    if (user) {
        forgetUser(secret.account);
        s.bind(2, secret.account);
    } else {
        s.bind(2, secret.seq);
    }
    s.run();
}

std::optional<Receipt> AgentStore::receipt(const std::string &origin, std::int64_t originSeq)
{
    Statement s =
        m_db.prepare("SELECT status, message FROM receipts WHERE origin = ? AND origin_seq = ?",
                     "looking up a receipt");
    s.bind(1, origin).bind(2, originSeq);
    if (!s.step())
        return std::nullopt;
    return Receipt{static_cast<std::uint32_t>(s.columnInt(0)), s.columnText(1)};
}

void AgentStore::storeReceipt(const std::string &origin, std::int64_t originSeq, const Receipt &r)
{
    Statement s = m_db.prepare(
        "INSERT OR REPLACE INTO receipts(origin, origin_seq, status, message) VALUES (?,?,?,?)",
        "storing a receipt");
    s.bind(1, origin)
        .bind(2, originSeq)
        .bind(3, static_cast<std::int64_t>(r.status))
        .bind(4, r.message);
    s.run();
}

std::string AgentStore::storeId()
{
    if (m_storeId.empty()) {
        Statement s =
            m_db.prepare("SELECT value FROM meta WHERE key = 'store_id'", "reading the store id");
        if (s.step())
            m_storeId = s.columnText(0);
    }
    return m_storeId;
}

std::int64_t AgentStore::nextChangeNumber()
{
    m_db.exec("INSERT INTO counters(name, value) VALUES ('change', 1) "
              "ON CONFLICT(name) DO UPDATE SET value = value + 1",
              "numbering a change");
    Statement s =
        m_db.prepare("SELECT value FROM counters WHERE name = 'change'", "numbering a change");
    s.step();
    return s.columnInt(0);
}

std::int64_t AgentStore::journalEvent(Millis time, int id, const std::vector<std::string> &params)
{
    Statement &s = kept(m_journal,
                        "INSERT INTO pending_events(time, event_id, params, param_count) "
                        "VALUES (?, ?, ?, ?)",
                        "journaling an event");
    s.bind(1, time)
        .bind(2, id)
        .bind(3, joinEventParams(params))
        .bind(4, static_cast<std::int64_t>(params.size()));
    s.run();
    return m_db.lastInsertRowId();
}

std::vector<JournaledEvent> AgentStore::journaledEvents()
{
    Statement s = m_db.prepare(
        "SELECT seq, time, event_id, params, param_count FROM pending_events ORDER BY seq",
        "reading the journal of events to raise");
    std::vector<JournaledEvent> out;
    while (s.step()) {
        JournaledEvent e;
        e.seq = s.columnInt(0);
        e.time = s.columnInt(1);
        e.id = static_cast<int>(s.columnInt(2));
        e.params = splitEventParams(s.columnText(3), s.columnInt(4) == 0);
        out.push_back(std::move(e));
    }
    return out;
}

void AgentStore::forgetJournaledEvents(const std::vector<std::int64_t> &seqs)
{
    Statement &s = kept(m_forgetJournal, "DELETE FROM pending_events WHERE seq = ?",
                        "forgetting raised events");
    for (const std::int64_t seq : seqs)
        s.bind(1, seq).run();
}

void AgentStore::forgetJournaledEventsOf(const std::string &changeId)
{
    Statement forget = m_db.prepare("DELETE FROM pending_events WHERE seq = ?",
                                    "forgetting a dropped change's events");
    for (const JournaledEvent &e : journaledEvents()) {
        if (!e.params.empty() && e.params.front() == changeId)
            forget.bind(1, e.seq).run();
    }
}

} // namespace hostsec
