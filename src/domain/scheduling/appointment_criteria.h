// Exact criteria for finding appointments, as FHIR's Appointment search asks for them: every criterion must
// hold (AND), each when any of its alternatives does (OR). The storage layer turns these into SQL.
#pragma once

#include <string>
#include <vector>

#include "core/match.h"

namespace caredesk {

struct AppointmentCriteria {
  std::vector<AnyOf<int64_t>> ids;
  std::vector<AnyOf<int64_t>> patients;
  std::vector<AnyOf<int64_t>> providers;
  std::vector<AnyOf<int64_t>> locations;
  std::vector<AnyOf<int64_t>> types;           // appointment type ids
  std::vector<AnyOf<std::string>> statuses;    // CareDesk's (appointment_status.h)
  std::vector<AnyOf<InstantMatch>> start;
  std::vector<AnyOf<InstantMatch>> last_updated;
  KeyedPage page;                              // by_time: by start
};

}  // namespace caredesk
