// Patients, their coverages and consents in the database, and the change
// feed every server process reads to keep its search index current.
// Thread-compatible.
#pragma once

#include <optional>
#include <vector>

#include "domain/patients/patient.h"
#include "domain/patients/patient_index.h"
#include "storage/db.h"

namespace caredesk::db {

class PatientRepository {
 public:
  // Inserts the patient with its coverages and consents, issues the MRN from
  // the row id, and records the change. Returns the id; `p.mrn` is set.
  static Result<int64_t> Insert(Connection& c, Patient& p);
  // Replaces demographics, coverages and consents if the stored version is
  // `p.version`; false when someone else changed it first.
  static Result<bool> Update(Connection& c, Patient& p);
  static Result<std::optional<Patient>> Find(Connection& c, int64_t id);
  // The demographics of `ids` (no coverages or consents) in one query, in the order of `ids`; ids
  // without a patient are skipped.
  static Result<std::vector<Patient>> FindDemographics(Connection& c, const std::vector<int64_t>& ids);
  // The patient's version (what Update compares), without reading the record; nullopt when there is none.
  static Result<std::optional<int64_t>> Version(Connection& c, int64_t id);
  // The patient's earlier versions (demographics only), kept by the database whenever an update moved the
  // record on (patient_versions, migration 0023): one, or all newest first. The current version is Find's.
  static Result<std::optional<Patient>> EarlierVersion(Connection& c, int64_t id, int64_t version);
  static Result<std::vector<Patient>> EarlierVersions(Connection& c, int64_t id);
  // Find's lookups of the side tables; migration 0017 gives each a covering
  // index (storage_test checks SQLite's plan).
  static constexpr const char* kCoveragesSql =
      "SELECT id, payer, member_id, group_number, relationship, start_date, end_date FROM coverages "
      "WHERE patient_id = $1 ORDER BY id";
  static constexpr const char* kConsentsSql =
      "SELECT kind, granted, date FROM consents WHERE patient_id = $1 ORDER BY id";

  // Index rows with id > after_id, in id order (for loading the index). Neither lists a record merged into
  // another: it is out of search.
  static Result<std::vector<IndexedPatient>> IndexRows(Connection& c, int64_t after_id, int limit);
  // The rows of `ids` as stored (display form), in no particular order; merged records are left out.
  static Result<std::vector<IndexedPatient>> IndexRowsFor(Connection& c, const std::vector<int64_t>& ids);

  struct Change {
    int64_t seq;
    int64_t patient_id;
  };
  static Result<std::vector<Change>> ChangesSince(Connection& c, int64_t after_seq, int limit);
  static Result<int64_t> LatestChange(Connection& c);
};

}  // namespace caredesk::db
