#include "domain/scheduling/appointment_status.h"

#include <array>
#include <string>
#include <utility>

namespace caredesk {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kAllowed = {{
    {kStatusBooked, kStatusCancelled},
    {kStatusBooked, kStatusNoShow},
    {kStatusBooked, kStatusCheckedIn},
    {kStatusCheckedIn, kStatusCompleted},
}};

Status RequireKnown(std::string_view status) {
  if (IsKnownStatus(status)) return Ok();
  return Error::Invalid("status", "unknown appointment status '" + std::string(status) + "'", "unknown_status");
}

}  // namespace

bool IsKnownStatus(std::string_view status) {
  return status == kStatusBooked || status == kStatusCancelled || status == kStatusNoShow ||
         status == kStatusCheckedIn || status == kStatusCompleted;
}

Status CheckTransition(std::string_view from, std::string_view to) {
  CD_RETURN_IF_ERROR(RequireKnown(from));
  CD_RETURN_IF_ERROR(RequireKnown(to));
  for (const auto& [allowed_from, allowed_to] : kAllowed) {
    if (from == allowed_from && to == allowed_to) return Ok();
  }
  return Error::Conflict("invalid_transition",
                         "an appointment that is " + std::string(from) + " cannot become " + std::string(to), "status");
}

Status CheckReschedule(std::string_view status) {
  CD_RETURN_IF_ERROR(RequireKnown(status));
  if (status == kStatusBooked) return Ok();
  return Error::Conflict("invalid_transition",
                         "only a booked appointment can be rescheduled; this one is " + std::string(status), "status");
}

bool IsActiveStatus(std::string_view status) { return IsKnownStatus(status) && status != kStatusCancelled; }

}  // namespace caredesk
