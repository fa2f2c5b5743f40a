#include "http/json_response.h"

#include <boost/json.hpp>

namespace caredesk::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  if (field.empty()) {
    err["field"] = nullptr;
  } else {
    err["field"] = field;
  }
  boost::json::object root;
  root["error"] = std::move(err);
  return boost::json::serialize(root);
}

Response ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view field) {
  return Response::Json(status, ErrorBody(code, message, field));
}

Response ErrorResponse(const Error& error) {
  return ErrorResponse(HttpStatusFor(error.code), error.reason.empty() ? "error" : error.reason, error.message,
                       error.field);
}

}  // namespace caredesk::http
