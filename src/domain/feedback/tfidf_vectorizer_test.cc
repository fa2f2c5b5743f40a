#include "domain/feedback/tfidf_vectorizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "domain/feedback/feedback_test_data.h"

namespace caredesk::feedback {
namespace {

double SquaredNorm(const SparseVector& v) {
  double s = 0;
  for (float x : v.value) s += static_cast<double>(x) * x;
  return s;
}

// The default text features, without question terms.
FeatureOptions TextFeatures() {
  FeatureOptions f;
  f.question_terms = false;
  return f;
}

// The default weights, without the question block and indicators.
TfidfOptions TextOnly() {
  TfidfOptions t;
  t.question_block_weight = 0.0f;
  t.question_indicator_weight = 0.0f;
  return t;
}

FeatureOptions WordsOnly() {
  FeatureOptions f = TextFeatures();
  f.char_ngram_min = 0;
  f.char_ngram_max = 0;
  f.span_ngram_min = 0;
  f.span_ngram_max = 0;
  f.word_ngram_max = 1;
  f.mark_negation = false;
  f.stem_words = false;
  f.cue_terms = false;
  return f;
}

TEST(TfidfVectorizer, KeepsTermsAboveMinimumDocumentFrequency) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse", "rude driver"};
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 2;
  const auto v = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t);
  EXPECT_EQ(v.size(), 1u);  // only "kind"
  EXPECT_NEAR(v.idf()[0], std::log(4.0 / 3.0) + 1.0, 1e-6);
  EXPECT_EQ(v.Transform("rude driver").index.size(), 0u);
  t.min_document_frequency = 1;
  EXPECT_EQ(TfidfVectorizer::Fit(docs, {}, WordsOnly(), t).size(), 5u);
}

TEST(TfidfVectorizer, BlocksAreNormalisedToTheirShares) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse", "staff rude"};
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  t.word_block_weight = 0.25f;
  const auto v = TfidfVectorizer::Fit(docs, {}, TextFeatures(), t);
  const SparseVector x = v.Transform("kind staff");
  EXPECT_NEAR(SquaredNorm(x), 1.0, 1e-5);
  double word = 0;
  for (size_t k = 0; k < x.index.size(); ++k) {
    if (v.blocks()[x.index[k]] == TermBlock::kWord) word += static_cast<double>(x.value[k]) * x.value[k];
  }
  EXPECT_NEAR(word, 0.25, 1e-5);
  double span = 0;
  for (size_t k = 0; k < x.index.size(); ++k) {
    if (v.blocks()[x.index[k]] == TermBlock::kSpan) span += static_cast<double>(x.value[k]) * x.value[k];
  }
  EXPECT_NEAR(span, t.span_block_weight, 1e-5);
  EXPECT_TRUE(std::is_sorted(x.index.begin(), x.index.end()));
}

TEST(TfidfVectorizer, SublinearTermFrequency) {
  const std::vector<std::string> docs = {"wait", "kind"};  // equal idf
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  const auto sublinear = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t);
  SparseVector x = sublinear.Transform("wait wait wait kind");
  ASSERT_EQ(x.index.size(), 2u);
  EXPECT_NEAR(std::max(x.value[0], x.value[1]) / std::min(x.value[0], x.value[1]), 1.0 + std::log(3.0), 1e-5);
  t.sublinear_tf = false;
  x = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t).Transform("wait wait wait kind");
  EXPECT_NEAR(std::max(x.value[0], x.value[1]) / std::min(x.value[0], x.value[1]), 3.0, 1e-5);
}

TEST(TfidfVectorizer, FromPartsRebuildsAndValidates) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse"};
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  const auto v = TfidfVectorizer::Fit(docs, {}, TextFeatures(), t);
  auto copy = TfidfVectorizer::FromParts(v.feature_options(), v.tfidf_options(), v.keys(), v.blocks(), v.idf());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->Transform("kind nurse").value, v.Transform("kind nurse").value);

  auto unsorted_keys = v.keys();
  std::swap(unsorted_keys[0], unsorted_keys[1]);
  EXPECT_FALSE(TfidfVectorizer::FromParts(v.feature_options(), t, unsorted_keys, v.blocks(), v.idf()).ok());
  auto bad_idf = v.idf();
  bad_idf[0] = -1.0f;
  auto bad = TfidfVectorizer::FromParts(v.feature_options(), t, v.keys(), v.blocks(), bad_idf);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "corrupt_model");
  auto short_blocks = v.blocks();
  short_blocks.pop_back();
  EXPECT_FALSE(TfidfVectorizer::FromParts(v.feature_options(), t, v.keys(), short_blocks, v.idf()).ok());
}

