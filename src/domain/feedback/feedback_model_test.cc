#include "domain/feedback/feedback_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "domain/feedback/feedback_test_data.h"
#include "domain/feedback/feedback_trainer.h"

namespace caredesk::feedback {
namespace {

FeedbackModel::Parts SmallParts() {
  TrainOptions options;
  options.tfidf.min_document_frequency = 1;
  options.threshold_folds = 3;
  auto model = TrainFeedbackModel(testing::SyntheticComments(), testing::SyntheticThemes(), options);
  EXPECT_TRUE(model.ok());
  return model->parts();
}

TEST(FeedbackModel, ThemeScoresAgreeWithThemes) {
  auto model = FeedbackModel::FromParts(SmallParts());
  ASSERT_TRUE(model.ok());
  for (const char* text : {"kind staff but waited hours", "kind staff", "parking", "", "?!"}) {
    const Classification c = model->Classify(text);
    ASSERT_EQ(c.theme_scores.size(), 2u);
    std::vector<std::string> expected;
    for (size_t t = 0; t < 2; ++t) {
      if (c.theme_scores[t] > 0) expected.push_back(model->themes()[t]);
    }
    EXPECT_EQ(c.themes, expected) << text;
    const auto best = std::max_element(c.sentiment_scores.begin(), c.sentiment_scores.end());
    EXPECT_EQ(static_cast<size_t>(c.sentiment), static_cast<size_t>(best - c.sentiment_scores.begin())) << text;
  }
}

TEST(FeedbackModel, FromPartsRejectsInconsistentParts) {
  auto parts = SmallParts();
  parts.weights.pop_back();
  EXPECT_EQ(FeedbackModel::FromParts(parts).error().reason, "corrupt_model");
  parts = SmallParts();
  parts.theme_thresholds[1] = std::nanf("");
  EXPECT_FALSE(FeedbackModel::FromParts(parts).ok());
  parts = SmallParts();
  parts.themes[1] = parts.themes[0];
  EXPECT_FALSE(FeedbackModel::FromParts(parts).ok());
  parts = SmallParts();
  parts.biases.push_back(0.0f);
  EXPECT_FALSE(FeedbackModel::FromParts(parts).ok());
}

}  // namespace
}  // namespace caredesk::feedback
