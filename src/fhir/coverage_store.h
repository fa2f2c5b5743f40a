// Coverages written through FHIR: create (POST Coverage), update (PUT Coverage/{id}) and delete. A Coverage
// becomes, or changes, one coverage of its beneficiary's CareDesk record (coverage_resource.h says what is
// read of it), written as an update of that patient: validated, versioned and audited as one, in one
// transaction, so a concurrent change of the patient is not lost. What the writer sent that CareDesk does not
// model is kept beside the coverage (fhir_sources) and served back (kept_as_sent.h).
//
// - Create: NotFound-free; 422 naming Coverage.beneficiary for an unknown patient, 409 "patient_merged" for
//   a merged one; 409 "coverage_exists" (Coverage.subscriberId) when the patient already has a coverage of
//   that payer and member id (update that one).
// - Update: NotFound for a coverage CareDesk does not have; 422 Coverage.beneficiary when it names another
//   patient (a coverage does not move between patients).
// - Payers are names: a payor that references an Organization CareDesk keeps (kept as sent) is named by that
//   Organization's name; one it does not keep, without a display, is a 422.
// - The body is checked as every FHIR write's is (CheckResource: resourceType, an update's id the URL's).
// Coverages have no versions of their own (a coverage changes with its patient): no If-Match. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "app/patient_service.h"
#include "fhir/coverage_resource.h"
#include "storage/pool.h"

namespace caredesk::fhir {

class CoverageStore {
 public:
  CoverageStore(PatientService& patients, db::Pool& pool, const Clock& clock)
      : patients_(patients), pool_(pool), clock_(clock) {}

  struct Written {
    boost::json::object resource;  // as a read serves it now
    int64_t id = 0;
    int64_t patient_id = 0;
    bool created = false;
  };

  // `body` as coverage `id` (0: a new one), in a transaction of its own.
  Result<Written> Write(const Actor& by, int64_t id, const boost::json::value& body);
  Status Delete(const Actor& by, int64_t id);

  // The same inside the caller's write transaction (a transaction Bundle's, an import's), at `now_ms`. The
  // payor's Organization is read in `c`, so one the same transaction kept before counts. `patient` is the
  // record as written: the caller hands it to Indexed once committed. With `same_updates` (an import), a new
  // coverage of a payer and member id the patient has updates that one rather than being refused.
  Result<Written> WriteInTx(db::Connection& c, const Actor& by, int64_t id, const boost::json::object& resource,
                            int64_t now_ms, Patient& patient, bool same_updates = false);
  Status DeleteInTx(db::Connection& c, const Actor& by, int64_t id, Patient& patient);
  // After the caller's transaction committed: the search index learns of a patient written in it.
  void Indexed(const Patient& p) { patients_.Indexed(p); }

 private:
  // Runs `change` on the patient's coverages as the patient's update in the caller's transaction; `after`
  // sees the record as written.
  Result<Patient> Change(db::Connection& c, const Actor& by, int64_t patient_id,
                         const std::function<Status(Patient&)>& change, const PatientService::AlsoWrite& after);
  // Runs `write` in a transaction of its own, again when a concurrent change of the patient got in first.
  template <typename T>
  Result<T> Retried(const std::function<Result<T>(db::Connection&, Patient&)>& write);

  PatientService& patients_;
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
