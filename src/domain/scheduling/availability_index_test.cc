// AvailabilityIndex::AppendSlots against a plain restatement of its contract
// (availability_index.h), over random schedules: several time zones with and
// without DST (Lord Howe moves by 30 minutes), overlapping templates, validity
// ranges, inactive rooms, and exceptions of every scope. The index lays out
// ordinary days from precomputed weekday patterns and the rest in full; the
// oracle below knows neither, so a mistake in when a day counts as ordinary
// shows up here as a difference.
#include "domain/scheduling/availability_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace caredesk {
namespace {

const char* const kZones[] = {"America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"};
constexpr int kDurations[] = {15, 20, 30, 45, 60};
constexpr CivilDate kFirstDay{2025, 3, 1};
constexpr int kDaysCovered = 280;  // to early December: both DST changes of both hemispheres

struct Oracle {
  const ScheduleSnapshot& s;

  bool Applies(const AvailabilityTemplate& t, const Provider& p, CivilDate date) const {
    if (t.provider_id != p.id || date.Weekday() != t.weekday) return false;
    if (std::find(p.location_ids.begin(), p.location_ids.end(), t.location_id) == p.location_ids.end()) return false;
    if ((t.valid_from && date < *t.valid_from) || (t.valid_to && date > *t.valid_to)) return false;
    for (const Room& r : s.rooms) {
      if (t.room_id == r.id && !r.active) return false;
    }
    return true;
  }

  bool Blocked(const Provider& p, int64_t location_id, CivilDate date, int wall, int wall_end) const {
    for (const ScheduleException& e : s.exceptions) {
      if (e.provider_id && *e.provider_id != p.id) continue;
      if (e.location_id && *e.location_id != location_id) continue;
      if (date < e.start_date || date > e.end_date) continue;
      if (!e.start_minute || !e.end_minute) return true;
      if (wall < *e.end_minute && *e.start_minute < wall_end) return true;
    }
    return false;
  }

