#pragma once

// RAII wrappers over the SQLite C API. Inside core/store and the components built on it a
// failed SQLite call throws StoreError (SQLite's message plus what was being done); each
// component's public functions catch it and return a Result, so nothing throws past them.

#include "util/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace hostsec::store {

/// A failed SQLite call: SQLite's result code and a message naming what was being done.
class StoreError : public std::runtime_error
{
public:
    StoreError(int sqliteCode, const std::string &message)
        : std::runtime_error(message)
        , m_code(sqliteCode)
    {}
    int sqliteCode() const { return m_code; }
    Error toError() const { return Error{m_code, what()}; }

private:
    int m_code;
};

/// How a database is opened.
struct OpenOptions
{
    bool readOnly = false;
    bool create = true;
    bool wal = true;
    int busyTimeoutMs = 5000;
    std::string synchronous = "NORMAL"; // FULL where an acknowledgement depends on it
    bool secureDelete = false;
    int cacheMiB = 0; // page cache per connection; 0 keeps SQLite's default (2 MiB)
};

class Statement;

/// One SQLite connection. Not thread-safe: one thread (or strand) uses it at a time.
class Database
{
public:
    static Result<Database> open(const std::string &path, const OpenOptions &options = {});

    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    /// Runs one or more statements without results; throws StoreError naming `purpose`.
    void exec(std::string_view sql, std::string_view purpose);
    /// Compiles a statement; throws StoreError naming `purpose`.
    Statement prepare(std::string_view sql, std::string_view purpose);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    int userVersion();
    void setUserVersion(int version);
    const std::string &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

    /// Throws StoreError for SQLite result `rc` unless it is `ok`.
    void check(int rc, std::string_view purpose, int ok = 0) const;

private:
    Database(sqlite3 *db, std::string path);
    sqlite3 *m_db = nullptr;
    std::string m_path;
};

/// A prepared statement. Bind indices start at 1, column indices at 0.
class Statement
{
public:
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
    Statement &bind(int index, const std::string &text)
    {
        return bind(index, std::string_view(text));
    }
    Statement &bindBlob(int index, std::string_view bytes);
    Statement &bindNull(int index);

    /// Advances; true while there is a row. Throws StoreError on failure.
    bool step();
    /// Steps a statement that returns no rows.
    void run();
    /// Ready to run again with new bindings.
    void reset();

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::string columnBlob(int column) const;
    bool columnIsNull(int column) const;

private:
    friend class Database;
    Statement(const Database *db, sqlite3_stmt *stmt, std::string purpose);
    void bindCheck(int rc, int index);
    const Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_purpose;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() ran.
class Transaction
{
public:
    Transaction(Database &db, std::string_view purpose);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    std::string m_purpose;
    bool m_done = false;
};

/// One forward step of a schema: from version - 1 to `version`.
struct Migration
{
    int version;
    std::string_view purpose;
    std::function<void(Database &)> apply;
};

/// Brings the database's schema (PRAGMA user_version) forward through `migrations`, each in
/// its own transaction. A database newer than the newest migration is refused with a clear
/// StoreError rather than opened and damaged.
void migrate(Database &db, std::string_view schemaName, const std::vector<Migration> &migrations);

} // namespace hostsec::store
