// Text to features for the comment classifier: normalisation, word tokens with negation scope,
// and the hashed n-gram terms (word n-grams over stemmed words, character n-grams inside words and
// across the whole comment, a few punctuation and length cues, and word terms joined with the
// kind of question the comment answers) that TfidfVectorizer weighs.
//
// A term is identified by a 64-bit FNV-1a hash of its kind and bytes; the hash is fixed by this
// file (not std::hash), so a saved model reads the same terms on every platform and build.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/feedback/question_kind.h"

namespace caredesk::feedback {

// What terms a comment yields. Stored in a model: changing a default changes new models only.
struct FeatureOptions {
  // Word n-grams of 1..word_ngram_max tokens; 0 disables word terms.
  uint32_t word_ngram_max = 2;
  // Character n-grams of char_ngram_min..char_ngram_max bytes, taken inside each word padded
  // with one space either side (" good " gives " g", "go", …, "ood "); 0 disables them.
  uint32_t char_ngram_min = 2;
  uint32_t char_ngram_max = 5;
  // When false, character n-grams run over the whole normalised comment padded with one space
  // either side, so they span word boundaries and punctuation.
  bool char_within_words = true;
  // Adds "NOT_<word>" terms for the words that follow a negation cue ("not", "no", "never",
  // "nothing", "n't" contractions…) up to the end of the clause or negation_scope words.
  bool mark_negation = true;
  uint32_t negation_scope = 3;
  // Word terms (n-grams and NOT_ terms) use the Porter stem of each word (porter_stemmer.h);
  // character n-grams always see the words as written.
  bool stem_words = true;
  // Word terms spell every digit as 0 ("111" and "999" give the same term "000").
  bool fold_digits = true;
  // Adds word-block terms for "!", "!!" and "?" in the comment and for a comment of at most
  // two words.
  bool cue_terms = true;
  // Character n-grams of span_ngram_min..span_ngram_max bytes over the whole normalised comment
  // padded with one space either side (spanning words, spaces and punctuation), in a block of
  // their own; 0 disables them.
  uint32_t span_ngram_min = 2;
  uint32_t span_ngram_max = 6;
  // Question terms: each word-block term of the comment (n-grams, NOT_ and cue terms) once more,
  // joined with the kind of question the comment answers, in a block of their own — so that
  // "nothing" answering "What could we do better?" (praise) and answering "What was good?"
  // (a complaint) get weights of their own.
  bool question_terms = true;
};

// The blocks of terms; TfidfVectorizer normalises each on its own.
enum class TermBlock : uint8_t { kWord = 0, kChar = 1, kSpan = 2, kQuestion = 3 };
inline constexpr size_t kTermBlockCount = 4;

struct TermCount {
  uint64_t key;
  TermBlock block;
  float count;
};

struct WordToken {
  std::string text;
  bool negated = false;  // inside the scope of a preceding negation cue
};

// Lower-cases ASCII letters, maps typographic quotes, dashes and non-breaking spaces to their
// ASCII forms, collapses runs of white space to one space and trims the ends. Other bytes,
// including the rest of UTF-8, are kept.
std::string NormalizeComment(std::string_view text);

// Words of a normalized comment: runs of ASCII letters, digits and non-ASCII bytes; apostrophes
// inside a word are dropped ("don't" → "dont"), every other byte separates words. A negation
// scope ends at any of . , ; : ! ? or after FeatureOptions::negation_scope words.
std::vector<WordToken> WordTokens(std::string_view normalized, const FeatureOptions& options);

// The terms of `text` (normalised here), answering a question of kind `question`, with their
// counts, sorted by key, each key once. The kind changes only the question terms.
std::vector<TermCount> ExtractTerms(std::string_view text, const FeatureOptions& options,
                                    QuestionKind question = QuestionKind::kNonspecific);

}  // namespace caredesk::feedback
