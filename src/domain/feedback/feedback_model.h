// FeedbackModel: a trained patient-comment classifier. It predicts the set of themes a comment
// raises (multi-label) and its sentiment (positive, neutral or negative).
//
// The model is linear over the features of TfidfVectorizer (of the comment's text and the kind of
// question it answers): one weight column and bias a theme, plus one a sentiment class. A theme
// applies when its score exceeds the theme's decision threshold (chosen at training time to
// maximise F1); the sentiment is the class of highest score.
// Build one with TrainFeedbackModel (feedback_trainer.h) or LoadModel (feedback_model_io.h).
//
// Immutable; thread-safe: Classify may run concurrently on one model.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "domain/feedback/question_kind.h"
#include "domain/feedback/sentiment.h"
#include "domain/feedback/tfidf_vectorizer.h"

namespace caredesk::feedback {

struct Classification {
  // The themes that apply, in the model's theme order.
  std::vector<std::string> themes;
  Sentiment sentiment = Sentiment::kNeutral;
  // One a model theme (parallel to FeedbackModel::themes()): the linear score minus the theme's
  // threshold, so a theme applies exactly when its entry is > 0. Larger is more confident.
  std::vector<float> theme_scores;
  // One a sentiment class, indexed by static_cast<size_t>(Sentiment); the largest wins (ties go
  // to the earlier class).
  std::array<float, kSentimentCount> sentiment_scores{};
};

class FeedbackModel {
 public:
  // Everything a model consists of; what SaveModel writes.
  struct Parts {
    TfidfVectorizer vectorizer;
    std::vector<std::string> themes;
    std::vector<float> theme_thresholds;  // one a theme
    // Output o is theme o for o < themes.size(), then the sentiment classes in Sentiment order.
    // Feature-major: weights[f * output_count + o].
    std::vector<float> weights;
    std::vector<float> biases;  // one an output
  };

  // Checks that the parts fit together: at least one theme, distinct non-empty theme names, one
  // finite threshold a theme, weights of vectorizer.dimension() × (themes + 3) finite values and
  // finite biases. Invalid (field "model", reason "corrupt_model") otherwise.
  static Result<FeedbackModel> FromParts(Parts parts);

  // The themes and sentiment of `comment`, an answer to a question of kind `question`. Models
  // trained without the question input (and model files before version 4) ignore the kind.
  Classification Classify(std::string_view comment, QuestionKind question = QuestionKind::kNonspecific) const;

  const std::vector<std::string>& themes() const { return parts_.themes; }
  size_t output_count() const { return parts_.themes.size() + kSentimentCount; }
  const Parts& parts() const { return parts_; }

 private:
  explicit FeedbackModel(Parts parts) : parts_(std::move(parts)) {}

  Parts parts_;
};

}  // namespace caredesk::feedback
