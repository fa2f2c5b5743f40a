#include "domain/surveys/survey_response.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

SurveyDefinition Survey() {
  SurveyDraft draft;
  draft.id = "clinic";
  draft.items = {MakeItem("courtesy", "How often were staff courteous?", ItemKind::kFrequency),
                 MakeItem("rating", "Rate the clinic 0-10", ItemKind::kRating0To10),
                 MakeItem("comment", "Anything else?", ItemKind::kFreeText)};
  return std::move(SurveyDefinition::Create(std::move(draft))).value();
}

SurveyResponse Response(std::vector<Answer> answers) {
  return SurveyResponse{"r1", {"clinic", 1}, {{"department", "cardiology"}}, std::move(answers)};
}

Answer Value(std::string item, int value) { return Answer{std::move(item), value, std::nullopt}; }
Answer Text(std::string item, std::string text) { return Answer{std::move(item), std::nullopt, std::move(text)}; }

TEST(SurveyResponse, AcceptsAnswersOfTheRightType) {
  const SurveyDefinition survey = Survey();
  EXPECT_TRUE(
      ValidateResponse(survey, Response({Value("courtesy", 4), Value("rating", 0), Text("comment", "ok")})).ok());
  // Skipped items are simply absent.
  EXPECT_TRUE(ValidateResponse(survey, Response({Value("rating", 10)})).ok());
  EXPECT_TRUE(ValidateResponse(survey, Response({})).ok());
}

TEST(SurveyResponse, OutOfRangeValuesNameTheItem) {
  const SurveyDefinition survey = Survey();
  auto st = ValidateResponse(survey, Response({Value("rating", 11)}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "answers.rating.value");
  EXPECT_EQ(st.error().reason, "answer_out_of_range");
  EXPECT_NE(st.error().message.find("rating"), std::string::npos);

  auto zero = ValidateResponse(survey, Response({Value("courtesy", 0)}));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().field, "answers.courtesy.value");
}

TEST(SurveyResponse, UnknownAndRepeatedItemsAreRejected) {
  const SurveyDefinition survey = Survey();
  auto unknown = ValidateResponse(survey, Response({Value("parking", 4)}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "answers.parking");
  EXPECT_EQ(unknown.error().reason, "unknown_item");

  auto twice = ValidateResponse(survey, Response({Value("rating", 4), Value("rating", 5)}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().reason, "duplicate_answer");

  auto unnamed = ValidateResponse(survey, Response({Value("rating", 4), Value("", 5)}));
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().field, "answers[1].item_id");
}

TEST(SurveyResponse, AnswerTypeMustMatchTheItem) {
  const SurveyDefinition survey = Survey();
  EXPECT_EQ(ValidateResponse(survey, Response({Text("courtesy", "Always")})).error().field, "answers.courtesy.text");
  EXPECT_EQ(ValidateResponse(survey, Response({Answer{"courtesy", std::nullopt, std::nullopt}})).error().reason,
            "value_required");
  EXPECT_EQ(ValidateResponse(survey, Response({Value("comment", 3)})).error().field, "answers.comment.value");
  EXPECT_EQ(ValidateResponse(survey, Response({Text("comment", "  ")})).error().reason, "text_required");
  EXPECT_EQ(
      ValidateResponse(survey, Response({Text("comment", std::string(kMaxFreeTextLength + 1, 'x'))})).error().reason,
      "text_too_long");
}

TEST(SurveyResponse, MustAnswerTheSameSurveyVersion) {
  const SurveyDefinition survey = Survey();
  SurveyResponse response = Response({Value("rating", 9)});
  response.survey.version = 2;
  EXPECT_EQ(ValidateResponse(survey, response).error().field, "survey_version");
  response.survey = {"other", 1};
  EXPECT_EQ(ValidateResponse(survey, response).error().field, "survey_id");
}

TEST(SurveyResponse, FindsAnswers) {
  const SurveyResponse response = Response({Value("rating", 9)});
  ASSERT_NE(response.Find("rating"), nullptr);
  EXPECT_EQ(response.Find("rating")->value, 9);
  EXPECT_EQ(response.Find("courtesy"), nullptr);
}

}  // namespace
}  // namespace caredesk::surveys
