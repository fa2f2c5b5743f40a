// Building JSON responses and mapping domain errors to HTTP status: the one
// table from ErrorCode to status lives in json_response.cc.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/request.h"

namespace caredesk::http {

int HttpStatusFor(ErrorCode code);

// {"error":{"code","message","field"}}
std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field);
Response ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view field);
Response ErrorResponse(const Error& error);

}  // namespace caredesk::http
