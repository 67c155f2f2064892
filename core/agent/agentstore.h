#pragma once

// The agent's durable state in agent.db (synchronous=FULL: a change is acknowledged only once
// it is on disk): user mappings with the encrypted host credential, the outbox of changes
// waiting for a peer, and the receipts that make delivery idempotent.
// Functions throw store::StoreError; the Agent catches it at the top of each request.

#include "model/domain.h"
#include "store/database.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hostsec {

/// What an outbox entry carries to its target.
enum class ChangeKind
{
    DomainChange, // a domain-side password change, on its way to the host
    HostChange,   // a host-initiated change, on its way to the primary cache
    Replicate,    // a cache entry, from the primary to a backup
    DomainUpdate, // a host-initiated change, from the primary to the domain side
    Result        // the host's verdict on a domain change, back to where it started
};
std::string_view toString(ChangeKind kind);
std::optional<ChangeKind> changeKindFromString(std::string_view text);

/// One pending change in the outbox.
struct OutboxEntry
{
    std::int64_t seq = 0;
    std::string changeId; // "DC1-7": the origin server and its sequence, kept across hops
    ChangeKind kind = ChangeKind::DomainChange;
    std::string account;            // domain account
    std::string hostAccount;        // host account
    std::string target;             // peer server name
    std::string origin;             // server where the change started (for Result)
    std::string secret;             // the new password, encrypted under this agent's key (or empty)
    std::uint32_t resultStatus = 0; // for Result: the host's status
    std::string resultMessage;
    Millis created = 0;
    int attempts = 0;
    Millis lastAttempt = 0;
    std::uint32_t lastStatus = 0;
    std::string lastMessage;
};

/// A user mapping with what this agent keeps about it.
struct UserRecord
{
    UserMapping mapping;
    std::string credential;   // encrypted host password (caches), or empty
    std::string passwordHash; // salted hash of the domain password (domain controller)
    std::int64_t revision = 0;
};

/// A remembered answer to a delivered change.
struct Receipt
{
    std::uint32_t status = 0;
    std::string message;
};

/// A credential or outbox password as stored, encrypted, with what identifies its row.
struct SealedSecret
{
    enum class Where
    {
        User,  // users.credential of `account`
        Outbox // outbox.secret of `seq`
    };
    Where where = Where::User;
    std::string account;  // the domain account (outbox: of the change, may be empty)
    std::int64_t seq = 0; // outbox seq
    std::string changeId; // outbox change id
    std::string blob;
};

/// An event a change raised, in the journal until it is in the event log.
struct JournaledEvent
{
    std::int64_t seq = 0;
    Millis time = 0;
    int id = 0;
    std::vector<std::string> params;
};

class AgentStore
{
public:
    static Result<std::unique_ptr<AgentStore>> open(const std::string &path);

    store::Database &db() { return m_db; }

    /// The user `domainAccount` names (ASCII case ignored). Answers from an in-memory copy of
    /// the rows read before (the SSO look-up path), which every write through this store
    /// invalidates; rows are copied in only outside transactions, so a rolled-back write is
    /// never remembered. This connection must be the only writer of the users table.
    std::optional<UserRecord> user(const std::string &domainAccount);
    std::optional<UserRecord> userByHostAccount(const std::string &hostAccount);
    /// A keyset page of users ordered by domain account.
    std::vector<UserMapping> users(std::optional<SyncState> state, const std::string &text,
                                   const std::string &after, int limit);
    std::vector<std::string> accounts(std::optional<SyncState> state);
    void putUser(const UserRecord &user);
    std::int64_t userCount(std::optional<SyncState> state);

    /// Appends to the outbox and assigns seq.
    void enqueue(OutboxEntry &entry);
    std::optional<OutboxEntry> nextFor(const std::string &target);
    std::vector<OutboxEntry> pending(const std::string &account = {});
    void remove(std::int64_t seq);
    void recordAttempt(std::int64_t seq, Millis time, std::uint32_t status,
                       const std::string &message);
    std::int64_t depth();
    /// Every target with pending entries: name, depth, oldest created time.
    struct TargetBacklog
    {
        std::string target;
        std::int64_t depth;
        Millis oldest;
    };
    std::vector<TargetBacklog> backlog();

    /// Every encrypted secret this store holds: users' credentials and outbox passwords.
    std::vector<SealedSecret> sealedSecrets();
    /// Replaces one secret's blob (key rotation); call inside a transaction.
    void reseal(const SealedSecret &secret, const std::string &blob);

    std::optional<Receipt> receipt(const std::string &origin, std::int64_t originSeq);
    void storeReceipt(const std::string &origin, std::int64_t originSeq, const Receipt &receipt);

    /// The journal of events to raise: a change's events are written here in the change's
    /// transaction, raised after its commit, and forgotten once they are in the event log. What
    /// the journal still holds at a start is raised then, unless the log has it already
    /// (Agent::recoverJournaledEvents). Call journalEvent inside the change's transaction.
    std::int64_t journalEvent(Millis time, int id, const std::vector<std::string> &params);
    std::vector<JournaledEvent> journaledEvents();
    /// Removes the journal's entries numbered `seqs` (the events now in the event log).
    void forgetJournaledEvents(const std::vector<std::int64_t> &seqs);
    /// Removes the entries of change `changeId` (their first param): a change never made
    /// raises nothing. The journal is small (the last change's events, and a crash's).
    void forgetJournaledEventsOf(const std::string &changeId);

    /// Next number for this agent's change ids; durable.
    std::int64_t nextChangeNumber();
    /// A random id made when the database was created. Receivers key their receipts on
    /// (server:storeId, outbox seq), so a sender whose database was replaced cannot collide
    /// with its own past. Outbox seqs are AUTOINCREMENT: never reused.
    std::string storeId();

private:
    explicit AgentStore(store::Database db);
    /// The statement in `slot`, compiled on first use and kept for the next.
    store::Statement &kept(std::optional<store::Statement> &slot, std::string_view sql,
                           std::string_view purpose);

    store::Database m_db;
    std::string m_storeId;
    // Kept compiled for the hot look-ups; declared after m_db, so finalized before it closes.
    std::optional<store::Statement> m_userByAccount;
    std::optional<store::Statement> m_userByHostAccount;
    std::optional<store::Statement> m_journal;
    std::optional<store::Statement> m_forgetJournal;
    // user()'s read cache, keyed by the ASCII-lower-cased account (the NOCASE of the look-up).
    // Bounded: emptied when it reaches kUserCacheLimit rows. Holds what the database holds
    // (credentials stay encrypted).
    std::unordered_map<std::string, UserRecord> m_userCache;
    void forgetUser(const std::string &domainAccount);
};

} // namespace hostsec
