// feedback_cv: nested cross-validation (feedback_cross_validation.h) of the comment classifier on
// the TRAINING rows of the pxtextmining protocol (pxtextmining_split.h) — how its configuration is
// chosen without looking at the test rows. A developer's tool; see README.md.
//
//   feedback_cv --data <v6framework_230831.csv> [--word-vectors <file.cdfbwvec>] [--seeds 1,2,3,4]
//               [--folds 5] [--question-terms 0|1] [--question-block W] [--question-indicator W]
//               [--theme-c C] [--sentiment-c C]
//
// Options not given keep the TrainOptions defaults (the shipped configuration). Prints the figures
// of each fold seed, their means, the mean F1 of each theme and the summed sentiment confusion.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "domain/feedback/csv.h"
#include "domain/feedback/feedback_cross_validation.h"
#include "domain/feedback/pxtextmining_split.h"
#include "domain/feedback/word_vectors.h"

namespace {

using caredesk::feedback::CrossValidationOptions;
using caredesk::feedback::TrainOptions;

int Usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s --data <csv> [--word-vectors <file>] [--seeds 1,2,3,4] [--folds 5] [--question-terms 0|1] "
               "[--question-block W] [--question-indicator W] [--theme-c C] [--sentiment-c C]\n",
               program);
  return 2;
}

bool ParseNumber(std::string_view text, double& out) {
  const std::string s(text);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  std::string vectors_file;
  TrainOptions options;
  CrossValidationOptions cv;
  // The numeric options, each setting one field.
  const std::map<std::string_view, std::function<void(double)>> numeric = {
      {"--folds", [&](double v) { cv.folds = static_cast<uint32_t>(v); }},
      {"--question-terms", [&](double v) { options.features.question_terms = v != 0.0; }},
      {"--question-block", [&](double v) { options.tfidf.question_block_weight = static_cast<float>(v); }},
      {"--question-indicator", [&](double v) { options.tfidf.question_indicator_weight = static_cast<float>(v); }},
      {"--theme-c", [&](double v) { options.theme_c = v; }},
      {"--sentiment-c", [&](double v) { options.sentiment_c = v; }},
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    const std::string_view value = argv[++i];
    double number = 0.0;
    if (flag == "--data") {
      data = value;
    } else if (flag == "--word-vectors") {
      vectors_file = value;
    } else if (flag == "--seeds") {
      cv.fold_seeds.clear();
      for (size_t start = 0; start <= value.size();) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (!ParseNumber(value.substr(start, comma - start), number)) return Usage(argv[0]);
        cv.fold_seeds.push_back(static_cast<uint64_t>(number));
        start = comma + 1;
      }
    } else if (auto it = numeric.find(flag); it != numeric.end() && ParseNumber(value, number)) {
      it->second(number);
    } else {
      return Usage(argv[0]);
    }
  }
  if (data.empty()) return Usage(argv[0]);

  std::ifstream in(data, std::ios::binary);
  auto table = caredesk::feedback::ReadCsvTable(in);
  if (!in.is_open() || !table.ok()) {
    std::fprintf(stderr, "cannot read %s\n", data.c_str());
    return 1;
  }
  auto dataset = caredesk::feedback::SplitPxtextmining(*table);
  if (!dataset.ok()) {
    std::fprintf(stderr, "%s: %s\n", data.c_str(), dataset.error().message.c_str());
    return 1;
  }
  if (!vectors_file.empty()) {
    std::ifstream vectors_in(vectors_file, std::ios::binary);
    auto vectors = caredesk::feedback::LoadWordVectors(vectors_in);
    if (!vectors.ok()) {
      std::fprintf(stderr, "%s: %s\n", vectors_file.c_str(), vectors.error().message.c_str());
      return 1;
    }
    options.word_vectors = std::make_shared<const caredesk::feedback::WordVectors>(std::move(vectors).value());
  }

  std::printf(
      "nested CV on %zu training rows (%u folds, %zu seeds); word vectors %s; question terms %s, block %.3g, "
      "indicator %.3g; theme C %.3g, sentiment C %.3g\n",
      dataset->train.size(), cv.folds, cv.fold_seeds.size(), vectors_file.empty() ? "none" : "yes",
      options.features.question_terms ? "on" : "off", options.tfidf.question_block_weight,
      options.tfidf.question_indicator_weight, options.theme_c, options.sentiment_c);
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  auto result = caredesk::feedback::CrossValidateTrainer(dataset->train, dataset->themes, options, cv);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::array<std::array<size_t, caredesk::feedback::kSentimentCount>, caredesk::feedback::kSentimentCount> confusion{};
  for (size_t s = 0; s < result->per_seed.size(); ++s) {
    const auto& eval = result->per_seed[s];
    std::printf("  seed %llu: macro-F1 %.4f, sentiment accuracy %.4f\n",
                static_cast<unsigned long long>(cv.fold_seeds[s]), eval.macro_f1, eval.sentiment_accuracy);
    for (size_t a = 0; a < confusion.size(); ++a) {
      for (size_t b = 0; b < confusion.size(); ++b) confusion[a][b] += eval.sentiment_confusion[a][b];
    }
  }
  for (size_t t = 0; t < dataset->themes.size(); ++t) {
    std::printf("  %-58s F1 %.3f\n", dataset->themes[t].c_str(), result->theme_f1[t]);
  }
  std::printf(
      "sentiment confusion summed over seeds (rows reference pos/neu/neg): [%zu %zu %zu] [%zu %zu %zu] "
      "[%zu %zu %zu]\n",
      confusion[0][0], confusion[0][1], confusion[0][2], confusion[1][0], confusion[1][1], confusion[1][2],
      confusion[2][0], confusion[2][1], confusion[2][2]);
  std::printf("MEAN macro-F1 %.4f, sentiment accuracy %.4f (%.0f s)\n", result->macro_f1, result->sentiment_accuracy,
              seconds);
  return 0;
}
