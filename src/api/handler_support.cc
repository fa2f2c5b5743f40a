#include "api/handler_support.h"

#include <spdlog/spdlog.h>

namespace caredesk::api {
namespace {

std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() > kPrefix.size() && (header.starts_with(kPrefix) || header.starts_with("bearer "))) {
    return header.substr(kPrefix.size());
  }
  return {};
}

http::Response Internal(const http::Request& req, const char* what, ErrorRenderer render) {
  spdlog::error("unhandled exception in {} {} (request {}): {}", req.method, req.path, req.request_id, what);
  return render(Error::Internal("an unexpected error occurred; it has been logged"));
}

}  // namespace

http::Handler Authed(Services& s, Permission permission, AuthedHandler handler, ErrorRenderer render, bool fhir) {
  return [&s, permission, render, fhir, handler = std::move(handler)](http::Request& req) -> http::Response {
    try {
      auto actor = s.auth.Authenticate(BearerToken(req.authorization), req.client_address);
      if (!actor.ok()) return render(actor.error());
      req.log_user = actor->username;
      if (actor->scopes && !fhir) {
        (void)s.audit.Record(s.audit.Make(*actor, "access_denied", std::string(PermissionName(permission)),
                                          std::nullopt, "denied", req.method + " " + req.path + " (system token)"));
        return render(Error::Forbidden("a token issued for a system (SMART scopes) is for /fhir/R4 only"));
      }
      if (!RoleHas(actor->role, permission)) {
        (void)s.audit.Record(s.audit.Make(*actor, "access_denied", std::string(PermissionName(permission)),
                                          std::nullopt, "denied", req.method + " " + req.path));
        return render(Error::Forbidden("the " + std::string(RoleName(actor->role)) + " role may not do this (needs " +
                                       std::string(PermissionName(permission)) + ")"));
      }
      return handler(req, *actor);
    } catch (const std::exception& e) {
      return Internal(req, e.what(), render);
    }
  };
}

http::Handler Public(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& req) -> http::Response {
    try {
      return handler(req);
    } catch (const std::exception& e) {
      return Internal(req, e.what(), &Fail);
    }
  };
}

void RegisterAllRoutes(http::Router& router, Services& s) {
  RegisterSystemRoutes(router, s);
  RegisterSessionRoutes(router, s);
  RegisterUserRoutes(router, s);
  RegisterAuditRoutes(router, s);
  RegisterPatientRoutes(router, s);
  RegisterScheduleSetupRoutes(router, s);
  RegisterAppointmentRoutes(router, s);
  RegisterFlowRoutes(router, s);
  RegisterAnalyticsRoutes(router, s);
  RegisterRelationsRoutes(router, s);
  RegisterFeedbackRoutes(router, s);
  RegisterMetricAlertRoutes(router, s);  // before /api/v1/metrics/{key}
  RegisterMetricsRoutes(router, s);
  RegisterAccessRoutes(router, s);
  RegisterSurveyRoutes(router, s);
  RegisterImprovementRoutes(router, s);
  RegisterHl7Routes(router, s);
  RegisterHl7OutboundRoutes(router, s);
  RegisterFhirRoutes(router, s);
}

Result<std::optional<std::string>> QueryDepartment(const http::Request& req) {
  auto v = req.Query("department");
  if (!v || v->empty()) return std::optional<std::string>();
  if (v->size() > 100) return Error::Invalid("department", "at most 100 characters", "too_long");
  return std::optional<std::string>(std::string(*v));
}

}  // namespace caredesk::api
