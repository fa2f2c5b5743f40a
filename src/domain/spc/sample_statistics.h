// Sums, means, standard deviations and medians that skip missing values (NaN) and round the way R's
// sum(), mean(), sd() and median() do with na.rm = TRUE — extended-precision accumulation and
// mean()'s second refining pass — so SPC limits agree with the R reference packages to the last
// digits. Pure functions; thread-safe.
#pragma once

#include <span>

namespace caredesk::spc {

// Sum of the values that are not NaN; 0 when there are none.
double SumPresent(std::span<const double> values);

// Mean of the values that are not NaN; NaN when there are none.
double MeanPresent(std::span<const double> values);

// Sample standard deviation (n - 1) of the values that are not NaN; NaN with fewer than two.
double SdPresent(std::span<const double> values);

// Median of the values that are not NaN; NaN when there are none.
double MedianPresent(std::span<const double> values);

}  // namespace caredesk::spc
