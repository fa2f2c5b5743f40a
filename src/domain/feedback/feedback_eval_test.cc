// The classifier on the pxtextmining "v6 framework" data set (NHS England CDU Data Science Team,
// <data>/feedback_pxtextmining; see SOURCE.txt there), under the fixed protocol of
// pxtextmining_split.h: train on the training rows with the default TrainOptions, measure once on
// the held-out test rows, each classified with the kind of question it answers ("FFT question").
//
// The goals set for the classifier are theme macro-F1 ≥ 0.65 and sentiment accuracy ≥ 0.85. With
// the question input they are met (measured: see README.md and the printed report, which says
// whether they are); the assertions hold the measured level minus a small margin, so that a
// regression fails. Training is deterministic, so the margin only absorbs compiler and platform
// float differences.
//
// The data set lives outside the repository: $CAREDESK_DATA_DIR, else ../shared/data beside the
// source tree. The pretrained word vectors (word_vectors.h) are the build's (CMake option
// CAREDESK_FEEDBACK_WORD_VECTORS) or $CAREDESK_FEEDBACK_WORD_VECTORS; without them the model is
// trained without its embedding block, and lower floors apply. Timings are printed, not asserted
// (the machine is shared).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "domain/feedback/csv.h"
#include "domain/feedback/feedback_evaluation.h"
#include "domain/feedback/feedback_model_io.h"
#include "domain/feedback/feedback_trainer.h"
#include "domain/feedback/pxtextmining_split.h"
#include "domain/feedback/word_vectors.h"

#ifndef CAREDESK_SOURCE_DIR
#define CAREDESK_SOURCE_DIR "."
#endif
#ifndef CAREDESK_FEEDBACK_WORD_VECTORS_FILE
#define CAREDESK_FEEDBACK_WORD_VECTORS_FILE ""
#endif

namespace caredesk::feedback {
namespace {

constexpr double kMacroF1Goal = 0.65;
constexpr double kSentimentAccuracyGoal = 0.85;
// Floors with the build's pretrained word vectors (measured 0.664 / 0.855: both goals met), and
// without them (CMake option CAREDESK_FEEDBACK_WORD_VECTORS off: measured 0.674 / 0.849).
constexpr double kMacroF1Floor = 0.66;
constexpr double kSentimentAccuracyFloor = 0.85;
constexpr double kMacroF1FloorWithoutVectors = 0.665;
constexpr double kSentimentAccuracyFloorWithoutVectors = 0.845;
constexpr char kDataFile[] = "feedback_pxtextmining/v6framework_230831.csv";

std::filesystem::path DataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
}

// The word vector file (word_vectors.h): $CAREDESK_FEEDBACK_WORD_VECTORS, else the one the build
// made (CMake option CAREDESK_FEEDBACK_WORD_VECTORS); empty when there is none.
std::string WordVectorsFile() {
  if (const char* file = std::getenv("CAREDESK_FEEDBACK_WORD_VECTORS"); file != nullptr) return file;
  return CAREDESK_FEEDBACK_WORD_VECTORS_FILE;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The data set, split, and the model trained on it — once for the whole suite.
class PxtextminingEvaluation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::filesystem::path path = DataDir() / kDataFile;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      load_error_ = "cannot open " + path.string() + " (data directory " + DataDir().string() +
                    "; set CAREDESK_DATA_DIR to the folder holding feedback_pxtextmining/)";
      return;
    }
    auto table = ReadCsvTable(in);
    if (!table.ok()) {
      load_error_ = path.string() + ": " + table.error().message;
      return;
    }
    auto all_rows = table->rows.size();
    auto dataset = SplitPxtextmining(*table);
    if (!dataset.ok()) {
      load_error_ = path.string() + ": " + dataset.error().message;
      return;
    }
    csv_rows_ = all_rows;
    dataset_ = std::move(dataset).value();

