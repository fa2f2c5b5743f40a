#include "domain/spc/sample_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> Present(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

// R's mean(): the extended-precision sum divided by n, refined by the mean of the residuals.
long double RMean(const std::vector<double>& x) {
  const auto n = static_cast<long double>(x.size());
  long double s = 0;
  for (double v : x) s += v;
  s /= n;
  if (std::isfinite(static_cast<double>(s))) {
    long double t = 0;
    for (double v : x) t += v - s;
    s += t / n;
  }
  return s;
}

}  // namespace

double SumPresent(std::span<const double> values) {
  long double s = 0;
  for (double v : values) {
    if (!std::isnan(v)) s += v;
  }
  return static_cast<double>(s);
}

double MeanPresent(std::span<const double> values) {
  const std::vector<double> x = Present(values);
  if (x.empty()) return kNaN;
  return static_cast<double>(RMean(x));
}

double SdPresent(std::span<const double> values) {
  const std::vector<double> x = Present(values);
  if (x.size() < 2) return kNaN;
  // As R's var(): the mean rounded to double, squared deviations in double, summed extended.
  const auto mean = static_cast<double>(RMean(x));
  long double squares = 0;
  for (double v : x) {
    const double deviation = v - mean;
    squares += deviation * deviation;
  }
  return std::sqrt(static_cast<double>(squares / static_cast<long double>(x.size() - 1)));
}

double MedianPresent(std::span<const double> values) {
  std::vector<double> x = Present(values);
  if (x.empty()) return kNaN;
  std::sort(x.begin(), x.end());
  const size_t half = x.size() / 2;
  if (x.size() % 2 == 1) return x[half];
  return static_cast<double>(RMean({x[half - 1], x[half]}));
}

}  // namespace caredesk::spc
