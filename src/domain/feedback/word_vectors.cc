#include "domain/feedback/word_vectors.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <iterator>
#include <set>
#include <utility>

namespace caredesk::feedback {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr size_t kChecksumBytes = 8;
constexpr uint32_t kMaxDimension = 4096;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : bytes) h = (h ^ c) * kFnvPrime;
  return h;
}


Error Corrupt(std::string message) {
  return Error::Invalid("word_vectors", std::move(message), "corrupt_word_vectors");
}
Error BadJson(std::string message) {
  return Error::Invalid("word_vectors", "wink embeddings JSON: " + std::move(message), "bad_word_vectors_json");
}
Error Truncated() { return Error::Invalid("word_vectors", "the word vector file ends early", "truncated_word_vectors"); }

bool IsPlainWord(std::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(static_cast<uint8_t>(v >> (8 * i))));
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(static_cast<uint8_t>(v >> (8 * i))));
}
uint64_t GetLe(std::string_view bytes, size_t pos, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[pos + i])) << (8 * i);
  return v;
}

// A cursor over the JSON text for the few shapes ParseWinkEmbeddingsJson needs.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : text_(text) {}
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' ||
                                   text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A string; `plain` is false when it held an escape (its text is then not needed).
  bool String(std::string_view& out, bool& plain) {
    if (!Eat('"')) return false;
    const size_t start = pos_;
    plain = true;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') {
        plain = false;
        ++pos_;
      }
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    out = text_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }
  bool Number(double& out) {
    SkipSpace();
    const char* first = text_.data() + pos_;
    const char* last = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(first, last, out);
    if (ec != std::errc()) return false;
    pos_ += static_cast<size_t>(ptr - first);
    return true;
  }
  size_t pos() const { return pos_; }
  void Seek(size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The position just after the object key `"name":` (a string followed by a colon, unlike the same
// text as a word in the "words" array), or npos.
size_t FindKey(std::string_view json, std::string_view name) {
  const std::string quoted = "\"" + std::string(name) + "\"";
  for (size_t at = json.find(quoted); at != std::string_view::npos; at = json.find(quoted, at + 1)) {
    size_t p = at + quoted.size();
    while (p < json.size() && (json[p] == ' ' || json[p] == '\n' || json[p] == '\r' || json[p] == '\t')) ++p;
    if (p < json.size() && json[p] == ':') return p + 1;
  }
  return std::string_view::npos;
}

}  // namespace

uint64_t WordVectors::KeyOf(std::string_view word) { return Fnv1a(word); }

Result<WordVectors> WordVectors::FromParts(uint32_t dimension, std::vector<uint64_t> keys, std::vector<float> scales,
                                           std::vector<int8_t> codes) {
  if ((dimension == 0 && !keys.empty()) || dimension > kMaxDimension) return Corrupt("bad word vector dimension");
  if (scales.size() != keys.size() || codes.size() != keys.size() * dimension) {
    return Corrupt("word vector arrays differ in length");
  }
  for (float s : scales) {
    if (!std::isfinite(s) || s < 0.0f) return Corrupt("a word vector scale is not finite and non-negative");
  }
  WordVectors v;
  v.dimension_ = dimension;
  v.keys_ = std::move(keys);
  v.scales_ = std::move(scales);
  v.codes_ = std::move(codes);
  v.BuildIndex();
  for (size_t i = 0; i < v.keys_.size(); ++i) {
    if (v.Find(v.keys_[i]) != i) return Corrupt("word vector keys repeat");
  }
  return v;
}

Result<WordVectors> WordVectors::FromFloats(uint32_t dimension, std::vector<uint64_t> keys,
                                            const std::vector<float>& vectors) {
  if (vectors.size() != keys.size() * dimension) return Corrupt("word vector arrays differ in length");
  std::vector<float> scales(keys.size());
  std::vector<int8_t> codes(vectors.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    float largest = 0.0f;
    for (size_t d = 0; d < dimension; ++d) largest = std::max(largest, std::fabs(vectors[i * dimension + d]));
    if (!std::isfinite(largest)) return Corrupt("a word vector value is not finite");
    const float scale = largest / 127.0f;
    scales[i] = scale;
    for (size_t d = 0; d < dimension; ++d) {
      const float q = scale > 0.0f ? std::round(vectors[i * dimension + d] / scale) : 0.0f;
      codes[i * dimension + d] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
    }
  }
  return FromParts(dimension, std::move(keys), std::move(scales), std::move(codes));
}

WordVectors WordVectors::Subset(const std::function<bool(size_t rank, uint64_t key)>& keep) const {
  WordVectors v;
  v.dimension_ = dimension_;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (!keep(i, keys_[i])) continue;
    v.keys_.push_back(keys_[i]);
    v.scales_.push_back(scales_[i]);
    v.codes_.insert(v.codes_.end(), codes_.begin() + static_cast<std::ptrdiff_t>(i * dimension_),
                    codes_.begin() + static_cast<std::ptrdiff_t>((i + 1) * dimension_));
  }
  v.BuildIndex();
  return v;
}

size_t WordVectors::Find(uint64_t key) const {
  const uint32_t index = index_.Find(keys_, key);
  return index == KeyIndex::kAbsent ? kNotFound : index;
}

void WordVectors::AddTo(size_t entry, float weight, float* out) const {
  const float w = weight * scales_[entry];
  const int8_t* code = codes_.data() + entry * dimension_;
  for (size_t d = 0; d < dimension_; ++d) out[d] += w * static_cast<float>(code[d]);
}

