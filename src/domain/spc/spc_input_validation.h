// Checks of an SpcInput before any calculation. Errors are InvalidArgument (TooLarge for too many
// observations) naming the offending field, with JSON-style 0-based indexes for array elements
// ("values[3]") and 1-based chart positions in messages. Pure; thread-safe.
#pragma once

#include "core/status.h"
#include "domain/spc/spc_chart.h"

namespace caredesk::spc {

// Checks the observations: sizes, numbers, and what the chart type needs.
Status ValidateObservations(const SpcInput& input);

// Checks freeze, exclude and parts against the number of chart points (after grouping).
Status ValidatePositions(const SpcInput& input, int point_count);

}  // namespace caredesk::spc
