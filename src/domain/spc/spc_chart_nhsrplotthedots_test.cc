// The Making Data Count XmR chart (ChartType::kXmr) against NHSRplotthedots' tests and snapshots,
// transcribed in <data>/spc/nhsrplotthedots/reference_cases.json ("xmr_limits", "end_to_end").
// Snapshot numbers are printed to 7 significant digits (glimpse) or 3 (summary): each is checked
// to half a unit of its last printed digit.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "domain/spc/spc_chart.h"
#include "domain/spc/testing/reference_data.h"

namespace caredesk::spc {
namespace {

namespace json = boost::json;

// Half a unit in the last of `digits` significant digits of `v`.
double PrintedTolerance(double v, int digits) {
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(v))) - (digits - 1));
}

int Sign(double v) { return (v > 0) - (v < 0); }

class NhsrPlotTheDotsReference : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = testing::SpcDataDir() / "nhsrplotthedots" / "reference_cases.json";
    Result<json::value> cases = testing::ReadJson(path);
    ASSERT_TRUE(cases.ok()) << cases.error().message;
    cases_ = std::move(cases).value();
  }

  const json::value& Case(const char* section, const char* id) const {
    for (const json::value& c : cases_.at(section).as_array()) {
      if (c.at("id").as_string() == id) return c;
    }
    ADD_FAILURE() << "no case " << id << " in " << section;
    static const json::value kNull;
    return kNull;
  }

  // ptd_spc(data, value_field = "y", date_field = "x", ...) with the case's options.
  static SpcChart Compute(const json::value& c) {
    SpcInput in;
    in.chart = ChartType::kXmr;
    for (const json::value& y : c.at("y").as_array()) in.values.push_back(y.to_number<double>());
    const json::object& options = c.at("options").as_object();
    in.screen_outliers = options.at("screen_outliers").as_bool();
    if (const json::value* direction = options.if_contains("improvement_direction")) {
      in.improvement = ParseImprovement(std::string(direction->as_string())).value();
    }
    Result<SpcChart> chart = ComputeChart(in);
    EXPECT_TRUE(chart.ok()) << chart.error().message;
    return chart.ok() ? std::move(chart).value() : SpcChart{};
  }

  // mean_col, lpl and upl of the chart (constant across points) against `expected`.
  static void ExpectLimits(const SpcChart& chart, const json::value& expected, int digits, const std::string& id) {
    ASSERT_FALSE(chart.points.empty());
    const SpcPoint& p = chart.points.front();
    for (const auto& [name, actual] :
         {std::pair<const char*, std::optional<double>>{"mean_col", p.cl}, {"lpl", p.lcl}, {"upl", p.ucl}}) {
      const double want = expected.at(name).to_number<double>();
      ASSERT_TRUE(actual.has_value()) << id << " " << name;
      EXPECT_NEAR(*actual, want, PrintedTolerance(want, digits)) << id << " " << name;
    }
  }

  json::value cases_;
};

TEST_F(NhsrPlotTheDotsReference, LimitsWithScreenedMovingRanges) {
  const json::value& c = Case("xmr_limits", "r1_rnorm20_screen_true");
  const SpcChart chart = Compute(c);
  const json::value& expected = c.at("expected");
  ExpectLimits(chart, expected, 7, "r1");
  bool any_outside = false;
  for (const SpcPoint& p : chart.points) any_outside = any_outside || p.sigma_signal;
  EXPECT_EQ(any_outside, expected.at("outside_limits_any").as_bool());
  const json::array& relative = expected.at("relative_to_mean_first14").as_array();
  for (size_t i = 0; i < relative.size(); ++i) {
    EXPECT_EQ(Sign(*chart.points[i].y - *chart.points[i].cl), static_cast<int>(relative[i].to_number<double>()))
        << "point " << i + 1;
  }
}

TEST_F(NhsrPlotTheDotsReference, ScreeningDropsTheOutlierMovingRanges) {
  const json::value& c = Case("xmr_limits", "r2_outlier_y15_eq_10_screen_true");
  const SpcChart chart = Compute(c);
  ExpectLimits(chart, c.at("expected"), 7, "r2");
  const json::array& relative = c.at("expected").at("relative_to_mean_first13").as_array();
  for (size_t i = 0; i < relative.size(); ++i) {
    EXPECT_EQ(Sign(*chart.points[i].y - *chart.points[i].cl), static_cast<int>(relative[i].to_number<double>()))
        << "point " << i + 1;
  }
  // The outlier itself is above the upper limit.
  EXPECT_TRUE(chart.points[14].sigma_signal);
  EXPECT_EQ(chart.points[14].special_cause_type, SpecialCauseType::kAboveUcl);
}

TEST_F(NhsrPlotTheDotsReference, UnscreenedOutlierWidensTheLimits) {
  const json::value& c = Case("xmr_limits", "r3_outlier_y15_eq_10_screen_false");
  ExpectLimits(Compute(c), c.at("expected"), 7, "r3");
}

TEST_F(NhsrPlotTheDotsReference, SummaryOfACommonCauseProcess) {
  const json::value& c = Case("xmr_limits", "summary_no_facet");
  const SpcChart chart = Compute(c);
  const json::value& expected = c.at("expected");
  ExpectLimits(chart, expected, 3, "summary");
  int common = 0, improvement = 0;
  for (const SpcPoint& p : chart.points) {
    common += p.point_type == PointType::kCommonCause ? 1 : 0;
    improvement += p.point_type == PointType::kSpecialCauseImprovement ? 1 : 0;
  }
  EXPECT_EQ(static_cast<double>(chart.points.size()), expected.at("n").to_number<double>());
  EXPECT_EQ(common, expected.at("common_cause").to_number<double>());
  EXPECT_EQ(improvement, expected.at("special_cause_improvement").to_number<double>());
}

TEST_F(NhsrPlotTheDotsReference, TwoOfThreeCloseToLimitsMustBeOnOneSide) {
  const json::value& c = Case("end_to_end", "two_of_three_opposite_sides");
  const SpcChart chart = Compute(c);
  const json::array& expected = c.at("expected").at("point_type_last2").as_array();
  ASSERT_GE(chart.points.size(), 2u);
  const size_t first = chart.points.size() - 2;
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(PointTypeName(chart.points[first + k].point_type), expected[k].as_string().c_str())
        << "point " << first + k + 1;
  }
  // Both are beyond 2 sigma, on opposite sides: the rule needs them on one side.
  const SpcPoint& high = chart.points[first];
  EXPECT_GT(*high.y, *high.cl + (2.0 / 3.0) * (*high.ucl - *high.cl));
  EXPECT_LT(*high.y, *high.ucl);
}

}  // namespace
}  // namespace caredesk::spc
