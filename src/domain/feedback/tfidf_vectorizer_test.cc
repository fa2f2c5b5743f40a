#include "domain/feedback/tfidf_vectorizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace caredesk::feedback {
namespace {

double SquaredNorm(const SparseVector& v) {
  double s = 0;
  for (float x : v.value) s += static_cast<double>(x) * x;
  return s;
}

FeatureOptions WordsOnly() {
  FeatureOptions f;
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
  TfidfOptions t;
  t.min_document_frequency = 2;
  const auto v = TfidfVectorizer::Fit(docs, WordsOnly(), t);
  EXPECT_EQ(v.size(), 1u);  // only "kind"
  EXPECT_NEAR(v.idf()[0], std::log(4.0 / 3.0) + 1.0, 1e-6);
  EXPECT_EQ(v.Transform("rude driver").index.size(), 0u);
  t.min_document_frequency = 1;
  EXPECT_EQ(TfidfVectorizer::Fit(docs, WordsOnly(), t).size(), 5u);
}

TEST(TfidfVectorizer, BlocksAreNormalisedToTheirShares) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse", "staff rude"};
  TfidfOptions t;
  t.min_document_frequency = 1;
  t.word_block_weight = 0.25f;
  const auto v = TfidfVectorizer::Fit(docs, FeatureOptions{}, t);
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
  TfidfOptions t;
  t.min_document_frequency = 1;
  const auto sublinear = TfidfVectorizer::Fit(docs, WordsOnly(), t);
  SparseVector x = sublinear.Transform("wait wait wait kind");
  ASSERT_EQ(x.index.size(), 2u);
  EXPECT_NEAR(std::max(x.value[0], x.value[1]) / std::min(x.value[0], x.value[1]), 1.0 + std::log(3.0), 1e-5);
  t.sublinear_tf = false;
  x = TfidfVectorizer::Fit(docs, WordsOnly(), t).Transform("wait wait wait kind");
  EXPECT_NEAR(std::max(x.value[0], x.value[1]) / std::min(x.value[0], x.value[1]), 3.0, 1e-5);
}

TEST(TfidfVectorizer, FromPartsRebuildsAndValidates) {
  const std::vector<std::string> docs = {"kind staff", "kind nurse"};
  TfidfOptions t;
  t.min_document_frequency = 1;
  const auto v = TfidfVectorizer::Fit(docs, FeatureOptions{}, t);
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

TEST(TfidfVectorizer, EmptyVocabularyGivesEmptyVectors) {
  const TfidfVectorizer v;
  EXPECT_TRUE(v.Transform("anything").index.empty());
}

}  // namespace
}  // namespace caredesk::feedback
