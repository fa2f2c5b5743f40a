// ComputeFacetCharts against qicharts2's hospital-infection summaries (tests/testthat/test_hai.R,
// stored as <data>/spc/qicharts2/expected/hai_*.csv: summary() of each chart, one row per facet
// and part) and NHSRplotthedots' faceted summary.
#include "domain/spc/spc_facets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "domain/spc/testing/reference_data.h"

namespace caredesk::spc {
namespace {

using testing::CsvTable;

constexpr double kRelativeTolerance = 1e-12;  // results agree to about 1e-14

struct Infections {
  std::vector<std::string> hospital, infection, month;
  std::vector<std::optional<double>> count, days;
};

Infections LoadInfections(const CsvTable& t) {
  Infections d;
  for (size_t row = 0; row < t.rows(); ++row) {
    d.hospital.push_back(t.Cell(row, "hospital"));
    d.infection.push_back(t.Cell(row, "infection"));
    d.month.push_back(t.Cell(row, "month"));
    d.count.push_back(t.Number(row, "n"));
    d.days.push_back(t.Number(row, "days"));
  }
  return d;
}

class HospitalInfections : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = testing::SpcDataDir() / "qicharts2";
    Result<CsvTable> input = CsvTable::Read(dir / "inputs" / "hospital_infections.csv");
    ASSERT_TRUE(input.ok()) << input.error().message;
    ASSERT_EQ(input->rows(), 432u);
    data_ = LoadInfections(*input);
  }

  // Compares the summary of `chart` (one part) with row `row` of a summary() table.
  static void ExpectSummary(const SpcChart& chart, const CsvTable& expected, size_t row, const std::string& what) {
    ASSERT_EQ(chart.parts.size(), 1u) << what;
    const SpcPart& part = chart.parts[0];
    EXPECT_EQ(part.part, static_cast<int>(*expected.Number(row, "part"))) << what;
    EXPECT_EQ(part.runs.n_obs, static_cast<int>(*expected.Number(row, "n.obs"))) << what << " n.obs";
    EXPECT_EQ(part.runs.n_useful, static_cast<int>(*expected.Number(row, "n.useful"))) << what << " n.useful";
    EXPECT_EQ(part.runs.longest_run, static_cast<int>(*expected.Number(row, "longest.run"))) << what;
    EXPECT_EQ(part.runs.longest_run_max, static_cast<int>(*expected.Number(row, "longest.run.max"))) << what;
    EXPECT_EQ(part.runs.n_crossings, static_cast<int>(*expected.Number(row, "n.crossings"))) << what;
    EXPECT_EQ(part.runs.n_crossings_min, static_cast<int>(*expected.Number(row, "n.crossings.min"))) << what;
    EXPECT_EQ(part.runs.runs_signal ? 1 : 0, static_cast<int>(*expected.Number(row, "runs.signal"))) << what;
    EXPECT_EQ(part.sigma_signals, static_cast<int>(*expected.Number(row, "sigma.signal"))) << what;
    const auto near = [&](const std::optional<double>& actual, const char* column) {
      const double want = *expected.Number(row, column);
      ASSERT_TRUE(actual.has_value()) << what << " " << column;
      EXPECT_NEAR(*actual, want, kRelativeTolerance * std::fabs(want) + 1e-15) << what << " " << column;
    };
    near(part.mean_lcl, "aLCL");
    near(part.mean_cl, "CL");
    near(part.mean_ucl, "aUCL");
  }

  static Result<CsvTable> Expected(const char* file) {
    return CsvTable::Read(testing::SpcDataDir() / "qicharts2" / "expected" / file);
  }

  // qic(month, n, days, chart = 'u'): rates per month, pooled over the rows of each month.
  SpcInput MonthlyRates() const {
    SpcInput in;
    in.chart = ChartType::kU;
    in.values = data_.count;
    in.n = data_.days;
    in.subgroup = data_.month;
    return in;
  }

  Infections data_;
};

TEST_F(HospitalInfections, OverallChartMatchesHai1) {
  Result<CsvTable> expected = Expected("hai_1.csv");
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  Result<SpcChart> chart = ComputeChart(MonthlyRates());
  ASSERT_TRUE(chart.ok()) << chart.error().message;
  EXPECT_EQ(chart->points.size(), 24u);
  ASSERT_EQ(expected->rows(), 1u);
  ExpectSummary(*chart, *expected, 0, "hai_1");
}