  // Every slot of `p` of `duration` minutes starting in [from, to) at
  // `location` (any when empty), in (start, location) order.
  std::vector<CandidateSlot> Slots(const Provider& p, int duration, std::optional<int64_t> location, TimePoint from,
                                   TimePoint to) const {
    std::vector<CandidateSlot> all;
    std::vector<std::string> zones;
    for (const Location& l : s.locations) {
      if (std::find(zones.begin(), zones.end(), l.time_zone) == zones.end()) zones.push_back(l.time_zone);
    }
    for (const std::string& zone : zones) {
      // Local days within a day of [from, to) in any zone.
      const int64_t from_day = ToMillis(from) / 86'400'000 - 2;
      const int64_t to_day = ToMillis(to) / 86'400'000 + 2;
      for (int64_t n = from_day; n <= to_day; ++n) {
        const CivilDate date = CivilDate::FromDaysSinceEpoch(n);
        // (start, location, template start minute, template order) is the
        // order in which the index keeps the first of overlapping slots.
        std::vector<std::tuple<TimePoint, int64_t, int, size_t, CandidateSlot>> day;
        for (size_t i = 0; i < s.templates.size(); ++i) {
          const AvailabilityTemplate& t = s.templates[i];
          const Location& l = *std::find_if(s.locations.begin(), s.locations.end(),
                                            [&](const Location& x) { return x.id == t.location_id; });
          if (l.time_zone != zone || !Applies(t, p, date)) continue;
          for (int wall = t.start_minute; wall + duration <= t.end_minute; wall += duration) {
            if (Blocked(p, t.location_id, date, wall, wall + duration)) continue;
            auto start = LocalToInstant(date, wall, zone);
            auto end = LocalToInstant(date, wall + duration, zone);
            if (!start || !end || *end - *start != std::chrono::minutes(duration)) continue;
            day.emplace_back(*start, t.location_id, t.start_minute, i,
                             CandidateSlot{*start, *end, t.location_id, t.room_id});
          }
        }
        std::sort(day.begin(), day.end(), [](const auto& a, const auto& b) {
          return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
                 std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
        });
        TimePoint kept_end = TimePoint::min();
        for (const auto& entry : day) {
          const CandidateSlot& c = std::get<4>(entry);
          if (c.start < kept_end) continue;
          kept_end = c.end;
          if (c.start >= from && c.start < to && (!location || c.location_id == *location)) all.push_back(c);
        }
      }
    }
    std::stable_sort(all.begin(), all.end(), [](const CandidateSlot& a, const CandidateSlot& b) {
      return std::pair(a.start, a.location_id) < std::pair(b.start, b.location_id);
    });
    return all;
  }
};

ScheduleSnapshot RandomSchedule(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ScheduleSnapshot s;
  const int locations = pick(1, 4);
  for (int l = 1; l <= locations; ++l) {
    s.locations.push_back({.id = l, .name = "L" + std::to_string(l), .time_zone = kZones[pick(0, 4)]});
    s.rooms.push_back({.id = 10 * l, .location_id = l, .name = "open"});
    s.rooms.push_back({.id = 10 * l + 1, .location_id = l, .name = "closed", .active = pick(0, 1) == 1});
  }
  const int providers = pick(1, 4);
  for (int p = 1; p <= providers; ++p) {
    Provider provider{.id = p, .name = "P" + std::to_string(p)};
    for (int l = 1; l <= locations; ++l) {
      if (l == 1 || pick(0, 1) == 1) provider.location_ids.push_back(l);
    }
    s.providers.push_back(provider);
  }
  for (int d : kDurations) {
    AppointmentType type{.id = d, .name = "T" + std::to_string(d), .duration_minutes = d};
    for (const Provider& p : s.providers) type.provider_ids.push_back(p.id);
    s.appointment_types.push_back(type);
  }
  const int templates = pick(1, 14);
  for (int i = 0; i < templates; ++i) {
    AvailabilityTemplate t;
    t.id = i + 1;
    t.provider_id = pick(1, providers);
    t.location_id = pick(1, locations);  // sometimes one the provider does not work at
    t.weekday = pick(0, 6);
    // Early mornings reach the DST changes (01:00-03:00).
    t.start_minute = 5 * pick(0, 250);
    t.end_minute = std::min(kMinutesPerDay, t.start_minute + 5 * pick(1, 120));
    if (pick(0, 3) == 0) t.room_id = 10 * t.location_id + pick(0, 1);
    if (pick(0, 3) == 0) t.valid_from = kFirstDay.AddDays(pick(0, kDaysCovered));
    if (pick(0, 3) == 0) t.valid_to = kFirstDay.AddDays(pick(0, kDaysCovered));
    s.templates.push_back(t);
  }
  const int exceptions = pick(0, 6);
  for (int i = 0; i < exceptions; ++i) {
    ScheduleException e;
    e.id = i + 1;
    if (pick(0, 2) > 0) e.provider_id = pick(1, providers);
    if (pick(0, 2) > 0) e.location_id = pick(1, locations);
    e.start_date = kFirstDay.AddDays(pick(0, kDaysCovered));
    e.end_date = e.start_date.AddDays(pick(-1, 10));  // sometimes ends before it starts
    if (pick(0, 1) == 1) {
      e.start_minute = 5 * pick(0, 280);
      e.end_minute = std::min(kMinutesPerDay, *e.start_minute + 5 * pick(1, 60));
    }
    s.exceptions.push_back(e);
  }
  return s;
}

TEST(AvailabilityIndexProperty, MatchesThePlainRulesOnRandomSchedules) {
  std::mt19937 rng(20261123);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const TimePoint first = *LocalToInstant(kFirstDay, 0, "UTC");
  size_t compared = 0;
  size_t slots_seen = 0;
  for (int round = 0; round < 60; ++round) {
    const ScheduleSnapshot s = RandomSchedule(rng);
    const AvailabilityIndex index(s);
    const Oracle oracle{s};
    ZoneDayCache days(index.zone_names());
    for (int query = 0; query < 25; ++query) {
      const Provider& p = s.providers[static_cast<size_t>(pick(0, static_cast<int>(s.providers.size()) - 1))];
      const int duration = kDurations[pick(0, 4)];
      std::optional<int64_t> location;
      if (pick(0, 2) == 0) location = pick(1, static_cast<int>(s.locations.size()));
      // From a few hours to two weeks, starting at any 5-minute mark.
      const TimePoint from = first + std::chrono::minutes(5 * pick(0, (kDaysCovered - 15) * 288));
      const TimePoint to = from + std::chrono::minutes(5 * pick(1, 14 * 288));
      std::vector<CandidateSlot> got;
      index.AppendSlots(p.id, duration, location, from, to, days, got);
      const std::vector<CandidateSlot> want = oracle.Slots(p, duration, location, from, to);
      ASSERT_EQ(got.size(), want.size()) << "round " << round << " query " << query;
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].start, want[i].start) << "round " << round << " query " << query << " slot " << i;
        ASSERT_EQ(got[i].end, want[i].end) << "round " << round << " query " << query << " slot " << i;
        ASSERT_EQ(got[i].location_id, want[i].location_id) << "round " << round << " slot " << i;
        ASSERT_EQ(got[i].room_id, want[i].room_id) << "round " << round << " slot " << i;
      }
      ++compared;
      slots_seen += got.size();
    }
  }
  // The random schedules must actually offer slots, or the comparison proves nothing.
  EXPECT_EQ(compared, 1500u);
  EXPECT_GT(slots_seen, 20000u);
}

}  // namespace
}  // namespace caredesk
