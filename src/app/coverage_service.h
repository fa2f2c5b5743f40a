// Patients' coverages (insurance) read one at a time or searched, as FHIR's Coverage serves them. They are
// written with their patient (PatientService). Every read is audited as the patient's coverage data.
// Thread-safe.
#pragma once

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/search_page.h"
#include "storage/coverage_repository.h"
#include "storage/pool.h"

namespace caredesk {

class CoverageService {
 public:
  CoverageService(db::Pool& pool, AuditLog& audit) : pool_(pool), audit_(audit) {}

  Result<db::CoverageRow> Get(const Actor& by, int64_t id);
  // A page of the coverages matching `q` (rows unless `rows` is false, the total when `count`).
  Result<SearchPage<db::CoverageRow>> Search(const Actor& by, const CoverageCriteria& q, bool count, bool rows);

 private:
  db::Pool& pool_;
  AuditLog& audit_;
};

}  // namespace caredesk
