#include "domain/feedback/question_kind.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

TEST(QuestionKind, NamesRoundTrip) {
  for (QuestionKind kind : kAllQuestionKinds) EXPECT_EQ(ParseQuestionKind(QuestionKindName(kind)), kind);
  EXPECT_EQ(QuestionKindName(QuestionKind::kNonspecific), "nonspecific");
  EXPECT_EQ(QuestionKindName(QuestionKind::kWhatGood), "what_good");
  EXPECT_EQ(QuestionKindName(QuestionKind::kCouldImprove), "could_improve");
  EXPECT_FALSE(ParseQuestionKind("What_good").has_value());
  EXPECT_FALSE(ParseQuestionKind("could improve").has_value());
  EXPECT_FALSE(ParseQuestionKind("").has_value());
}

// The six "FFT question" strings of the pxtextmining v6 data set, with the kinds pxtextmining's
// FFT_q_standardised gives them.
TEST(QuestionKindOfPrompt, MapsThePxtextminingQuestions) {
  EXPECT_EQ(QuestionKindOfPrompt("FFT Why?"), QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt("How could we improve?"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("What could we do better?"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("What was good?"), QuestionKind::kWhatGood);
  EXPECT_EQ(QuestionKindOfPrompt("Please describe any things about the 111 service that\nyou were particularly "
                                 "satisfied and/or dissatisfied with"),
            QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt("Please describe any things about the 111 service that \nyou were particularly "
                                 "satisfied and/or dissatisfied with"),
            QuestionKind::kNonspecific);
}

TEST(QuestionKindOfPrompt, ReadsOtherWordings) {
  EXPECT_EQ(QuestionKindOfPrompt("Is there anything we could have done better?"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("What one thing would you CHANGE about your visit?"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("What should we do differently?"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("Tell us what went wrong"), QuestionKind::kCouldImprove);
  EXPECT_EQ(QuestionKindOfPrompt("What did you like about your care?"), QuestionKind::kWhatGood);
  EXPECT_EQ(QuestionKindOfPrompt("What went well today?"), QuestionKind::kWhatGood);
  EXPECT_EQ(QuestionKindOfPrompt("What was the best thing about the ward?"), QuestionKind::kWhatGood);
  EXPECT_EQ(QuestionKindOfPrompt("  WHAT  WAS\tGOOD  "), QuestionKind::kWhatGood);
}

TEST(QuestionKindOfPrompt, OpenMixedOrUnknownQuestionsAreNonspecific) {
  // CareDesk's own comment boxes: "like" alone is not a cue.
  EXPECT_EQ(QuestionKindOfPrompt("Is there anything else you would like to tell us about your care?"),
            QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt("Is there anything else you would like to tell us about your visit?"),
            QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt("What was good, and what could we do better?"), QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt("Comments"), QuestionKind::kNonspecific);
  EXPECT_EQ(QuestionKindOfPrompt(""), QuestionKind::kNonspecific);
  // Whole words only: "bestow" is not "best", "unchanged" is not "change".
  EXPECT_EQ(QuestionKindOfPrompt("Was anything left unchanged or bestowed?"), QuestionKind::kNonspecific);
}

}  // namespace
}  // namespace caredesk::feedback
