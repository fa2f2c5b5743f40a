#include "domain/feedback/feedback_cross_validation.h"

#include <utility>

#include "domain/feedback/split_mix64.h"

namespace caredesk::feedback {

Result<CrossValidationResult> CrossValidateTrainer(std::span<const LabelledComment> comments,
                                                   std::span<const std::string> themes, const TrainOptions& options,
                                                   const CrossValidationOptions& cv) {
  if (cv.folds < 2) return Error::Invalid("folds", "cross-validation needs at least two folds");
  if (comments.size() < cv.folds) return Error::Invalid("folds", "more folds than comments");
  if (cv.fold_seeds.empty()) return Error::Invalid("fold_seeds", "cross-validation needs a fold seed");

  CrossValidationResult result;
  result.theme_f1.assign(themes.size(), 0.0);
  for (uint64_t seed : cv.fold_seeds) {
    const std::vector<size_t> fold_of = DealFolds(comments.size(), cv.folds, seed);
    std::vector<Classification> predictions(comments.size());
    for (size_t fold = 0; fold < cv.folds; ++fold) {
      std::vector<LabelledComment> training;
      for (size_t i = 0; i < comments.size(); ++i) {
        if (fold_of[i] != fold) training.push_back(comments[i]);
      }
      CD_ASSIGN_OR_RETURN(FeedbackModel model, TrainFeedbackModel(training, themes, options));
      for (size_t i = 0; i < comments.size(); ++i) {
        if (fold_of[i] == fold) predictions[i] = model.Classify(comments[i].text, comments[i].question);
      }
    }
    CD_ASSIGN_OR_RETURN(FeedbackEvaluation eval, EvaluateClassifications(comments, predictions, themes));
    result.macro_f1 += eval.macro_f1;
    result.sentiment_accuracy += eval.sentiment_accuracy;
    for (size_t t = 0; t < themes.size(); ++t) result.theme_f1[t] += eval.themes[t].f1;
    result.per_seed.push_back(std::move(eval));
  }
  const double seeds = static_cast<double>(cv.fold_seeds.size());
  result.macro_f1 /= seeds;
  result.sentiment_accuracy /= seeds;
  for (double& f1 : result.theme_f1) f1 /= seeds;
  return result;
}

}  // namespace caredesk::feedback