    if (const std::string file = WordVectorsFile(); !file.empty()) {
      std::ifstream vectors_in(file, std::ios::binary);
      auto vectors = LoadWordVectors(vectors_in);
      if (!vectors.ok()) {
        load_error_ = "word vectors " + file + ": " + vectors.error().message;
        return;
      }
      options_.word_vectors = std::make_shared<const WordVectors>(std::move(vectors).value());
    } else {
      std::printf("no word vectors (CMake option CAREDESK_FEEDBACK_WORD_VECTORS is off or npm was missing): "
                  "training without the embedding block\n");
    }

    const auto start = std::chrono::steady_clock::now();
    auto model = TrainFeedbackModel(dataset_->train, dataset_->themes, options_);
    training_seconds_ = SecondsSince(start);
    if (!model.ok()) {
      load_error_ = "training failed: " + model.error().message;
      return;
    }
    model_ = std::move(model).value();
  }

  static void TearDownTestSuite() {
    model_.reset();
    dataset_.reset();
    options_ = TrainOptions{};
    load_error_.reset();
  }

  void SetUp() override {
    ASSERT_FALSE(load_error_.has_value()) << *load_error_;
    ASSERT_TRUE(model_.has_value());
  }

  static inline std::optional<std::string> load_error_;
  static inline std::optional<FeedbackDataset> dataset_;
  static inline std::optional<FeedbackModel> model_;
  static inline TrainOptions options_;
  static inline size_t csv_rows_ = 0;
  static inline double training_seconds_ = 0.0;
};

TEST_F(PxtextminingEvaluation, SplitFollowsTheProtocol) {
  EXPECT_EQ(csv_rows_, 7908u);
  // 7,400 rows have a non-blank answer (12 more hold a lone space): every fifth is test.
  EXPECT_EQ(dataset_->train.size(), 5920u);
  EXPECT_EQ(dataset_->test.size(), 1480u);
  EXPECT_EQ(dataset_->themes.size(), 18u);
  for (size_t t = 0; t < dataset_->themes.size(); ++t) {
    size_t positives = 0;
    for (const LabelledComment& c : dataset_->train) positives += c.themes[t];
    EXPECT_GE(positives, 100u) << dataset_->themes[t];
  }
  EXPECT_EQ(dataset_->themes.front(), "Not assigned");
  EXPECT_EQ(dataset_->themes.back(), "Positive experience & gratitude");
  // "Staff responsiveness" has 99 positive training rows: just below the bar.
  EXPECT_EQ(std::find(dataset_->themes.begin(), dataset_->themes.end(), "Staff responsiveness"),
            dataset_->themes.end());
  // "FFT question": "FFT Why?" and the 111 service's question are nonspecific (2,309 + 496), "How could
  // we improve?" and "What could we do better?" could_improve (2,282 + 1,106), "What was good?" what_good.
  EXPECT_TRUE(dataset_->has_question_column);
  std::array<size_t, kQuestionKindCount> kinds{};
  for (const auto* part : {&dataset_->train, &dataset_->test}) {
    for (const LabelledComment& c : *part) ++kinds[static_cast<size_t>(c.question)];
  }
  EXPECT_EQ(kinds[static_cast<size_t>(QuestionKind::kNonspecific)], 2805u);
  EXPECT_EQ(kinds[static_cast<size_t>(QuestionKind::kCouldImprove)], 3388u);
  EXPECT_EQ(kinds[static_cast<size_t>(QuestionKind::kWhatGood)], 1207u);
}

