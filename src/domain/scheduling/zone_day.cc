#include "domain/scheduling/zone_day.h"

#include <chrono>

namespace caredesk {

ZoneDay::ZoneDay(CivilDate date, std::string_view time_zone) : date_(date), time_zone_(time_zone) {
  std::optional<TimePoint> start = LocalToInstant(date_, 0, time_zone_);
  std::optional<TimePoint> next = LocalToInstant(date_.AddDays(1), 0, time_zone_);
  // A day with a DST transition inside it is 23 or 25 hours long (or starts in
  // a gap); those days take the exact, slower path in At().
  regular_ = start && next && *next - *start == std::chrono::hours(24);
  if (regular_) midnight_ = *start;
}

std::optional<TimePoint> ZoneDay::AtIrregular(int minute) const { return LocalToInstant(date_, minute, time_zone_); }

const ZoneDay& ZoneDayCache::Day(int zone, int64_t day_number) {
  const int64_t key = (int64_t{zone} << 32) ^ (day_number & 0xffffffff);
  auto it = days_.find(key);
  if (it == days_.end()) {
    it = days_.emplace(key, ZoneDay(CivilDate::FromDaysSinceEpoch(day_number), zone_names_[zone])).first;
  }
  return it->second;
}

int64_t ZoneDayCache::LocalDay(int zone, TimePoint t) {
  // A search asks for the same few (zone, instant) pairs once per provider.
  constexpr size_t kMaxMemo = 16;
  for (const LocalDateMemo& m : dates_) {
    if (m.zone == zone && m.t == t) return m.day_number;
  }
  if (dates_.size() == kMaxMemo) dates_.clear();
  const int64_t day_number = InstantToLocal(t, zone_names_[zone]).date.DaysSinceEpoch();
  dates_.push_back({zone, t, day_number});
  return day_number;
}

}  // namespace caredesk
