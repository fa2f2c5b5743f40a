#include "domain/feedback/feedback_trainer.h"

#include <gtest/gtest.h>

#include <memory>

#include "domain/feedback/feedback_evaluation.h"
#include "domain/feedback/feedback_test_data.h"

namespace caredesk::feedback {
namespace {

TrainOptions SmallOptions() {
  TrainOptions options;
  options.tfidf.min_document_frequency = 1;
  options.threshold_folds = 3;
  return options;
}

TEST(TrainFeedbackModel, LearnsObviousThemesAndSentiment) {
  const auto comments = testing::SyntheticComments();
  auto model = TrainFeedbackModel(comments, testing::SyntheticThemes(), SmallOptions());
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->themes(), testing::SyntheticThemes());

  const Classification staff = model->Classify("The nurses were so kind and caring");
  EXPECT_EQ(staff.themes, (std::vector<std::string>{"Staff manner"}));
  EXPECT_EQ(staff.sentiment, Sentiment::kPositive);
  const Classification wait = model->Classify("We waited five hours, far too long");
  EXPECT_EQ(wait.themes, (std::vector<std::string>{"Timeliness"}));
  EXPECT_EQ(wait.sentiment, Sentiment::kNegative);

  auto eval = EvaluateModel(*model, comments);
  ASSERT_TRUE(eval.ok());
  EXPECT_GT(eval->macro_f1, 0.95);
  EXPECT_GT(eval->sentiment_accuracy, 0.95);
}

TEST(TrainFeedbackModel, ThresholdsComeFromFoldsOrAreZero) {
  const auto comments = testing::SyntheticComments();
  TrainOptions options = SmallOptions();
  options.threshold_folds = 0;
  auto model = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->parts().theme_thresholds, (std::vector<float>{0.0f, 0.0f}));
  options.threshold_folds = 4;
  model = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(model.ok());
  EXPECT_NE(model->parts().theme_thresholds[0], 0.0f);
  options.threshold_repeats = 3;
  auto repeated = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->parts().weights, model->parts().weights);  // repeats change thresholds only
}

TEST(TrainFeedbackModel, WordVectorsCarryMeaningToUnseenWords) {
  const auto comments = testing::SyntheticComments();
  TrainOptions options = SmallOptions();
  options.tfidf.embedding_mean_weight = 0.5f;
  options.tfidf.embedding_max_weight = 0.3f;
  options.word_vectors = std::make_shared<const WordVectors>(testing::SyntheticWordVectors());
  auto model = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(model.ok()) << model.error().message;
  const TfidfVectorizer& v = model->parts().vectorizer;
  EXPECT_EQ(v.embedding_size(), 8u);
  EXPECT_EQ(model->parts().weights.size(), v.dimension() * model->output_count());
  // Neither word occurs in the training comments; their vectors lie beside the staff words and
  // the waiting words.
  const Classification courteous = model->Classify("courteous");
  const Classification delayed = model->Classify("delayed");
  EXPECT_GT(courteous.theme_scores[0], delayed.theme_scores[0]);
  EXPECT_GT(delayed.theme_scores[1], courteous.theme_scores[1]);
  EXPECT_GT(courteous.sentiment_scores[0], delayed.sentiment_scores[0]);

  auto again = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->parts().weights, model->parts().weights);
}

TEST(TrainFeedbackModel, LearnsWhatTheQuestionKindTells) {
  const auto comments = testing::QuestionDependentComments();
  TrainOptions options = SmallOptions();
  options.features.question_terms = true;
  options.tfidf.question_block_weight = 0.5f;
  options.tfidf.question_indicator_weight = 0.5f;
  auto model = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->Classify("Nothing.", QuestionKind::kCouldImprove).sentiment, Sentiment::kPositive);
  EXPECT_EQ(model->Classify("Nothing.", QuestionKind::kWhatGood).sentiment, Sentiment::kNegative);
  EXPECT_EQ(model->Classify("the wait was far too long", QuestionKind::kCouldImprove).themes,
            (std::vector<std::string>{"Timeliness"}));
  auto eval = EvaluateModel(*model, comments);  // classifies each comment with its kind
  ASSERT_TRUE(eval.ok());
  EXPECT_GT(eval->sentiment_accuracy, 0.95);

  // Without the question input the kind changes nothing.
  options.features.question_terms = false;
  options.tfidf.question_indicator_weight = 0.0f;
  auto blind = TrainFeedbackModel(comments, testing::SyntheticThemes(), options);
  ASSERT_TRUE(blind.ok());
  EXPECT_EQ(blind->parts().vectorizer.dimension(), blind->parts().vectorizer.size());
  EXPECT_EQ(blind->Classify("Nothing.", QuestionKind::kCouldImprove).sentiment_scores,
            blind->Classify("Nothing.", QuestionKind::kWhatGood).sentiment_scores);
}

TEST(TrainFeedbackModel, IsDeterministic) {
  const auto comments = testing::SyntheticComments();
  auto a = TrainFeedbackModel(comments, testing::SyntheticThemes(), SmallOptions());
  auto b = TrainFeedbackModel(comments, testing::SyntheticThemes(), SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->parts().weights, b->parts().weights);
  EXPECT_EQ(a->parts().biases, b->parts().biases);
  EXPECT_EQ(a->parts().theme_thresholds, b->parts().theme_thresholds);
}

TEST(TrainFeedbackModel, RejectsInconsistentInput) {
  auto comments = testing::SyntheticComments();
  const auto& themes = testing::SyntheticThemes();
  EXPECT_EQ(TrainFeedbackModel({}, themes).error().field, "comments");
  EXPECT_EQ(TrainFeedbackModel(comments, {}).error().field, "themes");
  const std::vector<std::string> repeated = {"A", "A"};
  EXPECT_EQ(TrainFeedbackModel(comments, repeated).error().field, "themes");

  auto wrong_flags = comments;
  wrong_flags[3].themes.push_back(1);
  auto r = TrainFeedbackModel(wrong_flags, themes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("comment 3"), std::string::npos);

  auto no_sentiment = comments;
  for (auto& c : no_sentiment) c.sentiment.reset();
  EXPECT_FALSE(TrainFeedbackModel(no_sentiment, themes).ok());

  TrainOptions bad;
  bad.theme_c = 0.0;
  EXPECT_EQ(TrainFeedbackModel(comments, themes, bad).error().field, "options");
  bad = TrainOptions{};
  bad.threshold_repeats = 0;
  EXPECT_EQ(TrainFeedbackModel(comments, themes, bad).error().field, "options");
  bad = TrainOptions{};
  bad.threshold_folds = static_cast<uint32_t>(comments.size() + 1);
  EXPECT_EQ(TrainFeedbackModel(comments, themes, bad).error().field, "threshold_folds");
}

}  // namespace
}  // namespace caredesk::feedback
