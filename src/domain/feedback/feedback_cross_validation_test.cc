#include "domain/feedback/feedback_cross_validation.h"

#include <gtest/gtest.h>

#include "domain/feedback/feedback_test_data.h"

namespace caredesk::feedback {
namespace {

TrainOptions SmallOptions() {
  TrainOptions options;
  options.tfidf.min_document_frequency = 1;
  options.threshold_folds = 3;
  options.threshold_repeats = 1;
  return options;
}

TEST(CrossValidateTrainer, PoolsOutOfFoldPredictionsForEachSeedAndAverages) {
  const auto comments = testing::SyntheticComments();
  CrossValidationOptions cv;
  cv.folds = 4;
  cv.fold_seeds = {1, 2};
  auto result = CrossValidateTrainer(comments, testing::SyntheticThemes(), SmallOptions(), cv);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->per_seed.size(), 2u);
  for (const FeedbackEvaluation& eval : result->per_seed) {
    EXPECT_EQ(eval.comments, comments.size());  // every comment predicted once, out of fold
    EXPECT_GT(eval.macro_f1, 0.9);
  }
  EXPECT_DOUBLE_EQ(result->macro_f1, (result->per_seed[0].macro_f1 + result->per_seed[1].macro_f1) / 2);
  EXPECT_DOUBLE_EQ(result->sentiment_accuracy,
                   (result->per_seed[0].sentiment_accuracy + result->per_seed[1].sentiment_accuracy) / 2);
  ASSERT_EQ(result->theme_f1.size(), 2u);
  EXPECT_DOUBLE_EQ(result->theme_f1[1], (result->per_seed[0].themes[1].f1 + result->per_seed[1].themes[1].f1) / 2);

  auto again = CrossValidateTrainer(comments, testing::SyntheticThemes(), SmallOptions(), cv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->macro_f1, result->macro_f1);
}

TEST(CrossValidateTrainer, ClassifiesEachCommentWithItsQuestionKind) {
  // The short answers' sentiment is only in the question: a model with the question input gets
  // them right out of fold, one without it cannot tell the praise from the complaints.
  const auto comments = testing::QuestionDependentComments();
  CrossValidationOptions cv;
  cv.folds = 3;
  cv.fold_seeds = {5};
  TrainOptions with = SmallOptions();
  with.features.question_terms = true;
  with.tfidf.question_block_weight = 0.5f;
  with.tfidf.question_indicator_weight = 0.5f;
  TrainOptions without = with;
  without.features.question_terms = false;
  without.tfidf.question_indicator_weight = 0.0f;
  auto a = CrossValidateTrainer(comments, testing::SyntheticThemes(), with, cv);
  auto b = CrossValidateTrainer(comments, testing::SyntheticThemes(), without, cv);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(a->sentiment_accuracy, 0.95);
  EXPECT_LT(b->sentiment_accuracy, 0.8);
}

TEST(CrossValidateTrainer, RejectsImpossibleFolds) {
  const auto comments = testing::SyntheticComments();
  CrossValidationOptions cv;
  cv.folds = 1;
  EXPECT_EQ(CrossValidateTrainer(comments, testing::SyntheticThemes(), SmallOptions(), cv).error().field, "folds");
  cv.folds = 5;
  cv.fold_seeds.clear();
  EXPECT_EQ(CrossValidateTrainer(comments, testing::SyntheticThemes(), SmallOptions(), cv).error().field, "fold_seeds");
  cv.fold_seeds = {1};
  EXPECT_EQ(
      CrossValidateTrainer(std::span(comments).first(3), testing::SyntheticThemes(), SmallOptions(), cv).error().field,
      "folds");
}

}  // namespace
}  // namespace caredesk::feedback
