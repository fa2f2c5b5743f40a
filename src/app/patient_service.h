// Registration and the master patient index: register (warning of probable
// duplicates unless the user confirms), read, update, and typo-tolerant
// search. The search index lives in memory; it is loaded at start and kept
// current from this process's own writes at once and from other processes'
// writes through the patients change feed (checked at most every
// `sync_interval`). Every read is audited. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "domain/patients/duplicate_detector.h"
#include "domain/patients/patient.h"
#include "domain/patients/patient_criteria.h"
#include "domain/patients/patient_index.h"
#include "storage/patient_identifier_repository.h"
#include "storage/pool.h"

namespace caredesk {

class Hl7OutboundService;

struct PatientSummary {
  IndexedPatient patient;
  double score = 0;
};

// A patient with the identifiers other systems know them by (patient_identifiers), as an
// interoperability interface serves them.
struct PatientWithIdentifiers {
  Patient patient;
  std::vector<db::PatientIdentifierRow> identifiers;
};

// One page of the patients matching PatientCriteria, in its order.
struct PatientMatches {
  std::vector<PatientWithIdentifiers> patients;
  std::string last_sort_key;            // the last row's sort key, for the next page's cursor
  bool more = false;                    // patients match after this page
  std::optional<int64_t> total;         // all matches, when asked for
};

struct DuplicateFound {
  std::vector<std::pair<Patient, MatchScore>> candidates;
};

// The refusal of a record merged into another: 409 patient_merged naming `field` (which may be empty). And
// the check that a new appointment, visit or case names a current record, returning its name as the
// calendar shows it ("given family"): unknown_patient (422) when there is no such patient, patient_merged
// when it was merged, both naming the field "patient_id". Inside the caller's write transaction; on
// PostgreSQL it locks the row FOR KEY SHARE (as the foreign key of what the caller then inserts would), so a
// merge under way is waited for and seen.
Error MergedPatient(int64_t patient_id, int64_t merged_into, std::string field);
Result<std::string> RequireCurrentPatient(db::Connection& c, int64_t patient_id);

class PatientService {
 public:
  PatientService(db::Pool& pool, const Clock& clock, AuditLog& audit,
                 std::chrono::milliseconds sync_interval = std::chrono::milliseconds(500))
      : pool_(pool), clock_(clock), audit_(audit), sync_interval_(sync_interval) {}

  // Loads the index from the database; `progress(done)` is called now and
  // then for long loads.
  Status LoadIndex(const std::function<void(size_t)>& progress = {});

  // More to write in the same transaction as a patient, once the patient row is written (`p` has its id
  // and new version): what a FHIR write keeps beside the record. An error undoes the whole write.
  using AlsoWrite = std::function<Status(db::Connection&, const Patient& p)>;

  struct Registered {
    std::optional<Patient> patient;     // set when registered
    std::optional<DuplicateFound> duplicates;  // set when refused for probable duplicates
  };
  Result<Registered> Register(const Actor& by, Patient p, bool confirm_new, const AlsoWrite& also = {});
  Result<Patient> Get(const Actor& by, int64_t id);
  // Get, with the patient's identifiers from other systems.
  Result<PatientWithIdentifiers> GetWithIdentifiers(const Actor& by, int64_t id);
  // Version `version` of the patient's demographics, with the identifiers it has now (FHIR vread); NotFound
  // when there is no such patient or version. Audited as a read.
  Result<PatientWithIdentifiers> GetVersion(const Actor& by, int64_t id, int64_t version);
  // Every version of the patient's demographics, newest first (FHIR history). Audited as one read.
  Result<std::vector<PatientWithIdentifiers>> History(const Actor& by, int64_t id);
  // Exact, unranked matching (FHIR Patient search): one page after the criteria's cursor, and the
  // number of all matches when `count_all`. With `read_records` false only the ids are filled
  // (FHIR _summary=count reads no record). Each patient returned is audited as read, the search itself
  // as a patient_search; from one read snapshot.
  Result<PatientMatches> Match(const Actor& by, const PatientCriteria& criteria, bool count_all, bool read_records = true);
  // Replaces the patient's record with `p`; with `keep_coverages_and_consents` those stay as they are and
  // `p`'s are ignored (a FHIR Patient carries neither).
  Result<Patient> Update(const Actor& by, int64_t id, Patient p, std::optional<int64_t> expected_version,
                         const AlsoWrite& also = {}, bool keep_coverages_and_consents = false);

  // Register (with no duplicate warning) and Update inside the caller's write transaction `c`: an import's
  // batch, a transaction Bundle. The same validation (before anything is written), writes and audit entries;
  // the search index learns of the patient when the caller, once committed, calls Indexed with it.
  Result<Patient> RegisterInTx(db::Connection& c, const Actor& by, Patient p, const AlsoWrite& also = {});
  Result<Patient> UpdateInTx(db::Connection& c, const Actor& by, int64_t id, Patient p,
                             std::optional<int64_t> expected_version, const AlsoWrite& also = {},
                             bool keep_coverages_and_consents = false);

  // Ranked search over names (typo-tolerant), birth date, phone and MRN.
  Result<std::vector<PatientSummary>> Search(const Actor& by, std::string_view query, size_t limit, size_t offset);

  Result<std::vector<AuditRecord>> AccessLog(const Actor& by, int64_t id, int limit, int offset);

  // The probable duplicates of `p` among the indexed patients, best first, at most `limit`: what
  // Register would warn of. `p` must be valid (ValidateAndNormalize). Reads no record; audits nothing.
  Result<std::vector<DuplicateCandidate>> ProbableDuplicates(const Patient& p, size_t limit);
  // Brings the search index up to date with a patient another service wrote (in its own
  // transaction, once that has committed).
  void Indexed(const Patient& p) { index_.Upsert(ToIndexed(p)); }
  // Takes a patient out of the search index (merged into another, once that has committed).
  void Forget(int64_t id) { index_.Remove(id); }

  size_t indexed() const { return index_.size(); }
  const PatientIndex& index() const { return index_; }

  // Outbound HL7 v2: a demographics update queues an ADT A08 in its own transaction
  // (Hl7OutboundService::PatientChanged). Wired once, before the first request; nullptr = none.
  void UseOutbound(Hl7OutboundService* outbound) { outbound_ = outbound; }

 private:
  // Register's and Update's writes, in the caller's transaction.
  Status InsertNew(db::Connection& c, const Actor& by, Patient& p, const AlsoWrite& also, const char* detail);
  Status ReplaceRecord(db::Connection& c, const Actor& by, int64_t id, Patient& p,
                       std::optional<int64_t> expected_version, const AlsoWrite& also,
                       bool keep_coverages_and_consents);
  Status SyncIndex();
  IndexedPatient ToIndexed(const Patient& p) const;

  Hl7OutboundService* outbound_ = nullptr;
  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  std::chrono::milliseconds sync_interval_;
  PatientIndex index_;
  std::mutex sync_mu_;
  int64_t synced_seq_ = 0;          // guarded by sync_mu_
  TimePoint synced_at_{};           // guarded by sync_mu_
};

}  // namespace caredesk
