// NameDictionary: the distinct normalized name tokens ("terms") a PatientIndex has seen, each
// with a dense id, and the fuzzy lookup that turns one typed token into the terms it may mean.
//
// Fuzzy lookup never scans the dictionary:
//  - exact: a hash of the term;
//  - prefix: binary search in the terms kept in sorted order;
//  - nickname: the NicknameVariants table, looked up exactly;
//  - edit distance: a symmetric-deletion map (SymSpell): every term is filed under itself and
//    each string obtained by deleting up to two of its bytes (one for terms of at most 3 bytes);
//    the query and its own deletions then find every term within the distance, which
//    DamerauLevenshtein confirms;
//  - phonetic: a map from PhoneticKey to terms.
// Terms are never removed (a term whose patients are gone simply finds nobody), so ids are
// stable for the dictionary's lifetime.
//
// Thread-compatible: const calls may run concurrently; Intern needs exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/patients/posting_map.h"

namespace caredesk {

// How a term matched a typed token, best first.
enum class TermMatch : uint8_t {
  kExact,
  kPrefix,    // the token is a proper prefix of the term (token ≥ 2 bytes)
  kNickname,  // AreNicknames(token, term)
  kEdit1,     // DamerauLevenshtein 1 (tokens of ≥ 3 bytes)
  kEdit2,     // DamerauLevenshtein 2 (tokens of ≥ 6 bytes)
  kPhonetic,  // same PhoneticKey (tokens of ≥ 3 bytes)
};

struct TermExpansion {
  uint32_t term;
  TermMatch match;
};

struct ExpandOptions {
  bool prefixes = true;
  // Caps that keep short or common-sounding tokens from expanding to thousands of terms: the
  // shortest prefix completions and the phonetic matches closest by Jaro–Winkler are kept.
  size_t max_prefix_terms = 64;
  size_t max_phonetic_terms = 24;
};

class NameDictionary {
 public:
  static constexpr uint32_t kNotFound = 0xFFFFFFFF;

  NameDictionary() = default;
  NameDictionary(const NameDictionary&) = delete;
  NameDictionary& operator=(const NameDictionary&) = delete;

  // The id of `term`, or kNotFound.
  uint32_t Find(std::string_view term) const;
  // The id of `term`, adding it when new. `term` must be non-empty (a NameTokens token).
  uint32_t Intern(std::string_view term);
  // The text of term `id` (< size()); valid until the next Intern.
  std::string_view Term(uint32_t id) const;
  size_t size() const { return spans_.size(); }

  // The terms `token` (a NameTokens token) may mean, each once with its best TermMatch, sorted
  // by term id. Edit distance is allowed up to 1 for tokens of 3–5 bytes and 2 for longer ones;
  // tokens shorter than 3 bytes match exactly, by prefix or by nickname only.
  std::vector<TermExpansion> Expand(std::string_view token, const ExpandOptions& options) const;

  // Heap bytes held (approximate).
  size_t MemoryUsage() const;

 private:
  struct Span {
    uint32_t offset;
    uint32_t size;
  };

  void FileDeletions(std::string_view term, uint32_t id);

  std::string chars_;             // all term texts back to back
  std::vector<Span> spans_;       // by term id
  std::vector<uint32_t> sorted_;  // term ids in lexicographic order of their text
  PostingMap exact_;              // hash(term) → ids
  PostingMap deletions_;          // hash(term with 0–2 bytes deleted) → ids
  PostingMap phonetic_;           // hash(PhoneticKey(term)) → ids
};

}  // namespace caredesk
