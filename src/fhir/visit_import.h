// What an import makes of the modelled types that describe visits, read from the resources as sent (their
// references already rewritten to what they are called here). No I/O: the importer writes what these read.
//
// - Practitioner → a provider: its name (the official name, else the first: prefix, given and family, or its
//   text) and `active`. What else it says (identifiers, address, gender, qualifications) is kept as sent.
// - Organization → the CareDesk location an encounter that names it as serviceProvider happened at, when the
//   encounter names no CareDesk Location: its name, address and phone. CareDesk has no organizations of its
//   own; the Organization itself is kept as sent.
// - Encounter → a visit that is over: finished (completed) or cancelled (left without being seen), with its
//   patient (subject, a CareDesk patient), period (start required; end, if given, not before it), the first
//   practitioner among participant.individual that is a CareDesk provider, and the first CareDesk location
//   among location.location. An encounter still open (planned, arrived, in progress) is refused: CareDesk's
//   open encounters begin at check-in, on the flow board, not in an import.
// Errors are 422s naming the element ("Encounter.period.start").
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "domain/scheduling/schedule_model.h"

namespace caredesk::fhir {

Result<Provider> ReadPractitioner(const boost::json::object& practitioner);

// The location an Organization's encounters happened at, in `time_zone`.
Result<Location> ReadOrganizationSite(const boost::json::object& organization, const std::string& time_zone);

struct VisitInput {
  int64_t patient_id = 0;
  std::string state;                      // completed or left_without_being_seen
  int64_t start = 0;                      // ms since the epoch
  int64_t end = 0;                        // period.end, else start
  std::optional<int64_t> provider_id;     // a CareDesk provider
  std::optional<int64_t> location_id;     // a CareDesk location named by location[].location
  std::string service_provider;           // serviceProvider.reference as rewritten ("Organization/…"), or empty
  std::string service_provider_name;      // serviceProvider.display, or empty
};

Result<VisitInput> ReadVisit(const boost::json::object& encounter);

}  // namespace caredesk::fhir
