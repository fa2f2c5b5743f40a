// The patients of a location or a provider: those with an appointment or an encounter there or with them.
// A FHIR Group (fhir/group_store.h) is one of these, and its $export their data. Thread-compatible: static
// functions over the caller's connection.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

enum class PatientGroupKind { kLocation, kProvider };

class PatientGroupRepository {
 public:
  // The patients of location or provider `id`, ascending, and how many there are.
  static Result<std::vector<int64_t>> Members(Connection& c, PatientGroupKind kind, int64_t id);
  static Result<int64_t> Count(Connection& c, PatientGroupKind kind, int64_t id);
  // How many patients each location or provider has (those with none are absent), in one query.
  static Result<std::map<int64_t, int64_t>> Counts(Connection& c, PatientGroupKind kind);
};

}  // namespace caredesk::db
