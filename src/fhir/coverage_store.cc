#include "fhir/coverage_store.h"

#include <boost/json/serialize.hpp>

#include "core/civil_time.h"
#include "fhir/coverage_resource.h"
#include "fhir/json_access.h"
#include "fhir/kept_as_sent.h"
#include "storage/coverage_repository.h"
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

Result<Patient> CoverageStore::Change(const Actor& by, int64_t patient_id,
                                      const std::function<Status(Patient&)>& change,
                                      const PatientService::AlsoWrite& after) {
  for (int attempt = 0;; ++attempt) {
    auto conn = pool_.Acquire();
    Result<Patient> written = db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<Patient> {
      CD_ASSIGN_OR_RETURN(auto current, db::PatientRepository::Find(c, patient_id));
      if (!current) return Error::NotFound("no patient with id " + std::to_string(patient_id));
      Patient p = std::move(*current);
      const int64_t version = p.version;
      CD_RETURN_IF_ERROR(change(p));
      return patients_.UpdateInTx(c, by, patient_id, std::move(p), version, after);
    });
    if (written.ok()) {
      patients_.Indexed(*written);
      return written;
    }
    if (written.error().reason != "stale_version" || attempt == 2) return AsBeneficiary(written.error());
  }
}

Result<CoverageStore::Written> CoverageStore::Write(const Actor& by, int64_t id, const json::value& body) {
  if (!body.is_object()) return Error::Invalid("body", "the body must be a Coverage resource (a JSON object)");
  const json::object& resource = body.get_object();
  CD_ASSIGN_OR_RETURN(CoverageInput in, ReadCoverage(resource));
  if (!in.payor_reference.empty()) {
    // The payer an Organization CareDesk keeps names.
    const std::string ref = in.payor_reference;
    const size_t slash = ref.find('/');
    std::string name;
    if (ref.starts_with("Organization/") && slash + 1 < ref.size()) {
      auto org = resources_.Read(by, "Organization", ref.substr(slash + 1));
      if (org.ok()) name = StringAt(ObjectOf(org->body), "name");
    }
    if (name.empty()) {
      return Bad("Coverage.payor", "Coverage.payor references " + ref +
                                       ", which is not an Organization CareDesk keeps with a name: give payor.display");
    }
    in.coverage.payer = name;
  }
  if (id != 0) {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto existing, db::CoverageRepository::Find(*conn, id));
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
  const int64_t now = ToMillis(clock_.Now());
  const json::object original = AsSent(resource);
  json::object projection;
  CD_ASSIGN_OR_RETURN(
      Patient p,
      Change(
          by, in.patient_id,
          [&](Patient& p) -> Status {
            if (id == 0) {
              for (const Coverage& c : p.coverages) {
                if (c.payer == in.coverage.payer && c.member_id == in.coverage.member_id) {
                  return Error::Conflict("coverage_exists",
                                         "the patient already has this coverage (Coverage/" + std::to_string(c.id) +
                                             "): update that one",
                                         "Coverage.subscriberId");
                }
              }
              in.coverage.id = 0;
              p.coverages.push_back(in.coverage);
            } else {
              for (Coverage& c : p.coverages) {
                if (c.id == id) {
                  c = in.coverage;
                  c.id = id;
                  return Ok();
                }
              }
              return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
            }
            return Ok();
          },
          [&](db::Connection& c, const Patient& after) -> Status {
            // The coverage written: the one with the id asked for, or the new one (the last).
            const Coverage* written = nullptr;
            for (const Coverage& cov : after.coverages) {
              if (id != 0 ? cov.id == id : true) written = &cov;
              if (id != 0 && written) break;
            }
            if (!written) return Error::Internal("the coverage written is not on the patient's record");
            w.id = written->id;
            db::CoverageRow row{written->id, after.id, *written, after.given_name + " " + after.family_name};
            projection = CoverageResource(row);
            return db::FhirSourceRepository::Put(
                c, db::FhirSourceRow{"Coverage", written->id, after.version, now, json::serialize(original),
                                     json::serialize(projection)});
          }));
  (void)p;
  w.resource = KeepAsSent(original, projection, projection, CoverageModelled(), /*keep_unsent=*/true);
  return w;
}

Status CoverageStore::Delete(const Actor& by, int64_t id) {
  int64_t patient_id = 0;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto existing, db::CoverageRepository::Find(*conn, id));
    if (!existing) return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
    patient_id = existing->patient_id;
  }
  CD_RETURN_IF_ERROR(Change(
      by, patient_id,
      [&](Patient& p) -> Status {
        const auto before = p.coverages.size();
        std::erase_if(p.coverages, [&](const Coverage& c) { return c.id == id; });
        if (p.coverages.size() == before) return Error::NotFound("Coverage/" + std::to_string(id) + " is not known");
        return Ok();
      },
      {}));
  return Ok();
}

}  // namespace caredesk::fhir
