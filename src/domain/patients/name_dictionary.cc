#include "domain/patients/name_dictionary.h"

#include <algorithm>
#include <functional>
#include <span>
#include <utility>

#include "domain/patients/name_match.h"

namespace caredesk {
namespace {

constexpr size_t kMinEditTokenSize = 3;
constexpr size_t kMinEdit2TokenSize = 6;
constexpr size_t kMinPhoneticTokenSize = 3;
// Terms this short are filed under single deletions only: no token long enough to be allowed
// two edits (≥ 6 bytes) can reach them.
constexpr size_t kMaxSingleDeletionTermSize = 3;
// Longer terms are filed under single deletions only, bounding the table for odd long tokens.
constexpr size_t kMaxDoubleDeletionTermSize = 24;

// Separate hash spaces so that a deletion never collides with an exact term by construction.
constexpr uint64_t kExactSeed = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kDeletionSeed = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPhoneticSeed = 0x165667B19E3779F9ULL;

uint64_t Hash(std::string_view s, uint64_t seed) { return std::hash<std::string_view>{}(s) ^ seed; }

int MaxEdits(size_t token_size) {
  if (token_size >= kMinEdit2TokenSize) return 2;
  if (token_size >= kMinEditTokenSize) return 1;
  return 0;
}

// Calls `visit` with every string made by deleting 1..`depth` bytes of `s` (with repeats when
// `s` has repeated letters).
template <class Visit>
void ForEachDeletion(std::string_view s, int depth, Visit&& visit) {
  std::string buffer;
  for (size_t i = 0; i < s.size(); ++i) {
    buffer.assign(s.substr(0, i));
    buffer.append(s.substr(i + 1));
    visit(std::string_view(buffer));
    if (depth < 2) continue;
    std::string second;
    for (size_t j = i; j < buffer.size(); ++j) {  // j ≥ i: each pair of positions once
      second.assign(std::string_view(buffer).substr(0, j));
      second.append(std::string_view(buffer).substr(j + 1));
      visit(std::string_view(second));
    }
  }
}

}  // namespace

uint32_t NameDictionary::Find(std::string_view term) const {
  for (uint32_t id : exact_.Find(Hash(term, kExactSeed))) {
    if (Term(id) == term) return id;
  }
  return kNotFound;
}

std::string_view NameDictionary::Term(uint32_t id) const {
  const Span s = spans_[id];
  return std::string_view(chars_).substr(s.offset, s.size);
}

uint32_t NameDictionary::Intern(std::string_view term) {
  if (const uint32_t found = Find(term); found != kNotFound) return found;
  const uint32_t id = static_cast<uint32_t>(spans_.size());
  spans_.push_back({static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(term.size())});
  chars_.append(term);

  exact_.Insert(Hash(term, kExactSeed), id);
  FileDeletions(term, id);
  if (const std::string key = PhoneticKey(term); !key.empty()) {
    phonetic_.Insert(Hash(key, kPhoneticSeed), id);
  }
  const auto pos = std::lower_bound(sorted_.begin(), sorted_.end(), term,
                                    [&](uint32_t a, std::string_view t) { return Term(a) < t; });
  sorted_.insert(pos, id);
  return id;
}

void NameDictionary::FileDeletions(std::string_view term, uint32_t id) {
  // The term itself too (no deletion), so that a query's deletion meeting a whole term costs
  // the same single lookup.
  deletions_.Insert(Hash(term, kDeletionSeed), id);
  const int depth =
      term.size() <= kMaxSingleDeletionTermSize || term.size() > kMaxDoubleDeletionTermSize ? 1 : 2;
  ForEachDeletion(term, depth, [&](std::string_view deletion) {
    deletions_.Insert(Hash(deletion, kDeletionSeed), id);
  });
}

std::vector<TermExpansion> NameDictionary::Expand(std::string_view token,
                                                  const ExpandOptions& options) const {
  std::vector<TermExpansion> out;
  if (token.empty()) return out;
  const auto add = [&](uint32_t id, TermMatch match) { out.push_back({id, match}); };

  if (const uint32_t id = Find(token); id != kNotFound) add(id, TermMatch::kExact);

  if (options.prefixes && token.size() >= 2) {
    auto it = std::lower_bound(sorted_.begin(), sorted_.end(), token,
                               [&](uint32_t a, std::string_view t) { return Term(a) < t; });
    std::vector<std::pair<size_t, uint32_t>> completions;  // (size, id)
    for (; it != sorted_.end() && Term(*it).starts_with(token); ++it) {
      if (Term(*it).size() > token.size()) completions.emplace_back(Term(*it).size(), *it);
    }
    if (completions.size() > options.max_prefix_terms) {
      std::partial_sort(completions.begin(), completions.begin() + options.max_prefix_terms,
                        completions.end());
      completions.resize(options.max_prefix_terms);
    }
    for (const auto& [size, id] : completions) add(id, TermMatch::kPrefix);
  }

  for (std::string_view variant : NicknameVariants(token)) {
    if (const uint32_t id = Find(variant); id != kNotFound) add(id, TermMatch::kNickname);
  }

  if (const int max_edits = MaxEdits(token.size()); max_edits > 0) {
    // Every term within the distance shares with the token a string both reach by deleting at
    // most `max_edits` bytes (the token itself and whole terms included).
    std::vector<uint64_t> keys{Hash(token, kDeletionSeed)};
    ForEachDeletion(token, max_edits,
                    [&](std::string_view d) { keys.push_back(Hash(d, kDeletionSeed)); });
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (uint64_t key : keys) deletions_.Prefetch(key);
    std::vector<uint32_t> candidates;
    for (uint64_t key : keys) {
      for (uint32_t id : deletions_.Find(key)) candidates.push_back(id);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (uint32_t id : candidates) {
      const int d = DamerauLevenshtein(token, Term(id), max_edits);
      if (d == 1) add(id, TermMatch::kEdit1);
      if (d == 2 && max_edits >= 2) add(id, TermMatch::kEdit2);
    }
  }

  if (token.size() >= kMinPhoneticTokenSize) {
    if (const std::string key = PhoneticKey(token); !key.empty()) {
      // A 64-bit hash collision between two keys is too unlikely to be worth re-deriving keys.
      const std::span<const uint32_t> sounds = phonetic_.Find(Hash(key, kPhoneticSeed));
      if (sounds.size() <= options.max_phonetic_terms) {
        for (uint32_t id : sounds) add(id, TermMatch::kPhonetic);
      } else {
        // Too many: keep the spellings closest to the token.
        std::vector<std::pair<double, uint32_t>> ranked;  // (-similarity, id)
        for (uint32_t id : sounds) ranked.emplace_back(-JaroWinkler(token, Term(id)), id);
        std::partial_sort(ranked.begin(), ranked.begin() + options.max_phonetic_terms,
                          ranked.end());
        for (size_t i = 0; i < options.max_phonetic_terms; ++i) {
          add(ranked[i].second, TermMatch::kPhonetic);
        }
      }
    }
  }

  // One entry per term with its best match (TermMatch is ordered best first).
  std::sort(out.begin(), out.end(), [](const TermExpansion& a, const TermExpansion& b) {
    return a.term != b.term ? a.term < b.term : a.match < b.match;
  });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const TermExpansion& a, const TermExpansion& b) { return a.term == b.term; }),
      out.end());
  return out;
}

size_t NameDictionary::MemoryUsage() const {
  return chars_.capacity() + spans_.capacity() * sizeof(Span) +
         sorted_.capacity() * sizeof(uint32_t) + exact_.MemoryUsage() + deletions_.MemoryUsage() +
         phonetic_.MemoryUsage();
}

}  // namespace caredesk
