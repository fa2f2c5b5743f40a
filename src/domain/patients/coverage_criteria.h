// Exact criteria for finding coverages (a patient's insurance), as FHIR's Coverage search asks for them:
// every criterion must hold (AND), each when any of its alternatives does (OR). The storage layer turns
// these into SQL.
#pragma once

#include <string>
#include <vector>

#include "core/match.h"

namespace caredesk {

struct CoverageCriteria {
  std::vector<AnyOf<int64_t>> ids;
  std::vector<AnyOf<int64_t>> patients;
  std::vector<AnyOf<std::string>> member_ids;  // exactly
  std::vector<AnyOf<std::string>> groups;      // the group number, exactly
  std::vector<AnyOf<std::string>> payers;      // the payer's name, exactly
  std::vector<AnyOf<InstantMatch>> patient_updated;  // when the patient (with its coverages) last changed
  KeyedPage page;                              // by id only
};

}  // namespace caredesk
