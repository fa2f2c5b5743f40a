#include "domain/scheduling/schedule_model.h"

#include <string>

namespace caredesk {
namespace {

bool OnGrid(int minutes) { return minutes % kScheduleGridMinutes == 0; }

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

Status ValidateLocation(const Location& location) {
  if (IsBlank(location.name)) return Error::Invalid("name", "a location needs a name", "required");
  if (location.time_zone.empty() || !IsValidTimeZone(location.time_zone)) {
    return Error::Invalid("time_zone", "'" + location.time_zone + "' is not an IANA time zone such as America/New_York",
                          "unknown_time_zone");
  }
  if (location.flow_warn_minutes < 1) {
    return Error::Invalid("flow_warn_minutes", "the warning threshold must be at least 1 minute");
  }
  if (location.flow_alert_minutes <= location.flow_warn_minutes) {
    return Error::Unprocessable("flow_alert_minutes", "the alert threshold must be later than the warning threshold");
  }
  return Ok();
}

Status ValidateRoom(const Room& room) {
  if (IsBlank(room.name)) return Error::Invalid("name", "a room needs a name", "required");
  return Ok();
}

Status ValidateProvider(const Provider& provider) {
  if (IsBlank(provider.name)) return Error::Invalid("name", "a provider needs a name", "required");
  if (provider.max_overbook < 0 || provider.max_overbook > kMaxOverbook) {
    return Error::Invalid("max_overbook", "max_overbook must be between 0 and " + std::to_string(kMaxOverbook));
  }
  return Ok();
}

Status ValidateAppointmentType(const AppointmentType& type) {
  if (IsBlank(type.name)) return Error::Invalid("name", "an appointment type needs a name", "required");
  if (type.duration_minutes < kMinAppointmentMinutes || type.duration_minutes > kMaxAppointmentMinutes ||
      !OnGrid(type.duration_minutes)) {
    return Error::Invalid("duration_minutes", "the duration must be a multiple of 5 minutes between " +
                                                  std::to_string(kMinAppointmentMinutes) + " and " +
                                                  std::to_string(kMaxAppointmentMinutes));
  }
  if (type.modality != kModalityInPerson && type.modality != kModalityTelehealth) {
    return Error::Invalid("modality", "modality must be in_person or telehealth");
  }
  return Ok();
}

Status ValidateTemplate(const AvailabilityTemplate& tmpl) {
  if (tmpl.weekday < 0 || tmpl.weekday > 6) {
    return Error::Invalid("weekday", "weekday must be 0 (Sunday) to 6 (Saturday)");
  }
  if (tmpl.start_minute < 0 || tmpl.start_minute >= kMinutesPerDay || !OnGrid(tmpl.start_minute)) {
    return Error::Invalid("start_minute", "start_minute must be a multiple of 5 in [0, 1440)");
  }
  if (tmpl.end_minute <= 0 || tmpl.end_minute > kMinutesPerDay || !OnGrid(tmpl.end_minute)) {
    return Error::Invalid("end_minute", "end_minute must be a multiple of 5 in (0, 1440]");
  }
  if (tmpl.end_minute <= tmpl.start_minute) {
    return Error::Unprocessable("end_minute", "end_minute must be after start_minute");
  }
  if (tmpl.valid_from && tmpl.valid_to && *tmpl.valid_to < *tmpl.valid_from) {
    return Error::Unprocessable("valid_to", "valid_to must not be before valid_from");
  }
  return Ok();
}

Status ValidateException(const ScheduleException& exception) {
  if (exception.kind != kExceptionHoliday && exception.kind != kExceptionLeave && exception.kind != kExceptionOther) {
    return Error::Invalid("kind", "kind must be holiday, leave or other");
  }
  if (exception.end_date < exception.start_date) {
    return Error::Unprocessable("end_date", "end_date must not be before start_date");
  }
  if (exception.start_minute.has_value() != exception.end_minute.has_value()) {
    return Error::Invalid(exception.start_minute ? "end_minute" : "start_minute",
                          "give both start_minute and end_minute, or neither for whole days");
  }
  if (exception.start_minute) {
    if (*exception.start_minute < 0 || *exception.start_minute >= kMinutesPerDay) {
      return Error::Invalid("start_minute", "start_minute must be in [0, 1440)");
    }
    if (*exception.end_minute <= 0 || *exception.end_minute > kMinutesPerDay) {
      return Error::Invalid("end_minute", "end_minute must be in (0, 1440]");
    }
    if (*exception.end_minute <= *exception.start_minute) {
      return Error::Unprocessable("end_minute", "end_minute must be after start_minute");
    }
  }
  return Ok();
}

}  // namespace caredesk
