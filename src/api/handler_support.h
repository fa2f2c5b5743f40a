// What every handler shares: authentication and the permission check in
// front of it, and turning errors and stray exceptions into JSON answers.
#pragma once

#include <functional>

#include "api/json_body.h"
#include "api/services.h"
#include "app/actor.h"
#include "http/json_response.h"
#include "http/router.h"

namespace caredesk::api {

using AuthedHandler = std::function<http::Response(http::Request&, const Actor&)>;

inline http::Response Fail(const Error& e) { return http::ErrorResponse(e); }
// How a family of routes answers an error: Fail (CareDesk's JSON errors) or FHIR's OperationOutcome.
using ErrorRenderer = http::Response (*)(const Error&);

// Wraps a handler: 401 without a valid session, 403 (audited as denied)
// without `permission`, a 500 for an unexpected exception (logged), each
// answered by `render`.
// A token issued for a system (Actor::scopes) is refused (403) unless `fhir`: its scopes are for /fhir/R4.
http::Handler Authed(Services& s, Permission permission, AuthedHandler handler, ErrorRenderer render = &Fail,
                     bool fhir = false);
// A public handler with the same exception guard.
http::Handler Public(http::Handler handler);

// ?department=: a provider specialty, or the department recorded on cases and survey visits; at most 100
// characters.
Result<std::optional<std::string>> QueryDepartment(const http::Request& req);

// Evaluates a Result expression; on error returns its JSON answer from the
// enclosing handler.
#define API_TRY(lhs, expr)                                              \
  API_TRY_IMPL_(CD_CONCAT_(api_result_, __LINE__), lhs, expr)
#define API_TRY_IMPL_(tmp, lhs, expr)              \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return ::caredesk::api::Fail(tmp.error()); \
  lhs = std::move(tmp).value()
#define API_CHECK(expr)                                                  \
  do {                                                                   \
    auto api_status_ = (expr);                                           \
    if (!api_status_.ok()) return ::caredesk::api::Fail(api_status_.error()); \
  } while (0)

// Route registration, one function per area (each in its *_handlers.cc).
void RegisterSystemRoutes(http::Router& router, Services& s);
void RegisterSessionRoutes(http::Router& router, Services& s);
void RegisterUserRoutes(http::Router& router, Services& s);
void RegisterAuditRoutes(http::Router& router, Services& s);
void RegisterPatientRoutes(http::Router& router, Services& s);
void RegisterScheduleSetupRoutes(http::Router& router, Services& s);
void RegisterAppointmentRoutes(http::Router& router, Services& s);
void RegisterFlowRoutes(http::Router& router, Services& s);
void RegisterAnalyticsRoutes(http::Router& router, Services& s);
void RegisterRelationsRoutes(http::Router& router, Services& s);
void RegisterFeedbackRoutes(http::Router& router, Services& s);
void RegisterMetricsRoutes(http::Router& router, Services& s);
void RegisterSurveyRoutes(http::Router& router, Services& s);
void RegisterImprovementRoutes(http::Router& router, Services& s);
void RegisterMetricAlertRoutes(http::Router& router, Services& s);
void RegisterAccessRoutes(http::Router& router, Services& s);
void RegisterHl7Routes(http::Router& router, Services& s);
void RegisterHl7OutboundRoutes(http::Router& router, Services& s);
void RegisterFhirRoutes(http::Router& router, Services& s);

// All of the above.
void RegisterAllRoutes(http::Router& router, Services& s);

}  // namespace caredesk::api
