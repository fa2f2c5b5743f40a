#include "domain/feedback/linear_svm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "domain/feedback/split_mix64.h"

namespace caredesk::feedback {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace

void SparseRows::Append(const SparseVector& row) {
  index_.insert(index_.end(), row.index.begin(), row.index.end());
  value_.insert(value_.end(), row.value.begin(), row.value.end());
  offsets_.push_back(index_.size());
}

SparseRows SparseRows::Select(std::span<const size_t> rows) const {
  SparseRows out;
  for (size_t r : rows) {
    const auto idx = indices(r);
    const auto val = values(r);
    out.index_.insert(out.index_.end(), idx.begin(), idx.end());
    out.value_.insert(out.value_.end(), val.begin(), val.end());
    out.offsets_.push_back(out.index_.size());
  }
  return out;
}

float LinearFunction::Score(std::span<const uint32_t> indices, std::span<const float> values) const {
  float s = bias;
  for (size_t k = 0; k < indices.size(); ++k) s += weights[indices[k]] * values[k];
  return s;
}

LinearFunction TrainLinearSvm(const SparseRows& rows, std::span<const int8_t> labels, size_t dimension,
                              const SvmOptions& options) {
  const size_t l = rows.size();
  std::vector<double> w(dimension, 0.0);
  double w_bias = 0.0;
  const double b = options.bias_feature;

  // Per label (index 0: −1, index 1: +1): the diagonal term and the upper bound of alpha.
  const bool squared = options.loss == SvmLoss::kSquaredHinge;
  const double c_of[2] = {options.c_negative, options.c_positive};
  double diag[2];
  double upper[2];
  for (int k = 0; k < 2; ++k) {
    diag[k] = squared ? 0.5 / c_of[k] : 0.0;
    upper[k] = squared ? kInfinity : c_of[k];
  }

  std::vector<double> alpha(l, 0.0);
  std::vector<double> qd(l);
  std::vector<size_t> order(l);
  for (size_t i = 0; i < l; ++i) {
    double sq = b * b;
    for (float v : rows.values(i)) sq += static_cast<double>(v) * v;
    qd[i] = sq + diag[labels[i] > 0];
    order[i] = i;
  }

  SplitMix64 rng(options.seed);
  size_t active = l;
  double pg_max_old = kInfinity;
  double pg_min_old = -kInfinity;
  for (uint32_t epoch = 0; epoch < options.max_epochs && l > 0; ++epoch) {
    rng.Shuffle(std::span<size_t>(order.data(), active));
    double pg_max_new = -kInfinity;
    double pg_min_new = kInfinity;
    for (size_t s = 0; s < active; ++s) {
      const size_t i = order[s];
      const int yi = labels[i] > 0 ? 1 : -1;
      const int k = yi > 0;
      const auto idx = rows.indices(i);
      const auto val = rows.values(i);
      double wx = w_bias * b;
      for (size_t t = 0; t < idx.size(); ++t) wx += w[idx[t]] * val[t];
      const double g = yi * wx - 1.0 + alpha[i] * diag[k];
      double pg = 0.0;
      if (alpha[i] == 0.0) {
        if (g > pg_max_old) {
          --active;
          std::swap(order[s], order[active]);
          --s;
          continue;
        }
        if (g < 0.0) pg = g;
      } else if (alpha[i] == upper[k]) {
        if (g < pg_min_old) {
          --active;
          std::swap(order[s], order[active]);
          --s;
          continue;
        }
        if (g > 0.0) pg = g;
      } else {
        pg = g;
      }
      pg_max_new = std::max(pg_max_new, pg);
      pg_min_new = std::min(pg_min_new, pg);
      if (std::fabs(pg) > 1e-12) {
        const double old = alpha[i];
        alpha[i] = std::min(std::max(alpha[i] - g / qd[i], 0.0), upper[k]);
        const double d = (alpha[i] - old) * yi;
        for (size_t t = 0; t < idx.size(); ++t) w[idx[t]] += d * val[t];
        w_bias += d * b;
      }
    }
    if (pg_max_new - pg_min_new <= options.tolerance) {
      if (active == l) break;
      active = l;  // converged on the active set: check every row once more
      pg_max_old = kInfinity;
      pg_min_old = -kInfinity;
      continue;
    }
    pg_max_old = pg_max_new <= 0.0 ? kInfinity : pg_max_new;
    pg_min_old = pg_min_new >= 0.0 ? -kInfinity : pg_min_new;
  }

  LinearFunction f;
  f.weights.resize(dimension);
  for (size_t j = 0; j < dimension; ++j) f.weights[j] = static_cast<float>(w[j]);
  f.bias = static_cast<float>(w_bias * b);
  return f;
}

}  // namespace caredesk::feedback
