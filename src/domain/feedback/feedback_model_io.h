// The on-disk form of a FeedbackModel: a versioned little-endian binary file, the same bytes on
// every platform for the same model.
//
// Layout (version 4): the magic "CDFBMODL"; u32 version; the feature and TF-IDF options (version
// 1 files lack the second group — stemming, digit folding, cue terms, span n-gram lengths and span
// block weight — which then read as off; versions 1–3 lack the third — the question terms flag,
// f32 question block weight, f32 question indicator weight — and so have no question input); the
// themes (u32 count, then u32 length + UTF-8 bytes each) and their f32 thresholds; u64 vocabulary
// size, then the u64 term keys, u8 term blocks and f32 idf values; (version ≥ 3) the embedding
// block: f32 mean and max weights, u32 top words, u32 dimension, u64 word count, the u64 word
// keys, f32 scales, i8 codes and f32 idf values (word_vectors.h; count 0 without the block); u32
// output count, the f32 biases and the f32 weight matrix (feature-major, question indicators
// last); last, a u64 FNV-1a checksum of every byte before it.
//
// Errors are values (ErrorCode::kInvalidArgument, field "model") with these reasons:
//   "not_a_feedback_model"      the magic is missing (not a model file at all)
//   "unsupported_model_version" written by a newer or unknown format version
//   "truncated_model"           the input ends early
//   "corrupt_model"             checksum mismatch, trailing bytes or inconsistent contents
//   "model_read_failed"         the stream failed (SaveModel: "model_write_failed")
//
// Pure functions over streams; thread-safe for distinct streams.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/feedback/feedback_model.h"

namespace caredesk::feedback {

inline constexpr std::string_view kModelMagic = "CDFBMODL";
// The version SerializeModel writes, and the oldest one DeserializeModel still reads.
inline constexpr uint32_t kModelFormatVersion = 4;
inline constexpr uint32_t kOldestModelFormatVersion = 1;

// The serialised bytes of `model`.
std::string SerializeModel(const FeedbackModel& model);
// Reads a model from the whole of `bytes`.
Result<FeedbackModel> DeserializeModel(std::string_view bytes);

// Writes SerializeModel(model) to `out`.
Status SaveModel(const FeedbackModel& model, std::ostream& out);
// Reads `in` to its end and deserialises it.
Result<FeedbackModel> LoadModel(std::istream& in);

}  // namespace caredesk::feedback
