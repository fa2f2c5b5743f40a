// SlotEngine: open-slot search ("first available") and booking-time slot
// validation over an immutable schedule snapshot. Layout rules, including the
// DST rules, are those of AvailabilityIndex (availability_index.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/scheduling/availability_index.h"
#include "domain/scheduling/schedule_model.h"

namespace caredesk {

// Bookings are claimed on this grid: a booking of [start, end) owns every
// epoch-aligned 5-minute unit in ClaimUnits(start, end). Template minutes and
// durations are multiples of 5 and real-world UTC offsets are multiples of
// 15 minutes, so slot boundaries always fall on the grid.
inline constexpr int kSlotGranularityMinutes = 5;
inline constexpr int kMaxSearchDays = 366;
inline constexpr size_t kMaxSlotLimit = 500;

// What is already booked, as seen by the storage layer (which implements it
// against the database); tests use an in-memory fake. Returns the busy
// intervals of `provider_ids` that overlap [from, to), in any order; intervals
// of other providers are ignored. Called from the thread that calls Search.
class BusyLookup {
 public:
  virtual ~BusyLookup() = default;
  virtual std::vector<BusyInterval> Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) = 0;
};

struct SlotQuery {
  int64_t appointment_type_id = 0;
  TimePoint from{};  // slots starting in [from, to)
  TimePoint to{};
  std::optional<int64_t> provider_id{};
  std::optional<int64_t> location_id{};
  size_t limit = 20;       // 1..kMaxSlotLimit
  TimePoint not_before{};  // "now": slots starting earlier are never offered
};

// Thread-safe: Search and ResolveBookingSlot are const and may run
// concurrently; each call keeps its own scratch state.
class SlotEngine {
 public:
  explicit SlotEngine(ScheduleSnapshot snapshot);

  // The first `limit` open slots of the query, in order of (start, provider
  // id, location id). Eligible providers are the type's providers that are
  // active, narrowed to `provider_id` and to those working at `location_id`.
  // A slot is open when no busy interval (bookings >= 1) of its provider
  // overlaps it; overbooking is decided at booking time, not here.
  // The range is walked in growing windows (8, 16, 32 ... hours, at most 32
  // days) with one BusyLookup call per window that has candidates, only for
  // the providers with candidates, stopping as soon as `limit` slots are
  // found. A window holding many more candidates than `limit` needs (12 per slot,
  // doubling on each retry) is cut short so the lookup spans little time.
  // Errors: to <= from, range over 366 days -> Invalid "to"; bad limit ->
  // Invalid "limit"; unknown type -> NotFound "appointment_type"; inactive
  // type -> Unprocessable "appointment_type"; unknown provider/location ->
  // NotFound "provider"/"location"; provider inactive or not allowed to do the
  // type -> Unprocessable "provider"; provider not at the location ->
  // Unprocessable "location".
  Result<std::vector<Slot>> Search(const SlotQuery& query, BusyLookup& busy) const;

  // Booking-time check that `start` is exactly the start of a slot the
  // templates give this type, provider and location (not in an exception, not
  // in a DST gap). Returns that slot with its end and room. Does not look at
  // bookings (storage claims the units) nor at the current time (the caller
  // refuses starts in the past). Errors as for Search, plus Unprocessable
  // "start" with reason "not_a_slot".
  Result<Slot> ResolveBookingSlot(int64_t appointment_type_id, int64_t provider_id, int64_t location_id,
                                  TimePoint start) const;

  const AvailabilityIndex& index() const { return index_; }

 private:
  Result<const AppointmentType*> BookableType(int64_t appointment_type_id) const;
  Result<std::vector<int64_t>> EligibleProviders(const AppointmentType& type, std::optional<int64_t> provider_id,
                                                 std::optional<int64_t> location_id) const;

  AvailabilityIndex index_;
};

// The kSlotGranularityMinutes units (their start instants, UTC-epoch aligned)
// that [start, end) touches, in order; empty when end <= start. Storage
// inserts one claim row per (provider, unit) under a unique index so that two
// concurrent bookings of overlapping time cannot both commit. Overbooking, when
// the provider allows it, claims the same units with a higher seat number
// (1..max_overbook) in that unique key.
std::vector<TimePoint> ClaimUnits(TimePoint start, TimePoint end);

}  // namespace caredesk
