// The audit trail as the services use it. Writes of patient data append
// their audit entries inside the same transaction as the data (AppendInTx),
// so neither can exist without the other. Reads are recorded with Record,
// which group-commits: concurrent callers share one transaction, and each
// returns only once its entry is durable. Thread-safe.
//
// Under concurrent reads the leader of a batch first gathers: it waits up to
// kGatherWindow for more callers before writing (docs/PERFORMANCE.md,
// fifteenth round: batches of about 11 instead of 2.5, 13% more patient GETs
// a second and half the p99). It gathers only when the batch before had
// company, so a lone caller, or a run of sequential ones, never waits.
//
// An HTTP request need not hold a worker thread asleep while its read's
// entries commit. Under a Deferral, Record stages the entries for a
// background flusher and returns at once; the request's response is sent
// only when DeferredEntries::WhenDurable calls back, so no patient data still
// leaves before its audit entry is durable (docs/PERFORMANCE.md, round 18).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/actor.h"
#include "core/clock.h"
#include "domain/audit/audit_record.h"
#include "storage/audit_repository.h"
#include "storage/pool.h"

namespace caredesk {

namespace audit_category {
inline constexpr char kDemographics[] = "demographics";
inline constexpr char kCoverage[] = "coverage";
inline constexpr char kAppointment[] = "appointment";
inline constexpr char kEncounter[] = "encounter";
inline constexpr char kSearch[] = "patient_search";
inline constexpr char kSecurity[] = "security";
inline constexpr char kPrivileges[] = "privileges";
inline constexpr char kAudit[] = "audit";
}  // namespace audit_category

// Entries staged under a Deferral, shared by the flusher and whoever waits.
class DeferredEntries {
 public:
  // Calls `done` exactly once, from the flusher's thread or from this one
  // before returning, when every entry staged under the deferral is durable:
  // Ok, or the first failure. Call once, after the deferral has ended.
  void WhenDurable(std::function<void(const Status&)> done);

 private:
  friend class AuditLog;
  void Settle(const Status& status);  // one staged batch of entries written (or failed)

  // Staged batches not yet written, plus one until WhenDurable: whoever brings
  // it to zero calls done_. status_ is written by the flusher alone, before
  // its decrement, and read only after the final one.
  std::atomic<int> outstanding_{1};
  Status status_;
  std::function<void(const Status&)> done_;
};

class AuditLog {
 public:
  AuditLog(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  ~AuditLog();  // writes what is still staged, then stops the flusher
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // While alive, makes Record calls on this thread for `log` stage their
  // entries instead of waiting for them. Not movable: it marks a scope.
  class Deferral {
   public:
    explicit Deferral(AuditLog& log);
    ~Deferral();
    Deferral(const Deferral&) = delete;
    Deferral& operator=(const Deferral&) = delete;
    // What was staged so far, to wait for; null when nothing was. Ends the
    // deferral: later Record calls on this thread wait as usual.
    std::shared_ptr<DeferredEntries> Take();

   private:
    friend class AuditLog;
    AuditLog& log_;
    Deferral* outer_;
    bool active_ = true;
    std::shared_ptr<DeferredEntries> entries_;
  };

  static constexpr std::chrono::microseconds kGatherWindow{100};
  // A gathering leader stops waiting once this many callers are pending.
  static constexpr size_t kGatherEnough = 32;
  // The deferred flusher gathers in kGatherWindow steps while newcomers keep
  // arriving, for at most kFlushGatherCap or until kFlushEnough are staged.
  static constexpr std::chrono::microseconds kFlushGatherCap{1000};
  static constexpr size_t kFlushEnough = 64;

  AuditRecord Make(const Actor& actor, std::string action, std::string category, std::optional<int64_t> patient_id,
                   std::string outcome = "success", std::string detail = {}) const;

  // Appends inside the caller's write transaction.
  Status AppendInTx(db::Connection& conn, std::vector<AuditRecord> records);
  Status AppendInTx(db::Connection& conn, AuditRecord record);

  // Records outside any transaction, group-committed with concurrent callers;
  // under a Deferral on this thread, stages them and returns at once.
  Status Record(std::vector<AuditRecord> records);
  Status Record(AuditRecord record);

  Result<std::vector<AuditRecord>> Search(const db::AuditFilter& filter);

  // Record's commits so far, for /metrics and tests.
  struct CommitStats {
    int64_t commits = 0;   // transactions written by Record
    int64_t callers = 0;   // Record calls they carried
    int64_t gathered = 0;  // commits whose leader waited for company first
  };
  CommitStats commit_stats() const;

  // Walks the whole chain; the first problem, or nullopt when intact.
  Result<std::optional<ChainProblem>> Verify(int64_t* checked = nullptr);

 private:
  struct Waiter {
    std::vector<AuditRecord>* records = nullptr;
    std::condition_variable cv;
    bool done = false;  // guarded by mu_: its entries are written (or failed)
    bool lead = false;  // guarded by mu_: it is to write the next batch
    Status status;      // guarded by mu_
  };
  Status FlushBatch(std::vector<Waiter*>& batch);
  Status Write(std::vector<AuditRecord>& records);

  struct Staged {
    std::vector<AuditRecord> records;
    std::shared_ptr<DeferredEntries> entries;
  };
  void Stage(std::vector<AuditRecord> records, const std::shared_ptr<DeferredEntries>& entries);
  void RunFlusher();

  db::Pool& pool_;
  const Clock& clock_;
  mutable std::mutex mu_;
  CommitStats stats_;             // guarded by mu_
  std::vector<Waiter*> pending_;  // guarded by mu_
  bool flushing_ = false;         // guarded by mu_
  Waiter* gathering_ = nullptr;   // guarded by mu_: a leader waiting for company
  size_t last_batch_ = 0;         // guarded by mu_: callers in the previous batch

  std::mutex stage_mu_;
  std::condition_variable stage_cv_;
  std::vector<Staged> staged_;  // guarded by stage_mu_
  bool stopping_ = false;       // guarded by stage_mu_
  enum class FlusherState { kIdle, kGathering, kWriting };
  FlusherState flusher_state_ = FlusherState::kWriting;  // guarded by stage_mu_
  std::thread flusher_;         // started by the first Stage
};

}  // namespace caredesk
