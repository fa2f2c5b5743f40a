// A fixed-size pool of connections to one database, SQLite file or
// PostgreSQL URL. Thread-safe. Acquire blocks until a connection is free.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/fifo_mutex.h"
#include "storage/db.h"
#include "storage/sqlite/sqlite_connection.h"

namespace caredesk::db {

// When the SQLite checkpointer runs and how it keeps the WAL short; see
// Pool::Checkpoint(). The defaults are for the server; tests use small ones.
struct CheckpointPolicy {
  int checkpoint_frames = 4000;  // a round when the WAL has grown by this (16 MiB of 4 KiB pages)
  std::chrono::milliseconds poll{50};
  std::chrono::milliseconds idle{2000};  // a round after this with anything left unchecked
  int restart_frames = 8000;             // a WAL this long is brought to an end
  int restart_rounds = 8;                // copy-and-sync passes before giving up for now
  int held_frames = 256;                 // left for the RESTART with writers held (~10 ms)
  int max_wal_frames = 1 << 18;          // 1 GiB: restart even if the writers must wait
  // Run the checkpointer at the lowest CPU priority, so that on a busy
  // machine the copying waits for requests (booking p99 at 2,100/s offered:
  // 17-30 ms at nice 0, 9-12 ms at nice 19). Tests of the restart logic turn
  // it off: a starved checkpointer restarts late.
  bool lowest_priority = true;
};

class Pool {
 public:
  // `target`: a SQLite file path, ":memory:"-style paths are refused (each
  // connection would see its own database), or a postgresql:// URL.
  static Result<std::unique_ptr<Pool>> Open(const std::string& target, int size, CheckpointPolicy checkpoint = {});
  ~Pool();

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn, bool writer = false)
        : pool_(pool), conn_(std::move(conn)), writer_(writer) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    bool writer_;
  };

  Lease Acquire();
  // The connection for group-committed writes (WriteBatcher). On SQLite it is
  // one connection kept apart from the others: a connection drops its whole
  // page cache when it sees that another connection has written, so a writer
  // that is always the same connection keeps the pages it works on (index
  // interiors, the audit head) warm from batch to batch. On PostgreSQL it is
  // Acquire().
  Lease AcquireWriter();
  // SQLite: the writer connection's page cache, larger than the readers' 64
  // MiB. A booking dirties index leaves spread over the whole file (the
  // patient's appointments, the provider's slot claims and busy times, the
  // location's metrics, the audit trail by patient); with 64 MiB the writer
  // read most of them back from the OS at the next booking, and such a read
  // waits while the checkpointer's writeback has the page locked. With 256
  // MiB the booking p99 at 64 connections went from 30-68 to 24-34 ms
  // (docs/PERFORMANCE.md, fourteenth round). Allocated as used.
  static constexpr int kWriterCacheMib = 256;
  Dialect dialect() const { return dialect_; }
  int size() const { return size_; }
  int in_use() const;
  // SQLite: times the checkpointer has started the WAL over (for tests and
  // /metrics).
  int64_t wal_restarts() const { return restarts_.load(std::memory_order_relaxed); }
  // A description safe to print (no password).
  const std::string& description() const { return description_; }

  // Use Open(); public only for make_unique.
  Pool(Dialect dialect, int size, std::string description)
      : dialect_(dialect), size_(size), description_(std::move(description)) {}

 private:
  void Release(std::unique_ptr<Connection> conn, bool writer);
  // SQLite: checkpoints the WAL from a thread of its own, so no request pays
  // for a checkpoint (and its fsyncs) while holding the write lock. A round
  // runs when the WAL has grown by checkpoint_frames pages since the last
  // one, or after `idle` with anything left unchecked: a page written many
  // times between two rounds is copied once. See Checkpoint() for how the
  // WAL is kept from growing without bound.
  void StartCheckpointer(std::unique_ptr<SqliteConnection> conn);
  void StopCheckpointer();
  // One round of the checkpointer; `backfilled` is the WAL frames already
  // copied to the database.
  void Checkpoint(int& backfilled);
  void WatchWal(SqliteConnection& conn);
  static int OnWalCommit(void* pool, sqlite3* db, const char* schema, int frames);

  Dialect dialect_;
  int size_;
  std::string description_;
  FifoMutex write_lock_;  // serialises SQLite writers of this process, first come first served
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::unique_ptr<Connection> writer_;  // SQLite: guarded by mu_, null while leased
  bool has_writer_ = false;
  std::condition_variable writer_cv_;
  std::unique_ptr<SqliteConnection> checkpoint_conn_;
  std::atomic<int> wal_frames_{0};  // pages in the WAL after the latest commit of any connection
  CheckpointPolicy checkpoint_;
  std::atomic<int64_t> restarts_{0};
  int db_sync_fd_ = -1;             // the database file, for the checkpointer's fdatasync
  std::thread checkpointer_;
  std::condition_variable stop_cv_;  // wakes the checkpointer to stop
  bool stopping_ = false;            // guarded by mu_
};

bool IsPostgresUrl(std::string_view target);

// Runs `fn(Connection&)` inside a transaction: commits when it returns a
// success, rolls back on an error. `fn` returns Result<T> or Status.
template <class Fn>
auto InTransaction(Connection& conn, bool write, Fn&& fn) -> decltype(fn(conn)) {
  CD_RETURN_IF_ERROR(conn.Begin(write));
  auto result = fn(conn);
  if (!result.ok()) {
    conn.Rollback();
    return result;
  }
  auto committed = conn.Commit();
  if (!committed.ok()) return std::move(committed).error();
  return result;
}

}  // namespace caredesk::db
