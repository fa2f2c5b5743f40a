// Test support: a small synthetic set of labelled comments with two obvious themes, for tests
// that need a trained model without the real data set.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/feedback/labelled_comment.h"
#include "domain/feedback/word_vectors.h"

namespace caredesk::feedback::testing {

inline const std::vector<std::string>& SyntheticThemes() {
  static const std::vector<std::string> themes = {"Staff manner", "Timeliness"};
  return themes;
}

// 120 comments: praise of staff (Staff manner, positive), complaints about waiting (Timeliness,
// negative), both (neutral) and neither (neutral, no theme).
inline std::vector<LabelledComment> SyntheticComments() {
  const std::vector<std::string> staff = {"the staff were kind", "nurses were lovely and caring",
                                          "friendly helpful crew", "the doctor was polite and kind"};
  const std::vector<std::string> wait = {"waited hours for the ambulance", "the wait was far too long",
                                         "late again, three hours delay", "slow to arrive, long waiting"};
  const std::vector<std::string> other = {"parking at the site", "the form asked odd questions", "about the leaflet",
                                          "car park tickets"};
  std::vector<LabelledComment> comments;
  for (int round = 0; round < 10; ++round) {
    const std::string suffix = round % 2 == 0 ? "" : " today";
    for (size_t k = 0; k < 4; ++k) {
      comments.push_back({staff[k] + suffix, {1, 0}, Sentiment::kPositive, QuestionKind::kNonspecific});
      comments.push_back({wait[k] + suffix, {0, 1}, Sentiment::kNegative, QuestionKind::kNonspecific});
      comments.push_back({other[(k + round) % 4] + suffix,
                          {0, 0},
                          round % 3 == 0 ? std::nullopt : std::optional(Sentiment::kNeutral),
                          QuestionKind::kNonspecific});
    }
  }
  return comments;
}

// SyntheticComments answering a nonspecific question, and 60 short answers whose sentiment only
// the question tells: "nothing" / "nothing really" / "no" answering "What could we do better?"
// (could_improve) are praise, answering "What was good?" (what_good) complaints. No theme.
inline std::vector<LabelledComment> QuestionDependentComments() {
  std::vector<LabelledComment> comments = SyntheticComments();
  const std::vector<std::string> answers = {"nothing", "nothing really", "no"};
  for (int round = 0; round < 10; ++round) {
    for (const std::string& answer : answers) {
      comments.push_back({answer, {0, 0}, Sentiment::kPositive, QuestionKind::kCouldImprove});
      comments.push_back({answer, {0, 0}, Sentiment::kNegative, QuestionKind::kWhatGood});
    }
  }
  return comments;
}

// A 4-dimensional word vector table in "frequency" order: staff words near (1, 1, 0, 0), waiting
// words near (0, 0, 1, 1), "parking" alone, and "courteous" / "delayed" (absent from the synthetic
// comments) beside the staff and waiting words.
inline WordVectors SyntheticWordVectors() {
  const std::vector<std::pair<std::string, std::vector<float>>> table = {
      {"the", {0.1f, 0.1f, 0.1f, 0.1f}},      {"kind", {1.0f, 0.9f, 0.0f, 0.1f}},
      {"lovely", {0.9f, 1.0f, 0.1f, 0.0f}},   {"friendly", {1.0f, 1.0f, 0.0f, 0.0f}},
      {"waited", {0.0f, 0.1f, 1.0f, 0.9f}},   {"wait", {0.1f, 0.0f, 0.9f, 1.0f}},
      {"slow", {0.0f, 0.0f, 1.0f, 0.8f}},     {"parking", {0.0f, -1.0f, 0.0f, 0.5f}},
      {"courteous", {0.9f, 0.9f, 0.1f, 0.0f}}, {"delayed", {0.1f, 0.0f, 0.9f, 0.9f}},
  };
  std::vector<uint64_t> keys;
  std::vector<float> values;
  for (const auto& [word, vector] : table) {
    keys.push_back(WordVectors::KeyOf(word));
    values.insert(values.end(), vector.begin(), vector.end());
  }
  return WordVectors::FromFloats(4, std::move(keys), values).value();
}

}  // namespace caredesk::feedback::testing
