#include "domain/feedback/feedback_model_io.h"

#include <bit>
#include <iterator>
#include <utility>
#include <vector>

namespace caredesk::feedback {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr size_t kChecksumBytes = 8;
// Sanity caps that keep a damaged length field from asking for absurd allocations.
constexpr uint32_t kMaxThemes = 1u << 16;
constexpr uint32_t kMaxThemeNameBytes = 1u << 12;
constexpr uint32_t kMaxEmbeddingDimension = 4096;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : bytes) h = (h ^ c) * kFnvPrime;
  return h;
}

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void F32(float v) { U32(std::bit_cast<uint32_t>(v)); }
  void Bytes(std::string_view s) { out_.append(s); }
  void String(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

Error Truncated() { return Error::Invalid("model", "the model file ends early", "truncated_model"); }
Error Corrupt(std::string message) { return Error::Invalid("model", std::move(message), "corrupt_model"); }

// Reads little-endian values from a byte range, failing with "truncated_model" past its end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - pos_; }

  Result<uint8_t> U8() {
    if (remaining() < 1) return Truncated();
    return static_cast<uint8_t>(bytes_[pos_++]);
  }
  Result<uint32_t> U32() {
    if (remaining() < 4) return Truncated();
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes_[pos_++])) << (8 * i);
    return v;
  }
  Result<uint64_t> U64() {
    if (remaining() < 8) return Truncated();
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes_[pos_++])) << (8 * i);
    return v;
  }
  Result<float> F32() {
    CD_ASSIGN_OR_RETURN(uint32_t bits, U32());
    return std::bit_cast<float>(bits);
  }
  Result<bool> Bool() {
    CD_ASSIGN_OR_RETURN(uint8_t v, U8());
    if (v > 1) return Corrupt("a flag is neither 0 nor 1");
    return v == 1;
  }
  Result<std::string> String(uint32_t max_bytes) {
    CD_ASSIGN_OR_RETURN(uint32_t size, U32());
    if (size > max_bytes) return Corrupt("a name is too long");
    if (remaining() < size) return Truncated();
    std::string s(bytes_.substr(pos_, size));
    pos_ += size;
    return s;
  }
  // `count` values of `element_bytes` each must fit in what is left.
  Status Expect(uint64_t count, size_t element_bytes) {
    if (count > remaining() / element_bytes) return Truncated();
    return Ok();
  }
  Result<std::vector<float>> F32s(uint64_t count) {
    CD_RETURN_IF_ERROR(Expect(count, 4));
    std::vector<float> v(count);
    for (float& x : v) x = F32().value();
    return v;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

// Everything after the version, up to the checksum. Version 1 files predate stemming, digit
// folding, cue terms and the span block: those read as off. Versions 1 and 2 predate the
// embedding block: none. Versions 1–3 predate the question input: none.
Result<FeedbackModel::Parts> ParsePayload(Reader& r, uint32_t version) {
  FeatureOptions features;
  TfidfOptions tfidf;
  CD_ASSIGN_OR_RETURN(features.word_ngram_max, r.U32());
  CD_ASSIGN_OR_RETURN(features.char_ngram_min, r.U32());
  CD_ASSIGN_OR_RETURN(features.char_ngram_max, r.U32());
  CD_ASSIGN_OR_RETURN(features.char_within_words, r.Bool());
  CD_ASSIGN_OR_RETURN(features.mark_negation, r.Bool());
  CD_ASSIGN_OR_RETURN(features.negation_scope, r.U32());
  CD_ASSIGN_OR_RETURN(tfidf.min_document_frequency, r.U32());
  CD_ASSIGN_OR_RETURN(tfidf.sublinear_tf, r.Bool());
  CD_ASSIGN_OR_RETURN(tfidf.word_block_weight, r.F32());
  if (version >= 2) {
    CD_ASSIGN_OR_RETURN(features.stem_words, r.Bool());
    CD_ASSIGN_OR_RETURN(features.fold_digits, r.Bool());
    CD_ASSIGN_OR_RETURN(features.cue_terms, r.Bool());
    CD_ASSIGN_OR_RETURN(features.span_ngram_min, r.U32());
    CD_ASSIGN_OR_RETURN(features.span_ngram_max, r.U32());
    CD_ASSIGN_OR_RETURN(tfidf.span_block_weight, r.F32());
  } else {
    features.stem_words = false;
    features.fold_digits = false;
    features.cue_terms = false;
    features.span_ngram_min = 0;
    features.span_ngram_max = 0;
    tfidf.span_block_weight = 0.0f;
  }
  // Versions 1–3 predate the question input: no question terms or indicators (the defaults of
  // the options would turn them on).
  features.question_terms = false;
  tfidf.question_block_weight = 0.0f;
  tfidf.question_indicator_weight = 0.0f;
  if (version >= 4) {
    CD_ASSIGN_OR_RETURN(features.question_terms, r.Bool());
    CD_ASSIGN_OR_RETURN(tfidf.question_block_weight, r.F32());
    CD_ASSIGN_OR_RETURN(tfidf.question_indicator_weight, r.F32());
  }

  FeedbackModel::Parts parts;
  CD_ASSIGN_OR_RETURN(uint32_t theme_count, r.U32());
  if (theme_count == 0 || theme_count > kMaxThemes) return Corrupt("implausible theme count");
  for (uint32_t t = 0; t < theme_count; ++t) {
    CD_ASSIGN_OR_RETURN(std::string theme, r.String(kMaxThemeNameBytes));
    parts.themes.push_back(std::move(theme));
  }
  CD_ASSIGN_OR_RETURN(parts.theme_thresholds, r.F32s(theme_count));

  CD_ASSIGN_OR_RETURN(uint64_t vocabulary_size, r.U64());
  CD_RETURN_IF_ERROR(r.Expect(vocabulary_size, 8 + 1 + 4));
  std::vector<uint64_t> keys(vocabulary_size);
  for (uint64_t& k : keys) k = r.U64().value();
  std::vector<TermBlock> blocks(vocabulary_size);
  for (TermBlock& b : blocks) {
    b = static_cast<TermBlock>(r.U8().value());
    if (b == TermBlock::kQuestion && version < 4) return Corrupt("a question term in a model before version 4");
  }
  CD_ASSIGN_OR_RETURN(std::vector<float> idf, r.F32s(vocabulary_size));
  WordVectors embedding;
  std::vector<float> embedding_idf;
  if (version >= 3) {
    CD_ASSIGN_OR_RETURN(tfidf.embedding_mean_weight, r.F32());
    CD_ASSIGN_OR_RETURN(tfidf.embedding_max_weight, r.F32());
    CD_ASSIGN_OR_RETURN(tfidf.embedding_top_words, r.U32());
    CD_ASSIGN_OR_RETURN(uint32_t dimension, r.U32());
    CD_ASSIGN_OR_RETURN(uint64_t words, r.U64());
    if (dimension > kMaxEmbeddingDimension) return Corrupt("implausible embedding dimension");
    CD_RETURN_IF_ERROR(r.Expect(words, 8 + 4 + 4 + static_cast<size_t>(dimension)));
    std::vector<uint64_t> word_keys(words);
    for (uint64_t& k : word_keys) k = r.U64().value();
    CD_ASSIGN_OR_RETURN(std::vector<float> scales, r.F32s(words));
    std::vector<int8_t> codes(words * dimension);
    for (int8_t& c : codes) c = static_cast<int8_t>(r.U8().value());
    CD_ASSIGN_OR_RETURN(embedding_idf, r.F32s(words));
    auto table = WordVectors::FromParts(dimension, std::move(word_keys), std::move(scales), std::move(codes));
    if (!table.ok()) return Corrupt("the embedding table is invalid: " + table.error().message);
    embedding = std::move(table).value();
  }
  CD_ASSIGN_OR_RETURN(parts.vectorizer,
                      TfidfVectorizer::FromParts(features, tfidf, std::move(keys), std::move(blocks), std::move(idf),
                                                 std::move(embedding), std::move(embedding_idf)));

  CD_ASSIGN_OR_RETURN(uint32_t output_count, r.U32());
  if (output_count != theme_count + kSentimentCount) return Corrupt("the output count does not match the themes");
  CD_ASSIGN_OR_RETURN(parts.biases, r.F32s(output_count));
  // No overflow: vocabulary_size is bounded by the input size, output_count by kMaxThemes + 3.
  CD_ASSIGN_OR_RETURN(parts.weights, r.F32s(parts.vectorizer.dimension() * output_count));
  return parts;
}

}  // namespace

