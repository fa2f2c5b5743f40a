// The OpenAPI 3.1 description served at /api/openapi.json, built from the
// router's routes and the documentation table in openapi.cc; a test keeps
// every route documented.
#pragma once

#include <string>
#include <vector>

#include "http/router.h"

namespace caredesk::api {

std::string OpenApiDocument(const http::Router& router);
// Routes the table does not document (empty when complete).
std::vector<std::string> UndocumentedRoutes(const http::Router& router);

}  // namespace caredesk::api
