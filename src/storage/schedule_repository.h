// Scheduling set-up in the database: locations, rooms, providers,
// appointment types, availability templates and exceptions. Every write
// bumps the schedule version so each server process knows to rebuild its
// slot engine. Thread-compatible (uses the caller's connection).
#pragma once

#include <optional>
#include <vector>

#include "domain/scheduling/schedule_model.h"
#include "storage/db.h"

namespace caredesk::db {

class ScheduleRepository {
 public:
  static Result<ScheduleSnapshot> LoadSnapshot(Connection& c);
  static Result<int64_t> Version(Connection& c);
  static Status BumpVersion(Connection& c);

  static Result<std::vector<Location>> Locations(Connection& c);
  static Result<std::optional<Location>> FindLocation(Connection& c, int64_t id);
  // Ok when `id` is none or an existing location; else Error::Invalid on "location_id", reason "unknown_location".
  static Status RequireLocation(Connection& c, std::optional<int64_t> id);
  // The location's IANA time zone; the same error as RequireLocation when there is no such location.
  static Result<std::string> LocationZone(Connection& c, int64_t id);
  static Result<int64_t> InsertLocation(Connection& c, const Location& l);
  static Status UpdateLocation(Connection& c, const Location& l);

  static Result<std::vector<Room>> Rooms(Connection& c);
  static Result<int64_t> InsertRoom(Connection& c, const Room& r);
  static Status UpdateRoom(Connection& c, const Room& r);

  static Result<std::vector<Provider>> Providers(Connection& c);
  static Result<int64_t> InsertProvider(Connection& c, const Provider& p);
  static Result<std::optional<Provider>> FindProvider(Connection& c, int64_t id);
  // Its new version. With `expected_version`, Conflict "stale_version" unless the provider is at it.
  static Result<int64_t> UpdateProvider(Connection& c, const Provider& p,
                                        std::optional<int64_t> expected_version = std::nullopt);

  static Result<std::vector<AppointmentType>> AppointmentTypes(Connection& c);
  static Result<int64_t> InsertAppointmentType(Connection& c, const AppointmentType& t);
  static Status UpdateAppointmentType(Connection& c, const AppointmentType& t);

  static Result<std::vector<AvailabilityTemplate>> Templates(Connection& c);
  static Result<int64_t> InsertTemplate(Connection& c, const AvailabilityTemplate& t);
  static Result<bool> DeleteTemplate(Connection& c, int64_t id);

  static Result<std::vector<ScheduleException>> Exceptions(Connection& c);
  static Result<int64_t> InsertException(Connection& c, const ScheduleException& e);
  static Result<bool> DeleteException(Connection& c, int64_t id);
};

}  // namespace caredesk::db
