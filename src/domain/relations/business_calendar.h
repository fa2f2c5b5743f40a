// The business-day calendar of one location and the deadline arithmetic on
// it. Immutable after creation; thread-safe to read.
//
// Deadline rules (date-granular, in the location's IANA time zone, so they
// are exact across daylight-saving changes):
//   - The receipt day is the local calendar date of the start instant; the
//     time of day of the receipt never matters.
//   - A deadline falls due at the end of a local day: the last millisecond
//     before the next local midnight (23:59:59.999 local). On the rare day
//     whose next midnight does not exist (a DST gap at midnight, as in
//     America/Santiago) it is the millisecond before the first local time
//     of the next day that does exist.
//   - AddBusinessDays(start, n), n >= 1: the end of the n-th business day
//     strictly after the receipt day, whether or not the receipt day is a
//     business day. Received Friday 16:00 (or Saturday, or a Sunday) with
//     n = 2 gives Tuesday 23:59:59.999 when Monday and Tuesday are business
//     days. n = 0 gives the end of the receipt day when it is a business day,
//     else the end of the next business day.
//   - AddCalendarDays(start, n), n >= 0: the end of the local date n days
//     after the receipt day. Weekends and holidays count and a deadline on
//     them does not move: "within 7 days" received Monday 10:00 falls due the
//     next Monday 23:59:59.999.
//   - A business day is a working weekday (default Monday to Friday) that is
//     not a holiday.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"
#include "core/status.h"

namespace caredesk::relations {

// The largest n AddBusinessDays and AddCalendarDays accept (ten years).
inline constexpr int kMaxDeadlineDays = 3660;
inline constexpr size_t kMaxHolidays = 2000;

struct BusinessCalendarConfig {
  std::string time_zone;  // IANA name, "America/New_York"
  // Days of the week that are worked, 0 = Sunday ... 6 = Saturday.
  std::vector<int> working_weekdays = {1, 2, 3, 4, 5};
  // Local dates on which the location does not work (in any order).
  std::vector<CivilDate> holidays;
};

class BusinessCalendar {
 public:
  // Validates `config`: an IANA zone (field "time_zone", reason
  // "invalid_time_zone"); 1..7 distinct weekdays in 0..6 (field
  // "working_weekdays"); real calendar dates, at most kMaxHolidays of them
  // (field "holidays", reason "invalid_date" or "too_many"). Duplicate
  // holidays are harmless.
  static Result<BusinessCalendar> Create(BusinessCalendarConfig config);

  const std::string& time_zone() const { return time_zone_; }

  bool IsHoliday(const CivilDate& date) const;
  bool IsWorkingWeekday(const CivilDate& date) const;
  bool IsBusinessDay(const CivilDate& date) const { return IsWorkingWeekday(date) && !IsHoliday(date); }
  // The first business day strictly after `date`.
  CivilDate NextBusinessDay(const CivilDate& date) const;
  // The number of business days d with from < d <= to (0 when to <= from).
  int BusinessDaysBetween(const CivilDate& from, const CivilDate& to) const;

  // The local calendar date of `t` in the location's zone.
  CivilDate LocalDate(TimePoint t) const;
  // The last millisecond of local `date` (see the rules above).
  TimePoint EndOfDay(const CivilDate& date) const;

  // Deadlines by the rules above. n outside 0..kMaxDeadlineDays gives
  // Error::Invalid on field "days".
  Result<TimePoint> AddBusinessDays(TimePoint start, int n) const;
  Result<TimePoint> AddCalendarDays(TimePoint start, int n) const;

 private:
  BusinessCalendar(std::string time_zone, std::vector<bool> working, std::vector<int64_t> holidays)
      : time_zone_(std::move(time_zone)), working_(std::move(working)), holidays_(std::move(holidays)) {}

  std::string time_zone_;
  std::vector<bool> working_;      // indexed by weekday, 0 = Sunday
  std::vector<int64_t> holidays_;  // days since epoch, sorted, unique
};

}  // namespace caredesk::relations
