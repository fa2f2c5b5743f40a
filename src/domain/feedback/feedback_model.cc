#include "domain/feedback/feedback_model.h"

#include <cmath>
#include <set>
#include <utility>

namespace caredesk::feedback {
namespace {

Error Corrupt(std::string message) { return Error::Invalid("model", std::move(message), "corrupt_model"); }

bool AllFinite(std::span<const float> values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

Result<FeedbackModel> FeedbackModel::FromParts(Parts parts) {
  if (parts.themes.empty()) return Corrupt("the model has no theme");
  std::set<std::string> seen;
  for (const std::string& theme : parts.themes) {
    if (theme.empty() || !seen.insert(theme).second) return Corrupt("theme names must be distinct and non-empty");
  }
  if (parts.theme_thresholds.size() != parts.themes.size() || !AllFinite(parts.theme_thresholds)) {
    return Corrupt("the model needs one finite threshold a theme");
  }
  const size_t outputs = parts.themes.size() + kSentimentCount;
  if (parts.biases.size() != outputs || !AllFinite(parts.biases)) return Corrupt("the model needs one bias an output");
  if (parts.weights.size() != parts.vectorizer.dimension() * outputs || !AllFinite(parts.weights)) {
    return Corrupt("the weight matrix does not match the vocabulary and outputs");
  }
  return FeedbackModel(std::move(parts));
}

Classification FeedbackModel::Classify(std::string_view comment, QuestionKind question) const {
  const size_t theme_count = parts_.themes.size();
  const size_t outputs = output_count();
  std::vector<float> scores(parts_.biases);
  const SparseVector x = parts_.vectorizer.Transform(comment, question);
  for (size_t k = 0; k < x.index.size(); ++k) {
    const float* row = parts_.weights.data() + static_cast<size_t>(x.index[k]) * outputs;
    const float v = x.value[k];
    for (size_t o = 0; o < outputs; ++o) scores[o] += row[o] * v;
  }

  Classification result;
  result.theme_scores.resize(theme_count);
  for (size_t t = 0; t < theme_count; ++t) {
    result.theme_scores[t] = scores[t] - parts_.theme_thresholds[t];
    if (result.theme_scores[t] > 0.0f) result.themes.push_back(parts_.themes[t]);
  }
  size_t best = 0;
  for (size_t c = 0; c < kSentimentCount; ++c) {
    result.sentiment_scores[c] = scores[theme_count + c];
    if (result.sentiment_scores[c] > result.sentiment_scores[best]) best = c;
  }
  result.sentiment = kAllSentiments[best];
  return result;
}

}  // namespace caredesk::feedback
