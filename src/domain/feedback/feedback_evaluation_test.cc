#include "domain/feedback/feedback_evaluation.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

Classification Predict(std::vector<std::string> themes, Sentiment s) {
  Classification c;
  c.themes = std::move(themes);
  c.sentiment = s;
  return c;
}

TEST(EvaluateClassifications, ComputesPerThemeF1MacroAndAccuracy) {
  const std::vector<std::string> themes = {"A", "B"};
  const std::vector<LabelledComment> comments = {
      {"1", {1, 0}, Sentiment::kPositive},
      {"2", {1, 1}, Sentiment::kNegative},
      {"3", {0, 1}, std::nullopt},
      {"4", {0, 0}, Sentiment::kNeutral},
  };
  const std::vector<Classification> predictions = {
      Predict({"A"}, Sentiment::kPositive),
      Predict({"B"}, Sentiment::kPositive),
      Predict({"A", "B"}, Sentiment::kNegative),
      Predict({}, Sentiment::kNeutral),
  };
  auto eval = EvaluateClassifications(comments, predictions, themes);
  ASSERT_TRUE(eval.ok());
  // A: support 2, predicted 2, tp 1 → F1 0.5. B: support 2, predicted 2, tp 2 → F1 1.
  EXPECT_EQ(eval->themes[0].true_positives, 1u);
  EXPECT_DOUBLE_EQ(eval->themes[0].f1, 0.5);
  EXPECT_DOUBLE_EQ(eval->themes[1].f1, 1.0);
  EXPECT_DOUBLE_EQ(eval->macro_f1, 0.75);
  EXPECT_EQ(eval->sentiment_comments, 3u);
  EXPECT_EQ(eval->sentiment_correct, 2u);
  EXPECT_DOUBLE_EQ(eval->sentiment_accuracy, 2.0 / 3.0);
  EXPECT_EQ(eval->sentiment_confusion[2][0], 1u);  // negative predicted positive
}

TEST(EvaluateClassifications, ThemeNeverSeenNorPredictedScoresZero) {
  const std::vector<std::string> themes = {"A"};
  const std::vector<LabelledComment> comments = {{"1", {0}, std::nullopt}};
  auto eval = EvaluateClassifications(comments, std::vector<Classification>{Predict({}, Sentiment::kNeutral)}, themes);
  ASSERT_TRUE(eval.ok());
  EXPECT_EQ(eval->themes[0].f1, 0.0);
  EXPECT_EQ(eval->sentiment_accuracy, 0.0);
}

TEST(EvaluateClassifications, RejectsMismatchedInputs) {
  const std::vector<std::string> themes = {"A"};
  const std::vector<LabelledComment> comments = {{"1", {0, 1}, std::nullopt}};
  EXPECT_FALSE(EvaluateClassifications(comments, {}, themes).ok());
  EXPECT_FALSE(
      EvaluateClassifications(comments, std::vector<Classification>{Predict({}, Sentiment::kNeutral)}, themes).ok());
}

TEST(BestF1Threshold, SplitsBetweenScoresAtTheBestCut) {
  // Sorted: 0.9(1) 0.8(1) 0.3(0) 0.2(1) -0.5(0). Top 2 → F1 2·2/(2+3)=0.8; top 4 → 2·3/(4+3)=0.857.
  const std::vector<float> scores = {0.3f, 0.9f, -0.5f, 0.8f, 0.2f};
  const std::vector<uint8_t> labels = {0, 1, 0, 1, 1};
  const float t = BestF1Threshold(scores, labels);
  EXPECT_FLOAT_EQ(t, -0.15f);
}

TEST(BestF1Threshold, PrefersTheHigherThresholdOnTies) {
  // Accepting the top 1 or all 4 both give F1 2/3.
  const std::vector<float> scores = {3.0f, 2.0f, 1.0f, 0.0f};
  const std::vector<uint8_t> labels = {1, 0, 0, 1};
  EXPECT_FLOAT_EQ(BestF1Threshold(scores, labels), 2.5f);
}

TEST(BestF1Threshold, HandlesAllOrNothing) {
  const std::vector<float> scores = {1.0f, 2.0f};
  EXPECT_GT(BestF1Threshold(scores, std::vector<uint8_t>{0, 0}), 2.0f);
  EXPECT_LT(BestF1Threshold(scores, std::vector<uint8_t>{1, 1}), 1.0f);
  EXPECT_EQ(BestF1Threshold({}, {}), 0.0f);
}

TEST(BestF1Threshold, NeverSplitsEqualScores) {
  const std::vector<float> scores = {1.0f, 1.0f, 0.0f};
  const std::vector<uint8_t> labels = {1, 0, 0};
  const float t = BestF1Threshold(scores, labels);
  EXPECT_TRUE(t < 1.0f && t >= 0.0f);  // both 1.0 accepted: F1 2/3 beats accepting all (0.5)
}

}  // namespace
}  // namespace caredesk::feedback
