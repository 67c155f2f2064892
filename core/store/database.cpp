#include "store/database.h"

#include <sqlite3.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace hostsec::store {

namespace {

// SQLite's text for `rc`, and for a failed read, write or open the system's reason: "disk I/O
// error" alone does not tell a full disk from a file made read-only under the agent.
// `systemError` is errno as the failed call left it, errno having been 0 before the call (SQLite
// 3.40's sqlite3_system_errno() answers 0 for a failed write to the WAL, so it cannot say).
std::string reason(int rc, const char *text, int systemError)
{
    std::string out = text ? text : sqlite3_errstr(rc);
    const int primary = rc & 0xff;
    if (systemError != 0 &&
        (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN))
        out += " (last system error: " + std::generic_category().message(systemError) + ")";
    return out;
}

std::string describe(sqlite3 *db, int rc, std::string_view purpose, const std::string &path,
                     int systemError = 0)
{
    std::string message(purpose);
    if (!path.empty())
        message += " (" + path + ")";
    message += ": ";
    message += reason(rc, db ? sqlite3_errmsg(db) : nullptr, systemError);
    return message;
}

} // namespace

Result<Database> Database::open(const std::string &path, const OpenOptions &options)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (options.readOnly)
        flags |= SQLITE_OPEN_READONLY;
    else
        flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);

    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error error{rc, describe(raw, rc, "cannot open database", path)};
        sqlite3_close(raw);
        return error;
    }
    Database db(raw, path);
    try {
        if (!options.readOnly && sqlite3_db_readonly(raw, "main") == 1)
            throw StoreError(SQLITE_READONLY,
                             "cannot open database (" + path +
                                 ") for writing: the file is read-only; check its permissions");
        db.check(sqlite3_busy_timeout(raw, options.busyTimeoutMs), "setting the busy timeout");
        // Reading the schema first turns a file that is not a database into a clear error.
        db.exec("SELECT count(*) FROM sqlite_schema", "reading the schema");
        if (options.wal && !options.readOnly)
            db.exec("PRAGMA journal_mode=WAL", "switching to write-ahead logging");
        if (!options.readOnly) {
            db.exec("PRAGMA synchronous=" + options.synchronous, "setting synchronous mode");
            if (options.secureDelete)
                db.exec("PRAGMA secure_delete=ON", "turning on secure delete");
        }
        db.exec("PRAGMA foreign_keys=ON", "turning on foreign keys");
        if (options.cacheMiB > 0)
            db.exec("PRAGMA cache_size=-" + std::to_string(options.cacheMiB * 1024),
                    "sizing the page cache");
    } catch (const StoreError &e) {
        return e.toError();
    }
    return db;
}

Database::Database(sqlite3 *db, std::string path)
    : m_db(db)
    , m_path(std::move(path))
{}

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database()
{
    // close_v2 defers the close until the last statement is finalized.
    sqlite3_close_v2(m_db);
}

void Database::check(int rc, std::string_view purpose, int ok) const
{
    if (rc != ok)
        throw StoreError(rc, describe(m_db, rc, purpose, m_path));
}

void Database::exec(std::string_view sql, std::string_view purpose)
{
    const std::string text(sql);
    char *message = nullptr;
    errno = 0;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    const int systemError = errno;
    if (rc != SQLITE_OK) {
        std::string what =
            std::string(purpose) + " (" + m_path + "): " + reason(rc, message, systemError);
        sqlite3_free(message);
        throw StoreError(rc, what);
    }
}

Statement Database::prepare(std::string_view sql, std::string_view purpose)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    check(rc, purpose);
    return Statement(this, stmt, std::string(purpose));
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::userVersion()
{
    Statement s = prepare("PRAGMA user_version", "reading the schema version");
    s.step();
    return static_cast<int>(s.columnInt(0));
}

void Database::setUserVersion(int version)
{
    exec("PRAGMA user_version=" + std::to_string(version), "writing the schema version");
}

Statement::Statement(const Database *db, sqlite3_stmt *stmt, std::string purpose)
    : m_db(db)
    , m_stmt(stmt)
    , m_purpose(std::move(purpose))
{}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_purpose(std::move(other.m_purpose))
{}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_purpose = std::move(other.m_purpose);
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::bindCheck(int rc, int index)
{
    if (rc != SQLITE_OK)
        m_db->check(rc, m_purpose + ": binding parameter " + std::to_string(index));
}

Statement &Statement::bind(int index, std::int64_t value)
{
    bindCheck(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    bindCheck(sqlite3_bind_double(m_stmt, index, value), index);
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    bindCheck(
        sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    bindCheck(sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
              index);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    bindCheck(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

bool Statement::step()
{
    errno = 0;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int systemError = errno;
    sqlite3_reset(m_stmt);
    throw StoreError(rc, describe(m_db->handle(), rc, m_purpose, m_db->path(), systemError));
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}
double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::columnText(int column) const
{
    const auto *text = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size))
                : std::string();
}

std::string Statement::columnBlob(int column) const
{
    const void *data = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? std::string(static_cast<const char *>(data), static_cast<std::size_t>(size))
                : std::string();
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Transaction::Transaction(Database &db, std::string_view purpose)
    : m_db(db)
    , m_purpose(purpose)
{
    m_db.exec("BEGIN IMMEDIATE", "starting a transaction for " + m_purpose);
}

Transaction::~Transaction()
{
    if (!m_done)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.exec("COMMIT", "committing " + m_purpose);
    m_done = true;
}

void migrate(Database &db, std::string_view schemaName, const std::vector<Migration> &migrations)
{
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    const int current = db.userVersion();
    if (current > newest)
        throw StoreError(SQLITE_MISMATCH,
                         std::string(schemaName) + " database (" + db.path() + ") has schema " +
                             std::to_string(current) + ", newer than this program's " +
                             std::to_string(newest) + "; use a newer version of Host Security");
    for (const Migration &m : migrations) {
        if (m.version <= current)
            continue;
        Transaction tx(db, "migrating " + std::string(schemaName) + " to schema " +
                               std::to_string(m.version) + " (" + std::string(m.purpose) + ")");
        m.apply(db);
        db.setUserVersion(m.version);
        tx.commit();
    }
}

} // namespace hostsec::store
