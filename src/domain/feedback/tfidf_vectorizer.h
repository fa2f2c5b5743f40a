// TF-IDF weighting of the terms of text_features.h over a vocabulary learnt from training
// comments: a term is kept when it occurs in at least min_document_frequency of them. A comment
// becomes a sparse vector whose word, character and span blocks (TermBlock) are each
// L2-normalised and then scaled so that their squared norms are word_block_weight,
// 1 − word_block_weight − span_block_weight and span_block_weight (a block without terms stays
// empty), and whose question block (word terms joined with the question kind) is scaled to
// question_block_weight; optionally followed by a dense block of pretrained word vectors
// (word_vectors.h) and by three question indicators (one a QuestionKind).
//
// Feature layout: TF-IDF terms [0, size()), embedding [size(), size() + embedding_size()),
// question indicators after them, up to dimension().
//
// Weights: tf' = 1 + ln(tf) (sublinear) or tf; idf = ln((1 + n) / (1 + df)) + 1, with n the
// number of fitting comments — the smoothed form of scikit-learn's TfidfVectorizer.
//
// Immutable after construction; thread-safe for concurrent Transform calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/feedback/key_index.h"
#include "domain/feedback/question_kind.h"
#include "domain/feedback/text_features.h"
#include "domain/feedback/word_vectors.h"

namespace caredesk::feedback {

// Sorted feature indices with their values.
struct SparseVector {
  std::vector<uint32_t> index;
  std::vector<float> value;
};

struct TfidfOptions {
  uint32_t min_document_frequency = 2;
  bool sublinear_tf = true;
  float word_block_weight = 0.4f;  // in [0, 1]
  float span_block_weight = 0.3f;  // in [0, 1 − word_block_weight]
  // The embedding block (used only when Fit is given word vectors): the idf-weighted mean of the
  // pretrained vectors of the comment's words (WordTokens, as written), L2-normalised and scaled
  // to squared norm embedding_mean_weight, appended after the TF-IDF features; and the
  // element-wise maximum of those vectors, likewise scaled to embedding_max_weight. 0 disables a
  // part. Each in [0, 4]. The defaults were chosen by nested cross-validation on the
  // pxtextmining training rows (README.md).
  float embedding_mean_weight = 0.5f;
  float embedding_max_weight = 0.3f;
  // Word vectors the model keeps: those of words in the fitting comments plus the first
  // embedding_top_words of the source table (its most frequent words), for unseen words.
  uint32_t embedding_top_words = 30000;
  // The question block (FeatureOptions::question_terms), L2-normalised to this squared norm.
  // In [0, 4].
  float question_block_weight = 0.15f;
  // The question indicators: three features after the embedding block, one a QuestionKind; the
  // comment's kind has the value sqrt(question_indicator_weight), the others 0. 0: no indicator
  // features. In [0, 4]. These two weights, too, were chosen by nested cross-validation on the
  // pxtextmining training rows (README.md).
  float question_indicator_weight = 0.3f;
};

// OK when the options are in range: word n-grams up to 8 words, character n-grams up to 16 bytes
// with min ≤ max (inside words and across them), a negation scope up to 64 words, word and span
// block weights in [0, 1] adding up to at most 1, and the embedding and question weights in
// [0, 4]. Invalid (field "options") otherwise.
Status ValidateVectorizerOptions(const FeatureOptions& features, const TfidfOptions& tfidf);

class TfidfVectorizer {
 public:
  TfidfVectorizer() = default;

  // Learns the vocabulary and idf from `comments`, which answer questions of `kinds` (parallel to
  // `comments`, or empty: all nonspecific). Deterministic. The options must pass
  // ValidateVectorizerOptions.
  // With `word_vectors` (may be null) and a positive embedding weight, also builds the
  // embedding block: the kept word vectors and each one's idf over `comments` (unseen words get
  // the idf of a term in no comment).
  static TfidfVectorizer Fit(std::span<const std::string> comments, std::span<const QuestionKind> kinds,
                             const FeatureOptions& features, const TfidfOptions& tfidf,
                             const WordVectors* word_vectors = nullptr);

  // Rebuilds a vectorizer from its parts (as stored in a model). Invalid (field "model", reason
  // "corrupt_model") when the sizes differ, the keys are not strictly increasing, a block is
  // unknown, an idf is not finite and positive, or ValidateVectorizerOptions fails.
  static Result<TfidfVectorizer> FromParts(const FeatureOptions& features, const TfidfOptions& tfidf,
                                           std::vector<uint64_t> keys, std::vector<TermBlock> blocks,
                                           std::vector<float> idf, WordVectors embedding = {},
                                           std::vector<float> embedding_idf = {});

  // The features of `comment` answering a question of kind `question`.
  SparseVector Transform(std::string_view comment, QuestionKind question = QuestionKind::kNonspecific) const;

  // TF-IDF features (feature indices [0, size())).
  size_t size() const { return keys_.size(); }
  // Embedding features, at indices [size(), size() + embedding_size()).
  size_t embedding_size() const;
  // Question indicator features (kQuestionKindCount or 0), after the embedding features.
  size_t question_indicator_size() const;
  // Every feature.
  size_t dimension() const { return size() + embedding_size() + question_indicator_size(); }
  const FeatureOptions& feature_options() const { return features_; }
  const TfidfOptions& tfidf_options() const { return tfidf_; }
  const std::vector<uint64_t>& keys() const { return keys_; }
  const std::vector<TermBlock>& blocks() const { return blocks_; }
  const std::vector<float>& idf() const { return idf_; }
  const WordVectors& embedding() const { return embedding_; }
  const std::vector<float>& embedding_idf() const { return embedding_idf_; }

 private:
  void BuildIndex() { index_.Build(keys_); }
  uint32_t Find(uint64_t key) const { return index_.Find(keys_, key); }  // KeyIndex::kAbsent when absent
  void AppendEmbedding(std::string_view comment, SparseVector& out) const;

  FeatureOptions features_;
  TfidfOptions tfidf_;
  std::vector<uint64_t> keys_;  // strictly increasing; the feature index is the position
  std::vector<TermBlock> blocks_;
  std::vector<float> idf_;
  WordVectors embedding_;             // empty: no embedding block
  std::vector<float> embedding_idf_;  // one an embedding entry
  KeyIndex index_;  // key → feature index
};

}  // namespace caredesk::feedback
