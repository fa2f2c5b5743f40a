// Practitioners and Encounters written through FHIR: create and update, alone or as entries of a transaction
// Bundle, and by an import. Each becomes CareDesk's own record (visit_import.h says how a resource is read):
// a Practitioner a provider, an Encounter a visit that is over. What the writer sent that CareDesk does not
// model is kept beside the record in the same transaction (fhir_sources) and served back (kept_as_sent.h).
//
// - A Practitioner creates a provider, or updates one: its name and whether it is active. Where the provider
//   works, its specialty and overbooking policy stay CareDesk's (the set-up pages). Writing one is a set-up
//   change, audited as one.
// - An Encounter creates a finished (or cancelled) visit of a CareDesk patient, at the CareDesk Location it
//   names or, failing that, at a location made once for the Organization that provided it (its
//   serviceProvider: one kept as sent, or `pending` in an import, or the reference's display). An update
//   replaces such a visit, never one recorded on the flow board: those change there (409
//   "recorded_at_check_in"). A merged patient is refused (409 "patient_merged").
//
// Versions: a provider's and an encounter's own (meta.versionId, the ETag); with an expected version, a
// write to anything else is Conflict "stale_version" (FHIR's 412). Errors name the element
// ("Encounter.period.start"). Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_log.h"
#include "app/schedule_service.h"
#include "fhir/visit_import.h"
#include "storage/encounter_repository.h"
#include "storage/pool.h"

namespace caredesk::fhir {

class VisitStore {
 public:
  VisitStore(ScheduleService& schedule, AuditLog& audit, db::Pool& pool, const Clock& clock)
      : schedule_(schedule), audit_(audit), pool_(pool), clock_(clock) {}

  struct Written {
    boost::json::object resource;  // as a read serves it now
    int64_t id = 0;
    int64_t version = 0;
    int64_t updated_at_ms = 0;
    int64_t patient_id = 0;  // an encounter's
    bool created = false;
    bool made_location = false;  // an encounter's: a location was made for its organization
  };

  // Organizations an import has read but not yet kept, by the reference its encounters use ("Organization/…").
  using Pending = std::function<const boost::json::object*(const std::string& reference)>;

  // `body` as provider `id` (0: a new one), in a transaction of its own. NotFound for no provider `id`.
  Result<Written> WritePractitioner(const Actor& by, int64_t id, const boost::json::value& body,
                                    std::optional<int64_t> expected_version);
  // `body` as encounter `id` (0: a new one), in a transaction of its own. NotFound for no encounter `id`.
  Result<Written> WriteEncounter(const Actor& by, int64_t id, const boost::json::value& body,
                                 std::optional<int64_t> expected_version);

  // The same inside the caller's write transaction (a transaction Bundle's, an import's), at `now_ms`. The
  // audit entries are added to `audit`, except an encounter's patient entry with `audit_patient` false (an
  // import audits one entry per patient and batch). Once the transaction is over the caller calls Committed.
  Result<Written> PractitionerInTx(db::Connection& c, const Actor& by, int64_t id, const boost::json::object& resource,
                                   std::optional<int64_t> expected_version, int64_t now_ms,
                                   std::vector<AuditRecord>& audit);
  Result<Written> EncounterInTx(db::Connection& c, const Actor& by, int64_t id, const boost::json::object& resource,
                                std::optional<int64_t> expected_version, int64_t now_ms,
                                std::vector<AuditRecord>& audit, bool audit_patient = true,
                                const Pending& pending = {});
  // After a transaction that wrote practitioners or made locations: the schedule reloads them.
  void Committed() { schedule_.Invalidate(); }

 private:
  // Where the visit happened: the CareDesk location it names, else the one made for its organization
  // (`made` when this call made it).
  struct Site {
    int64_t location_id = 0;
    bool made = false;
  };
  Result<Site> Place(db::Connection& c, const Actor& by, const VisitInput& v, std::vector<AuditRecord>& audit,
                     const Pending& pending);
  // The clinic's own time zone (its first location's), for a location made for an organization.
  std::string HomeZone();
  Result<Written> InOwnTransaction(
      const std::function<Result<Written>(db::Connection&, std::vector<AuditRecord>&, int64_t now_ms)>& write);

  ScheduleService& schedule_;
  AuditLog& audit_;
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
