// Registration, patient records, search and the patient's access report.
#include "api/handler_support.h"
#include "api/codecs.h"
#include "app/appointment_service.h"
#include "app/patient_merge_service.h"
#include "app/patient_service.h"

namespace caredesk::api {
namespace json = boost::json;



namespace {

json::object PatientJson(const Patient& p) {
  json::array coverages;
  for (const Coverage& c : p.coverages) {
    coverages.push_back(json::object{{"id", c.id},
                                     {"payer", c.payer},
                                     {"member_id", c.member_id},
                                     {"group_number", c.group_number},
                                     {"relationship", c.relationship},
                                     {"start_date", OptionalDate(c.start_date)},
                                     {"end_date", OptionalDate(c.end_date)}});
  }
  json::array consents;
  for (const Consent& c : p.consents) {
    consents.push_back(json::object{{"kind", c.kind}, {"granted", c.granted}, {"date", c.date.ToString()}});
  }
  return {{"id", p.id},
          {"mrn", p.mrn},
          {"given_name", p.given_name},
          {"middle_name", p.middle_name},
          {"family_name", p.family_name},
          {"birth_date", p.birth_date.ToString()},
          {"sex", p.sex},
          {"phone", p.phone},
          {"email", p.email},
          {"address",
           json::object{{"line1", p.address.line1},
                        {"line2", p.address.line2},
                        {"city", p.address.city},
                        {"state", p.address.state},
                        {"postal_code", p.address.postal_code},
                        {"country", p.address.country}}},
          {"preferred_language", p.preferred_language},
          {"preferred_contact_method", p.preferred_contact_method},
          {"emergency_contact",
           json::object{{"name", p.emergency_contact.name},
                        {"relationship", p.emergency_contact.relationship},
                        {"phone", p.emergency_contact.phone}}},
          {"coverages", std::move(coverages)},
          {"consents", std::move(consents)},
          {"version", p.version},
          {"merged_into", p.merged_into ? json::value(*p.merged_into) : json::value(nullptr)},
          {"created_at", FormatInstantUtc(FromMillis(p.created_at_ms))},
          {"updated_at", FormatInstantUtc(FromMillis(p.updated_at_ms))}};
}

json::object MergeJson(const db::PatientMergeRow& m) {
  json::object moved;
  for (const auto& [kind, n] : m.moved) moved[kind] = n;
  const auto text_or_null = [&](const std::string& s) { return m.undone_at_ms ? json::value(s) : json::value(nullptr); };
  return {{"id", m.id},
          {"survivor", json::object{{"id", m.survivor_id}, {"mrn", m.survivor_mrn}, {"name", m.survivor_name}}},
          {"merged", json::object{{"id", m.merged_id}, {"mrn", m.merged_mrn}, {"name", m.merged_name}}},
          {"at", FormatInstantUtc(FromMillis(m.at_ms))},
          {"by", m.username},
          {"reason", m.reason},
          {"undone_at", OptionalInstant(m.undone_at_ms)},
          {"undone_by", text_or_null(m.undone_by)},
          {"undo_reason", text_or_null(m.undo_reason)},
          {"moved", std::move(moved)}};
}

json::object SummaryJson(const IndexedPatient& p) {
  return {{"id", p.id},
          {"mrn", p.mrn},
          {"given_name", p.given_name},
          {"middle_name", p.middle_name},
          {"family_name", p.family_name},
          {"birth_date", OptionalDate(p.birth_date)},
          {"phone", p.phone}};
}

Result<Patient> DecodePatient(const JsonBody& b) {
  Patient p;
  CD_ASSIGN_OR_RETURN(p.given_name, b.RequiredString("given_name"));
  CD_ASSIGN_OR_RETURN(p.middle_name, b.StringOr("middle_name", ""));
  CD_ASSIGN_OR_RETURN(p.family_name, b.RequiredString("family_name"));
  CD_ASSIGN_OR_RETURN(auto birth, b.Date("birth_date"));
  if (!birth) return Error::Invalid("birth_date", "birth_date is required", "required");
  p.birth_date = *birth;
  CD_ASSIGN_OR_RETURN(p.sex, b.StringOr("sex", "unknown"));
  CD_ASSIGN_OR_RETURN(p.phone, b.StringOr("phone", ""));
  CD_ASSIGN_OR_RETURN(p.email, b.StringOr("email", ""));
  CD_ASSIGN_OR_RETURN(p.preferred_language, b.StringOr("preferred_language", ""));
  CD_ASSIGN_OR_RETURN(p.preferred_contact_method, b.StringOr("preferred_contact_method", ""));
  CD_ASSIGN_OR_RETURN(auto address, b.Object("address"));
  if (address) {
    CD_ASSIGN_OR_RETURN(p.address.line1, address->StringOr("line1", ""));
    CD_ASSIGN_OR_RETURN(p.address.line2, address->StringOr("line2", ""));
    CD_ASSIGN_OR_RETURN(p.address.city, address->StringOr("city", ""));
    CD_ASSIGN_OR_RETURN(p.address.state, address->StringOr("state", ""));
    CD_ASSIGN_OR_RETURN(p.address.postal_code, address->StringOr("postal_code", ""));
    CD_ASSIGN_OR_RETURN(p.address.country, address->StringOr("country", ""));
  }
  CD_ASSIGN_OR_RETURN(auto ec, b.Object("emergency_contact"));
  if (ec) {
    CD_ASSIGN_OR_RETURN(p.emergency_contact.name, ec->StringOr("name", ""));
    CD_ASSIGN_OR_RETURN(p.emergency_contact.relationship, ec->StringOr("relationship", ""));
    CD_ASSIGN_OR_RETURN(p.emergency_contact.phone, ec->StringOr("phone", ""));
  }
  CD_ASSIGN_OR_RETURN(auto coverages, b.Array("coverages"));
  if (coverages) {
    for (size_t i = 0; i < coverages->size(); ++i) {
      CD_ASSIGN_OR_RETURN(JsonBody cb, ElementObject((*coverages)[i], "coverages[" + std::to_string(i) + "]"));
      Coverage c;
      // A coverage read back with its id keeps that id (FHIR's Coverage/{id}) even if its payer changes.
      CD_ASSIGN_OR_RETURN(auto id, cb.Int("id"));
      c.id = id.value_or(0);
      CD_ASSIGN_OR_RETURN(c.payer, cb.StringOr("payer", ""));
      CD_ASSIGN_OR_RETURN(c.member_id, cb.StringOr("member_id", ""));
      CD_ASSIGN_OR_RETURN(c.group_number, cb.StringOr("group_number", ""));
      CD_ASSIGN_OR_RETURN(c.relationship, cb.StringOr("relationship", ""));
      CD_ASSIGN_OR_RETURN(c.start_date, cb.Date("start_date"));
      CD_ASSIGN_OR_RETURN(c.end_date, cb.Date("end_date"));
      p.coverages.push_back(std::move(c));
    }
  }
  CD_ASSIGN_OR_RETURN(auto consents, b.Array("consents"));
  if (consents) {
    for (size_t i = 0; i < consents->size(); ++i) {
      CD_ASSIGN_OR_RETURN(JsonBody cb, ElementObject((*consents)[i], "consents[" + std::to_string(i) + "]"));
      Consent c;
      CD_ASSIGN_OR_RETURN(c.kind, cb.RequiredString("kind"));
      CD_ASSIGN_OR_RETURN(auto granted, cb.Bool("granted"));
      c.granted = granted.value_or(true);
      CD_ASSIGN_OR_RETURN(auto date, cb.Date("date"));
      if (!date) return Error::Invalid(cb.FieldName("date"), "the consent date is required", "required");
      c.date = *date;
      p.consents.push_back(std::move(c));
    }
  }
  return p;
}

}  // namespace

void RegisterPatientRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/patients",
             Authed(s, Permission::kPatientWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Patient p, DecodePatient(b));
               API_TRY(auto confirm, b.Bool("confirm_new"));
               API_TRY(auto result, s.patients.Register(a, std::move(p), confirm.value_or(false)));
               if (result.duplicates) {
                 json::array candidates;
                 for (const auto& [patient, score] : result.duplicates->candidates) {
                   json::object c = PatientJson(patient);
                   json::array reasons;
                   for (const auto& r : score.reasons) reasons.emplace_back(r);
                   c["match"] = json::object{{"probability", score.probability}, {"reasons", std::move(reasons)}};
                   candidates.push_back(std::move(c));
                 }
                 json::object err{{"code", "possible_duplicate"},
                                  {"message", "this looks like a patient who is already registered; open the "
                                              "existing record or confirm that this is a new patient"},
                                  {"field", nullptr}};
                 return JsonResponse(409, json::object{{"error", err}, {"candidates", std::move(candidates)}});
               }
               return JsonResponse(201, PatientJson(*result.patient));
             }));

  router.Add("GET", "/api/v1/patients",
             Authed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               auto q = req.Query("q");
               API_TRY(Page page, QueryPage(req, 20, 100));
               API_TRY(auto hits, s.patients.Search(a, q.value_or(""), page.limit, page.offset));
               json::array items;
               for (const auto& h : hits) {
                 json::object o = SummaryJson(h.patient);
                 o["score"] = h.score;
                 items.push_back(std::move(o));
               }
               return ItemsResponse(std::move(items));
             }));

  router.Add("GET", "/api/v1/patients/{id}",
             Authed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Patient p, s.patients.Get(a, id));
               return JsonResponse(200, PatientJson(p));
             }));

  router.Add("PUT", "/api/v1/patients/{id}",
             Authed(s, Permission::kPatientWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Patient p, DecodePatient(b));
               API_TRY(auto version, b.Int("version"));
               API_TRY(Patient saved, s.patients.Update(a, id, std::move(p), version));
               return JsonResponse(200, PatientJson(saved));
             }));

  router.Add("GET", "/api/v1/patients/{id}/appointments",
             Authed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               db::AppointmentFilter f;
               f.patient_id = id;
               f.limit = 500;
               API_TRY(auto rows, s.appointments.List(a, f));
               json::array items;
               for (const auto& r : rows) items.push_back(AppointmentJson(r, s.appointments.JoinUrlFor(r)));
               return ItemsResponse(std::move(items));
             }));

  router.Add("POST", "/api/v1/patient-merges",
             Authed(s, Permission::kPatientMerge, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(int64_t survivor, b.RequiredInt("survivor_id"));
               API_TRY(int64_t merged, b.RequiredInt("merged_id"));
               API_TRY(std::string reason, b.RequiredString("reason"));
               API_TRY(auto merge, s.patient_merges.Merge(a, survivor, merged, reason));
               return JsonResponse(201, MergeJson(merge));
             }));

  router.Add("GET", "/api/v1/patient-merges/{id}",
             Authed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto merge, s.patient_merges.Get(a, id));
               return JsonResponse(200, MergeJson(merge));
             }));

  router.Add("POST", "/api/v1/patient-merges/{id}/undo",
             Authed(s, Permission::kPatientMerge, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string reason, b.RequiredString("reason"));
               API_TRY(auto merge, s.patient_merges.Unmerge(a, id, reason));
               return JsonResponse(200, MergeJson(merge));
             }));

  router.Add("GET", "/api/v1/patients/{id}/merges",
             Authed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto merges, s.patient_merges.ForPatient(a, id));
               json::array items;
               for (const auto& m : merges) items.push_back(MergeJson(m));
               return ItemsResponse(std::move(items));
             }));

  router.Add("GET", "/api/v1/patients/{id}/access-log",
             Authed(s, Permission::kAuditRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Page page, QueryPage(req, 100, 1000));
               API_TRY(auto events, s.patients.AccessLog(a, id, page.limit, page.offset));
               json::array items;
               for (const auto& e : events) items.push_back(AuditEventJson(e));
               return ItemsResponse(std::move(items));
             }));
}

}  // namespace caredesk::api
