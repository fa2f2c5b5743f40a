// "Next 20 open slots of a type, 90-day range, all eligible providers" over a
// realistic schedule: 500 providers at 4 locations in 2 time zones, Mon-Fri
// morning and afternoon templates, 25 appointment types each done by 40-120
// providers, and an in-memory BusyLookup (sorted vectors per provider) with
// the given share of template time booked for 120 days. The range crosses the
// 2025-11-02 fall-back day.
//
// Reports per-search latency percentiles (p50_us, p99_us, max_us) measured
// around each Search call, the BusyLookup calls per search (each is one
// database round trip in production) and the busy rows returned per search.
//
// Run: build-sched/bench/slot_engine_benchmark --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "domain/scheduling/slot_engine.h"

namespace caredesk {
namespace {

constexpr int kProviders = 500;
constexpr int kTypes = 25;
constexpr int kBookedDays = 120;
constexpr int kSearchDays = 90;
constexpr int kNowSpreadDays = 28;
constexpr size_t kLimit = 20;
constexpr CivilDate kBaseDate{2025, 9, 1};  // a Monday
constexpr int kBookingMinutes[] = {15, 15, 20, 30, 30, 30, 45, 60};

// Busy intervals per provider, sorted and disjoint: what an index on
// (provider_id, start) gives the database.
class InMemoryBusy final : public BusyLookup {
 public:
  explicit InMemoryBusy(std::vector<std::vector<BusyInterval>> by_provider) : by_provider_(std::move(by_provider)) {}

  std::vector<BusyInterval> Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) override {
    ++calls_;
    std::vector<BusyInterval> out;
    for (int64_t id : provider_ids) {
      const auto& list = by_provider_[static_cast<size_t>(id)];
      auto it = std::lower_bound(list.begin(), list.end(), from,
                                 [](const BusyInterval& b, TimePoint t) { return b.end <= t; });
      for (; it != list.end() && it->start < to; ++it) out.push_back(*it);
    }
    rows_ += out.size();
    return out;
  }

  int64_t calls_ = 0;
  int64_t rows_ = 0;

