// NHS England "Making Data Count" special-cause rules and icons, as NHSRplotthedots v0.2.2
// implements them: a point is special cause when it lies outside the process limits, belongs to a
// run of 7 points on one side of the mean, to a run of 7 points each higher (or each lower) than
// the one before, or is one of 2 out of 3 consecutive points on the same side of the mean beyond
// two thirds of the way to a limit (beyond 2 sigma). Point types colour the points for the
// improvement direction; assurance compares the limits with a target.
//
// The rule helpers take one part of a chart as plain vectors; signs are -1/0/+1 and flags 0/1, as
// in the R package, so they can be checked against its unit tests. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace caredesk::spc {

// Which way is better.
enum class Improvement { kNeutral, kIncrease, kDecrease };
std::string_view ImprovementName(Improvement improvement);  // "neutral", "increase", "decrease"
std::optional<Improvement> ParseImprovement(std::string_view name);

// Why a point is special cause, in NHSRplotthedots' order of precedence.
enum class SpecialCauseType {
  kCommonCause,
  kAboveUcl,
  kBelowLcl,
  kTrendIncreasing,
  kTrendDecreasing,
  kTwoInThreeAbove,
  kTwoInThreeBelow,
  kSevenAbove,
  kSevenBelow,
};
// NHSRplotthedots' labels: "Common Cause", "Above UCL", "7 Point Trend (Increasing)",
// "2 in 3 Below CL", "7 Points Above CL", ...
std::string_view SpecialCauseTypeName(SpecialCauseType type);

// The icon colour of a point.
enum class PointType {
  kCommonCause,
  kSpecialCauseImprovement,
  kSpecialCauseConcern,
  kSpecialCauseNeutralHigh,
  kSpecialCauseNeutralLow,
};
// "common_cause", "special_cause_improvement", "special_cause_concern",
// "special_cause_neutral_high", "special_cause_neutral_low".
std::string_view PointTypeName(PointType type);

// Whether the process will meet a target.
enum class Assurance { kConsistentPass, kConsistentFail, kInconsistent };
std::string_view AssuranceName(Assurance assurance);  // "consistent_pass", ...

// 1 at each point that completes 7 consecutive points with the same non-zero sign.
std::vector<int> SevenPointOneSideMean(std::span<const int> relative_to_mean);

// +1 (-1) at each point that completes 7 consecutive strictly increasing (decreasing) values.
std::vector<int> SevenPointTrend(std::span<const double> y);

// 1 at each point that belongs to a run flagged by SevenPointOneSideMean or SevenPointTrend: the
// flagged point and the 6 before it.
std::vector<int> PartOfSevenRun(std::span<const int> flags);

// 1 at each point of a window of 3 consecutive points, all on the same side of the mean, of which
// at least 2 are close to the limits (`close_to_limits` is 0/1).
std::vector<int> TwoInThree(std::span<const int> close_to_limits, std::span<const int> relative_to_mean);

// The points of such windows that are themselves close to the limits.
std::vector<int> PartOfTwoInThree(std::span<const int> two_in_three, std::span<const int> close_to_limits);

// Rule memberships of each point of a part (0 or ±1 each).
struct RuleMembership {
  std::vector<int> seven_trend;     // PartOfSevenRun(SevenPointTrend(y))
  std::vector<int> two_in_three;    // PartOfTwoInThree(TwoInThree(...), close_to_limits)
  std::vector<int> seven_one_side;  // PartOfSevenRun(SevenPointOneSideMean(...))
};

// Labels each point from its rule memberships by NHSRplotthedots' precedence: outside the limits,
// then trend (direction from the neighbouring differences of y), then 2 in 3, then 7 on one side.
std::vector<SpecialCauseType> LabelSpecialCauses(std::span<const double> y, std::span<const int> relative_to_mean,
                                                 std::span<const int> outside_limits, const RuleMembership& membership);

// Applies all rules to one part: `y` its values, `relative_to_mean` sign(y - centre line),
// `close_to_limits` 1 beyond 2 sigma but inside the limits, `outside_limits` 1 outside the limits.
std::vector<SpecialCauseType> ClassifySpecialCauses(std::span<const double> y, std::span<const int> relative_to_mean,
                                                    std::span<const int> close_to_limits,
                                                    std::span<const int> outside_limits);

// The icon of a point: improvement or concern by the side or direction of its special cause.
PointType PointTypeFor(SpecialCauseType type, Improvement improvement);

// Compares a target with the process limits: a target beyond the upper limit is always failed
// when higher is better (always met when lower is better), and the reverse below the lower limit;
// otherwise the process meets it inconsistently. Absent for a neutral direction.
std::optional<Assurance> AssuranceFor(double lower_limit, double upper_limit, double target, Improvement improvement);

}  // namespace caredesk::spc