TEST_F(HospitalInfections, ChartPerInfectionMatchesHai2) {
  Result<CsvTable> expected = Expected("hai_2.csv");
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  Result<std::vector<FacetChart>> charts = ComputeFacetCharts(MonthlyRates(), data_.infection);
  ASSERT_TRUE(charts.ok()) << charts.error().message;
  ASSERT_EQ(charts->size(), expected->rows());
  for (size_t row = 0; row < expected->rows(); ++row) {
    const std::string facet = expected->Cell(row, "facet1");
    const auto it = std::find_if(charts->begin(), charts->end(), [&](const FacetChart& f) { return f.facet == facet; });
    ASSERT_NE(it, charts->end()) << facet;
    ExpectSummary(it->chart, *expected, row, "hai_2 " + facet);
  }
}

TEST_F(HospitalInfections, ChartPerHospitalAndInfectionMatchesHai3) {
  Result<CsvTable> expected = Expected("hai_3.csv");
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  // facets = hospital ~ infection: facet1 is the hospital, facet2 the infection.
  std::vector<std::string> facets;
  for (size_t i = 0; i < data_.hospital.size(); ++i) facets.push_back(data_.hospital[i] + "/" + data_.infection[i]);
  Result<std::vector<FacetChart>> charts = ComputeFacetCharts(MonthlyRates(), facets);
  ASSERT_TRUE(charts.ok()) << charts.error().message;
  ASSERT_EQ(charts->size(), expected->rows());
  for (size_t row = 0; row < expected->rows(); ++row) {
    const std::string facet = expected->Cell(row, "facet1") + "/" + expected->Cell(row, "facet2");
    const auto it = std::find_if(charts->begin(), charts->end(), [&](const FacetChart& f) { return f.facet == facet; });
    ASSERT_NE(it, charts->end()) << facet;
    ExpectSummary(it->chart, *expected, row, "hai_3 " + facet);
  }
}

// The funnel plot: qic(reorder(hospital, days), n, days, data = subset(hospital_infections,
// month >= '2016-07-01'), chart = 'u', facets = ~ infection, multiply = 10000). x is a factor:
// one point per hospital, ordered by the hospitals' mean risk days over the subset, and no runs
// signal because categories have no time order.
TEST_F(HospitalInfections, FunnelPlotPerInfectionMatchesHai4) {
  Result<CsvTable> expected = Expected("hai_4.csv");
  ASSERT_TRUE(expected.ok()) << expected.error().message;

  std::vector<size_t> rows;
  for (size_t i = 0; i < data_.month.size(); ++i) {
    if (data_.month[i] >= "2016-07-01") rows.push_back(i);
  }
  // reorder(): hospitals by mean days, ties in level (alphabetical) order.
  std::map<std::string, std::pair<double, int>> days_by_hospital;
  for (size_t i : rows) {
    auto& [sum, count] = days_by_hospital[data_.hospital[i]];
    sum += data_.days[i].value_or(0);
    count += data_.days[i].has_value() ? 1 : 0;
  }
  std::vector<std::string> order;
  order.reserve(days_by_hospital.size());
  for (const auto& [hospital, totals] : days_by_hospital) order.push_back(hospital);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    const auto& [sa, ca] = days_by_hospital[a];
    const auto& [sb, cb] = days_by_hospital[b];
    return sa / ca < sb / cb;
  });
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    return std::find(order.begin(), order.end(), data_.hospital[a]) <
           std::find(order.begin(), order.end(), data_.hospital[b]);
  });

  SpcInput in;
  in.chart = ChartType::kU;
  in.multiply = 10000;
  in.time_ordered = false;
  std::vector<std::string> facets;
  for (size_t i : rows) {
    in.values.push_back(data_.count[i]);
    in.n.push_back(data_.days[i]);
    in.subgroup.push_back(data_.hospital[i]);
    facets.push_back(data_.infection[i]);
  }
  Result<std::vector<FacetChart>> charts = ComputeFacetCharts(in, facets);
  ASSERT_TRUE(charts.ok()) << charts.error().message;
  ASSERT_EQ(charts->size(), expected->rows());
  for (size_t row = 0; row < expected->rows(); ++row) {
    const std::string facet = expected->Cell(row, "facet1");
    const auto it = std::find_if(charts->begin(), charts->end(), [&](const FacetChart& f) { return f.facet == facet; });
    ASSERT_NE(it, charts->end()) << facet;
    ASSERT_EQ(it->chart.points.size(), 6u);
    EXPECT_EQ(it->chart.points.front().subgroup, order.front());
    ExpectSummary(it->chart, *expected, row, "hai_4 " + facet);
  }
}

