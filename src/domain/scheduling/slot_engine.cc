#include "domain/scheduling/slot_engine.h"

#include <algorithm>
#include <queue>
#include <string>
#include <tuple>
#include <utility>

namespace caredesk {
namespace {

using Days = std::chrono::duration<int64_t, std::ratio<86400>>;
// The first window is a third of a day: a search usually finds its slots in
// the first hours, and every candidate laid out beyond the budget below is
// laid out again later. Measured per search under callgrind on the 1M demo
// (app_benchmark slots): 537k instructions with a first window of 1 day, 475k
// with 2 h, 445k with 4 h, 419k with 8 h.
constexpr std::chrono::hours kFirstWindow{8};
constexpr std::chrono::hours kMaxWindow{32 * 24};
// A window with more candidates than the budget is cut short so that one
// BusyLookup covers about that many candidates; the budget starts at
// kCandidatesPerWantedSlot per wanted slot (enough when up to ~85% of the time
// is booked) and doubles each time a cut window did not finish the search.
constexpr size_t kMinCandidatesPerLookup = 64;
constexpr size_t kCandidatesPerWantedSlot = 12;

// One provider's candidates in a window: cands[begin, end) sorted by start,
// and its coalesced busy intervals busy[busy_begin, busy_end).
struct ProviderRun {
  int64_t provider_id;
  size_t begin;
  size_t end;
  size_t busy_begin = 0;
  size_t busy_end = 0;
};

// The instant just after the start of the `budget`-th earliest candidate:
// candidates starting before it number at least `budget`.
TimePoint CutAfter(const std::vector<CandidateSlot>& cands, size_t budget, std::vector<TimePoint>& starts) {
  starts.clear();
  for (const CandidateSlot& c : cands) starts.push_back(c.start);
  auto nth = starts.begin() + static_cast<std::ptrdiff_t>(budget - 1);
  std::nth_element(starts.begin(), nth, starts.end());
  return *nth + std::chrono::milliseconds(1);
}

// Drops from each run the candidates starting at or after `end`, and the runs
// left empty.
void TrimRuns(const std::vector<CandidateSlot>& cands, TimePoint end, std::vector<ProviderRun>& runs) {
  for (ProviderRun& run : runs) {
    auto first = cands.begin() + static_cast<std::ptrdiff_t>(run.begin);
    auto last = cands.begin() + static_cast<std::ptrdiff_t>(run.end);
    auto cut = std::lower_bound(first, last, end, [](const CandidateSlot& c, TimePoint t) { return c.start < t; });
    run.end = static_cast<size_t>(cut - cands.begin());
  }
  std::erase_if(runs, [](const ProviderRun& run) { return run.begin == run.end; });
}

// Sorts by (provider, start) and merges overlapping or touching intervals of
// the same provider, dropping those with no bookings.
void Coalesce(std::vector<BusyInterval>& busy) {
  std::erase_if(busy, [](const BusyInterval& b) { return b.bookings < 1 || b.end <= b.start; });
  auto before = [](const BusyInterval& a, const BusyInterval& b) {
    return std::tie(a.provider_id, a.start) < std::tie(b.provider_id, b.start);
  };
  // The busy cache answers in this order already; sorting it again was a
  // tenth of a search.
  if (!std::is_sorted(busy.begin(), busy.end(), before)) std::sort(busy.begin(), busy.end(), before);
  size_t out = 0;
  for (size_t i = 0; i < busy.size(); ++i) {
    if (out > 0 && busy[out - 1].provider_id == busy[i].provider_id && busy[i].start <= busy[out - 1].end) {
      busy[out - 1].end = std::max(busy[out - 1].end, busy[i].end);
    } else {
      busy[out++] = busy[i];
    }
  }
  busy.resize(out);
}

// Points each run (sorted by provider id) at its provider's busy intervals.
void AttachBusy(const std::vector<BusyInterval>& busy, std::vector<ProviderRun>& runs) {
  size_t b = 0;
  for (ProviderRun& run : runs) {
    while (b < busy.size() && busy[b].provider_id < run.provider_id) ++b;
    run.busy_begin = b;
    while (b < busy.size() && busy[b].provider_id == run.provider_id) ++b;
    run.busy_end = b;
  }
}

// Advances `run` to its next candidate that no busy interval overlaps.
// Candidate starts never decrease and the busy intervals are disjoint and
// sorted, so both cursors only move forward.
bool NextOpen(const std::vector<CandidateSlot>& cands, const std::vector<BusyInterval>& busy, ProviderRun& run) {
  for (; run.begin < run.end; ++run.begin) {
    const CandidateSlot& c = cands[run.begin];
    while (run.busy_begin < run.busy_end && busy[run.busy_begin].end <= c.start) ++run.busy_begin;
    if (run.busy_begin == run.busy_end || c.end <= busy[run.busy_begin].start) return true;
  }
  return false;
}

// K-way merge of the runs' open candidates in (start, provider, location)
// order, appending to `found` until it holds `limit` slots.
void MergeOpen(const std::vector<CandidateSlot>& cands, const std::vector<BusyInterval>& busy,
               std::vector<ProviderRun>& runs, size_t limit, std::vector<Slot>& found) {
  using Head = std::tuple<TimePoint, int64_t, int64_t, size_t>;  // start, provider, location, run
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  auto push = [&](size_t r) {
    if (NextOpen(cands, busy, runs[r])) {
      const CandidateSlot& c = cands[runs[r].begin];
      heads.emplace(c.start, runs[r].provider_id, c.location_id, r);
    }
  };
  for (size_t r = 0; r < runs.size(); ++r) push(r);
  while (!heads.empty() && found.size() < limit) {
    const size_t r = std::get<3>(heads.top());
    heads.pop();
    const CandidateSlot& c = cands[runs[r].begin];
    found.push_back({c.start, c.end, runs[r].provider_id, c.location_id, c.room_id});
    ++runs[r].begin;
    push(r);
  }
}

// The working vectors of a search, kept from one search to the next on the
// same thread: a search lays out thousands of candidates, and growing a fresh
// vector for them each time was a tenth of the server's CPU (malloc and
// malloc_consolidate) under a slot-search load.
struct SearchScratch {
  std::vector<CandidateSlot> cands;
  std::vector<ProviderRun> runs;
  std::vector<TimePoint> starts;
};

// Out of line on purpose: inside Search, g++ recomputed the thread_local's
// address (a __tls_get_addr call in a shared library) at every use of the
// vectors, thousands of times per search.
[[gnu::noinline]] SearchScratch& ThreadScratch() {
  thread_local SearchScratch scratch;
  return scratch;
}

}  // namespace

SlotEngine::SlotEngine(ScheduleSnapshot snapshot) : index_(std::move(snapshot)) {}

Result<const AppointmentType*> SlotEngine::BookableType(int64_t appointment_type_id) const {
  const AppointmentType* type = index_.FindType(appointment_type_id);
  if (type == nullptr) {
    return Error::NotFound("appointment type " + std::to_string(appointment_type_id) + " does not exist",
                           "appointment_type");
  }
  if (!type->active) {
    return Error::Unprocessable("appointment_type", "appointment type '" + type->name + "' is no longer offered",
                                "inactive");
  }
  return type;
}

Result<std::vector<int64_t>> SlotEngine::EligibleProviders(const AppointmentType& type,
                                                           std::optional<int64_t> provider_id,
                                                           std::optional<int64_t> location_id) const {
  if (location_id && index_.FindLocation(*location_id) == nullptr) {
    return Error::NotFound("location " + std::to_string(*location_id) + " does not exist", "location");
  }
  std::vector<int64_t> eligible;
  if (provider_id) {
    const Provider* provider = index_.FindProvider(*provider_id);
    if (provider == nullptr) {
      return Error::NotFound("provider " + std::to_string(*provider_id) + " does not exist", "provider");
    }
    if (!provider->active) {
      return Error::Unprocessable("provider", provider->name + " is not active", "inactive");
    }
    if (!AvailabilityIndex::MayDo(type, provider->id)) {
      return Error::Unprocessable("provider", provider->name + " does not do '" + type.name + "' appointments",
                                  "provider_not_eligible");
    }
    if (location_id && !AvailabilityIndex::WorksAt(*provider, *location_id)) {
      return Error::Unprocessable("location", provider->name + " does not work at this location",
                                  "provider_not_at_location");
    }
    eligible.push_back(provider->id);
    return eligible;
  }
  for (int64_t id : type.provider_ids) {
    const Provider* provider = index_.FindProvider(id);
    if (provider == nullptr || !provider->active) continue;
    if (location_id && !AvailabilityIndex::WorksAt(*provider, *location_id)) continue;
    eligible.push_back(id);
  }
  std::sort(eligible.begin(), eligible.end());
  eligible.erase(std::unique(eligible.begin(), eligible.end()), eligible.end());
  return eligible;
}

Result<std::vector<Slot>> SlotEngine::Search(const SlotQuery& query, BusyLookup& busy_lookup) const {
  if (query.to <= query.from) return Error::Invalid("to", "'to' must be after 'from'");
  if (query.to - query.from > Days(kMaxSearchDays)) {
    return Error::Invalid("to", "a search covers at most " + std::to_string(kMaxSearchDays) + " days",
                          "range_too_long");
  }
  if (query.limit < 1 || query.limit > kMaxSlotLimit) {
    return Error::Invalid("limit", "limit must be between 1 and " + std::to_string(kMaxSlotLimit));
  }
  CD_ASSIGN_OR_RETURN(const AppointmentType* type, BookableType(query.appointment_type_id));
  CD_ASSIGN_OR_RETURN(std::vector<int64_t> providers,
                      EligibleProviders(*type, query.provider_id, query.location_id));

  std::vector<Slot> found;
  found.reserve(query.limit);
  ZoneDayCache days(index_.zone_names());
  SearchScratch& scratch = ThreadScratch();
  std::vector<CandidateSlot>& cands = scratch.cands;
  std::vector<ProviderRun>& runs = scratch.runs;
  TimePoint cursor = std::max(query.from, query.not_before);
  std::chrono::hours window = kFirstWindow;
  size_t budget = std::max(kMinCandidatesPerLookup, kCandidatesPerWantedSlot * query.limit);
  while (cursor < query.to && found.size() < query.limit) {
    TimePoint window_end = query.to - cursor > window ? cursor + window : query.to;
    cands.clear();
    runs.clear();
    for (int64_t provider_id : providers) {
      const size_t begin = cands.size();
      index_.AppendSlots(provider_id, type->duration_minutes, query.location_id, cursor, window_end, days, cands);
      if (cands.size() > begin) runs.push_back({provider_id, begin, cands.size()});
    }
    if (cands.size() > budget) {
      // Plenty of candidates: look up only the earliest `budget` of them, so
      // the database returns a short time span; the rest is laid out again.
      window_end = CutAfter(cands, budget, scratch.starts);
      TrimRuns(cands, window_end, runs);
      budget *= 2;
    } else {
      window = std::min(window * 2, kMaxWindow);
    }
    if (!runs.empty()) {
      std::vector<int64_t> run_providers;
      TimePoint lo = TimePoint::max();
      TimePoint hi = TimePoint::min();
      for (const ProviderRun& run : runs) {
        run_providers.push_back(run.provider_id);
        lo = std::min(lo, cands[run.begin].start);
        hi = std::max(hi, cands[run.end - 1].end);  // equal durations: the last start ends last
      }
      std::vector<BusyInterval> busy = busy_lookup.Busy(run_providers, lo, hi);
      Coalesce(busy);
      AttachBusy(busy, runs);
      MergeOpen(cands, busy, runs, query.limit, found);
    }
    cursor = window_end;
  }
  return found;
}

Result<Slot> SlotEngine::ResolveBookingSlot(int64_t appointment_type_id, int64_t provider_id, int64_t location_id,
                                            TimePoint start) const {
  CD_ASSIGN_OR_RETURN(const AppointmentType* type, BookableType(appointment_type_id));
  CD_RETURN_IF_ERROR(EligibleProviders(*type, provider_id, location_id));
  ZoneDayCache days(index_.zone_names());
  std::vector<CandidateSlot> cands;
  index_.AppendSlots(provider_id, type->duration_minutes, location_id, start, start + std::chrono::milliseconds(1),
                     days, cands);
  if (cands.empty()) {
    const Location& location = *index_.FindLocation(location_id);
    return Error::Unprocessable("start",
                                FormatInstant(start, location.time_zone) + " is not an available slot start for '" +
                                    type->name + "' with this provider at " + location.name,
                                "not_a_slot");
  }
  const CandidateSlot& c = cands.front();
  return Slot{c.start, c.end, provider_id, c.location_id, c.room_id};
}

std::vector<TimePoint> ClaimUnits(TimePoint start, TimePoint end) {
  constexpr int64_t kUnitMs = int64_t{kSlotGranularityMinutes} * 60 * 1000;
  std::vector<TimePoint> units;
  if (end <= start) return units;
  int64_t ms = ToMillis(start);
  int64_t unit = ms / kUnitMs * kUnitMs;
  if (unit > ms) unit -= kUnitMs;  // floor for instants before 1970
  for (; unit < ToMillis(end); unit += kUnitMs) units.push_back(FromMillis(unit));
  return units;
}

}  // namespace caredesk
