#include "domain/feedback/feedback_model_io.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "domain/feedback/feedback_test_data.h"
#include "domain/feedback/feedback_trainer.h"

namespace caredesk::feedback {
namespace {

TrainOptions SmallOptions() {
  TrainOptions options;
  options.tfidf.min_document_frequency = 1;
  options.threshold_folds = 3;
  return options;
}

// Options for a model with the question input (question terms and indicators).
TrainOptions WithQuestionInput(TrainOptions options) {
  options.features.question_terms = true;
  options.tfidf.question_block_weight = 0.5f;
  options.tfidf.question_indicator_weight = 0.5f;
  return options;
}

// Options for a model as format versions 1–3 could hold it: no question input.
TrainOptions WithoutQuestionInput(TrainOptions options) {
  options.features.question_terms = false;
  options.tfidf.question_block_weight = 0.0f;
  options.tfidf.question_indicator_weight = 0.0f;
  return options;
}

// A model that reads the question kind.
const FeedbackModel& SmallModel() {
  static const FeedbackModel model = TrainFeedbackModel(testing::QuestionDependentComments(),
                                                        testing::SyntheticThemes(), WithQuestionInput(SmallOptions()))
                                         .value();
  return model;
}

// A model without the question input or embedding block, which versions 2 and 3 can hold.
const FeedbackModel& TextOnlyModel() {
  static const FeedbackModel model =
      TrainFeedbackModel(testing::SyntheticComments(), testing::SyntheticThemes(), WithoutQuestionInput(SmallOptions()))
          .value();
  return model;
}

std::string Reason(std::string_view bytes) {
  auto model = DeserializeModel(bytes);
  return model.ok() ? "ok" : model.error().reason;
}

TEST(FeedbackModelIo, RoundTripKeepsEveryByteAndPrediction) {
  std::stringstream file;
  ASSERT_TRUE(SaveModel(SmallModel(), file).ok());
  auto loaded = LoadModel(file);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(SerializeModel(*loaded), SerializeModel(SmallModel()));
  EXPECT_EQ(loaded->themes(), SmallModel().themes());
  for (const char* text : {"kind staff", "waited hours", "parking and kind nurses", "nothing"}) {
    for (QuestionKind kind : kAllQuestionKinds) {
      const Classification a = SmallModel().Classify(text, kind);
      const Classification b = loaded->Classify(text, kind);
      EXPECT_EQ(a.themes, b.themes);
      EXPECT_EQ(a.theme_scores, b.theme_scores);
      EXPECT_EQ(a.sentiment_scores, b.sentiment_scores);
    }
  }
}

TEST(FeedbackModelIo, KeepsTheQuestionInput) {
  auto loaded = DeserializeModel(SerializeModel(SmallModel()));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const TfidfVectorizer& v = loaded->parts().vectorizer;
  EXPECT_TRUE(v.feature_options().question_terms);
  EXPECT_EQ(v.tfidf_options().question_block_weight, 0.5f);
  EXPECT_EQ(v.question_indicator_size(), kQuestionKindCount);
  EXPECT_EQ(loaded->Classify("nothing", QuestionKind::kCouldImprove).sentiment, Sentiment::kPositive);
  EXPECT_EQ(loaded->Classify("nothing", QuestionKind::kWhatGood).sentiment, Sentiment::kNegative);
}

TEST(FeedbackModelIo, StartsWithMagicAndVersion) {
  const std::string bytes = SerializeModel(SmallModel());
  EXPECT_EQ(bytes.substr(0, 8), "CDFBMODL");
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x04\x00\x00\x00", 4));
}

// The bytes `model` has in format `version` (1, 2 or 3): a model without the question input, and
// for versions 1 and 2 without an embedding block.
std::string AsOlderVersion(const FeedbackModel& model, uint8_t version) {
  // Magic, version, then the version-1 options (3 u32, 2 flags, u32, u32, flag, f32): 39 bytes;
  // version 2 inserts 3 flags, 2 u32 and an f32 (15 bytes) after them, version 4 a flag and 2 f32
  // (9 bytes) after those.
  constexpr size_t kVersion1OptionsEnd = 39;
  constexpr size_t kVersion2Extra = 15;
  constexpr size_t kVersion4Extra = 9;
  // Version 3 inserts the embedding part (2 f32, 2 u32, u64 count 0: 24 bytes without vectors)
  // just before the output count, biases and weights.
  constexpr size_t kVersion3Extra = 24;
  std::string bytes = SerializeModel(model);
  const size_t outputs = model.output_count();
  const size_t tail = 8 + 4 + 4 * outputs + 4 * outputs * model.parts().vectorizer.dimension();
  if (version <= 2) bytes.erase(bytes.size() - tail - kVersion3Extra, kVersion3Extra);
  bytes.erase(kVersion1OptionsEnd + kVersion2Extra, kVersion4Extra);
  if (version == 1) bytes.erase(kVersion1OptionsEnd, kVersion2Extra);
  bytes[8] = static_cast<char>(version);
  bytes.resize(bytes.size() - 8);
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(h >> (8 * i)));
  return bytes;
}

TEST(FeedbackModelIo, ReadsVersion1Files) {
  TrainOptions options = WithoutQuestionInput(SmallOptions());
  options.features.stem_words = false;
  options.features.fold_digits = false;
  options.features.cue_terms = false;
  options.features.span_ngram_min = 0;
  options.features.span_ngram_max = 0;
  options.tfidf.span_block_weight = 0.0f;
  const FeedbackModel model =
      TrainFeedbackModel(testing::SyntheticComments(), testing::SyntheticThemes(), options).value();
  auto loaded = DeserializeModel(AsOlderVersion(model, 1));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(SerializeModel(*loaded), SerializeModel(model));
  EXPECT_EQ(loaded->Classify("waited hours").theme_scores, model.Classify("waited hours").theme_scores);
}

TEST(FeedbackModelIo, ReadsVersion2Files) {
  auto loaded = DeserializeModel(AsOlderVersion(TextOnlyModel(), 2));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(SerializeModel(*loaded), SerializeModel(TextOnlyModel()));
  EXPECT_EQ(loaded->parts().vectorizer.embedding().size(), 0u);
  EXPECT_EQ(loaded->Classify("kind staff").theme_scores, TextOnlyModel().Classify("kind staff").theme_scores);
}

// A model with the embedding block but without the question input, as version 3 held them.
FeedbackModel EmbeddingModel() {
  TrainOptions options = WithoutQuestionInput(SmallOptions());
  options.tfidf.embedding_mean_weight = 0.5f;
  options.tfidf.embedding_max_weight = 0.3f;
  options.word_vectors = std::make_shared<const WordVectors>(testing::SyntheticWordVectors());
  return TrainFeedbackModel(testing::SyntheticComments(), testing::SyntheticThemes(), options).value();
}

TEST(FeedbackModelIo, ReadsVersion3FilesWhichIgnoreTheQuestionKind) {
  const FeedbackModel model = EmbeddingModel();
  auto loaded = DeserializeModel(AsOlderVersion(model, 3));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(SerializeModel(*loaded), SerializeModel(model));
  EXPECT_GT(loaded->parts().vectorizer.embedding_size(), 0u);
  EXPECT_EQ(loaded->parts().vectorizer.question_indicator_size(), 0u);
  for (const char* text : {"kind staff but slow", "nothing"}) {
    const Classification nonspecific = loaded->Classify(text);
    EXPECT_EQ(nonspecific.theme_scores, model.Classify(text).theme_scores) << text;
    for (QuestionKind kind : kAllQuestionKinds) {
      EXPECT_EQ(loaded->Classify(text, kind).theme_scores, nonspecific.theme_scores) << text;
      EXPECT_EQ(loaded->Classify(text, kind).sentiment_scores, nonspecific.sentiment_scores) << text;
    }
  }
}

TEST(FeedbackModelIo, RejectsQuestionTermsInOlderVersions) {
  EXPECT_EQ(Reason(AsOlderVersion(SmallModel(), 3)), "corrupt_model");
}

TEST(FeedbackModelIo, KeepsTheEmbeddingBlock) {
  TrainOptions options = SmallOptions();
  options.tfidf.embedding_mean_weight = 0.5f;
  options.tfidf.embedding_max_weight = 0.3f;
  options.word_vectors = std::make_shared<const WordVectors>(testing::SyntheticWordVectors());
  const FeedbackModel model =
      TrainFeedbackModel(testing::SyntheticComments(), testing::SyntheticThemes(), options).value();
  ASSERT_GT(model.parts().vectorizer.embedding_size(), 0u);
  const std::string bytes = SerializeModel(model);
  auto loaded = DeserializeModel(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(SerializeModel(*loaded), bytes);
  EXPECT_EQ(loaded->parts().vectorizer.embedding().keys(), model.parts().vectorizer.embedding().keys());
  for (const char* text : {"courteous people", "delayed", "kind staff but slow"}) {
    EXPECT_EQ(loaded->Classify(text).theme_scores, model.Classify(text).theme_scores) << text;
  }
  for (size_t len : {bytes.size() / 3, bytes.size() / 2, bytes.size() - 9}) {
    const std::string reason = Reason(std::string_view(bytes).substr(0, len));
    EXPECT_TRUE(reason == "truncated_model" || reason == "corrupt_model") << len << ": " << reason;
  }
}

TEST(FeedbackModelIo, RejectsOtherFiles) {
  EXPECT_EQ(Reason(""), "not_a_feedback_model");
  EXPECT_EQ(Reason("Comment ID,Trust\n"), "not_a_feedback_model");
  EXPECT_EQ(Reason("CDFBMODL"), "truncated_model");
}

TEST(FeedbackModelIo, RejectsUnknownVersion) {
  std::string bytes = SerializeModel(SmallModel());
  bytes[8] = 5;
  auto model = DeserializeModel(bytes);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().reason, "unsupported_model_version");
  EXPECT_NE(model.error().message.find("version 5"), std::string::npos);
  bytes[8] = 0;
  EXPECT_EQ(DeserializeModel(bytes).error().reason, "unsupported_model_version");
}

TEST(FeedbackModelIo, RejectsTruncatedFilesAtAnyLength) {
  const std::string bytes = SerializeModel(SmallModel());
  for (size_t len : {size_t{12}, size_t{40}, bytes.size() / 2, bytes.size() - 9, bytes.size() - 1}) {
    const std::string reason = Reason(std::string_view(bytes).substr(0, len));
    EXPECT_TRUE(reason == "truncated_model" || reason == "corrupt_model") << len << ": " << reason;
  }
  EXPECT_EQ(Reason(std::string_view(bytes).substr(0, bytes.size() / 2)), "truncated_model");
}

TEST(FeedbackModelIo, DetectsFlippedBytesAndTrailingData) {
  const std::string bytes = SerializeModel(SmallModel());
  for (size_t pos : {size_t{20}, bytes.size() / 2, bytes.size() - 20, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x10);
    const std::string reason = Reason(damaged);
    EXPECT_TRUE(reason == "corrupt_model" || reason == "truncated_model") << pos << ": " << reason;
  }
  EXPECT_EQ(Reason(bytes + "x"), "corrupt_model");
}

TEST(FeedbackModelIo, ReportsStreamFailures) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  auto st = SaveModel(SmallModel(), out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason, "model_write_failed");
}

}  // namespace
}  // namespace caredesk::feedback
