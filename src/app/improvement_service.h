// Improvement projects: an aim on one service metric, at one location or all,
// with its PDSA (plan–do–study–act) cycles, which the metric's chart shows.
// Validation names the field; every write is audited. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "core/civil_time.h"
#include "core/clock.h"
#include "storage/improvement_repository.h"
#include "storage/pool.h"

namespace caredesk {

class ImprovementService {
 public:
  ImprovementService(db::Pool& pool, const Clock& clock, AuditLog& audit) : pool_(pool), clock_(clock), audit_(audit) {}

  Result<std::vector<db::ProjectRow>> List(const Actor& by, db::ProjectFilter filter);
  Result<db::ProjectRow> Get(const Actor& by, int64_t id);
  // `row.id` is ignored on create; Save with an id updates.
  Result<db::ProjectRow> Create(const Actor& by, db::ProjectRow row);
  Result<db::ProjectRow> Update(const Actor& by, int64_t id, db::ProjectRow row);

  Result<db::ProjectRow> AddCycle(const Actor& by, int64_t project_id, db::PdsaCycleRow cycle);
  Result<db::ProjectRow> UpdateCycle(const Actor& by, int64_t project_id, int64_t cycle_id, db::PdsaCycleRow cycle);
  Result<db::ProjectRow> DeleteCycle(const Actor& by, int64_t project_id, int64_t cycle_id);

  // The projects drawn on metric charts: on `metric_key` (any metric when none), at `location_id` or all
  // locations (every location's when none is asked for), overlapping [from, to].
  Result<std::vector<db::ProjectRow>> ForChart(std::optional<std::string> metric_key,
                                               std::optional<int64_t> location_id,
                                               const CivilDate& from, const CivilDate& to);

 private:
  Status Validate(db::Connection& c, db::ProjectRow& row);
  static Status ValidateCycle(const db::ProjectRow& project, db::PdsaCycleRow& cycle);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
};

}  // namespace caredesk
