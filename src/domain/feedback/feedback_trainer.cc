#include "domain/feedback/feedback_trainer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "domain/feedback/feedback_evaluation.h"
#include "domain/feedback/split_mix64.h"

namespace caredesk::feedback {
namespace {

Status ValidateInputs(std::span<const LabelledComment> comments, std::span<const std::string> themes,
                      const TrainOptions& options) {
  if (comments.empty()) return Error::Invalid("comments", "training needs at least one comment");
  if (themes.empty()) return Error::Invalid("themes", "training needs at least one theme");
  std::set<std::string_view> seen;
  for (const std::string& theme : themes) {
    if (theme.empty() || !seen.insert(theme).second) {
      return Error::Invalid("themes", "theme names must be distinct and non-empty");
    }
  }
  bool any_sentiment = false;
  for (size_t i = 0; i < comments.size(); ++i) {
    if (comments[i].themes.size() != themes.size()) {
      return Error::Invalid("comments", "comment " + std::to_string(i) + " has " +
                                            std::to_string(comments[i].themes.size()) + " theme flags, expected " +
                                            std::to_string(themes.size()));
    }
    any_sentiment = any_sentiment || comments[i].sentiment.has_value();
  }
  if (!any_sentiment) return Error::Invalid("comments", "training needs comments with a sentiment label");
  if (!(options.theme_c > 0.0) || !(options.sentiment_c > 0.0) || !(options.tolerance > 0.0) ||
      !(options.theme_class_balance >= 0.0) || options.max_epochs == 0 || options.threshold_repeats == 0) {
    return Error::Invalid("options", "SVM costs, tolerance and epochs must be positive");
  }
  if (options.threshold_folds > comments.size()) {
    return Error::Invalid("threshold_folds", "more threshold folds than comments");
  }
  return ValidateVectorizerOptions(options.features, options.tfidf);
}

// The SVM options of theme `labels` (+1/−1).
SvmOptions ThemeSvmOptions(std::span<const int8_t> labels, const TrainOptions& options, uint64_t seed) {
  size_t positives = 0;
  for (int8_t y : labels) positives += y > 0;
  const double n = static_cast<double>(labels.size());
  const double p = static_cast<double>(std::max<size_t>(positives, 1));
  const double q = static_cast<double>(std::max<size_t>(labels.size() - positives, 1));
  SvmOptions svm;
  svm.loss = options.loss;
  svm.c_positive = options.theme_c * std::pow(n / (2.0 * p), options.theme_class_balance);
  svm.c_negative = options.theme_c * std::pow(n / (2.0 * q), options.theme_class_balance);
  svm.tolerance = options.tolerance;
  svm.max_epochs = options.max_epochs;
  svm.seed = seed;
  return svm;
}

// A seed for output `output` of cross-validation fit `fit` (fit == the number of threshold folds
// times repeats for the final models).
uint64_t SeedFor(const TrainOptions& options, size_t fit, size_t output) {
  return options.seed ^ (0x9E3779B97F4A7C15ULL * (fit + 1)) ^ (0xC2B2AE3D27D4EB4FULL * (output + 1));
}

size_t FinalFit(const TrainOptions& options) {
  return static_cast<size_t>(options.threshold_folds) * options.threshold_repeats;
}

std::vector<int8_t> ThemeLabels(std::span<const LabelledComment> comments, std::span<const size_t> rows, size_t theme) {
  std::vector<int8_t> labels;
  labels.reserve(rows.size());
  for (size_t r : rows) labels.push_back(comments[r].themes[theme] ? 1 : -1);
  return labels;
}

// Out-of-fold thresholds: for each theme, BestF1Threshold over the scores each comment gets from
// SVMs that did not see it, pooled over the repeats.
std::vector<float> ChooseThresholds(std::span<const LabelledComment> comments, const SparseRows& rows, size_t dimension,
                                    size_t theme_count, const TrainOptions& options) {
  const size_t n = comments.size();
  const size_t folds = options.threshold_folds;
  const size_t repeats = options.threshold_repeats;
  // scores[t][r * n + i]: theme t, repeat r, comment i.
  std::vector<std::vector<float>> scores(theme_count, std::vector<float>(n * repeats, 0.0f));
  for (size_t repeat = 0; repeat < repeats; ++repeat) {
    const std::vector<size_t> fold_of = DealFolds(n, folds, options.seed + repeat);
    for (size_t fold = 0; fold < folds; ++fold) {
      std::vector<size_t> fit_rows;
      std::vector<size_t> held_out;
      for (size_t i = 0; i < n; ++i) (fold_of[i] == fold ? held_out : fit_rows).push_back(i);
      const SparseRows fit = rows.Select(fit_rows);
      for (size_t t = 0; t < theme_count; ++t) {
        const std::vector<int8_t> labels = ThemeLabels(comments, fit_rows, t);
        const SvmOptions svm = ThemeSvmOptions(labels, options, SeedFor(options, repeat * folds + fold, t));
        const LinearFunction f = TrainLinearSvm(fit, labels, dimension, svm);
        for (size_t i : held_out) scores[t][repeat * n + i] = f.Score(rows.indices(i), rows.values(i));
      }
    }
  }
  std::vector<float> thresholds(theme_count);
  std::vector<uint8_t> truth(n * repeats);
  for (size_t t = 0; t < theme_count; ++t) {
    for (size_t k = 0; k < n * repeats; ++k) truth[k] = comments[k % n].themes[t] != 0;
    thresholds[t] = BestF1Threshold(scores[t], truth);
  }
  return thresholds;
}

}  // namespace

Result<FeedbackModel> TrainFeedbackModel(std::span<const LabelledComment> comments, std::span<const std::string> themes,
                                         const TrainOptions& options) {
  CD_RETURN_IF_ERROR(ValidateInputs(comments, themes, options));
  const size_t n = comments.size();
  const size_t theme_count = themes.size();
  const size_t outputs = theme_count + kSentimentCount;

  std::vector<std::string> texts;
  std::vector<QuestionKind> kinds;
  texts.reserve(n);
  kinds.reserve(n);
  for (const LabelledComment& c : comments) {
    texts.push_back(c.text);
    kinds.push_back(c.question);
  }
  TfidfVectorizer vectorizer =
      TfidfVectorizer::Fit(texts, kinds, options.features, options.tfidf, options.word_vectors.get());
  const size_t dimension = vectorizer.dimension();
  SparseRows rows;
  for (size_t i = 0; i < n; ++i) rows.Append(vectorizer.Transform(texts[i], kinds[i]));

  FeedbackModel::Parts parts;
  parts.themes.assign(themes.begin(), themes.end());
  parts.theme_thresholds = options.threshold_folds >= 2
                               ? ChooseThresholds(comments, rows, dimension, theme_count, options)
                               : std::vector<float>(theme_count, 0.0f);
  parts.weights.assign(dimension * outputs, 0.0f);
  parts.biases.assign(outputs, 0.0f);
  auto store = [&](size_t output, const LinearFunction& f) {
    for (size_t j = 0; j < dimension; ++j) parts.weights[j * outputs + output] = f.weights[j];
    parts.biases[output] = f.bias;
  };

  std::vector<size_t> all_rows(n);
  for (size_t i = 0; i < n; ++i) all_rows[i] = i;
  for (size_t t = 0; t < theme_count; ++t) {
    const std::vector<int8_t> labels = ThemeLabels(comments, all_rows, t);
    store(t, TrainLinearSvm(rows, labels, dimension,
                            ThemeSvmOptions(labels, options, SeedFor(options, FinalFit(options), t))));
  }

  std::vector<size_t> labelled;
  for (size_t i = 0; i < n; ++i) {
    if (comments[i].sentiment) labelled.push_back(i);
  }
  const SparseRows sentiment_rows = rows.Select(labelled);
  for (size_t c = 0; c < kSentimentCount; ++c) {
    std::vector<int8_t> labels;
    labels.reserve(labelled.size());
    for (size_t r : labelled) labels.push_back(*comments[r].sentiment == kAllSentiments[c] ? 1 : -1);
    SvmOptions svm;
    svm.loss = options.loss;
    svm.c_positive = svm.c_negative = options.sentiment_c;
    svm.tolerance = options.tolerance;
    svm.max_epochs = options.max_epochs;
    svm.seed = SeedFor(options, FinalFit(options), theme_count + c);
    store(theme_count + c, TrainLinearSvm(sentiment_rows, labels, dimension, svm));
  }

  parts.vectorizer = std::move(vectorizer);
  return FeedbackModel::FromParts(std::move(parts));
}

}  // namespace caredesk::feedback
