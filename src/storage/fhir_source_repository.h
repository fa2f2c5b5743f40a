// FHIR resources as they were sent (migration 0022): per resource and version
// written through FHIR, the JSON received and the JSON CareDesk made of its
// own record right after the write. Thread-compatible: static functions over
// the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct FhirSourceRow {
  std::string resource_type;
  int64_t resource_id = 0;
  int64_t version = 0;
  int64_t written_at = 0;
  std::string original;
  std::string projection;
};

class FhirSourceRepository {
 public:
  static Status Put(Connection& c, const FhirSourceRow& row);
  // The latest row of the resource at or before `version`.
  static Result<std::optional<FhirSourceRow>> AtOrBefore(Connection& c, std::string_view type, int64_t id,
                                                         int64_t version);
  // The latest row of each of `ids` that has one, in one query (a search page's or an export's).
  static Result<std::vector<FhirSourceRow>> Latest(Connection& c, std::string_view type,
                                                   const std::vector<int64_t>& ids);
};

}  // namespace caredesk::db
