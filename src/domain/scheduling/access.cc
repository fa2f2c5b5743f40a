#include "domain/scheduling/access.h"

#include <algorithm>
#include <set>

namespace caredesk {

AsOfBusy::AsOfBusy(std::vector<BookingSpan> bookings) {
  for (auto& b : bookings) {
    auto& p = by_provider_[b.provider_id];
    p.longest = std::max(p.longest, std::chrono::milliseconds(b.end - b.start));
    p.by_start.push_back(std::move(b));
  }
  for (auto& [id, p] : by_provider_) {
    std::sort(p.by_start.begin(), p.by_start.end(),
              [](const BookingSpan& a, const BookingSpan& b) { return a.start < b.start; });
  }
}

std::vector<BusyInterval> AsOfBusy::Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) {
  std::vector<BusyInterval> out;
  for (int64_t id : provider_ids) {
    auto it = by_provider_.find(id);
    if (it == by_provider_.end()) continue;
    const auto& list = it->second.by_start;
    // A booking overlapping [from, to) starts before `to` and no earlier than `from` less the longest booking.
    const TimePoint earliest = from - it->second.longest;
    auto b = std::lower_bound(list.begin(), list.end(), earliest,
                              [](const BookingSpan& s, TimePoint t) { return s.start < t; });
    for (; b != list.end() && b->start < to; ++b) {
      if (b->end <= from || b->created > as_of_) continue;
      if (b->cancelled && *b->cancelled <= as_of_) continue;
      out.push_back(BusyInterval{id, b->start, b->end, 1});
    }
  }
  return out;
}

Result<std::vector<AccessReading>> ThirdNextAvailable(const SlotEngine& engine, int64_t location_id, TimePoint as_of,
                                                      BusyLookup& busy) {
  const AvailabilityIndex& index = engine.index();
  const Location* location = index.FindLocation(location_id);
  if (location == nullptr) {
    return Error::NotFound("no location with id " + std::to_string(location_id), "location");
  }
  const CivilDate today = InstantToLocal(as_of, location->time_zone).date;
  const ScheduleSnapshot& setup = index.snapshot();
  // Providers with a template here that has not ended.
  std::set<int64_t> working;
  for (const auto& t : setup.templates) {
    if (t.location_id != location_id || (t.valid_to && *t.valid_to < today)) continue;
    const Provider* p = index.FindProvider(t.provider_id);
    if (p != nullptr && p->active && AvailabilityIndex::WorksAt(*p, location_id)) working.insert(p->id);
  }
  std::vector<const AppointmentType*> types;
  for (const auto& t : setup.appointment_types) {
    if (t.active) types.push_back(&t);
  }
  std::sort(types.begin(), types.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  std::vector<AccessReading> out;
  for (const AppointmentType* type : types) {
    std::vector<int64_t> providers;
    for (int64_t id : type->provider_ids) {
      if (working.count(id)) providers.push_back(id);
    }
    std::sort(providers.begin(), providers.end());
    providers.erase(std::unique(providers.begin(), providers.end()), providers.end());
    for (int64_t provider : providers) {
      SlotQuery q;
      q.appointment_type_id = type->id;
      q.provider_id = provider;
      q.location_id = location_id;
      q.from = as_of;
      q.to = as_of + std::chrono::days(kAccessHorizonDays);
      q.not_before = as_of;
      q.limit = 3;
      CD_ASSIGN_OR_RETURN(auto slots, engine.Search(q, busy));
      AccessReading r;
      r.provider_id = provider;
      r.appointment_type_id = type->id;
      r.open_slots = static_cast<int>(slots.size());
      if (slots.size() >= 3) {
        r.third = slots[2].start;
        r.days = static_cast<int>(InstantToLocal(slots[2].start, location->time_zone).date.DaysSinceEpoch() -
                                  today.DaysSinceEpoch());
      } else {
        r.days = kAccessHorizonDays;
      }
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace caredesk
