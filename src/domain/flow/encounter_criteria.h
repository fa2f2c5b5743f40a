// Exact criteria for finding encounters, as FHIR's Encounter search asks for them: every criterion must
// hold (AND), each when any of its alternatives does (OR). The storage layer turns these into SQL.
#pragma once

#include <string>
#include <vector>

#include "core/match.h"

namespace caredesk {

struct EncounterCriteria {
  std::vector<AnyOf<int64_t>> ids;
  std::vector<AnyOf<int64_t>> patients;
  std::vector<AnyOf<int64_t>> providers;
  std::vector<AnyOf<int64_t>> locations;
  std::vector<AnyOf<int64_t>> appointments;
  std::vector<AnyOf<std::string>> states;   // CareDesk's (encounter_flow.h)
  std::vector<AnyOf<InstantMatch>> arrived;
  std::vector<AnyOf<InstantMatch>> changed;  // the last transition's time (state_since)
  KeyedPage page;                           // by_time: by arrival
};

}  // namespace caredesk
