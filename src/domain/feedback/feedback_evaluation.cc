#include "domain/feedback/feedback_evaluation.h"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace caredesk::feedback {
namespace {

double Ratio(size_t num, size_t den) { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }

// How far a threshold sits outside the scores when it must accept all or none of them.
constexpr float kThresholdMargin = 1.0f;

}  // namespace

Result<FeedbackEvaluation> EvaluateClassifications(std::span<const LabelledComment> comments,
                                                   std::span<const Classification> predictions,
                                                   std::span<const std::string> themes) {
  if (comments.size() != predictions.size()) {
    return Error::Invalid("predictions", "one prediction a comment is needed");
  }
  FeedbackEvaluation eval;
  eval.comments = comments.size();
  eval.themes.resize(themes.size());
  for (size_t t = 0; t < themes.size(); ++t) eval.themes[t].theme = themes[t];
  for (size_t i = 0; i < comments.size(); ++i) {
    const LabelledComment& comment = comments[i];
    const Classification& prediction = predictions[i];
    if (comment.themes.size() != themes.size()) {
      return Error::Invalid("themes", "comment " + std::to_string(i) + " has the wrong number of theme flags");
    }
    for (size_t t = 0; t < themes.size(); ++t) {
      const bool predicted =
          std::find(prediction.themes.begin(), prediction.themes.end(), themes[t]) != prediction.themes.end();
      const bool actual = comment.themes[t] != 0;
      ThemeEvaluation& te = eval.themes[t];
      te.support += actual;
      te.predicted += predicted;
      te.true_positives += actual && predicted;
    }
    if (comment.sentiment) {
      ++eval.sentiment_comments;
      eval.sentiment_correct += *comment.sentiment == prediction.sentiment;
      ++eval.sentiment_confusion[static_cast<size_t>(*comment.sentiment)][static_cast<size_t>(prediction.sentiment)];
    }
  }
  double f1_sum = 0.0;
  for (ThemeEvaluation& te : eval.themes) {
    te.precision = Ratio(te.true_positives, te.predicted);
    te.recall = Ratio(te.true_positives, te.support);
    te.f1 = Ratio(2 * te.true_positives, te.support + te.predicted);
    f1_sum += te.f1;
  }
  eval.macro_f1 = themes.empty() ? 0.0 : f1_sum / static_cast<double>(themes.size());
  eval.sentiment_accuracy = Ratio(eval.sentiment_correct, eval.sentiment_comments);
  return eval;
}

Result<FeedbackEvaluation> EvaluateModel(const FeedbackModel& model, std::span<const LabelledComment> comments) {
  std::vector<Classification> predictions;
  predictions.reserve(comments.size());
  for (const LabelledComment& comment : comments) predictions.push_back(model.Classify(comment.text, comment.question));
  return EvaluateClassifications(comments, predictions, model.themes());
}

float BestF1Threshold(std::span<const float> scores, std::span<const uint8_t> labels) {
  assert(scores.size() == labels.size());
  if (scores.empty()) return 0.0f;
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Descending score; equal scores keep their input order so the result is deterministic.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  size_t positives = 0;
  for (size_t i = 0; i < labels.size(); ++i) positives += labels[i] != 0;
  if (positives == 0) return scores[order.front()] + kThresholdMargin;

  // Accepting the top k scores (only between two distinct scores) gives F1 = 2·tp / (k + positives).
  size_t true_positives = 0;
  double best_f1 = -1.0;
  size_t best_k = 0;
  for (size_t k = 1; k <= order.size(); ++k) {
    true_positives += labels[order[k - 1]] != 0;
    if (k < order.size() && scores[order[k]] == scores[order[k - 1]]) continue;
    const double f1 = 2.0 * static_cast<double>(true_positives) / static_cast<double>(k + positives);
    if (f1 > best_f1) {
      best_f1 = f1;
      best_k = k;
    }
  }
  const float lowest_accepted = scores[order[best_k - 1]];
  if (best_k == order.size()) return lowest_accepted - kThresholdMargin;
  const float next = scores[order[best_k]];
  const float midpoint = lowest_accepted + 0.5f * (next - lowest_accepted);
  return midpoint < lowest_accepted ? midpoint : next;  // adjacent floats have no midpoint
}

}  // namespace caredesk::feedback