TEST(ValidateVectorizerOptions, RejectsOutOfRangeOptions) {
  EXPECT_TRUE(ValidateVectorizerOptions(FeatureOptions{}, TfidfOptions{}).ok());
  FeatureOptions f;
  f.char_ngram_min = 6;
  EXPECT_EQ(ValidateVectorizerOptions(f, TfidfOptions{}).error().field, "options");
  f = FeatureOptions{};
  f.span_ngram_min = 7;
  EXPECT_FALSE(ValidateVectorizerOptions(f, TfidfOptions{}).ok());
  TfidfOptions t;
  t.word_block_weight = 1.5f;
  EXPECT_FALSE(ValidateVectorizerOptions(FeatureOptions{}, t).ok());
  t.word_block_weight = 0.8f;
  t.span_block_weight = 0.3f;  // adds up to more than 1
  EXPECT_FALSE(ValidateVectorizerOptions(FeatureOptions{}, t).ok());
  t.span_block_weight = 0.2f;
  EXPECT_TRUE(ValidateVectorizerOptions(FeatureOptions{}, t).ok());
}

// The dense part of `x` (indices ≥ first), as a vector of `size` values.
std::vector<double> DensePart(const SparseVector& x, size_t first, size_t size) {
  std::vector<double> dense(size, 0.0);
  for (size_t k = 0; k < x.index.size(); ++k) {
    if (x.index[k] >= first) dense[x.index[k] - first] = x.value[k];
  }
  return dense;
}

// Cosine of a and b.
double Cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(TfidfVectorizer, EmbeddingBlockIsTheNormalisedIdfWeightedMean) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse", "waited long"};
  const WordVectors vectors = testing::SyntheticWordVectors();
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  t.embedding_mean_weight = 0.5f;
  t.embedding_max_weight = 0.0f;
  t.embedding_top_words = 3;  // "the", "kind", "lovely"
  t.word_block_weight = 1.0f;  // WordsOnly: the word block is the only TF-IDF block
  t.span_block_weight = 0.0f;
  const auto v = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t, &vectors);
  EXPECT_EQ(v.embedding_size(), 4u);
  EXPECT_EQ(v.dimension(), v.size() + 4);
  // The top 3 words and "waited" (in a comment); not "slow", "parking", … .
  ASSERT_EQ(v.embedding().size(), 4u);
  const size_t kind = v.embedding().Find(WordVectors::KeyOf("kind"));
  const size_t waited = v.embedding().Find(WordVectors::KeyOf("waited"));
  const size_t lovely = v.embedding().Find(WordVectors::KeyOf("lovely"));
  ASSERT_NE(waited, WordVectors::kNotFound);
  EXPECT_EQ(v.embedding().Find(WordVectors::KeyOf("slow")), WordVectors::kNotFound);
  EXPECT_NEAR(v.embedding_idf()[kind], std::log(4.0 / 3.0) + 1.0, 1e-6);
  EXPECT_NEAR(v.embedding_idf()[waited], std::log(4.0 / 2.0) + 1.0, 1e-6);
  EXPECT_NEAR(v.embedding_idf()[lovely], std::log(4.0) + 1.0, 1e-6);  // in no comment

  const SparseVector x = v.Transform("Kind, waited!");
  EXPECT_TRUE(std::is_sorted(x.index.begin(), x.index.end()));
  const std::vector<double> dense = DensePart(x, v.size(), 4);
  double squared = 0;
  for (double d : dense) squared += d * d;
  EXPECT_NEAR(squared, 0.5, 1e-5);
  std::vector<double> expected(4);
  for (size_t d = 0; d < 4; ++d) {
    expected[d] = v.embedding_idf()[kind] * v.embedding().Value(kind, d) +
                  v.embedding_idf()[waited] * v.embedding().Value(waited, d);
  }
  EXPECT_NEAR(Cosine(dense, expected), 1.0, 1e-6);
  EXPECT_NEAR(SquaredNorm(x), 1.0 + 0.5, 1e-5);  // the TF-IDF block keeps its share

  // An unseen word of the top list still counts; words outside the table add nothing.
  const std::vector<double> unseen = DensePart(v.Transform("lovely"), v.size(), 4);
  std::vector<double> lovely_vector(4);
  for (size_t d = 0; d < 4; ++d) lovely_vector[d] = v.embedding().Value(lovely, d);
  EXPECT_NEAR(Cosine(unseen, lovely_vector), 1.0, 1e-6);
  for (uint32_t i : v.Transform("slow parking").index) EXPECT_LT(i, v.size());
}

