// The national HCAHPS box percentages (<data>/hcahps/national_results.csv) reproduced from the
// other tables of the same release.
//
// The data set has no respondent- or hospital-level answers: only state box percentages (whole
// numbers, state_results.csv) and one row per hospital and release (responses.csv). What
// reproduces the national figures is the roll-up CMS's tables imply — a hospital-level mean:
//
//   national box % = Σ_state hospitals(state) · state box % / Σ_state hospitals(state)
//
// where hospitals(state) counts the state's rows in responses.csv for that release, then top and
// bottom box rounded half up and middle = 100 − top − bottom. It matches 85 of the 90
// release × measure rows exactly (all three boxes). The 5 others differ by one point, and cannot
// be closed from these files: the state inputs are rounded to whole percents (the rebuilt mean of
// 07_2019 H_COMP_1 top box is 80.43 and of 07_2020 H_HSP_RATING bottom box 7.49, within 0.08 of
// the rounding boundary), and state_results.csv lacks Maryland for 07_2016 (three rows) while
// responses.csv lists its 46 hospitals. Weighting by completed surveys (a patient-level mean) or
// by state (a plain mean) reproduces far fewer rows, which is how the rule was told apart.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/surveys/box_percentages.h"
#include "domain/surveys/csv_records.h"
#include "domain/surveys/hcahps_template.h"
#include "domain/surveys/hcahps_test_data.h"
#include "domain/surveys/survey_scoring.h"

