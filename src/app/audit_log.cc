#include "app/audit_log.h"

#include <pthread.h>

namespace caredesk {

AuditRecord AuditLog::Make(const Actor& actor, std::string action, std::string category,
                           std::optional<int64_t> patient_id, std::string outcome, std::string detail) const {
  AuditRecord r;
  r.at_ms = ToMillis(clock_.Now());
  if (actor.user_id != 0) r.user_id = actor.user_id;
  r.username = actor.username;
  r.role = std::string(RoleName(actor.role));
  r.action = std::move(action);
  r.patient_id = patient_id;
  r.category = std::move(category);
  r.client_address = actor.client_address;
  r.outcome = std::move(outcome);
  r.detail = std::move(detail);
  return r;
}

Status AuditLog::AppendInTx(db::Connection& conn, std::vector<AuditRecord> records) {
  return db::AuditRepository::AppendChained(conn, records);
}

Status AuditLog::AppendInTx(db::Connection& conn, AuditRecord record) {
  std::vector<AuditRecord> v;
  v.push_back(std::move(record));
  return AppendInTx(conn, std::move(v));
}

Status AuditLog::Record(AuditRecord record) {
  std::vector<AuditRecord> v;
  v.push_back(std::move(record));
  return Record(std::move(v));
}

namespace {
// The innermost live Deferral on this thread, if any.
thread_local AuditLog::Deferral* current_deferral = nullptr;
}  // namespace

void DeferredEntries::WhenDurable(std::function<void(const Status&)> done) {
  done_ = std::move(done);
  if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_(status_);
}

void DeferredEntries::Settle(const Status& status) {
  if (!status.ok() && status_.ok()) status_ = status;
  if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_(status_);
}

AuditLog::Deferral::Deferral(AuditLog& log) : log_(log), outer_(current_deferral) { current_deferral = this; }

AuditLog::Deferral::~Deferral() {
  // Entries staged but never waited for are still written; nobody is told.
  if (auto entries = Take()) entries->WhenDurable([](const Status&) {});
  current_deferral = outer_;
}

std::shared_ptr<DeferredEntries> AuditLog::Deferral::Take() {
  active_ = false;
  return std::move(entries_);
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(stage_mu_);
    stopping_ = true;
  }
  stage_cv_.notify_one();
  if (flusher_.joinable()) flusher_.join();
}

Status AuditLog::Record(std::vector<AuditRecord> records) {
  if (records.empty()) return Ok();
  for (Deferral* d = current_deferral; d != nullptr; d = d->outer_) {
    if (&d->log_ != this || !d->active_) continue;
    if (!d->entries_) d->entries_ = std::make_shared<DeferredEntries>();
    Stage(std::move(records), d->entries_);
    return Ok();
  }
  Waiter self;
  self.records = &records;
  std::unique_lock lock(mu_);
  pending_.push_back(&self);
  if (gathering_ && pending_.size() >= kGatherEnough) gathering_->cv.notify_one();
  // Leader/follower group commit: whoever finds no flush running leads and
  // writes everything pending, its own entries included. A follower sleeps on
  // its own condition variable until its batch is durable, or until the
  // finishing leader hands it the lead for the next batch; a flush therefore
  // wakes exactly the threads it concerns.
  if (flushing_) {
    self.cv.wait(lock, [&] { return self.done || self.lead; });
    if (self.done) return self.status;
  }
  flushing_ = true;
  if (last_batch_ > 1) {
    // Readers are arriving together: a short wait lets one commit carry many
    // of them. Every commit writes the audit table's last page and its
    // by-time and by-user index pages whatever its size, and makes each
    // reading connection drop its page cache.
    gathering_ = &self;
    self.cv.wait_for(lock, kGatherWindow, [&] { return pending_.size() >= kGatherEnough; });
    gathering_ = nullptr;
    ++stats_.gathered;
  }
  std::vector<Waiter*> batch;
  batch.swap(pending_);
  last_batch_ = batch.size();
  ++stats_.commits;
  stats_.callers += static_cast<int64_t>(batch.size());
  lock.unlock();
  Status st = FlushBatch(batch);
  lock.lock();
  for (Waiter* w : batch) {
    w->status = st;
    w->done = true;
    // Under mu_: a woken follower returns (and its Waiter dies) only after
    // this thread has released mu_.
    if (w != &self) w->cv.notify_one();
  }
  if (pending_.empty()) {
    flushing_ = false;
  } else {
    pending_.front()->lead = true;
    pending_.front()->cv.notify_one();
  }
  return st;
}

