#include "domain/scheduling/availability_index.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <unordered_set>
#include <utility>

namespace caredesk {
namespace {

constexpr std::chrono::milliseconds kOneMilli{1};
// Where the slots of a weekday's pattern are laid out: 1970-01-01 00:00 UTC.
const TimePoint kPatternMidnight{};
constexpr int64_t kNoDayBound = std::numeric_limits<int64_t>::max();

template <class T>
const T* FindIn(const std::unordered_map<int64_t, size_t>& by_id, const std::vector<T>& items, int64_t id) {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &items[it->second];
}

template <class T>
std::unordered_map<int64_t, size_t> IdIndex(const std::vector<T>& items) {
  std::unordered_map<int64_t, size_t> by_id;
  for (size_t i = 0; i < items.size(); ++i) by_id.emplace(items[i].id, i);  // first of duplicate ids wins
  return by_id;
}

// Orders a day's slots by (start, location id), stably. The templates are
// walked in start order, so the slots arrive sorted except where two templates
// overlap: insertion sort is then close to one pass, and unlike std::stable_sort
// it allocates no buffer (a slot search lays out thousands of days).
void SortNearlySorted(std::vector<CandidateSlot>::iterator begin, std::vector<CandidateSlot>::iterator end) {
  auto before = [](const CandidateSlot& a, const CandidateSlot& b) {
    return std::pair(a.start, a.location_id) < std::pair(b.start, b.location_id);
  };
  for (auto it = begin; it != end; ++it) {
    if (it == begin || !before(*it, *(it - 1))) continue;
    CandidateSlot moving = std::move(*it);
    auto hole = it;
    do {
      *hole = std::move(*(hole - 1));
      --hole;
    } while (hole != begin && before(moving, *(hole - 1)));
    *hole = std::move(moving);
  }
}

}  // namespace

AvailabilityIndex::AvailabilityIndex(ScheduleSnapshot snapshot) : snapshot_(std::move(snapshot)) {
  type_by_id_ = IdIndex(snapshot_.appointment_types);
  provider_by_id_ = IdIndex(snapshot_.providers);
  location_by_id_ = IdIndex(snapshot_.locations);
  for (const Location& location : snapshot_.locations) {
    auto it = std::find(zone_names_.begin(), zone_names_.end(), location.time_zone);
    location_zone_.push_back(static_cast<int>(it - zone_names_.begin()));
    if (it == zone_names_.end()) zone_names_.push_back(location.time_zone);
  }
  plans_.resize(snapshot_.providers.size());
  IndexTemplates();
  IndexExceptions();
  BuildPatterns();
}

void AvailabilityIndex::IndexTemplates() {
  std::unordered_set<int64_t> inactive_rooms;
  for (const Room& room : snapshot_.rooms) {
    if (!room.active) inactive_rooms.insert(room.id);
  }
  for (const AvailabilityTemplate& t : snapshot_.templates) {
    auto provider = provider_by_id_.find(t.provider_id);
    auto location = location_by_id_.find(t.location_id);
    if (provider == provider_by_id_.end() || location == location_by_id_.end()) continue;
    if (!WorksAt(snapshot_.providers[provider->second], t.location_id)) continue;
    if (t.room_id && inactive_rooms.count(*t.room_id) > 0) continue;
    if (t.weekday < 0 || t.weekday > 6 || t.start_minute < 0 || t.end_minute > kMinutesPerDay) continue;
    ProviderPlan& plan = plans_[provider->second];
    const int zone = location_zone_[location->second];
    auto zone_plan = std::find_if(plan.zones.begin(), plan.zones.end(), [&](const ZonePlan& z) { return z.zone == zone; });
    if (zone_plan == plan.zones.end()) zone_plan = plan.zones.insert(plan.zones.end(), ZonePlan{zone, {}, {}, {}, {}});
    zone_plan->by_weekday[t.weekday].push_back(
        {t.start_minute, t.end_minute, t.location_id, t.room_id, t.valid_from, t.valid_to});
  }
  for (ProviderPlan& plan : plans_) {
    for (ZonePlan& zone : plan.zones) {
      for (int weekday = 0; weekday < 7; ++weekday) {
        std::vector<TemplateRef>& refs = zone.by_weekday[weekday];
        std::stable_sort(refs.begin(), refs.end(), [](const TemplateRef& a, const TemplateRef& b) {
          return std::pair(a.start_minute, a.location_id) < std::pair(b.start_minute, b.location_id);
        });
        DayRange in_force{-kNoDayBound, kNoDayBound};
        for (const TemplateRef& ref : refs) {
          if (ref.valid_from) in_force.first = std::max(in_force.first, ref.valid_from->DaysSinceEpoch());
          if (ref.valid_to) in_force.last = std::min(in_force.last, ref.valid_to->DaysSinceEpoch());
        }
        zone.in_force[weekday] = in_force;
      }
    }
  }
}

void AvailabilityIndex::IndexExceptions() {
  const auto& all = snapshot_.exceptions;
  for (size_t i = 0; i < all.size(); ++i) {
    const ScheduleException& e = all[i];
    if (e.provider_id) {
      auto provider = provider_by_id_.find(*e.provider_id);
      if (provider != provider_by_id_.end()) plans_[provider->second].exceptions.push_back(i);
    } else if (e.location_id) {
      location_exceptions_[*e.location_id].push_back(i);
    } else {
      global_exceptions_.push_back(i);
    }
  }
  auto by_end = [&all](size_t a, size_t b) { return all[a].end_date < all[b].end_date; };
  for (ProviderPlan& plan : plans_) std::sort(plan.exceptions.begin(), plan.exceptions.end(), by_end);
  for (auto& [location_id, list] : location_exceptions_) std::sort(list.begin(), list.end(), by_end);
  std::sort(global_exceptions_.begin(), global_exceptions_.end(), by_end);

  for (size_t p = 0; p < plans_.size(); ++p) {
    std::vector<DayRange>& ranges = plans_[p].exception_days;
    auto add = [&](const std::vector<size_t>& list) {
      for (size_t i : list) {
        if (all[i].start_date <= all[i].end_date) {
          ranges.push_back({all[i].start_date.DaysSinceEpoch(), all[i].end_date.DaysSinceEpoch()});
        }
      }
    };
    add(plans_[p].exceptions);
    add(global_exceptions_);
    for (int64_t location_id : snapshot_.providers[p].location_ids) {
      auto at_location = location_exceptions_.find(location_id);
      if (at_location != location_exceptions_.end()) add(at_location->second);
    }
    std::sort(ranges.begin(), ranges.end(), [](const DayRange& a, const DayRange& b) { return a.first < b.first; });
    size_t kept = 0;
    for (const DayRange& r : ranges) {
      if (kept > 0 && r.first <= ranges[kept - 1].last + 1) {
        ranges[kept - 1].last = std::max(ranges[kept - 1].last, r.last);
      } else {
        ranges[kept++] = r;
      }
    }
    ranges.resize(kept);
  }
}

const AppointmentType* AvailabilityIndex::FindType(int64_t id) const {
  return FindIn(type_by_id_, snapshot_.appointment_types, id);
}
const Provider* AvailabilityIndex::FindProvider(int64_t id) const {
  return FindIn(provider_by_id_, snapshot_.providers, id);
}
const Location* AvailabilityIndex::FindLocation(int64_t id) const {
  return FindIn(location_by_id_, snapshot_.locations, id);
}
int AvailabilityIndex::ZoneOf(int64_t location_id) const { return location_zone_[location_by_id_.at(location_id)]; }

bool AvailabilityIndex::WorksAt(const Provider& provider, int64_t location_id) {
  return std::find(provider.location_ids.begin(), provider.location_ids.end(), location_id) !=
         provider.location_ids.end();
}
bool AvailabilityIndex::MayDo(const AppointmentType& type, int64_t provider_id) {
  return std::find(type.provider_ids.begin(), type.provider_ids.end(), provider_id) != type.provider_ids.end();
}

void AvailabilityIndex::CollectBlocks(const std::vector<size_t>& exceptions, int64_t location_id, CivilDate date,
                                      DayBlocks& blocks) const {
  const auto& all = snapshot_.exceptions;
  // Sorted by end_date: skip those already over; the rest have not ended.
  auto it = std::lower_bound(exceptions.begin(), exceptions.end(), date,
                             [&all](size_t i, const CivilDate& d) { return all[i].end_date < d; });
  for (; it != exceptions.end(); ++it) {
    const ScheduleException& e = all[*it];
    if (e.start_date > date || (e.location_id && *e.location_id != location_id)) continue;
    if (!e.start_minute || !e.end_minute) {
      blocks.whole_day = true;
      return;
    }
    blocks.parts.emplace_back(*e.start_minute, *e.end_minute);
  }
}

void AvailabilityIndex::BlocksAt(const ProviderPlan& plan, int64_t location_id, CivilDate date,
                                 DayBlocks& blocks) const {
  blocks = {};
  CollectBlocks(plan.exceptions, location_id, date, blocks);
  auto at_location = location_exceptions_.find(location_id);
  if (at_location != location_exceptions_.end()) CollectBlocks(at_location->second, location_id, date, blocks);
  CollectBlocks(global_exceptions_, location_id, date, blocks);
}

bool AvailabilityIndex::Ordinary(const ProviderPlan& plan, const ZonePlan& zone, int weekday, const ZoneDay& day,
                                 int64_t day_number) {
  if (!day.regular()) return false;
  const DayRange& in_force = zone.in_force[weekday];
  if (day_number < in_force.first || day_number > in_force.last) return false;
  // The first range ending on or after the day is the only one that can hold it.
  auto range = std::lower_bound(plan.exception_days.begin(), plan.exception_days.end(), day_number,
                                [](const DayRange& r, int64_t d) { return r.last < d; });
  return range == plan.exception_days.end() || range->first > day_number;
}

void AvailabilityIndex::LayOut(const ProviderPlan& plan, const std::vector<TemplateRef>& refs, const ZoneDay& day,
                               int duration_minutes, bool templates_only, std::vector<CandidateSlot>& out) const {
  const CivilDate date = day.date();
  const std::chrono::minutes duration(duration_minutes);
  const size_t first = out.size();
  DayBlocks blocks;
  std::optional<int64_t> blocks_location;
  for (const TemplateRef& ref : refs) {
    if (!templates_only) {
      if ((ref.valid_from && date < *ref.valid_from) || (ref.valid_to && date > *ref.valid_to)) continue;
      if (blocks_location != ref.location_id) {
        blocks_location = ref.location_id;
        BlocksAt(plan, ref.location_id, date, blocks);
      }
      if (blocks.whole_day) continue;
    }
    for (int wall = ref.start_minute; wall + duration_minutes <= ref.end_minute; wall += duration_minutes) {
      const int wall_end = wall + duration_minutes;
      bool blocked = std::any_of(blocks.parts.begin(), blocks.parts.end(),
                                 [&](const std::pair<int, int>& p) { return wall < p.second && p.first < wall_end; });
      if (blocked) continue;
      std::optional<TimePoint> start = day.At(wall);
      std::optional<TimePoint> end = day.At(wall_end);
      if (!start || !end || *end - *start != duration) continue;  // touches a DST transition
      out.push_back({*start, *end, ref.location_id, ref.room_id});
    }
  }
  auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
  if (refs.size() > 1) SortNearlySorted(begin, out.end());
  // Keep the earliest of overlapping slots (overlapping templates).
  TimePoint kept_end = TimePoint::min();
  auto keep = begin;
  for (auto it = begin; it != out.end(); ++it) {
    if (it->start < kept_end) continue;
    kept_end = it->end;
    if (keep != it) *keep = std::move(*it);
    ++keep;
  }
  out.erase(keep, out.end());
}

void AvailabilityIndex::BuildPatterns() {
  // The durations each provider is booked for: those of the types they may do.
  std::vector<std::vector<int>> durations(plans_.size());
  for (const AppointmentType& type : snapshot_.appointment_types) {
    if (type.duration_minutes <= 0) continue;
    for (int64_t provider_id : type.provider_ids) {
      auto provider = provider_by_id_.find(provider_id);
      if (provider == provider_by_id_.end()) continue;
      std::vector<int>& mine = durations[provider->second];
      if (std::find(mine.begin(), mine.end(), type.duration_minutes) == mine.end()) {
        mine.push_back(type.duration_minutes);
      }
    }
  }
  // A day of a zone without DST, starting at kPatternMidnight.
  const ZoneDay plain(CivilDate::FromDaysSinceEpoch(0), "UTC");
  for (size_t i = 0; i < plans_.size(); ++i) {
    for (ZonePlan& zone : plans_[i].zones) {
      zone.durations = durations[i];
      for (int weekday = 0; weekday < 7; ++weekday) {
        if (zone.by_weekday[weekday].empty()) continue;
        for (int duration : zone.durations) {
          DayPattern pattern{duration, {}};
          LayOut(plans_[i], zone.by_weekday[weekday], plain, duration, /*templates_only=*/true, pattern.slots);
          pattern.slots.shrink_to_fit();
          zone.patterns[weekday].push_back(std::move(pattern));
        }
      }
    }
  }
}

void AvailabilityIndex::AppendSlots(int64_t provider_id, int duration_minutes, std::optional<int64_t> location_id,
                                    TimePoint from, TimePoint to, ZoneDayCache& days,
                                    std::vector<CandidateSlot>& out) const {
  auto provider = provider_by_id_.find(provider_id);
  if (provider == provider_by_id_.end() || from >= to || duration_minutes <= 0) return;
  const ProviderPlan& plan = plans_[provider->second];
  const size_t first = out.size();
  auto outside = [&](const CandidateSlot& s) {
    return s.start < from || s.start >= to || (location_id && s.location_id != *location_id);
  };
  for (const ZonePlan& zone : plan.zones) {
    // Where this duration's pattern sits in each weekday's list, if it has one.
    const auto duration = std::find(zone.durations.begin(), zone.durations.end(), duration_minutes);
    const size_t pattern = static_cast<size_t>(duration - zone.durations.begin());
    const bool patterned = duration != zone.durations.end();
    const int64_t first_day = days.LocalDay(zone.zone, from);
    const int64_t last_day = days.LocalDay(zone.zone, to - kOneMilli);
    for (int64_t d = first_day; d <= last_day; ++d) {
      const int weekday = CivilDate::WeekdayOf(d);
      const std::vector<TemplateRef>& refs = zone.by_weekday[weekday];
      if (refs.empty()) continue;
      const ZoneDay& day = days.Day(zone.zone, d);
      // Nearly every day is an ordinary one, whose slots are the weekday's
      // pattern moved to the day's midnight: what the full layout below would
      // compute. Only the part inside [from, to) is copied, since a search
      // asks for a few hours at a time.
      if (patterned && Ordinary(plan, zone, weekday, day, d)) {
        const TimePoint midnight = *day.At(0);
        const std::vector<CandidateSlot>& slots = zone.patterns[weekday][pattern].slots;
        auto it = std::lower_bound(slots.begin(), slots.end(), kPatternMidnight + (from - midnight),
                                   [](const CandidateSlot& s, TimePoint t) { return s.start < t; });
        const TimePoint last = kPatternMidnight + (to - midnight);
        for (; it != slots.end() && it->start < last; ++it) {
          if (location_id && it->location_id != *location_id) continue;
          out.push_back({midnight + (it->start - kPatternMidnight), midnight + (it->end - kPatternMidnight),
                         it->location_id, it->room_id});
        }
        continue;
      }
      // Overlaps are resolved over the whole day before narrowing, so the
      // answer does not depend on where a search window starts.
      const size_t day_begin = out.size();
      LayOut(plan, refs, day, duration_minutes, /*templates_only=*/false, out);
      out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(day_begin), out.end(), outside), out.end());
    }
  }
  if (plan.zones.size() > 1) {
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                     [](const CandidateSlot& a, const CandidateSlot& b) {
                       return std::pair(a.start, a.location_id) < std::pair(b.start, b.location_id);
                     });
  }
}

}  // namespace caredesk
