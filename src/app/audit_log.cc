#include "app/audit_log.h"

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

Status AuditLog::Record(std::vector<AuditRecord> records) {
  if (records.empty()) return Ok();
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
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true, [&](db::Connection& c) { return db::AuditRepository::AppendChained(c, all); });
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
