#pragma once

#include "model/time.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace hostsec {

/// One account on the simulated host, as listed for operators: never its password.
struct HostAccount
{
    std::string userId;                // upper case, 1-8 characters
    std::int64_t passwordRevision = 0; // 1 for the initial password, +1 per applied change
    std::string lastChangeOrigin;      // who set the current password ("create" at creation)
    Millis lastChangedAt = 0;          // when the current password was set
};

/// The built-in simulated mainframe: host accounts under RACF-like password rules, kept in
/// SQLite so they survive a restart of the agent.
///
/// Passwords are stored only as salted PBKDF2-HMAC-SHA256 hashes, and no message this class
/// produces ever contains password text. Error codes: rpc::PasswordRestriction for a password
/// the rules refuse, rpc::NoSuchUser, rpc::LogonFailure, rpc::InvalidParameter for a malformed
/// user id or argument; a storage failure has code 0 and names the SQLite error and the step.
/// Thread-safe: every call holds the object's mutex. Tables are prefixed `simhost_`, so the
/// database file may be shared with the agent's other tables.
class SimulatedHost
{
public:
    static constexpr std::size_t MaxUserIdLength = 8;
    static constexpr std::size_t MaxPasswordLength = 8;
    static constexpr std::size_t MinPassphraseLength = 14;
    static constexpr std::size_t MaxPassphraseLength = 100;
    /// How many passwords, the current one included, a new password may not repeat.
    static constexpr int PasswordHistoryDepth = 8;
    /// PBKDF2 rounds for new hashes; each stored hash keeps its own count, so this may grow.
    static constexpr int PasswordHashIterations = 1000;

    /// Opens (creating if needed) the host database at dbPath: WAL, busy_timeout 5000 ms,
    /// synchronous=FULL.
    static Result<std::unique_ptr<SimulatedHost>> open(const std::string &dbPath);

    ~SimulatedHost();
    SimulatedHost(const SimulatedHost &) = delete;
    SimulatedHost &operator=(const SimulatedHost &) = delete;

    /// Checks a user id: 1-8 characters of A-Z 0-9 @ # $ after upper-casing.
    static Status validateUserId(std::string_view userId);

    /// Checks a new password for userId against the character and length rules (not the
    /// history): 1-8 characters of A-Z 0-9 @ # $ (case-insensitive), or a passphrase of
    /// 14-100 printable ASCII characters (case-sensitive) that does not contain the user id.
    static Status validatePassword(std::string_view userId, std::string_view password);

    /// The user id as the host keeps it: ASCII letters upper-cased, nothing else changed.
    static std::string normalizeUserId(std::string_view userId);

    /// Creates an account with its initial password (revision 1); fails if it exists.
    Status createAccount(std::string_view userId, std::string_view initialPassword);

    /// Whether the account exists; false for a malformed user id.
    Result<bool> hasAccount(std::string_view userId);

    /// Sets a new password if the rules and the history allow it, recording who asked.
    Status changePassword(std::string_view userId, std::string_view newPassword,
                          const std::string &origin);

    /// changePassword deduplicated by (origin, originSeq): true if applied now, false if that
    /// change was applied before; a refusal is remembered and given again on redelivery.
    Result<bool> applyChange(std::string_view userId, std::string_view newPassword,
                             const std::string &origin, std::int64_t originSeq);

    /// Whether applyChange applied change (origin, originSeq): false when the host refused it
    /// or never saw it.
    Result<bool> changeApplied(const std::string &origin, std::int64_t originSeq);

    /// When applyChange applied change (origin, originSeq), by the host's clock; nothing when
    /// the host refused it or never saw it.
    Result<std::optional<Millis>> appliedAt(const std::string &origin, std::int64_t originSeq);

    /// Checks a logon: ok, rpc::NoSuchUser, rpc::LogonFailure for a wrong password, or
    /// rpc::InvalidParameter for a malformed user id.
    Status verifyLogon(std::string_view userId, std::string_view password);

    /// The account's password revision (1 after creation, +1 per applied change).
    Result<std::int64_t> passwordRevision(std::string_view userId);

    /// Every account, ordered by user id (the simulated host holds few).
    Result<std::vector<HostAccount>> listAccounts();

    /// The database file this host lives in.
    const std::string &path() const { return m_path; }

private:
    SimulatedHost(sqlite3 *db, std::string path);

    Error storageError(std::string_view doing) const;
    Status exec(const char *sql, std::string_view doing);
    Result<std::int64_t> applyPasswordLocked(const std::string &userId,
                                             std::string_view newPassword,
                                             const std::string &origin);

    sqlite3 *m_db = nullptr;
    std::string m_path;
    std::mutex m_mutex;
};

} // namespace hostsec
