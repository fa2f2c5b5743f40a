#include "fhir/transaction.h"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "core/civil_time.h"
#include "fhir/appointment_input.h"
#include "fhir/json_access.h"
#include "fhir/patient_resource.h"
#include "fhir/references.h"
#include "fhir/resource_types.h"
#include "fhir/survey_responses.h"
#include "fhir/visit_resources.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

// One write of the transaction, read from its entry.
struct Write {
  size_t index = 0;
  std::string method;  // POST, PUT or DELETE
  std::string type;
  std::string id;          // a kept type's id (POST: made up now); a patient's once known
  int64_t patient_id = 0;  // PUT Patient/{id}
  int64_t model_id = 0;    // PUT Practitioner/{id} or Encounter/{id}
  json::object resource;
  std::optional<int64_t> if_match;
  std::string full_url;
  bool survey = false;  // a QuestionnaireResponse POST to a CareDesk survey: a survey response, its id made then
};

std::string At(size_t i) { return "Bundle.entry[" + std::to_string(i) + "]"; }

// `e` as the error of entry `i`: the same kind, the entry named.
Error EntryError(size_t i, const Error& e) {
  Error out = e;
  out.message = At(i) + ": " + e.message + (e.field.empty() ? "" : " (" + e.field + ")");
  // A stale ifMatch stays If-Match's, so that it answers 412 as it would alone.
  out.field = e.reason == "stale_version" ? "If-Match" : At(i);
  return out;
}

bool IsVisitType(std::string_view type) { return type == "Practitioner" || type == "Encounter"; }

// Where a write comes within its method: patients, practitioners, bookings (of a new patient), encounters
// (which may name a new booking), survey responses (of a new visit; their ids are made as they are recorded,
// so before what may name them), the types kept as sent (which may refer to any of those), coverages (whose
// payor may be an Organization kept just before).
constexpr int kRanks = 7;
int Rank(const Write& w) {
  if (w.type == "Patient") return 0;
  if (w.type == "Practitioner") return 1;
  if (w.type == "Appointment") return 2;
  if (w.type == "Encounter") return 3;
  if (w.survey) return 4;
  return w.type == "Coverage" ? 6 : 5;
}

Error NotInTransaction(size_t i, const std::string& what) {
  return Error::Unprocessable(At(i) + ".request", At(i) + ": " + what, "not_supported");
}

