// Calendar dates, instants and time zones: parsing and formatting of the ISO
// 8601 forms CareDesk speaks, with DST handled by the IANA database
// (date/tz). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace caredesk {

// A calendar date without a zone ("2025-03-09").
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;

  auto operator<=>(const CivilDate&) const = default;
  // Days since 1970-01-01.
  int64_t DaysSinceEpoch() const;
  static CivilDate FromDaysSinceEpoch(int64_t days);
  CivilDate AddDays(int64_t n) const { return FromDaysSinceEpoch(DaysSinceEpoch() + n); }
  // 0 = Sunday ... 6 = Saturday.
  int Weekday() const { return WeekdayOf(DaysSinceEpoch()); }
  // The weekday of a day number (days since 1970-01-01, a Thursday), without
  // building the date.
  static constexpr int WeekdayOf(int64_t days_since_epoch) {
    const int weekday = static_cast<int>((days_since_epoch + 4) % 7);
    return weekday < 0 ? weekday + 7 : weekday;
  }
  std::string ToString() const;
};

// Parses "YYYY-MM-DD", rejecting impossible dates such as 2025-02-30.
Result<CivilDate> ParseCivilDate(std::string_view text, std::string_view field);

// A validated IANA time zone name ("America/New_York").
bool IsValidTimeZone(std::string_view tz);

// The instant at which local wall time `minutes_of_day` on `date` occurs in
// `tz`. Returns nullopt when that wall time does not exist (inside a DST
// gap). For an ambiguous time (DST overlap) the earlier instant is used.
std::optional<TimePoint> LocalToInstant(const CivilDate& date, int minutes_of_day, std::string_view tz);

// The local calendar date and minute of day of an instant in `tz`.
struct LocalTime {
  CivilDate date;
  int minutes_of_day = 0;
  int utc_offset_minutes = 0;
};
LocalTime InstantToLocal(TimePoint t, std::string_view tz);

// Parses an ISO 8601 date-time. With an offset or "Z" ("2025-03-09T09:30:00-05:00")
// it names an instant; without one ("2025-03-09T09:30") it is read as wall time in
// `tz` and refused when that wall time falls in a DST gap.
Result<TimePoint> ParseInstant(std::string_view text, std::string_view tz, std::string_view field);

// Formats an instant as local time in `tz` with its offset: "2025-03-09T09:30:00-04:00".
std::string FormatInstant(TimePoint t, std::string_view tz);
// Formats an instant in UTC: "2025-03-09T14:30:00Z".
std::string FormatInstantUtc(TimePoint t);
// Formats an instant as HTTP does (RFC 9110 IMF-fixdate): "Sun, 09 Mar 2025 14:30:00 GMT".
std::string FormatHttpDate(TimePoint t);

}  // namespace caredesk
