// FHIR R4 at /fhir/R4: the CapabilityStatement; Patient read, vread, history, search, create (also
// conditional) and update; Practitioner, PractitionerRole, Location, Schedule, Slot (free slots),
// Appointment, Encounter and AuditEvent read and search; every type CareDesk has no model of (Observation,
// Condition, Organization, ...) kept as sent, with read, vread, history, create, update, delete and search.
// Every answer is application/fhir+json and every error an OperationOutcome;
// the session, the permission check and the audit trail are the rest of the
// API's (a bearer token from POST /api/v1/session).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "api/handler_support.h"
#include "app/appointment_service.h"
#include "app/coverage_service.h"
#include "app/flow_service.h"
#include "app/patient_service.h"
#include "app/schedule_service.h"
#include "fhir/appointment_input.h"
#include "fhir/audit_event_resource.h"
#include "fhir/bulk_export.h"
#include "fhir/group_store.h"
#include "fhir/bundle.h"
#include "fhir/capability_statement.h"
#include "fhir/coverage_resource.h"
#include "fhir/coverage_store.h"
#include "fhir/kept_as_sent.h"
#include "fhir/operation_outcome.h"
#include "fhir/patient_resource.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"
#include "fhir/resource_types.h"
#include "fhir/stored_search.h"
#include "fhir/survey_responses.h"
#include "fhir/transaction.h"
#include "fhir/import_jobs.h"
#include "http/request_decoding.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "fhir/visit_resources.h"
#include "fhir/visit_store.h"

