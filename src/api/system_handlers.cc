// /healthz and the OpenAPI description.
#include "api/handler_support.h"
#include "api/openapi.h"

namespace caredesk::api {
namespace json = boost::json;

void RegisterSystemRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/healthz", Public([](http::Request&) {
               return http::Response::Json(200, R"({"status":"ok"})");
             }));
  // Present only on a server started with --test-clock (end-to-end tests).
  if (s.test_clock) {
    router.Add("POST", "/api/v1/test/clock", Authed(s, Permission::kUserAdmin, [&s](http::Request& req, const Actor&) {
                 API_TRY(JsonBody b, JsonBody::Parse(req.body));
                 API_TRY(auto reset, b.Bool("reset"));
                 if (reset.value_or(false)) {
                   s.test_clock->Reset();
                 } else {
                   API_TRY(int64_t hours, b.RequiredInt("advance_hours"));
                   if (hours < 0 || hours > 24 * 3660) {
                     return Fail(Error::Invalid("advance_hours", "must be 0 to 87840", "out_of_range"));
                   }
                   s.test_clock->Advance(std::chrono::hours(hours));
                 }
                 return JsonResponse(200, json::object{{"now", FormatInstantUtc(s.clock.Now())}});
               }));
  }
  router.Add("GET", "/api/openapi.json", Public([&router](http::Request&) {
               return http::Response::Json(200, OpenApiDocument(router));
             }));
}

}  // namespace caredesk::api
