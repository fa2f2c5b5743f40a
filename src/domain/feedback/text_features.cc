#include "domain/feedback/text_features.h"

#include <algorithm>
#include <array>

#include "domain/feedback/porter_stemmer.h"

namespace caredesk::feedback {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

// Term kinds, hashed first so that a word and a character n-gram of the same bytes differ.
constexpr char kWordKind = 'w';
constexpr char kNegatedWordKind = 'n';
constexpr char kCharKind = 'c';
constexpr char kSpanKind = 's';
constexpr char kCueKind = 'p';
constexpr char kQuestionKind = 'q';

constexpr char kWordSeparator = ' ';

constexpr std::array<std::string_view, 32> kNegationCues = {
    "not",    "no",     "never",   "nothing", "nobody",  "none",   "nor",  "neither", "cannot",  "cant",     "dont",
    "didnt",  "doesnt", "isnt",    "wasnt",   "werent",  "arent",  "wont", "wouldnt", "couldnt", "shouldnt", "hasnt",
    "havent", "hadnt",  "without", "lack",    "lacking", "unable", "aint", "nowhere", "mustnt",  "neednt"};

uint64_t HashByte(uint64_t h, unsigned char c) { return (h ^ c) * kFnvPrime; }

uint64_t HashBytes(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) h = HashByte(h, c);
  return h;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool EndsClause(char c) { return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?'; }

bool IsNegationCue(std::string_view word) {
  return std::find(kNegationCues.begin(), kNegationCues.end(), word) != kNegationCues.end();
}

// A multi-byte UTF-8 sequence and its ASCII stand-in.
struct Replacement {
  std::string_view from;
  char to;
};
constexpr std::array<Replacement, 10> kReplacements = {{
    {"\xE2\x80\x98", '\''},  // left single quote
    {"\xE2\x80\x99", '\''},  // right single quote
    {"\xE2\x80\x9B", '\''},  // reversed single quote
    {"\xC2\xB4", '\''},      // acute accent used as apostrophe
    {"\xE2\x80\x9C", '"'},   // left double quote
    {"\xE2\x80\x9D", '"'},   // right double quote
    {"\xE2\x80\x93", '-'},   // en dash
    {"\xE2\x80\x94", '-'},   // em dash
    {"\xE2\x80\xA6", '.'},   // ellipsis
    {"\xC2\xA0", ' '},       // no-break space
}};

// A comment of at most this many words gets the short-comment cue term.
constexpr size_t kShortCommentWords = 2;

// The form a word takes in word terms.
std::string WordTermForm(std::string_view word, const FeatureOptions& options) {
  std::string form = options.stem_words ? PorterStem(word) : std::string(word);
  if (options.fold_digits) {
    for (char& c : form) {
      if (c >= '0' && c <= '9') c = '0';
    }
  }
  return form;
}

// Adds the counts of the n-grams of `padded` of min_length..max_length bytes, hashed after `seed`.
void AddCharNgrams(std::string_view padded, uint32_t min_length, uint32_t max_length, uint64_t seed, TermBlock block,
                   std::vector<TermCount>& terms) {
  for (size_t start = 0; start < padded.size(); ++start) {
    uint64_t h = seed;
    for (uint32_t len = 1; len <= max_length && start + len <= padded.size(); ++len) {
      h = HashByte(h, static_cast<unsigned char>(padded[start + len - 1]));
      if (len >= min_length) terms.push_back({h, block, 1.0f});
    }
  }
}

}  // namespace

std::string NormalizeComment(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    size_t width = 1;
    if (static_cast<unsigned char>(c) >= 0x80) {
      for (const Replacement& r : kReplacements) {
        if (text.substr(i, r.from.size()) == r.from) {
          c = r.to;
          width = r.from.size();
          break;
        }
      }
    }
    i += width;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  return out;
}

std::vector<WordToken> WordTokens(std::string_view normalized, const FeatureOptions& options) {
  std::vector<WordToken> tokens;
  uint32_t negation_left = 0;
  size_t i = 0;
  const size_t n = normalized.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(normalized[i]);
    if (!IsWordByte(c)) {
      if (EndsClause(static_cast<char>(c))) negation_left = 0;
      ++i;
      continue;
    }
    WordToken token;
    while (i < n) {
      const unsigned char d = static_cast<unsigned char>(normalized[i]);
      if (IsWordByte(d)) {
        token.text.push_back(static_cast<char>(d));
        ++i;
      } else if (d == '\'' && i + 1 < n && IsWordByte(static_cast<unsigned char>(normalized[i + 1]))) {
        ++i;  // an apostrophe inside a word
      } else {
        break;
      }
    }
    token.negated = negation_left > 0;
    if (negation_left > 0) --negation_left;
    if (options.mark_negation && IsNegationCue(token.text)) negation_left = options.negation_scope;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::vector<TermCount> ExtractTerms(std::string_view text, const FeatureOptions& options, QuestionKind question) {
  const std::string normalized = NormalizeComment(text);
  const std::vector<WordToken> tokens = WordTokens(normalized, options);
  std::vector<TermCount> terms;
  terms.reserve(tokens.size() * 24 + normalized.size() * 6 + 8);
  auto add = [&terms](uint64_t key, TermBlock block) { terms.push_back({key, block, 1.0f}); };

  if (options.word_ngram_max > 0) {
    std::vector<std::string> forms;
    forms.reserve(tokens.size());
    for (const WordToken& token : tokens) forms.push_back(WordTermForm(token.text, options));
    const uint64_t word_seed = HashByte(kFnvOffset, kWordKind);
    for (size_t t = 0; t < forms.size(); ++t) {
      uint64_t h = word_seed;
      for (uint32_t len = 1; len <= options.word_ngram_max && t + len <= forms.size(); ++len) {
        if (len > 1) h = HashByte(h, kWordSeparator);
        h = HashBytes(h, forms[t + len - 1]);
        add(h, TermBlock::kWord);
      }
      if (options.mark_negation && tokens[t].negated) {
        add(HashBytes(HashByte(kFnvOffset, kNegatedWordKind), forms[t]), TermBlock::kWord);
      }
    }
    if (options.cue_terms && !forms.empty()) {
      const uint64_t cue_seed = HashByte(kFnvOffset, kCueKind);
      if (normalized.find('!') != std::string::npos) add(HashBytes(cue_seed, "!"), TermBlock::kWord);
      if (normalized.find("!!") != std::string::npos) add(HashBytes(cue_seed, "!!"), TermBlock::kWord);
      if (normalized.find('?') != std::string::npos) add(HashBytes(cue_seed, "?"), TermBlock::kWord);
      if (tokens.size() <= kShortCommentWords) add(HashBytes(cue_seed, "short"), TermBlock::kWord);
    }
    if (options.question_terms) {
      // So far `terms` holds the word block only: each of its terms again, keyed by the question
      // kind and the word term's key.
      const uint64_t question_seed =
          HashByte(HashByte(kFnvOffset, kQuestionKind), static_cast<unsigned char>(question));
      const size_t word_terms = terms.size();
      for (size_t i = 0; i < word_terms; ++i) {
        uint64_t h = question_seed;
        for (int b = 0; b < 8; ++b) h = HashByte(h, static_cast<unsigned char>(terms[i].key >> (8 * b)));
        add(h, TermBlock::kQuestion);
      }
    }
  }

  std::string padded;
  if (options.char_ngram_max > 0 && options.char_ngram_min <= options.char_ngram_max) {
    const uint64_t char_seed = HashByte(kFnvOffset, kCharKind);
    if (options.char_within_words) {
      for (const WordToken& token : tokens) {
        padded.assign(1, ' ');
        padded += token.text;
        padded.push_back(' ');
        AddCharNgrams(padded, options.char_ngram_min, options.char_ngram_max, char_seed, TermBlock::kChar, terms);
      }
    } else if (!normalized.empty()) {
      padded.assign(1, ' ');
      padded += normalized;
      padded.push_back(' ');
      AddCharNgrams(padded, options.char_ngram_min, options.char_ngram_max, char_seed, TermBlock::kChar, terms);
    }
  }
  if (options.span_ngram_max > 0 && options.span_ngram_min <= options.span_ngram_max && !tokens.empty()) {
    padded.assign(1, ' ');
    padded += normalized;
    padded.push_back(' ');
    AddCharNgrams(padded, options.span_ngram_min, options.span_ngram_max, HashByte(kFnvOffset, kSpanKind),
                  TermBlock::kSpan, terms);
  }

  std::sort(terms.begin(), terms.end(), [](const TermCount& a, const TermCount& b) { return a.key < b.key; });
  size_t out = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (out > 0 && terms[out - 1].key == terms[i].key) {
      terms[out - 1].count += terms[i].count;
    } else {
      terms[out++] = terms[i];
    }
  }
  terms.resize(out);
  return terms;
}

}  // namespace caredesk::feedback
