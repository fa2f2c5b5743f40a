// A fixed-size pool of connections to one database, SQLite file or
// PostgreSQL URL. Thread-safe. Acquire blocks until a connection is free.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/fifo_mutex.h"
#include "storage/db.h"

namespace caredesk::db {

class Pool {
 public:
  // `target`: a SQLite file path, ":memory:"-style paths are refused (each
  // connection would see its own database), or a postgresql:// URL.
  static Result<std::unique_ptr<Pool>> Open(const std::string& target, int size);
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
  Dialect dialect() const { return dialect_; }
  int size() const { return size_; }
  int in_use() const;
  // A description safe to print (no password).
  const std::string& description() const { return description_; }

  // Use Open(); public only for make_unique.
  Pool(Dialect dialect, int size, std::string description)
      : dialect_(dialect), size_(size), description_(std::move(description)) {}

 private:
  void Release(std::unique_ptr<Connection> conn, bool writer);
  // SQLite: checkpoints the WAL from a thread of its own, so no request pays
  // for a checkpoint (and its fsync) while holding the write lock.
  void StartCheckpointer(std::unique_ptr<Connection> conn);
  void StopCheckpointer();

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
  std::unique_ptr<Connection> checkpoint_conn_;
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
