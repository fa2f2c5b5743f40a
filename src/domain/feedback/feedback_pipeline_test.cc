#include "domain/feedback/feedback_pipeline.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <utility>

#include "domain/feedback/csv.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/feedback_test_data.h"

namespace caredesk::feedback {
namespace {

// The synthetic comments as a pxtextmining-format CSV (quoted fields, a metadata column).
std::string SyntheticPxtextminingCsv() {
  std::string csv =
      FormatCsvRow({"Comment ID", "FFT answer", "Comment sentiment", "Staff manner", "Timeliness", "Parking"});
  int id = 0;
  for (const LabelledComment& c : testing::SyntheticComments()) {
    const std::string score = !c.sentiment                           ? ""
                              : *c.sentiment == Sentiment::kPositive ? "1"
                              : *c.sentiment == Sentiment::kNeutral  ? "3"
                                                                     : "5";
    csv += FormatCsvRow(
        {std::to_string(id++), c.text + ", really", score, c.themes[0] ? "1" : "", c.themes[1] ? "1" : "", ""});
  }
  return csv;
}

FeedbackTrainingOptions SmallOptions() {
  FeedbackTrainingOptions options;
  options.split.min_theme_train_positives = 10;
  options.train.tfidf.min_document_frequency = 1;
  options.train.threshold_folds = 3;
  return options;
}

TEST(TrainFeedbackModelFromCsv, TrainsEvaluatesAndWritesALoadableModel) {
  std::istringstream csv(SyntheticPxtextminingCsv());
  std::stringstream model_file;
  auto report = TrainFeedbackModelFromCsv(csv, model_file, SmallOptions());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->themes, testing::SyntheticThemes());  // Parking has no positive row
  EXPECT_EQ(report->training_comments, 96u);
  EXPECT_EQ(report->test_comments, 24u);
  ASSERT_TRUE(report->test.has_value());
  EXPECT_GT(report->test->macro_f1, 0.9);
  EXPECT_EQ(report->model_bytes, model_file.str().size());
  EXPECT_GT(report->vocabulary_size, 0u);
  EXPECT_EQ(report->embedding_words, 0u);
  auto model = LoadModel(model_file);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->Classify("the staff were kind").themes, (std::vector<std::string>{"Staff manner"}));
}

// QuestionDependentComments as a pxtextmining-format CSV with the "FFT question" column.
std::string QuestionPxtextminingCsv() {
  std::string csv =
      FormatCsvRow({"Comment ID", "FFT question", "FFT answer", "Comment sentiment", "Staff manner", "Timeliness"});
  int id = 0;
  for (const LabelledComment& c : testing::QuestionDependentComments()) {
    const std::string question = c.question == QuestionKind::kWhatGood       ? "What was good?"
                                 : c.question == QuestionKind::kCouldImprove ? "What could we do better?"
                                                                             : "FFT Why?";
    const std::string score = !c.sentiment                           ? ""
                              : *c.sentiment == Sentiment::kPositive ? "1"
                              : *c.sentiment == Sentiment::kNeutral  ? "3"
                                                                     : "5";
    csv +=
        FormatCsvRow({std::to_string(id++), question, c.text, score, c.themes[0] ? "1" : "", c.themes[1] ? "1" : ""});
  }
  return csv;
}

FeedbackTrainingOptions QuestionOptions() {
  FeedbackTrainingOptions options = SmallOptions();
  options.train.features.question_terms = true;
  options.train.tfidf.question_block_weight = 0.5f;
  options.train.tfidf.question_indicator_weight = 0.5f;
  return options;
}

TEST(TrainFeedbackModelFromCsv, ReadsTheQuestionColumnWhenThere) {
  std::istringstream csv(QuestionPxtextminingCsv());
  std::stringstream model_file;
  auto report = TrainFeedbackModelFromCsv(csv, model_file, QuestionOptions());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->question_column);
  ASSERT_TRUE(report->test.has_value());
  EXPECT_GT(report->test->sentiment_accuracy, 0.95);  // the test rows are classified with their kind
  auto model = LoadModel(model_file);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->Classify("nothing", QuestionKind::kCouldImprove).sentiment, Sentiment::kPositive);
  EXPECT_EQ(model->Classify("nothing", QuestionKind::kWhatGood).sentiment, Sentiment::kNegative);
}

