#include "fhir/coverage_store.h"

#include <boost/json/serialize.hpp>

#include "core/civil_time.h"
#include "fhir/coverage_resource.h"
#include "fhir/json_access.h"
#include "fhir/kept_as_sent.h"
#include "fhir/resource_store.h"
#include "storage/coverage_repository.h"
#include "storage/fhir_resource_repository.h"
#include "storage/fhir_source_repository.h"
#include "storage/patient_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

Error Bad(std::string path, std::string message) { return Error::Unprocessable(std::move(path), std::move(message)); }

// A patient-level error as the Coverage's: the beneficiary's.
Error AsBeneficiary(Error e) {
  if (e.code == ErrorCode::kNotFound) {
    return Bad("Coverage.beneficiary", "Coverage.beneficiary names no CareDesk patient: " + e.message);
  }
  if (e.reason == "patient_merged") e.field = "Coverage.beneficiary";
  if (e.code == ErrorCode::kInvalidArgument) {
    // The domain's own check of a coverage ("coverages[2].member_id") after ours: name the resource.
    return Bad("Coverage", e.message);
  }
  return e;
}

}  // namespace

Result<Patient> CoverageStore::Change(db::Connection& c, const Actor& by, int64_t patient_id,
                                      const std::function<Status(Patient&)>& change,
                                      const PatientService::AlsoWrite& after) {
  CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, patient_id));
  if (!current) return AsBeneficiary(Error::NotFound("no patient with id " + std::to_string(patient_id)));
  Patient p = std::move(*current);
  const int64_t version = p.version;
  CD_RETURN_IF_ERROR(change(p));
  auto written = patients_.UpdateInTx(c, by, patient_id, std::move(p), version, after);
  if (!written.ok()) return AsBeneficiary(written.error());
  return written;
}

template <typename T>
Result<T> CoverageStore::Retried(const std::function<Result<T>(db::Connection&, Patient&)>& write) {
  for (int attempt = 0;; ++attempt) {
    Patient patient;
    auto conn = pool_.Acquire();
    Result<T> done = db::InTransaction(*conn, true, [&](db::Connection& c) { return write(c, patient); });
    if (done.ok()) {
      patients_.Indexed(patient);
      return done;
    }
    if (done.error().reason != "stale_version" || attempt == 2) return done;
  }
}

// The payer a payor reference names: an Organization CareDesk keeps (one the caller's transaction kept too).
namespace {
Result<std::string> PayerNamed(db::Connection& c, const std::string& ref) {
  std::string name;
  if (ref.starts_with("Organization/") && ref.size() > 13) {
    CD_ASSIGN_OR_RETURN(auto row, db::FhirResourceRepository::Find(c, "Organization", ref.substr(13)));
    if (row && !row->deleted) name = StringAt(ObjectOf(row->body), "name");
  }
  if (name.empty()) {
    return Bad("Coverage.payor", "Coverage.payor references " + ref +
                                     ", which is not an Organization CareDesk keeps with a name: give payor.display");
  }
  return name;
}
}  // namespace

Result<CoverageStore::Written> CoverageStore::Write(const Actor& by, int64_t id, const json::value& body) {
  if (!body.is_object()) return Error::Invalid("body", "the body must be a Coverage resource (a JSON object)");
  const int64_t now = ToMillis(clock_.Now());
  return Retried<Written>([&](db::Connection& c, Patient& patient) {
    return WriteInTx(c, by, id, body.get_object(), now, patient);
  });
}

Result<CoverageStore::Written> CoverageStore::WriteInTx(db::Connection& c, const Actor& by, int64_t id,
                                                        const json::object& resource, int64_t now_ms,
                                                        Patient& patient, bool same_updates) {
  const std::string url_id = std::to_string(id);
  CD_RETURN_IF_ERROR(CheckResource(resource, "Coverage", id != 0 ? std::optional<std::string_view>(url_id)
                                                                   : std::nullopt));
  CD_ASSIGN_OR_RETURN(CoverageInput in, ReadCoverage(resource));
  if (!in.payor_reference.empty()) {
    CD_ASSIGN_OR_RETURN(in.coverage.payer, PayerNamed(c, in.payor_reference));
    in.payor_reference.clear();
  }
  const json::object original = AsSent(resource);
  if (id != 0) {
    CD_ASSIGN_OR_RETURN(auto existing, db::CoverageRepository::Find(c, id));
    if (!existing) return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
    if (existing->patient_id != in.patient_id) {
      return Bad("Coverage.beneficiary", "Coverage/" + std::to_string(id) + " is Patient/" +
                                             std::to_string(existing->patient_id) +
                                             "'s: a coverage does not move to another patient (create one for them)");
    }
  }
  Written w;
  w.patient_id = in.patient_id;
  w.created = id == 0;
  int64_t target = id;  // the coverage written over: `id`, or the same one an import finds
  json::object projection;
  CD_ASSIGN_OR_RETURN(
      patient,
      Change(
          c, by, in.patient_id,
          [&](Patient& p) -> Status {
            if (id == 0) {
              for (Coverage& cov : p.coverages) {
                if (cov.payer == in.coverage.payer && cov.member_id == in.coverage.member_id) {
                  if (same_updates) {
                    target = cov.id;
                    w.created = false;
                    in.coverage.id = cov.id;
                    cov = in.coverage;
                    return Ok();
                  }
                  return Error::Conflict("coverage_exists",
                                         "the patient already has this coverage (Coverage/" + std::to_string(cov.id) +
                                             "): update that one",
                                         "Coverage.subscriberId");
                }
              }
              in.coverage.id = 0;
              p.coverages.push_back(in.coverage);
              return Ok();
            }
            for (Coverage& cov : p.coverages) {
              if (cov.id == id) {
                cov = in.coverage;
                cov.id = id;
                return Ok();
              }
            }
            return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
          },
          [&](db::Connection& conn, const Patient& after) -> Status {
            // The coverage written: the one with the id asked for, or the new one (the last).
            const Coverage* written = nullptr;
            for (const Coverage& cov : after.coverages) {
              if (target == 0 || cov.id == target) written = &cov;
            }
            if (!written) return Error::Internal("the coverage written is not on the patient's record");
            w.id = written->id;
            db::CoverageRow row{written->id, after.id, *written, after.given_name + " " + after.family_name};
            projection = CoverageResource(row);
            return db::FhirSourceRepository::Put(
                conn, db::FhirSourceRow{"Coverage", written->id, after.version, now_ms, json::serialize(original),
                                        json::serialize(projection)});
          }));
  w.resource = KeepAsSent(original, projection, projection, CoverageModelled(), /*keep_unsent=*/true);
  return w;
}

Status CoverageStore::DeleteInTx(db::Connection& c, const Actor& by, int64_t id, Patient& patient) {
  CD_ASSIGN_OR_RETURN(auto existing, db::CoverageRepository::Find(c, id));
  if (!existing) return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
  CD_ASSIGN_OR_RETURN(patient, Change(
                                   c, by, existing->patient_id,
                                   [&](Patient& p) -> Status {
                                     std::erase_if(p.coverages, [&](const Coverage& cov) { return cov.id == id; });
                                     return Ok();
                                   },
                                   {}));
  return Ok();
}

Status CoverageStore::Delete(const Actor& by, int64_t id) {
  auto done = Retried<bool>([&](db::Connection& c, Patient& patient) -> Result<bool> {
    CD_RETURN_IF_ERROR(DeleteInTx(c, by, id, patient));
    return true;
  });
  if (!done.ok()) return done.error();
  return Ok();
}

}  // namespace caredesk::fhir