namespace caredesk::api {
namespace json = boost::json;
namespace {

constexpr char kBase[] = "/fhir/R4";

http::Response FhirResponse(int status, const json::object& body) {
  http::Response r = http::Response::Json(status, Serialize(body));
  r.content_type = fhir::kFhirJson;
  return r;
}

http::Response FhirFail(const Error& e) {
  // A resource that was there and is deleted is Gone; an If-Match that no longer holds a failed precondition.
  if (e.reason == "deleted") return FhirResponse(410, fhir::OperationOutcome("error", "deleted", e.message, e.field));
  if (e.reason == "stale_version" && e.field == "If-Match") {
    return FhirResponse(412, fhir::OperationOutcome("error", "conflict", e.message + "; read it again and resend",
                                                    "If-Match"));
  }
  http::Response r = FhirResponse(http::HttpStatusFor(e.code), fhir::OperationOutcome(e));
  if (e.code == ErrorCode::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

#define FHIR_TRY(lhs, expr) FHIR_TRY_IMPL_(CD_CONCAT_(fhir_result_, __LINE__), lhs, expr)
#define FHIR_TRY_IMPL_(tmp, lhs, expr)        \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return FhirFail(tmp.error()); \
  lhs = std::move(tmp).value()

// The absolute URL of /fhir/R4 as this client reached it. A Host header with
// anything but host-name characters is not echoed.
std::string BaseUrl(const http::Request& req) {
  std::string_view host = req.host;
  const bool sane = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  return "http://" + std::string(sane ? host : "localhost") + kBase;
}

// JSON is the only format: _format or an Accept that rules it out gets 406.
std::optional<Error> UnsupportedFormat(const http::Request& req) {
  if (auto f = req.Query("_format")) {
    if (*f != "json" && *f != "application/json" && *f != "application/fhir+json") {
      return Error{ErrorCode::kInvalidArgument, "not_acceptable",
                   "_format " + std::string(*f) + " is not supported; this server speaks application/fhir+json",
                   "_format"};
    }
  }
  const std::string& accept = req.accept;
  if (!accept.empty() && accept.find("json") == std::string::npos && accept.find("*/*") == std::string::npos &&
      accept.find("application/*") == std::string::npos) {
    return Error{ErrorCode::kInvalidArgument, "not_acceptable",
                 "Accept: " + accept + " is not supported; this server speaks application/fhir+json", ""};
  }
  return std::nullopt;
}

http::Response NotAcceptable(const Error& e) {
  return FhirResponse(406, fhir::OperationOutcome("error", "not-supported", e.message, e.field));
}

// The resource type a request under /fhir/R4 is about ("Patient" for /fhir/R4/Patient/7/_history); empty for
// the server's own operations ($export and its status and files).
std::string_view PathType(std::string_view path) {
  path.remove_prefix(std::min(path.size(), std::string_view(kBase).size() + 1));
  const std::string_view type = path.substr(0, path.find('/'));
  return type.starts_with('$') ? std::string_view() : type;
}

// 403 unless a token issued for a system has a scope that allows reading (or writing) `type`.
std::optional<Error> ScopeRefusal(const Actor& a, std::string_view type, bool write) {
  if (!a.scopes || a.scopes->Allows(type, write)) return std::nullopt;
  return Error::Forbidden("the token's scopes (" + a.scopes->text + ") do not allow " + std::string(type) +
                          (write ? ".write" : ".read"));
}

// Authed with FHIR's answers (OperationOutcome for 401, 403 and 500), JSON only. A token issued for a system
// also needs a scope for the request's resource type: read for GET, write for the rest.
http::Handler FhirAuthed(Services& s, Permission permission, AuthedHandler handler) {
  return Authed(s, permission, [handler = std::move(handler)](http::Request& req, const Actor& a) -> http::Response {
    if (auto bad = UnsupportedFormat(req)) return NotAcceptable(*bad);
    const std::string_view type = PathType(req.path);
    if (!type.empty()) {
      if (auto refused = ScopeRefusal(a, type, req.method != "GET" && req.method != "HEAD")) return FhirFail(*refused);
    }
    return handler(req, a);
  }, &FhirFail, true);
}

// A resource body: JSON, as application/fhir+json or application/json.
Result<json::value> FhirBody(const http::Request& req) {
  const std::string& type = req.content_type;
  if (!type.empty() && type.find("json") == std::string::npos) {
    return Error{ErrorCode::kInvalidArgument, "unsupported_media_type",
                 "Content-Type " + type + " is not supported; send application/fhir+json", "Content-Type"};
  }
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec) return Error::Invalid("body", "the body is not JSON: " + ec.message());
  return v;
}

// A read, create or update's answer: the resource with its version in ETag, Last-Modified and (on create)
// Location.
http::Response PatientAnswer(const http::Request& req, int status, const fhir::StoredPatient& p) {
  http::Response r = FhirResponse(status, p.resource);
  r.headers.emplace_back("ETag", fhir::VersionTag(p.version));
  r.headers.emplace_back("Last-Modified", FormatHttpDate(FromMillis(p.updated_at_ms)));
  if (status == 201) {
    const json::value* id = p.resource.if_contains("id");
    r.headers.emplace_back("Location", BaseUrl(req) + "/Patient/" + std::string(id ? id->get_string() : "") +
                                           "/_history/" + std::to_string(p.version));
  }
  return r;
}

Error NoSuchPatient(std::string_view id) {
  return Error::NotFound("Patient/" + std::string(id) + " is not known");
}

// The warning a searchset ends with when parameters were not applied or resources left out; none when
// there is nothing to say.
std::optional<json::object> SearchOutcome(const std::vector<std::string>& ignored,
                                          const std::vector<std::string>& notes = {}) {
  if (ignored.empty() && notes.empty()) return std::nullopt;
  json::array issues;
  if (!ignored.empty()) {
    std::string names;
    for (const auto& n : ignored) names += (names.empty() ? "" : ", ") + n;
    issues.push_back(json::object{{"severity", "warning"},
                                  {"code", "not-supported"},
                                  {"diagnostics", "search parameters not supported, so not applied: " + names}});
  }
  for (const auto& n : notes) {
    issues.push_back(json::object{{"severity", "warning"}, {"code", "informational"}, {"diagnostics", n}});
  }
  return json::object{{"resourceType", "OperationOutcome"}, {"issue", std::move(issues)}};
}

// Resources of a type an import may have written (Practitioner, Encounter), with what it sent for them.
Status ServedAsSent(Services& s, std::string_view type, std::vector<json::object>& resources) {
  return s.fhir_resources.ServeAsSent(type,
                                      type == "Practitioner" ? fhir::PractitionerModelled()
                                      : type == "Coverage"   ? fhir::CoverageModelled()
                                                             : fhir::EncounterModelled(),
                                      resources);
}

Result<json::object> PractitionerServed(Services& s, const Provider& p) {
  std::vector<json::object> one{fhir::PractitionerResource(p)};
  CD_RETURN_IF_ERROR(ServedAsSent(s, "Practitioner", one));
  return std::move(one.front());
}

// The resources a page's _include brings in: each referenced resource of the `types` asked for, once,
// read as `a` may (a type the role may not read is left out, with a note saying so).
class Includes {
 public:
  Includes(Services& s, const Actor& a, const std::vector<std::string>& types) : s_(s), a_(a), types_(types) {}

  Status Add(std::string_view type, int64_t id) {
    if (std::find(types_.begin(), types_.end(), type) == types_.end()) return Ok();
    if (!seen_.emplace(std::string(type), id).second) return Ok();
    Result<json::object> r = Read(type, id);
    if (r.ok()) {
      resources_.push_back(std::move(*r));
    } else if (r.error().code == ErrorCode::kPermissionDenied) {
      Note(std::string(type) + " resources are not included: this role or token may not read them");
    } else if (r.error().code != ErrorCode::kNotFound) {
      return r.error();
    }
    return Ok();
  }
  std::vector<json::object> resources() && { return std::move(resources_); }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  Result<json::object> Read(std::string_view type, int64_t id) {
    if (auto refused = ScopeRefusal(a_, type, false)) return *refused;
    if (type == "Patient") {
      if (!RoleHas(a_.role, Permission::kPatientRead)) return Error::Forbidden("patient.read");
      CD_ASSIGN_OR_RETURN(fhir::StoredPatient p, s_.fhir_patients.Read(a_, id));
      return std::move(p.resource);
    }
    if (type == "Appointment") {
      if (!RoleHas(a_.role, Permission::kAppointmentRead)) return Error::Forbidden("appointment.read");
      CD_ASSIGN_OR_RETURN(AppointmentView v, s_.appointments.Get(a_, id));
      return fhir::AppointmentResource(v.row);
    }
    if (type == "Practitioner") {
      CD_ASSIGN_OR_RETURN(Provider p, s_.schedule.GetProvider(id));
      return PractitionerServed(s_, p);
    }
    CD_ASSIGN_OR_RETURN(Location l, s_.schedule.GetLocation(id));
    return fhir::LocationResource(l);
  }
  void Note(std::string note) {
    if (std::find(notes_.begin(), notes_.end(), note) == notes_.end()) notes_.push_back(std::move(note));
  }

  Services& s_;
  const Actor& a_;
  const std::vector<std::string>& types_;
  std::set<std::pair<std::string, int64_t>> seen_;
  std::vector<json::object> resources_;
  std::vector<std::string> notes_;
};

// Patient search's _revinclude: the appointments, encounters and coverages of the page's patients, at most
// fhir::kMaxCount of each (a note says when there were more), for a role that may read them.
Result<std::vector<json::object>> RevIncluded(Services& s, const Actor& a, const std::vector<std::string>& types,
                                              const std::vector<PatientWithIdentifiers>& patients,
                                              std::vector<std::string>& notes) {
  std::vector<json::object> out;
  if (types.empty() || patients.empty()) return out;
  AnyOf<int64_t> ids;
  for (const auto& p : patients) ids.push_back(p.patient.id);
  const auto cut = [&](bool more, const char* what) {
    if (more) notes.push_back(std::string("only the first ") + std::to_string(fhir::kMaxCount) + " " + what +
                              " of these patients are included");
  };
  for (const std::string& type : types) {
    const bool appointments = type == "Appointment", coverages = type == "Coverage";
    const Permission needed =
        appointments ? Permission::kAppointmentRead : coverages ? Permission::kPatientRead : Permission::kFlowRead;
    if (!RoleHas(a.role, needed) || ScopeRefusal(a, type, false)) {
      notes.push_back(type + " resources are not included: this role or token may not read them");
      continue;
    }
    if (coverages) {
      CoverageCriteria q;
      q.patients.push_back(ids);
      q.page.limit = fhir::kMaxCount;
      CD_ASSIGN_OR_RETURN(auto found, s.coverages.Search(a, q, false, true));
      std::vector<json::object> coverages;
      for (const auto& r : found.rows) coverages.push_back(fhir::CoverageResource(r));
      CD_RETURN_IF_ERROR(ServedAsSent(s, "Coverage", coverages));
      for (auto& c : coverages) out.push_back(std::move(c));
      cut(found.more, "coverages");
    } else if (appointments) {
      AppointmentCriteria q;
      q.patients.push_back(ids);
      q.page.by_time = true;
      q.page.limit = fhir::kMaxCount;
      CD_ASSIGN_OR_RETURN(auto found, s.appointments.Search(a, q, false, true));
      for (const auto& r : found.rows) out.push_back(fhir::AppointmentResource(r));
      cut(found.more, "appointments");
    } else {
      EncounterCriteria q;
      q.patients.push_back(ids);
      q.page.by_time = true;
      q.page.limit = fhir::kMaxCount;
      CD_ASSIGN_OR_RETURN(auto found, s.flow.Search(a, q, false, true));
      std::vector<json::object> encounters;
      for (const auto& r : found.rows) encounters.push_back(fhir::EncounterResource(r, nullptr));
      CD_RETURN_IF_ERROR(ServedAsSent(s, "Encounter", encounters));
      for (auto& e : encounters) out.push_back(std::move(e));
      cut(found.more, "encounters");
    }
  }
  return out;
}

// A page of free slots: for each appointment type asked for (or each the schedules' providers offer) and each
// provider, the slot engine's slots in the window, merged in (start, provider, location, type) order after the
// cursor. The window is from now (or the start asked for) to 7 days later unless start bounds it; at most 90 days.
Result<fhir::SearchPage> SlotPage(Services& s, const http::Request& req, const fhir::SlotSearch& search) {
  fhir::SearchPage page;
  page.type_url = BaseUrl(req) + "/Slot";
  page.used = search.used;
  page.outcome = SearchOutcome(search.ignored);
  if (search.providers.empty() && search.types.empty()) {
    return Error::Invalid("service-type", "a Slot search names the appointment type (service-type) or the "
                                          "provider's Schedule (schedule)", "invalid_search_parameter");
  }
  const TimePoint now = s.clock.Now();
  TimePoint from = search.from_ms ? std::max(now, FromMillis(*search.from_ms)) : now;
  const TimePoint to = search.to_ms ? FromMillis(*search.to_ms) : from + std::chrono::hours(24 * 7);
  if (to - from > std::chrono::hours(24 * 90)) {
    return Error::Invalid("start", "a Slot search covers at most 90 days: bound start with ge and lt",
                          "invalid_search_parameter");
  }
  if (!search.free) {
    page.outcome = SearchOutcome(search.ignored, {"only free slots are served as Slots; booked time is in Appointment"});
  }
  if (!search.free || to <= from) return page;
  if (search.after) from = std::max(from, FromMillis(search.after->start_minute * 60'000));
  CD_ASSIGN_OR_RETURN(std::vector<AppointmentType> all_types, s.schedule.AppointmentTypes());
  std::vector<const AppointmentType*> types;
  for (const AppointmentType& t : all_types) {
    const bool asked = search.types.empty()
                           ? std::any_of(search.providers.begin(), search.providers.end(), [&](int64_t p) {
                               return std::find(t.provider_ids.begin(), t.provider_ids.end(), p) != t.provider_ids.end();
                             })
                           : std::find(search.types.begin(), search.types.end(), t.id) != search.types.end();
    if (asked && t.active) types.push_back(&t);
  }
  std::vector<std::optional<int64_t>> providers(search.providers.begin(), search.providers.end());
  if (providers.empty()) providers.push_back(std::nullopt);
  std::vector<std::pair<fhir::SlotKey, std::pair<Slot, const AppointmentType*>>> found;
  for (const AppointmentType* type : types) {
    for (const auto& provider : providers) {
      if (provider && *provider <= 0) continue;
      SlotQuery q;
      q.appointment_type_id = type->id;
      q.provider_id = provider;
      q.from = from;
      q.to = to;
      q.not_before = now;
      // Enough for a page after the slots at the cursor's own minute, which the query starts at.
      const size_t same_minute = (provider ? 1 : type->provider_ids.size()) * 4;
      q.limit = std::min(kMaxSlotLimit, static_cast<size_t>(search.limit) + 1 + same_minute);
      auto slots = s.appointments.Slots(q);
      if (!slots.ok()) {
        // A schedule that does not exist, or whose provider does not do this type: no slots, as searches answer.
        const ErrorCode code = slots.error().code;
        if (code == ErrorCode::kNotFound || code == ErrorCode::kUnprocessable) continue;
        return slots.error();
      }
      for (const Slot& slot : *slots) {
        const fhir::SlotKey key{ToMillis(slot.start) / 60'000, slot.provider_id, slot.location_id, type->id};
        if (search.after && key <= *search.after) continue;
        found.push_back({key, {slot, type}});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::map<int64_t, std::string> zones;
  CD_ASSIGN_OR_RETURN(std::vector<Location> locations, s.schedule.Locations());
  for (const Location& l : locations) zones[l.id] = l.time_zone;
  for (size_t i = 0; i < found.size() && i < static_cast<size_t>(search.limit); ++i) {
    const auto& [slot, type] = found[i].second;
    page.resources.push_back(fhir::SlotResource(slot, *type, zones[slot.location_id]));
  }
  if (found.size() > static_cast<size_t>(search.limit)) {
    page.next_cursor = fhir::FormatSlotId(found[search.limit - 1].first);
  }
  return page;
}

// A search over one of the set-up lists (providers, locations: hundreds at most), in id order, paged by the
// last id; the total counts every match.
// `serve` finishes the page's resources (with what an import sent for them).
using ServePage = std::function<Status(std::vector<json::object>&)>;

template <typename T, typename ToResource, typename Keep>
http::Response ListSearch(http::Request& req, const char* type, std::vector<T> items, ToResource to_resource,
                          Keep keep, const ServePage& serve = {}) {
  FHIR_TRY(fhir::SetupSearch search, fhir::ReadSetupSearch(type, req.query));
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.id < b.id; });
  fhir::SearchPage page;
  page.type_url = BaseUrl(req) + "/" + type;
  page.used = search.used;
  int64_t total = 0, last = 0;
  bool more = false;
  for (const T& item : items) {
    if (!keep(search, item)) continue;
    ++total;
    if (item.id <= search.after_id) continue;
    if (static_cast<int>(page.resources.size()) < search.limit) {
      page.resources.push_back(to_resource(item));
      last = item.id;
    } else {
      more = true;
    }
  }
  if (serve) {
    if (Status served = serve(page.resources); !served.ok()) return FhirFail(served.error());
  }
  page.total = total;
  if (more && last > 0) page.next_cursor = std::to_string(last);
  page.outcome = SearchOutcome(search.ignored);
  return FhirResponse(200, fhir::SearchSet(page));
}

// A read of one resource by id; 404 names what was asked for.
template <typename Get, typename ToResource>
http::Response ReadById(http::Request& req, const char* type, Get get, ToResource to_resource) {
  const std::string_view raw = req.PathParam("id");
  const auto missing = [&] { return FhirFail(Error::NotFound(std::string(type) + "/" + std::string(raw) + " is not known")); };
  const auto id = fhir::ReadResourceId(raw);
  if (!id) return missing();
  auto found = get(*id);
  if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? missing() : FhirFail(found.error());
  json::object resource = to_resource(*found);
  std::optional<int64_t> version;
  if (const json::value* meta = resource.if_contains("meta"); meta && meta->is_object()) {
    if (const json::value* v = meta->get_object().if_contains("versionId"); v && v->is_string()) {
      version = fhir::ReadResourceId(v->get_string());
    }
  }
  http::Response r = FhirResponse(200, std::move(resource));
  if (version) r.headers.emplace_back("ETag", fhir::VersionTag(*version));
  return r;
}

// If-Match as a version: none when absent; a 400 naming If-Match when it is not a version tag.
Result<std::optional<int64_t>> IfMatch(const http::Request& req) {
  if (req.if_match.empty()) return std::optional<int64_t>();
  const auto version = fhir::ReadVersionTag(req.if_match);
  if (!version) return Error::Invalid("If-Match", "If-Match must be a version tag such as W/\"3\"");
  return std::optional<int64_t>(*version);
}

// A Practitioner or Encounter written (fhir/visit_store.h): 201 with where it is, or 200; its ETag and
// Last-Modified.
http::Response VisitAnswer(const http::Request& req, std::string_view type, fhir::VisitStore::Written w) {
  const int status = w.created ? 201 : 200;
  http::Response r = FhirResponse(status, std::move(w.resource));
  r.headers.emplace_back("ETag", fhir::VersionTag(w.version));
  r.headers.emplace_back("Last-Modified", FormatHttpDate(FromMillis(w.updated_at_ms)));
  if (status == 201) {
    r.headers.emplace_back("Location", BaseUrl(req) + "/" + std::string(type) + "/" + std::to_string(w.id) +
                                           "/_history/" + std::to_string(w.version));
  }
  return r;
}

// What writing a resource of `type` needs, alone or in a transaction: a provider is set-up, a visit the flow's,
// everything else (patients, the types kept as sent) patient data.
Permission WritePermission(std::string_view type) {
  if (type == "Practitioner") return Permission::kSetupWrite;
  if (type == "Encounter") return Permission::kFlowWrite;
  if (type == "Appointment") return Permission::kAppointmentWrite;
  return Permission::kPatientWrite;
}

// Create (POST Type) and update (PUT Type/{id}, If-Match honoured) of a Practitioner or an Encounter, for
// whoever holds its WritePermission. CareDesk issues their ids: an update cannot create one.
void RegisterVisitWrites(http::Router& router, Services& s, const char* type) {
  const std::string base(kBase);
  const Permission permission = WritePermission(type);
  router.Add("POST", base + "/" + type,
             FhirAuthed(s, permission, [&s, type](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(json::value body, FhirBody(req));
               const bool practitioner = std::string_view(type) == "Practitioner";
               FHIR_TRY(auto written, practitioner ? s.fhir_visits.WritePractitioner(a, 0, body, std::nullopt)
                                                   : s.fhir_visits.WriteEncounter(a, 0, body, std::nullopt));
               return VisitAnswer(req, type, std::move(written));
             }));
  router.Add("PUT", base + "/" + type + "/{id}",
             FhirAuthed(s, permission, [&s, type](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               const auto unknown = [&] {
                 return FhirFail(Error::NotFound(std::string(type) + "/" + std::string(raw) + " is not known; " +
                                                 "CareDesk issues " + type + " ids, so create with POST"));
               };
               if (!id) return unknown();
               FHIR_TRY(std::optional<int64_t> expected, IfMatch(req));
               FHIR_TRY(json::value body, FhirBody(req));
               const bool practitioner = std::string_view(type) == "Practitioner";
               auto written = practitioner ? s.fhir_visits.WritePractitioner(a, *id, body, expected)
                                           : s.fhir_visits.WriteEncounter(a, *id, body, expected);
               if (!written.ok()) {
                 Error e = written.error();
                 if (e.code == ErrorCode::kNotFound && e.field.empty()) return unknown();
                 if (e.reason == "stale_version" && expected) e.field = "If-Match";
                 return FhirFail(e);
               }
               return VisitAnswer(req, type, std::move(*written));
             }));
}

// A search paged by key (appointments, encounters): the page `run` found as a searchset, with a next link
// after its last row (`time_of`: the row's sort time).
// `references(row, add)` calls add(type, id) for each resource the row refers to, for _include.
template <typename Search, typename Row, typename ToResource, typename TimeOf, typename References>
http::Response KeyedSearchSet(Services& s, const Actor& a, const http::Request& req, const char* type,
                              const Search& search, const KeyedPage& asked, SearchPage<Row> found,
                              ToResource to_resource, TimeOf time_of, References references,
                              const ServePage& serve = {}) {
  fhir::SearchPage page;
  page.type_url = BaseUrl(req) + "/" + type;
  page.used = search.used;
  page.total = found.total;
  Includes includes(s, a, search.include);
  Status included = Ok();
  for (const Row& row : found.rows) {
    page.resources.push_back(to_resource(row));
    references(row, [&](std::string_view t, int64_t id) {
      if (included.ok()) included = includes.Add(t, id);
    });
  }
  if (!included.ok()) return FhirFail(included.error());
  if (serve) {
    if (Status served = serve(page.resources); !served.ok()) return FhirFail(served.error());
  }
  if (found.more && !found.rows.empty()) {
    page.next_cursor = fhir::NextCursor(asked, found.rows.back().id, time_of(found.rows.back()));
  }
  page.outcome = SearchOutcome(search.ignored, includes.notes());
  page.included = std::move(includes).resources();
  return FhirResponse(200, fhir::SearchSet(page));
}

// One batch entry as a request of its own: the caller's token, address and request id, the entry's method,
// URL, body and conditions; its answer read back into the batch-response entry.
fhir::BatchOutcome RunBatchEntry(const http::Router& router, const http::Request& outer, const fhir::BatchEntry& e,
                                 size_t index) {
  fhir::BatchOutcome out;
  const auto fail = [&](int status, const char* code, const std::string& message) {
    out.status = status;
    out.outcome =
        fhir::OperationOutcome("error", code, message, "Bundle.entry[" + std::to_string(index) + "].request.url");
    return out;
  };
  http::Request sub;
  if (!http::DecodeTarget(std::string(kBase) + "/" + e.url, sub).ok()) {
    return fail(400, "invalid", "the entry's url is not a valid request target: " + e.url);
  }
  // Decoded, the url may still name the base itself ("%2F") or climb out of it ("%2E%2E/api/v1/...").
  const std::vector<std::string_view> segments = http::SplitPath(sub.path);
  if (segments.size() <= 2) return fail(400, "invalid", "a batch entry names a resource or type, not the base");
  if (std::any_of(segments.begin(), segments.end(), [](std::string_view p) { return p == "." || p == ".."; })) {
    return fail(400, "invalid", "a batch entry's url stays within the FHIR base: " + e.url);
  }
  sub.method = e.method;
  sub.body = e.body;
  sub.content_type = e.body.empty() ? "" : "application/fhir+json";
  sub.authorization = outer.authorization;
  sub.user_agent = outer.user_agent;
  sub.host = outer.host;
  sub.accept = "application/fhir+json";
  sub.if_match = e.if_match;
  sub.if_none_exist = e.if_none_exist;
  sub.client_address = outer.client_address;
  sub.request_id = outer.request_id;
  const http::Response r = router.Dispatch(sub);
  out.status = r.status;
  for (const auto& [name, value] : r.headers) {
    if (name == "Location" || name == "Content-Location") out.location = value;
    if (name == "ETag") out.etag = value;
  }
  boost::system::error_code ec;
  json::value answer = r.body.empty() ? json::value() : json::parse(r.body, ec);
  json::object* object = ec ? nullptr : answer.if_object();
  if (object != nullptr && object->contains("resourceType")) {
    if (object->at("resourceType") == "OperationOutcome") {
      out.outcome = std::move(*object);
    } else {
      if (const auto* meta = object->if_contains("meta"); meta && meta->is_object()) {
        if (const auto* at = meta->as_object().if_contains("lastUpdated"); at && at->is_string()) {
          out.last_modified = std::string(at->as_string());
        }
      }
      out.resource = std::move(*object);
    }
  } else if (r.status >= 400) {
    // Not a FHIR answer (a path outside every FHIR route): say what it was in FHIR's terms.
    return fail(r.status, r.status == 404 ? "not-found" : "processing",
                "the server answered " + std::to_string(r.status) + " to " + e.method + " " + e.url);
  }
  return out;
}

}  // namespace

// A stored resource's answer: the resource as stored, with its version in ETag and Last-Modified, and its
// Location when created.
http::Response StoredAnswer(const http::Request& req, int status, const fhir::StoredResource& r) {
  http::Response out = http::Response::Json(status, r.body);
  out.content_type = fhir::kFhirJson;
  out.headers.emplace_back("ETag", fhir::VersionTag(r.version));
  out.headers.emplace_back("Last-Modified", FormatHttpDate(FromMillis(r.updated_at_ms)));
  if (status == 201) {
    out.headers.emplace_back("Location",
                             BaseUrl(req) + "/" + r.type + "/" + r.id + "/_history/" + std::to_string(r.version));
  }
  return out;
}

json::object ParseStored(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : json::object();
}


// The types CareDesk keeps as sent (fhir/resource_types.h), under the same patterns as the answers for
// everything else under /fhir/R4: 405 for an interaction a served type does not offer, 404 for a type not
// served; never the web UI or CareDesk's own error shape. Reads need patient.read and writes patient.write,
// as for the patients these resources are mostly about.
void RegisterStoredTypeRoutes(http::Router& router, Services& s) {
  const http::Handler unsupported = Public([](http::Request& req) -> http::Response {
    const std::string type(req.PathParam("type"));
    const std::string target = req.path.substr(std::string_view(kBase).size() + 1);
    if (fhir::IsModelledType(type) || fhir::IsStoredType(type) || type == "metadata") {
      const bool get = req.method == "GET";
      return FhirResponse(get ? 404 : 405,
                          fhir::OperationOutcome("error", "not-supported",
                                                 req.method + " " + target +
                                                     " is not supported (see /fhir/R4/metadata for what is)"));
    }
    return FhirResponse(404, fhir::OperationOutcome("error", "not-supported",
                                                    "this server does not serve " + type +
                                                        " resources (see /fhir/R4/metadata)"));
  });
  // `handler` for the stored types, the answer above for the rest.
  const auto stored = [&s, unsupported](Permission permission, AuthedHandler handler) -> http::Handler {
    http::Handler authed = FhirAuthed(s, permission, std::move(handler));
    return [authed, unsupported](http::Request& req) {
      return fhir::IsStoredType(req.PathParam("type")) ? authed(req) : unsupported(req);
    };
  };
  const auto type_of = [](const http::Request& req) { return std::string(req.PathParam("type")); };
  const auto id_of = [](const http::Request& req) -> Result<std::string> {
    const std::string id(req.PathParam("id"));
    if (!fhir::IsValidResourceId(id)) {
      return Error::NotFound(std::string(req.PathParam("type")) + "/" + id + " is not known (not a valid id)");
    }
    return id;
  };

  router.Add("GET", std::string(kBase) + "/{type}",
             stored(Permission::kPatientRead, [&s, type_of](http::Request& req, const Actor& a) -> http::Response {
               const std::string type = type_of(req);
               const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
               FHIR_TRY(fhir::StoredSearch search, fhir::ReadStoredSearch(type, req.query, today));
               FHIR_TRY(auto found, s.fhir_resources.Search(a, search.criteria,
                                                            search.result.with_total || search.result.summary_count,
                                                            !search.result.summary_count));
               fhir::SearchPage page;
               page.type_url = BaseUrl(req) + "/" + type;
               page.used = search.used;
               page.total = found.total;
               Includes includes(s, a, search.include);
               for (const db::FhirResourceRow& row : found.rows) {
                 page.resources.push_back(ParseStored(row.body));
                 if (row.patient_id > 0) {
                   if (Status st = includes.Add("Patient", row.patient_id); !st.ok()) return FhirFail(st.error());
                 }
               }
               if (found.more && !found.rows.empty()) {
                 page.next_cursor = fhir::NextCursor(search.criteria.page, found.rows.back().seq, 0);
               }
               page.outcome = SearchOutcome(search.ignored, includes.notes());
               page.included = std::move(includes).resources();
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // Create, conditionally with If-None-Exist (a search of the type: no match creates, one answers 200 with
  // it, more than one is a 412).
  router.Add("POST", std::string(kBase) + "/{type}",
             stored(Permission::kPatientWrite, [&s, type_of](http::Request& req, const Actor& a) -> http::Response {
               const std::string type = type_of(req);
               FHIR_TRY(json::value body, FhirBody(req));
               if (!req.if_none_exist.empty()) {
                 http::Request condition;
                 const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
                 Result<fhir::StoredSearch> search = Error::Invalid("If-None-Exist", "");
                 if (http::DecodeTarget("/?" + req.if_none_exist, condition).ok()) {
                   search = fhir::ReadStoredSearch(type, condition.query, today);
                 }
                 if (!search.ok() || !search->ignored.empty() || search->used.empty()) {
                   return FhirFail(Error::Invalid("If-None-Exist", "If-None-Exist must be a search of " + type +
                                                                   " by parameters this server supports (_id, "
                                                                   "_lastUpdated, patient, subject)"));
                 }
                 search->criteria.page.limit = 2;
                 FHIR_TRY(auto found, s.fhir_resources.Search(a, search->criteria, false, true));
                 if (found.rows.size() > 1) {
                   return FhirResponse(412, fhir::OperationOutcome("error", "duplicate",
                                                                   "If-None-Exist matches more than one " + type,
                                                                   "If-None-Exist"));
                 }
                 if (found.rows.size() == 1) return StoredAnswer(req, 200, fhir::FromRow(found.rows[0]));
               }
               if (type == fhir::kQuestionnaireResponse) {
                 // A response to a CareDesk survey is recorded as one.
                 FHIR_TRY(auto recorded, s.fhir_survey_responses.Create(a, body));
                 if (recorded) return StoredAnswer(req, 201, *recorded);
               }
               FHIR_TRY(fhir::StoredResource created, s.fhir_resources.Create(a, type, body));
               return StoredAnswer(req, 201, created);
             }));

  router.Add("GET", std::string(kBase) + "/{type}/{id}",
             stored(Permission::kPatientRead, [&s, type_of, id_of](http::Request& req, const Actor& a) {
               FHIR_TRY(const std::string id, id_of(req));
               FHIR_TRY(fhir::StoredResource found, s.fhir_resources.Read(a, type_of(req), id));
               return StoredAnswer(req, 200, found);
             }));

  // Update, creating the resource with the client's id when there is none (201), version-aware with
  // If-Match: W/"n".
  router.Add("PUT", std::string(kBase) + "/{type}/{id}",
             stored(Permission::kPatientWrite, [&s, type_of](http::Request& req, const Actor& a) -> http::Response {
               const std::string id(req.PathParam("id"));
               if (!fhir::IsValidResourceId(id)) {
                 return FhirFail(Error::Invalid("id", "id must be 1 to 64 of A-Z, a-z, 0-9, '-' and '.'"));
               }
               FHIR_TRY(std::optional<int64_t> expected, IfMatch(req));
               FHIR_TRY(json::value body, FhirBody(req));
               if (type_of(req) == fhir::kQuestionnaireResponse) {
                 if (auto refused = fhir::SurveyResponseStore::RefusedChange(id, &body)) return FhirFail(*refused);
               }
               FHIR_TRY(auto written, s.fhir_resources.Update(a, type_of(req), id, body, expected));
               return StoredAnswer(req, written.created ? 201 : 200, written.resource);
             }));

  router.Add("DELETE", std::string(kBase) + "/{type}/{id}",
             stored(Permission::kPatientWrite, [&s, type_of, id_of](http::Request& req, const Actor& a) {
               FHIR_TRY(const std::string id, id_of(req));
               FHIR_TRY(std::optional<int64_t> expected, IfMatch(req));
               if (type_of(req) == fhir::kQuestionnaireResponse) {
                 if (auto refused = fhir::SurveyResponseStore::RefusedChange(id, nullptr)) return FhirFail(*refused);
               }
               FHIR_TRY(fhir::StoredResource deleted, s.fhir_resources.Delete(a, type_of(req), id, expected));
               http::Response r = http::Response::NoContent();
               r.headers.emplace_back("ETag", fhir::VersionTag(deleted.version));
               return r;
             }));

  // history: every version newest first; vread: one of them (410 for a deleted version).
  router.Add("GET", std::string(kBase) + "/{type}/{id}/{operation}",
             stored(Permission::kPatientRead,
                    [&s, type_of, id_of, unsupported](http::Request& req, const Actor& a) -> http::Response {
                      if (req.PathParam("operation") != "_history") return unsupported(req);
                      const std::string type = type_of(req);
                      FHIR_TRY(const std::string id, id_of(req));
                      FHIR_TRY(std::vector<fhir::StoredResource> versions, s.fhir_resources.History(a, type, id));
                      std::vector<fhir::HistoryVersion> entries;
                      for (auto& v : versions) {
                        entries.push_back(fhir::HistoryVersion{type, id, v.version, v.updated_at_ms,
                                                               v.deleted ? std::nullopt
                                                                         : std::optional(ParseStored(v.body))});
                      }
                      const std::string base = BaseUrl(req);
                      return FhirResponse(200, fhir::HistoryBundle(base, base + "/" + type + "/" + id + "/_history",
                                                                   entries));
                    }));
  router.Add("GET", std::string(kBase) + "/{type}/{id}/{operation}/{vid}",
             stored(Permission::kPatientRead,
                    [&s, type_of, id_of, unsupported](http::Request& req, const Actor& a) -> http::Response {
                      if (req.PathParam("operation") != "_history") return unsupported(req);
                      FHIR_TRY(const std::string id, id_of(req));
                      const auto version = fhir::ReadResourceId(req.PathParam("vid"));
                      if (!version) {
                        return FhirFail(Error::NotFound(type_of(req) + "/" + id + " has no version " +
                                                        std::string(req.PathParam("vid"))));
                      }
                      FHIR_TRY(fhir::StoredResource found, s.fhir_resources.ReadVersion(a, type_of(req), id, *version));
                      return StoredAnswer(req, 200, found);
                    }));

  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    router.Add(method, std::string(kBase) + "/{type}", unsupported);
    router.Add(method, std::string(kBase) + "/{type}/{id}", unsupported);
    router.Add(method, std::string(kBase) + "/{type}/{id}/{operation}", unsupported);
    router.Add(method, std::string(kBase) + "/{type}/{id}/{operation}/{vid}", unsupported);
  }
}

void RegisterFhirRoutes(http::Router& router, Services& s) {
  const std::string started = FormatInstantUtc(s.clock.Now());

  router.Add("GET", std::string(kBase) + "/metadata", Public([started](http::Request& req) -> http::Response {
               if (auto bad = UnsupportedFormat(req)) return NotAcceptable(*bad);
               return FhirResponse(200, fhir::CapabilityStatement(BaseUrl(req), started));
             }));

  // Bulk Data export (before the Patient routes: Patient/$export is not a patient), the asynchronous pattern: the kick-off answers 202 with the status URL; the status is 202
  // (X-Progress) while the job runs, then 200 with the manifest; the files come with the same token. For the
  // roles that manage interfaces and may read patients.
  enum class Level { kSystem, kPatient, kGroup };
  const auto kick_off = [&s](Level level) {
    return FhirAuthed(s, Permission::kInterfacesManage, [&s, level](http::Request& req, const Actor& a) -> http::Response {
      if (!RoleHas(a.role, Permission::kPatientRead)) {
        return FhirFail(Error::Forbidden("an export reads patients: this role may not (patient.read)"));
      }
      FHIR_TRY(fhir::ExportRequest request, fhir::ReadExportRequest(req.query, level != Level::kSystem));
      for (const std::string& type : request.types) {
        if (auto refused = ScopeRefusal(a, type, false)) return FhirFail(*refused);
      }
      std::string path = level == Level::kSystem ? "/$export" : "/Patient/$export";
      if (level == Level::kGroup) {
        const std::string group(req.PathParam("id"));
        FHIR_TRY(request.patients, s.fhir_groups.Members(group));
        path = "/Group/" + group + "/$export";
      }
      request.request_url = fhir::SearchUrl(BaseUrl(req) + path, req.query);
      FHIR_TRY(std::string job, s.fhir_export.Start(a, std::move(request)));
      http::Response r = FhirResponse(202, fhir::OperationOutcome("information", "informational",
                                                                  "the export has started; poll Content-Location"));
      r.headers.emplace_back("Content-Location", BaseUrl(req) + "/$export-status/" + job);
      return r;
    });
  };
  router.Add("GET", std::string(kBase) + "/$export", kick_off(Level::kSystem));
  router.Add("GET", std::string(kBase) + "/Patient/$export", kick_off(Level::kPatient));
  router.Add("GET", std::string(kBase) + "/Group/{id}/$export", kick_off(Level::kGroup));

  // CareDesk's patient groups (the patients of a location, of a provider): read and listed, for whoever may
  // read patients (a group says how many patients it has).
  router.Add("GET", std::string(kBase) + "/Group/{id}",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(json::object group, s.fhir_groups.Read(req.PathParam("id")));
               return FhirResponse(200, group);
             }));
  router.Add("GET", std::string(kBase) + "/Group",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(fhir::GroupSearch search, fhir::ReadGroupSearch(req.query));
               FHIR_TRY(std::vector<json::object> groups, s.fhir_groups.All());
               fhir::SearchPage page;
               page.type_url = BaseUrl(req) + "/Group";
               page.used = search.used;
               int64_t total = 0;
               for (json::object& g : groups) {
                 const std::string id(g.at("id").as_string());
                 if (!search.ids.empty() && std::find(search.ids.begin(), search.ids.end(), id) == search.ids.end()) {
                   continue;
                 }
                 ++total;
                 if (!search.count_only) page.resources.push_back(std::move(g));
               }
               page.total = total;
               page.outcome = SearchOutcome(search.ignored);
               return FhirResponse(200, fhir::SearchSet(page));
             }));
  router.Add("GET", std::string(kBase) + "/$export-status/{job}",
             FhirAuthed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(fhir::ExportStatus st, s.fhir_export.Poll(a, std::string(req.PathParam("job"))));
               if (st.state == fhir::ExportStatus::State::kRunning) {
                 http::Response r = FhirResponse(202, fhir::OperationOutcome("information", "informational",
                                                                             "the export is running"));
                 r.headers.emplace_back("X-Progress", std::to_string(st.written) + " resources written");
                 r.headers.emplace_back("Retry-After", "1");
                 return r;
               }
               if (st.state == fhir::ExportStatus::State::kFailed) {
                 // Interrupted (its process stopped): 503, start it again; anything else the server's 500.
                 return FhirFail(Error{st.interrupted ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                                       st.interrupted ? "interrupted" : "export_failed",
                                       "the export failed: " + st.error,
                                       {}});
               }
               json::array output;
               for (const auto& f : st.files) {
                 output.push_back(json::object{
                     {"type", f.type},
                     {"url", BaseUrl(req) + "/$export-file/" + std::string(req.PathParam("job")) + "/" + f.name},
                     {"count", f.count}});
               }
               http::Response r = http::Response::Json(
                   200, Serialize(json::object{{"transactionTime", st.transaction_time},
                                               {"request", st.request_url},
                                               {"requiresAccessToken", true},
                                               {"output", std::move(output)},
                                               {"error", json::array{}}}));
               if (st.expires_at) r.headers.emplace_back("Expires", FormatHttpDate(*st.expires_at));
               return r;
             }));
  router.Add("DELETE", std::string(kBase) + "/$export-status/{job}",
             FhirAuthed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               auto deleted = s.fhir_export.Delete(a, std::string(req.PathParam("job")));
               if (!deleted.ok()) return FhirFail(deleted.error());
               return FhirResponse(202, fhir::OperationOutcome("information", "informational", "the export is deleted"));
             }));
  // $import: ndjson (or a Bundle) in the body, imported by a job of its own (fhir/import_jobs.h) as
  // `caredesk import fhir` would; for roles that manage interfaces and write patients.
  const auto may_import = [](const Actor& a) -> std::optional<Error> {
    if (!RoleHas(a.role, Permission::kPatientWrite)) return Error::Forbidden("importing needs patient.write too");
    return ScopeRefusal(a, "Patient", true);
  };
  router.Add("POST", std::string(kBase) + "/$import",
             FhirAuthed(s, Permission::kInterfacesManage, [&s, may_import](http::Request& req, const Actor& a) -> http::Response {
               if (auto refused = may_import(a)) return FhirFail(*refused);
               const std::string& type = req.content_type;
               const bool ndjson = type.find("ndjson") != std::string::npos;
               if (!ndjson && type.find("json") == std::string::npos) {
                 return FhirFail(Error::Invalid("Content-Type", "send application/fhir+ndjson (one resource a line) or "
                                                                "application/fhir+json (a Bundle or one resource)"));
               }
               FHIR_TRY(std::string job, s.fhir_imports.Start(a, std::move(req.body), ndjson, BaseUrl(req) + "/$import"));
               http::Response r = FhirResponse(202, fhir::OperationOutcome("information", "informational",
                                                                          "the import has started; poll Content-Location"));
               r.headers.emplace_back("Content-Location", BaseUrl(req) + "/$import-status/" + job);
               return r;
             }));
  router.Add("GET", std::string(kBase) + "/$import-status/{job}",
             FhirAuthed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(fhir::ImportStatus st, s.fhir_imports.Poll(a, std::string(req.PathParam("job"))));
               if (st.state == fhir::ImportStatus::State::kRunning) {
                 http::Response r = FhirResponse(202, fhir::OperationOutcome("information", "informational",
                                                                            "the import is running"));
                 r.headers.emplace_back("X-Progress", st.phase + ": " + std::to_string(st.done) + " of " +
                                                          std::to_string(st.total));
                 r.headers.emplace_back("Retry-After", "1");
                 return r;
               }
               if (st.state == fhir::ImportStatus::State::kFailed) {
                 // Its own status: nothing readable in the body is the client's 400, a database failure a 5xx.
                 Error failed = st.error;
                 failed.message = "the import failed: " + failed.message;
                 return FhirFail(failed);
               }
               const fhir::ImportReport& rep = st.report;
               json::array output, skipped, errors, warnings;
               for (const auto& [t, n] : rep.written) output.push_back(json::object{{"type", t}, {"count", n}});
               for (const auto& [t, n] : rep.skipped) skipped.push_back(json::object{{"type", t}, {"count", n}});
               for (const auto& e : rep.errors) errors.emplace_back(e);
               for (const auto& w : rep.warnings) warnings.emplace_back(w);
               http::Response r = FhirResponse(200, json::object{{"transactionTime", st.transaction_time},
                                                     {"request", st.request_url},
                                                     {"read", rep.read},
                                                     {"patientsCreated", rep.patients_created},
                                                     {"patientsUpdated", rep.patients_updated},
                                                     {"output", std::move(output)},
                                                     {"skipped", std::move(skipped)},
                                                     {"refused", rep.failed},
                                                     {"error", std::move(errors)},
                                                     {"warning", std::move(warnings)}});
               if (st.expires_at) r.headers.emplace_back("Expires", FormatHttpDate(*st.expires_at));
               return r;
             }));
  router.Add("DELETE", std::string(kBase) + "/$import-status/{job}",
             FhirAuthed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               auto deleted = s.fhir_imports.Delete(a, std::string(req.PathParam("job")));
               if (!deleted.ok()) return FhirFail(deleted.error());
               return http::Response::NoContent();
             }));
  // The user's latest exports and imports, for the Interfaces page: what each is, how far it got, where its
  // status is polled. Kept across restarts until they expire (fhir/bulk_jobs.h).
  router.Add("GET", "/api/v1/fhir/jobs", Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               const auto kind = req.Query("kind");
               if (!kind || (*kind != "export" && *kind != "import")) {
                 return Fail(Error::Invalid("kind", "kind must be export or import"));
               }
               API_TRY(Page page, QueryPage(req, 20, 100));
               const auto state_name = [](auto state) {
                 using S = decltype(state);
                 return state == S::kRunning ? "running" : state == S::kDone ? "done" : "failed";
               };
               const auto item = [&](const std::string& id, const char* state, int64_t done, int64_t total,
                                     std::string phase, const std::string& transaction_time, std::string request,
                                     std::string error, const std::optional<TimePoint>& expires) {
                 return json::object{{"id", id},
                                     {"kind", *kind},
                                     {"state", state},
                                     {"phase", std::move(phase)},
                                     {"done", done},
                                     {"total", total},
                                     {"started_at", transaction_time},
                                     {"request", std::move(request)},
                                     {"error", std::move(error)},
                                     {"expires_at", expires ? json::value(FormatInstantUtc(*expires)) : json::value()},
                                     {"status_url", std::string(kBase) + "/$" + std::string(*kind) + "-status/" + id}};
               };
               json::array items;
               if (*kind == "export") {
                 API_TRY(auto jobs, s.fhir_export.List(a, page.limit));
                 for (const auto& [id, st] : jobs) {
                   items.push_back(item(id, state_name(st.state), st.written, 0, "", st.transaction_time, st.request_url,
                                        st.error, st.expires_at));
                 }
               } else {
                 API_TRY(auto jobs, s.fhir_imports.List(a, page.limit));
                 for (const auto& [id, st] : jobs) {
                   items.push_back(item(id, state_name(st.state), st.done, st.total, st.phase, st.transaction_time,
                                        st.request_url, st.state == fhir::ImportStatus::State::kFailed ? st.error.message : "",
                                        st.expires_at));
                 }
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("GET", std::string(kBase) + "/$export-file/{job}/{file}",
             FhirAuthed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(std::filesystem::path path,
                        s.fhir_export.File(a, std::string(req.PathParam("job")), std::string(req.PathParam("file"))));
               std::ifstream in(path, std::ios::binary);
               std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
               if (!in.good() && !in.eof()) return FhirFail(Error::Internal("cannot read " + path.string()));
               http::Response r;
               r.status = 200;
               r.content_type = "application/fhir+ndjson";
               r.body = std::move(body);
               return r;
             }));

  router.Add("GET", std::string(kBase) + "/Patient/{id}",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               if (!id) return FhirFail(NoSuchPatient(raw));
               auto found = s.fhir_patients.Read(a, *id);
               if (!found.ok()) {
                 return FhirFail(found.error().code == ErrorCode::kNotFound ? NoSuchPatient(raw) : found.error());
               }
               return PatientAnswer(req, 200, *found);
             }));

  // vread: any version the patient has had; history: all of them, newest first.
  router.Add("GET", std::string(kBase) + "/Patient/{id}/_history/{vid}",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id"), raw_version = req.PathParam("vid");
               const auto id = fhir::ReadResourceId(raw);
               const auto version = fhir::ReadResourceId(raw_version);
               const auto missing = [&] {
                 return FhirFail(Error::NotFound("Patient/" + std::string(raw) + " has no version " +
                                                 std::string(raw_version)));
               };
               if (!id || !version) return missing();
               auto found = s.fhir_patients.ReadVersion(a, *id, *version);
               if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? missing() : FhirFail(found.error());
               return PatientAnswer(req, 200, *found);
             }));
  router.Add("GET", std::string(kBase) + "/Patient/{id}/_history",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               if (!id) return FhirFail(NoSuchPatient(raw));
               auto versions = s.fhir_patients.History(a, *id);
               if (!versions.ok()) {
                 return FhirFail(versions.error().code == ErrorCode::kNotFound ? NoSuchPatient(raw) : versions.error());
               }
               std::vector<json::object> resources;
               for (auto& v : *versions) resources.push_back(std::move(v.resource));
               const std::string base = BaseUrl(req);
               return FhirResponse(200, fhir::HistoryBundle(base, base + "/Patient/" + std::to_string(*id) + "/_history",
                                                            resources));
             }));

  // Create, conditionally with If-None-Exist: no match creates, one match answers 200 with it, more
  // than one is a 412.
  router.Add("POST", std::string(kBase) + "/Patient",
             FhirAuthed(s, Permission::kPatientWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(json::value body, FhirBody(req));
               if (!req.if_none_exist.empty()) {
                 http::Request condition;
                 if (!http::DecodeTarget("/?" + req.if_none_exist, condition).ok()) {
                   return FhirFail(Error::Invalid("If-None-Exist", "If-None-Exist must be a search query such as "
                                                                   "identifier=system|value"));
                 }
                 const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
                 FHIR_TRY(fhir::PatientSearch search, fhir::ReadPatientSearch(condition.query, today));
                 if (!search.ignored.empty() || search.used.empty()) {
                   return FhirFail(Error::Invalid("If-None-Exist", "If-None-Exist must use Patient search "
                                                                   "parameters this server supports"));
                 }
                 search.criteria.limit = 2;
                 FHIR_TRY(PatientMatches matches, s.patients.Match(a, search.criteria, false, false));
                 if (matches.patients.size() > 1) {
                   return FhirResponse(412, fhir::OperationOutcome("error", "duplicate",
                                                                   "If-None-Exist matches more than one patient",
                                                                   "If-None-Exist"));
                 }
                 if (matches.patients.size() == 1) {
                   FHIR_TRY(fhir::StoredPatient existing, s.fhir_patients.Read(a, matches.patients[0].patient.id));
                   return PatientAnswer(req, 200, existing);
                 }
               }
               FHIR_TRY(fhir::StoredPatient created, s.fhir_patients.Create(a, body));
               return PatientAnswer(req, 201, created);
             }));

  // Update, version-aware with If-Match: W/"n" (412 when the patient is no longer at version n).
  router.Add("PUT", std::string(kBase) + "/Patient/{id}",
             FhirAuthed(s, Permission::kPatientWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               // CareDesk issues patient ids: an update cannot create one.
               const auto unknown = [&] {
                 return FhirFail(Error::NotFound("Patient/" + std::string(raw) +
                                                 " is not known; CareDesk issues patient ids, so create with POST"));
               };
               if (!id) return unknown();
               std::optional<int64_t> expected;
               if (!req.if_match.empty()) {
                 expected = fhir::ReadVersionTag(req.if_match);
                 if (!expected) {
                   return FhirFail(Error::Invalid("If-Match", "If-Match must be a version tag such as W/\"3\""));
                 }
               }
               FHIR_TRY(json::value body, FhirBody(req));
               auto updated = s.fhir_patients.Update(a, *id, body, expected);
               if (!updated.ok()) {
                 const Error& e = updated.error();
                 if (e.code == ErrorCode::kNotFound) return unknown();
                 if (e.reason == "stale_version" && expected) {
                   return FhirResponse(412, fhir::OperationOutcome("error", "conflict",
                                                                   "the patient is no longer at version " +
                                                                       std::to_string(*expected) +
                                                                       "; read it again and resend",
                                                                   "If-Match"));
                 }
                 return FhirFail(e);
               }
               return PatientAnswer(req, 200, *updated);
             }));

  router.Add("GET", std::string(kBase) + "/Patient",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
               FHIR_TRY(fhir::PatientSearch search, fhir::ReadPatientSearch(req.query, today));
               FHIR_TRY(PatientMatches matches,
                        s.patients.Match(a, search.criteria, search.with_total || search.summary_count,
                                         !search.summary_count));
               fhir::SearchPage page;
               page.type_url = BaseUrl(req) + "/Patient";
               page.used = search.used;
               page.total = matches.total;
               FHIR_TRY(page.resources, s.fhir_patients.Resources(matches.patients));
               if (matches.more && !matches.patients.empty()) {
                 page.next_cursor =
                     fhir::NextCursor(search.criteria, matches.patients.back().patient.id, matches.last_sort_key);
               }
               std::vector<std::string> notes;
               FHIR_TRY(page.included, RevIncluded(s, a, search.revinclude, matches.patients, notes));
               page.outcome = SearchOutcome(search.ignored, notes);
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // The scheduling set-up: read and search, for whoever may read it (every role).
  const std::string base(kBase);
  router.Add("GET", base + "/Practitioner/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return ReadById(
                   req, "Practitioner",
                   [&s](int64_t id) -> Result<json::object> {
                     CD_ASSIGN_OR_RETURN(Provider p, s.schedule.GetProvider(id));
                     return PractitionerServed(s, p);
                   },
                   [](json::object r) { return r; });
             }));
  router.Add("GET", base + "/PractitionerRole/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return ReadById(req, "PractitionerRole", [&s](int64_t id) { return s.schedule.GetProvider(id); },
                                fhir::PractitionerRoleResource);
             }));
  router.Add("GET", base + "/Location/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return ReadById(req, "Location", [&s](int64_t id) { return s.schedule.GetLocation(id); },
                                fhir::LocationResource);
             }));
  router.Add("GET", base + "/Practitioner",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto providers, s.schedule.Providers());
               return ListSearch(
                   req, "Practitioner", std::move(providers), fhir::PractitionerResource,
                   [](const fhir::SetupSearch& q, const Provider& p) { return fhir::Matches(q, p, false); },
                   [&s](std::vector<json::object>& page) { return ServedAsSent(s, "Practitioner", page); });
             }));
  router.Add("GET", base + "/PractitionerRole",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto providers, s.schedule.Providers());
               return ListSearch(req, "PractitionerRole", std::move(providers), fhir::PractitionerRoleResource,
                                 [](const fhir::SetupSearch& q, const Provider& p) { return fhir::Matches(q, p, true); });
             }));
  router.Add("GET", base + "/Location",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto locations, s.schedule.Locations());
               return ListSearch(req, "Location", std::move(locations), fhir::LocationResource,
                                 [](const fhir::SetupSearch& q, const Location& l) { return fhir::Matches(q, l); });
             }));
  // An appointment type is the service offered: a HealthcareService (same id) at its providers' locations.
  const auto offered = [&s]() -> Result<std::vector<fhir::OfferedService>> {
    CD_ASSIGN_OR_RETURN(auto types, s.schedule.AppointmentTypes());
    CD_ASSIGN_OR_RETURN(auto providers, s.schedule.Providers());
    return fhir::OfferedServices(types, providers);
  };
  router.Add("GET", base + "/HealthcareService/{id}",
             FhirAuthed(s, Permission::kSetupRead, [offered](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto services, offered());
               return ReadById(req, "HealthcareService",
                               [&](int64_t id) -> Result<fhir::OfferedService> {
                                 for (auto& o : services) {
                                   if (o.id == id) return std::move(o);
                                 }
                                 return Error::NotFound("no appointment type with id " + std::to_string(id));
                               },
                               fhir::HealthcareServiceResource);
             }));
  router.Add("GET", base + "/HealthcareService",
             FhirAuthed(s, Permission::kSetupRead, [offered](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto services, offered());
               return ListSearch(req, "HealthcareService", std::move(services), fhir::HealthcareServiceResource,
                                 [](const fhir::SetupSearch& q, const fhir::OfferedService& o) { return fhir::Matches(q, o); });
             }));

  // A provider's bookable time: its Schedule (same id), and the free Slots the slot engine finds in it.
  router.Add("GET", base + "/Schedule/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto types, s.schedule.AppointmentTypes());
               return ReadById(req, "Schedule", [&s](int64_t id) { return s.schedule.GetProvider(id); },
                               [&](const Provider& p) { return fhir::ScheduleResource(p, types); });
             }));
  router.Add("GET", base + "/Schedule",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto providers, s.schedule.Providers());
               FHIR_TRY(auto types, s.schedule.AppointmentTypes());
               return ListSearch(req, "Schedule", std::move(providers),
                                 [&](const Provider& p) { return fhir::ScheduleResource(p, types); },
                                 [](const fhir::SetupSearch& q, const Provider& p) { return fhir::MatchesSchedule(q, p); });
             }));
  router.Add("GET", base + "/Slot/{id}",
             FhirAuthed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor&) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto gone = [&] {
                 return FhirFail(Error::NotFound("Slot/" + std::string(raw) + " is not a free slot (booked, past or "
                                                                              "never offered)"));
               };
               const auto key = fhir::ReadSlotId(raw);
               if (!key) return gone();
               auto type = s.schedule.GetAppointmentType(key->type_id);
               if (!type.ok()) return type.error().code == ErrorCode::kNotFound ? gone() : FhirFail(type.error());
               SlotQuery q;
               q.appointment_type_id = key->type_id;
               q.provider_id = key->provider_id;
               q.location_id = key->location_id;
               q.from = FromMillis(key->start_minute * 60'000);
               q.to = q.from + std::chrono::minutes(1);
               q.limit = 1;
               q.not_before = s.clock.Now();
               auto found = s.appointments.Slots(q);
               if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? gone() : FhirFail(found.error());
               if (found->empty()) return gone();
               FHIR_TRY(Location location, s.schedule.GetLocation(key->location_id));
               return FhirResponse(200, fhir::SlotResource(found->front(), *type, location.time_zone));
             }));
  router.Add("GET", base + "/Slot",
             FhirAuthed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(fhir::SlotSearch search, fhir::ReadSlotSearch(req.query));
               FHIR_TRY(fhir::SearchPage page, SlotPage(s, req, search));
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // The audit trail, read-only, for the roles that may read it; reading it is audited as the REST search is.
  router.Add("GET", base + "/AuditEvent/{id}",
             FhirAuthed(s, Permission::kAuditRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto seq = fhir::ReadResourceId(raw);
               const auto missing = [&] { return FhirFail(Error::NotFound("AuditEvent/" + std::string(raw) + " is not known")); };
               if (!seq) return missing();
               db::AuditFilter f;
               f.seq = *seq;
               f.limit = 1;
               FHIR_TRY(auto events, s.audit.Search(f));
               if (events.empty()) return missing();
               auto logged = s.audit.Record(s.audit.Make(a, "read", audit_category::kAudit, events[0].patient_id,
                                                         "success", "audit event " + std::to_string(*seq)));
               if (!logged.ok()) return FhirFail(logged.error());
               return FhirResponse(200, fhir::AuditEventResource(events[0]));
             }));
  router.Add("GET", base + "/AuditEvent",
             FhirAuthed(s, Permission::kAuditRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(fhir::AuditEventSearch search, fhir::ReadAuditEventSearch(req.query));
               fhir::SearchPage page;
               page.type_url = BaseUrl(req) + "/AuditEvent";
               page.used = search.used;
               page.outcome = SearchOutcome(search.ignored);
               if (!search.none && search.filter.limit > 0) {
                 const int limit = search.filter.limit;
                 search.filter.limit = limit + 1;
                 FHIR_TRY(auto events, s.audit.Search(search.filter));
                 auto logged = s.audit.Record(s.audit.Make(a, "search", audit_category::kAudit, search.filter.patient_id,
                                                           "success", "audit trail search (FHIR)"));
                 if (!logged.ok()) return FhirFail(logged.error());
                 for (int i = 0; i < limit && i < static_cast<int>(events.size()); ++i) {
                   page.resources.push_back(fhir::AuditEventResource(events[i]));
                 }
                 if (static_cast<int>(events.size()) > limit) page.next_cursor = std::to_string(events[limit - 1].seq);
               }
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // Appointments and encounters: read and search, audited per patient as the rest of CareDesk does.
  router.Add("GET", base + "/Appointment/{id}",
             FhirAuthed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor& a) {
               return ReadById(req, "Appointment", [&](int64_t id) { return s.appointments.Get(a, id); },
                                [](const AppointmentView& v) { return fhir::AppointmentResource(v.row); });
             }));
  router.Add("GET", base + "/Appointment",
             FhirAuthed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
               FHIR_TRY(fhir::AppointmentSearch search, fhir::ReadAppointmentSearch(req.query, today));
               FHIR_TRY(auto found, s.appointments.Search(a, search.criteria,
                                                          search.result.with_total || search.result.summary_count,
                                                          !search.result.summary_count));
               return KeyedSearchSet(s, a, req, "Appointment", search, search.criteria.page, std::move(found),
                                     fhir::AppointmentResource, [](const db::AppointmentRow& r) { return r.start_at; },
                                     [](const db::AppointmentRow& r, auto add) {
                                       add("Patient", r.patient_id);
                                       add("Practitioner", r.provider_id);
                                       add("Location", r.location_id);
                                     });
             }));
  // Booking through FHIR: an Appointment naming its patient and either a Slot or the practitioner, location,
  // appointment type and start. The same booking as POST /api/v1/appointments (the database refuses a slot
  // taken twice: 409 conflict).
  router.Add("POST", base + "/Appointment",
             FhirAuthed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(json::value body, FhirBody(req));
               FHIR_TRY(fhir::AppointmentInput in, fhir::ReadAppointmentResource(body));
               auto booked = s.appointments.Book(a, in.booking);
               if (!booked.ok()) return FhirFail(fhir::AppointmentBookingError(booked.error(), in.from_slot));
               http::Response r = FhirResponse(201, fhir::AppointmentResource(booked->row));
               r.headers.emplace_back("Location", BaseUrl(req) + "/Appointment/" + std::to_string(booked->row.id));
               r.headers.emplace_back("Last-Modified", FormatHttpDate(FromMillis(booked->row.updated_at)));
               return r;
             }));
  // Update: cancel (status cancelled with cancelationReason), no-show, reschedule (a new start or
  // practitioner), notes (comment); see fhir::UpdateAppointment.
  router.Add("PUT", base + "/Appointment/{id}",
             FhirAuthed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               const auto unknown = [&] {
                 return FhirFail(Error::NotFound("Appointment/" + std::string(raw) +
                                                 " is not known; CareDesk issues appointment ids, so book with POST"));
               };
               if (!id) return unknown();
               FHIR_TRY(json::value body, FhirBody(req));
               auto updated = fhir::UpdateAppointment(s.appointments, a, *id, body);
               if (!updated.ok()) return updated.error().code == ErrorCode::kNotFound && updated.error().field.empty()
                                             ? unknown()
                                             : FhirFail(updated.error());
               http::Response r = FhirResponse(200, fhir::AppointmentResource(updated->row));
               r.headers.emplace_back("Last-Modified", FormatHttpDate(FromMillis(updated->row.updated_at)));
               return r;
             }));
  router.Add("GET", base + "/Encounter/{id}",
             FhirAuthed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) {
               return ReadById(
                   req, "Encounter",
                   [&](int64_t id) -> Result<json::object> {
                     CD_ASSIGN_OR_RETURN(EncounterView v, s.flow.Get(a, id));
                     std::vector<json::object> one{fhir::EncounterResource(v.row, &v.transitions)};
                     CD_RETURN_IF_ERROR(ServedAsSent(s, "Encounter", one));
                     return std::move(one.front());
                   },
                   [](json::object r) { return r; });
             }));
  router.Add("GET", base + "/Encounter",
             FhirAuthed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const CivilDate today = InstantToLocal(s.clock.Now(), "UTC").date;
               FHIR_TRY(fhir::EncounterSearch search, fhir::ReadEncounterSearch(req.query, today));
               FHIR_TRY(auto found, s.flow.Search(a, search.criteria,
                                                  search.result.with_total || search.result.summary_count,
                                                  !search.result.summary_count));
               return KeyedSearchSet(s, a, req, "Encounter", search, search.criteria.page, std::move(found),
                                     [](const db::EncounterRow& r) { return fhir::EncounterResource(r, nullptr); },
                                     [](const db::EncounterRow& r) { return r.arrived_at; },
                                     [](const db::EncounterRow& r, auto add) {
                                       add("Patient", r.patient_id);
                                       if (r.provider_id) add("Practitioner", *r.provider_id);
                                       add("Location", r.location_id);
                                       if (r.appointment_id) add("Appointment", *r.appointment_id);
                                     },
                                     [&s](std::vector<json::object>& page) { return ServedAsSent(s, "Encounter", page); });
             }));

  router.Add("GET", base + "/Coverage/{id}",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               const auto missing = [&] { return FhirFail(Error::NotFound("Coverage/" + std::string(raw) + " is not known")); };
               if (!id) return missing();
               auto found = s.coverages.Get(a, *id);
               if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? missing() : FhirFail(found.error());
               std::vector<json::object> one{fhir::CoverageResource(*found)};
               if (Status served = ServedAsSent(s, "Coverage", one); !served.ok()) return FhirFail(served.error());
               return FhirResponse(200, std::move(one.front()));
             }));
  // Create, update and delete (fhir/coverage_store.h): a change of the beneficiary's record, for whoever may
  // write patients. Coverages have no versions of their own: If-Match is refused rather than ignored.
  const auto coverage_write = [&s](bool create) {
    return FhirAuthed(s, Permission::kPatientWrite, [&s, create](http::Request& req, const Actor& a) -> http::Response {
      if (!req.if_match.empty()) {
        return FhirFail(Error::Invalid("If-Match", "a Coverage has no versions of its own (it changes with its "
                                                   "patient): send the update without If-Match"));
      }
      int64_t id = 0;
      const std::string_view raw = create ? std::string_view() : req.PathParam("id");
      if (!create) {
        const auto read = fhir::ReadResourceId(raw);
        if (!read) {
          return FhirFail(Error::NotFound("Coverage/" + std::string(raw) +
                                          " is not known; CareDesk issues Coverage ids, so create with POST"));
        }
        id = *read;
      }
      FHIR_TRY(json::value body, FhirBody(req));
      FHIR_TRY(fhir::CoverageStore::Written w, s.fhir_coverages.Write(a, id, body));
      http::Response r = FhirResponse(w.created ? 201 : 200, std::move(w.resource));
      if (w.created) r.headers.emplace_back("Location", BaseUrl(req) + "/Coverage/" + std::to_string(w.id));
      return r;
    });
  };
  router.Add("POST", base + "/Coverage", coverage_write(true));
  router.Add("PUT", base + "/Coverage/{id}", coverage_write(false));
  router.Add("DELETE", base + "/Coverage/{id}",
             FhirAuthed(s, Permission::kPatientWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               const std::string_view raw = req.PathParam("id");
               const auto id = fhir::ReadResourceId(raw);
               if (!id) return FhirFail(Error::NotFound("Coverage/" + std::string(raw) + " is not known"));
               if (Status deleted = s.fhir_coverages.Delete(a, *id); !deleted.ok()) return FhirFail(deleted.error());
               return http::Response::NoContent();
             }));
  router.Add("GET", base + "/Coverage",
             FhirAuthed(s, Permission::kPatientRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               FHIR_TRY(fhir::CoverageSearch search, fhir::ReadCoverageSearch(req.query));
               FHIR_TRY(auto found, s.coverages.Search(a, search.criteria,
                                                       search.result.with_total || search.result.summary_count,
                                                       !search.result.summary_count));
               return KeyedSearchSet(s, a, req, "Coverage", search, search.criteria.page, std::move(found),
                                     [](const db::CoverageRow& r) { return fhir::CoverageResource(r); },
                                     [](const db::CoverageRow& r) { return r.id; },
                                     [](const db::CoverageRow& r, auto add) { add("Patient", r.patient_id); },
                                     [&s](std::vector<json::object>& page) { return ServedAsSent(s, "Coverage", page); });
             }));

  RegisterVisitWrites(router, s, "Practitioner");
  RegisterVisitWrites(router, s, "Encounter");
  RegisterStoredTypeRoutes(router, s);
  // A batch Bundle: each entry runs through the router as a request of its own, with the caller's token,
  // so it is authorised, scoped and audited as if sent alone. A transaction Bundle: its writes all or nothing
  // in one database transaction (fhir/transaction.h), then its reads as a batch's.
  router.Add("POST", kBase,
             FhirAuthed(s, Permission::kSetupRead, [&router, &s](http::Request& req, const Actor& a) -> http::Response {
    FHIR_TRY(json::value body, FhirBody(req));
    bool transaction = false;
    FHIR_TRY(std::vector<fhir::BatchEntry> entries, fhir::ReadBatch(body, &transaction));
    std::vector<fhir::BatchOutcome> outcomes;
    if (transaction) {
      // Each write as it would be authorised alone: the type's permission and the token's scope for the type.
      const auto may_write = [&a](std::string_view type) -> std::optional<Error> {
        const Permission needed = WritePermission(type);
        if (!RoleHas(a.role, needed)) {
          return Error::Forbidden("writing " + std::string(type) + " needs the " + std::string(PermissionName(needed)) +
                                  " permission");
        }
        return ScopeRefusal(a, type, true);
      };
      FHIR_TRY(outcomes, s.fhir_transactions.Run(a, entries, BaseUrl(req), may_write));
      for (size_t i = 0; i < entries.size(); ++i) {
        if (outcomes[i].status == 0) outcomes[i] = RunBatchEntry(router, req, entries[i], i);
      }
      return FhirResponse(200, fhir::BatchResponse(outcomes, "transaction-response"));
    }
    outcomes.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      outcomes.push_back(RunBatchEntry(router, req, entries[i], i));
    }
    return FhirResponse(200, fhir::BatchResponse(outcomes));
  }));
}

}  // namespace caredesk::api
