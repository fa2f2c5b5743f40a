// Patients as FHIR resources: create, update and read through PatientService
// (so validation, the duplicate index, HL7 v2 outbound messages and the audit
// trail are the rest of CareDesk's), with what the writer sent that CareDesk
// does not model kept in fhir_sources in the same transaction and served back
// (KeepUnmodelled). The one part of caredesk_fhir that reads and writes.
// Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <vector>

#include "app/patient_service.h"

namespace caredesk::fhir {

struct PatientInput;

struct StoredPatient {
  boost::json::object resource;
  int64_t version = 0;
  int64_t updated_at_ms = 0;
};

class PatientStore {
 public:
  PatientStore(PatientService& patients, db::Pool& pool, const Clock& clock)
      : patients_(patients), pool_(pool), clock_(clock) {}
  PatientService& service() { return patients_; }

  // A new patient from a Patient resource. No duplicate warning: a system that must not create one twice
  // says so with If-None-Exist (the handler's conditional create). Conflict "identifier_taken" when an
  // identifier belongs to another patient, unless it is one of `not_indexed`: those stay in the resource as
  // sent but do not find this patient (an import's colliding identifiers).
  Result<StoredPatient> Create(const Actor& by, const boost::json::value& body,
                               const std::vector<db::IdentifierKey>& not_indexed = {});
  // Replaces patient `id`'s demographics with the resource's (coverages and consents stay); with
  // `expected_version`, Conflict "stale_version" unless that is the current version. NotFound for no such
  // patient. A resource whose id is not `id` is a 400.
  Result<StoredPatient> Update(const Actor& by, int64_t id, const boost::json::value& body,
                               std::optional<int64_t> expected_version,
                               const std::vector<db::IdentifierKey>& not_indexed = {});
  // Create and Update inside the caller's write transaction (an import's batch, a transaction Bundle): the
  // same checks, before anything is written. Once committed, the caller hands `patient` to Indexed.
  struct Written {
    StoredPatient stored;
    Patient patient;
  };
  Result<Written> CreateInTx(db::Connection& c, const Actor& by, const boost::json::value& body,
                             const std::vector<db::IdentifierKey>& not_indexed = {});
  Result<Written> UpdateInTx(db::Connection& c, const Actor& by, int64_t id, const boost::json::value& body,
                             std::optional<int64_t> expected_version,
                             const std::vector<db::IdentifierKey>& not_indexed = {});
  void Indexed(const Patient& p) { patients_.Indexed(p); }

  // The patient as a resource, audited as a read.
  Result<StoredPatient> Read(const Actor& by, int64_t id);
  // Version `version` (vread) and every version newest first (history): the demographics of that version
  // with the identifiers the patient has now, and what the writer sent kept as it was then.
  Result<StoredPatient> ReadVersion(const Actor& by, int64_t id, int64_t version);
  Result<std::vector<StoredPatient>> History(const Actor& by, int64_t id);
  // Resources for a search page's patients (already read and audited by the search).
  Result<std::vector<boost::json::object>> Resources(const std::vector<PatientWithIdentifiers>& page);

 private:
  // `write` (CreateInTx or UpdateInTx) in a transaction of its own, the search index told after the commit.
  Result<StoredPatient> Committed(const std::function<Result<Written>(db::Connection&)>& write);
  // A Patient resource read into the record (a birth date may be today, in any zone).
  Result<PatientInput> Input(const boost::json::value& body) const;
  // Inside the patient's write: the identifiers it carries, and the resource as sent beside CareDesk's
  // record of it; `out` is what a read will serve.
  PatientService::AlsoWrite Keep(const PatientInput& in, StoredPatient& out,
                                 const std::vector<db::IdentifierKey>& not_indexed = {});
  Result<boost::json::object> Served(db::Connection& c, const PatientWithIdentifiers& p);

  PatientService& patients_;
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