 private:
  std::vector<std::vector<BusyInterval>> by_provider_;
};

AvailabilityTemplate Window(int64_t& next_id, int64_t provider, int64_t location, int weekday, int start, int end) {
  return {.id = next_id++,
          .provider_id = provider,
          .location_id = location,
          .room_id = std::nullopt,
          .weekday = weekday,
          .start_minute = start,
          .end_minute = end,
          .valid_from = std::nullopt,
          .valid_to = std::nullopt};
}

ScheduleSnapshot MakeSchedule(std::mt19937& rng) {
  ScheduleSnapshot s;
  const char* zones[] = {"America/New_York", "America/New_York", "America/Los_Angeles", "America/Los_Angeles"};
  for (int64_t l = 1; l <= 4; ++l) {
    Location location;
    location.id = l;
    location.name = "Site " + std::to_string(l);
    location.time_zone = zones[l - 1];
    s.locations.push_back(location);
  }
  int64_t next_template = 1;
  for (int64_t p = 1; p <= kProviders; ++p) {
    Provider provider;
    provider.id = p;
    provider.name = "Provider " + std::to_string(p);
    const int64_t home = 1 + p % 4;
    const int64_t partner = home % 2 == 1 ? home + 1 : home - 1;  // the other site in the same zone
    const bool travels = p % 5 == 0;
    provider.location_ids = travels ? std::vector<int64_t>{home, partner} : std::vector<int64_t>{home};
    s.providers.push_back(provider);
    const int am_start = std::uniform_int_distribution<int>(0, 2)(rng) * 30 + 7 * 60 + 30;  // 07:30..08:30
    const int am_end = std::uniform_int_distribution<int>(0, 1)(rng) * 30 + 11 * 60 + 30;   // 11:30..12:00
    const int pm_start = std::uniform_int_distribution<int>(0, 1)(rng) * 30 + 13 * 60;      // 13:00..13:30
    const int pm_end = std::uniform_int_distribution<int>(0, 2)(rng) * 30 + 16 * 60;        // 16:00..17:00
    const int day_off = std::uniform_int_distribution<int>(0, 9)(rng);                      // 1..5 = a weekday off
    for (int weekday = 1; weekday <= 5; ++weekday) {
      if (weekday == day_off) continue;
      const int64_t site = travels && weekday == 3 ? partner : home;
      s.templates.push_back(Window(next_template, p, site, weekday, am_start, am_end));
      s.templates.push_back(Window(next_template, p, site, weekday, pm_start, pm_end));
    }
  }
  const int durations[] = {15, 20, 30, 30, 45, 60};
  std::vector<int64_t> all(kProviders);
  for (int i = 0; i < kProviders; ++i) all[i] = i + 1;
  for (int64_t t = 1; t <= kTypes; ++t) {
    AppointmentType type;
    type.id = t;
    type.name = "Type " + std::to_string(t);
    type.duration_minutes = durations[t % 6];
    std::shuffle(all.begin(), all.end(), rng);
    const int eligible = std::uniform_int_distribution<int>(40, 120)(rng);
    type.provider_ids.assign(all.begin(), all.begin() + eligible);
    s.appointment_types.push_back(type);
  }
  ScheduleException holiday;  // Thanksgiving at every site
  holiday.start_date = holiday.end_date = {2025, 11, 27};
  s.exceptions.push_back(holiday);
  return s;
}

// Books `booked_share` of every provider's template time with appointments of
// mixed lengths, laid end to end along the 5-minute grid of each window.
std::vector<std::vector<BusyInterval>> MakeBookings(const SlotEngine& engine, double booked_share, std::mt19937& rng) {
  std::vector<std::vector<BusyInterval>> by_provider(kProviders + 1);
  const AvailabilityIndex& index = engine.index();
  ZoneDayCache days(index.zone_names());
  const TimePoint from = *LocalToInstant(kBaseDate.AddDays(-1), 0, "UTC");
  const TimePoint to = from + std::chrono::hours(24 * (kBookedDays + 2));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<size_t> pick(0, std::size(kBookingMinutes) - 1);
  std::vector<CandidateSlot> units;
  for (int64_t p = 1; p <= kProviders; ++p) {
    units.clear();
    index.AppendSlots(p, kSlotGranularityMinutes, std::nullopt, from, to, days, units);
    size_t i = 0;
    while (i < units.size()) {
      const int minutes = kBookingMinutes[pick(rng)];
      const size_t want = static_cast<size_t>(minutes / kSlotGranularityMinutes);
      size_t j = i + 1;
      while (j < units.size() && j - i < want && units[j].start == units[j - 1].end) ++j;
      if (coin(rng) < booked_share) by_provider[p].push_back({p, units[i].start, units[j - 1].end, 1});
      i = j;
    }
  }
  return by_provider;
}

struct World {
  std::unique_ptr<SlotEngine> engine;
  std::unique_ptr<InMemoryBusy> busy;
};

const World& WorldFor(int booked_percent) {
  static std::map<int, World> worlds;
  auto it = worlds.find(booked_percent);
  if (it == worlds.end()) {
    std::mt19937 rng(20250901);
    World w;
    w.engine = std::make_unique<SlotEngine>(MakeSchedule(rng));
    w.busy = std::make_unique<InMemoryBusy>(MakeBookings(*w.engine, booked_percent / 100.0, rng));
    it = worlds.emplace(booked_percent, std::move(w)).first;
  }
  return it->second;
}

double Percentile(std::vector<double> sorted_us, double q) {
  if (sorted_us.empty()) return 0;
  return sorted_us[static_cast<size_t>(q * static_cast<double>(sorted_us.size() - 1))];
}

void BM_NextOpenSlots(benchmark::State& state) {
  const World& world = WorldFor(static_cast<int>(state.range(0)));
  InMemoryBusy& busy = *world.busy;
  busy.calls_ = busy.rows_ = 0;
  std::mt19937 rng(7);
  const TimePoint base = *LocalToInstant(kBaseDate, 0, "America/New_York");
  std::uniform_int_distribution<int64_t> now_minute(0, int64_t{kNowSpreadDays} * 24 * 60);
  std::uniform_int_distribution<int64_t> type(1, kTypes);
  std::vector<double> latencies_us;
  size_t found = 0;
  for (auto _ : state) {
    SlotQuery q;
    q.appointment_type_id = type(rng);
    q.from = q.not_before = base + std::chrono::minutes(now_minute(rng));
    q.to = q.from + std::chrono::hours(24 * kSearchDays);
    q.limit = kLimit;
    const auto started = std::chrono::steady_clock::now();
    auto slots = world.engine->Search(q, busy);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    latencies_us.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
    if (!slots.ok()) {
      state.SkipWithError(slots.error().message.c_str());
      break;
    }
    found += slots->size();
    benchmark::DoNotOptimize(slots);
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  const double n = static_cast<double>(latencies_us.size());
  state.counters["p50_us"] = Percentile(latencies_us, 0.50);
  state.counters["p99_us"] = Percentile(latencies_us, 0.99);
  state.counters["max_us"] = latencies_us.empty() ? 0 : latencies_us.back();
  state.counters["lookups"] = static_cast<double>(busy.calls_) / n;
  state.counters["busy_rows"] = static_cast<double>(busy.rows_) / n;
  state.counters["slots"] = static_cast<double>(found) / n;
}
// Argument: percentage of template time already booked.
BENCHMARK(BM_NextOpenSlots)->Arg(70)->Arg(95)->Iterations(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace caredesk
