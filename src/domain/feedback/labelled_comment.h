// A patient comment with its reference labels, as training and evaluation read them. Plain value
// type; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/feedback/question_kind.h"
#include "domain/feedback/sentiment.h"

namespace caredesk::feedback {

struct LabelledComment {
  std::string text;
  // One flag a theme, parallel to the theme list that accompanies the comments: 1 when the theme
  // applies, 0 when not.
  std::vector<uint8_t> themes;
  // nullopt when the comment has no sentiment label.
  std::optional<Sentiment> sentiment;
  // The kind of question the comment answers (a model input, like the text).
  QuestionKind question = QuestionKind::kNonspecific;
};

}  // namespace caredesk::feedback
