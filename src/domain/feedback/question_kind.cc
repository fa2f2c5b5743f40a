#include "domain/feedback/question_kind.h"

#include <string>
#include <vector>

#include "domain/feedback/text_features.h"

namespace caredesk::feedback {
namespace {

// Whole-word cues, lower case, words separated by one space (apostrophes dropped, as WordTokens
// does: "didn't" is "didnt").
constexpr std::string_view kCouldImproveCues[] = {"improve",     "improved", "improvement", "improvements", "improving",
                                                  "better",      "change",   "changes",     "changed",      "different",
                                                  "differently", "could we", "we could",    "could have",   "should we",
                                                  "went wrong",  "suggest",  "suggestion",  "suggestions"};
constexpr std::string_view kWhatGoodCues[] = {
    "what was good", "good about",     "went well", "did well",     "done well", "best",       "liked",
    "did you like",  "you like about", "enjoyed",   "pleased with", "positive",  "worked well"};

template <size_t N>
bool HasCue(const std::string& padded_words, const std::string_view (&cues)[N]) {
  for (std::string_view cue : cues) {
    std::string needle;
    needle.reserve(cue.size() + 2);
    needle.push_back(' ');
    needle.append(cue);
    needle.push_back(' ');
    if (padded_words.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string_view QuestionKindName(QuestionKind kind) {
  switch (kind) {
    case QuestionKind::kNonspecific:
      return "nonspecific";
    case QuestionKind::kWhatGood:
      return "what_good";
    case QuestionKind::kCouldImprove:
      return "could_improve";
  }
  return "nonspecific";
}

std::optional<QuestionKind> ParseQuestionKind(std::string_view name) {
  for (QuestionKind kind : kAllQuestionKinds) {
    if (QuestionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

QuestionKind QuestionKindOfPrompt(std::string_view prompt) {
  // The prompt's words as " w1 w2 … wn ", so that a cue matches whole words only.
  FeatureOptions plain;
  plain.mark_negation = false;
  std::string padded_words = " ";
  for (const WordToken& token : WordTokens(NormalizeComment(prompt), plain)) {
    padded_words += token.text;
    padded_words.push_back(' ');
  }
  const bool could_improve = HasCue(padded_words, kCouldImproveCues);
  const bool what_good = HasCue(padded_words, kWhatGoodCues);
  if (could_improve == what_good) return QuestionKind::kNonspecific;  // neither, or both
  return could_improve ? QuestionKind::kCouldImprove : QuestionKind::kWhatGood;
}

}  // namespace caredesk::feedback
