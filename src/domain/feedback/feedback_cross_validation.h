// Cross-validation of the whole trainer, the way the classifier's configuration is chosen without
// looking at the protocol's test rows: the (training) comments are dealt into folds; each fold is
// classified by a model that TrainFeedbackModel learns from the other folds — thresholds and all,
// so the trainer's own inner cross-validation is nested inside — and the out-of-fold predictions
// of all folds are pooled and evaluated once. This is repeated for each fold seed; the figures are
// averaged over the seeds. Comments are classified with their question kind.
//
// Pure; thread-safe. Runs on the calling thread only (one training a fold and seed).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/feedback/feedback_evaluation.h"
#include "domain/feedback/feedback_trainer.h"
#include "domain/feedback/labelled_comment.h"

namespace caredesk::feedback {

struct CrossValidationOptions {
  uint32_t folds = 5;
  // One dealing of the comments into folds a seed (DealFolds, split_mix64.h).
  std::vector<uint64_t> fold_seeds = {1, 2, 3, 4};
};

struct CrossValidationResult {
  // The evaluation of the pooled out-of-fold predictions, one a fold seed.
  std::vector<FeedbackEvaluation> per_seed;
  // Means over the seeds.
  double macro_f1 = 0.0;
  double sentiment_accuracy = 0.0;
  std::vector<double> theme_f1;  // one a theme
};

// Cross-validates TrainFeedbackModel(·, themes, options) on `comments`. Invalid when folds < 2,
// there are fewer comments than folds or no fold seed; otherwise the errors of
// TrainFeedbackModel on a fold's training part.
Result<CrossValidationResult> CrossValidateTrainer(std::span<const LabelledComment> comments,
                                                   std::span<const std::string> themes, const TrainOptions& options,
                                                   const CrossValidationOptions& cv = {});

}  // namespace caredesk::feedback
