// CareDesk's scheduling set-up as FHIR R4 resources, read-only: a provider is a Practitioner and one
// PractitionerRole (its specialty at the locations it works at, same id), a location a Location, an
// appointment type a HealthcareService (same id). Searches over these short lists run in memory: SetupSearch
// reads their parameters.
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
// A provider's bookable time is a Schedule with the provider's id: its actors are the Practitioner and the
// Locations it works at, its serviceType the appointment types it offers (`types`: all of them; those
// that name the provider are listed).
boost::json::object ScheduleResource(const Provider& p, const std::vector<AppointmentType>& types);

// An appointment type as the service it is: a HealthcareService with the type's id, offered at the
// locations where the providers who do it work (CareDesk books it with any of them there).
struct OfferedService {
  int64_t id = 0;  // the appointment type's
  AppointmentType type;
  std::vector<int64_t> location_ids;  // ascending
};
std::vector<OfferedService> OfferedServices(const std::vector<AppointmentType>& types,
                                            const std::vector<Provider>& providers);
// type is the serviceType coding below; characteristic says in person or telehealth; comment the length.
boost::json::object HealthcareServiceResource(const OfferedService& s);

// The appointment type as a serviceType CodeableConcept (system kAppointmentTypeSystem, code its id).
inline constexpr char kAppointmentTypeSystem[] = "urn:caredesk:appointment-type";
boost::json::object ServiceType(int64_t type_id, const std::string& name);

// A free slot is served as a Slot whose id says what it is: "provider-location-type-minute" (minute: of its
// start, since the epoch). Nothing is stored: a read recomputes it, and it is gone once booked.
struct SlotKey {
  int64_t start_minute = 0;
  int64_t provider_id = 0;
  int64_t location_id = 0;
  int64_t type_id = 0;
  auto operator<=>(const SlotKey&) const = default;
};
std::string FormatSlotId(const SlotKey& k);
std::optional<SlotKey> ReadSlotId(std::string_view id);
// `time_zone`: the location's, for start and end.
boost::json::object SlotResource(const Slot& slot, const AppointmentType& type, std::string_view time_zone);

// Slot search: schedule (Schedule/id: the provider; alternatives OR), service-type (the appointment type:
// id or urn:caredesk:appointment-type|id), start (prefixes eq, lt, le, gt, ge: each narrows the window),
// status (free; the busy codes match nothing: booked time is served as Appointments), _count (1-500) and
// the server's _cursor. Free slots only, in start order.
struct SlotSearch {
  std::vector<int64_t> providers;  // any of them; empty = any provider
  std::vector<int64_t> types;      // any of them; empty = every type the providers offer
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  bool free = true;  // false when status asks only for busy slots
  int limit = kDefaultCount;
  std::optional<SlotKey> after;
  QueryParams used;
  std::vector<std::string> ignored;
};
Result<SlotSearch> ReadSlotSearch(const QueryParams& query);

// Search parameters of the set-up types: _id; name (Practitioner, Location, HealthcareService: a word of the
// name starts with it, any case); practitioner (PractitionerRole: "Practitioner/7" or "7"); location
// (PractitionerRole, HealthcareService: "Location/7" or "7"); active (Practitioner, PractitionerRole,
// HealthcareService); _count (0-1000, default 20) and _cursor (the last id of the page before).
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
// `type`: "Practitioner", "PractitionerRole", "Location", "HealthcareService" or "Schedule" (_id, actor:
// Practitioner/id or Location/id, active); errors are 400s naming the parameter.
Result<SetupSearch> ReadSetupSearch(std::string_view type, const QueryParams& query);

// Whether a provider or location passes the search (not the paging).
bool Matches(const SetupSearch& s, const Provider& p, bool as_role);
bool Matches(const SetupSearch& s, const Location& l);
bool Matches(const SetupSearch& s, const OfferedService& o);
// Schedule: the provider's _id, practitioner (actor=Practitioner/id), locations (actor=Location/id), active.
bool MatchesSchedule(const SetupSearch& s, const Provider& p);

}  // namespace caredesk::fhir
