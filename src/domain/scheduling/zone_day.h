// ZoneDay: the instants of the wall-clock minutes of one local calendar day in
// one IANA time zone, computed once per (zone, date) so that laying out a
// day's slots costs a few additions instead of a time zone lookup per slot.
// Immutable after construction; thread-safe to read.
//
// DST rules (those of LocalToInstant): a wall time inside a spring-forward gap
// has no instant; a wall time repeated by a fall-back overlap maps to its
// earlier instant, so At() never decreases as the minute grows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"

namespace caredesk {

class ZoneDay {
 public:
  // `time_zone` must name a valid zone; otherwise every minute has no instant.
  ZoneDay(CivilDate date, std::string_view time_zone);

  const CivilDate& date() const { return date_; }
  // True when the day is exactly 24 hours long with one UTC offset throughout.
  bool regular() const { return regular_; }

  // The instant of wall-clock `minute` (0..1440; 1440 is the next midnight),
  // or nullopt when that wall time does not exist in the zone.
  // Inline: slot layout calls it twice for every candidate slot, and nearly every day is regular.
  std::optional<TimePoint> At(int minute) const {
    if (regular_) return midnight_ + std::chrono::minutes(minute);
    return AtIrregular(minute);
  }

 private:
  std::optional<TimePoint> AtIrregular(int minute) const;

  CivilDate date_;
  std::string time_zone_;
  bool regular_ = false;
  TimePoint midnight_;  // meaningful when regular_
};

// Memoises ZoneDays and local dates for the zones of a schedule, addressed by
// their index in `zone_names`. Meant to live for one search: not thread-safe;
// `zone_names` must outlive the cache.
class ZoneDayCache {
 public:
  explicit ZoneDayCache(const std::vector<std::string>& zone_names) : zone_names_(zone_names) {}

  const ZoneDay& Day(int zone, CivilDate date) { return Day(zone, date.DaysSinceEpoch()); }
  // The same day by its number (days since 1970-01-01), as slot layout walks them.
  const ZoneDay& Day(int zone, int64_t day_number);
  // The day number of the local calendar date of instant `t` in the zone.
  int64_t LocalDay(int zone, TimePoint t);

 private:
  struct LocalDateMemo {
    int zone;
    TimePoint t;
    int64_t day_number;
  };

  const std::vector<std::string>& zone_names_;
  std::unordered_map<int64_t, ZoneDay> days_;
  std::vector<LocalDateMemo> dates_;
};

}  // namespace caredesk
