#include "domain/surveys/box_percentages.h"

#include <cmath>

namespace caredesk::surveys {
namespace {

constexpr double kHalfTolerance = 1e-9;

}  // namespace

std::optional<BoxPercentages> PercentagesOf(const BoxCounts& counts) {
  const int64_t total = counts.Total();
  if (total <= 0) return std::nullopt;
  const double n = static_cast<double>(total);
  return BoxPercentages{100.0 * static_cast<double>(counts.top) / n, 100.0 * static_cast<double>(counts.middle) / n,
                        100.0 * static_cast<double>(counts.bottom) / n};
}

Result<BoxPercentages> WeightedMeanOfBoxes(std::span<const WeightedBoxes> units) {
  double weight = 0;
  BoxPercentages sum;
  for (const WeightedBoxes& unit : units) {
    if (!std::isfinite(unit.weight) || unit.weight < 0) {
      return Error::Invalid("weight", "a roll-up weight must be a finite number of 0 or more", "invalid_weight");
    }
    weight += unit.weight;
    sum.top += unit.weight * unit.boxes.top;
    sum.middle += unit.weight * unit.boxes.middle;
    sum.bottom += unit.weight * unit.boxes.bottom;
  }
  if (weight <= 0) return Error::Invalid("weight", "the roll-up weights add up to zero", "zero_weight");
  return BoxPercentages{sum.top / weight, sum.middle / weight, sum.bottom / weight};
}

std::optional<BoxPercentages> MeanOfBoxes(std::span<const BoxPercentages> items) {
  if (items.empty()) return std::nullopt;
  BoxPercentages sum;
  for (const BoxPercentages& item : items) {
    sum.top += item.top;
    sum.middle += item.middle;
    sum.bottom += item.bottom;
  }
  const double n = static_cast<double>(items.size());
  return BoxPercentages{sum.top / n, sum.middle / n, sum.bottom / n};
}

int RoundHalfUp(double x) { return static_cast<int>(std::floor(x + 0.5 + kHalfTolerance)); }

WholeBoxes RoundToPublishedBoxes(const BoxPercentages& boxes) {
  const int top = RoundHalfUp(boxes.top);
  const int bottom = RoundHalfUp(boxes.bottom);
  return WholeBoxes{top, 100 - top - bottom, bottom};
}

}  // namespace caredesk::surveys
