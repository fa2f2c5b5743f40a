// OperationOutcome: how every FHIR error is answered.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/status.h"

namespace caredesk::fhir {

// The media type of every FHIR answer.
inline constexpr char kFhirJson[] = "application/fhir+json; charset=utf-8";

// The issue type (http://hl7.org/fhir/issue-type) for an error: invalid,
// login, forbidden, not-found, conflict, too-costly, processing, throttled,
// transient or exception.
std::string_view IssueType(const Error& error);

// {"resourceType":"OperationOutcome","issue":[{"severity":"error","code",
// "diagnostics": message, "expression":[field]}]} (expression only when the
// error names a field: a FHIRPath such as "Patient.birthDate" or a search
// parameter's name).
boost::json::object OperationOutcome(const Error& error);
// One issue of the given severity (fatal, error, warning, information).
boost::json::object OperationOutcome(std::string_view severity, std::string_view code, std::string_view diagnostics,
                                     std::string_view expression = {});

}  // namespace caredesk::fhir
