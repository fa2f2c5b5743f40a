#include "domain/feedback/tfidf_vectorizer.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <utility>

namespace caredesk::feedback {
namespace {


constexpr uint32_t kMaxWordNgram = 8;
constexpr uint32_t kMaxCharNgram = 16;
constexpr uint32_t kMaxNegationScope = 64;
// Rounding allowance for block weights that add up to 1.
constexpr float kWeightSlack = 1e-6f;
// The largest squared norm of a block that is not one of the word / char / span shares.
constexpr float kMaxAddedBlockWeight = 4.0f;


float Idf(double n, double df) { return static_cast<float>(std::log((1.0 + n) / (1.0 + df)) + 1.0); }

bool AddedBlockWeightOk(float w) { return w >= 0.0f && w <= kMaxAddedBlockWeight; }

}  // namespace

Status ValidateVectorizerOptions(const FeatureOptions& features, const TfidfOptions& tfidf) {
  const bool weights_ok =
      tfidf.word_block_weight >= 0.0f && tfidf.span_block_weight >= 0.0f &&
      tfidf.word_block_weight + tfidf.span_block_weight <= 1.0f + kWeightSlack &&
      AddedBlockWeightOk(tfidf.embedding_mean_weight) && AddedBlockWeightOk(tfidf.embedding_max_weight) &&
      AddedBlockWeightOk(tfidf.question_block_weight) && AddedBlockWeightOk(tfidf.question_indicator_weight);
  if (!weights_ok || features.word_ngram_max > kMaxWordNgram || features.char_ngram_max > kMaxCharNgram ||
      features.char_ngram_min > features.char_ngram_max || features.span_ngram_max > kMaxCharNgram ||
      features.span_ngram_min > features.span_ngram_max || features.negation_scope > kMaxNegationScope) {
    return Error::Invalid("options", "feature options out of range");
  }
  return Ok();
}

TfidfVectorizer TfidfVectorizer::Fit(std::span<const std::string> comments, std::span<const QuestionKind> kinds,
                                     const FeatureOptions& features, const TfidfOptions& tfidf,
                                     const WordVectors* word_vectors) {
  assert(kinds.empty() || kinds.size() == comments.size());
  TfidfVectorizer v;
  v.features_ = features;
  v.tfidf_ = tfidf;
  const double n = static_cast<double>(comments.size());

  const bool embed = tfidf.embedding_mean_weight > 0.0f || tfidf.embedding_max_weight > 0.0f;
  if (word_vectors != nullptr && word_vectors->size() > 0 && embed) {
    // Document frequency of each table word over the comments.
    std::vector<uint32_t> df(word_vectors->size(), 0);
    std::vector<size_t> seen;
    for (const std::string& comment : comments) {
      seen.clear();
      for (const WordToken& token : WordTokens(NormalizeComment(comment), features)) {
        const size_t entry = word_vectors->Find(WordVectors::KeyOf(token.text));
        if (entry != WordVectors::kNotFound) seen.push_back(entry);
      }
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      for (size_t entry : seen) ++df[entry];
    }
    const size_t top = tfidf.embedding_top_words;
    v.embedding_ = word_vectors->Subset([&](size_t rank, uint64_t) { return rank < top || df[rank] > 0; });
    for (size_t rank = 0; rank < word_vectors->size(); ++rank) {
      if (rank < top || df[rank] > 0) v.embedding_idf_.push_back(Idf(n, df[rank]));
    }
  }

  // Each comment's keys are distinct, so counting a key's occurrences over all comments gives
  // its document frequency.
  std::vector<std::pair<uint64_t, TermBlock>> occurrences;
  for (size_t i = 0; i < comments.size(); ++i) {
    const QuestionKind kind = kinds.empty() ? QuestionKind::kNonspecific : kinds[i];
    for (const TermCount& term : ExtractTerms(comments[i], features, kind)) {
      occurrences.emplace_back(term.key, term.block);
    }
  }
  std::sort(occurrences.begin(), occurrences.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < occurrences.size();) {
    size_t j = i;
    while (j < occurrences.size() && occurrences[j].first == occurrences[i].first) ++j;
    const size_t df = j - i;
    if (df >= tfidf.min_document_frequency) {
      v.keys_.push_back(occurrences[i].first);
      v.blocks_.push_back(occurrences[i].second);
      v.idf_.push_back(Idf(n, static_cast<double>(df)));
    }
    i = j;
  }
  v.BuildIndex();
  return v;
}

size_t TfidfVectorizer::embedding_size() const {
  if (embedding_.size() == 0) return 0;
  const size_t parts = (tfidf_.embedding_mean_weight > 0.0f ? 1 : 0) + (tfidf_.embedding_max_weight > 0.0f ? 1 : 0);
  return parts * embedding_.dimension();
}

size_t TfidfVectorizer::question_indicator_size() const {
  return tfidf_.question_indicator_weight > 0.0f ? kQuestionKindCount : 0;
}

Result<TfidfVectorizer> TfidfVectorizer::FromParts(const FeatureOptions& features, const TfidfOptions& tfidf,
                                                   std::vector<uint64_t> keys, std::vector<TermBlock> blocks,
                                                   std::vector<float> idf, WordVectors embedding,
                                                   std::vector<float> embedding_idf) {
  if (keys.size() != blocks.size() || keys.size() != idf.size()) {
    return Error::Invalid("model", "vocabulary arrays differ in length", "corrupt_model");
  }
  if (!ValidateVectorizerOptions(features, tfidf).ok()) {
    return Error::Invalid("model", "feature options out of range", "corrupt_model");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i] <= keys[i - 1]) {
      return Error::Invalid("model", "vocabulary keys are not sorted", "corrupt_model");
    }
    if (static_cast<size_t>(blocks[i]) >= kTermBlockCount || !std::isfinite(idf[i]) || idf[i] <= 0.0f) {
      return Error::Invalid("model", "vocabulary entry " + std::to_string(i) + " is invalid", "corrupt_model");
    }
  }
  if (embedding_idf.size() != embedding.size()) {
    return Error::Invalid("model", "embedding arrays differ in length", "corrupt_model");
  }
  for (float w : embedding_idf) {
    if (!std::isfinite(w) || w <= 0.0f) return Error::Invalid("model", "an embedding idf is invalid", "corrupt_model");
  }
  TfidfVectorizer v;
  v.features_ = features;
  v.tfidf_ = tfidf;
  v.embedding_ = std::move(embedding);
  v.embedding_idf_ = std::move(embedding_idf);
  v.keys_ = std::move(keys);
  v.blocks_ = std::move(blocks);
  v.idf_ = std::move(idf);
  v.BuildIndex();
  return v;
}

