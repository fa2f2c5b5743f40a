#include "domain/spc/runs_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "domain/spc/testing/reference_data.h"

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// anhoej_runs_critical_values.csv: qbinom(0.05, n - 1, 0.5) and round(log2(n)) + 3 from base R.
TEST(RunsAnalysis, CriticalValuesMatchRForOneToHundredUsefulPoints) {
  const auto path = testing::SpcDataDir() / "anhoej_runs_critical_values.csv";
  Result<testing::CsvTable> table = testing::CsvTable::Read(path);
  ASSERT_TRUE(table.ok()) << table.error().message;
  ASSERT_EQ(table->rows(), 100u) << path;
  for (size_t row = 0; row < table->rows(); ++row) {
    const int n = static_cast<int>(*table->Number(row, "n"));
    EXPECT_EQ(CrossingsMin(n), static_cast<int>(*table->Number(row, "anhoej_crossings_min"))) << "n = " << n;
    EXPECT_EQ(LongestRunMax(n), static_cast<int>(*table->Number(row, "anhoej_longest_run_max"))) << "n = " << n;
  }
}

TEST(RunsAnalysis, PublishedTableValues) {
  // Anhøj & Olesen 2014: n = 10, 20, 30, 100 → crossings ≥ 2, 6, 10, 41; longest run ≤ 6, 7, 8, 10.
  EXPECT_EQ(CrossingsMin(10), 2);
  EXPECT_EQ(CrossingsMin(20), 6);
  EXPECT_EQ(CrossingsMin(30), 10);
  EXPECT_EQ(CrossingsMin(100), 41);
  EXPECT_EQ(LongestRunMax(10), 6);
  EXPECT_EQ(LongestRunMax(100), 10);
}

TEST(BinomialQuantile, HandlesEdgesAndLargeSizesWithoutUnderflow) {
  EXPECT_EQ(BinomialQuantile(0.05, 0, 0.5), 0);
  EXPECT_EQ(BinomialQuantile(0, 10, 0.5), 0);
  EXPECT_EQ(BinomialQuantile(1, 10, 0.5), 10);
  EXPECT_EQ(BinomialQuantile(0.5, 10, 0.5), 5);
  // 0.5^5000 underflows a double; the walk in log space does not. The normal approximation puts
  // the 5% quantile of B(5000, 0.5) at 2500 - 1.645 · 35.36 ≈ 2441.8.
  const int64_t q = BinomialQuantile(0.05, 5000, 0.5);
  EXPECT_GE(q, 2440);
  EXPECT_LE(q, 2443);
  // Monotone in the size.
  int64_t previous = 0;
  for (int64_t size = 1; size < 2000; ++size) {
    const int64_t current = BinomialQuantile(0.05, size, 0.5);
    EXPECT_GE(current, previous) << size;
    previous = current;
  }
}

TEST(RunsAnalysis, CountsRunsAndCrossingsSkippingPointsOnTheCentreLine) {
  const std::vector<double> y = {1, 2, 5, 6, 5, 7, 1, 5, kNaN, 0};
  const std::vector<double> cl(y.size(), 5);
  const RunsAnalysis runs = AnalyseRuns(y, cl);
  // Signs: - - (0) + (0) + - (0) (NaN) - → useful: - - + + - -
  EXPECT_EQ(runs.n_obs, 10);
  EXPECT_EQ(runs.n_useful, 6);
  EXPECT_EQ(runs.longest_run, 2);
  EXPECT_EQ(runs.n_crossings, 2);
  EXPECT_EQ(runs.longest_run_max, LongestRunMax(6));
  EXPECT_EQ(runs.n_crossings_min, CrossingsMin(6));
  EXPECT_FALSE(runs.runs_signal);
}

TEST(RunsAnalysis, SignalsAnUnusuallyLongRun) {
  std::vector<double> y(12, 2);
  y[0] = 0;
  y[1] = 0;
  const std::vector<double> cl(y.size(), 1);
  const RunsAnalysis runs = AnalyseRuns(y, cl);
  EXPECT_EQ(runs.longest_run, 10);
  EXPECT_EQ(runs.longest_run_max, 7);
  EXPECT_TRUE(runs.runs_signal);
  EXPECT_FALSE(AnalyseRuns(y, cl, /*signal_allowed=*/false).runs_signal);
}

TEST(RunsAnalysis, NoUsefulPointsLeavesCountsAbsent) {
  const std::vector<double> y = {3, kNaN, 3};
  const std::vector<double> cl = {3, 3, 3};
  const RunsAnalysis runs = AnalyseRuns(y, cl);
  EXPECT_EQ(runs.n_obs, 3);
  EXPECT_EQ(runs.n_useful, 0);
  EXPECT_FALSE(runs.longest_run.has_value());
  EXPECT_FALSE(runs.n_crossings_min.has_value());
  EXPECT_FALSE(runs.runs_signal);
}

}  // namespace
}  // namespace caredesk::spc
