// WriteBatcher: group commit for short write transactions.
//
// Run(work) has the same contract as InTransaction(conn, /*write=*/true,
// work): `work` runs inside a write transaction, and its writes are committed
// when it succeeds and undone when it fails. The difference is how concurrent
// callers share the database's single writer: instead of each taking the write
// lock in turn (a hand-off, a context switch and a commit per transaction),
// the batcher's own writer thread opens one transaction, runs every pending
// caller's `work` in arrival order, each inside its own SAVEPOINT (a failing
// one is rolled back to it without disturbing the others), commits once, and
// wakes each caller with its own outcome. Callers that arrive during a batch
// form the next one, which the writer thread starts as soon as it has
// committed.
//
// Why a thread of its own rather than one of the callers leading each batch:
// the writer is the one serial step of every booking. A caller that was to
// lead the next batch first had to be woken and scheduled, and on two busy
// cores that took long enough to leave the writer idle for about a third of
// a saturated booking load. The writer thread is already running when a batch
// ends, and keeps its caches warm.
//
// On SQLite this turns N commits (and N trips through the write lock) into
// one; on PostgreSQL it also means one backend, not N, queues for the rows
// every write touches (the audit chain head).
//
// Each `work` runs on the writer thread, not the caller's, and sees the
// writes of the works before it in the batch. It must not throw (an exception
// is caught and reported as an internal error), must not call Run (it would
// wait for itself), and should be short: the batch holds the write lock while
// it runs. If the commit itself fails, every caller of the batch gets that
// error and none of their writes exist.
//
// Thread-safe. The destructor stops the writer thread: no call to Run may
// still be in progress then, and the Pool must outlive the batcher.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/pool.h"

namespace caredesk::db {

class WriteBatcher {
 public:
  using Work = std::function<Status(Connection&)>;

  explicit WriteBatcher(Pool& pool, std::size_t max_batch = kDefaultMaxBatch);
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Blocks until `work` has been committed (or has failed); returns its
  // status, or the batch's commit error.
  Status Run(const Work& work);

  // Queues every work of `works` at once, in order (a batch may take the first of them and the next
  // batch the rest, but nobody else's work comes between them), and blocks until all have been
  // committed or have failed; returns their statuses in order. For one caller's sequence of writes
  // that must apply in order, each on its own (one failing does not stop the others).
  std::vector<Status> RunAll(const std::vector<Work>& works);

  // Callers queued for the next batch (for metrics and tests).
  std::size_t pending() const;

  static constexpr std::size_t kDefaultMaxBatch = 64;

 private:
  struct Job {
    const Work* work = nullptr;
    std::condition_variable cv;
    bool done = false;  // guarded by mu_
    Status status;      // guarded by mu_ once the batch is published
  };

  // The writer thread: runs batches while there are callers waiting.
  void Loop();
  // Runs `batch` in one transaction; sets each job's status (not yet done).
  void RunBatch(std::vector<Job*>& batch);

  Pool& pool_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable wake_;  // the writer thread waits here for work
  std::deque<Job*> pending_;      // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  std::thread writer_;            // last: started once the rest is ready
};

}  // namespace caredesk::db