SparseVector TfidfVectorizer::Transform(std::string_view comment, QuestionKind question) const {
  SparseVector out;
  if (dimension() == 0) return out;
  const std::vector<TermCount> terms = ExtractTerms(comment, features_, question);
  out.index.reserve(terms.size());
  out.value.reserve(terms.size());
  std::array<double, kTermBlockCount> squared_norm{};
  // Terms arrive sorted by key and feature indices follow key order, so the output is sorted.
  for (const TermCount& term : terms) {
    const uint32_t index = Find(term.key);
    if (index == KeyIndex::kAbsent) continue;
    const float tf = tfidf_.sublinear_tf ? 1.0f + std::log(term.count) : term.count;
    const float weight = tf * idf_[index];
    out.index.push_back(index);
    out.value.push_back(weight);
    squared_norm[static_cast<size_t>(blocks_[index])] += static_cast<double>(weight) * weight;
  }
  const double word_share = tfidf_.word_block_weight;
  const double span_share = tfidf_.span_block_weight;
  const std::array<double, kTermBlockCount> share = {word_share, std::max(0.0, 1.0 - word_share - span_share),
                                                     span_share, tfidf_.question_block_weight};
  std::array<float, kTermBlockCount> scale{};
  for (size_t b = 0; b < kTermBlockCount; ++b) {
    scale[b] = squared_norm[b] > 0.0 ? static_cast<float>(std::sqrt(share[b] / squared_norm[b])) : 0.0f;
  }
  for (size_t k = 0; k < out.index.size(); ++k) out.value[k] *= scale[static_cast<size_t>(blocks_[out.index[k]])];
  if (embedding_size() > 0) AppendEmbedding(comment, out);
  if (question_indicator_size() > 0) {
    out.index.push_back(static_cast<uint32_t>(size() + embedding_size() + static_cast<size_t>(question)));
    out.value.push_back(std::sqrt(tfidf_.question_indicator_weight));
  }
  return out;
}

void TfidfVectorizer::AppendEmbedding(std::string_view comment, SparseVector& out) const {
  const size_t d = embedding_.dimension();
  std::vector<float> mean(d, 0.0f);
  std::vector<float> largest(d, 0.0f);
  bool any = false;
  for (const WordToken& token : WordTokens(NormalizeComment(comment), features_)) {
    const size_t entry = embedding_.Find(WordVectors::KeyOf(token.text));
    if (entry == WordVectors::kNotFound) continue;
    embedding_.AddTo(entry, embedding_idf_[entry], mean.data());
    for (size_t k = 0; k < d; ++k) {
      const float x = embedding_.Value(entry, k);
      largest[k] = any ? std::max(largest[k], x) : x;
    }
    any = true;
  }
  uint32_t base = static_cast<uint32_t>(keys_.size());
  for (const auto& [part, weight] : {std::pair{&mean, tfidf_.embedding_mean_weight},
                                     std::pair{&largest, tfidf_.embedding_max_weight}}) {
    if (!(weight > 0.0f)) continue;
    double squared = 0.0;
    for (float x : *part) squared += static_cast<double>(x) * x;
    if (squared > 0.0) {
      const float scale = static_cast<float>(std::sqrt(weight / squared));
      for (size_t k = 0; k < d; ++k) {
        const float x = (*part)[k] * scale;
        if (x == 0.0f) continue;
        out.index.push_back(base + static_cast<uint32_t>(k));
        out.value.push_back(x);
      }
    }
    base += static_cast<uint32_t>(d);
  }
}

}  // namespace caredesk::feedback
