#include "domain/surveys/survey_scoring.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

SurveyDefinition Survey() {
  SurveyDraft draft;
  draft.id = "clinic";
  draft.items = {MakeItem("courtesy", "How often did nurses treat you with courtesy?", ItemKind::kFrequency, "nurses"),
                 MakeItem("listen", "How often did nurses listen to you?", ItemKind::kFrequency, "nurses"),
                 MakeItem("discharge", "Did you get written discharge information?", ItemKind::kYesNo, "discharge"),
                 MakeItem("rating", "Rate the clinic from 0 to 10", ItemKind::kRating0To10, "rating"),
                 MakeItem("nps", "How likely are you to recommend us?", ItemKind::kNps),
                 MakeItem("comment", "Anything else?", ItemKind::kFreeText)};
  draft.measures = MeasuresFromItems(draft.items);
  draft.measures[0].name = "Communication with nurses";
  return std::move(SurveyDefinition::Create(std::move(draft))).value();
}

Answer V(std::string item, int value) { return Answer{std::move(item), value, std::nullopt}; }

SurveyResponse R(std::string id, std::string department, std::string date, std::vector<Answer> answers) {
  return SurveyResponse{std::move(id), {"clinic", 1}, {{"department", department}, {"date", date}}, std::move(answers)};
}

std::vector<SurveyResponse> Responses() {
  return {
      R("r1", "cardiology", "2025-01-15",
        {V("courtesy", 4), V("listen", 4), V("discharge", 1), V("rating", 10), V("nps", 10),
         Answer{"comment", std::nullopt, "Great nurses"}}),
      R("r2", "cardiology", "2025-02-03",
        {V("courtesy", 3), V("listen", 4), V("discharge", 0), V("rating", 8), V("nps", 9)}),
      R("r3", "oncology", "2025-01-20", {V("courtesy", 2), V("listen", 1), V("rating", 5), V("nps", 3)}),
      R("r4", "oncology", "2025-01-31", {V("courtesy", 4), V("discharge", 1), V("rating", 9), V("nps", 7)}),
  };
}

TEST(SurveyScoring, ItemTopMiddleBottomBoxes) {
  const SurveyDefinition survey = Survey();
  auto scores = ScoreResponses(survey, Responses());
  ASSERT_TRUE(scores.ok()) << scores.error().field << ": " << scores.error().message;
  EXPECT_EQ(scores->responses, 4);
  const ItemScore* courtesy = scores->FindItem("courtesy");
  ASSERT_NE(courtesy, nullptr);
  EXPECT_EQ(courtesy->counts, (BoxCounts{2, 1, 1}));
  EXPECT_DOUBLE_EQ(courtesy->boxes->top, 50.0);
  EXPECT_DOUBLE_EQ(courtesy->boxes->middle, 25.0);
  EXPECT_DOUBLE_EQ(courtesy->boxes->bottom, 25.0);
  // Never counts with Sometimes in the bottom box; a skipped answer is not counted.
  const ItemScore* listen = scores->FindItem("listen");
  EXPECT_EQ(listen->answered, 3);
  EXPECT_EQ(listen->counts, (BoxCounts{2, 0, 1}));
  // Yes is the top box of a yes/no item.
  EXPECT_EQ(scores->FindItem("discharge")->counts, (BoxCounts{2, 0, 1}));
  // 9–10 top, 7–8 middle, 0–6 bottom.
  EXPECT_EQ(scores->FindItem("rating")->counts, (BoxCounts{2, 1, 1}));
  // Free text is counted but not scored.
  const ItemScore* comment = scores->FindItem("comment");
  EXPECT_EQ(comment->answered, 1);
  EXPECT_FALSE(comment->boxes.has_value());
}

TEST(SurveyScoring, CompositeIsTheMeanOfItemPercentages) {
  auto scores = ScoreResponses(Survey(), Responses());
  ASSERT_TRUE(scores.ok());
  const MeasureScore* nurses = scores->FindMeasure("nurses");
  ASSERT_NE(nurses, nullptr);
  EXPECT_EQ(nurses->name, "Communication with nurses");
  EXPECT_EQ(nurses->items_answered, 2);
  // (50 + 66.67) / 2, not the pooled 4 of 7 answers (57.1).
  EXPECT_DOUBLE_EQ(nurses->boxes->top, (50.0 + 200.0 / 3.0) / 2.0);
  EXPECT_DOUBLE_EQ(nurses->boxes->middle, 12.5);
  EXPECT_DOUBLE_EQ(nurses->boxes->bottom, (25.0 + 100.0 / 3.0) / 2.0);
  // A single-item measure equals its item.
  EXPECT_DOUBLE_EQ(scores->FindMeasure("rating")->boxes->top, 50.0);
}

TEST(SurveyScoring, LinearMeansUseTheZeroToHundredScale) {
  auto scores = ScoreResponses(Survey(), Responses());
  ASSERT_TRUE(scores.ok());
  // Always 100, Usually 66⅔, Sometimes 33⅓, Always 100.
  EXPECT_DOUBLE_EQ(*scores->FindItem("courtesy")->linear_mean, 75.0);
  EXPECT_DOUBLE_EQ(*scores->FindItem("rating")->linear_mean, 80.0);
  EXPECT_NEAR(*scores->FindMeasure("nurses")->linear_mean, (75.0 + 200.0 / 3.0) / 2.0, 1e-12);
}

