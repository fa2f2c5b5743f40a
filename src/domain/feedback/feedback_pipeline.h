// Entry points for `caredesk feedback train` and `caredesk feedback classify`, free of
// command-line and file-system code: the CLI opens the files, passes the streams, measures the
// time and prints the report.
//
// Pure functions over streams; thread-safe for distinct streams.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/feedback/feedback_evaluation.h"
#include "domain/feedback/feedback_model.h"
#include "domain/feedback/feedback_trainer.h"
#include "domain/feedback/pxtextmining_split.h"

namespace caredesk::feedback {

struct FeedbackTrainingOptions {
  // train.word_vectors: pretrained word vectors (LoadWordVectors, word_vectors.h) for the
  // embedding block; without them the model has TF-IDF features only.
  TrainOptions train;
  PxtextminingSplitOptions split;
  // false (the protocol): train on the training rows, evaluate on the held-out test rows.
  // true: train on every kept row, test rows included, and evaluate nothing.
  bool train_on_all_rows = false;
};

struct FeedbackTrainingReport {
  std::vector<std::string> themes;
  size_t training_comments = 0;
  size_t test_comments = 0;  // held out (0 with train_on_all_rows)
  // Whether the CSV had the "FFT question" column; without it every comment was taken as an
  // answer to a nonspecific question.
  bool question_column = false;
  size_t vocabulary_size = 0;
  size_t embedding_words = 0;  // pretrained word vectors the model keeps (0: no embedding block)
  size_t model_bytes = 0;
  std::optional<FeedbackEvaluation> test;  // absent with train_on_all_rows
};

// Reads a pxtextmining-format CSV (pxtextmining_split.h), trains a model, writes it to
// `model_out` (feedback_model_io.h) and reports what was done. Errors: those of ReadCsvTable,
// SplitPxtextmining, TrainFeedbackModel and SaveModel.
Result<FeedbackTrainingReport> TrainFeedbackModelFromCsv(std::istream& pxtextmining_csv, std::ostream& model_out,
                                                         const FeedbackTrainingOptions& options = {});

// Classifies each line of `comments` (one comment a line, each answering a question of kind
// `question`; LF or CRLF; blank lines skipped) and writes a CSV to `out`: the header
// "comment,sentiment,themes", then one row a comment with its sentiment name and its themes joined
// by "; " (empty when none). Returns the number of comments classified; Invalid ("read_failed" /
// "write_failed") when a stream fails.
Result<size_t> ClassifyCommentLines(const FeedbackModel& model, std::istream& comments, std::ostream& out,
                                    QuestionKind question = QuestionKind::kNonspecific);

}  // namespace caredesk::feedback
