// Patients matching exact criteria (PatientCriteria), in a stable order with
// key-based paging, and how many match. The SQL is built from the criteria
// (one test per criterion, its alternatives ORed) with every value bound as a
// parameter, and run with Connection::QueryBuilt. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/patients/patient_criteria.h"
#include "storage/db.h"

namespace caredesk::db {

struct PatientMatchRow {
  int64_t id = 0;
  std::string sort_key;  // the row's value of the criteria's order (empty for PatientOrder::kId)
};

class PatientSearchRepository {
 public:
  // At most criteria.limit rows after the criteria's cursor, in its order.
  static Result<std::vector<PatientMatchRow>> Match(Connection& c, const PatientCriteria& criteria);
  // All patients matching, ignoring the cursor and the limit.
  static Result<int64_t> Count(Connection& c, const PatientCriteria& criteria);
  // Match's query plan, one step per line (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN):
  // tests check that name and identifier searches go through their indexes.
  static Result<std::string> ExplainMatch(Connection& c, const PatientCriteria& criteria);
};

}  // namespace caredesk::db
