#include "domain/feedback/text_features.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace caredesk::feedback {
namespace {

std::vector<std::string> Words(const std::vector<WordToken>& tokens, bool with_negation) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const WordToken& t : tokens) out.push_back((with_negation && t.negated ? "NOT_" : "") + t.text);
  return out;
}

TEST(NormalizeComment, LowercasesCollapsesSpaceAndMapsTypography) {
  EXPECT_EQ(NormalizeComment("  The  Staff\n\twere GREAT  "), "the staff were great");
  EXPECT_EQ(NormalizeComment("Didn\xE2\x80\x99t \xE2\x80\x9Cwait\xE2\x80\x9D \xE2\x80\x93 fine\xC2\xA0ok"),
            "didn't \"wait\" - fine ok");
  EXPECT_EQ(NormalizeComment("Caf\xC3\xA9"), "caf\xC3\xA9");  // other UTF-8 is kept
  EXPECT_EQ(NormalizeComment(""), "");
}

TEST(WordTokens, DropsApostrophesAndSplitsOnPunctuation) {
  FeatureOptions options;
  options.mark_negation = false;
  EXPECT_EQ(Words(WordTokens("staff's care, 111/999 ok!", options), false),
            (std::vector<std::string>{"staffs", "care", "111", "999", "ok"}));
}

TEST(WordTokens, NegationScopeEndsAtClauseOrAfterScopeWords) {
  FeatureOptions options;
  options.negation_scope = 3;
  EXPECT_EQ(Words(WordTokens("didn't wait long at all. staff kind", options), true),
            (std::vector<std::string>{"didnt", "NOT_wait", "NOT_long", "NOT_at", "all", "staff", "kind"}));
  EXPECT_EQ(Words(WordTokens("not good, fine", options), true), (std::vector<std::string>{"not", "NOT_good", "fine"}));
}

// Word and within-word character terms only, as written.
FeatureOptions PlainOptions() {
  FeatureOptions options;
  options.question_terms = false;
  options.stem_words = false;
  options.fold_digits = false;
  options.cue_terms = false;
  options.span_ngram_min = 0;
  options.span_ngram_max = 0;
  return options;
}

std::vector<uint64_t> Keys(const std::vector<TermCount>& terms) {
  std::vector<uint64_t> keys;
  keys.reserve(terms.size());
  for (const TermCount& t : terms) keys.push_back(t.key);
  return keys;
}

size_t CountBlock(const std::vector<TermCount>& terms, TermBlock block) {
  return static_cast<size_t>(
      std::count_if(terms.begin(), terms.end(), [block](const TermCount& t) { return t.block == block; }));
}

TEST(ExtractTerms, SortedUniqueWithCounts) {
  const auto all = ExtractTerms("good good staff", FeatureOptions{});
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](auto& a, auto& b) { return a.key < b.key; }));
  const auto terms = ExtractTerms("good good staff", PlainOptions());
  ASSERT_FALSE(terms.empty());
  EXPECT_TRUE(std::is_sorted(terms.begin(), terms.end(), [](auto& a, auto& b) { return a.key < b.key; }));
  EXPECT_TRUE(std::adjacent_find(terms.begin(), terms.end(), [](auto& a, auto& b) { return a.key == b.key; }) ==
              terms.end());
  float max_count = 0;
  for (const TermCount& t : terms) max_count = std::max(max_count, t.count);
  EXPECT_EQ(max_count, 2.0f);  // every term of "good" occurs twice
}

TEST(ExtractTerms, CountsWordAndCharacterTerms) {
  FeatureOptions options = PlainOptions();
  options.mark_negation = false;
  options.char_ngram_min = 2;
  options.char_ngram_max = 3;
  // "ab cd": words ab, cd, "ab cd"; padded " ab " and " cd " give 3 bigrams and 2 trigrams each.
  const auto terms = ExtractTerms("AB cd", options);
  size_t words = 0;
  size_t chars = 0;
  for (const TermCount& t : terms) (t.block == TermBlock::kWord ? words : chars) += 1;
  EXPECT_EQ(words, 3u);
  EXPECT_EQ(chars, 10u);
}

TEST(ExtractTerms, IgnoresCaseAndSpacingButNotWords) {
  const auto a = ExtractTerms("Staff  were KIND", FeatureOptions{});
  const auto b = ExtractTerms("staff were kind", FeatureOptions{});
  const auto c = ExtractTerms("staff were rude", FeatureOptions{});
  auto keys = [](const std::vector<TermCount>& t) {
    std::vector<uint64_t> k;
    k.reserve(t.size());
    for (const TermCount& x : t) k.push_back(x.key);
    return k;
  };
  EXPECT_EQ(keys(a), keys(b));
  EXPECT_NE(keys(a), keys(c));
}