namespace caredesk::surveys {
namespace {

using PeriodMeasure = std::pair<std::string, std::string>;  // release period, measure id
using PeriodState = std::pair<std::string, std::string>;    // release period, state

struct StateBoxes {
  std::string state;
  BoxPercentages boxes;
};

struct HcahpsTables {
  std::map<PeriodMeasure, WholeBoxes> national;
  std::map<PeriodMeasure, std::vector<StateBoxes>> states;
  std::map<PeriodState, int> hospitals;          // rows of responses.csv
  std::map<PeriodState, int> completed_surveys;  // numeric "Completed Surveys" summed (07_2016 on)
};

int ToInt(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) ADD_FAILURE() << "not a number: " << text;
  return value;
}

std::optional<int> MaybeInt(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A table from the data directory; nullopt after a failure naming the file or directory.
std::optional<CsvTable> LoadTable(std::string_view name) {
  auto text = testing::ReadHcahpsFile(name);
  if (!text.ok()) {
    ADD_FAILURE() << text.error().message;
    return std::nullopt;
  }
  auto table = ParseCsvTable(*text);
  if (!table.ok()) {
    ADD_FAILURE() << name << ": " << table.error().message;
    return std::nullopt;
  }
  return std::move(table).value();
}

// Column indexes by name; fails the test for a missing one.
std::vector<size_t> Columns(const CsvTable& table, std::initializer_list<std::string_view> names) {
  std::vector<size_t> out;
  for (std::string_view name : names) {
    const auto index = table.Column(name);
    if (!index) {
      ADD_FAILURE() << "column missing: " << name;
      out.push_back(0);
    } else {
      out.push_back(*index);
    }
  }
  return out;
}

std::optional<HcahpsTables> LoadTables() {
  auto national = LoadTable("national_results.csv");
  auto states = LoadTable("state_results.csv");
  auto responses = LoadTable("responses.csv");
  if (!national || !states || !responses) return std::nullopt;
  HcahpsTables t;
  {
    const auto c = Columns(*national, {"Release Period", "Measure ID", "Top-box Percentage", "Middle-box Percentage",
                                       "Bottom-box Percentage"});
    for (const CsvRecord& r : national->rows) {
      const auto& f = r.fields;
      t.national[{f[c[0]], f[c[1]]}] = WholeBoxes{ToInt(f[c[2]]), ToInt(f[c[3]]), ToInt(f[c[4]])};
    }
  }
  {
    const auto c = Columns(*states, {"Release Period", "State", "Measure ID", "Top-box Percentage",
                                     "Middle-box Percentage", "Bottom-box Percentage"});
    for (const CsvRecord& r : states->rows) {
      const auto& f = r.fields;
      t.states[{f[c[0]], f[c[2]]}].push_back(
          StateBoxes{f[c[1]], BoxPercentages{static_cast<double>(ToInt(f[c[3]])), static_cast<double>(ToInt(f[c[4]])),
                                             static_cast<double>(ToInt(f[c[5]]))}});
    }
  }
  {
    const auto c = Columns(*responses, {"Release Period", "State", "Completed Surveys"});
    for (const CsvRecord& r : responses->rows) {
      const auto& f = r.fields;
      const PeriodState key{f[c[0]], f[c[1]]};
      ++t.hospitals[key];
      if (const auto n = MaybeInt(f[c[2]])) t.completed_surveys[key] += *n;
    }
  }
  return t;
}

using WeightOf = std::function<double(const PeriodState&)>;

// The national row rebuilt from the states with the given weights; nullopt when they add up to 0.
std::optional<BoxPercentages> RollUp(const HcahpsTables& t, const PeriodMeasure& key, const WeightOf& weight) {
  std::vector<WeightedBoxes> units;
  const auto it = t.states.find(key);
  if (it == t.states.end()) return std::nullopt;
  for (const StateBoxes& s : it->second) units.push_back({s.boxes, weight({key.first, s.state})});
  auto mean = WeightedMeanOfBoxes(units);
  if (!mean.ok()) return std::nullopt;
  return *mean;
}

int CountOf(const std::map<PeriodState, int>& counts, const PeriodState& key) {
  const auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

// Rows whose three published boxes the roll-up reproduces.
int RowsReproduced(const HcahpsTables& t, const WeightOf& weight) {
  int rows = 0;
  for (const auto& [key, published] : t.national) {
    const auto mean = RollUp(t, key, weight);
    if (mean && RoundToPublishedBoxes(*mean) == published) ++rows;
  }
  return rows;
}

// The five rows the hospital-weighted roll-up misses by one point, with what it gives.
const std::map<PeriodMeasure, WholeBoxes> kKnownDeviations = {
    {{"07_2016", "H_COMP_3"}, {69, 22, 9}},      // published 68 / 23 / 9  (Maryland absent)
    {{"07_2016", "H_COMP_5"}, {65, 18, 17}},     // published 65 / 17 / 18 (Maryland absent)
    {{"07_2016", "H_RECMND"}, {72, 23, 5}},      // published 71 / 24 / 5  (Maryland absent)
    {{"07_2019", "H_COMP_1"}, {80, 16, 4}},      // published 81 / 15 / 4  (top 80.43)
    {{"07_2020", "H_HSP_RATING"}, {73, 20, 7}},  // published 73 / 19 / 8  (bottom 7.49)
};

TEST(HcahpsNational, ReproducedFromStatesWeightedByHospitalCount) {
  const auto tables = LoadTables();
  ASSERT_TRUE(tables.has_value());
  ASSERT_EQ(tables->national.size(), 90u) << "9 releases × 10 measures";
  const WeightOf by_hospitals = [&](const PeriodState& k) { return CountOf(tables->hospitals, k); };
  int exact = 0;
  for (const auto& [key, published] : tables->national) {
    SCOPED_TRACE(key.first + " " + key.second);
    const auto mean = RollUp(*tables, key, by_hospitals);
    ASSERT_TRUE(mean.has_value());
    const WholeBoxes rebuilt = RoundToPublishedBoxes(*mean);
    const auto deviation = kKnownDeviations.find(key);
    if (deviation == kKnownDeviations.end()) {
      EXPECT_EQ(rebuilt, published) << "rebuilt " << rebuilt.top << "/" << rebuilt.middle << "/" << rebuilt.bottom
                                    << ", published " << published.top << "/" << published.middle << "/"
                                    << published.bottom;
      exact += rebuilt == published ? 1 : 0;
    } else {
      EXPECT_EQ(rebuilt, deviation->second);
      EXPECT_LE(std::abs(rebuilt.top - published.top), 1);
      EXPECT_LE(std::abs(rebuilt.middle - published.middle), 1);
      EXPECT_LE(std::abs(rebuilt.bottom - published.bottom), 1);
    }
  }
  EXPECT_EQ(exact, 85);
}

TEST(HcahpsNational, DeviationsComeFromMissingOrRoundedInputs) {
  const auto tables = LoadTables();
  ASSERT_TRUE(tables.has_value());
  // Maryland reports hospitals in 07_2016 but has no state box percentages for that release.
  EXPECT_EQ(CountOf(tables->hospitals, {"07_2016", "MD"}), 46);
  for (const StateBoxes& s : tables->states.at({"07_2016", "H_COMP_3"})) EXPECT_NE(s.state, "MD");
  // The other two rebuilt means sit within 0.1 point of a rounding boundary, inside the error
  // that whole-percent state inputs allow.
  const WeightOf by_hospitals = [&](const PeriodState& k) { return CountOf(tables->hospitals, k); };
  const auto nurses = RollUp(*tables, {"07_2019", "H_COMP_1"}, by_hospitals);
  ASSERT_TRUE(nurses.has_value());
  EXPECT_NEAR(nurses->top, 80.5, 0.1);
  const auto rating = RollUp(*tables, {"07_2020", "H_HSP_RATING"}, by_hospitals);
  ASSERT_TRUE(rating.has_value());
  EXPECT_NEAR(rating->bottom, 7.5, 0.1);
}

TEST(HcahpsNational, OtherWeightingsReproduceFewerRows) {
  const auto tables = LoadTables();
  ASSERT_TRUE(tables.has_value());
  const int by_hospitals = RowsReproduced(*tables, [&](const PeriodState& k) { return CountOf(tables->hospitals, k); });
  const int by_state = RowsReproduced(*tables, [](const PeriodState&) { return 1.0; });
  // 07_2015 gives completed surveys only as bands, so those rows cannot be rebuilt this way.
  const int by_surveys =
      RowsReproduced(*tables, [&](const PeriodState& k) { return CountOf(tables->completed_surveys, k); });
  EXPECT_EQ(by_hospitals, 85);
  EXPECT_EQ(by_state, 70);
  EXPECT_EQ(by_surveys, 10);
}

// The template and the scoring engine give the published figures back when respondents answer in
// the published proportions: 100 respondents per release, every item answered, a respondent in
// the top, middle or bottom box by position. This checks the template's box definitions and the
// composite rule end to end.
TEST(HcahpsNational, TemplateScoresPublishedDistributionsExactly) {
  const auto tables = LoadTables();
  ASSERT_TRUE(tables.has_value());
  auto questions = testing::ReadHcahpsFile("questions.csv");
  ASSERT_TRUE(questions.ok()) << questions.error().message;
  auto survey = HcahpsTemplateFromCsv(*questions);
  ASSERT_TRUE(survey.ok()) << survey.error().message;

  std::set<std::string> periods;
  for (const auto& [key, boxes] : tables->national) periods.insert(key.first);
  for (const std::string& period : periods) {
    SCOPED_TRACE(period);
    std::vector<SurveyResponse> responses(100);
    for (int k = 0; k < 100; ++k) {
      SurveyResponse& response = responses[k];
      response.id = period + "-" + std::to_string(k);
      response.survey = survey->key();
      for (const SurveyItem& item : survey->items()) {
        const WholeBoxes& published = tables->national.at({period, item.measure_id});
        const std::vector<int>& box = k < published.top                      ? item.boxes.top
                                      : k < published.top + published.middle ? item.boxes.middle
                                                                             : item.boxes.bottom;
        response.answers.push_back(Answer{item.id, box.front(), std::nullopt});
      }
    }
    auto scores = ScoreResponses(*survey, responses);
    ASSERT_TRUE(scores.ok()) << scores.error().field << ": " << scores.error().message;
    for (const MeasureScore& measure : scores->measures) {
      ASSERT_TRUE(measure.boxes.has_value());
      EXPECT_EQ(RoundToPublishedBoxes(*measure.boxes), tables->national.at({period, measure.measure_id}))
          << measure.measure_id;
      EXPECT_DOUBLE_EQ(measure.boxes->top, tables->national.at({period, measure.measure_id}).top);
    }
  }
}

}  // namespace
}  // namespace caredesk::surveys
