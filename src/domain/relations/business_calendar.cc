#include "domain/relations/business_calendar.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

namespace caredesk::relations {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
// A local day with no wall time at all is rare (Pacific/Apia skipped
// 2011-12-30); a few days of search covers every zone in the database.
constexpr int kMaxSkippedDays = 3;

bool IsRealDate(const CivilDate& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return false;
  return CivilDate::FromDaysSinceEpoch(d.DaysSinceEpoch()) == d;
}

Status CheckDays(int n) {
  if (n < 0 || n > kMaxDeadlineDays) {
    return Error::Invalid("days", "must be between 0 and " + std::to_string(kMaxDeadlineDays), "out_of_range");
  }
  return Ok();
}

}  // namespace

Result<BusinessCalendar> BusinessCalendar::Create(BusinessCalendarConfig config) {
  if (config.time_zone.empty() || !IsValidTimeZone(config.time_zone)) {
    return Error::Invalid("time_zone", "'" + config.time_zone + "' is not an IANA time zone such as America/New_York",
                          "invalid_time_zone");
  }
  if (config.working_weekdays.empty() || config.working_weekdays.size() > 7) {
    return Error::Invalid("working_weekdays", "list 1 to 7 working weekdays (0 = Sunday ... 6 = Saturday)",
                          "invalid_weekdays");
  }
  std::vector<bool> working(7, false);
  for (int wd : config.working_weekdays) {
    if (wd < 0 || wd > 6) {
      return Error::Invalid("working_weekdays",
                            "weekday " + std::to_string(wd) + " is out of range (0 = Sunday ... 6 = Saturday)",
                            "invalid_weekdays");
    }
    if (working[static_cast<size_t>(wd)]) {
      return Error::Invalid("working_weekdays", "weekday " + std::to_string(wd) + " is listed twice",
                            "invalid_weekdays");
    }
    working[static_cast<size_t>(wd)] = true;
  }
  if (config.holidays.size() > kMaxHolidays) {
    return Error::Invalid("holidays", "at most " + std::to_string(kMaxHolidays) + " holidays are allowed", "too_many");
  }
  std::vector<int64_t> holidays;
  holidays.reserve(config.holidays.size());
  for (const CivilDate& d : config.holidays) {
    if (!IsRealDate(d)) {
      return Error::Invalid("holidays", d.ToString() + " is not a real calendar date", "invalid_date");
    }
    holidays.push_back(d.DaysSinceEpoch());
  }
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  return BusinessCalendar(std::move(config.time_zone), std::move(working), std::move(holidays));
}

bool BusinessCalendar::IsHoliday(const CivilDate& date) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), date.DaysSinceEpoch());
}

bool BusinessCalendar::IsWorkingWeekday(const CivilDate& date) const {
  return working_[static_cast<size_t>(date.Weekday())];
}

CivilDate BusinessCalendar::NextBusinessDay(const CivilDate& date) const {
  // Terminates: at least one weekday is worked and the holidays are finite.
  CivilDate d = date.AddDays(1);
  while (!IsBusinessDay(d)) d = d.AddDays(1);
  return d;
}

int BusinessCalendar::BusinessDaysBetween(const CivilDate& from, const CivilDate& to) const {
  int count = 0;
  for (CivilDate d = from.AddDays(1); d <= to; d = d.AddDays(1)) {
    if (IsBusinessDay(d)) ++count;
  }
  return count;
}

CivilDate BusinessCalendar::LocalDate(TimePoint t) const { return InstantToLocal(t, time_zone_).date; }

TimePoint BusinessCalendar::EndOfDay(const CivilDate& date) const {
  // The first instant whose local wall time is at or after the next
  // midnight, less one millisecond.
  for (int day = 1; day <= kMaxSkippedDays; ++day) {
    const CivilDate next = date.AddDays(day);
    for (int minute = 0; minute < kMinutesPerDay; ++minute) {
      std::optional<TimePoint> t = LocalToInstant(next, minute, time_zone_);
      if (t) return *t - std::chrono::milliseconds(1);
    }
  }
  // Unreachable for a validated zone; fall back to UTC midnight.
  return FromMillis((date.DaysSinceEpoch() + 1) * 86'400'000 - 1);
}

Result<TimePoint> BusinessCalendar::AddBusinessDays(TimePoint start, int n) const {
  CD_RETURN_IF_ERROR(CheckDays(n));
  CivilDate d = LocalDate(start);
  if (n == 0) {
    if (!IsBusinessDay(d)) d = NextBusinessDay(d);
  } else {
    for (int i = 0; i < n; ++i) d = NextBusinessDay(d);
  }
  return EndOfDay(d);
}

Result<TimePoint> BusinessCalendar::AddCalendarDays(TimePoint start, int n) const {
  CD_RETURN_IF_ERROR(CheckDays(n));
  return EndOfDay(LocalDate(start).AddDays(n));
}

}  // namespace caredesk::relations
