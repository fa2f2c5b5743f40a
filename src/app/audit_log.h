// The audit trail as the services use it. Writes of patient data append
// their audit entries inside the same transaction as the data (AppendInTx),
// so neither can exist without the other. Reads are recorded with Record,
// which group-commits: concurrent callers share one transaction, and each
// returns only once its entry is durable. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
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

class AuditLog {
 public:
  AuditLog(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  AuditRecord Make(const Actor& actor, std::string action, std::string category, std::optional<int64_t> patient_id,
                   std::string outcome = "success", std::string detail = {}) const;

  // Appends inside the caller's write transaction.
  Status AppendInTx(db::Connection& conn, std::vector<AuditRecord> records);
  Status AppendInTx(db::Connection& conn, AuditRecord record);

  // Records outside any transaction, group-committed with concurrent callers.
  Status Record(std::vector<AuditRecord> records);
  Status Record(AuditRecord record);

  Result<std::vector<AuditRecord>> Search(const db::AuditFilter& filter);

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

  db::Pool& pool_;
  const Clock& clock_;
  std::mutex mu_;
  std::vector<Waiter*> pending_;  // guarded by mu_
  bool flushing_ = false;         // guarded by mu_
};

}  // namespace caredesk
