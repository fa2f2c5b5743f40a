// How much template time providers offered: the denominator of utilisation.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/civil_time.h"
#include "domain/scheduling/schedule_model.h"

namespace caredesk {

// Minutes of availability-template time on each local day of [from, to] at `location_id` (one entry a day, in
// order), for one provider or all, with the exceptions taken out: a whole-day exception removes the day, a
// partial one the minutes it blocks. Minutes are wall-clock minutes, so a 09:00–17:00 template is 480 minutes on
// a daylight-saving change day too. An exception applies to a template when its provider is the template's or
// none, and its location the template's or none. Overlapping templates of one provider count once.
std::vector<double> AvailableMinutes(std::span<const AvailabilityTemplate> templates,
                                     std::span<const ScheduleException> exceptions, int64_t location_id,
                                     std::optional<int64_t> provider_id, const CivilDate& from, const CivilDate& to);

}  // namespace caredesk
