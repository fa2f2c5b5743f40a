// WriteBatcher: group commit for short write transactions.
//
// Run(work) has the same contract as InTransaction(conn, /*write=*/true,
// work): `work` runs inside a write transaction, and its writes are committed
// when it succeeds and undone when it fails. The difference is how concurrent
// callers share the database's single writer: instead of each taking the write
// lock in turn (a hand-off, a context switch and a commit per transaction),
// one caller — the leader — opens one transaction, runs every pending caller's
// `work` in arrival order, each inside its own SAVEPOINT (a failing one is
// rolled back to it without disturbing the others), commits once, and wakes
// each caller with its own outcome. Callers that arrive during a batch form
// the next one, led by the oldest of them.
//
// On SQLite this turns N commits (and N trips through the write lock) into
// one; on PostgreSQL it also means one backend, not N, queues for the rows
// every write touches (the audit chain head).
//
// Each `work` runs on whichever thread leads its batch, possibly not the
// caller's, and sees the writes of the works before it in the batch. It must
// not throw (an exception is caught and reported as an internal error), must
// not wait for another batch, and should be short: the batch holds the write
// lock while it runs. If the commit itself fails, every caller of the batch
// gets that error and none of their writes exist.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "storage/pool.h"

namespace caredesk::db {

class WriteBatcher {
 public:
  using Work = std::function<Status(Connection&)>;

  explicit WriteBatcher(Pool& pool, std::size_t max_batch = kDefaultMaxBatch) : pool_(pool), max_batch_(max_batch) {}
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Blocks until `work` has been committed (or has failed); returns its
  // status, or the batch's commit error.
  Status Run(const Work& work);

  // Callers queued behind the running batch (for metrics and tests).
  std::size_t pending() const;

  static constexpr std::size_t kDefaultMaxBatch = 64;

 private:
  struct Job {
    const Work* work = nullptr;
    std::condition_variable cv;
    bool done = false;  // guarded by mu_
    bool lead = false;  // guarded by mu_: this job's thread runs the next batch
    Status status;      // guarded by mu_ once the batch is published
  };

  // Runs `batch` in one transaction; sets each job's status (not yet done).
  void RunBatch(std::vector<Job*>& batch);

  Pool& pool_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Job*> pending_;  // guarded by mu_
  bool running_ = false;      // guarded by mu_: a batch is being run
};

}  // namespace caredesk::db
