#include "domain/spc/spc_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SpcInput Input(ChartType chart, std::vector<std::optional<double>> values) {
  SpcInput in;
  in.chart = chart;
  in.values = std::move(values);
  return in;
}

// The field of the error ComputeChart returns for `in`; "" when it succeeds.
std::string ErrorField(const SpcInput& in) {
  Result<SpcChart> chart = ComputeChart(in);
  if (chart.ok()) return "";
  EXPECT_EQ(chart.error().code, ErrorCode::kInvalidArgument) << chart.error().message;
  EXPECT_FALSE(chart.error().message.empty());
  return chart.error().field;
}

TEST(ChartType, NamesRoundTrip) {
  for (ChartType c : {ChartType::kRun, ChartType::kI, ChartType::kMr, ChartType::kXbar, ChartType::kS, ChartType::kT,
                      ChartType::kP, ChartType::kU, ChartType::kC, ChartType::kXmr}) {
    EXPECT_EQ(ParseChartType(ChartTypeName(c)), c);
  }
  EXPECT_FALSE(ParseChartType("np").has_value());
  EXPECT_FALSE(ParseChartType("XmR").has_value());
}

TEST(SpcChartInput, RejectsMissingOrMismatchedObservations) {
  EXPECT_EQ(ErrorField(Input(ChartType::kRun, {})), "values");
  EXPECT_EQ(ErrorField(Input(ChartType::kI, {1, std::numeric_limits<double>::infinity()})), "values[1]");

  SpcInput mismatched_n = Input(ChartType::kP, {1, 2, 3});
  mismatched_n.n = {10, 10};
  EXPECT_EQ(ErrorField(mismatched_n), "n");

  SpcInput mismatched_subgroup = Input(ChartType::kXbar, {1, 2, 3});
  mismatched_subgroup.subgroup = {"a", "b"};
  EXPECT_EQ(ErrorField(mismatched_subgroup), "subgroup");
}

TEST(SpcChartInput, RejectsBadDenominators) {
  SpcInput negative = Input(ChartType::kU, {1, 2});
  negative.n = {10, -1};
  EXPECT_EQ(ErrorField(negative), "n[1]");

  SpcInput zero = Input(ChartType::kU, {1, 2});
  zero.n = {0, 10};
  EXPECT_EQ(ErrorField(zero), "n[0]");

  SpcInput infinite = Input(ChartType::kU, {1, 2});
  infinite.n = {10, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(ErrorField(infinite), "n[1]");

  SpcInput over = Input(ChartType::kP, {3, 11});
  over.n = {10, 10};
  EXPECT_EQ(ErrorField(over), "values[1]");
}

TEST(SpcChartInput, RejectsWhatAChartTypeCannotUse) {
  EXPECT_EQ(ErrorField(Input(ChartType::kP, {1, 2})), "n");  // p needs n
  EXPECT_EQ(ErrorField(Input(ChartType::kU, {1, 2})), "n");
  EXPECT_EQ(ErrorField(Input(ChartType::kXbar, {1, 2})), "subgroup");
  EXPECT_EQ(ErrorField(Input(ChartType::kS, {1, 2})), "subgroup");
  SpcInput c_with_n = Input(ChartType::kC, {1, 2});
  c_with_n.n = {5, 5};
  EXPECT_EQ(ErrorField(c_with_n), "n");
  EXPECT_EQ(ErrorField(Input(ChartType::kC, {1, -2})), "values[1]");
  EXPECT_EQ(ErrorField(Input(ChartType::kT, {5, 0, 3})), "values[1]");
}

TEST(SpcChartInput, RejectsPositionsOutOfRange) {
  SpcInput freeze = Input(ChartType::kI, {1, 2, 3});
  freeze.freeze = 0;
  EXPECT_EQ(ErrorField(freeze), "freeze");
  freeze.freeze = 4;
  EXPECT_EQ(ErrorField(freeze), "freeze");
  freeze.freeze = 3;
  EXPECT_EQ(ErrorField(freeze), "");

  SpcInput exclude = Input(ChartType::kI, {1, 2, 3});
  exclude.exclude = {2, 4};
  EXPECT_EQ(ErrorField(exclude), "exclude");

  SpcInput parts = Input(ChartType::kI, {1, 2, 3, 4});
  parts.parts = {1};
  EXPECT_EQ(ErrorField(parts), "parts");
  parts.parts = {3, 2};
  EXPECT_EQ(ErrorField(parts), "parts");
  parts.parts = {5};
  EXPECT_EQ(ErrorField(parts), "parts");
  parts.parts = {2, 4};
  EXPECT_EQ(ErrorField(parts), "");

  // Positions count chart points, after grouping: three observations, two points.
  SpcInput grouped = Input(ChartType::kXbar, {1, 2, 3});
  grouped.subgroup = {"a", "a", "b"};
  grouped.exclude = {3};
  EXPECT_EQ(ErrorField(grouped), "exclude");

  SpcInput unlabelled = Input(ChartType::kI, {1, 2});
  unlabelled.subgroup = {"", ""};
  EXPECT_EQ(ErrorField(unlabelled), "subgroup");
}

TEST(SpcChartInput, RejectsBadScaleAndTarget) {
  SpcInput multiply = Input(ChartType::kI, {1, 2});
  multiply.multiply = 0;
  EXPECT_EQ(ErrorField(multiply), "multiply");
  multiply.multiply = kNaN;
  EXPECT_EQ(ErrorField(multiply), "multiply");

  SpcInput target = Input(ChartType::kI, {1, 2});
  target.target = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ErrorField(target), "target");
}

