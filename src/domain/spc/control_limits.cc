#include "domain/spc/control_limits.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <set>

#include "domain/spc/sample_statistics.h"

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSigmas = 3;         // control limits
constexpr double kWarningSigmas = 2;  // the 2-sigma lines
constexpr double kD2 = 1.128;         // mean moving range / sigma for n = 2 (Montgomery 6.33)
constexpr double kD4 = 3.267;         // upper limit of a moving range, in mean moving ranges
constexpr double kMdcLimit = 2.66;    // Making Data Count: limits at mean ± 2.66 · mean moving range
constexpr double kNelsonPower = 3.6;  // T charts: y^(1/3.6) is roughly normal for exponential y

struct Sigma {
  double cl = kNaN;
  double amr = kNaN;  // mean moving range, after screening
};

std::vector<double> BaseValues(std::span<const double> y, const std::vector<bool>& base) {
  std::vector<double> out;
  for (size_t i = 0; i < y.size(); ++i) {
    if (base[i]) out.push_back(y[i]);
  }
  return out;
}

// Mean moving range of the baseline points, consecutive in the baseline (a missing value makes
// its two moving ranges missing); with screening, ranges >= 3.267 · mean are dropped and the mean
// recomputed. `centre` is subtracted first, as qicharts2 does (NaN: plain differences, as
// NHSRplotthedots does).
double MeanMovingRange(const std::vector<double>& base_y, double centre, bool screen_outliers) {
  std::vector<double> mr;
  for (size_t i = 1; i < base_y.size(); ++i) {
    mr.push_back(std::isnan(centre) ? std::fabs(base_y[i] - base_y[i - 1])
                                    : std::fabs((base_y[i] - centre) - (base_y[i - 1] - centre)));
  }
  double amr = MeanPresent(mr);
  if (screen_outliers) {
    const double upper = kD4 * amr;
    std::vector<double> kept;
    for (double r : mr) {
      if (r < upper) kept.push_back(r);
    }
    amr = MeanPresent(kept);
  }
  return amr;
}

// Gamma-function constant of the standard deviation: E[s] = c4(n) · sigma. NaN for n <= 1.
double C4(int n) {
  if (n <= 1) return kNaN;
  int sign = 0;
  const double log_ratio = ::lgamma_r(n / 2.0, &sign) - ::lgamma_r((n - 1) / 2.0, &sign);
  return std::sqrt(2.0 / (n - 1)) * std::exp(log_ratio);
}

double A3(int n, double sigmas) {
  if (n <= 1) return kNaN;
  return sigmas / (C4(n) * std::sqrt(static_cast<double>(n)));
}

double B3(int n, double sigmas) {
  if (n <= 1) return kNaN;
  const double c4 = C4(n);
  return std::max(0.0, 1 - sigmas * std::sqrt(1 - c4 * c4) / c4);
}

double B4(int n, double sigmas) {
  if (n <= 1) return kNaN;
  const double c4 = C4(n);
  return 1 + sigmas * std::sqrt(1 - c4 * c4) / c4;
}

PartLimits Sized(std::span<const Subgroup> points) {
  const size_t n = points.size();
  PartLimits out;
  out.y.resize(n);
  for (size_t i = 0; i < n; ++i) out.y[i] = points[i].y;
  out.cl.assign(n, kNaN);
  out.lcl.assign(n, kNaN);
  out.ucl.assign(n, kNaN);
  out.lwl.assign(n, kNaN);
  out.uwl.assign(n, kNaN);
  return out;
}

void SetSymmetric(PartLimits& out, size_t i, double cl, double sigma) {
  out.cl[i] = cl;
  out.lcl[i] = cl - kSigmas * sigma;
  out.ucl[i] = cl + kSigmas * sigma;
  out.lwl[i] = cl - kWarningSigmas * sigma;
  out.uwl[i] = cl + kWarningSigmas * sigma;
}

void ClampBelowAtZero(PartLimits& out) {
  for (size_t i = 0; i < out.lcl.size(); ++i) {
    if (std::isfinite(out.lcl[i]) && out.lcl[i] < 0) out.lcl[i] = 0;
    if (std::isfinite(out.lwl[i]) && out.lwl[i] < 0) out.lwl[i] = 0;
  }
}

