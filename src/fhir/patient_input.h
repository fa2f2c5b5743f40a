// A FHIR R4 Patient written by another system, read into CareDesk's model,
// and what the system sent that CareDesk does not model kept beside it.
//
// Read into the patient record (the rest of the resource is kept as sent):
//   name            the official name (else the usual one, else the first):
//                   family, given[0], and given[1..] as the middle name
//   birthDate       a full date (CareDesk needs the day)
//   gender          as is
//   telecom         the first phone (or sms) and the first email; rank 1 on one
//                   of them is the preferred contact method
//   address         the home address (else the first): line[0..1], city,
//                   state, postalCode, and country when it is a two-letter code
//   communication   the preferred language (else the first), a BCP 47 tag
//   contact         the emergency contact (relationship v2-0131 C, else the
//                   first contact) when it has a name and a phone
//   identifier      every identifier but CareDesk's own MRN (which CareDesk
//                   issues): the patient's identifiers from other systems
// Errors are 422 (Error::Unprocessable) naming the FHIR
// path ("Patient.name[0].family"); a body that is not a Patient is a 400.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

#include "core/status.h"
#include "domain/patients/patient.h"
#include "storage/patient_identifier_repository.h"

namespace caredesk::fhir {

struct PatientInput {
  Patient patient;                                  // validated and normalized
  std::vector<db::PatientIdentifierRow> identifiers;  // from other systems; patient_id left 0
  boost::json::object original;                     // as sent, without id and meta
};

// `today` bounds the birth date.
Result<PatientInput> ReadPatientResource(const boost::json::value& body, CivilDate today);

// The resource to serve: `current` (CareDesk's record now) with every element
// the writer sent that CareDesk has not changed since the write kept as sent.
// An element CareDesk models counts as unchanged when `current` still has
// what `projection` (CareDesk's record right after the write) had; elements
// CareDesk does not model, and primitive extensions (`_birthDate`) of
// unchanged ones, are always the writer's. id and meta are `current`'s;
// CareDesk's MRN stays in identifier whatever was sent.
boost::json::object KeepUnmodelled(const boost::json::object& original, const boost::json::object& projection,
                                   boost::json::object current);

}  // namespace caredesk::fhir
