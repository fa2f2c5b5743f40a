// Coverages (a patient's insurance) found by id or by criteria, for FHIR's Coverage. They are written
// with their patient (PatientRepository), which keeps a coverage's id while its payer and member id stay.
// Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/patients/coverage_criteria.h"
#include "domain/patients/patient.h"
#include "storage/db.h"

namespace caredesk::db {

struct CoverageRow {
  int64_t id = 0;  // coverage.id too
  int64_t patient_id = 0;
  Coverage coverage;
  std::string patient_name;  // joined for display
};

class CoverageRepository {
 public:
  static Result<std::optional<CoverageRow>> Find(Connection& c, int64_t id);
  // The coverages matching `q`, a page of them in id order (q.page), and one row more when there is a
  // next page; Count counts every match.
  static Result<std::vector<CoverageRow>> Search(Connection& c, const CoverageCriteria& q);
  static Result<int64_t> Count(Connection& c, const CoverageCriteria& q);
};

}  // namespace caredesk::db
