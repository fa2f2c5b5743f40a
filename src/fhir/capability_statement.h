// The CapabilityStatement at /fhir/R4/metadata: exactly what this server
// does, kept beside the code that does it (fhir_test checks that every search
// parameter it lists is one ReadPatientSearch reads).
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace caredesk::fhir {

// `base`: the absolute URL of /fhir/R4 as the client reached it; `date`: the
// statement's date (the server's start), ISO 8601.
boost::json::object CapabilityStatement(const std::string& base, const std::string& date);

}  // namespace caredesk::fhir
