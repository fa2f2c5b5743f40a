#include "storage/pool.h"

#include "storage/postgres/pg_connection.h"
#include "storage/sqlite/sqlite_connection.h"

namespace caredesk::db {

bool IsPostgresUrl(std::string_view target) {
  return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

namespace {
std::string Redact(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}
}  // namespace

Result<std::unique_ptr<Pool>> Pool::Open(const std::string& target, int size) {
  if (size < 1) size = 1;
  bool pg = IsPostgresUrl(target);
  if (!pg && (target.empty() || target == ":memory:")) {
    return Error::Invalid("db", "a SQLite database file path or a postgresql:// URL is required");
  }
  auto pool = std::make_unique<Pool>(pg ? Dialect::kPostgres : Dialect::kSqlite, size, pg ? Redact(target) : target);
  for (int i = 0; i < size; ++i) {
    if (pg) {
      CD_ASSIGN_OR_RETURN(auto c, PgConnection::Open(target));
      pool->idle_.push_back(std::move(c));
    } else {
      CD_ASSIGN_OR_RETURN(auto c, SqliteConnection::Open(target, &pool->write_lock_));
      CD_RETURN_IF_ERROR(c->ExecScript("PRAGMA wal_autocheckpoint=0"));
      pool->idle_.push_back(std::move(c));
    }
  }
  if (!pg) {
    CD_ASSIGN_OR_RETURN(auto w, SqliteConnection::Open(target, &pool->write_lock_));
    CD_RETURN_IF_ERROR(w->ExecScript("PRAGMA wal_autocheckpoint=0"));
    pool->writer_ = std::move(w);
    pool->has_writer_ = true;
    CD_ASSIGN_OR_RETURN(auto c, SqliteConnection::Open(target, nullptr));
    pool->StartCheckpointer(std::move(c));
  }
  return pool;
}

Pool::~Pool() { StopCheckpointer(); }

void Pool::StartCheckpointer(std::unique_ptr<Connection> conn) {
  checkpoint_conn_ = std::move(conn);
  checkpointer_ = std::thread([this] {
    constexpr auto kEvery = std::chrono::milliseconds(200);
    std::unique_lock lock(mu_);
    while (!stopping_) {
      stop_cv_.wait_for(lock, kEvery, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      // PASSIVE copies what it can without waiting for readers or writers.
      (void)checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(PASSIVE)");
      lock.lock();
    }
  });
}

void Pool::StopCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  if (checkpoint_conn_) (void)checkpoint_conn_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE)");
  checkpoint_conn_.reset();
}

Pool::Lease::~Lease() {
  if (conn_) {
    if (conn_->in_transaction()) conn_->Rollback();
    pool_->Release(std::move(conn_), writer_);
  }
}

Pool::Lease Pool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty(); });
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(c));
}

Pool::Lease Pool::AcquireWriter() {
  if (!has_writer_) return Acquire();
  std::unique_lock lock(mu_);
  writer_cv_.wait(lock, [&] { return writer_ != nullptr; });
  return Lease(this, std::move(writer_), /*writer=*/true);
}

void Pool::Release(std::unique_ptr<Connection> conn, bool writer) {
  {
    std::lock_guard lock(mu_);
    if (writer) {
      writer_ = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  (writer ? writer_cv_ : cv_).notify_one();
}

int Pool::in_use() const {
  std::lock_guard lock(mu_);
  return size_ - static_cast<int>(idle_.size());
}

}  // namespace caredesk::db
