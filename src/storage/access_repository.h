// Third next available snapshots (migration 0015) and the booking history
// they are computed from. Thread-compatible: static functions over the
// caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/scheduling/access.h"
#include "storage/db.h"

namespace caredesk::db {

struct AccessSnapshotRow {
  int64_t location_id = 0;
  std::string snapshot_date;  // YYYY-MM-DD
  int64_t provider_id = 0;
  int64_t appointment_type_id = 0;
  int64_t taken_at = 0;
  int days = 0;
  std::optional<int64_t> third_at;
  int open_slots = 0;
  // Joined for display.
  std::string provider_name;
  std::string specialty;
  std::string type_name;
};

struct AccessFilter {
  int64_t location_id = 0;
  std::optional<int64_t> provider_id;
  std::optional<int64_t> appointment_type_id;
  std::optional<std::string> department;  // the providers' specialty
};

class AccessRepository {
 public:
  // Replaces the location's readings of `date`, in one transaction of the caller's.
  static Status ReplaceDay(Connection& c, int64_t location_id, const std::string& date, int64_t taken_at,
                           const std::vector<AccessReading>& readings);
  // The local dates in [from, to] (YYYY-MM-DD) that have readings at the location.
  static Result<std::vector<std::string>> DaysTaken(Connection& c, int64_t location_id, const std::string& from,
                                                    const std::string& to);
  // The latest local date with readings at a location, and when they were taken; none before the first.
  static Result<std::optional<std::pair<std::string, int64_t>>> LatestDay(Connection& c, int64_t location_id);
  // One day's readings at a location, filtered, ordered by days (worst first), type and provider name.
  static Result<std::vector<AccessSnapshotRow>> Day(Connection& c, const AccessFilter& f, const std::string& date);
  // Every booking of any provider that could overlap [from, to) (epoch ms), with when it was made and, if it
  // was, cancelled: the first 'cancelled' history entry, or its last update when it has none.
  static Result<std::vector<BookingSpan>> Bookings(Connection& c, int64_t from, int64_t to);
};

}  // namespace caredesk::db
