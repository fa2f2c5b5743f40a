// AvailabilityIndex: a ScheduleSnapshot arranged for laying out slots — each
// provider's templates grouped by time zone and weekday, exceptions indexed by
// provider, by location and global. It knows nothing of bookings.
//
// Immutable after construction; all const members are thread-safe.
//
// Slot layout rules (the contract of AppendSlots):
//  - For an appointment type of D minutes, a template window [start, end)
//    offers wall-clock starts start, start+D, ... while start+kD+D <= end.
//  - A template applies on local date d when d's weekday matches and d lies in
//    [valid_from, valid_to]; only at a location the provider works at, that
//    the snapshot knows, and not in a room the snapshot lists as inactive.
//  - Exceptions (matching provider or all providers; matching location or all
//    locations) remove whole days, or every slot whose wall-clock interval
//    overlaps their [start_minute, end_minute) on each day of their range.
//  - DST: wall times become instants with LocalToInstant in the location's
//    zone. A slot is offered only when both its wall-clock start and end
//    exist and the real time between them is exactly D. So slots touching a
//    spring-forward gap are skipped; on a fall-back day the repeated hour is
//    offered once, at its first (daylight-time) occurrence, and a slot that
//    would straddle the repeat (01:30-02:00 lasting 90 minutes) is skipped.
//  - No overlaps: on each local day, the slots a provider gets in one time zone
//    (from all templates and locations in that zone) are ordered by (start,
//    location id) and a slot overlapping an earlier kept one is dropped.
//    Templates of one provider in two different zones that overlap in real time
//    are a configuration error this index does not repair.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "domain/scheduling/schedule_model.h"
#include "domain/scheduling/zone_day.h"

namespace caredesk {

// A slot laid out by the templates, before bookings are considered.
struct CandidateSlot {
  TimePoint start;
  TimePoint end;
  int64_t location_id = 0;
  std::optional<int64_t> room_id;
};

class AvailabilityIndex {
 public:
  explicit AvailabilityIndex(ScheduleSnapshot snapshot);

  // Lookups by id; nullptr when unknown. Pointers live as long as the index.
  const AppointmentType* FindType(int64_t id) const;
  const Provider* FindProvider(int64_t id) const;
  const Location* FindLocation(int64_t id) const;
  // The index in zone_names() of a known location's time zone.
  int ZoneOf(int64_t location_id) const;
  const std::vector<std::string>& zone_names() const { return zone_names_; }
  // The set-up the index was built from.
  const ScheduleSnapshot& snapshot() const { return snapshot_; }

  static bool WorksAt(const Provider& provider, int64_t location_id);
  static bool MayDo(const AppointmentType& type, int64_t provider_id);

  // Appends to `out` the slots of `duration_minutes` that the templates give
  // `provider_id` (optionally only at `location_id`) whose start lies in
  // [from, to), ordered by (start, location id). Appends nothing for an
  // unknown provider. `days` must have been built on zone_names().
  void AppendSlots(int64_t provider_id, int duration_minutes, std::optional<int64_t> location_id, TimePoint from,
                   TimePoint to, ZoneDayCache& days, std::vector<CandidateSlot>& out) const;

 private:
  struct TemplateRef {
    int start_minute;
    int end_minute;
    int64_t location_id;
    std::optional<int64_t> room_id;
    std::optional<CivilDate> valid_from;
    std::optional<CivilDate> valid_to;
  };
  // The slots one weekday's templates give for one duration on a day with no
  // DST change, no exception and every template in force, laid out from
  // 1970-01-01 00:00 UTC.
  struct DayPattern {
    int duration_minutes;
    std::vector<CandidateSlot> slots;
  };
  // Days numbered from 1970-01-01, both ends included.
  struct DayRange {
    int64_t first;
    int64_t last;
  };
  struct ZonePlan {
    int zone;
    std::array<std::vector<TemplateRef>, 7> by_weekday;  // sorted by start_minute
    // The durations of the provider's types; a weekday with templates has one
    // pattern per duration, in this order (patterns[w][k] is durations[k]).
    std::vector<int> durations;
    std::array<std::vector<DayPattern>, 7> patterns;
    std::array<DayRange, 7> in_force;                    // the days every one of a weekday's templates applies
  };
  struct ProviderPlan {
    std::vector<ZonePlan> zones;
    std::vector<size_t> exceptions;  // this provider's own, sorted by end_date
    // The days any exception may touch this provider (its own, its locations',
    // everyone's), merged and sorted: a day outside them is exception-free.
    std::vector<DayRange> exception_days;
  };
  // Blocked wall-clock minutes of one provider at one location on one day.
  struct DayBlocks {
    bool whole_day = false;
    std::vector<std::pair<int, int>> parts;
  };

  void IndexTemplates();
  void IndexExceptions();
  void BuildPatterns();
  // True when the weekday's pattern is the day's layout: the day is 24 hours
  // long, every template of the weekday is in force and no exception touches
  // the provider.
  static bool Ordinary(const ProviderPlan& plan, const ZonePlan& zone, int weekday, const ZoneDay& day,
                       int64_t day_number);
  void CollectBlocks(const std::vector<size_t>& exceptions, int64_t location_id, CivilDate date,
                     DayBlocks& blocks) const;
  // Replaces `blocks` with what every exception (the provider's own, the
  // location's, everyone's) blocks at `location_id` on `date`.
  void BlocksAt(const ProviderPlan& plan, int64_t location_id, CivilDate date, DayBlocks& blocks) const;
  // The full layout of `refs` on `day`; with `templates_only`, as if every
  // template were in force and there were no exceptions (for the patterns).
  void LayOut(const ProviderPlan& plan, const std::vector<TemplateRef>& refs, const ZoneDay& day, int duration_minutes,
              bool templates_only, std::vector<CandidateSlot>& out) const;

  ScheduleSnapshot snapshot_;
  std::unordered_map<int64_t, size_t> type_by_id_;
  std::unordered_map<int64_t, size_t> provider_by_id_;  // also indexes plans_
  std::unordered_map<int64_t, size_t> location_by_id_;
  std::vector<int> location_zone_;  // by location index
  std::vector<std::string> zone_names_;
  std::vector<ProviderPlan> plans_;  // by provider index
  std::unordered_map<int64_t, std::vector<size_t>> location_exceptions_;  // all providers at one location
  std::vector<size_t> global_exceptions_;                                 // everyone everywhere
};

}  // namespace caredesk