TEST(TfidfVectorizer, EmbeddingMaxPoolingFollowsTheMean) {
  const std::vector<std::string> docs = {"kind staff", "waited long"};
  const WordVectors vectors = testing::SyntheticWordVectors();
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  t.embedding_mean_weight = 0.5f;
  t.embedding_max_weight = 0.25f;
  const auto v = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t, &vectors);
  ASSERT_EQ(v.embedding_size(), 8u);
  const std::vector<double> both = DensePart(v.Transform("kind waited"), v.size(), 8);
  const std::vector<double> pooled(both.begin() + 4, both.end());
  std::vector<double> expected(4);
  const size_t kind = v.embedding().Find(WordVectors::KeyOf("kind"));
  const size_t waited = v.embedding().Find(WordVectors::KeyOf("waited"));
  for (size_t d = 0; d < 4; ++d) {
    expected[d] = std::max(v.embedding().Value(kind, d), v.embedding().Value(waited, d));
  }
  EXPECT_NEAR(Cosine(pooled, expected), 1.0, 1e-6);
  double squared = 0;
  for (double p : pooled) squared += p * p;
  EXPECT_NEAR(squared, 0.25, 1e-5);
}

TEST(TfidfVectorizer, NoEmbeddingBlockWithoutVectorsOrWeights) {
  const std::vector<std::string> docs = {"kind staff", "waited long"};
  const WordVectors vectors = testing::SyntheticWordVectors();
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  t.embedding_mean_weight = 0.5f;
  const auto without_vectors = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t);
  EXPECT_EQ(without_vectors.dimension(), without_vectors.size());
  t.embedding_mean_weight = 0.0f;
  t.embedding_max_weight = 0.0f;
  const auto without_weights = TfidfVectorizer::Fit(docs, {}, WordsOnly(), t, &vectors);
  EXPECT_EQ(without_weights.dimension(), without_weights.size());
  EXPECT_EQ(without_weights.embedding().size(), 0u);
}

TEST(TfidfVectorizer, FromPartsKeepsTheEmbedding) {
  const std::vector<std::string> docs = {"kind staff", "waited long"};
  const WordVectors vectors = testing::SyntheticWordVectors();
  TfidfOptions t = TextOnly();
  t.min_document_frequency = 1;
  t.embedding_mean_weight = 0.5f;
  t.embedding_max_weight = 0.3f;
  const auto v = TfidfVectorizer::Fit(docs, {}, TextFeatures(), t, &vectors);
  auto copy = TfidfVectorizer::FromParts(v.feature_options(), v.tfidf_options(), v.keys(), v.blocks(), v.idf(),
                                         v.embedding(), v.embedding_idf());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->dimension(), v.dimension());
  EXPECT_EQ(copy->Transform("kind nurse waited").value, v.Transform("kind nurse waited").value);
  auto short_idf = v.embedding_idf();
  short_idf.pop_back();
  auto bad = TfidfVectorizer::FromParts(v.feature_options(), t, v.keys(), v.blocks(), v.idf(), v.embedding(), short_idf);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "corrupt_model");
  TfidfOptions heavy = t;
  heavy.embedding_mean_weight = 5.0f;
  EXPECT_FALSE(ValidateVectorizerOptions(FeatureOptions{}, heavy).ok());
}

