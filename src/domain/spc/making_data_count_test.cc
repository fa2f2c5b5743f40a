// The Making Data Count rule helpers against NHSRplotthedots' own unit tests, transcribed in
// <data>/spc/nhsrplotthedots/reference_cases.json ("rule_functions", "assurance").
#include "domain/spc/making_data_count.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "domain/spc/testing/reference_data.h"

namespace caredesk::spc {
namespace {

namespace json = boost::json;

class MakingDataCountReference : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = testing::SpcDataDir() / "nhsrplotthedots" / "reference_cases.json";
    Result<json::value> cases = testing::ReadJson(path);
    ASSERT_TRUE(cases.ok()) << cases.error().message;
    cases_ = std::move(cases).value();
  }

  const json::array& Rule(const char* name) const { return cases_.at("rule_functions").at(name).as_array(); }

  json::value cases_;
};

std::vector<int> Ints(const json::value& v) {
  std::vector<int> out;
  for (const json::value& x : v.as_array()) out.push_back(static_cast<int>(x.to_number<double>()));
  return out;
}

std::vector<double> Doubles(const json::value& v) {
  std::vector<double> out;
  for (const json::value& x : v.as_array()) out.push_back(x.to_number<double>());
  return out;
}

TEST_F(MakingDataCountReference, SevenPointOneSideMean) {
  const json::array& cases = Rule("seven_point_one_side_mean(relative_to_mean)");
  ASSERT_EQ(cases.size(), 5u);
  for (const json::value& c : cases) {
    EXPECT_EQ(SevenPointOneSideMean(Ints(c.at("in"))), Ints(c.at("out"))) << json::serialize(c);
  }
}

TEST_F(MakingDataCountReference, SevenPointTrend) {
  const json::array& cases = Rule("seven_point_trend(y)");
  ASSERT_EQ(cases.size(), 7u);
  for (const json::value& c : cases) {
    EXPECT_EQ(SevenPointTrend(Doubles(c.at("in"))), Ints(c.at("out"))) << json::serialize(c);
  }
}

TEST_F(MakingDataCountReference, PartOfSevenRun) {
  const json::array& cases = Rule("part_of_seven_trend(seven_point_trend_flags)");
  ASSERT_EQ(cases.size(), 6u);
  for (const json::value& c : cases) {
    EXPECT_EQ(PartOfSevenRun(Ints(c.at("in"))), Ints(c.at("out"))) << json::serialize(c);
  }
}

TEST_F(MakingDataCountReference, TwoInThree) {
  const json::array& cases = Rule("two_in_three(close_to_limits, relative_to_mean)");
  ASSERT_EQ(cases.size(), 11u);
  for (const json::value& c : cases) {
    const json::array& in = c.at("in").as_array();
    EXPECT_EQ(TwoInThree(Ints(in.at(0)), Ints(in.at(1))), Ints(c.at("out"))) << json::serialize(c);
  }
}

TEST_F(MakingDataCountReference, PartOfTwoInThree) {
  int checked = 0;
  for (const json::value& c : Rule("part_of_two_in_three(two_in_three_flags, close_to_limits)")) {
    if (!c.as_object().contains("in_close")) continue;  // the note
    const std::vector<int> close = Ints(c.at("in_close"));
    EXPECT_EQ(PartOfTwoInThree(TwoInThree(close, Ints(c.at("in_rtm"))), close), Ints(c.at("out")))
        << json::serialize(c);
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST_F(MakingDataCountReference, LabelPrecedence) {
  // The per-point rule results mocked in NHSRplotthedots' ptd_special_cause_type test (see the
  // case's _note): y = 1:8.
  const std::vector<double> y = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<int> relative_to_mean = {1, 1, 1, 1, -1, -1, -1, -1};
  const std::vector<int> outside_limits = {0, 0, 0, 0, 0, 1, -1, 0};
  RuleMembership membership;
  membership.seven_trend = {1, -1, 0, 0, 0, 0, 0, 0};
  membership.seven_one_side = {0, 0, 1, -1, 0, 0, 0, 0};
  membership.two_in_three = {0, 0, 0, 0, 1, 0, 0, 0};
  const std::vector<SpecialCauseType> labels = LabelSpecialCauses(y, relative_to_mean, outside_limits, membership);

  const json::array& expected =
      cases_.at("rule_functions").at("special_cause_type_label_precedence").at("expected").as_array();
  ASSERT_EQ(labels.size(), expected.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(SpecialCauseTypeName(labels[i]), expected[i].as_string().c_str()) << "point " << i + 1;
  }
}

TEST_F(MakingDataCountReference, Assurance) {
  const json::value& assurance = cases_.at("assurance");
  const json::array& rows = assurance.at("rows").as_array();
  for (const auto& [direction_name, expected] : assurance.at("expected").as_object()) {
    const std::optional<Improvement> direction = ParseImprovement(std::string(direction_name));
    ASSERT_TRUE(direction.has_value()) << direction_name;
    for (size_t i = 0; i < rows.size(); ++i) {
      const json::value& row = rows[i];
      const std::optional<Assurance> got =
          AssuranceFor(row.at("lpl").to_number<double>(), row.at("upl").to_number<double>(),
                       row.at("target").to_number<double>(), *direction);
      const json::value& want = expected.as_array().at(i);
      if (want.is_null()) {
        EXPECT_FALSE(got.has_value()) << direction_name << " row " << i;
      } else {
        ASSERT_TRUE(got.has_value()) << direction_name << " row " << i;
        EXPECT_EQ(AssuranceName(*got), want.as_string().c_str()) << direction_name << " row " << i;
      }
    }
  }
}

TEST(MakingDataCount, PointTypeFollowsTheImprovementDirection) {
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kCommonCause, Improvement::kIncrease), PointType::kCommonCause);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kAboveUcl, Improvement::kIncrease), PointType::kSpecialCauseImprovement);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kAboveUcl, Improvement::kDecrease), PointType::kSpecialCauseConcern);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kTrendDecreasing, Improvement::kDecrease),
            PointType::kSpecialCauseImprovement);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kSevenBelow, Improvement::kIncrease), PointType::kSpecialCauseConcern);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kTwoInThreeAbove, Improvement::kNeutral),
            PointType::kSpecialCauseNeutralHigh);
  EXPECT_EQ(PointTypeFor(SpecialCauseType::kBelowLcl, Improvement::kNeutral), PointType::kSpecialCauseNeutralLow);
}

TEST(MakingDataCount, NamesRoundTrip) {
  for (Improvement i : {Improvement::kNeutral, Improvement::kIncrease, Improvement::kDecrease}) {
    EXPECT_EQ(ParseImprovement(ImprovementName(i)), i);
  }
  EXPECT_FALSE(ParseImprovement("up").has_value());
  EXPECT_EQ(PointTypeName(PointType::kSpecialCauseNeutralLow), "special_cause_neutral_low");
  EXPECT_EQ(AssuranceName(Assurance::kConsistentPass), "consistent_pass");
}

TEST(MakingDataCount, TwoInThreeNeedsAllThreeOnOneSide) {
  const std::vector<int> close = {0, 1, 0, 1};
  EXPECT_EQ(TwoInThree(close, std::vector<int>{1, 1, 1, 1}), (std::vector<int>{0, 1, 1, 1}));
  EXPECT_EQ(TwoInThree(close, std::vector<int>{1, 1, 0, 1}), (std::vector<int>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace caredesk::spc