// Entry `i` read into a write, checked as far as it can be before anything is written.
Result<Write> ReadWrite(const BatchEntry& e, size_t i, const TransactionRunner::MayWrite& may_write) {
  Write w;
  w.index = i;
  w.method = e.method;
  w.full_url = e.full_url;
  if (e.method == "PATCH") return NotInTransaction(i, "PATCH is not supported");
  if (!e.if_none_exist.empty()) return NotInTransaction(i, "a conditional create (ifNoneExist) is not supported in a transaction");
  if (e.url.find('?') != std::string::npos) {
    return NotInTransaction(i, "a conditional " + e.method + " (" + e.url + ") is not supported in a transaction");
  }
  const size_t slash = e.url.find('/');
  w.type = e.url.substr(0, slash);
  const std::string id = slash == std::string::npos ? "" : e.url.substr(slash + 1);
  const bool coverage = w.type == "Coverage";
  const bool booking = w.type == "Appointment";
  if (w.type != "Patient" && !IsVisitType(w.type) && !coverage && !booking && !IsStoredType(w.type)) {
    if (IsR4ResourceType(w.type)) {
      return NotInTransaction(i, w.type + " is not written in a transaction here; send it in a batch");
    }
    return Error::Invalid(At(i) + ".request.url", At(i) + ": " + w.type + " is not a FHIR R4 resource type");
  }
  if (auto refused = may_write(w.type)) return EntryError(i, *refused);
  if (booking && e.method != "POST") {
    return NotInTransaction(i, "a change of a booking (" + e.method + " " + e.url +
                                   ") is not written in a transaction; send it in a batch, or alone");
  }
  if (booking && !e.if_match.empty()) {
    return Error::Invalid(At(i) + ".request.ifMatch", At(i) + ": a new booking has no version to match");
  }
  if (coverage && !e.if_match.empty()) {
    return Error::Invalid(At(i) + ".request.ifMatch",
                          At(i) + ": a Coverage has no versions of its own (it changes with its patient): no ifMatch");
  }
  if (!e.if_match.empty()) {
    w.if_match = ReadVersionTag(e.if_match);
    if (!w.if_match) return Error::Invalid(At(i) + ".request.ifMatch", At(i) + ": ifMatch must be a version tag such as W/\"3\"");
  }
  const bool needs_id = e.method != "POST";
  if (needs_id == id.empty() || id.find('/') != std::string::npos) {
    return Error::Invalid(At(i) + ".request.url", At(i) + ": " + e.method + " takes " +
                                                      (needs_id ? w.type + "/{id}" : w.type));
  }
  if (coverage && e.method != "POST") {
    const auto known = ReadResourceId(id);
    if (!known) {
      return Error::NotFound(At(i) + ": Coverage/" + id + " is not known; CareDesk issues Coverage ids, so create with POST",
                             At(i));
    }
    w.model_id = *known;
  }
  if (e.method == "DELETE") {
    if (w.type == "Patient" || IsVisitType(w.type)) {
      return NotInTransaction(i, w.type + " resources are not deleted through FHIR");
    }
    if (coverage) return w;
    if (!IsValidResourceId(id)) return Error::NotFound(At(i) + ": " + e.url + " is not known", At(i));
    if (w.type == kQuestionnaireResponse) {
      if (auto refused = SurveyResponseStore::RefusedChange(id, nullptr)) return EntryError(i, *refused);
    }
    w.id = id;
    return w;
  }
  if (e.body.empty()) return Error::Invalid(At(i) + ".resource", At(i) + ": " + e.method + " needs a resource");
  w.resource = ObjectOf(e.body);
  const json::value* rt = w.resource.if_contains("resourceType");
  if (!rt || !rt->is_string() || rt->get_string() != w.type) {
    return Error::Invalid(At(i) + ".resource", At(i) + ": the resource must be a " + w.type + ", as the url says");
  }
  if (w.type == kQuestionnaireResponse) {
    // A POST to a CareDesk survey is a survey response; survey responses never change.
    if (e.method == "POST") {
      w.survey = AnswersCareDeskSurvey(w.resource);
    } else if (const json::value body(w.resource); auto refused = SurveyResponseStore::RefusedChange(id, &body)) {
      return EntryError(i, *refused);
    }
  }
  if (w.type == "Patient") {
    if (e.method == "PUT") {
      const auto patient = ReadResourceId(id);
      if (!patient) {
        return Error::NotFound(At(i) + ": Patient/" + id + " is not known; CareDesk issues patient ids, so create with POST",
                               At(i));
      }
      w.patient_id = *patient;
    }
    return w;
  }
  if (coverage || booking) {
    if (e.method == "POST") w.resource.erase("id");
    return w;
  }
  if (IsVisitType(w.type)) {
    if (e.method == "PUT") {
      const auto known = ReadResourceId(id);
      if (!known) {
        return Error::NotFound(At(i) + ": " + w.type + "/" + id + " is not known; CareDesk issues " + w.type +
                                   " ids, so create with POST",
                               At(i));
      }
      w.model_id = *known;
    } else {
      w.resource.erase("id");
    }
    return w;
  }
  if (e.method == "PUT") {
    if (!IsValidResourceId(id)) return Error::Invalid(At(i) + ".request.url", At(i) + ": id must be 1 to 64 of A-Z, a-z, 0-9, '-' and '.'");
    w.id = id;
    if (Status ok = CheckResource(w.resource, w.type, w.id); !ok.ok()) return EntryError(i, ok.error());
  } else {
    w.id = NewResourceId();
    w.resource.erase("id");
    if (Status ok = CheckResource(w.resource, w.type, std::nullopt); !ok.ok()) return EntryError(i, ok.error());
  }
  return w;
}