TEST(SurveyScoring, NetPromoterScore) {
  auto scores = ScoreResponses(Survey(), Responses());
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->nps.size(), 1u);
  const NpsScore& nps = scores->nps[0];
  EXPECT_EQ(nps.promoters, 2);   // 10, 9
  EXPECT_EQ(nps.passives, 1);    // 7
  EXPECT_EQ(nps.detractors, 1);  // 3
  EXPECT_DOUBLE_EQ(*nps.nps, 25.0);
  EXPECT_DOUBLE_EQ(*NetPromoterScore(0, 0, 3), -100.0);
  EXPECT_DOUBLE_EQ(*NetPromoterScore(1, 1, 0), 50.0);
  EXPECT_FALSE(NetPromoterScore(0, 0, 0).has_value());
}

TEST(SurveyScoring, NoResponsesGiveNoPercentages) {
  auto scores = ScoreResponses(Survey(), {});
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ(scores->responses, 0);
  EXPECT_FALSE(scores->FindItem("courtesy")->boxes.has_value());
  EXPECT_FALSE(scores->FindMeasure("nurses")->boxes.has_value());
  EXPECT_FALSE(scores->nps[0].nps.has_value());
}

TEST(SurveyScoring, InvalidResponseNamesItsPositionAndItem) {
  std::vector<SurveyResponse> responses = Responses();
  responses[2].answers[2].value = 11;
  auto scores = ScoreResponses(Survey(), responses);
  ASSERT_FALSE(scores.ok());
  EXPECT_EQ(scores.error().field, "responses[2].answers.rating.value");

  auto grouped = ScoreByGroup(Survey(), responses, std::vector<GroupKey>{GroupKey::Field("department")});
  ASSERT_FALSE(grouped.ok());
  EXPECT_EQ(grouped.error().field, "responses[2].answers.rating.value");
}

TEST(SurveyScoring, ResponseRate) {
  EXPECT_DOUBLE_EQ(*ResponseRate(4, 10), 0.4);
  EXPECT_DOUBLE_EQ(*ResponseRate(0, 3), 0.0);
  EXPECT_EQ(ResponseRate(1, 0).error().field, "invitations");
  EXPECT_EQ(ResponseRate(11, 10).error().field, "responses");
  EXPECT_EQ(ResponseRate(-1, 10).error().field, "responses");
}

TEST(SurveyScoring, ScoresByDepartment) {
  const std::vector<GroupKey> keys = {GroupKey::Field("department")};
  auto groups = ScoreByGroup(Survey(), Responses(), keys);
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].key, (std::vector<std::string>{"cardiology"}));
  EXPECT_EQ((*groups)[0].scores.responses, 2);
  EXPECT_EQ((*groups)[0].scores.FindItem("courtesy")->counts, (BoxCounts{1, 1, 0}));
  EXPECT_DOUBLE_EQ(*(*groups)[0].scores.nps[0].nps, 100.0);
  EXPECT_EQ((*groups)[1].key, (std::vector<std::string>{"oncology"}));
  EXPECT_DOUBLE_EQ(*(*groups)[1].scores.nps[0].nps, -50.0);
}

TEST(SurveyScoring, ScoresByDepartmentAndMonth) {
  const std::vector<GroupKey> keys = {GroupKey::Field("department"), GroupKey::Period("date", PeriodUnit::kMonth)};
  auto groups = ScoreByGroup(Survey(), Responses(), keys);
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 3u);
  EXPECT_EQ((*groups)[0].key, (std::vector<std::string>{"cardiology", "2025-01"}));
  EXPECT_EQ((*groups)[1].key, (std::vector<std::string>{"cardiology", "2025-02"}));
  EXPECT_EQ((*groups)[2].key, (std::vector<std::string>{"oncology", "2025-01"}));
  EXPECT_EQ((*groups)[2].scores.responses, 2);
}

TEST(SurveyScoring, ResponseRatesByGroup) {
  std::vector<Invitation> invitations;
  auto invite = [&](std::string department, int n) {
    for (int i = 0; i < n; ++i) {
      invitations.push_back(Invitation{department + std::to_string(i), {{"department", department}}});
    }
  };
  invite("cardiology", 5);
  invite("oncology", 4);
  invite("pediatrics", 1);
  const std::vector<GroupKey> keys = {GroupKey::Field("department")};
  const auto rates = ResponseRatesByGroup(invitations, Responses(), keys);
  ASSERT_EQ(rates.size(), 3u);
  EXPECT_EQ(rates[0].key, (std::vector<std::string>{"cardiology"}));
  EXPECT_EQ(rates[0].responses, 2);
  EXPECT_EQ(rates[0].invitations, 5);
  EXPECT_DOUBLE_EQ(*rates[0].rate, 0.4);
  EXPECT_DOUBLE_EQ(*rates[1].rate, 0.5);
  EXPECT_EQ(rates[2].responses, 0);
  EXPECT_DOUBLE_EQ(*rates[2].rate, 0.0);

  // Responses with no invitations in their group (a vendor import) have no rate.
  const auto no_invitations = ResponseRatesByGroup({}, Responses(), keys);
  ASSERT_EQ(no_invitations.size(), 2u);
  EXPECT_FALSE(no_invitations[0].rate.has_value());
}

}  // namespace
}  // namespace caredesk::surveys
