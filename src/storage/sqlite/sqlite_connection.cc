#include "storage/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>

#include "domain/patients/name_match.h"

namespace caredesk::db {

namespace {

// Process-wide SQLite settings, made once before the library initialises.
// No memory statistics: with them every allocation SQLite makes takes one
// global mutex, which the server's sixteen workers then queue on.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLITE_MISUSE if something in the process initialised SQLite already;
    // the statistics then stay on, which is only slower.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_initialize();
  });
}

// caredesk_fold(text): FoldToAscii, with which migration 0029 fills the patients' folded names. NULL stays
// NULL; other values are read as text. No schema object calls it, so the sqlite3 shell still works.
void Fold(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int size = sqlite3_value_bytes(argv[0]);
  std::string folded = FoldToAscii(std::string_view(text == nullptr ? "" : text, static_cast<size_t>(size)));
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

}  // namespace

std::string RewritePlaceholdersForSqlite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '?';
    }
    out.push_back(c);
  }
  return out;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, FifoMutex* write_lock) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error::Unavailable("cannot open SQLite database " + path + ": " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db, write_lock);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (sqlite3_create_function_v2(db, "caredesk_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                 &Fold, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return conn->LastError("registering caredesk_fold");
  }
  sqlite3_extended_result_codes(db, 1);
  // No memory-mapped I/O: in WAL mode a connection drops its whole mapping
  // at the start of every read transaction that follows another connection's
  // commit, and every audited read commits, so the server spent its time in
  // munmap, TLB shootdowns and page faults (docs/PERFORMANCE.md).
  CD_RETURN_IF_ERROR(conn->ExecScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=0;"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  if (in_tx_) Rollback();
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Error SqliteConnection::LastError(std::string_view what) const {
  int code = sqlite3_extended_errcode(db_);
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{ErrorCode::kConflict, "unique_violation", msg, ""};
  }
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    return Error{ErrorCode::kConflict, "constraint_violation", msg, ""};
  }
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    return Error::Unavailable("database is busy: " + msg);
  }
  return Error::Internal(msg);
}

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  std::string rewritten = RewritePlaceholdersForSqlite(sql);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return LastError("prepare");
  }
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

Status SqliteConnection::Bind(sqlite3_stmt* stmt, ParamList params) {
  int i = 1;
  for (const Param& p : params) {
    int rc = SQLITE_OK;
    const auto& v = p.value();
    if (auto* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i, *d);
    } else if (auto* s = std::get_if<std::string_view>(&v)) {
      rc = sqlite3_bind_text(stmt, i, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    } else {
      rc = sqlite3_bind_null(stmt, i);
    }
    if (rc != SQLITE_OK) return LastError("bind");
    ++i;
  }
  return Ok();
}

Result<sqlite3_stmt*> SqliteConnection::BindAll(std::string_view sql, ParamList params) {
  CD_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
  CD_RETURN_IF_ERROR(Bind(stmt, params));
  return stmt;
}

Result<ResultSet> SqliteConnection::ReadAll(sqlite3_stmt* stmt) {
  int cols = sqlite3_column_count(stmt);
  std::vector<Cell> cells;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      Error e = LastError("query");
      sqlite3_reset(stmt);
      return e;
    }
    for (int c = 0; c < cols; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER: cells.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c))); break;
        case SQLITE_FLOAT: cells.emplace_back(sqlite3_column_double(stmt, c)); break;
        case SQLITE_NULL: cells.emplace_back(std::monostate{}); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cells.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
        }
      }
    }
  }
  sqlite3_reset(stmt);
  return ResultSet(cols, std::move(cells));
}

Result<ResultSet> SqliteConnection::Query(std::string_view sql, Params params) {
  CD_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, BindAll(sql, ParamList(params.begin(), params.size())));
  return ReadAll(stmt);
}

Result<ResultSet> SqliteConnection::QueryBuilt(std::string_view sql, ParamList params) {
  std::string rewritten = RewritePlaceholdersForSqlite(sql);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, rewritten.c_str(), static_cast<int>(rewritten.size()), &stmt, nullptr) != SQLITE_OK) {
    return LastError("prepare");
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, &sqlite3_finalize);
  CD_RETURN_IF_ERROR(Bind(stmt, params));
  return ReadAll(stmt);
}

Result<int64_t> SqliteConnection::Exec(std::string_view sql, Params params) {
  CD_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, BindAll(sql, ParamList(params.begin(), params.size())));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    Error e = LastError("exec");
    sqlite3_reset(stmt);
    return e;
  }
  sqlite3_reset(stmt);
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Status SqliteConnection::ExecScript(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e = LastError("script");
    sqlite3_free(err);
    return e;
  }
  return Ok();
}

Status SqliteConnection::Begin(bool write) {
  if (write && write_lock_ != nullptr) {
    write_lock_->lock();
    holds_write_lock_ = true;
  }
  // Transaction statements go through the prepared-statement cache like any
  // other: no parsing on every transaction.
  auto st = Exec(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {});
  if (!st.ok()) {
    if (holds_write_lock_) {
      write_lock_->unlock();
      holds_write_lock_ = false;
    }
    return std::move(st).error();
  }
  in_tx_ = true;
  return Ok();
}

Status SqliteConnection::Commit() {
  auto st = Exec("COMMIT", {});
  if (!st.ok()) {
    Rollback();
    return std::move(st).error();
  }
  in_tx_ = false;
  if (holds_write_lock_) {
    write_lock_->unlock();
    holds_write_lock_ = false;
  }
  return Ok();
}

void SqliteConnection::Rollback() {
  if (in_tx_) (void)Exec("ROLLBACK", {});
  in_tx_ = false;
  if (holds_write_lock_) {
    write_lock_->unlock();
    holds_write_lock_ = false;
  }
}

}  // namespace caredesk::db
