// Statistical process control charts: run charts and Shewhart control charts with Anhøj runs
// analysis as qicharts2 (v0.8.1) computes them, and the Making Data Count XmR chart with its
// special-cause rules, point types and assurance as NHSRplotthedots (v0.2.2) computes them.
//
// ComputeChart is the one entry point; its input and output map field for field onto the JSON of
// an HTTP endpoint ({"chart","values","n","subgroup","freeze","exclude","parts","multiply",
// "screen_outliers","improvement","target"} → {"points":[...],"parts":[...],"runs_signal",...}).
// Positions in the input (freeze, exclude, parts) and in the output are 1-based chart points,
// i.e. counted after observations are grouped into subgroups. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/spc/chart_type.h"
#include "domain/spc/making_data_count.h"
#include "domain/spc/runs_analysis.h"

namespace caredesk::spc {

// Largest number of observations a chart accepts.
inline constexpr size_t kMaxObservations = 1'000'000;

struct SpcInput {
  ChartType chart = ChartType::kRun;
  // Observations in time order: measurements, or counts for P, U and C charts. A missing value is
  // nullopt or NaN; it keeps its place on the chart without a point.
  std::vector<std::optional<double>> values;
  // Denominators, one per value (required for P and U charts, allowed for run, I, MR and XmR
  // charts, which then plot value / n); empty when there are none. A missing or zero denominator
  // makes the observation missing.
  std::vector<std::optional<double>> n;
  // Subgroup label per value (required for Xbar and S charts, allowed for all); empty when every
  // observation is its own point. Observations sharing a label make one point (the mean, or the
  // sum over the sum of n, or the count total on C charts), in order of the label's first
  // appearance. Observations with an empty label are left out.
  std::vector<std::string> subgroup;
  // Baseline: the centre line and limits of each part come from its first `freeze` points only.
  std::optional<int> freeze;
  // Points left out of the centre line, the limits and the runs analysis, but still shown.
  std::vector<int> exclude;
  // Rebasing: the positions where a new part starts, strictly increasing, each from 2 to the number
  // of points. Each part has its own centre line, limits and runs analysis. (qicharts2's `part`
  // argument names the last point before each new part: its part = 30 is parts = {31} here.)
  std::vector<int> parts;
  // Scale of y, centre line and limits, e.g. 100 for percentages or 10000 for rates per 10,000.
  double multiply = 1;
  // Drop moving ranges of at least 3.267 times their mean before estimating sigma (I, T, XmR).
  // On by default as in both reference packages.
  bool screen_outliers = true;
  // False when the points are categories rather than a time series (e.g. a funnel plot of units):
  // no runs signal and no trend or shift rules, only points outside the limits.
  bool time_ordered = true;
  Improvement improvement = Improvement::kNeutral;
  std::optional<double> target;
};

struct SpcPoint {
  std::string subgroup;  // the subgroup label; empty when the input had none
  int part = 1;          // 1-based part the point belongs to
  bool baseline = true;  // within the frozen baseline of its part
  bool included = true;  // not excluded
  std::optional<double> y;
  std::optional<double> cl;
  std::optional<double> lcl;
  std::optional<double> ucl;
  bool sigma_signal = false;  // y outside the control limits
  bool special_cause = false;
  SpecialCauseType special_cause_type = SpecialCauseType::kCommonCause;
  PointType point_type = PointType::kCommonCause;
};

// A part of the chart with its runs analysis and, as qicharts2's summary(), the means of its lines.
struct SpcPart {
  int part = 1;
  int first_point = 1;  // 1-based, inclusive
  int last_point = 1;
  RunsAnalysis runs;
  std::optional<double> mean_lcl;
  std::optional<double> mean_cl;
  std::optional<double> mean_ucl;
  int sigma_signals = 0;  // number of points outside the control limits
};

struct SpcChart {
  ChartType chart = ChartType::kRun;
  std::vector<SpcPoint> points;
  std::vector<SpcPart> parts;
  // The runs analysis of the last part: the current process.
  RunsAnalysis runs;
  // The target against the limits of the last point that has both limits; absent without a
  // target, a direction or limits.
  std::optional<Assurance> assurance;
};

// Computes a chart. Errors are InvalidArgument naming the offending field ("values[3]", "n",
// "freeze", ...): sizes that do not match, non-finite or negative numbers where they cannot be,
// positions out of range, a chart without what it needs (n for P and U, subgroups for Xbar and S,
// positive values for T).
Result<SpcChart> ComputeChart(const SpcInput& input);

}  // namespace caredesk::spc
