#include "agent/simulatedhost.h"

#include "model/rpcstatus.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdio>

namespace hostsec {

namespace {

constexpr std::size_t SaltSize = 16;
constexpr std::size_t HashSize = 32;
// An iteration count read back from the database is trusted only within these bounds, so a
// damaged row cannot stall a logon for minutes.
constexpr std::int64_t MaxStoredIterations = 10'000'000;

constexpr const char *Schema = R"sql(
CREATE TABLE IF NOT EXISTS simhost_account (
    user_id TEXT PRIMARY KEY NOT NULL,
    password_revision INTEGER NOT NULL,
    last_change_origin TEXT NOT NULL,
    last_changed_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS simhost_password (
    user_id TEXT NOT NULL REFERENCES simhost_account (user_id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    iterations INTEGER NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (user_id, revision)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS simhost_change (
    origin TEXT NOT NULL,
    origin_seq INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    result_code INTEGER NOT NULL,
    result_message TEXT NOT NULL,
    password_revision INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (origin, origin_seq)
) STRICT, WITHOUT ROWID;
)sql";

int errorCode(std::uint32_t status)
{
    return static_cast<int>(status);
}

Millis now()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

char toUpperAscii(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool isHostChar(char c)
{
    c = toUpperAscii(c);
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '#' || c == '$';
}

bool isPrintableAscii(char c)
{
    return c >= 0x20 && c <= 0x7E;
}

// User input shown in a message: anything not printable ASCII becomes \xNN.
std::string printable(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (isPrintableAscii(c)) {
            out += c;
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
            out += buf;
        }
    }
    return out;
}

std::string upper(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        c = toUpperAscii(c);
    return out;
}

// A copy of a password that is wiped when it goes out of scope.
class SecretText
{
public:
    explicit SecretText(std::string text)
        : m_text(std::move(text))
    {}
    ~SecretText() { OPENSSL_cleanse(m_text.data(), m_text.size()); }
    SecretText(const SecretText &) = delete;
    SecretText &operator=(const SecretText &) = delete;
    const std::string &text() const { return m_text; }

private:
    std::string m_text;
};

// The form a password is hashed in: a short password is case-insensitive, so upper-cased;
// a passphrase is case-sensitive, so kept as it is.
SecretText hashInput(std::string_view password)
{
    return SecretText(password.size() <= SimulatedHost::MaxPasswordLength ? upper(password)
                                                                          : std::string(password));
}

std::string opensslError()
{
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0)
        return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

using Hash = std::array<unsigned char, HashSize>;

Result<Hash> pbkdf2(const SecretText &input, std::string_view salt, int iterations)
{
    Hash out{};
    if (PKCS5_PBKDF2_HMAC(input.text().c_str(), static_cast<int>(input.text().size()),
                          reinterpret_cast<const unsigned char *>(salt.data()),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1) {
        return Error{0, "cannot hash a password (PBKDF2-HMAC-SHA256): " + opensslError()};
    }
    return out;
}

// A prepared statement that finalizes itself; failures are read from the connection.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
    {
        m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_rc == SQLITE_OK; }
    bool bind(int index, std::string_view text)
    {
        // A null pointer would bind SQL NULL, not an empty string.
        return sqlite3_bind_text(m_stmt, index, text.empty() ? "" : text.data(),
                                 static_cast<int>(text.size()), SQLITE_TRANSIENT) == SQLITE_OK;
    }
    bool bind(int index, std::int64_t value)
    {
        return sqlite3_bind_int64(m_stmt, index, value) == SQLITE_OK;
    }
    bool bindBlob(int index, const void *data, std::size_t size)
    {
        return sqlite3_bind_blob(m_stmt, index, data, static_cast<int>(size), SQLITE_TRANSIENT) ==
               SQLITE_OK;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
    std::string text(int column) const
    {
        const auto *p = sqlite3_column_text(m_stmt, column);
        const int n = sqlite3_column_bytes(m_stmt, column);
        return p ? std::string(reinterpret_cast<const char *>(p), static_cast<std::size_t>(n))
                 : std::string();
    }
    std::string blob(int column) const
    {
        const void *p = sqlite3_column_blob(m_stmt, column);
        const int n = sqlite3_column_bytes(m_stmt, column);
        return p ? std::string(static_cast<const char *>(p), static_cast<std::size_t>(n))
                 : std::string();
    }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_ERROR;
};

// BEGIN IMMEDIATE, so a read-then-write never fails half way on a lock; rolls back unless
// committed.
class Transaction
{
public:
    explicit Transaction(sqlite3 *db)
        : m_db(db)
    {}
    ~Transaction()
    {
        if (m_open)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    bool begin()
    {
        m_open = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
        return m_open;
    }
    bool commit()
    {
        if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
            return false;
        m_open = false;
        return true;
    }

private:
    sqlite3 *m_db;
    bool m_open = false;
};

// One stored password: PBKDF2 parameters and result.
struct StoredHash
{
    std::int64_t iterations = 0;
    std::string salt;
    std::string hash;
};

Error noSuchUser(const std::string &userId)
{
    return Error{errorCode(rpc::NoSuchUser),
                 "no host account " + printable(userId) +
                     " on the simulated host: create it first, or check the user mapping"};
}

} // namespace

SimulatedHost::SimulatedHost(sqlite3 *db, std::string path)
    : m_db(db)
    , m_path(std::move(path))
{}

SimulatedHost::~SimulatedHost()
{
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<SimulatedHost>> SimulatedHost::open(const std::string &dbPath)
{
    sqlite3 *db = nullptr;
    const int rc =
        sqlite3_open_v2(dbPath.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "simulated host: cannot open database " + dbPath + ": " +
                              (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                              " (check that the directory exists and is writable)";
        sqlite3_close_v2(db);
        return Error{0, std::move(message)};
    }
    // From here the object owns the connection and closes it on every path.
    std::unique_ptr<SimulatedHost> host(new SimulatedHost(db, dbPath));
    sqlite3_extended_result_codes(db, 1);
    if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK)
        return host->storageError("set the busy timeout");

    {
        Statement wal(db, "PRAGMA journal_mode=WAL");
        if (!wal.prepared() || wal.step() != SQLITE_ROW)
            return host->storageError("switch to WAL journal mode");
        const std::string mode = wal.text(0);
        if (mode != "wal" && mode != "memory") {
            return Error{0, "simulated host database " + dbPath +
                                ": cannot switch to WAL journal mode (SQLite kept '" + mode +
                                "'): put the database on a local file system"};
        }
    }
    if (auto s = host->exec("PRAGMA synchronous=FULL", "set synchronous=FULL"); !s)
        return s.error();
    if (auto s = host->exec("PRAGMA foreign_keys=ON", "enable foreign keys"); !s)
        return s.error();

    Transaction tx(db);
    if (!tx.begin())
        return host->storageError("begin creating the schema");
    if (auto s = host->exec(Schema, "create the simulated host tables"); !s)
        return s.error();
    if (!tx.commit())
        return host->storageError("commit the schema");
    return host;
}

Error SimulatedHost::storageError(std::string_view doing) const
{
    return Error{0, "simulated host database " + m_path + ": cannot " + std::string(doing) + ": " +
                        sqlite3_errmsg(m_db) + " (SQLite code " +
                        std::to_string(sqlite3_extended_errcode(m_db)) + ")"};
}

Status SimulatedHost::exec(const char *sql, std::string_view doing)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return storageError(doing);
    return {};
}

std::string SimulatedHost::normalizeUserId(std::string_view userId)
{
    return upper(userId);
}

Status SimulatedHost::validateUserId(std::string_view userId)
{
    const std::string id = normalizeUserId(userId);
    const int invalid = errorCode(rpc::InvalidParameter);
    if (id.empty())
        return Error{invalid, "host user id is empty: give 1-8 characters of A-Z, 0-9, @, # or $"};
    if (id.size() > MaxUserIdLength) {
        return Error{invalid, "host user id '" + printable(id) + "' is " +
                                  std::to_string(id.size()) +
                                  " characters long: at most 8 are allowed"};
    }
    for (char c : id) {
        if (!isHostChar(c)) {
            return Error{invalid, "host user id '" + printable(id) + "' contains '" +
                                      printable(std::string_view(&c, 1)) +
                                      "', which is not allowed: use only A-Z, 0-9, @, # or $"};
        }
    }
    return {};
}

Status SimulatedHost::validatePassword(std::string_view userId, std::string_view password)
{
    // Every message names the rule and the account, never the password or a character of it.
    const std::string id = normalizeUserId(userId);
    const std::string prefix = id.empty() ? std::string("password rejected: ")
                                          : "password for " + printable(id) + " rejected: ";
    auto reject = [&](const std::string &rule) {
        return Error{errorCode(rpc::PasswordRestriction), prefix + rule};
    };

    if (password.empty()) {
        return reject("it is empty: give 1-8 characters of A-Z, 0-9, @, # or $, or a passphrase "
                      "of 14-100 characters");
    }
    if (password.size() <= MaxPasswordLength) {
        for (char c : password) {
            if (!isHostChar(c)) {
                return reject("it contains a character that is not allowed in a password: use "
                              "only A-Z, 0-9, @, # or $, or a passphrase of 14-100 characters");
            }
        }
        return {};
    }
    if (password.size() < MinPassphraseLength) {
        return reject("it is " + std::to_string(password.size()) +
                      " characters long: a password has 1-8 characters and a passphrase 14-100");
    }
    if (password.size() > MaxPassphraseLength) {
        return reject("it is " + std::to_string(password.size()) +
                      " characters long: a passphrase has at most 100");
    }
    for (char c : password) {
        if (!isPrintableAscii(c)) {
            return reject("the passphrase contains a character that is not printable ASCII "
                          "(allowed: space to '~')");
        }
    }
    if (!id.empty()) {
        const SecretText folded(upper(password));
        if (folded.text().find(id) != std::string::npos)
            return reject("the passphrase contains the user id");
    }
    return {};
}

Status SimulatedHost::createAccount(std::string_view userId, std::string_view initialPassword)
{
    const std::string id = normalizeUserId(userId);
    if (auto s = validateUserId(id); !s)
        return s;
    if (auto s = validatePassword(id, initialPassword); !s)
        return s;

    std::array<unsigned char, SaltSize> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        return Error{0, "cannot create a password salt: " + opensslError()};
    const std::string saltText(reinterpret_cast<const char *>(salt.data()), salt.size());
    auto hash = pbkdf2(hashInput(initialPassword), saltText, PasswordHashIterations);
    if (!hash)
        return hash.error();

    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begin())
        return storageError("begin creating host account " + id);
    {
        Statement exists(m_db, "SELECT 1 FROM simhost_account WHERE user_id = ?");
        if (!exists.prepared() || !exists.bind(1, id))
            return storageError("look up host account " + id);
        const int rc = exists.step();
        if (rc == SQLITE_ROW) {
            return Error{errorCode(rpc::InvalidParameter),
                         "host account " + id + " already exists: change its password instead"};
        }
        if (rc != SQLITE_DONE)
            return storageError("look up host account " + id);
    }
    const Millis at = now();
    {
        Statement insert(m_db, "INSERT INTO simhost_account (user_id, password_revision, "
                               "last_change_origin, last_changed_at) VALUES (?, 1, 'create', ?)");
        if (!insert.prepared() || !insert.bind(1, id) || !insert.bind(2, std::int64_t{at}) ||
            insert.step() != SQLITE_DONE) {
            return storageError("create host account " + id);
        }
    }
    {
        Statement insert(m_db, "INSERT INTO simhost_password (user_id, revision, iterations, "
                               "salt, hash) VALUES (?, 1, ?, ?, ?)");
        if (!insert.prepared() || !insert.bind(1, id) ||
            !insert.bind(2, std::int64_t{PasswordHashIterations}) ||
            !insert.bindBlob(3, salt.data(), salt.size()) ||
            !insert.bindBlob(4, hash->data(), hash->size()) || insert.step() != SQLITE_DONE) {
            return storageError("store the password hash of host account " + id);
        }
    }
    if (!tx.commit())
        return storageError("commit host account " + id);
    return {};
}

Result<bool> SimulatedHost::hasAccount(std::string_view userId)
{
    const std::string id = normalizeUserId(userId);
    if (!validateUserId(id))
        return false;
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT 1 FROM simhost_account WHERE user_id = ?");
    if (!select.prepared() || !select.bind(1, id))
        return storageError("look up host account " + id);
    const int rc = select.step();
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return storageError("look up host account " + id);
}

Result<std::int64_t> SimulatedHost::applyPasswordLocked(const std::string &userId,
                                                        std::string_view newPassword,
                                                        const std::string &origin)
{
    // Caller holds m_mutex and an open transaction. A refusal by the host has a non-zero
    // code; a storage failure has code 0 (applyChange remembers only the former).
    if (auto s = validateUserId(userId); !s)
        return s.error();
    if (auto s = validatePassword(userId, newPassword); !s)
        return s.error();

    std::int64_t revision = 0;
    {
        Statement select(m_db, "SELECT password_revision FROM simhost_account WHERE user_id = ?");
        if (!select.prepared() || !select.bind(1, userId))
            return storageError("look up host account " + userId);
        const int rc = select.step();
        if (rc == SQLITE_DONE)
            return noSuchUser(userId);
        if (rc != SQLITE_ROW)
            return storageError("look up host account " + userId);
        revision = select.integer(0);
    }

    const SecretText input = hashInput(newPassword);
    {
        Statement history(m_db, "SELECT iterations, salt, hash FROM simhost_password "
                                "WHERE user_id = ? ORDER BY revision DESC LIMIT ?");
        if (!history.prepared() || !history.bind(1, userId) ||
            !history.bind(2, std::int64_t{PasswordHistoryDepth})) {
            return storageError("read the password history of host account " + userId);
        }
        int rc;
        while ((rc = history.step()) == SQLITE_ROW) {
            const std::int64_t iterations = history.integer(0);
            const std::string salt = history.blob(1);
            const std::string stored = history.blob(2);
            if (iterations < 1 || iterations > MaxStoredIterations || stored.size() != HashSize) {
                return Error{0, "simulated host database " + m_path +
                                    ": the password history of host account " + userId +
                                    " is damaged (bad hash record)"};
            }
            auto hash = pbkdf2(input, salt, static_cast<int>(iterations));
            if (!hash)
                return hash.error();
            if (CRYPTO_memcmp(hash->data(), stored.data(), HashSize) == 0) {
                return Error{errorCode(rpc::PasswordRestriction),
                             "password for " + userId + " rejected: reuses one of the last " +
                                 std::to_string(PasswordHistoryDepth) + " passwords"};
            }
        }
        if (rc != SQLITE_DONE)
            return storageError("read the password history of host account " + userId);
    }

    std::array<unsigned char, SaltSize> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        return Error{0, "cannot create a password salt: " + opensslError()};
    auto hash =
        pbkdf2(input, std::string_view(reinterpret_cast<const char *>(salt.data()), salt.size()),
               PasswordHashIterations);
    if (!hash)
        return hash.error();

    const std::int64_t newRevision = revision + 1;
    {
        Statement insert(m_db, "INSERT INTO simhost_password (user_id, revision, iterations, "
                               "salt, hash) VALUES (?, ?, ?, ?, ?)");
        if (!insert.prepared() || !insert.bind(1, userId) || !insert.bind(2, newRevision) ||
            !insert.bind(3, std::int64_t{PasswordHashIterations}) ||
            !insert.bindBlob(4, salt.data(), salt.size()) ||
            !insert.bindBlob(5, hash->data(), hash->size()) || insert.step() != SQLITE_DONE) {
            return storageError("store the new password hash of host account " + userId);
        }
    }
    {
        Statement update(m_db, "UPDATE simhost_account SET password_revision = ?, "
                               "last_change_origin = ?, last_changed_at = ? WHERE user_id = ?");
        if (!update.prepared() || !update.bind(1, newRevision) || !update.bind(2, origin) ||
            !update.bind(3, std::int64_t{now()}) || !update.bind(4, userId) ||
            update.step() != SQLITE_DONE) {
            return storageError("update host account " + userId);
        }
    }
    {
        // Hashes older than the history window are of no use and only a liability.
        Statement prune(m_db, "DELETE FROM simhost_password WHERE user_id = ? AND revision <= ?");
        if (!prune.prepared() || !prune.bind(1, userId) ||
            !prune.bind(2, newRevision - PasswordHistoryDepth) || prune.step() != SQLITE_DONE) {
            return storageError("prune the password history of host account " + userId);
        }
    }
    return newRevision;
}

Status SimulatedHost::changePassword(std::string_view userId, std::string_view newPassword,
                                     const std::string &origin)
{
    if (origin.empty()) {
        return Error{errorCode(rpc::InvalidParameter),
                     "password change has no origin: name who asked for it"};
    }
    const std::string id = normalizeUserId(userId);
    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begin())
        return storageError("begin a password change for host account " + printable(id));
    auto applied = applyPasswordLocked(id, newPassword, origin);
    if (!applied)
        return applied.error();
    if (!tx.commit())
        return storageError("commit the password change for host account " + id);
    return {};
}

Result<bool> SimulatedHost::applyChange(std::string_view userId, std::string_view newPassword,
                                        const std::string &origin, std::int64_t originSeq)
{
    if (origin.empty()) {
        return Error{errorCode(rpc::InvalidParameter),
                     "password change has no origin: name who asked for it"};
    }
    const std::string id = normalizeUserId(userId);
    const std::string change = "change " + printable(origin) + " #" + std::to_string(originSeq);
    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begin())
        return storageError("begin applying " + change);
    {
        Statement seen(m_db, "SELECT user_id, result_code, result_message FROM simhost_change "
                             "WHERE origin = ? AND origin_seq = ?");
        if (!seen.prepared() || !seen.bind(1, origin) || !seen.bind(2, originSeq))
            return storageError("look up " + change);
        const int rc = seen.step();
        if (rc == SQLITE_ROW) {
            const std::string seenUser = seen.text(0);
            if (seenUser != id) {
                return Error{errorCode(rpc::InvalidParameter),
                             change + " was already used for host account " + printable(seenUser) +
                                 ", so it cannot apply to " + printable(id) +
                                 ": the sender reused a sequence number"};
            }
            const std::int64_t code = seen.integer(1);
            if (code == 0)
                return false;
            return Error{static_cast<int>(code), seen.text(2)};
        }
        if (rc != SQLITE_DONE)
            return storageError("look up " + change);
    }

    auto applied = applyPasswordLocked(id, newPassword, origin);
    if (!applied && applied.error().code == 0)
        return applied.error(); // storage failure: roll back, a redelivery tries again
    {
        Statement record(m_db, "INSERT INTO simhost_change (origin, origin_seq, user_id, "
                               "result_code, result_message, password_revision, recorded_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
        const std::int64_t code = applied ? 0 : applied.error().code;
        const std::string message = applied ? std::string() : applied.error().message;
        const std::int64_t revision = applied ? applied.value() : 0;
        if (!record.prepared() || !record.bind(1, origin) || !record.bind(2, originSeq) ||
            !record.bind(3, id) || !record.bind(4, code) || !record.bind(5, message) ||
            !record.bind(6, revision) || !record.bind(7, std::int64_t{now()}) ||
            record.step() != SQLITE_DONE) {
            return storageError("record the outcome of " + change);
        }
    }
    if (!tx.commit())
        return storageError("commit " + change);
    if (!applied)
        return applied.error();
    return true;
}

Result<bool> SimulatedHost::changeApplied(const std::string &origin, std::int64_t originSeq)
{
    auto at = appliedAt(origin, originSeq);
    if (!at)
        return at.error();
    return at->has_value();
}

Result<std::optional<Millis>> SimulatedHost::appliedAt(const std::string &origin,
                                                       std::int64_t originSeq)
{
    const std::string change = "change " + printable(origin) + " #" + std::to_string(originSeq);
    std::lock_guard lock(m_mutex);
    Statement seen(m_db, "SELECT result_code, recorded_at FROM simhost_change "
                         "WHERE origin = ? AND origin_seq = ?");
    if (!seen.prepared() || !seen.bind(1, origin) || !seen.bind(2, originSeq))
        return storageError("look up " + change);
    const int rc = seen.step();
    if (rc == SQLITE_ROW)
        return seen.integer(0) == 0 ? std::optional<Millis>(seen.integer(1)) : std::nullopt;
    if (rc == SQLITE_DONE)
        return std::optional<Millis>();
    return storageError("look up " + change);
}

Status SimulatedHost::verifyLogon(std::string_view userId, std::string_view password)
{
    const std::string id = normalizeUserId(userId);
    if (auto s = validateUserId(id); !s)
        return s;
    StoredHash current;
    {
        std::lock_guard lock(m_mutex);
        Statement select(m_db, "SELECT p.iterations, p.salt, p.hash FROM simhost_account a "
                               "JOIN simhost_password p ON p.user_id = a.user_id "
                               "AND p.revision = a.password_revision WHERE a.user_id = ?");
        if (!select.prepared() || !select.bind(1, id))
            return storageError("look up host account " + id);
        const int rc = select.step();
        if (rc == SQLITE_DONE)
            return noSuchUser(id);
        if (rc != SQLITE_ROW)
            return storageError("look up host account " + id);
        current = StoredHash{select.integer(0), select.blob(1), select.blob(2)};
    }
    if (current.iterations < 1 || current.iterations > MaxStoredIterations ||
        current.hash.size() != HashSize) {
        return Error{0, "simulated host database " + m_path + ": the password of host account " +
                            id + " is damaged (bad hash record)"};
    }
    // Hashing outside the lock: a logon does not hold up other accounts' changes.
    auto hash = pbkdf2(hashInput(password), current.salt, static_cast<int>(current.iterations));
    if (!hash)
        return hash.error();
    if (CRYPTO_memcmp(hash->data(), current.hash.data(), HashSize) != 0) {
        return Error{errorCode(rpc::LogonFailure),
                     "logon to host account " + id + " failed: the password is not correct"};
    }
    return {};
}

Result<std::int64_t> SimulatedHost::passwordRevision(std::string_view userId)
{
    const std::string id = normalizeUserId(userId);
    if (auto s = validateUserId(id); !s)
        return s.error();
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT password_revision FROM simhost_account WHERE user_id = ?");
    if (!select.prepared() || !select.bind(1, id))
        return storageError("look up host account " + id);
    const int rc = select.step();
    if (rc == SQLITE_DONE)
        return noSuchUser(id);
    if (rc != SQLITE_ROW)
        return storageError("look up host account " + id);
    return select.integer(0);
}

Result<std::vector<HostAccount>> SimulatedHost::listAccounts()
{
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT user_id, password_revision, last_change_origin, "
                           "last_changed_at FROM simhost_account ORDER BY user_id");
    if (!select.prepared())
        return storageError("list host accounts");
    std::vector<HostAccount> accounts;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        accounts.push_back({select.text(0), select.integer(1), select.text(2), select.integer(3)});
    if (rc != SQLITE_DONE)
        return storageError("list host accounts");
    return accounts;
}

} // namespace hostsec
