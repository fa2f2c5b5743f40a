// Small multiples: one chart per facet (a ward, a hospital, an infection type), as qicharts2's
// facets argument. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "domain/spc/spc_chart.h"

namespace caredesk::spc {

struct FacetChart {
  std::string facet;
  SpcChart chart;
};

// Splits the observations of `input` (values with their n and subgroup labels) by `facets`, one
// label per value, and computes a chart per facet with the other settings of `input`; freeze,
// exclude and parts count the points of each facet. Facets come in order of first appearance.
// Errors name the field as ComputeChart does ("facets" for a size mismatch); an error found
// within one facet says which.
Result<std::vector<FacetChart>> ComputeFacetCharts(const SpcInput& input, const std::vector<std::string>& facets);

}  // namespace caredesk::spc
