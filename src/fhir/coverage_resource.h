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

using CoverageSearch = KeyedSearch<CoverageCriteria>;

// Coverage: _id, patient and beneficiary (Patient/id), identifier and subscriber-id (the member id; a
// system other than kMemberIdSystem matches nothing), class-value (the group number), payor (the payer's
// name, exactly), status (active; another code of the value set matches nothing); in id order.
// _include: Coverage:patient, Coverage:beneficiary.
Result<CoverageSearch> ReadCoverageSearch(const QueryParams& query);

}  // namespace caredesk::fhir