TEST(FacetCharts, KeepsFacetsInOrderOfFirstAppearanceAndCountsPositionsPerFacet) {
  SpcInput in;
  in.chart = ChartType::kI;
  in.values = {1, 10, 2, 20, 3, 30, 4, 40};
  in.freeze = 2;
  const std::vector<std::string> facets = {"b", "a", "b", "a", "b", "a", "b", "a"};
  Result<std::vector<FacetChart>> charts = ComputeFacetCharts(in, facets);
  ASSERT_TRUE(charts.ok()) << charts.error().message;
  ASSERT_EQ(charts->size(), 2u);
  EXPECT_EQ((*charts)[0].facet, "b");
  EXPECT_EQ((*charts)[1].facet, "a");
  EXPECT_DOUBLE_EQ(*(*charts)[0].chart.points[0].cl, 1.5);  // baseline: the first two points of "b"
  EXPECT_DOUBLE_EQ(*(*charts)[1].chart.points[0].cl, 15);
  EXPECT_FALSE((*charts)[1].chart.points[2].baseline);
}

TEST(FacetCharts, RejectsMismatchedFacetsAndNamesTheFacetOfAPositionError) {
  SpcInput in;
  in.values = {1, 2, 3};
  Result<std::vector<FacetChart>> mismatch = ComputeFacetCharts(in, {"a", "b"});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().field, "facets");

  in.freeze = 2;
  Result<std::vector<FacetChart>> too_short = ComputeFacetCharts(in, {"a", "a", "b"});
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.error().field, "freeze");
  EXPECT_NE(too_short.error().message.find("facet 'b'"), std::string::npos) << too_short.error().message;

  in.freeze.reset();
  in.chart = ChartType::kT;
  in.values = {1, 2, -3};
  Result<std::vector<FacetChart>> negative = ComputeFacetCharts(in, {"a", "b", "b"});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().field, "values[2]");  // the caller's index, not the facet's
}

// NHSRplotthedots test-ptd_spc.R s3: facet = rep(c(0, 1), each = 10), summary printed to 3
// significant digits.
TEST(FacetCharts, MakingDataCountSummaryPerFacet) {
  namespace json = boost::json;
  const auto path = testing::SpcDataDir() / "nhsrplotthedots" / "reference_cases.json";
  Result<json::value> cases = testing::ReadJson(path);
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  const json::value* facet_case = nullptr;
  for (const json::value& c : cases->at("xmr_limits").as_array()) {
    if (c.at("id").as_string() == "summary_facets_2x10") facet_case = &c;
  }
  ASSERT_NE(facet_case, nullptr);

  SpcInput in;
  in.chart = ChartType::kXmr;
  in.screen_outliers = facet_case->at("options").at("screen_outliers").as_bool();
  std::vector<std::string> facets;
  for (const json::value& y : facet_case->at("y").as_array()) in.values.push_back(y.to_number<double>());
  for (const json::value& f : facet_case->at("facet").as_array()) {
    facets.push_back(std::to_string(static_cast<int>(f.to_number<double>())));
  }
  Result<std::vector<FacetChart>> charts = ComputeFacetCharts(in, facets);
  ASSERT_TRUE(charts.ok()) << charts.error().message;

  const auto three_digits = [](double v) { return 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 2); };
  for (const json::value& want : facet_case->at("expected").as_array()) {
    const std::string facet = std::to_string(static_cast<int>(want.at("f").to_number<double>()));
    const auto it = std::find_if(charts->begin(), charts->end(), [&](const FacetChart& f) { return f.facet == facet; });
    ASSERT_NE(it, charts->end()) << facet;
    const SpcPoint& last = it->chart.points.back();
    for (const auto& [name, actual] :
         {std::pair<const char*, double>{"mean_col", *last.cl}, {"lpl", *last.lcl}, {"upl", *last.ucl}}) {
      const double expected = want.at(name).to_number<double>();
      EXPECT_NEAR(actual, expected, three_digits(expected)) << "facet " << facet << " " << name;
    }
    int common = 0, improvement = 0;
    for (const SpcPoint& p : it->chart.points) {
      common += p.point_type == PointType::kCommonCause ? 1 : 0;
      improvement += p.point_type == PointType::kSpecialCauseImprovement ? 1 : 0;
    }
    EXPECT_EQ(static_cast<double>(it->chart.points.size()), want.at("n").to_number<double>());
    EXPECT_EQ(common, want.at("common_cause").to_number<double>());
    EXPECT_EQ(improvement, want.at("special_cause_improvement").to_number<double>());
  }
}

}  // namespace
}  // namespace caredesk::spc
