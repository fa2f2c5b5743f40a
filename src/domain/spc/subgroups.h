// Aggregation of raw observations into chart points, as qicharts2 aggregates by x: observations
// sharing a subgroup label make one point, in order of the label's first appearance. Pure;
// thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace caredesk::spc {

// One chart point before any chart-specific calculation. NaN marks a missing number.
struct Subgroup {
  std::string label;  // the subgroup label; empty when observations were not grouped
  double y_sum = 0;   // sum of the values present; NaN when none is
  int y_length = 0;   // number of values present
  double y_mean = 0;  // mean of the values present; NaN when none is
  double y_sd = 0;    // their standard deviation; NaN with fewer than two
  double n = 0;       // sum of the denominators; NaN without denominators or when none is present
  double y = 0;       // the plotted value: y_sum / n with denominators, y_mean without; NaN if missing
};

// Groups `values` (with their denominators `n`, empty when there are none) by `labels` (empty:
// every observation is its own point). With denominators an observation counts only when both
// its value and its denominator are present, as R's complete.cases(). Observations with an empty
// label are skipped (qicharts2 drops rows whose x is missing). Sizes must match (the caller
// validates).
std::vector<Subgroup> AggregateSubgroups(std::span<const std::optional<double>> values,
                                         std::span<const std::optional<double>> n, std::span<const std::string> labels);

}  // namespace caredesk::spc
