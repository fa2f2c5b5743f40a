#include "storage/pool.h"

#include <sqlite3.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <string>

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

Result<std::unique_ptr<Pool>> Pool::Open(const std::string& target, int size, CheckpointPolicy checkpoint) {
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
      pool->WatchWal(*c);
      pool->idle_.push_back(std::move(c));
    }
  }
  if (!pg) {
    CD_ASSIGN_OR_RETURN(auto w, SqliteConnection::Open(target, &pool->write_lock_));
    pool->WatchWal(*w);
    CD_RETURN_IF_ERROR(w->ExecScript("PRAGMA cache_size=-" + std::to_string(kWriterCacheMib * 1024)));
    pool->writer_ = std::move(w);
    pool->has_writer_ = true;
    pool->checkpoint_ = checkpoint;
    CD_ASSIGN_OR_RETURN(auto c, SqliteConnection::Open(target, nullptr));
    pool->StartCheckpointer(std::move(c));
  }
  return pool;
}

Pool::~Pool() { StopCheckpointer(); }

int Pool::OnWalCommit(void* pool, sqlite3*, const char*, int frames) {
  static_cast<Pool*>(pool)->wal_frames_.store(frames, std::memory_order_relaxed);
  return SQLITE_OK;
}

void Pool::WatchWal(SqliteConnection& conn) {
  // Replaces SQLite's own automatic checkpoint (which is a WAL hook too).
  sqlite3_wal_hook(conn.raw(), &Pool::OnWalCommit, this);
}

void Pool::StartCheckpointer(std::unique_ptr<SqliteConnection> conn) {
  checkpoint_conn_ = std::move(conn);
  if (const char* path = sqlite3_db_filename(checkpoint_conn_->raw(), "main"); path && *path) {
    db_sync_fd_ = ::open(path, O_RDONLY | O_CLOEXEC);
  }
  checkpointer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cd-checkpoint");
    if (checkpoint_.lowest_priority) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
    int backfilled = 0;  // WAL frames already copied by the last checkpoint
    auto last = std::chrono::steady_clock::now();
    std::unique_lock lock(mu_);
    while (!stopping_) {
      stop_cv_.wait_for(lock, checkpoint_.poll, [this] { return stopping_; });
      if (stopping_) break;
      int frames = wal_frames_.load(std::memory_order_relaxed);
      // A commit after a complete checkpoint restarts the WAL from frame 1.
      int pending = frames >= backfilled ? frames - backfilled : frames;
      auto now = std::chrono::steady_clock::now();
      if (pending < checkpoint_.checkpoint_frames && !(pending > 0 && now - last >= checkpoint_.idle)) continue;
      lock.unlock();
      Checkpoint(backfilled);
      last = std::chrono::steady_clock::now();
      lock.lock();
    }
  });
}

namespace {
// While the RESTART waits for readers still on the old log (they finish
// within milliseconds, and this process's writers are held meanwhile): poll
// finely and give up after ~50 ms; the next round tries again.
int ShortBusy(void*, int attempts) {
  if (attempts >= 250) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  return 1;
}

bool Passive(sqlite3* db, int& log, int& copied) {
  // Copies what it can without waiting for readers or writers. SQLite syncs
  // the database file only when a pass reaches the end of the WAL.
  return sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK;
}
}  // namespace

// Under a steady stream of commits the WAL is never completely copied at the
// moment a writer starts, so SQLite never starts it over from its beginning:
// it grew by gigabytes in a minute of bookings. So once it is long
// (restart_frames), the checkpointer brings it to an end: passes that each
// copy what was committed during the one before, each followed by an
// fdatasync of the database file, until what is left is small
// (held_frames); then it holds this process's writers for a RESTART that
// copies and syncs only that little, and the next commit starts the WAL
// over.
//
// The fdatasync between passes is what keeps the hold short: SQLite syncs
// the database file only in the pass that completes the WAL, and that sync
// waits for every page copied since the last complete one (80-100 ms here
// for a 32 MiB WAL, against 4-9 ms now). A pass costs about 30 µs per page
// with its syncs, so the remainder shrinks while the writers commit fewer
// pages per second than that; when they outpace it (a saturated closed-loop
// booking load does) the WAL grows until max_wal_frames, where the restart
// is forced and the writers wait for the copy (70-100 ms).
void Pool::Checkpoint(int& backfilled) {
  sqlite3* db = checkpoint_conn_->raw();
  int log = 0, copied = 0;
  if (!Passive(db, log, copied)) return;
  backfilled = copied;
  if (log < checkpoint_.restart_frames) return;
  bool converged = false;
  for (int round = 0; round < checkpoint_.restart_rounds; ++round) {
    if (db_sync_fd_ >= 0) (void)::fdatasync(db_sync_fd_);
    int now = wal_frames_.load(std::memory_order_relaxed);
    if (now < log) return;  // a writer restarted the WAL meanwhile
    if (now - log <= checkpoint_.held_frames) {
      converged = true;
      break;
    }
    if (!Passive(db, log, copied)) return;
    backfilled = copied;
  }
  if (!converged && log < checkpoint_.max_wal_frames) return;  // the next round tries again
  std::lock_guard writers(write_lock_);
  sqlite3_busy_handler(db, &ShortBusy, nullptr);
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied) == SQLITE_OK) {
    backfilled = copied;
    restarts_.fetch_add(1, std::memory_order_relaxed);
  }
  sqlite3_busy_timeout(db, SqliteConnection::kBusyTimeoutMs);
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
  if (db_sync_fd_ >= 0) ::close(db_sync_fd_);
  db_sync_fd_ = -1;
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
