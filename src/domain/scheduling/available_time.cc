#include "domain/scheduling/available_time.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace caredesk {
namespace {

using Interval = std::pair<int, int>;  // [start, end) minutes of a day

// The length of the union of `intervals` minus the union of `blocked`.
int FreeMinutes(std::vector<Interval> intervals, std::vector<Interval> blocked) {
  auto merge = [](std::vector<Interval>& v) {
    std::sort(v.begin(), v.end());
    std::vector<Interval> out;
    for (const auto& iv : v) {
      if (iv.second <= iv.first) continue;
      if (!out.empty() && iv.first <= out.back().second) {
        out.back().second = std::max(out.back().second, iv.second);
      } else {
        out.push_back(iv);
      }
    }
    v = std::move(out);
  };
  merge(intervals);
  merge(blocked);
  int total = 0;
  for (const auto& [s, e] : intervals) {
    int covered = 0;
    for (const auto& [bs, be] : blocked) covered += std::max(0, std::min(e, be) - std::max(s, bs));
    total += (e - s) - covered;
  }
  return total;
}

}  // namespace

std::vector<double> AvailableMinutes(std::span<const AvailabilityTemplate> templates,
                                     std::span<const ScheduleException> exceptions, int64_t location_id,
                                     std::optional<int64_t> provider_id, const CivilDate& from, const CivilDate& to) {
  std::vector<double> out;
  if (to < from) return out;
  // The templates of each provider at the location, by weekday.
  std::map<int64_t, std::array<std::vector<const AvailabilityTemplate*>, 7>> by_provider;
  for (const auto& t : templates) {
    if (t.location_id != location_id || (provider_id && t.provider_id != *provider_id)) continue;
    if (t.weekday < 0 || t.weekday > 6) continue;
    by_provider[t.provider_id][t.weekday].push_back(&t);
  }
  for (CivilDate d = from; !(to < d); d = d.AddDays(1)) {
    const int weekday = d.Weekday();
    double minutes = 0;
    for (const auto& [provider, week] : by_provider) {
      std::vector<Interval> open;
      for (const AvailabilityTemplate* t : week[weekday]) {
        if (t->valid_from && d < *t->valid_from) continue;
        if (t->valid_to && *t->valid_to < d) continue;
        open.emplace_back(t->start_minute, t->end_minute);
      }
      if (open.empty()) continue;
      std::vector<Interval> blocked;
      for (const auto& e : exceptions) {
        if (e.provider_id && *e.provider_id != provider) continue;
        if (e.location_id && *e.location_id != location_id) continue;
        if (d < e.start_date || e.end_date < d) continue;
        if (e.start_minute && e.end_minute) {
          blocked.emplace_back(*e.start_minute, *e.end_minute);
        } else {
          blocked.emplace_back(0, 24 * 60);
        }
      }
      minutes += FreeMinutes(std::move(open), std::move(blocked));
    }
    out.push_back(minutes);
  }
  return out;
}

}  // namespace caredesk
