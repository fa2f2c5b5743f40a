#include "domain/spc/runs_analysis.h"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <vector>

namespace caredesk::spc {
namespace {

// Added to the longest-run limit (Schilling 2012, as used by Anhøj).
constexpr int kLongestRunOffset = 3;
// Probability of the lower tail of the crossings limit (Chen 2010).
constexpr double kCrossingsTail = 0.05;
// R's qbinom compares the cumulative probability with p * (1 - kQuantileFuzz).
constexpr double kQuantileFuzz = 64 * DBL_EPSILON;

int Sign(double v) { return (v > 0) - (v < 0); }

}  // namespace

int LongestRunMax(int n_useful) {
  assert(n_useful >= 1);
  return static_cast<int>(std::round(std::log2(static_cast<double>(n_useful)))) + kLongestRunOffset;
}

int CrossingsMin(int n_useful) {
  assert(n_useful >= 1);
  return static_cast<int>(BinomialQuantile(kCrossingsTail, n_useful - 1, 0.5));
}

int64_t BinomialQuantile(double p, int64_t size, double prob) {
  assert(p >= 0 && p <= 1 && size >= 0 && prob > 0 && prob < 1);
  const long double target = static_cast<long double>(p * (1 - kQuantileFuzz));
  // Walks the distribution from 0 upwards in log space (no underflow for large sizes): the
  // log-probability of x + 1 follows from that of x by the ratio (size - x) / (x + 1) * prob / q.
  const long double log_odds = std::log(static_cast<long double>(prob)) - std::log1p(-static_cast<long double>(prob));
  long double log_pmf = static_cast<long double>(size) * std::log1p(-static_cast<long double>(prob));
  long double log_cdf = log_pmf;
  const long double log_target = target > 0 ? std::log(target) : -INFINITY;
  for (int64_t x = 0; x < size; ++x) {
    if (log_cdf >= log_target) return x;
    log_pmf += std::log(static_cast<long double>(size - x)) - std::log(static_cast<long double>(x + 1)) + log_odds;
    // log(exp(a) + exp(b)) without overflow.
    const long double hi = std::max(log_cdf, log_pmf);
    const long double lo = std::min(log_cdf, log_pmf);
    log_cdf = hi + std::log1p(std::exp(lo - hi));
  }
  return size;
}

RunsAnalysis AnalyseRuns(std::span<const double> y, std::span<const double> cl, bool signal_allowed) {
  assert(y.size() == cl.size());
  RunsAnalysis result;
  result.n_obs = static_cast<int>(y.size());
  std::vector<int> run_lengths;
  int previous_side = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i]) || std::isnan(cl[i])) continue;
    const int side = Sign(y[i] - cl[i]);
    if (side == 0) continue;
    ++result.n_useful;
    if (side == previous_side) {
      ++run_lengths.back();
    } else {
      run_lengths.push_back(1);
      previous_side = side;
    }
  }
  if (result.n_useful == 0) return result;
  int longest = 0;
  for (int length : run_lengths) longest = std::max(longest, length);
  result.longest_run = longest;
  result.longest_run_max = LongestRunMax(result.n_useful);
  result.n_crossings = static_cast<int>(run_lengths.size()) - 1;
  result.n_crossings_min = CrossingsMin(result.n_useful);
  result.runs_signal = signal_allowed &&
                       (*result.longest_run > *result.longest_run_max || *result.n_crossings < *result.n_crossings_min);
  return result;
}

}  // namespace caredesk::spc
