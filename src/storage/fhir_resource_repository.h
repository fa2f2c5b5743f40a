// FHIR resources of the types CareDesk has no model of, kept as sent (migration 0026): the current version
// of each in fhir_resources, earlier ones in fhir_resource_history. Thread-compatible: static functions over
// the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/match.h"
#include "storage/db.h"

namespace caredesk::db {

struct FhirResourceRow {
  int64_t seq = 0;  // the row's key, for paging (0 for a version in the history)
  std::string resource_type;
  std::string id;
  int64_t version = 0;
  int64_t updated_at = 0;  // epoch milliseconds
  bool deleted = false;
  int64_t patient_id = 0;  // the patient it is about; 0 for none
  std::string body;        // the resource as served (id and meta included); empty when deleted
};

// Exact criteria for a search of one type: every criterion must hold, each when one of its alternatives
// does. Deleted resources never match.
struct FhirResourceCriteria {
  std::string resource_type;
  std::vector<AnyOf<std::string>> ids;
  std::vector<AnyOf<int64_t>> patients;
  std::vector<AnyOf<InstantMatch>> updated;
  bool about_a_patient = false;  // only those about a patient (a patient-level export)
  KeyedPage page;  // by seq (after_id), or by updated_at then seq (by_time)
};

class FhirResourceRepository {
 public:
  // The current version of Type/id, deleted or not. On PostgreSQL with `lock`, the row is locked
  // for the rest of the transaction (a writer reads it so).
  static Result<std::optional<FhirResourceRow>> Find(Connection& c, std::string_view type, std::string_view id,
                                                     bool lock = false);
  // Version `version` of Type/id, current or earlier.
  static Result<std::optional<FhirResourceRow>> FindVersion(Connection& c, std::string_view type,
                                                            std::string_view id, int64_t version);
  // Every version of Type/id, newest first.
  static Result<std::vector<FhirResourceRow>> History(Connection& c, std::string_view type, std::string_view id);
  // A resource not stored before; Conflict "unique_violation" if Type/id is taken.
  static Status Insert(Connection& c, const FhirResourceRow& row);
  // The next version of a stored resource: its current row moves to the history, `row` takes its place.
  static Status Replace(Connection& c, const FhirResourceRow& row);
  // The current versions, not deleted, about `patient_id`, in seq order (what a patient merge moves). On
  // PostgreSQL with `lock`, the rows are locked for the rest of the transaction, as Find's.
  static Result<std::vector<FhirResourceRow>> OfPatient(Connection& c, int64_t patient_id, bool lock = false);
  // A page of the matches in the page's order, and one row more when there is a next page.
  static Result<std::vector<FhirResourceRow>> Search(Connection& c, const FhirResourceCriteria& q);
  static Result<int64_t> Count(Connection& c, const FhirResourceCriteria& q);
  // The types that have resources not deleted (only those about a patient, with `about_a_patient`), in name
  // order.
  static Result<std::vector<std::string>> Types(Connection& c, bool about_a_patient);

  // The names an import's source gave resources, and what they are here (migration 0027).
  static Status PutImportName(Connection& c, std::string_view name, std::string_view target);
  // Holds `name` for the rest of the write transaction, so that two writers about to give it its first target
  // (a location made for an organization) take turns: the second then finds the first's. PostgreSQL only
  // (pg_advisory_xact_lock); SQLite's writers already take turns.
  static Status LockImportName(Connection& c, std::string_view name);
  // What `name` is here, if it is known (one index probe; an import places each encounter so).
  static Result<std::optional<std::string>> ImportName(Connection& c, std::string_view name);
  // Those of `names` known, as (name, target).
  static Result<std::vector<std::pair<std::string, std::string>>> ImportNames(Connection& c,
                                                                               const std::vector<std::string>& names);
};

}  // namespace caredesk::db
