// FHIR R4 at /fhir/R4: the CapabilityStatement; Patient read, vread, history, search, create (also
// conditional) and update; Practitioner, PractitionerRole and Location read and search.
// Every answer is application/fhir+json and every error an OperationOutcome;
// the session, the permission check and the audit trail are the rest of the
// API's (a bearer token from POST /api/v1/session).
#include "api/handler_support.h"
#include "app/patient_service.h"
#include "app/schedule_service.h"
#include "fhir/bundle.h"
#include "fhir/capability_statement.h"
#include "fhir/operation_outcome.h"
#include "fhir/patient_resource.h"
#include "fhir/patient_store.h"
#include "http/request_decoding.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"

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

// Authed with FHIR's answers (OperationOutcome for 401, 403 and 500), JSON only.
http::Handler FhirAuthed(Services& s, Permission permission, AuthedHandler handler) {
  return Authed(s, permission, [handler = std::move(handler)](http::Request& req, const Actor& a) -> http::Response {
    if (auto bad = UnsupportedFormat(req)) return NotAcceptable(*bad);
    return handler(req, a);
  }, &FhirFail);
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

// The warning a searchset ends with when parameters were not applied; none when all were.
std::optional<json::object> IgnoredOutcome(const std::vector<std::string>& ignored) {
  if (ignored.empty()) return std::nullopt;
  std::string names;
  for (const auto& n : ignored) names += (names.empty() ? "" : ", ") + n;
  return fhir::OperationOutcome("warning", "not-supported", "search parameters not supported, so not applied: " + names);
}

// A search over one of the set-up lists (providers, locations: hundreds at most), in id order, paged by the
// last id; the total counts every match.
template <typename T, typename ToResource, typename Keep>
http::Response ListSearch(http::Request& req, const char* type, std::vector<T> items, ToResource to_resource,
                          Keep keep) {
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
  page.total = total;
  if (more && last > 0) page.next_cursor = std::to_string(last);
  page.outcome = IgnoredOutcome(search.ignored);
  return FhirResponse(200, fhir::SearchSet(page));
}

// A read of one set-up item; 404 names what was asked for.
template <typename Get, typename ToResource>
http::Response SetupRead(http::Request& req, const char* type, Get get, ToResource to_resource) {
  const std::string_view raw = req.PathParam("id");
  const auto missing = [&] { return FhirFail(Error::NotFound(std::string(type) + "/" + std::string(raw) + " is not known")); };
  const auto id = fhir::ReadResourceId(raw);
  if (!id) return missing();
  auto found = get(*id);
  if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? missing() : FhirFail(found.error());
  return FhirResponse(200, to_resource(*found));
}

}  // namespace

void RegisterFhirRoutes(http::Router& router, Services& s) {
  const std::string started = FormatInstantUtc(s.clock.Now());

  router.Add("GET", std::string(kBase) + "/metadata", Public([started](http::Request& req) -> http::Response {
               if (auto bad = UnsupportedFormat(req)) return NotAcceptable(*bad);
               return FhirResponse(200, fhir::CapabilityStatement(BaseUrl(req), started));
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
               page.outcome = IgnoredOutcome(search.ignored);
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // The scheduling set-up: read and search, for whoever may read it (every role).
  const std::string base(kBase);
  router.Add("GET", base + "/Practitioner/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return SetupRead(req, "Practitioner", [&s](int64_t id) { return s.schedule.GetProvider(id); },
                                fhir::PractitionerResource);
             }));
  router.Add("GET", base + "/PractitionerRole/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return SetupRead(req, "PractitionerRole", [&s](int64_t id) { return s.schedule.GetProvider(id); },
                                fhir::PractitionerRoleResource);
             }));
  router.Add("GET", base + "/Location/{id}",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) {
               return SetupRead(req, "Location", [&s](int64_t id) { return s.schedule.GetLocation(id); },
                                fhir::LocationResource);
             }));
  router.Add("GET", base + "/Practitioner",
             FhirAuthed(s, Permission::kSetupRead, [&s](http::Request& req, const Actor&) -> http::Response {
               FHIR_TRY(auto providers, s.schedule.Providers());
               return ListSearch(req, "Practitioner", std::move(providers), fhir::PractitionerResource,
                                 [](const fhir::SetupSearch& q, const Provider& p) { return fhir::Matches(q, p, false); });
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

  // Everything else under /fhir/R4 answers in FHIR's terms: 405 for an interaction a served type does not
  // offer yet, 404 for a type not served; never the web UI or CareDesk's own error shape.
  auto unsupported = [](http::Request& req) -> http::Response {
    const std::string type(req.PathParam("type"));
    const std::string target = req.path.substr(std::string_view(kBase).size() + 1);
    if (type == "Patient" || type == "Practitioner" || type == "PractitionerRole" || type == "Location" ||
        type == "metadata") {
      const bool get = req.method == "GET";
      return FhirResponse(get ? 404 : 405,
                          fhir::OperationOutcome("error", "not-supported",
                                                 req.method + " " + target +
                                                     " is not supported yet (see /fhir/R4/metadata for what is)"));
    }
    return FhirResponse(404, fhir::OperationOutcome("error", "not-supported",
                                                    "this server does not serve " + type +
                                                        " resources (see /fhir/R4/metadata)"));
  };
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    router.Add(method, std::string(kBase) + "/{type}", Public(unsupported));
    router.Add(method, std::string(kBase) + "/{type}/{id}", Public(unsupported));
    router.Add(method, std::string(kBase) + "/{type}/{id}/{operation}", Public(unsupported));
  }
  router.Add("POST", kBase, Public([](http::Request&) -> http::Response {
               return FhirResponse(405, fhir::OperationOutcome("error", "not-supported",
                                                               "batch and transaction Bundles are not supported yet"));
             }));
}

}  // namespace caredesk::api