TEST(TrainFeedbackModelFromCsv, WithoutTheQuestionColumnEveryCommentIsNonspecific) {
  std::istringstream csv(SyntheticPxtextminingCsv());
  std::stringstream model_file;
  auto report = TrainFeedbackModelFromCsv(csv, model_file, QuestionOptions());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->question_column);
  EXPECT_GT(report->test->macro_f1, 0.9);
}

TEST(TrainFeedbackModelFromCsv, CanTrainOnEveryRow) {
  std::istringstream csv(SyntheticPxtextminingCsv());
  std::stringstream model_file;
  FeedbackTrainingOptions options = SmallOptions();
  options.train_on_all_rows = true;
  auto report = TrainFeedbackModelFromCsv(csv, model_file, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->training_comments, 120u);
  EXPECT_EQ(report->test_comments, 0u);
  EXPECT_FALSE(report->test.has_value());
}

TEST(TrainFeedbackModelFromCsv, UsesWordVectorsWhenGiven) {
  std::istringstream csv(SyntheticPxtextminingCsv());
  std::stringstream model_file;
  FeedbackTrainingOptions options = SmallOptions();
  options.train.tfidf.embedding_mean_weight = 0.5f;
  options.train.word_vectors = std::make_shared<const WordVectors>(testing::SyntheticWordVectors());
  auto report = TrainFeedbackModelFromCsv(csv, model_file, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_GT(report->embedding_words, 0u);
  auto model = LoadModel(model_file);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->parts().vectorizer.embedding().size(), report->embedding_words);
}

TEST(TrainFeedbackModelFromCsv, PassesOnCsvErrors) {
  std::istringstream csv("Comment ID,FFT answer\n1,\"open\n");
  std::stringstream model_file;
  auto report = TrainFeedbackModelFromCsv(csv, model_file);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().reason, "unterminated_quote");
  EXPECT_TRUE(model_file.str().empty());
}

TEST(ClassifyCommentLines, WritesOneCsvRowPerComment) {
  std::istringstream csv(SyntheticPxtextminingCsv());
  std::stringstream model_file;
  ASSERT_TRUE(TrainFeedbackModelFromCsv(csv, model_file, SmallOptions()).ok());
  auto model = LoadModel(model_file);
  ASSERT_TRUE(model.ok());

  std::istringstream comments("the nurses were kind\r\n\nwaited hours, \"slow\"\n");
  std::ostringstream out;
  auto count = ClassifyCommentLines(*model, comments, out);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);
  auto rows = ParseCsv(out.str());
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (CsvRow{"comment", "sentiment", "themes"}));
  EXPECT_EQ((*rows)[1], (CsvRow{"the nurses were kind", "positive", "Staff manner"}));
  EXPECT_EQ((*rows)[2][0], "waited hours, \"slow\"");
  EXPECT_EQ((*rows)[2][2], "Timeliness");
}

TEST(ClassifyCommentLines, ClassifiesWithTheQuestionKind) {
  std::istringstream csv(QuestionPxtextminingCsv());
  std::stringstream model_file;
  ASSERT_TRUE(TrainFeedbackModelFromCsv(csv, model_file, QuestionOptions()).ok());
  auto model = LoadModel(model_file);
  ASSERT_TRUE(model.ok());
  for (const auto& [kind, sentiment] :
       {std::pair{QuestionKind::kCouldImprove, "positive"}, std::pair{QuestionKind::kWhatGood, "negative"}}) {
    std::istringstream comments("nothing\n");
    std::ostringstream out;
    ASSERT_TRUE(ClassifyCommentLines(*model, comments, out, kind).ok());
    auto rows = ParseCsv(out.str());
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[1][1], sentiment) << QuestionKindName(kind);
  }
}

}  // namespace
}  // namespace caredesk::feedback