BatchOutcome Answer(int status, const std::string& base, const std::string& type, const std::string& id,
                    int64_t version, int64_t updated_at_ms, std::optional<json::object> resource) {
  BatchOutcome o;
  o.status = status;
  o.location = base + "/" + type + "/" + id + "/_history/" + std::to_string(version);
  o.etag = VersionTag(version);
  o.last_modified = FormatInstantUtc(FromMillis(updated_at_ms));
  o.resource = std::move(resource);
  return o;
}

}  // namespace

Result<std::vector<BatchOutcome>> TransactionRunner::Run(const Actor& by, const std::vector<BatchEntry>& entries,
                                                         const std::string& base, const MayWrite& may_write) {
  std::vector<Write> writes;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].method == "GET" || entries[i].method == "HEAD") continue;
    CD_ASSIGN_OR_RETURN(Write w, ReadWrite(entries[i], i, may_write));
    writes.push_back(std::move(w));
  }
  // What the entries call each other: a kept type's fullUrl is known now; a new patient's, booking's or survey
  // response's once written.
  ReferenceNames names;
  for (const Write& w : writes) {
    if (w.full_url.empty() || w.survey || w.type == "Appointment") continue;
    if (w.type == "Patient") {
      if (w.patient_id > 0) names[w.full_url] = "Patient/" + std::to_string(w.patient_id);
    } else if (IsVisitType(w.type) || w.type == "Coverage") {
      if (w.model_id > 0) names[w.full_url] = w.type + "/" + std::to_string(w.model_id);
    } else {
      names[w.full_url] = w.type + "/" + w.id;
    }
  }
  // FHIR's order: DELETE, POST, PUT; within each by Rank.
  std::vector<Write*> order;
  for (const char* method : {"DELETE", "POST", "PUT"}) {
    for (int rank = 0; rank < kRanks; ++rank) {
      for (Write& w : writes) {
        if (w.method == method && Rank(w) == rank) order.push_back(&w);
      }
    }
  }
  std::vector<BatchOutcome> outcomes(entries.size());
  for (BatchOutcome& o : outcomes) o.status = 0;  // the caller's, unless a write below answers
  std::vector<Patient> written_patients;
  // The organizations of this transaction, kept after its encounters, which may have happened at them.
  const VisitStore::Pending organizations = [&writes](const std::string& reference) -> const json::object* {
    for (const Write& w : writes) {
      if (w.type == "Organization" && w.method != "DELETE" && reference == "Organization/" + w.id) return &w.resource;
    }
    return nullptr;
  };
  const int64_t now = ToMillis(clock_.Now());
  auto conn = pool_.Acquire();
  Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    std::vector<AuditRecord> audit;
    for (Write* w : order) {
      const size_t i = w->index;
      if (w->type == "Coverage") {
        Patient patient;
        if (w->method == "DELETE") {
          if (Status deleted = coverages_.DeleteInTx(c, by, w->model_id, patient); !deleted.ok()) {
            return EntryError(i, deleted.error());
          }
          outcomes[i].status = 204;
        } else {
          Rewrite(w->resource, names);
          auto written = coverages_.WriteInTx(c, by, w->model_id, w->resource, now, patient);
          if (!written.ok()) return EntryError(i, written.error());
          const std::string id = std::to_string(written->id);
          if (!w->full_url.empty()) names[w->full_url] = "Coverage/" + id;
          outcomes[i].status = written->created ? 201 : 200;
          outcomes[i].location = base + "/Coverage/" + id;
          outcomes[i].resource = std::move(written->resource);
        }
        written_patients.push_back(std::move(patient));
        continue;
      }
      if (w->method == "DELETE") {
        auto deleted = resources_.DeleteInTx(c, by, w->type, w->id, w->if_match, now, audit);
        if (!deleted.ok()) return EntryError(i, deleted.error());
        outcomes[i].status = 204;
        outcomes[i].etag = VersionTag(deleted->version);
        continue;
      }
      Rewrite(w->resource, names);
      if (w->type == "Patient") {
        json::value body(std::move(w->resource));
        auto written = w->method == "POST" ? patients_.CreateInTx(c, by, body)
                                           : patients_.UpdateInTx(c, by, w->patient_id, body, w->if_match);
        if (!written.ok()) return EntryError(i, written.error());
        const Patient& p = written->patient;
        if (!w->full_url.empty()) names[w->full_url] = "Patient/" + std::to_string(p.id);
        outcomes[i] = Answer(w->method == "POST" ? 201 : 200, base, "Patient", std::to_string(p.id), p.version,
                             p.updated_at_ms, std::move(written->stored.resource));
        written_patients.push_back(p);
        continue;
      }
      if (w->type == "Appointment") {
        // Read once its references are resolved: its patient may be a new one of this transaction.
        auto in = ReadAppointmentResource(json::value(std::move(w->resource)));
        if (!in.ok()) return EntryError(i, in.error());
        auto booked = appointments_.BookInTx(c, by, in->booking);
        if (!booked.ok()) return EntryError(i, AppointmentBookingError(booked.error(), in->from_slot));
        const db::AppointmentRow& row = booked->row;
        const std::string id = std::to_string(row.id);
        if (!w->full_url.empty()) names[w->full_url] = "Appointment/" + id;
        outcomes[i].status = 201;
        outcomes[i].location = base + "/Appointment/" + id;
        outcomes[i].last_modified = FormatInstantUtc(FromMillis(row.updated_at));
        outcomes[i].resource = AppointmentResource(row);
        continue;
      }
      if (IsVisitType(w->type)) {
        auto written = w->type == "Practitioner"
                           ? visits_.PractitionerInTx(c, by, w->model_id, w->resource, w->if_match, now, audit)
                           : visits_.EncounterInTx(c, by, w->model_id, w->resource, w->if_match, now, audit,
                                                   /*audit_patient=*/true, organizations);
        if (!written.ok()) return EntryError(i, written.error());
        const std::string id = std::to_string(written->id);
        if (!w->full_url.empty()) names[w->full_url] = w->type + "/" + id;
        outcomes[i] = Answer(written->created ? 201 : 200, base, w->type, id, written->version,
                             written->updated_at_ms, std::move(written->resource));
        continue;
      }
      if (w->survey) {
        auto recorded = survey_responses_.CreateInTx(c, by, w->resource, now);
        if (!recorded.ok()) return EntryError(i, recorded.error());
        if (*recorded) {
          const StoredResource& r = **recorded;
          if (!w->full_url.empty()) names[w->full_url] = r.type + "/" + r.id;
          outcomes[i] = Answer(201, base, r.type, r.id, r.version, r.updated_at_ms, ObjectOf(r.body));
          continue;
        }
      }
      auto written = resources_.PutInTx(c, by, w->type, w->id, w->resource, w->if_match, now, &audit);
      if (!written.ok()) return EntryError(i, written.error());
      const StoredResource& r = written->resource;
      outcomes[i] = Answer(written->created ? 201 : 200, base, r.type, r.id, r.version, r.updated_at_ms,
                           ObjectOf(r.body));
    }
    return resources_.audit().AppendInTx(c, std::move(audit));
  });
  visits_.Committed();
  if (!done.ok()) return done.error();
  for (const Patient& p : written_patients) patients_.Indexed(p);
  return outcomes;
}

}  // namespace caredesk::fhir