TEST(SpcChart, RunChartHasAMedianAndNoLimits) {
  Result<SpcChart> chart = ComputeChart(Input(ChartType::kRun, {3, 1, 4, 1, 5, 9, 2, 6}));
  ASSERT_TRUE(chart.ok());
  for (const SpcPoint& p : chart->points) {
    EXPECT_DOUBLE_EQ(*p.cl, 3.5);
    EXPECT_FALSE(p.lcl.has_value());
    EXPECT_FALSE(p.ucl.has_value());
    EXPECT_FALSE(p.sigma_signal);
  }
  EXPECT_EQ(chart->runs.n_useful, 8);
  EXPECT_FALSE(chart->assurance.has_value());
}

TEST(SpcChart, MissingValuesKeepTheirPlace) {
  Result<SpcChart> chart = ComputeChart(Input(ChartType::kI, {10, std::nullopt, 12, kNaN, 11, 13}));
  ASSERT_TRUE(chart.ok());
  ASSERT_EQ(chart->points.size(), 6u);
  EXPECT_FALSE(chart->points[1].y.has_value());
  EXPECT_FALSE(chart->points[3].y.has_value());
  EXPECT_DOUBLE_EQ(*chart->points[1].cl, 11.5);
  EXPECT_EQ(chart->runs.n_obs, 6);
  EXPECT_EQ(chart->runs.n_useful, 4);
  // Moving ranges next to a missing value are missing: only |13 - 11| = 2 remains.
  EXPECT_DOUBLE_EQ(*chart->points[0].ucl, 11.5 + 3 * 2 / 1.128);
}

TEST(SpcChart, ExcludedPointsAreShownButNotUsed) {
  SpcInput in = Input(ChartType::kC, {4, 5, 40, 6, 5});
  in.exclude = {3};
  Result<SpcChart> chart = ComputeChart(in);
  ASSERT_TRUE(chart.ok());
  EXPECT_DOUBLE_EQ(*chart->points[0].cl, 5);
  EXPECT_FALSE(chart->points[2].included);
  EXPECT_TRUE(chart->points[2].sigma_signal);
  EXPECT_EQ(chart->points[2].special_cause_type, SpecialCauseType::kAboveUcl);
  EXPECT_EQ(chart->runs.n_obs, 4);
}

TEST(SpcChart, PartsAreCalculatedIndependently) {
  SpcInput in = Input(ChartType::kI, {1, 2, 1, 2, 11, 12, 11, 12});
  in.parts = {5};
  Result<SpcChart> chart = ComputeChart(in);
  ASSERT_TRUE(chart.ok());
  ASSERT_EQ(chart->parts.size(), 2u);
  EXPECT_EQ(chart->parts[0].first_point, 1);
  EXPECT_EQ(chart->parts[0].last_point, 4);
  EXPECT_EQ(chart->parts[1].first_point, 5);
  EXPECT_DOUBLE_EQ(*chart->points[0].cl, 1.5);
  EXPECT_DOUBLE_EQ(*chart->points[7].cl, 11.5);
  EXPECT_EQ(chart->points[7].part, 2);
  EXPECT_EQ(chart->runs.n_obs, 4);  // the last part's
}

TEST(SpcChart, FreezeCountsFromTheStartOfEachPart) {
  SpcInput in = Input(ChartType::kXmr, {1, 3, 100, 10, 30, 100});
  in.parts = {4};
  in.freeze = 2;
  Result<SpcChart> chart = ComputeChart(in);
  ASSERT_TRUE(chart.ok());
  EXPECT_DOUBLE_EQ(*chart->points[2].cl, 2);
  EXPECT_DOUBLE_EQ(*chart->points[2].ucl, 2 + 2.66 * 2);
  EXPECT_FALSE(chart->points[2].baseline);
  EXPECT_DOUBLE_EQ(*chart->points[5].cl, 20);
  EXPECT_TRUE(chart->points[4].baseline);
}

