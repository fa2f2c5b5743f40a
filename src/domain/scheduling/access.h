// Third next available appointment (IHI; BRIEF §3): the days from a request to
// the third open slot of a visit type with a provider. The third rather than
// the first, because a first or second opening is often a chance
// cancellation. CareDesk has no held or frozen slots: the open slots are those
// the slot engine offers (templates less exceptions, less what is booked).
// Pure; thread-safe where noted.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/civil_time.h"
#include "core/clock.h"
#include "domain/scheduling/slot_engine.h"

namespace caredesk {

// How far ahead the third open slot is looked for. A provider whose third open slot lies further away is
// recorded at the horizon ("censored"), never dropped, so a fully booked provider raises the mean.
inline constexpr int kAccessHorizonDays = 90;

// A booking and when it was made and cancelled: enough to say what was booked at any past instant.
struct BookingSpan {
  int64_t provider_id = 0;
  TimePoint start{};
  TimePoint end{};
  TimePoint created{};
  std::optional<TimePoint> cancelled{};  // when it was cancelled, if it was
};

// The slot engine's BusyLookup as the calendar stood at one instant: the
// bookings made by then and not yet cancelled then. Appointments moved by a
// reschedule count at their present time from their creation (the history
// keeps no earlier times). Not thread-safe: one per thread.
class AsOfBusy final : public BusyLookup {
 public:
  explicit AsOfBusy(std::vector<BookingSpan> bookings);
  void SetAsOf(TimePoint as_of) { as_of_ = as_of; }
  std::vector<BusyInterval> Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) override;

 private:
  struct Bookings {
    std::vector<BookingSpan> by_start;  // sorted by start
    std::chrono::milliseconds longest{};                 // the longest booking, to bound the search back from `from`
  };
  std::unordered_map<int64_t, Bookings> by_provider_;
  TimePoint as_of_{};
};

struct AccessReading {
  int64_t provider_id = 0;
  int64_t appointment_type_id = 0;
  int days = 0;                    // from the request's local date to the third open slot's; kAccessHorizonDays when censored
  std::optional<TimePoint> third;  // the third open slot's start; none when fewer than three in the horizon
  int open_slots = 0;              // found in the horizon, at most 3
};

// Third next available at a location for a request made at `as_of`: one
// reading for each active appointment type and each active provider allowed
// to do it who has an availability template at the location still valid on
// the request's local date. Slots are those of the provider at this location
// starting at or after `as_of`, within kAccessHorizonDays; the days are
// counted between local dates in the location's zone (a third slot later the
// same day is 0). Ordered by (type, provider). Errors: unknown location.
Result<std::vector<AccessReading>> ThirdNextAvailable(const SlotEngine& engine, int64_t location_id, TimePoint as_of,
                                                      BusyLookup& busy);

}  // namespace caredesk
