#include "domain/surveys/hcahps_template.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>

#include "domain/surveys/hcahps_test_data.h"

namespace caredesk::surveys {
namespace {

// The template from questions.csv and measures.csv; nullopt (with a failure naming the data
// directory or the error) when it cannot be built.
std::optional<SurveyDefinition> LoadTemplate() {
  auto questions = testing::ReadHcahpsFile("questions.csv");
  auto measures = testing::ReadHcahpsFile("measures.csv");
  if (!questions.ok() || !measures.ok()) {
    ADD_FAILURE() << (questions.ok() ? measures.error().message : questions.error().message);
    return std::nullopt;
  }
  auto survey = HcahpsTemplateFromCsv(*questions, *measures);
  if (!survey.ok()) {
    ADD_FAILURE() << survey.error().field << ": " << survey.error().message;
    return std::nullopt;
  }
  return std::move(survey).value();
}

TEST(HcahpsTemplate, HasTheNineteenScoredItems) {
  const auto loaded = LoadTemplate();
  ASSERT_TRUE(loaded.has_value());
  const SurveyDefinition& survey = *loaded;
  EXPECT_EQ(survey.key(), (SurveyKey{"hcahps", 1}));
  ASSERT_EQ(survey.items().size(), 19u);
  std::set<std::string> ids;
  for (const SurveyItem& item : survey.items()) {
    ids.insert(item.id);
    EXPECT_TRUE(IsScoredKind(item.kind)) << item.id;
    EXPECT_FALSE(item.measure_id.empty()) << item.id;
  }
  // Question numbers 10, 12 and 15 are screeners and not scored.
  EXPECT_EQ(ids.count("q10") + ids.count("q12") + ids.count("q15"), 0u);
  EXPECT_EQ(survey.items().front().id, "q1");
  EXPECT_EQ(survey.items().front().text,
            "During this hospital stay, how often did nurses treat you with courtesy and respect?");
  EXPECT_EQ(survey.items().back().id, "q22");
}

TEST(HcahpsTemplate, GroupsItemsIntoTheTenMeasures) {
  const auto loaded = LoadTemplate();
  ASSERT_TRUE(loaded.has_value());
  const SurveyDefinition& survey = *loaded;
  std::map<std::string, std::vector<std::string>> measures;
  for (const Measure& m : survey.measures()) measures[m.id] = m.item_ids;
  const std::map<std::string, std::vector<std::string>> expected = {
      {"H_COMP_1", {"q1", "q2", "q3"}}, {"H_COMP_2", {"q5", "q6", "q7"}},
      {"H_COMP_3", {"q4", "q11"}},      {"H_COMP_5", {"q13", "q14"}},
      {"H_COMP_6", {"q16", "q17"}},     {"H_COMP_7", {"q20", "q21", "q22"}},
      {"H_CLEAN_HSP", {"q8"}},          {"H_QUIET_HSP", {"q9"}},
      {"H_HSP_RATING", {"q18"}},        {"H_RECMND", {"q19"}}};
  EXPECT_EQ(measures, expected);
  std::map<std::string, std::string> names;
  for (const Measure& m : survey.measures()) names[m.id] = m.name;
  EXPECT_EQ(names["H_COMP_1"], "Communication with Nurses");
  EXPECT_EQ(names["H_RECMND"], "Willingness to Recommend the Hospital");
}

TEST(HcahpsTemplate, KeepsTheExactBoxDefinitions) {
  const auto loaded = LoadTemplate();
  ASSERT_TRUE(loaded.has_value());
  const SurveyDefinition& survey = *loaded;
  const SurveyItem* nurses = survey.FindItem("q1");
  ASSERT_NE(nurses, nullptr);
  EXPECT_EQ(nurses->kind, ItemKind::kFrequency);
  EXPECT_EQ(nurses->boxes.top_label, "Always");
  EXPECT_EQ(nurses->boxes.middle_label, "Usually");
  EXPECT_EQ(nurses->boxes.bottom_label, "Sometimes or never");
  EXPECT_EQ(nurses->boxes.top, (std::vector<int>{4}));
  EXPECT_EQ(nurses->boxes.bottom, (std::vector<int>{1, 2}));

  const SurveyItem* discharge = survey.FindItem("q16");
  ASSERT_NE(discharge, nullptr);
  EXPECT_EQ(discharge->kind, ItemKind::kYesNo);
  EXPECT_EQ(discharge->boxes.top_label, "Yes");
  EXPECT_TRUE(discharge->boxes.middle.empty());
  EXPECT_EQ(discharge->boxes.middle_label, "");

  const SurveyItem* rating = survey.FindItem("q18");
  ASSERT_NE(rating, nullptr);
  EXPECT_EQ(rating->kind, ItemKind::kRating0To10);
  EXPECT_EQ(rating->boxes.top, (std::vector<int>{9, 10}));
  EXPECT_EQ(rating->boxes.middle, (std::vector<int>{7, 8}));
  EXPECT_EQ(rating->boxes.bottom_label, "0 to 6");

  const SurveyItem* recommend = survey.FindItem("q19");
  ASSERT_NE(recommend, nullptr);
  EXPECT_EQ(recommend->kind, ItemKind::kRecommend);
  EXPECT_EQ(recommend->boxes.top, (std::vector<int>{4}));
  EXPECT_EQ(recommend->boxes.bottom_label, "Probably no or definitely no");

  const SurveyItem* transition = survey.FindItem("q20");
  ASSERT_NE(transition, nullptr);
  EXPECT_EQ(transition->kind, ItemKind::kAgreement);
  EXPECT_EQ(transition->boxes.top_label, "Strongly Agree");
  EXPECT_EQ(transition->boxes.top, (std::vector<int>{4}));
  EXPECT_EQ(transition->boxes.bottom, (std::vector<int>{1, 2}));
}

TEST(HcahpsTemplate, WorksWithoutMeasureNames) {
  auto questions = testing::ReadHcahpsFile("questions.csv");
  ASSERT_TRUE(questions.ok()) << questions.error().message;
  auto survey = HcahpsTemplateFromCsv(*questions);
  ASSERT_TRUE(survey.ok()) << survey.error().message;
  EXPECT_EQ(survey->measures().size(), 10u);
  EXPECT_EQ(survey->measures()[0].name, "");
}

constexpr std::string_view kHeader =
    "Question Num,Measure ID,Question,Bottom-box Answer,Middle-box Answer,Top-box Answer\n";

TEST(HcahpsTemplate, RejectsAnUnknownScaleNamingTheRow) {
  const std::string csv = std::string(kHeader) + "1,H_X,\"How often?\",Sometimes or never,Usually,Always\n" +
                          "2,H_X,\"How?\",Rarely,Often,Constantly\n";
  auto survey = HcahpsTemplateFromCsv(csv);
  ASSERT_FALSE(survey.ok());
  EXPECT_EQ(survey.error().field, "rows[3].Top-box Answer");
  EXPECT_EQ(survey.error().reason, "unknown_scale");
}

TEST(HcahpsTemplate, RejectsMissingColumnsShortRowsAndBadNumbers) {
  auto missing = HcahpsTemplateFromCsv("Question Num,Measure ID,Question\n1,H,Q\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "Bottom-box Answer");

  auto short_row = HcahpsTemplateFromCsv(std::string(kHeader) + "1,H_X,Q\n");
  ASSERT_FALSE(short_row.ok());
  EXPECT_EQ(short_row.error().reason, "short_row");

  auto bad_number = HcahpsTemplateFromCsv(std::string(kHeader) + "one,H_X,Q,No,,Yes\n");
  ASSERT_FALSE(bad_number.ok());
  EXPECT_EQ(bad_number.error().field, "rows[2].Question Num");

  auto duplicate = HcahpsTemplateFromCsv(std::string(kHeader) + "1,H_X,Q,No,,Yes\n1,H_X,Q,No,,Yes\n");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().field, "items[1].id");
}

}  // namespace
}  // namespace caredesk::surveys