std::string SerializeModel(const FeedbackModel& model) {
  const FeedbackModel::Parts& parts = model.parts();
  const FeatureOptions& features = parts.vectorizer.feature_options();
  const TfidfOptions& tfidf = parts.vectorizer.tfidf_options();
  Writer w;
  w.Bytes(kModelMagic);
  w.U32(kModelFormatVersion);
  w.U32(features.word_ngram_max);
  w.U32(features.char_ngram_min);
  w.U32(features.char_ngram_max);
  w.U8(features.char_within_words ? 1 : 0);
  w.U8(features.mark_negation ? 1 : 0);
  w.U32(features.negation_scope);
  w.U32(tfidf.min_document_frequency);
  w.U8(tfidf.sublinear_tf ? 1 : 0);
  w.F32(tfidf.word_block_weight);
  w.U8(features.stem_words ? 1 : 0);
  w.U8(features.fold_digits ? 1 : 0);
  w.U8(features.cue_terms ? 1 : 0);
  w.U32(features.span_ngram_min);
  w.U32(features.span_ngram_max);
  w.F32(tfidf.span_block_weight);
  w.U8(features.question_terms ? 1 : 0);
  w.F32(tfidf.question_block_weight);
  w.F32(tfidf.question_indicator_weight);
  w.U32(static_cast<uint32_t>(parts.themes.size()));
  for (const std::string& theme : parts.themes) w.String(theme);
  for (float t : parts.theme_thresholds) w.F32(t);
  w.U64(parts.vectorizer.size());
  for (uint64_t k : parts.vectorizer.keys()) w.U64(k);
  for (TermBlock b : parts.vectorizer.blocks()) w.U8(static_cast<uint8_t>(b));
  for (float v : parts.vectorizer.idf()) w.F32(v);
  const WordVectors& embedding = parts.vectorizer.embedding();
  w.F32(tfidf.embedding_mean_weight);
  w.F32(tfidf.embedding_max_weight);
  w.U32(tfidf.embedding_top_words);
  w.U32(embedding.dimension());
  w.U64(embedding.size());
  for (uint64_t k : embedding.keys()) w.U64(k);
  for (float v : embedding.scales()) w.F32(v);
  for (int8_t c : embedding.codes()) w.U8(static_cast<uint8_t>(c));
  for (float v : parts.vectorizer.embedding_idf()) w.F32(v);
  w.U32(static_cast<uint32_t>(model.output_count()));
  for (float b : parts.biases) w.F32(b);
  for (float x : parts.weights) w.F32(x);
  w.U64(Fnv1a(w.out()));
  return std::move(w.out());
}