TEST_F(PxtextminingEvaluation, HoldsItsQualityOnTheTestRows) {
  std::vector<Classification> predictions;
  predictions.reserve(dataset_->test.size());
  const auto start = std::chrono::steady_clock::now();
  // Each test comment with the kind of question it answers, as the model was trained.
  for (const LabelledComment& c : dataset_->test) predictions.push_back(model_->Classify(c.text, c.question));
  const double classify_seconds = SecondsSince(start);
  auto eval = EvaluateClassifications(dataset_->test, predictions, dataset_->themes);
  ASSERT_TRUE(eval.ok());

  std::printf("pxtextmining v6: %zu training rows, %zu test rows, %zu themes, vocabulary %zu, embedding %zu words x %zu\n",
              dataset_->train.size(), dataset_->test.size(), dataset_->themes.size(),
              model_->parts().vectorizer.size(), model_->parts().vectorizer.embedding().size(),
              model_->parts().vectorizer.embedding_size());
  for (const ThemeEvaluation& te : eval->themes) {
    std::printf("  %-58s support %4zu  P %.3f  R %.3f  F1 %.3f\n", te.theme.c_str(), te.support, te.precision,
                te.recall, te.f1);
  }
  std::printf("theme macro-F1 %.4f (goal %.2f: %s); sentiment accuracy %.4f on %zu labelled rows (goal %.2f: %s)\n",
              eval->macro_f1, kMacroF1Goal, eval->macro_f1 >= kMacroF1Goal ? "met" : "NOT MET",
              eval->sentiment_accuracy, eval->sentiment_comments, kSentimentAccuracyGoal,
              eval->sentiment_accuracy >= kSentimentAccuracyGoal ? "met" : "NOT MET");
  const auto& m = eval->sentiment_confusion;
  std::printf(
      "sentiment confusion (rows reference pos/neu/neg, columns predicted): [%zu %zu %zu] [%zu %zu %zu] "
      "[%zu %zu %zu]\n",
      m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]);
  std::printf("training %.2f s; classifying %.0f comments/s; model %zu bytes\n", training_seconds_,
              static_cast<double>(dataset_->test.size()) / classify_seconds, SerializeModel(*model_).size());
  RecordProperty("macro_f1", std::to_string(eval->macro_f1));
  RecordProperty("sentiment_accuracy", std::to_string(eval->sentiment_accuracy));

  const bool with_vectors = options_.word_vectors != nullptr;
  EXPECT_GE(eval->macro_f1, with_vectors ? kMacroF1Floor : kMacroF1FloorWithoutVectors);
  EXPECT_GE(eval->sentiment_accuracy, with_vectors ? kSentimentAccuracyFloor : kSentimentAccuracyFloorWithoutVectors);
}

// In the data, "Nothing" answering "How could we improve?" or "What could we do better?" is praise
// (271 times positive), answering "What was good?" a complaint (37 of 40 times negative).
TEST_F(PxtextminingEvaluation, ReadsAShortAnswerByTheQuestionItAnswers) {
  EXPECT_EQ(model_->Classify("Nothing.", QuestionKind::kCouldImprove).sentiment, Sentiment::kPositive);
  EXPECT_EQ(model_->Classify("Nothing.", QuestionKind::kWhatGood).sentiment, Sentiment::kNegative);
  const std::vector<std::string>& themes = model_->Classify("Nothing.", QuestionKind::kWhatGood).themes;
  EXPECT_NE(std::find(themes.begin(), themes.end(), "Negative experience & dissatisfaction"), themes.end());
}

TEST_F(PxtextminingEvaluation, TrainingIsDeterministic) {
  auto again = TrainFeedbackModel(dataset_->train, dataset_->themes, options_);
  ASSERT_TRUE(again.ok());
  const std::string first = SerializeModel(*model_);
  const std::string second = SerializeModel(*again);
  EXPECT_EQ(first.size(), second.size());
  EXPECT_TRUE(first == second) << "two trainings gave different model bytes";
}

TEST_F(PxtextminingEvaluation, SavedModelClassifiesTheSame) {
  std::stringstream file;
  ASSERT_TRUE(SaveModel(*model_, file).ok());
  auto loaded = LoadModel(file);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  for (size_t i = 0; i < dataset_->test.size(); i += 37) {
    const LabelledComment& c = dataset_->test[i];
    const Classification a = model_->Classify(c.text, c.question);
    const Classification b = loaded->Classify(c.text, c.question);
    EXPECT_EQ(a.themes, b.themes);
    EXPECT_EQ(a.sentiment, b.sentiment);
    EXPECT_EQ(a.theme_scores, b.theme_scores);
  }
}

}  // namespace
}  // namespace caredesk::feedback
