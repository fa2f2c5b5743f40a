// The kind of question a patient comment answers. A survey comment is always an answer to a
// question, and the question changes what the words mean: "Nothing." answering "What could we do
// better?" is praise, answering "What was good?" it is a complaint. The classifier takes the kind
// as an input beside the text (feedback_model.h); pxtextmining's models take the same input, its
// `FFT_q_standardised` with these three values.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace caredesk::feedback {

enum class QuestionKind : uint8_t {
  kNonspecific = 0,   // "Why?", "Is there anything else you would like to tell us?", or unknown
  kWhatGood = 1,      // asks what was good
  kCouldImprove = 2,  // asks what could be better
};

inline constexpr size_t kQuestionKindCount = 3;
inline constexpr std::array<QuestionKind, kQuestionKindCount> kAllQuestionKinds = {
    QuestionKind::kNonspecific, QuestionKind::kWhatGood, QuestionKind::kCouldImprove};

// "nonspecific", "what_good", "could_improve" (pxtextmining's names).
std::string_view QuestionKindName(QuestionKind kind);
// The inverse of QuestionKindName; nullopt for any other text (names are case-sensitive).
std::optional<QuestionKind> ParseQuestionKind(std::string_view name);

// The kind of a question from its wording (any case, white space and typographic quotes):
//  - could_improve when it asks about improving or changing: "improve", "better", "change",
//    "differently", "could we", "could have", "went wrong", "suggest"…;
//  - what_good when it asks what went well: "what was good", "good about", "went well", "best",
//    "liked", "did you like", "enjoyed", "positive"…;
//  - nonspecific otherwise, and also when it asks both ("What was good, and what could we do
//    better?").
// The cue lists are in question_kind.cc. Cues match whole words: "Would you like to tell us
// more?" is nonspecific.
QuestionKind QuestionKindOfPrompt(std::string_view prompt);

}  // namespace caredesk::feedback
