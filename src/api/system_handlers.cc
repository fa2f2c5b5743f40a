// /healthz and the OpenAPI description.
#include "api/handler_support.h"
#include "api/openapi.h"

namespace caredesk::api {

void RegisterSystemRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/healthz", Public([](http::Request&) {
               return http::Response::Json(200, R"({"status":"ok"})");
             }));
  router.Add("GET", "/api/openapi.json", Public([&router](http::Request&) {
               return http::Response::Json(200, OpenApiDocument(router));
             }));
}

}  // namespace caredesk::api