PartLimits Run(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  const double cl = MedianPresent(BaseValues(out.y, base));
  out.cl.assign(points.size(), cl);
  return out;
}

PartLimits Individuals(std::span<const Subgroup> points, const std::vector<bool>& base, bool screen_outliers) {
  PartLimits out = Sized(points);
  const std::vector<double> base_y = BaseValues(out.y, base);
  const double cl = MeanPresent(base_y);
  const double sigma = MeanMovingRange(base_y, cl, screen_outliers) / kD2;
  for (size_t i = 0; i < points.size(); ++i) SetSymmetric(out, i, cl, sigma);
  return out;
}

PartLimits MakingDataCountXmr(std::span<const Subgroup> points, const std::vector<bool>& base, bool screen_outliers) {
  PartLimits out = Sized(points);
  const std::vector<double> base_y = BaseValues(out.y, base);
  const double mean = MeanPresent(base_y);
  const double amr = MeanMovingRange(base_y, kNaN, screen_outliers);
  const double close = kWarningSigmas * (kMdcLimit / kSigmas);
  for (size_t i = 0; i < points.size(); ++i) {
    out.cl[i] = mean;
    out.lcl[i] = mean - kMdcLimit * amr;
    out.ucl[i] = mean + kMdcLimit * amr;
    out.lwl[i] = mean - close * amr;
    out.uwl[i] = mean + close * amr;
  }
  return out;
}

PartLimits MovingRanges(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  for (size_t i = 0; i < points.size(); ++i) {
    out.y[i] = i == 0 ? kNaN : std::fabs(points[i].y - points[i - 1].y);
  }
  const double cl = MeanPresent(BaseValues(out.y, base));
  for (size_t i = 0; i < points.size(); ++i) {
    out.cl[i] = cl;
    out.lcl[i] = 0;
    out.ucl[i] = kD4 * cl;
    out.lwl[i] = 0;
    out.uwl[i] = (kD4 / kSigmas) * kWarningSigmas * cl;
  }
  return out;
}

bool VariableSubgroupSizes(std::span<const Subgroup> points) {
  std::set<int> sizes;
  for (const Subgroup& g : points) sizes.insert(g.y_length);
  return sizes.size() > 1;
}

// The within-subgroup standard deviation of the baseline: pooled over the degrees of freedom when
// sizes vary (Montgomery 6.31), the mean standard deviation when they do not (6.29). As in
// qicharts2, an empty subgroup still adds its (0 - 1) to the pooled degrees of freedom.
double WithinSd(std::span<const Subgroup> points, const std::vector<bool>& base) {
  std::vector<double> weighted;
  std::vector<double> sds;
  long double degrees = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!base[i]) continue;
    const Subgroup& g = points[i];
    weighted.push_back((g.y_length - 1) * (g.y_sd * g.y_sd));
    sds.push_back(g.y_sd);
    degrees += g.y_length - 1;
  }
  if (!VariableSubgroupSizes(points)) return MeanPresent(sds);
  return std::sqrt(SumPresent(weighted) / static_cast<double>(degrees));
}

PartLimits SubgroupMeans(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  std::vector<double> weighted;
  long double total = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    out.y[i] = points[i].y_mean;
    if (!base[i]) continue;
    weighted.push_back(points[i].y_length * points[i].y_mean);
    total += points[i].y_length;
  }
  const double cl = SumPresent(weighted) / static_cast<double>(total);
  const double sd = WithinSd(points, base);
  for (size_t i = 0; i < points.size(); ++i) {
    const int n = points[i].y_length;
    out.cl[i] = cl;
    out.lcl[i] = cl - A3(n, kSigmas) * sd;
    out.ucl[i] = cl + A3(n, kSigmas) * sd;
    out.lwl[i] = cl - A3(n, kWarningSigmas) * sd;
    out.uwl[i] = cl + A3(n, kWarningSigmas) * sd;
  }
  return out;
}

