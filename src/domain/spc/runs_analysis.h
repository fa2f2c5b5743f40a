// Anhøj runs analysis of a run or control chart: non-random variation shows as an unusually long
// run of points on one side of the centre line or unusually few crossings of it (Anhøj & Olesen
// 2014, as qicharts2's runs.analysis()). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace caredesk::spc {

// The result for one chart part. Counts are absent when no point is useful.
struct RunsAnalysis {
  int n_obs = 0;     // points taken into the analysis (not excluded), with or without a value
  int n_useful = 0;  // of those, points with a value that is not on the centre line
  bool runs_signal = false;
  std::optional<int> longest_run;
  std::optional<int> longest_run_max;  // round(log2(n_useful)) + 3
  std::optional<int> n_crossings;
  std::optional<int> n_crossings_min;  // qbinom(0.05, n_useful - 1, 0.5)
};

// Upper limit of the expected longest run for `n_useful` useful points (n_useful >= 1).
int LongestRunMax(int n_useful);

// Lower limit of the expected number of crossings for `n_useful` useful points (n_useful >= 1).
int CrossingsMin(int n_useful);

// R's qbinom(p, size, prob) for the lower tail: the smallest x with P(X <= x) >= p, X ~ B(size,
// prob), with R's fuzz of p * (1 - 64 * DBL_EPSILON). Requires 0 <= p <= 1, size >= 0 and
// 0 < prob < 1.
int64_t BinomialQuantile(double p, int64_t size, double prob);

// Analyses `y` against the centre line `cl` (same length; NaN marks a missing value). Points whose
// value or centre line is missing, or equal, are not useful. `signal_allowed` false keeps
// runs_signal false while still counting (qicharts2 does so for MR charts and for categorical
// subgroups, whose order carries no time).
RunsAnalysis AnalyseRuns(std::span<const double> y, std::span<const double> cl, bool signal_allowed = true);

}  // namespace caredesk::spc