TEST(ExtractTerms, NegationAddsMarkedTerms) {
  FeatureOptions with;
  with.question_terms = false;
  FeatureOptions without = with;
  without.mark_negation = false;
  EXPECT_EQ(ExtractTerms("not good", with).size(), ExtractTerms("not good", without).size() + 1);
}

TEST(ExtractTerms, WordTermsUseStemsAndFoldedDigits) {
  FeatureOptions options = PlainOptions();
  options.char_ngram_max = 0;
  options.stem_words = true;
  options.fold_digits = true;
  EXPECT_EQ(Keys(ExtractTerms("waited 111", options)), Keys(ExtractTerms("waiting 999", options)));
  EXPECT_NE(Keys(ExtractTerms("waited 111", options)), Keys(ExtractTerms("waited hours", options)));
  options.stem_words = false;
  EXPECT_NE(Keys(ExtractTerms("waited 111", options)), Keys(ExtractTerms("waiting 111", options)));
}

TEST(ExtractTerms, SpanBlockCrossesWordsAndPunctuation) {
  FeatureOptions options = PlainOptions();
  options.word_ngram_max = 0;
  options.char_ngram_max = 0;
  options.span_ngram_min = 3;
  options.span_ngram_max = 3;
  // " ab, c " (7 bytes) has 5 distinct trigrams: " ab", "ab,", "b, ", ", c", " c ".
  const auto terms = ExtractTerms("AB, c", options);
  EXPECT_EQ(CountBlock(terms, TermBlock::kSpan), 5u);
  EXPECT_EQ(terms.size(), 5u);
}

TEST(ExtractTerms, CueTermsMarkPunctuationAndShortComments) {
  FeatureOptions options = PlainOptions();
  options.char_ngram_max = 0;
  options.mark_negation = false;
  options.word_ngram_max = 1;
  options.cue_terms = true;
  EXPECT_EQ(ExtractTerms("great!!", options).size(), 4u);  // great, "!", "!!", short
  EXPECT_EQ(ExtractTerms("great", options).size(), 2u);    // great, short
  EXPECT_EQ(ExtractTerms("why so slow?", options).size(), 3u + 1u);
}

TEST(ExtractTerms, QuestionTermsRepeatTheWordTermsUnderTheKind) {
  FeatureOptions options = PlainOptions();
  options.char_ngram_max = 0;
  options.mark_negation = false;
  options.question_terms = true;
  // Word terms "nothing", "really", "nothing really"; each once more in the question block.
  const auto good = ExtractTerms("Nothing really", options, QuestionKind::kWhatGood);
  const auto improve = ExtractTerms("Nothing really", options, QuestionKind::kCouldImprove);
  EXPECT_EQ(CountBlock(good, TermBlock::kWord), 3u);
  EXPECT_EQ(CountBlock(good, TermBlock::kQuestion), 3u);
  auto block_keys = [](const std::vector<TermCount>& terms, TermBlock block) {
    std::vector<uint64_t> keys;
    for (const TermCount& t : terms) {
      if (t.block == block) keys.push_back(t.key);
    }
    return keys;
  };
  EXPECT_EQ(block_keys(good, TermBlock::kWord), block_keys(improve, TermBlock::kWord));
  for (uint64_t key : block_keys(good, TermBlock::kQuestion)) {
    const auto other = block_keys(improve, TermBlock::kQuestion);
    EXPECT_EQ(std::find(other.begin(), other.end(), key), other.end());
  }
  // The kind defaults to nonspecific, which has question terms of its own.
  EXPECT_EQ(Keys(ExtractTerms("Nothing really", options)),
            Keys(ExtractTerms("Nothing really", options, QuestionKind::kNonspecific)));
  EXPECT_NE(Keys(ExtractTerms("Nothing really", options)), Keys(good));
}

TEST(ExtractTerms, QuestionTermsOnlyWhenOn) {
  FeatureOptions options = PlainOptions();
  options.char_ngram_max = 0;
  options.question_terms = true;
  // 3 words and 2 bigrams.
  EXPECT_EQ(CountBlock(ExtractTerms("one two three", options, QuestionKind::kWhatGood), TermBlock::kQuestion), 5u);
  // Every word-block term has its question term: not, good, "not good", NOT_good, "!" and short.
  options.cue_terms = true;
  const auto negated = ExtractTerms("not good!", options, QuestionKind::kWhatGood);
  EXPECT_EQ(CountBlock(negated, TermBlock::kWord), 6u);
  EXPECT_EQ(CountBlock(negated, TermBlock::kQuestion), 6u);
  EXPECT_TRUE(ExtractTerms("...", options, QuestionKind::kWhatGood).empty());
  options.question_terms = false;
  EXPECT_EQ(CountBlock(ExtractTerms("one", options, QuestionKind::kWhatGood), TermBlock::kQuestion), 0u);
}

TEST(ExtractTerms, EmptyTextHasNoTerms) { EXPECT_TRUE(ExtractTerms("  ...  ", FeatureOptions{}).empty()); }

}  // namespace
}  // namespace caredesk::feedback
