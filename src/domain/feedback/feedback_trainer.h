// Training of FeedbackModel from labelled comments.
//
// Steps, all deterministic (same inputs and options → the same model, byte for byte):
//  1. The TF-IDF vocabulary and idf are learnt from the texts (and question kinds) of all
//     training comments.
//  2. Themes: for each theme a linear SVM (one-vs-rest) on all comments. Its decision threshold
//     is chosen to maximise F1 over out-of-fold scores: the comments are dealt into
//     threshold_folds folds of near-equal size by a seeded shuffle, each fold is scored by SVMs
//     trained on the other folds; this is repeated threshold_repeats times with different
//     shuffles, and BestF1Threshold picks the threshold on all the scores pooled (repeats make the
//     choice steadier for rare themes). With threshold_folds < 2 every threshold is 0.
//  3. Sentiment: one linear SVM per class (one-vs-rest) on the comments with a sentiment label.
//
// Pure; thread-safe. Runs on the calling thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "domain/feedback/feedback_model.h"
#include "domain/feedback/labelled_comment.h"
#include "domain/feedback/linear_svm.h"
#include "domain/feedback/text_features.h"
#include "domain/feedback/tfidf_vectorizer.h"
#include "domain/feedback/word_vectors.h"

namespace caredesk::feedback {

// The defaults are the configuration chosen by cross-validation on the pxtextmining training rows
// only (nested: the whole trainer run on 4/5 of them, scored on the rest); the test rows were not
// used to choose them. See README.md for what was tried and feedback_eval_test.cc for the result.
struct TrainOptions {
  FeatureOptions features;
  TfidfOptions tfidf;
  // Pretrained word vectors for the embedding block (TfidfOptions::embedding_*); none: no block.
  // The model keeps the part it needs, so classifying never needs this table.
  std::shared_ptr<const WordVectors> word_vectors;
  SvmLoss loss = SvmLoss::kSquaredHinge;
  double theme_c = 0.5;
  // Class weighting of the theme SVMs: errors on positives cost theme_c · (n / 2p)^b and on
  // negatives theme_c · (n / 2(n − p))^b, for b = theme_class_balance (0: unweighted, 1: fully
  // balanced). The tuned thresholds make up for the imbalance.
  double theme_class_balance = 0.0;
  double sentiment_c = 0.5;
  uint32_t threshold_folds = 5;
  uint32_t threshold_repeats = 3;
  double tolerance = 0.1;
  uint32_t max_epochs = 1000;
  uint64_t seed = 20230831;
};

// Learns a model for `themes` from `comments` (each with one flag a theme). Invalid when there
// is no comment, no theme, a comment has the wrong number of theme flags, theme names repeat or
// are empty, no comment has a sentiment label, or an option is out of range (c ≤ 0, tolerance
// ≤ 0, more threshold folds than comments, no threshold repeat).
Result<FeedbackModel> TrainFeedbackModel(std::span<const LabelledComment> comments, std::span<const std::string> themes,
                                         const TrainOptions& options = {});

}  // namespace caredesk::feedback
