// FHIR R4's resource types, and which of them CareDesk keeps as sent (fhir::ResourceStore) rather than
// mapping to its own model.
#pragma once

#include <string_view>
#include <vector>

namespace caredesk::fhir {

// One of R4's 146 resource types (the names the specification's JSON schema discriminates on).
bool IsR4ResourceType(std::string_view type);

// A type CareDesk serves from its own records (Patient from patients, Appointment from appointments, ...),
// or one that is the server's own answer (Bundle, OperationOutcome, CapabilityStatement, Parameters):
// never kept as sent.
bool IsModelledType(std::string_view type);

// A type kept as sent: an R4 resource type that is not modelled.
inline bool IsStoredType(std::string_view type) { return IsR4ResourceType(type) && !IsModelledType(type); }

// Every stored type, in name order (for the CapabilityStatement).
const std::vector<std::string_view>& StoredTypes();

// FHIR's id: 1 to 64 of A-Z a-z 0-9 '-' '.'.
bool IsValidResourceId(std::string_view id);

}  // namespace caredesk::fhir