Result<WordVectors> ParseWinkEmbeddingsJson(std::string_view json, size_t max_words) {
  const size_t dims_at = FindKey(json, "dimensions");
  if (dims_at == std::string_view::npos) return BadJson("no \"dimensions\"");
  JsonCursor cur(json);
  cur.Seek(dims_at);
  double dims = 0;
  if (!cur.Number(dims) || dims < 1 || dims > kMaxDimension) return BadJson("bad \"dimensions\"");
  const size_t dimension = static_cast<size_t>(dims);
  const size_t vectors_at = FindKey(json, "vectors");
  if (vectors_at == std::string_view::npos) return BadJson("no \"vectors\"");
  cur.Seek(vectors_at);
  if (!cur.Eat('{')) return BadJson("\"vectors\" is not an object");

  struct Entry {
    double rank;
    uint64_t key;
    size_t offset;  // into values
  };
  std::vector<Entry> entries;
  std::vector<float> values;
  std::vector<double> row(dimension + 2);
  bool first = true;
  while (!cur.Eat('}')) {
    if (!first && !cur.Eat(',')) return BadJson("expected , between vectors");
    first = false;
    std::string_view word;
    bool plain = false;
    if (!cur.String(word, plain) || !cur.Eat(':') || !cur.Eat('[')) return BadJson("bad vector entry");
    for (size_t k = 0; k < dimension + 2; ++k) {
      if ((k > 0 && !cur.Eat(',')) || !cur.Number(row[k])) return BadJson("a vector is not " + std::to_string(dimension + 2) + " numbers");
    }
    if (!cur.Eat(']')) return BadJson("a vector is too long");
    if (!plain || !IsPlainWord(word)) continue;
    entries.push_back({row[dimension + 1], WordVectors::KeyOf(word), values.size()});
    for (size_t d = 0; d < dimension; ++d) values.push_back(static_cast<float>(row[d]));
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.rank < b.rank; });
  if (entries.size() > max_words) entries.resize(max_words);
  std::vector<uint64_t> keys;
  std::vector<float> ordered;
  keys.reserve(entries.size());
  ordered.reserve(entries.size() * dimension);
  std::set<uint64_t> seen;
  for (const Entry& e : entries) {
    if (!seen.insert(e.key).second) continue;  // a hash collision (none in the package): first wins
    keys.push_back(e.key);
    ordered.insert(ordered.end(), values.begin() + static_cast<std::ptrdiff_t>(e.offset),
                   values.begin() + static_cast<std::ptrdiff_t>(e.offset + dimension));
  }
  return WordVectors::FromFloats(static_cast<uint32_t>(dimension), std::move(keys), ordered);
}

std::string SerializeWordVectors(const WordVectors& vectors) {
  std::string out(kWordVectorsMagic);
  PutU32(out, kWordVectorsFormatVersion);
  PutU32(out, vectors.dimension());
  PutU64(out, vectors.size());
  for (uint64_t k : vectors.keys()) PutU64(out, k);
  for (float s : vectors.scales()) PutU32(out, std::bit_cast<uint32_t>(s));
  for (int8_t c : vectors.codes()) out.push_back(static_cast<char>(c));
  PutU64(out, Fnv1a(out));
  return out;
}

Result<WordVectors> DeserializeWordVectors(std::string_view bytes) {
  if (bytes.substr(0, kWordVectorsMagic.size()) != kWordVectorsMagic) {
    return Error::Invalid("word_vectors", "not a CareDesk word vector file (bad magic)", "not_word_vectors");
  }
  size_t pos = kWordVectorsMagic.size();
  if (bytes.size() < pos + 16 + kChecksumBytes) return Truncated();
  const uint32_t version = static_cast<uint32_t>(GetLe(bytes, pos, 4));
  if (version != kWordVectorsFormatVersion) {
    return Error::Invalid("word_vectors", "word vector format version " + std::to_string(version) + " is not supported",
                          "unsupported_word_vectors_version");
  }
  const uint32_t dimension = static_cast<uint32_t>(GetLe(bytes, pos + 4, 4));
  const uint64_t count = GetLe(bytes, pos + 8, 8);
  pos += 16;
  if (dimension > kMaxDimension) return Corrupt("bad word vector dimension");
  const uint64_t per_word = 8 + 4 + static_cast<uint64_t>(dimension);
  if (count > (bytes.size() - pos - kChecksumBytes) / per_word) return Truncated();
  if (bytes.size() - pos - kChecksumBytes != count * per_word) return Corrupt("unexpected bytes in the word vector file");
  if (GetLe(bytes, bytes.size() - kChecksumBytes, 8) != Fnv1a(bytes.substr(0, bytes.size() - kChecksumBytes))) {
    return Corrupt("the word vector checksum does not match (damaged file)");
  }
  std::vector<uint64_t> keys(count);
  for (uint64_t& k : keys) {
    k = GetLe(bytes, pos, 8);
    pos += 8;
  }
  std::vector<float> scales(count);
  for (float& s : scales) {
    s = std::bit_cast<float>(static_cast<uint32_t>(GetLe(bytes, pos, 4)));
    pos += 4;
  }
  std::vector<int8_t> codes(count * dimension);
  for (int8_t& c : codes) c = static_cast<int8_t>(bytes[pos++]);
  return WordVectors::FromParts(dimension, std::move(keys), std::move(scales), std::move(codes));
}

Result<WordVectors> LoadWordVectors(std::istream& in) {
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return Error::Invalid("word_vectors", "could not read the word vectors", "word_vectors_read_failed");
  return DeserializeWordVectors(bytes);
}

}  // namespace caredesk::feedback
