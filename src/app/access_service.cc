#include "app/access_service.h"

#include <algorithm>
#include <set>

#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// A local day's first instant: midnight, or the first whole hour after it where a clock change skips midnight.
TimePoint DayStart(const CivilDate& d, const std::string& zone) {
  for (int minute = 0; minute <= 180; minute += 60) {
    if (auto t = LocalToInstant(d, minute, zone)) return *t;
  }
  return FromMillis(d.DaysSinceEpoch() * kDayMs);
}

}  // namespace

Result<AccessReport> AccessService::TakeToday(const std::vector<int64_t>& only, bool again) {
  CD_ASSIGN_OR_RETURN(auto engine, schedule_.Engine());
  const TimePoint now = clock_.Now();
  auto conn = pool_.Acquire();
  std::vector<std::pair<const Location*, std::string>> due;  // and its local date today
  for (const auto& loc : engine->index().snapshot().locations) {
    if (!only.empty() && std::find(only.begin(), only.end(), loc.id) == only.end()) continue;
    std::string today = InstantToLocal(now, loc.time_zone).date.ToString();
    if (!again) {
      CD_ASSIGN_OR_RETURN(auto taken, db::AccessRepository::DaysTaken(*conn, loc.id, today, today));
      if (!taken.empty()) continue;
    }
    due.emplace_back(&loc, std::move(today));
  }
  AccessReport report;
  if (due.empty()) return report;
  CD_ASSIGN_OR_RETURN(auto bookings, db::AccessRepository::Bookings(
                                         *conn, ToMillis(now), ToMillis(now) + (kAccessHorizonDays + 2) * kDayMs));
  AsOfBusy busy(std::move(bookings));
  busy.SetAsOf(now);
  for (const auto& [loc, today] : due) {
    CD_ASSIGN_OR_RETURN(auto readings, ThirdNextAvailable(*engine, loc->id, now, busy));
    if (readings.empty()) continue;  // nobody works here: nothing to record
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) {
      return db::AccessRepository::ReplaceDay(c, loc->id, today, ToMillis(now), readings);
    }));
    ++report.locations;
    ++report.days;
    report.readings += static_cast<int>(readings.size());
  }
  return report;
}

Result<AccessReport> AccessService::TakeDue() { return TakeToday({}, false); }

Result<AccessReport> AccessService::TakeNow(const Actor& by, std::optional<int64_t> location_id) {
  {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(*conn, location_id));
  }
  std::vector<int64_t> only;
  if (location_id) only.push_back(*location_id);
  CD_ASSIGN_OR_RETURN(auto report, TakeToday(only, true));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "write", "access", std::nullopt, "success",
                                               "third next available taken: " + std::to_string(report.readings) +
                                                   " readings")));
  return report;
}

Result<AccessReport> AccessService::Backfill(std::optional<int64_t> location_id, const CivilDate& from,
                                             const CivilDate& to, bool replace, const Progress& progress) {
  if (to < from) return Error::Invalid("to", "is before from", "before_from");
  if (to.DaysSinceEpoch() - from.DaysSinceEpoch() >= kMaxBackfillDays) {
    return Error::Invalid("to", "at most " + std::to_string(kMaxBackfillDays) + " days at once", "too_long");
  }
  const TimePoint now = clock_.Now();
  if (to.DaysSinceEpoch() > InstantToLocal(now, "UTC").date.DaysSinceEpoch() + 1) {
    return Error::Invalid("to", "is in the future: readings of days to come cannot be known yet", "in_the_future");
  }
  CD_ASSIGN_OR_RETURN(auto engine, schedule_.Engine());
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(*conn, location_id));
  std::vector<const Location*> locations;
  for (const auto& loc : engine->index().snapshot().locations) {
    if (!location_id || loc.id == *location_id) locations.push_back(&loc);
  }
  AccessReport report;
  if (locations.empty()) return report;
  // Every booking that any of these days could see, read once.
  const int64_t lo = (from.DaysSinceEpoch() - 1) * kDayMs;
  const int64_t hi = (to.DaysSinceEpoch() + kAccessHorizonDays + 3) * kDayMs;
  CD_ASSIGN_OR_RETURN(auto bookings, db::AccessRepository::Bookings(*conn, lo, hi));
  AsOfBusy busy(std::move(bookings));
  const int64_t days = to.DaysSinceEpoch() - from.DaysSinceEpoch() + 1;
  const int64_t total = days * static_cast<int64_t>(locations.size());
  int64_t done = 0;
  for (const Location* loc : locations) {
    std::set<std::string> taken;
    if (!replace) {
      CD_ASSIGN_OR_RETURN(auto list, db::AccessRepository::DaysTaken(*conn, loc->id, from.ToString(), to.ToString()));
      taken.insert(list.begin(), list.end());
    }
    const CivilDate today = InstantToLocal(now, loc->time_zone).date;
    bool wrote = false;
    for (CivilDate d = from; !(to < d); d = d.AddDays(1), ++done) {
      if (progress && done % 16 == 0) progress(done, total);
      const std::string date = d.ToString();
      if (today < d || taken.count(date)) continue;
      const TimePoint at = std::min(DayStart(d, loc->time_zone), now);
      busy.SetAsOf(at);
      CD_ASSIGN_OR_RETURN(auto readings, ThirdNextAvailable(*engine, loc->id, at, busy));
      if (readings.empty()) continue;
      CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) {
        return db::AccessRepository::ReplaceDay(c, loc->id, date, ToMillis(at), readings);
      }));
      wrote = true;
      ++report.days;
      report.readings += static_cast<int>(readings.size());
    }
    if (wrote) ++report.locations;
  }
  if (progress) progress(total, total);
  return report;
}

Result<AccessView> AccessService::Latest(const Actor& by, const db::AccessFilter& filter) {
  auto conn = pool_.Acquire();
  AccessView view;
  CD_ASSIGN_OR_RETURN(view.time_zone, db::ScheduleRepository::LocationZone(*conn, filter.location_id));
  CD_ASSIGN_OR_RETURN(auto day, db::AccessRepository::LatestDay(*conn, filter.location_id));
  if (day) {
    view.snapshot_date = day->first;
    view.taken_at = day->second;
    CD_ASSIGN_OR_RETURN(view.rows, db::AccessRepository::Day(*conn, filter, day->first));
  }
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "report", "access", std::nullopt, "success",
                                               "third next available at location " +
                                                   std::to_string(filter.location_id))));
  return view;
}

}  // namespace caredesk
