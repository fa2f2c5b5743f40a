#include "fhir/operation_outcome.h"

#include <boost/json/array.hpp>

namespace caredesk::fhir {

std::string_view IssueType(const Error& error) {
  if (error.reason == "not_supported") return "not-supported";  // a request this server does not run (yet)
  switch (error.code) {
    case ErrorCode::kInvalidArgument: return "invalid";
    case ErrorCode::kUnauthenticated: return "login";
    case ErrorCode::kPermissionDenied: return "forbidden";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooLarge: return "too-costly";
    case ErrorCode::kUnprocessable: return "processing";
    case ErrorCode::kRateLimited: return "throttled";
    case ErrorCode::kUnavailable: return "transient";
    case ErrorCode::kInternal: return "exception";
  }
  return "exception";
}

boost::json::object OperationOutcome(std::string_view severity, std::string_view code, std::string_view diagnostics,
                                     std::string_view expression) {
  boost::json::object issue{{"severity", severity}, {"code", code}};
  if (!diagnostics.empty()) issue["diagnostics"] = diagnostics;
  if (!expression.empty()) issue["expression"] = boost::json::array{boost::json::string(expression)};
  return {{"resourceType", "OperationOutcome"}, {"issue", boost::json::array{std::move(issue)}}};
}

boost::json::object OperationOutcome(const Error& error) {
  return OperationOutcome(error.code == ErrorCode::kInternal ? "fatal" : "error", IssueType(error), error.message,
                          error.field);
}

}  // namespace caredesk::fhir
