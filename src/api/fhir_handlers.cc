// FHIR R4 at /fhir/R4: the CapabilityStatement, and Patient read and search.
// Every answer is application/fhir+json and every error an OperationOutcome;
// the session, the permission check and the audit trail are the rest of the
// API's (a bearer token from POST /api/v1/session).
#include "api/handler_support.h"
#include "app/patient_service.h"
#include "fhir/bundle.h"
#include "fhir/capability_statement.h"
#include "fhir/operation_outcome.h"
#include "fhir/patient_resource.h"
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

// A FHIR id CareDesk issued: digits, no leading zero. Anything else names no resource here.
std::optional<int64_t> ResourceId(std::string_view text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

Error NoSuchPatient(std::string_view id) {
  return Error::NotFound("Patient/" + std::string(id) + " is not known");
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
               const auto id = ResourceId(raw);
               if (!id) return FhirFail(NoSuchPatient(raw));
               auto found = s.patients.GetWithIdentifiers(a, *id);
               if (!found.ok()) {
                 return FhirFail(found.error().code == ErrorCode::kNotFound ? NoSuchPatient(raw) : found.error());
               }
               http::Response r = FhirResponse(200, fhir::PatientResource(*found));
               r.headers.emplace_back("ETag", fhir::VersionTag(found->patient.version));
               return r;
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
               for (const auto& item : matches.patients) page.resources.push_back(fhir::PatientResource(item));
               if (matches.more && !matches.patients.empty()) {
                 page.next_cursor =
                     fhir::NextCursor(search.criteria, matches.patients.back().patient.id, matches.last_sort_key);
               }
               if (!search.ignored.empty()) {
                 std::string names;
                 for (const auto& n : search.ignored) names += (names.empty() ? "" : ", ") + n;
                 page.outcome = fhir::OperationOutcome("warning", "not-supported",
                                                       "search parameters not supported, so not applied: " + names);
               }
               return FhirResponse(200, fhir::SearchSet(page));
             }));

  // Everything else under /fhir/R4 answers in FHIR's terms: 405 for an interaction a served type does not
  // offer yet, 404 for a type not served; never the web UI or CareDesk's own error shape.
  auto unsupported = [](http::Request& req) -> http::Response {
    const std::string type(req.PathParam("type"));
    const std::string target = req.path.substr(std::string_view(kBase).size() + 1);
    if (type == "Patient" || type == "metadata") {
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
