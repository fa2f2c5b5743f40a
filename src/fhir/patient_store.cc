#include "fhir/patient_store.h"

#include <algorithm>
#include <unordered_map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/civil_time.h"
#include "fhir/json_access.h"
#include "fhir/patient_input.h"
#include "fhir/patient_resource.h"
#include "storage/fhir_source_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr char kType[] = "Patient";

StoredPatient Stored(json::object resource, const Patient& p) {
  return StoredPatient{std::move(resource), p.version, p.updated_at_ms};
}

}  // namespace

Result<StoredPatient> PatientStore::Committed(const std::function<Result<Written>(db::Connection&)>& write) {
  Written written;
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(written, write(c));
    return Ok();
  }));
  patients_.Indexed(written.patient);
  return std::move(written.stored);
}

Result<PatientInput> PatientStore::Input(const json::value& body) const {
  return ReadPatientResource(body, InstantToLocal(clock_.Now(), "UTC").date.AddDays(1));
}

// No duplicate warning (see the header): the same write as inside a caller's transaction, in one of its own.
Result<StoredPatient> PatientStore::Create(const Actor& by, const json::value& body,
                                           const std::vector<db::IdentifierKey>& not_indexed) {
  return Committed([&](db::Connection& c) { return CreateInTx(c, by, body, not_indexed); });
}

namespace {

// An update's resource names the patient it updates.
Status CheckUpdateId(const json::value& body, int64_t id) {
  if (!body.is_object()) return Ok();  // ReadPatientResource says what is wrong
  if (const json::value* rid = body.get_object().if_contains("id")) {
    if (!rid->is_string() || rid->get_string() != std::to_string(id)) {
      return Error::Invalid("Patient.id", "the resource's id must be the id in the URL, " + std::to_string(id));
    }
    return Ok();
  }
  return Error::Invalid("Patient.id", "an update must carry the resource's id, " + std::to_string(id));
}

}  // namespace

Result<PatientStore::Written> PatientStore::CreateInTx(db::Connection& c, const Actor& by, const json::value& body,
                                                       const std::vector<db::IdentifierKey>& not_indexed) {
  CD_ASSIGN_OR_RETURN(PatientInput in, Input(body));
  Written out;
  CD_ASSIGN_OR_RETURN(out.patient, patients_.RegisterInTx(c, by, in.patient, Keep(in, out.stored, not_indexed)));
  return out;
}

Result<PatientStore::Written> PatientStore::UpdateInTx(db::Connection& c, const Actor& by, int64_t id,
                                                       const json::value& body,
                                                       std::optional<int64_t> expected_version,
                                                       const std::vector<db::IdentifierKey>& not_indexed) {
  CD_RETURN_IF_ERROR(CheckUpdateId(body, id));
  CD_ASSIGN_OR_RETURN(PatientInput in, Input(body));
  Written out;
  CD_ASSIGN_OR_RETURN(out.patient, patients_.UpdateInTx(c, by, id, in.patient, expected_version,
                                                        Keep(in, out.stored, not_indexed),
                                                        /*keep_coverages_and_consents=*/true));
  return out;
}

Result<StoredPatient> PatientStore::Update(const Actor& by, int64_t id, const json::value& body,
                                           std::optional<int64_t> expected_version,
                                           const std::vector<db::IdentifierKey>& not_indexed) {
  return Committed([&](db::Connection& c) { return UpdateInTx(c, by, id, body, expected_version, not_indexed); });
}

PatientService::AlsoWrite PatientStore::Keep(const PatientInput& in, StoredPatient& out,
                                             const std::vector<db::IdentifierKey>& not_indexed) {
  return [this, &in, &out, &not_indexed](db::Connection& c, const Patient& p) -> Status {
    const int64_t now = ToMillis(clock_.Now());
    for (db::PatientIdentifierRow row : in.identifiers) {
      if (std::any_of(not_indexed.begin(), not_indexed.end(), [&](const db::IdentifierKey& k) {
            return k.system == row.system && k.value == row.value;
          })) {
        continue;
      }
      row.patient_id = p.id;
      CD_ASSIGN_OR_RETURN(bool added, db::PatientIdentifierRepository::Add(c, row, now));
      (void)added;
    }
    PatientWithIdentifiers full{p, {}};
    CD_ASSIGN_OR_RETURN(full.identifiers, db::PatientIdentifierRepository::ForPatient(c, p.id));
    json::object projection = PatientResource(full);
    CD_RETURN_IF_ERROR(db::FhirSourceRepository::Put(
        c, db::FhirSourceRow{kType, p.id, p.version, now, json::serialize(in.original), json::serialize(projection)}));
    out = Stored(KeepUnmodelled(in.original, projection, projection), p);
    return Ok();
  };
}

Result<json::object> PatientStore::Served(db::Connection& c, const PatientWithIdentifiers& p) {
  json::object current = PatientResource(p);
  CD_ASSIGN_OR_RETURN(auto source, db::FhirSourceRepository::AtOrBefore(c, kType, p.patient.id, p.patient.version));
  if (!source) return current;
  return KeepUnmodelled(ObjectOf(source->original), ObjectOf(source->projection), std::move(current));
}

Result<StoredPatient> PatientStore::Read(const Actor& by, int64_t id) {
  CD_ASSIGN_OR_RETURN(PatientWithIdentifiers p, patients_.GetWithIdentifiers(by, id));
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(json::object resource, Served(*conn, p));
  return Stored(std::move(resource), p.patient);
}

Result<StoredPatient> PatientStore::ReadVersion(const Actor& by, int64_t id, int64_t version) {
  CD_ASSIGN_OR_RETURN(PatientWithIdentifiers p, patients_.GetVersion(by, id, version));
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(json::object resource, Served(*conn, p));
  return Stored(std::move(resource), p.patient);
}

Result<std::vector<StoredPatient>> PatientStore::History(const Actor& by, int64_t id) {
  CD_ASSIGN_OR_RETURN(std::vector<PatientWithIdentifiers> versions, patients_.History(by, id));
  std::vector<StoredPatient> out;
  out.reserve(versions.size());
  auto conn = pool_.Acquire();
  for (const auto& p : versions) {
    CD_ASSIGN_OR_RETURN(json::object resource, Served(*conn, p));
    out.push_back(Stored(std::move(resource), p.patient));
  }
  return out;
}

Result<std::vector<json::object>> PatientStore::Resources(const std::vector<PatientWithIdentifiers>& page) {
  std::vector<json::object> out;
  out.reserve(page.size());
  if (page.empty()) return out;
  std::vector<int64_t> ids;
  ids.reserve(page.size());
  for (const auto& p : page) ids.push_back(p.patient.id);
  std::vector<db::FhirSourceRow> sources;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(sources, db::FhirSourceRepository::Latest(*conn, kType, ids));
  }
  std::unordered_map<int64_t, const db::FhirSourceRow*> by_id;
  for (const auto& s : sources) by_id[s.resource_id] = &s;
  for (const auto& p : page) {
    const auto found = by_id.find(p.patient.id);
    if (found != by_id.end() && found->second->version > p.patient.version) {
      // Written through FHIR since this page was read: the source of the version read, as a read serves it.
      auto conn = pool_.Acquire();
      CD_ASSIGN_OR_RETURN(json::object resource, Served(*conn, p));
      out.push_back(std::move(resource));
      continue;
    }
    json::object current = PatientResource(p);
    if (found != by_id.end()) {
      current = KeepUnmodelled(ObjectOf(found->second->original), ObjectOf(found->second->projection),
                               std::move(current));
    }
    out.push_back(std::move(current));
  }
  return out;
}

}  // namespace caredesk::fhir
