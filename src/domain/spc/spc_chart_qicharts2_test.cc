// ComputeChart against qicharts2's own reference outputs (its tests/testthat/*.rds, converted to
// CSV in <data>/spc/qicharts2/expected; inputs in .../inputs; the R call of each in SOURCE.txt).
// Every row is compared: y, cl, ucl, lcl, the part, baseline and include flags, the Anhøj runs
// analysis and the sigma signal.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "domain/spc/spc_chart.h"
#include "domain/spc/testing/reference_data.h"

namespace caredesk::spc {
namespace {

using testing::CsvTable;

// Relative agreement required of y, cl and the limits. The CSVs hold 15 significant digits and the
// results agree to about 1e-14; the margin allows for another libm.
constexpr double kRelativeTolerance = 1e-12;

struct Qicharts2Case {
  const char* expected;  // file in qicharts2/expected
  const char* input;     // file in qicharts2/inputs
  const char* x;         // the x column: one subgroup label per distinct value
  const char* y;
  const char* n;  // nullptr without denominators
  ChartType chart;
  std::function<void(SpcInput&)> options;  // the rest of the R call
};

void PrintTo(const Qicharts2Case& c, std::ostream* os) { *os << c.expected; }

const std::vector<Qicharts2Case>& Cases() {
  static const std::vector<Qicharts2Case> kCases = {
      {"ex_6.3_1.csv", "tbl_06.03.csv", "sample", "obs", nullptr, ChartType::kXbar, nullptr},
      {"ex_6.3_2.csv", "tbl_06.03.csv", "sample", "obs", nullptr, ChartType::kS, nullptr},
      {"ex_6.4_1.csv", "tbl_06.04.csv", "sample", "obs", nullptr, ChartType::kXbar, nullptr},
      {"ex_6.4_2.csv", "tbl_06.04.csv", "sample", "obs", nullptr, ChartType::kS, nullptr},
      {"ex_6.5_3.csv", "tbl_06.07.csv", "weeks", "cost", nullptr, ChartType::kI, [](SpcInput& in) { in.freeze = 20; }},
      {"ex_6.5_4.csv", "tbl_06.07.csv", "weeks", "cost", nullptr, ChartType::kMr, [](SpcInput& in) { in.freeze = 20; }},
      // qic(..., exclude = c(15, 23), part = 30): a new part starts at point 31.
      {"ex_7.1_5.csv", "tbl_07.03.csv", "sample", "count", "size", ChartType::kP,
       [](SpcInput& in) {
         in.exclude = {15, 23};
         in.parts = {31};
       }},
      {"tbl_7.4_1.csv", "tbl_07.04.csv", "sample", "count", "size", ChartType::kP, nullptr},
      {"ex_7.3_3.csv", "tbl_07.08.csv", "sample", "count", nullptr, ChartType::kC,
       [](SpcInput& in) {
         in.exclude = {6, 20};
         in.freeze = 26;
       }},
      {"ex_7.4_1.csv", "tbl_07.10.csv", "sample", "count", "size", ChartType::kU, nullptr},
      {"ex_7.5_1.csv", "tbl_07.11.csv", "roll", "count", "meters", ChartType::kU,
       [](SpcInput& in) { in.multiply = 50; }},
      {"ex_7.6_1.csv", "tbl_07.14.csv", "failure", "hours", nullptr, ChartType::kT, nullptr},
      {"NA_test.csv", "NA_test.csv", "sample", "obs", nullptr, ChartType::kXbar, nullptr},
  };
  return kCases;
}

std::string Where(const Qicharts2Case& c, size_t row, const char* column) {
  return std::string(c.expected) + " row " + std::to_string(row + 1) + " " + column;
}

void ExpectNumber(const std::optional<double>& actual, const std::optional<double>& expected,
                  const std::string& where) {
  ASSERT_EQ(actual.has_value(), expected.has_value())
      << where << ": expected " << (expected ? std::to_string(*expected) : "NA") << ", got "
      << (actual ? std::to_string(*actual) : "NA");
  if (!expected) return;
  EXPECT_NEAR(*actual, *expected, kRelativeTolerance * std::fabs(*expected) + 1e-15) << where;
}

void ExpectCount(const std::optional<int>& actual, const std::optional<double>& expected, const std::string& where) {
  ASSERT_EQ(actual.has_value(), expected.has_value()) << where;
  if (expected) {
    EXPECT_EQ(*actual, static_cast<int>(*expected)) << where;
  }
}

class Qicharts2Reference : public ::testing::TestWithParam<Qicharts2Case> {};

TEST_P(Qicharts2Reference, EveryRowMatches) {
  const Qicharts2Case& c = GetParam();
  const auto dir = testing::SpcDataDir() / "qicharts2";
  Result<CsvTable> input = CsvTable::Read(dir / "inputs" / c.input);
  ASSERT_TRUE(input.ok()) << input.error().message;
  Result<CsvTable> expected = CsvTable::Read(dir / "expected" / c.expected);
  ASSERT_TRUE(expected.ok()) << expected.error().message;

  SpcInput in;
  in.chart = c.chart;
  for (size_t row = 0; row < input->rows(); ++row) {
    in.values.push_back(input->Number(row, c.y));
    if (c.n != nullptr) in.n.push_back(input->Number(row, c.n));
    in.subgroup.push_back(input->Cell(row, c.x));  // an empty x is R's NA: the row is dropped
  }
  if (c.options) c.options(in);

  Result<SpcChart> chart = ComputeChart(in);
  ASSERT_TRUE(chart.ok()) << chart.error().field << ": " << chart.error().message;
  ASSERT_EQ(chart->points.size(), expected->rows()) << c.expected;

  for (size_t row = 0; row < expected->rows(); ++row) {
    const SpcPoint& p = chart->points[row];
    EXPECT_EQ(p.subgroup, expected->Cell(row, "x")) << Where(c, row, "x");
    EXPECT_EQ(p.part, static_cast<int>(*expected->Number(row, "part"))) << Where(c, row, "part");
    EXPECT_EQ(p.baseline, expected->Bool(row, "baseline")) << Where(c, row, "baseline");
    EXPECT_EQ(p.included, expected->Bool(row, "include")) << Where(c, row, "include");
    ExpectNumber(p.y, expected->Number(row, "y"), Where(c, row, "y"));
    ExpectNumber(p.cl, expected->Number(row, "cl"), Where(c, row, "cl"));
    ExpectNumber(p.lcl, expected->Number(row, "lcl"), Where(c, row, "lcl"));
    ExpectNumber(p.ucl, expected->Number(row, "ucl"), Where(c, row, "ucl"));
    EXPECT_EQ(p.sigma_signal, expected->Bool(row, "sigma.signal")) << Where(c, row, "sigma.signal");

    const SpcPart& part = chart->parts.at(static_cast<size_t>(p.part - 1));
    EXPECT_EQ(part.runs.n_obs, static_cast<int>(*expected->Number(row, "n.obs"))) << Where(c, row, "n.obs");
    EXPECT_EQ(part.runs.n_useful, static_cast<int>(*expected->Number(row, "n.useful"))) << Where(c, row, "n.useful");
    EXPECT_EQ(part.runs.runs_signal, expected->Bool(row, "runs.signal")) << Where(c, row, "runs.signal");
    ExpectCount(part.runs.longest_run, expected->Number(row, "longest.run"), Where(c, row, "longest.run"));
    ExpectCount(part.runs.longest_run_max, expected->Number(row, "longest.run.max"), Where(c, row, "longest.run.max"));
    ExpectCount(part.runs.n_crossings, expected->Number(row, "n.crossings"), Where(c, row, "n.crossings"));
    ExpectCount(part.runs.n_crossings_min, expected->Number(row, "n.crossings.min"), Where(c, row, "n.crossings.min"));
  }
}

INSTANTIATE_TEST_SUITE_P(Montgomery, Qicharts2Reference, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Qicharts2Case>& info) {
                           std::string name = info.param.expected;
                           name = name.substr(0, name.find(".csv"));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// Every expected file has a case above.
TEST(Qicharts2Reference, CoversEveryPerPointReferenceFile) {
  const auto dir = testing::SpcDataDir() / "qicharts2" / "expected";
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << "SPC reference data missing: " << dir << " (set CAREDESK_DATA_DIR to the directory holding spc/)";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("hai_", 0) == 0) continue;  // summaries: spc_facets_test.cc
    bool covered = false;
    for (const Qicharts2Case& c : Cases()) covered = covered || file == c.expected;
    EXPECT_TRUE(covered) << file;
  }
}

}  // namespace
}  // namespace caredesk::spc
