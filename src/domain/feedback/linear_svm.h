// Binary linear classifiers for sparse data, trained by dual coordinate descent with shrinking
// (Hsieh et al., "A Dual Coordinate Descent Method for Large-scale Linear SVM", ICML 2008 — the
// LIBLINEAR solvers for L2-regularised L1- and L2-loss SVMs). The bias is learnt as the weight of
// a constant feature of value bias_feature, regularised like the others.
//
// Deterministic: the visiting order comes from a SplitMix64 generator seeded by the options, and
// every floating-point operation runs in a fixed order, so equal inputs give equal weights.
//
// SparseRows is thread-compatible; TrainLinearSvm is a pure function and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "domain/feedback/tfidf_vectorizer.h"

namespace caredesk::feedback {

// Sparse vectors in compressed-row form.
class SparseRows {
 public:
  void Append(const SparseVector& row);
  size_t size() const { return offsets_.size() - 1; }
  std::span<const uint32_t> indices(size_t row) const {
    return {index_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]};
  }
  std::span<const float> values(size_t row) const {
    return {value_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]};
  }
  // The rows listed in `rows`, in that order.
  SparseRows Select(std::span<const size_t> rows) const;

 private:
  std::vector<size_t> offsets_ = {0};
  std::vector<uint32_t> index_;
  std::vector<float> value_;
};

enum class SvmLoss : uint8_t { kHinge, kSquaredHinge };

struct SvmOptions {
  SvmLoss loss = SvmLoss::kSquaredHinge;
  double c_positive = 1.0;  // cost of errors on +1 rows
  double c_negative = 1.0;  // cost of errors on −1 rows
  double tolerance = 0.1;   // stop when the projected-gradient spread falls below this
  uint32_t max_epochs = 1000;
  double bias_feature = 1.0;
  uint64_t seed = 1;
};

struct LinearFunction {
  std::vector<float> weights;  // one a feature
  float bias = 0.0f;

  // weights · x + bias.
  float Score(std::span<const uint32_t> indices, std::span<const float> values) const;
};

// Learns f with sign(f(x)) predicting `labels` (+1 / −1, one a row of `rows`); `dimension`
// bounds every feature index (weights has `dimension` entries). With rows all of one label the
// function scores every row on that label's side.
LinearFunction TrainLinearSvm(const SparseRows& rows, std::span<const int8_t> labels, size_t dimension,
                              const SvmOptions& options);

}  // namespace caredesk::feedback