Result<FeedbackModel> DeserializeModel(std::string_view bytes) {
  if (bytes.substr(0, kModelMagic.size()) != kModelMagic) {
    return Error::Invalid("model", "not a CareDesk feedback model (bad magic)", "not_a_feedback_model");
  }
  Reader r(bytes.substr(kModelMagic.size()));
  CD_ASSIGN_OR_RETURN(uint32_t version, r.U32());
  if (version < kOldestModelFormatVersion || version > kModelFormatVersion) {
    return Error::Invalid("model",
                          "model format version " + std::to_string(version) + " is not supported (this build reads " +
                              std::to_string(kOldestModelFormatVersion) + " to " + std::to_string(kModelFormatVersion) +
                              ")",
                          "unsupported_model_version");
  }
  CD_ASSIGN_OR_RETURN(FeedbackModel::Parts parts, ParsePayload(r, version));
  if (r.remaining() < kChecksumBytes) return Truncated();
  if (r.remaining() > kChecksumBytes) return Corrupt("unexpected bytes after the weights");
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  if (r.U64().value() != Fnv1a(body)) return Corrupt("the model checksum does not match (damaged file)");
  return FeedbackModel::FromParts(std::move(parts));
}

Status SaveModel(const FeedbackModel& model, std::ostream& out) {
  const std::string bytes = SerializeModel(model);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) return Error::Invalid("model", "could not write the model", "model_write_failed");
  return Ok();
}

Result<FeedbackModel> LoadModel(std::istream& in) {
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return Error::Invalid("model", "could not read the model", "model_read_failed");
  return DeserializeModel(bytes);
}

}  // namespace caredesk::feedback