AuditLog::CommitStats AuditLog::commit_stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Status AuditLog::FlushBatch(std::vector<Waiter*>& batch) {
  std::vector<AuditRecord> all;
  for (Waiter* w : batch) {
    for (auto& r : *w->records) all.push_back(r);
  }
  return Write(all);
}

Status AuditLog::Write(std::vector<AuditRecord>& records) {
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true,
                           [&](db::Connection& c) { return db::AuditRepository::AppendChained(c, records); });
}

void AuditLog::Stage(std::vector<AuditRecord> records, const std::shared_ptr<DeferredEntries>& entries) {
  entries->outstanding_.fetch_add(1, std::memory_order_relaxed);
  bool wake = false;
  {
    std::lock_guard lock(stage_mu_);
    if (!flusher_.joinable()) flusher_ = std::thread([this] { RunFlusher(); });
    staged_.push_back(Staged{std::move(records), entries});
    // Wake the flusher only when it sleeps for want of work, or gathers and
    // now has enough: not once per entry.
    wake = flusher_state_ == FlusherState::kIdle ||
           (flusher_state_ == FlusherState::kGathering && staged_.size() >= kFlushEnough);
  }
  if (wake) stage_cv_.notify_one();
}

// One commit per wake-up carries everything staged meanwhile. When the
// previous commit had company the flusher gathers first: a response waits for
// its commit, so a client sends its next request only after it, and without
// the pause batches shrink to a third (docs/PERFORMANCE.md, round 18).
void AuditLog::RunFlusher() {
  pthread_setname_np(pthread_self(), "cd-audit");
  std::vector<Staged> batch;
  std::vector<AuditRecord> all;
  size_t last = 0;
  for (;;) {
    {
      std::unique_lock lock(stage_mu_);
      flusher_state_ = FlusherState::kIdle;
      stage_cv_.wait(lock, [&] { return stopping_ || !staged_.empty(); });
      if (staged_.empty()) return;  // stopping, and nothing left to write
      if (last > 1 && !stopping_) {
        // Gather while readers keep arriving: a window with no newcomer, a
        // full batch or the cap ends it, so light load barely waits.
        flusher_state_ = FlusherState::kGathering;
        const auto until = std::chrono::steady_clock::now() + kFlushGatherCap;
        for (;;) {
          const size_t before = staged_.size();
          stage_cv_.wait_for(lock, kGatherWindow, [&] { return stopping_ || staged_.size() >= kFlushEnough; });
          if (stopping_ || staged_.size() >= kFlushEnough || staged_.size() == before) break;
          if (std::chrono::steady_clock::now() >= until) break;
        }
      }
      flusher_state_ = FlusherState::kWriting;
      batch.swap(staged_);
    }
    last = batch.size();
    all.clear();
    for (auto& s : batch) {
      for (auto& r : s.records) all.push_back(std::move(r));
    }
    const Status st = Write(all);
    {
      std::lock_guard lock(mu_);
      ++stats_.commits;
      stats_.callers += static_cast<int64_t>(batch.size());
      if (last > 1) ++stats_.gathered;
    }
    for (auto& s : batch) s.entries->Settle(st);
    batch.clear();
  }
}

Result<std::vector<AuditRecord>> AuditLog::Search(const db::AuditFilter& filter) {
  auto conn = pool_.Acquire();
  return db::AuditRepository::Search(*conn, filter);
}

Result<std::optional<ChainProblem>> AuditLog::Verify(int64_t* checked) {
  constexpr int kPage = 5000;
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto head, db::AuditRepository::ReadHead(*conn));
  int64_t next = 1;
  std::string prev = kGenesisHash;
  for (;;) {
    CD_ASSIGN_OR_RETURN(auto page, db::AuditRepository::ReadFrom(*conn, next, kPage));
    if (auto problem = VerifyChainSegment(page, next, prev)) return std::optional<ChainProblem>(*problem);
    if (page.empty()) break;
    next = page.back().seq + 1;
    prev = page.back().hash;
    if (checked) *checked = page.back().seq;
    if (static_cast<int>(page.size()) < kPage) break;
  }
  if (next - 1 < head.seq) {
    return std::optional<ChainProblem>(ChainProblem{
        next, "entries " + std::to_string(next) + " to " + std::to_string(head.seq) + " are missing from the end"});
  }
  if (next - 1 > head.seq || (head.seq > 0 && prev != head.hash)) {
    return std::optional<ChainProblem>(
        ChainProblem{head.seq, "the chain head does not match the last entry " + std::to_string(next - 1)});
  }
  return std::optional<ChainProblem>();
}

}  // namespace caredesk
