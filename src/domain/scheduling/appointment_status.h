// The appointment status machine. Pure functions over the status names stored
// and spoken on the wire; thread-safe.
//
//   booked ──> checked_in ──> completed
//     │
//     ├──> cancelled   (frees the slot)
//     └──> no_show     (keeps the slot: its time has passed)
//
// Rescheduling moves a booked appointment to another slot and is allowed only
// while it is booked.
#pragma once

#include <string_view>

#include "core/status.h"

namespace caredesk {

inline constexpr std::string_view kStatusBooked = "booked";
inline constexpr std::string_view kStatusCancelled = "cancelled";
inline constexpr std::string_view kStatusNoShow = "no_show";
inline constexpr std::string_view kStatusCheckedIn = "checked_in";
inline constexpr std::string_view kStatusCompleted = "completed";

bool IsKnownStatus(std::string_view status);

// Ok() when an appointment may go from `from` to `to`. An unknown name gives
// Error::Invalid on field "status"; a known but disallowed move (including
// staying put) gives Error::Conflict with reason "invalid_transition".
Status CheckTransition(std::string_view from, std::string_view to);

// Ok() when an appointment in `status` may be rescheduled (only "booked");
// otherwise Error::Conflict "invalid_transition" (or Invalid for unknown).
Status CheckReschedule(std::string_view status);

// Whether an appointment in `status` holds its slot claim, so that nobody else
// can book that time: booked, checked_in, completed and no_show do; cancelled
// does not (and neither does an unknown status).
bool IsActiveStatus(std::string_view status);

}  // namespace caredesk
