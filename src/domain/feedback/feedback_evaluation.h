// Quality measures of the comment classifier: per-theme precision, recall and F1, their macro
// average, sentiment accuracy with its confusion matrix — and the F1-maximising decision
// threshold that training picks for each theme.
//
// Conventions: a theme's precision, recall and F1 are 0 when their denominator is 0 (as
// scikit-learn's zero_division=0); the macro F1 is the unweighted mean over the themes; sentiment
// accuracy counts only comments with a sentiment label.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/feedback/feedback_model.h"
#include "domain/feedback/labelled_comment.h"

namespace caredesk::feedback {

struct ThemeEvaluation {
  std::string theme;
  size_t support = 0;    // comments labelled with the theme
  size_t predicted = 0;  // comments the model gave the theme
  size_t true_positives = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

struct FeedbackEvaluation {
  size_t comments = 0;
  std::vector<ThemeEvaluation> themes;
  double macro_f1 = 0.0;
  size_t sentiment_comments = 0;  // comments with a sentiment label
  size_t sentiment_correct = 0;
  double sentiment_accuracy = 0.0;
  // confusion[reference][predicted], indexed by static_cast<size_t>(Sentiment).
  std::array<std::array<size_t, kSentimentCount>, kSentimentCount> sentiment_confusion{};
};

// Compares `predictions` with the labels of `comments` (parallel spans; each comment has one flag
// a theme of `themes`). Invalid when the sizes differ.
Result<FeedbackEvaluation> EvaluateClassifications(std::span<const LabelledComment> comments,
                                                   std::span<const Classification> predictions,
                                                   std::span<const std::string> themes);

// Classifies every comment (with its question kind) with `model` and evaluates the result
// against the model's themes.
Result<FeedbackEvaluation> EvaluateModel(const FeedbackModel& model, std::span<const LabelledComment> comments);

// The threshold t maximising the F1 of "score > t" against `labels` (1 positive, 0 negative;
// parallel to `scores`): the midpoint between the lowest accepted score and the next lower one,
// or just below the lowest score when all are accepted. Among equal F1 the highest threshold
// wins. With no positive label nothing should be accepted: the result is above every score.
float BestF1Threshold(std::span<const float> scores, std::span<const uint8_t> labels);

}  // namespace caredesk::feedback
