// A CareDesk patient as a FHIR R4 Patient resource.
//
//   id, meta.versionId/lastUpdated   the patient's id, version and last change
//   identifier                       the MRN (system kMrnSystem, type v2-0203 MR), then the
//                                    identifiers other systems sent (HL7 v2 PID-3)
//   name                             one official name: family, given = [given, middle]
//   telecom                          phone and e-mail; rank 1 on the preferred contact method's
//   gender, birthDate, address       as registered (address only when any line of it is set)
//   communication                    the preferred language (urn:ietf:bcp:47), preferred
//   contact                          the emergency contact (relationship v2-0131 "C")
//   active, link                     false, and a "replaced-by" link to the record that stays, for a
//                                    record merged into another
//
// Coverages are FHIR Coverage resources of their own, not part of the Patient.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

#include "app/patient_service.h"

namespace caredesk::fhir {

boost::json::object PatientResource(const PatientWithIdentifiers& patient);

// The weak ETag of a version: W/"3".
std::string VersionTag(int64_t version);
// A FHIR id or version CareDesk issued: digits, no leading zero, at most 18 of them; nullopt for anything
// else (which names nothing here).
std::optional<int64_t> ReadResourceId(std::string_view text);
// The version an If-Match names: W/"3" (or "3", 3); nullopt for anything else.
std::optional<int64_t> ReadVersionTag(std::string_view tag);

}  // namespace caredesk::fhir