PartLimits SubgroupSds(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  for (size_t i = 0; i < points.size(); ++i) out.y[i] = points[i].y_sd;
  const double cl = WithinSd(points, base);
  for (size_t i = 0; i < points.size(); ++i) {
    const int n = points[i].y_length;
    out.cl[i] = cl;
    out.lcl[i] = B3(n, kSigmas) * cl;
    out.ucl[i] = B4(n, kSigmas) * cl;
    out.lwl[i] = B3(n, kWarningSigmas) * cl;
    out.uwl[i] = B4(n, kWarningSigmas) * cl;
  }
  return out;
}

PartLimits TimeBetweenEvents(std::span<const Subgroup> points, const std::vector<bool>& base, bool screen_outliers) {
  std::vector<Subgroup> transformed(points.begin(), points.end());
  for (Subgroup& g : transformed) g.y = std::pow(g.y, 1 / kNelsonPower);
  PartLimits out = Individuals(transformed, base, screen_outliers);
  for (std::vector<double>* v : {&out.y, &out.cl, &out.lcl, &out.ucl, &out.lwl, &out.uwl}) {
    for (double& x : *v) x = std::pow(x, kNelsonPower);
  }
  // A negative lower limit has no real power (NaN): no lower limit above zero.
  for (std::vector<double>* v : {&out.lcl, &out.lwl}) {
    for (double& x : *v) {
      if (std::isnan(x) || x < 0) x = 0;
    }
  }
  return out;
}

// Totals of counts and denominators of the baseline: the centre line of P and U charts.
double PooledRate(std::span<const Subgroup> points, const std::vector<bool>& base) {
  std::vector<double> counts;
  std::vector<double> denominators;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!base[i]) continue;
    counts.push_back(points[i].y_sum);
    denominators.push_back(points[i].n);
  }
  return SumPresent(counts) / SumPresent(denominators);
}

PartLimits Proportions(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  const double cl = PooledRate(points, base);
  for (size_t i = 0; i < points.size(); ++i) {
    SetSymmetric(out, i, cl, std::sqrt(cl * (1 - cl) / points[i].n));
    if (std::isfinite(out.ucl[i]) && out.ucl[i] > 1) out.ucl[i] = 1;
    if (std::isfinite(out.uwl[i]) && out.uwl[i] > 1) out.uwl[i] = 1;
  }
  ClampBelowAtZero(out);
  return out;
}

PartLimits Rates(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  const double cl = PooledRate(points, base);
  for (size_t i = 0; i < points.size(); ++i) SetSymmetric(out, i, cl, std::sqrt(cl / points[i].n));
  ClampBelowAtZero(out);
  return out;
}

PartLimits Counts(std::span<const Subgroup> points, const std::vector<bool>& base) {
  PartLimits out = Sized(points);
  for (size_t i = 0; i < points.size(); ++i) out.y[i] = points[i].y_sum;
  const double cl = MeanPresent(BaseValues(out.y, base));
  for (size_t i = 0; i < points.size(); ++i) SetSymmetric(out, i, cl, std::sqrt(cl));
  ClampBelowAtZero(out);
  return out;
}

}  // namespace

PartLimits ComputePartLimits(ChartType chart, std::span<const Subgroup> points, const std::vector<bool>& base,
                             bool screen_outliers) {
  assert(points.size() == base.size());
  switch (chart) {
    case ChartType::kRun:
      return Run(points, base);
    case ChartType::kI:
      return Individuals(points, base, screen_outliers);
    case ChartType::kMr:
      return MovingRanges(points, base);
    case ChartType::kXbar:
      return SubgroupMeans(points, base);
    case ChartType::kS:
      return SubgroupSds(points, base);
    case ChartType::kT:
      return TimeBetweenEvents(points, base, screen_outliers);
    case ChartType::kP:
      return Proportions(points, base);
    case ChartType::kU:
      return Rates(points, base);
    case ChartType::kC:
      return Counts(points, base);
    case ChartType::kXmr:
      return MakingDataCountXmr(points, base, screen_outliers);
  }
  return Run(points, base);
}

}  // namespace caredesk::spc
