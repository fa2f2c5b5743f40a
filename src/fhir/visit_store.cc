#include "fhir/visit_store.h"

#include <boost/json/serialize.hpp>

#include <algorithm>

#include "app/patient_service.h"
#include "fhir/json_access.h"
#include "fhir/kept_as_sent.h"
#include "fhir/resource_store.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "fhir/visit_resources.h"
#include "storage/fhir_resource_repository.h"
#include "storage/fhir_source_repository.h"
#include "storage/schedule_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

// `e` with its field named as the element of `type` ("name" → "Practitioner.name"), `element` for a field the
// resource has no element of that name for.
Error AsElement(Error e, std::string_view type, std::string_view element = {}) {
  if (e.field.empty() || e.field.find('.') != std::string::npos) return e;
  e.field = element.empty() ? std::string(type) + "." + e.field : std::string(element);
  return e;
}

Result<json::object> ObjectBody(const json::value& body, std::string_view type) {
  if (!body.is_object()) return Error::Invalid("resourceType", "the body must be a " + std::string(type) + " resource");
  return body.get_object();
}

std::optional<std::string> IdText(int64_t id) {
  return id > 0 ? std::optional<std::string>(std::to_string(id)) : std::nullopt;
}

// What was sent kept beside the record's version, and the resource a read now serves.
Result<json::object> Keep(db::Connection& c, std::string_view type, int64_t id, int64_t version, int64_t now_ms,
                          const json::object& resource, json::object projection,
                          std::span<const std::string_view> modelled) {
  json::object original = AsSent(resource);
  CD_RETURN_IF_ERROR(db::FhirSourceRepository::Put(
      c, db::FhirSourceRow{std::string(type), id, version, now_ms, json::serialize(original),
                           json::serialize(projection)}));
  json::object current = projection;
  return KeepAsSent(original, projection, std::move(current), modelled, /*keep_unsent=*/true);
}

}  // namespace

Result<VisitStore::Written> VisitStore::InOwnTransaction(
    const std::function<Result<Written>(db::Connection&, std::vector<AuditRecord>&, int64_t)>& write) {
  Written written;
  const int64_t now = ToMillis(clock_.Now());
  auto conn = pool_.Acquire();
  Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    std::vector<AuditRecord> audit;
    CD_ASSIGN_OR_RETURN(written, write(c, audit, now));
    return audit_.AppendInTx(c, std::move(audit));
  });
  Committed();
  if (!done.ok()) return done.error();
  return written;
}

Result<VisitStore::Written> VisitStore::WritePractitioner(const Actor& by, int64_t id, const json::value& body,
                                                          std::optional<int64_t> expected_version) {
  CD_ASSIGN_OR_RETURN(json::object resource, ObjectBody(body, "Practitioner"));
  return InOwnTransaction([&](db::Connection& c, std::vector<AuditRecord>& audit, int64_t now) {
    return PractitionerInTx(c, by, id, resource, expected_version, now, audit);
  });
}

Result<VisitStore::Written> VisitStore::WriteEncounter(const Actor& by, int64_t id, const json::value& body,
                                                       std::optional<int64_t> expected_version) {
  CD_ASSIGN_OR_RETURN(json::object resource, ObjectBody(body, "Encounter"));
  return InOwnTransaction([&](db::Connection& c, std::vector<AuditRecord>& audit, int64_t now) {
    return EncounterInTx(c, by, id, resource, expected_version, now, audit);
  });
}

Result<VisitStore::Written> VisitStore::PractitionerInTx(db::Connection& c, const Actor& by, int64_t id,
                                                         const json::object& resource,
                                                         std::optional<int64_t> expected_version, int64_t now_ms,
                                                         std::vector<AuditRecord>& audit) {
  CD_RETURN_IF_ERROR(CheckResource(resource, "Practitioner", IdText(id)));
  CD_ASSIGN_OR_RETURN(Provider p, ReadPractitioner(resource));
  if (id > 0) {
    CD_ASSIGN_OR_RETURN(std::optional<Provider> current, db::ScheduleRepository::FindProvider(c, id));
    if (!current) return Error::NotFound("Practitioner/" + std::to_string(id) + " is not known");
    // Where the provider works, and how it books, are CareDesk's.
    p.id = id;
    p.specialty = current->specialty;
    p.location_ids = current->location_ids;
    p.max_overbook = current->max_overbook;
  }
  Result<Provider> saved = schedule_.SaveProviderInTx(c, by, p, expected_version, audit);
  if (!saved.ok()) return AsElement(saved.error(), "Practitioner");
  Written w;
  w.id = saved->id;
  w.version = saved->version;
  w.updated_at_ms = now_ms;
  w.created = id == 0;
  CD_ASSIGN_OR_RETURN(w.resource, Keep(c, "Practitioner", w.id, w.version, now_ms, resource,
                                       PractitionerResource(*saved), PractitionerModelled()));
  return w;
}

