#include "domain/spc/making_data_count.h"

#include <cassert>
#include <cstdlib>

namespace caredesk::spc {
namespace {

// Length of a shift or a trend.
constexpr size_t kRunLength = 7;
// Window and count of the "2 in 3" rule.
constexpr size_t kWindow = 3;
constexpr int kCloseInWindow = 2;

int Sign(double v) { return (v > 0) - (v < 0); }

}  // namespace

std::string_view ImprovementName(Improvement improvement) {
  switch (improvement) {
    case Improvement::kNeutral:
      return "neutral";
    case Improvement::kIncrease:
      return "increase";
    case Improvement::kDecrease:
      return "decrease";
  }
  return "neutral";
}

std::optional<Improvement> ParseImprovement(std::string_view name) {
  if (name == "neutral") return Improvement::kNeutral;
  if (name == "increase") return Improvement::kIncrease;
  if (name == "decrease") return Improvement::kDecrease;
  return std::nullopt;
}

std::string_view SpecialCauseTypeName(SpecialCauseType type) {
  switch (type) {
    case SpecialCauseType::kCommonCause:
      return "Common Cause";
    case SpecialCauseType::kAboveUcl:
      return "Above UCL";
    case SpecialCauseType::kBelowLcl:
      return "Below LCL";
    case SpecialCauseType::kTrendIncreasing:
      return "7 Point Trend (Increasing)";
    case SpecialCauseType::kTrendDecreasing:
      return "7 Point Trend (Decreasing)";
    case SpecialCauseType::kTwoInThreeAbove:
      return "2 in 3 Above CL";
    case SpecialCauseType::kTwoInThreeBelow:
      return "2 in 3 Below CL";
    case SpecialCauseType::kSevenAbove:
      return "7 Points Above CL";
    case SpecialCauseType::kSevenBelow:
      return "7 Points Below CL";
  }
  return "Common Cause";
}

std::string_view PointTypeName(PointType type) {
  switch (type) {
    case PointType::kCommonCause:
      return "common_cause";
    case PointType::kSpecialCauseImprovement:
      return "special_cause_improvement";
    case PointType::kSpecialCauseConcern:
      return "special_cause_concern";
    case PointType::kSpecialCauseNeutralHigh:
      return "special_cause_neutral_high";
    case PointType::kSpecialCauseNeutralLow:
      return "special_cause_neutral_low";
  }
  return "common_cause";
}

std::string_view AssuranceName(Assurance assurance) {
  switch (assurance) {
    case Assurance::kConsistentPass:
      return "consistent_pass";
    case Assurance::kConsistentFail:
      return "consistent_fail";
    case Assurance::kInconsistent:
      return "inconsistent";
  }
  return "inconsistent";
}

std::vector<int> SevenPointOneSideMean(std::span<const int> relative_to_mean) {
  std::vector<int> out(relative_to_mean.size(), 0);
  for (size_t i = kRunLength - 1; i < relative_to_mean.size(); ++i) {
    const int side = relative_to_mean[i];
    if (side == 0) continue;
    bool same = true;
    for (size_t back = 1; back < kRunLength && same; ++back) same = relative_to_mean[i - back] == side;
    out[i] = same ? 1 : 0;
  }
  return out;
}

std::vector<int> SevenPointTrend(std::span<const double> y) {
  std::vector<int> out(y.size(), 0);
  for (size_t i = kRunLength - 1; i < y.size(); ++i) {
    const int direction = Sign(y[i] - y[i - 1]);
    if (direction == 0) continue;
    bool same = true;
    for (size_t back = 1; back + 1 < kRunLength && same; ++back) {
      same = Sign(y[i - back] - y[i - back - 1]) == direction;
    }
    out[i] = same ? direction : 0;
  }
  return out;
}

std::vector<int> PartOfSevenRun(std::span<const int> flags) {
  std::vector<int> out(flags.size(), 0);
  for (size_t i = 0; i < flags.size(); ++i) {
    for (size_t ahead = 0; ahead < kRunLength && i + ahead < flags.size(); ++ahead) {
      if (std::abs(flags[i + ahead]) == 1) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

std::vector<int> TwoInThree(std::span<const int> close_to_limits, std::span<const int> relative_to_mean) {
  assert(close_to_limits.size() == relative_to_mean.size());
  const size_t n = close_to_limits.size();
  // Does the window starting at `start` qualify? Windows reaching outside the part never do.
  const auto qualifies = [&](std::ptrdiff_t start) {
    if (start < 0 || static_cast<size_t>(start) + kWindow > n) return false;
    int close = 0;
    int side = 0;
    for (size_t k = 0; k < kWindow; ++k) {
      close += close_to_limits[start + k];
      side += relative_to_mean[start + k];
    }
    return close >= kCloseInWindow && std::abs(side) == static_cast<int>(kWindow);
  };
  std::vector<int> out(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const auto at = static_cast<std::ptrdiff_t>(i);
    out[i] = (qualifies(at - 2) || qualifies(at - 1) || qualifies(at)) ? 1 : 0;
  }
  return out;
}

std::vector<int> PartOfTwoInThree(std::span<const int> two_in_three, std::span<const int> close_to_limits) {
  assert(two_in_three.size() == close_to_limits.size());
  std::vector<int> out(two_in_three.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) out[i] = (two_in_three[i] == 1 && std::abs(close_to_limits[i]) == 1) ? 1 : 0;
  return out;
}

std::vector<SpecialCauseType> LabelSpecialCauses(std::span<const double> y, std::span<const int> relative_to_mean,
                                                 std::span<const int> outside_limits,
                                                 const RuleMembership& membership) {
  const size_t n = y.size();
  assert(relative_to_mean.size() == n && outside_limits.size() == n && membership.seven_trend.size() == n &&
         membership.two_in_three.size() == n && membership.seven_one_side.size() == n);
  std::vector<SpecialCauseType> out(n, SpecialCauseType::kCommonCause);
  for (size_t i = 0; i < n; ++i) {
    const bool above = relative_to_mean[i] > 0;
    if (outside_limits[i] != 0) {
      out[i] = relative_to_mean[i] == 1 ? SpecialCauseType::kAboveUcl : SpecialCauseType::kBelowLcl;
    } else if (membership.seven_trend[i] != 0) {
      // A point inside a trend takes the direction of the step after it, the last point of a
      // trend that of the step before it.
      const bool next_in_trend = i + 1 < n && membership.seven_trend[i + 1] != 0;
      int direction = 0;
      if (next_in_trend) {
        direction = Sign(y[i + 1] - y[i]);
      } else if (i > 0) {
        direction = Sign(y[i] - y[i - 1]);
      }
      out[i] = direction == 1 ? SpecialCauseType::kTrendIncreasing : SpecialCauseType::kTrendDecreasing;
    } else if (membership.two_in_three[i] != 0) {
      out[i] = above ? SpecialCauseType::kTwoInThreeAbove : SpecialCauseType::kTwoInThreeBelow;
    } else if (membership.seven_one_side[i] != 0) {
      out[i] = above ? SpecialCauseType::kSevenAbove : SpecialCauseType::kSevenBelow;
    }
  }
  return out;
}

std::vector<SpecialCauseType> ClassifySpecialCauses(std::span<const double> y, std::span<const int> relative_to_mean,
                                                    std::span<const int> close_to_limits,
                                                    std::span<const int> outside_limits) {
  RuleMembership membership;
  membership.seven_trend = PartOfSevenRun(SevenPointTrend(y));
  membership.two_in_three = PartOfTwoInThree(TwoInThree(close_to_limits, relative_to_mean), close_to_limits);
  membership.seven_one_side = PartOfSevenRun(SevenPointOneSideMean(relative_to_mean));
  return LabelSpecialCauses(y, relative_to_mean, outside_limits, membership);
}

PointType PointTypeFor(SpecialCauseType type, Improvement improvement) {
  int side = 0;
  switch (type) {
    case SpecialCauseType::kCommonCause:
      side = 0;
      break;
    case SpecialCauseType::kAboveUcl:
    case SpecialCauseType::kTrendIncreasing:
    case SpecialCauseType::kTwoInThreeAbove:
    case SpecialCauseType::kSevenAbove:
      side = 1;
      break;
    case SpecialCauseType::kBelowLcl:
    case SpecialCauseType::kTrendDecreasing:
    case SpecialCauseType::kTwoInThreeBelow:
    case SpecialCauseType::kSevenBelow:
      side = -1;
      break;
  }
  if (side == 0) return PointType::kCommonCause;
  switch (improvement) {
    case Improvement::kNeutral:
      return side > 0 ? PointType::kSpecialCauseNeutralHigh : PointType::kSpecialCauseNeutralLow;
    case Improvement::kIncrease:
      return side > 0 ? PointType::kSpecialCauseImprovement : PointType::kSpecialCauseConcern;
    case Improvement::kDecrease:
      return side < 0 ? PointType::kSpecialCauseImprovement : PointType::kSpecialCauseConcern;
  }
  return PointType::kCommonCause;
}

std::optional<Assurance> AssuranceFor(double lower_limit, double upper_limit, double target, Improvement improvement) {
  if (improvement == Improvement::kNeutral) return std::nullopt;
  const bool increase = improvement == Improvement::kIncrease;
  if (target > upper_limit) return increase ? Assurance::kConsistentFail : Assurance::kConsistentPass;
  if (target < lower_limit) return increase ? Assurance::kConsistentPass : Assurance::kConsistentFail;
  return Assurance::kInconsistent;
}

}  // namespace caredesk::spc
