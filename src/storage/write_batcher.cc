#include "storage/write_batcher.h"

#include <pthread.h>

#include <exception>
#include <string>

namespace caredesk::db {

namespace {

constexpr char kSavepoint[] = "SAVEPOINT batch_job";
constexpr char kRelease[] = "RELEASE SAVEPOINT batch_job";
constexpr char kRollbackTo[] = "ROLLBACK TO SAVEPOINT batch_job";

Status RunGuarded(const WriteBatcher::Work& work, Connection& c) {
  try {
    return work(c);
  } catch (const std::exception& e) {
    return Error::Internal(std::string("a write failed unexpectedly: ") + e.what());
  } catch (...) {
    return Error::Internal("a write failed unexpectedly");
  }
}

}  // namespace

WriteBatcher::WriteBatcher(Pool& pool, std::size_t max_batch)
    : pool_(pool), max_batch_(max_batch < 1 ? 1 : max_batch), writer_([this] { Loop(); }) {}

WriteBatcher::~WriteBatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

Status WriteBatcher::Run(const Work& work) {
  Job self;
  self.work = &work;
  std::unique_lock lock(mu_);
  pending_.push_back(&self);
  wake_.notify_one();  // if the writer is busy, it takes this job once its batch is committed
  self.cv.wait(lock, [&] { return self.done; });
  return self.status;
}

std::vector<Status> WriteBatcher::RunAll(const std::vector<Work>& works) {
  std::vector<Job> jobs(works.size());
  std::unique_lock lock(mu_);
  for (size_t i = 0; i < works.size(); ++i) {
    jobs[i].work = &works[i];
    pending_.push_back(&jobs[i]);
  }
  wake_.notify_one();
  // Jobs are finished in queue order, so the last one is done last.
  for (Job& job : jobs) job.cv.wait(lock, [&] { return job.done; });
  std::vector<Status> out;
  out.reserve(jobs.size());
  for (Job& job : jobs) out.push_back(job.status);
  return out;
}

void WriteBatcher::Loop() {
  pthread_setname_np(pthread_self(), "cd-writer");  // as top and perf show it
  std::vector<Job*> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    if (pending_.empty()) {
      if (stopping_) return;
      wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      continue;
    }
    batch.clear();
    while (!pending_.empty() && batch.size() < max_batch_) {
      batch.push_back(pending_.front());
      pending_.pop_front();
    }
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    for (Job* job : batch) {
      job->done = true;
      // Notified under mu_: the job's thread can only return, destroying the
      // Job, after this thread has released mu_.
      job->cv.notify_one();
    }
  }
}

std::size_t WriteBatcher::pending() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

void WriteBatcher::RunBatch(std::vector<Job*>& batch) {
  auto fail_all = [&](const Status& st) {
    for (Job* job : batch) job->status = st;
  };
  auto conn = pool_.AcquireWriter();
  Connection& c = *conn;
  if (Status begun = c.Begin(true); !begun.ok()) {
    fail_all(begun);
    return;
  }
  if (batch.size() == 1) {
    // Alone: the transaction itself is the unit of undo.
    Status st = RunGuarded(*batch[0]->work, c);
    if (!st.ok()) {
      c.Rollback();
      batch[0]->status = st;
      return;
    }
    batch[0]->status = c.Commit();
    return;
  }
  bool any_ok = false;
  for (Job* job : batch) {
    if (Status st = StatusOf(c.Exec(kSavepoint)); !st.ok()) {
      c.Rollback();
      fail_all(st);
      return;
    }
    job->status = RunGuarded(*job->work, c);
    Status closed = job->status.ok() ? StatusOf(c.Exec(kRelease))
                                     : [&] {
                                         Status undone = StatusOf(c.Exec(kRollbackTo));
                                         return undone.ok() ? StatusOf(c.Exec(kRelease)) : undone;
                                       }();
    if (!closed.ok()) {
      // The transaction can no longer be trusted: nothing of the batch stays.
      c.Rollback();
      fail_all(closed);
      return;
    }
    any_ok = any_ok || job->status.ok();
  }
  if (!any_ok) {
    c.Rollback();
    return;
  }
  if (Status committed = c.Commit(); !committed.ok()) {
    for (Job* job : batch) {
      if (job->status.ok()) job->status = committed;
    }
  }
}

}  // namespace caredesk::db