Result<VisitStore::Written> VisitStore::EncounterInTx(db::Connection& c, const Actor& by, int64_t id,
                                                      const json::object& resource,
                                                      std::optional<int64_t> expected_version, int64_t now_ms,
                                                      std::vector<AuditRecord>& audit, bool audit_patient,
                                                      const Pending& pending) {
  CD_RETURN_IF_ERROR(CheckResource(resource, "Encounter", IdText(id)));
  CD_ASSIGN_OR_RETURN(VisitInput v, ReadVisit(resource));
  if (Result<std::string> patient = RequireCurrentPatient(c, v.patient_id); !patient.ok()) {
    return AsElement(patient.error(), "Encounter", "Encounter.subject");
  }
  db::EncounterRow row;
  int64_t at_version = 0;
  if (id > 0) {
    CD_ASSIGN_OR_RETURN(std::optional<db::EncounterRow> current, db::EncounterRepository::Find(c, id));
    if (!current) return Error::NotFound("Encounter/" + std::to_string(id) + " is not known");
    CD_ASSIGN_OR_RETURN(std::vector<db::TransitionRow> transitions, db::EncounterRepository::Transitions(c, id));
    if (!current->ended_at || !transitions.empty()) {
      return Error::Conflict("recorded_at_check_in",
                             "Encounter/" + std::to_string(id) + " was recorded at check-in; it changes on the flow "
                             "board, not through FHIR");
    }
    if (expected_version && *expected_version != current->version) {
      return Error::Conflict("stale_version", "Encounter/" + std::to_string(id) + " is no longer at version " +
                                                  std::to_string(*expected_version));
    }
    row = std::move(*current);
    at_version = row.version;
  }
  CD_ASSIGN_OR_RETURN(const Site site, Place(c, by, v, audit, pending));
  Written w;
  w.made_location = site.made;
  row.location_id = site.location_id;
  row.patient_id = v.patient_id;
  // A practitioner CareDesk does not know stays in the resource as sent, not in the record. One written
  // earlier in this transaction is not in the schedule's snapshot yet.
  row.provider_id.reset();
  if (v.provider_id) {
    if (schedule_.GetProvider(*v.provider_id).ok()) {
      row.provider_id = v.provider_id;
    } else {
      CD_ASSIGN_OR_RETURN(auto written, db::ScheduleRepository::FindProvider(c, *v.provider_id));
      if (written) row.provider_id = v.provider_id;
    }
  }
  row.state = v.state;
  row.state_since = now_ms;  // when CareDesk learnt of it: the resource's lastUpdated
  row.arrived_at = v.start;
  row.ended_at = v.end;
  if (id > 0) {
    CD_ASSIGN_OR_RETURN(bool replaced, db::EncounterRepository::ReplaceEnded(c, row, at_version));
    if (!replaced) {
      return Error::Conflict("stale_version", "Encounter/" + std::to_string(id) + " changed while it was written");
    }
  } else {
    CD_ASSIGN_OR_RETURN(row.id, db::EncounterRepository::InsertEnded(c, row));
  }
  CD_ASSIGN_OR_RETURN(auto saved, db::EncounterRepository::Find(c, row.id));
  if (!saved) return Error::Internal("encounter " + std::to_string(row.id) + " vanished while written");
  const std::vector<db::TransitionRow> no_transitions;
  w.id = saved->id;
  w.version = saved->version;
  w.updated_at_ms = saved->state_since;
  w.patient_id = saved->patient_id;
  w.created = id == 0;
  CD_ASSIGN_OR_RETURN(w.resource, Keep(c, "Encounter", w.id, w.version, now_ms, resource,
                                       EncounterResource(*saved, &no_transitions), EncounterModelled()));
  if (audit_patient) {
    audit.push_back(audit_.Make(by, w.created ? "create" : "update", audit_category::kEncounter, w.patient_id,
                                "success", "Encounter/" + std::to_string(w.id) + " through FHIR"));
  }
  return w;
}

Result<VisitStore::Site> VisitStore::Place(db::Connection& c, const Actor& by, const VisitInput& v,
                                           std::vector<AuditRecord>& audit, const Pending& pending) {
  if (v.location_id && schedule_.GetLocation(*v.location_id).ok()) return Site{*v.location_id, false};
  if (v.service_provider.empty() && v.service_provider_name.empty()) {
    return Error::Unprocessable("Encounter.location", "the encounter names neither a CareDesk location nor a "
                                                      "serviceProvider organization to place it at");
  }
  // The location made before for this organization, by an import or a write (kept under this name).
  const std::string key = "location-of:" + (v.service_provider.empty() ? "display:" + v.service_provider_name
                                                                        : v.service_provider);
  // Two visits at a new organization written at once make one location: the second waits for the first.
  CD_RETURN_IF_ERROR(db::FhirResourceRepository::LockImportName(c, key));
  CD_ASSIGN_OR_RETURN(auto known, db::FhirResourceRepository::ImportName(c, key));
  if (known) {
    if (const int64_t id = ReferenceId(*known, "Location"); id > 0) return Site{id, false};
  }
  json::object organization;
  if (const json::object* read = pending ? pending(v.service_provider) : nullptr) {
    organization = *read;
  } else if (v.service_provider.starts_with("Organization/")) {
    CD_ASSIGN_OR_RETURN(auto kept, db::FhirResourceRepository::Find(c, "Organization", v.service_provider.substr(13)));
    if (kept && !kept->deleted) organization = ObjectOf(kept->body);
  }
  if (!organization.contains("name") && !v.service_provider_name.empty()) {
    organization["name"] = v.service_provider_name;
  }
  if (organization.empty()) {
    return Error::Unprocessable("Encounter.serviceProvider",
                                v.service_provider + " is not an Organization CareDesk keeps, so where the encounter "
                                                     "happened is not known");
  }
  CD_ASSIGN_OR_RETURN(Location site, ReadOrganizationSite(organization, HomeZone()));
  Result<Location> saved = schedule_.SaveLocationInTx(c, by, site, audit);
  if (!saved.ok()) return AsElement(saved.error(), "Organization", "Encounter.serviceProvider");
  CD_RETURN_IF_ERROR(db::FhirResourceRepository::PutImportName(c, key, "Location/" + std::to_string(saved->id)));
  return Site{saved->id, true};
}

std::string VisitStore::HomeZone() {
  auto locations = schedule_.Locations();
  if (!locations.ok() || locations->empty()) return "UTC";
  return std::min_element(locations->begin(), locations->end(), [](const Location& a, const Location& b) {
           return a.id < b.id;
         })->time_zone;
}

}  // namespace caredesk::fhir
