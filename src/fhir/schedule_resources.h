// CareDesk's scheduling set-up as FHIR R4 resources, read-only: a provider is a Practitioner and one
// PractitionerRole (its specialty at the locations it works at, same id), a location a Location. Searches
// over these short lists run in memory: SetupSearch reads their parameters.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/scheduling/schedule_model.h"
#include "fhir/search_params.h"

namespace caredesk::fhir {

// Location's time zone, as R5 and the R4 extensions pack name it (valueCode: an IANA zone).
inline constexpr char kTimeZoneExtension[] = "http://hl7.org/fhir/StructureDefinition/timezone";

// name.text is the name as recorded ("Dr. Maria Lopez"); a leading title becomes the prefix, the last word
// the family name and the words between the given names.
boost::json::object PractitionerResource(const Provider& p);
boost::json::object PractitionerRoleResource(const Provider& p);
boost::json::object LocationResource(const Location& l);

// Search parameters of the set-up types: _id; name (Practitioner, Location: a word of the name starts with
// it, any case); practitioner and location (PractitionerRole: "Practitioner/7" or "7"); active
// (Practitioner, PractitionerRole); _count (0-1000, default 20) and _cursor (the last id of the page before).
// Commas are ORs, repeats ANDs, as for Patient; unknown parameters are reported in `ignored`.
struct SetupSearch {
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<std::string>> names;  // lower case
  std::vector<std::vector<int64_t>> practitioners;
  std::vector<std::vector<int64_t>> locations;
  std::optional<bool> active;
  int limit = kDefaultCount;
  int64_t after_id = 0;
  QueryParams used;
  std::vector<std::string> ignored;
};
// `type`: "Practitioner", "PractitionerRole" or "Location"; errors are 400s naming the parameter.
Result<SetupSearch> ReadSetupSearch(std::string_view type, const QueryParams& query);

// Whether a provider or location passes the search (not the paging).
bool Matches(const SetupSearch& s, const Provider& p, bool as_role);
bool Matches(const SetupSearch& s, const Location& l);

}  // namespace caredesk::fhir