TEST(SpcChart, MultiplyScalesValuesAndLines) {
  SpcInput in = Input(ChartType::kP, {1, 2, 3, 4});
  in.n = {10, 10, 10, 10};
  in.multiply = 100;
  Result<SpcChart> chart = ComputeChart(in);
  ASSERT_TRUE(chart.ok());
  EXPECT_DOUBLE_EQ(*chart->points[1].y, 20);
  EXPECT_DOUBLE_EQ(*chart->points[1].cl, 25);
  EXPECT_DOUBLE_EQ(*chart->points[1].ucl, 25 + 300 * std::sqrt(0.25 * 0.75 / 10));
  EXPECT_DOUBLE_EQ(*chart->points[1].lcl, 0);  // clamped at zero
}

TEST(SpcChart, MovingRangeChartNeverSignalsRuns) {
  Result<SpcChart> chart = ComputeChart(Input(ChartType::kMr, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 30}));
  ASSERT_TRUE(chart.ok());
  EXPECT_FALSE(chart->points[0].y.has_value());
  EXPECT_GT(*chart->runs.longest_run, *chart->runs.longest_run_max);
  EXPECT_FALSE(chart->runs.runs_signal);
}

TEST(SpcChart, CategoricalPointsGetNoRunsSignalNorSequenceRules) {
  SpcInput in = Input(ChartType::kI, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Result<SpcChart> series = ComputeChart(in);
  ASSERT_TRUE(series.ok());
  EXPECT_TRUE(series->runs.runs_signal);
  EXPECT_EQ(series->points[4].special_cause_type, SpecialCauseType::kTrendIncreasing);  // 5: inside the limits
  in.time_ordered = false;
  Result<SpcChart> categories = ComputeChart(in);
  ASSERT_TRUE(categories.ok());
  EXPECT_FALSE(categories->runs.runs_signal);
  EXPECT_EQ(categories->runs.longest_run, series->runs.longest_run);
  for (const SpcPoint& p : categories->points) EXPECT_EQ(p.special_cause, p.sigma_signal);
}

TEST(SpcChart, ShiftIsImprovementOrConcernByDirection) {
  SpcInput in = Input(ChartType::kXmr, {5, 4, 6, 5, 4, 6, 5, 4, 6, 5, 7, 7.5, 7, 7.5, 7, 7.5, 7, 7.5});
  in.freeze = 10;
  in.improvement = Improvement::kIncrease;
  Result<SpcChart> up = ComputeChart(in);
  ASSERT_TRUE(up.ok());
  const SpcPoint& last = up->points.back();
  EXPECT_TRUE(last.special_cause);
  EXPECT_EQ(last.point_type, PointType::kSpecialCauseImprovement);
  EXPECT_EQ(up->points[0].point_type, PointType::kCommonCause);

  in.improvement = Improvement::kDecrease;
  EXPECT_EQ(ComputeChart(in)->points.back().point_type, PointType::kSpecialCauseConcern);
  in.improvement = Improvement::kNeutral;
  EXPECT_EQ(ComputeChart(in)->points.back().point_type, PointType::kSpecialCauseNeutralHigh);
}

TEST(SpcChart, AssuranceComparesTheTargetWithTheLastLimits) {
  SpcInput in = Input(ChartType::kXmr, {10, 11, 9, 10, 11, 9, 10});
  in.improvement = Improvement::kIncrease;
  in.target = 5;
  EXPECT_EQ(ComputeChart(in)->assurance, Assurance::kConsistentPass);
  in.target = 10;
  EXPECT_EQ(ComputeChart(in)->assurance, Assurance::kInconsistent);
  in.target = 20;
  EXPECT_EQ(ComputeChart(in)->assurance, Assurance::kConsistentFail);
  in.improvement = Improvement::kNeutral;
  EXPECT_FALSE(ComputeChart(in)->assurance.has_value());
}

TEST(SpcChart, SubgroupsAverageIndividualsAndPoolProportions) {
  SpcInput i_chart = Input(ChartType::kI, {1, 3, 10, 20, 5});
  i_chart.subgroup = {"jan", "jan", "feb", "feb", "mar"};
  Result<SpcChart> means = ComputeChart(i_chart);
  ASSERT_TRUE(means.ok());
  ASSERT_EQ(means->points.size(), 3u);
  EXPECT_EQ(means->points[0].subgroup, "jan");
  EXPECT_DOUBLE_EQ(*means->points[0].y, 2);
  EXPECT_DOUBLE_EQ(*means->points[1].y, 15);

  SpcInput p_chart = Input(ChartType::kP, {1, 3, 10, 20});
  p_chart.n = {10, 30, 50, 50};
  p_chart.subgroup = {"jan", "jan", "feb", "feb"};
  Result<SpcChart> proportions = ComputeChart(p_chart);
  ASSERT_TRUE(proportions.ok());
  EXPECT_DOUBLE_EQ(*proportions->points[0].y, 0.1);
  EXPECT_DOUBLE_EQ(*proportions->points[1].y, 0.3);
  EXPECT_DOUBLE_EQ(*proportions->points[0].cl, 34.0 / 140);
}

}  // namespace
}  // namespace caredesk::spc
