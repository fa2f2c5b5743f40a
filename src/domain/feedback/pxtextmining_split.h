// The fixed train/test protocol CareDesk uses on the pxtextmining "v6 framework" data set
// (NHS England CDU Data Science Team; <data>/feedback_pxtextmining/v6framework_230831.csv).
//
// Columns: "FFT answer" is the comment, "Comment sentiment" the labeller's 1–5 score (blank when
// unlabelled), and every column after "Comment sentiment" is a one-hot category of the framework
// (cells blank/"0" or "1"). Of the columns before it only the optional "FFT question" is read: the
// question the comment answers, whose kind (QuestionKindOfPrompt) is a model input; without that
// column (a customer's own CSV) every comment is nonspecific.
//
// The rule: keep the rows whose "FFT answer" is not empty after trimming white space (a lone space
// is not an answer), in file order; the kept row with 0-based index i is a TEST row when
// i % test_period == test_phase and a TRAINING row otherwise. The themes are the category columns
// with at least min_theme_train_positives positive TRAINING rows, in column order.
//
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/feedback/csv.h"
#include "domain/feedback/labelled_comment.h"

namespace caredesk::feedback {

inline constexpr std::string_view kPxtextminingTextColumn = "FFT answer";
inline constexpr std::string_view kPxtextminingSentimentColumn = "Comment sentiment";
inline constexpr std::string_view kPxtextminingQuestionColumn = "FFT question";

struct PxtextminingSplitOptions {
  size_t test_period = 5;
  size_t test_phase = 4;
  size_t min_theme_train_positives = 100;
};

struct FeedbackDataset {
  std::vector<std::string> themes;  // selected category columns, in column order
  // Comments with their labels for `themes` only; text exactly as in the file (untrimmed).
  std::vector<LabelledComment> train;
  std::vector<LabelledComment> test;
  // Whether the CSV had the "FFT question" column (else every comment is nonspecific).
  bool has_question_column = false;
};

// Applies the rule above. Errors (Invalid, field "csv"): a missing text or sentiment column, no
// category column, a category cell other than blank/0/1, a sentiment other than blank/1–5
// (naming the record), test_phase >= test_period, or no theme meeting the threshold.
Result<FeedbackDataset> SplitPxtextmining(const CsvTable& table, const PxtextminingSplitOptions& options = {});

}  // namespace caredesk::feedback
