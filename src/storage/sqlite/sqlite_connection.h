// SQLite implementation of db::Connection. WAL journal, synchronous=NORMAL
// (durable against process crashes such as kill -9; a power loss may lose
// the last transactions), foreign keys on, prepared statements cached per
// connection. Not thread-safe; the pool gives each thread its own.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/fifo_mutex.h"
#include "storage/db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace caredesk::db {

class SqliteConnection final : public Connection {
 public:
  // How long a statement waits for another process's lock before SQLITE_BUSY.
  static constexpr int kBusyTimeoutMs = 10000;

  // Opens (creating if needed) the database file. `write_lock`, shared by all
  // connections of one pool, serialises writers inside this process without
  // SQLite's sleeping busy handler.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, FifoMutex* write_lock);
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<ResultSet> Query(std::string_view sql, Params params) override;
  Result<ResultSet> QueryBuilt(std::string_view sql, ParamList params) override;
  Result<int64_t> Exec(std::string_view sql, Params params) override;
  Status ExecScript(std::string_view sql) override;
  Status Begin(bool write) override;
  Status Commit() override;
  void Rollback() override;
  bool in_transaction() const override { return in_tx_; }

  sqlite3* raw() { return db_; }

  // Takes ownership of an open handle; use Open().
  SqliteConnection(sqlite3* db, FifoMutex* write_lock) : db_(db), write_lock_(write_lock) {}

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql);
  Error LastError(std::string_view what) const;
  Result<sqlite3_stmt*> BindAll(std::string_view sql, ParamList params);
  Status Bind(sqlite3_stmt* stmt, ParamList params);
  Result<ResultSet> ReadAll(sqlite3_stmt* stmt);

  sqlite3* db_;
  FifoMutex* write_lock_;
  bool in_tx_ = false;
  bool holds_write_lock_ = false;
  // Keyed by the SQL text as given; looked up without copying it.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

// Rewrites `$1` placeholders as SQLite's `?1`, leaving quoted text alone.
std::string RewritePlaceholdersForSqlite(std::string_view sql);

}  // namespace caredesk::db