TEST(TfidfVectorizer, QuestionTermsAreCountedUnderEachCommentsKind) {
  const std::vector<std::string> docs = {"nothing", "nothing", "nothing"};
  const std::vector<QuestionKind> kinds = {QuestionKind::kWhatGood, QuestionKind::kCouldImprove,
                                           QuestionKind::kCouldImprove};
  FeatureOptions f = WordsOnly();
  f.question_terms = true;
  TfidfOptions t;
  t.min_document_frequency = 2;
  t.question_block_weight = 0.5f;
  t.question_indicator_weight = 0.0f;
  const auto v = TfidfVectorizer::Fit(docs, kinds, f, t);
  // "nothing" (3 comments) and "nothing" under could_improve (2); not under what_good (1).
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(std::count(v.blocks().begin(), v.blocks().end(), TermBlock::kQuestion), 1);
  EXPECT_EQ(v.Transform("nothing", QuestionKind::kCouldImprove).index.size(), 2u);
  EXPECT_EQ(v.Transform("nothing", QuestionKind::kWhatGood).index.size(), 1u);
  // Without kinds every comment is nonspecific.
  EXPECT_EQ(TfidfVectorizer::Fit(docs, {}, f, t).Transform("nothing").index.size(), 2u);
}

TEST(TfidfVectorizer, QuestionBlockAndIndicatorsHaveTheirWeights) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse", "staff rude"};
  const std::vector<QuestionKind> kinds(3, QuestionKind::kWhatGood);
  FeatureOptions f = WordsOnly();
  f.question_terms = true;
  TfidfOptions t;
  t.min_document_frequency = 1;
  t.question_block_weight = 0.2f;
  t.question_indicator_weight = 0.25f;
  const auto v = TfidfVectorizer::Fit(docs, kinds, f, t);
  EXPECT_EQ(v.question_indicator_size(), 3u);
  EXPECT_EQ(v.dimension(), v.size() + 3);
  const SparseVector x = v.Transform("kind staff", QuestionKind::kWhatGood);
  double question = 0;
  for (size_t k = 0; k + 1 < x.index.size(); ++k) {
    if (v.blocks()[x.index[k]] == TermBlock::kQuestion) question += static_cast<double>(x.value[k]) * x.value[k];
  }
  EXPECT_NEAR(question, 0.2, 1e-5);
  // The indicator of the comment's kind comes last, with value sqrt(0.25).
  EXPECT_EQ(x.index.back(), v.size() + static_cast<size_t>(QuestionKind::kWhatGood));
  EXPECT_FLOAT_EQ(x.value.back(), 0.5f);
  EXPECT_EQ(v.Transform("kind staff", QuestionKind::kCouldImprove).index.back(),
            v.size() + static_cast<size_t>(QuestionKind::kCouldImprove));
  EXPECT_EQ(v.Transform("", QuestionKind::kNonspecific).index,
            (std::vector<uint32_t>{static_cast<uint32_t>(v.size())}));

  TfidfOptions heavy = t;
  heavy.question_block_weight = 5.0f;
  EXPECT_FALSE(ValidateVectorizerOptions(f, heavy).ok());
  heavy = t;
  heavy.question_indicator_weight = -1.0f;
  EXPECT_FALSE(ValidateVectorizerOptions(f, heavy).ok());
}

TEST(TfidfVectorizer, EmptyVocabularyGivesOnlyTheQuestionIndicator) {
  auto text_only = TfidfVectorizer::FromParts(TextFeatures(), TextOnly(), {}, {}, {});
  ASSERT_TRUE(text_only.ok());
  EXPECT_TRUE(text_only->Transform("anything").index.empty());
  const TfidfVectorizer v;  // the default options have question indicators
  EXPECT_EQ(v.Transform("anything", QuestionKind::kWhatGood).index,
            (std::vector<uint32_t>{static_cast<uint32_t>(QuestionKind::kWhatGood)}));
}

}  // namespace
}  // namespace caredesk::feedback
