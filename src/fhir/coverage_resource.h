// A patient's coverage (insurance) as a FHIR R4 Coverage, and Coverage's search parameters.
//
// beneficiary is the patient; subscriberId the member id, also an identifier (system kMemberIdSystem);
// payor the payer, by name (CareDesk keeps payers as names, not Organizations); class a group for the group
// number; relationship from http://terminology.hl7.org/CodeSystem/subscriber-relationship (self, spouse,
// child, other); period the active dates. status is active: CareDesk keeps no cancelled or draft coverage.
#pragma once

#include <boost/json/object.hpp>

#include "core/status.h"
#include "domain/patients/coverage_criteria.h"
#include "fhir/keyed_search.h"
#include "storage/coverage_repository.h"

namespace caredesk::fhir {

inline constexpr char kMemberIdSystem[] = "urn:caredesk:coverage-member-id";

boost::json::object CoverageResource(const db::CoverageRow& c);

// A Coverage another system sent, as a CareDesk coverage of its beneficiary. What CareDesk keeps of it:
// - beneficiary: a CareDesk patient (Patient/id; required);
// - payor: the first one's display, else the name of what it references (an Organization CareDesk keeps;
//   the caller looks it up), or "Self-pay" when it references a Patient; required;
// - the member id: subscriberId, else the identifier of system kMemberIdSystem, else the first identifier;
//   required;
// - class of type "group": the group number; relationship (self, spouse, child; parent, common, injured and
//   other as other; none as self); period's start and end dates;
// - status must be active: CareDesk keeps the coverages a patient has, not cancelled, draft or erroneous ones.
// Errors are 422s naming the element ("Coverage.payor"). No I/O.
struct CoverageInput {
  int64_t patient_id = 0;
  Coverage coverage;
  std::string payor_reference;  // payor[0].reference when it has no display: the caller names the payer
};
Result<CoverageInput> ReadCoverage(const boost::json::object& coverage);

using CoverageSearch = KeyedSearch<CoverageCriteria>;

// Coverage: _id, patient and beneficiary (Patient/id), identifier and subscriber-id (the member id; a
// system other than kMemberIdSystem matches nothing), class-value (the group number), payor (the payer's
// name, exactly), status (active; another code of the value set matches nothing); in id order.
// _include: Coverage:patient, Coverage:beneficiary.
Result<CoverageSearch> ReadCoverageSearch(const QueryParams& query);

}  // namespace caredesk::fhir
