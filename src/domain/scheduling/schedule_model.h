// The scheduling vocabulary: locations, rooms, providers, appointment types,
// weekly availability templates and their exceptions, plus the slots and busy
// intervals the slot engine speaks. Plain value types (thread-compatible) and
// pure validation functions (thread-safe).
//
// Wall-clock fields (`start_minute`, `end_minute`, dates) are local to the time
// zone of the location they belong to; instants (`TimePoint`) are absolute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"
#include "core/status.h"

namespace caredesk {

inline constexpr int kMinutesPerDay = 1440;
// Templates, exceptions' partial days and durations are expressed on this grid.
inline constexpr int kScheduleGridMinutes = 5;
inline constexpr int kMinAppointmentMinutes = 5;
inline constexpr int kMaxAppointmentMinutes = 480;
inline constexpr int kMaxOverbook = 20;

inline constexpr std::string_view kModalityInPerson = "in_person";
inline constexpr std::string_view kModalityTelehealth = "telehealth";

inline constexpr std::string_view kExceptionHoliday = "holiday";
inline constexpr std::string_view kExceptionLeave = "leave";
inline constexpr std::string_view kExceptionOther = "other";

struct Location {
  int64_t id = 0;
  std::string name{};
  std::string time_zone{};  // IANA name, e.g. "America/New_York"
  std::string address{};
  std::string phone{};
  int flow_warn_minutes = 15;
  int flow_alert_minutes = 30;
};

struct Room {
  int64_t id = 0;
  int64_t location_id = 0;
  std::string name{};
  bool active = true;
};

struct Provider {
  int64_t id = 0;
  std::string name{};
  std::string specialty{};
  std::vector<int64_t> location_ids{};  // where the provider may work
  // 0 = overbooking not allowed; N = up to N extra bookings on an already
  // booked slot. Decided at booking time, never at search.
  int max_overbook = 0;
  bool active = true;
  int64_t version = 1;  // moved on by every change (the FHIR Practitioner's versionId)
};

struct AppointmentType {
  int64_t id = 0;
  std::string name{};
  int duration_minutes = 30;
  std::string modality{kModalityInPerson};  // in_person | telehealth
  std::vector<int64_t> provider_ids{};        // who may do it
  std::string color{};
  bool active = true;
};

// A weekly recurring window in which a provider sees patients at a location.
struct AvailabilityTemplate {
  int64_t id = 0;
  int64_t provider_id = 0;
  int64_t location_id = 0;
  std::optional<int64_t> room_id{};
  int weekday = 1;        // 0 = Sunday ... 6 = Saturday
  int start_minute = 0;   // local wall-clock minute of day, inclusive
  int end_minute = 0;     // local wall-clock minute of day, exclusive (<= 1440)
  std::optional<CivilDate> valid_from{};  // inclusive; empty = since ever
  std::optional<CivilDate> valid_to{};    // inclusive; empty = forever
};

// Time taken out of the templates: a holiday, a leave, anything else.
struct ScheduleException {
  int64_t id = 0;
  std::optional<int64_t> provider_id{};  // empty = every provider at the location(s)
  std::optional<int64_t> location_id{};  // empty = every location (of the provider)
  std::string kind{kExceptionHoliday};  // holiday | leave | other
  CivilDate start_date{};                 // inclusive, local to each location
  CivilDate end_date{};                   // inclusive
  // Both empty = whole days. Otherwise only [start_minute, end_minute) of each
  // day in the range is blocked (local wall-clock minutes).
  std::optional<int> start_minute{};
  std::optional<int> end_minute{};
  std::string reason{};
};

// A bookable interval [start, end) of one provider at one location.
struct Slot {
  TimePoint start{};
  TimePoint end{};
  int64_t provider_id = 0;
  int64_t location_id = 0;
  std::optional<int64_t> room_id{};

  bool operator==(const Slot&) const = default;
};

// Time [start, end) during which a provider already has `bookings`
// appointments. Intervals with bookings < 1 are ignored.
struct BusyInterval {
  int64_t provider_id = 0;
  TimePoint start{};
  TimePoint end{};
  int bookings = 1;
};

// Everything the slot engine needs to lay out slots, as read from storage at
// one moment. The engine copies nothing back; a change means a new snapshot.
struct ScheduleSnapshot {
  std::vector<Location> locations;
  std::vector<Room> rooms;  // a template whose room is listed here as inactive offers no slots
  std::vector<Provider> providers;
  std::vector<AppointmentType> appointment_types;
  std::vector<AvailabilityTemplate> templates;
  std::vector<ScheduleException> exceptions;
};

// Validation: Ok() or an Error naming the offending field. Malformed values
// give Error::Invalid; values that contradict each other give
// Error::Unprocessable.
Status ValidateLocation(const Location& location);        // name, time_zone, flow_*_minutes
Status ValidateRoom(const Room& room);                    // name
Status ValidateProvider(const Provider& provider);        // name, max_overbook
Status ValidateAppointmentType(const AppointmentType& type);  // name, duration_minutes, modality
Status ValidateTemplate(const AvailabilityTemplate& tmpl);    // weekday, start/end_minute, valid_to
Status ValidateException(const ScheduleException& exception);  // kind, end_date, start/end_minute

}  // namespace caredesk
