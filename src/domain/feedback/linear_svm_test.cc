#include "domain/feedback/linear_svm.h"

#include <gtest/gtest.h>

namespace caredesk::feedback {
namespace {

// Two clusters on features 0 and 1, with feature 2 as noise shared by both.
void MakeData(SparseRows& rows, std::vector<int8_t>& labels) {
  for (int i = 0; i < 40; ++i) {
    const bool positive = i % 2 == 0;
    const float jitter = 0.05f * static_cast<float>(i % 5);
    rows.Append(SparseVector{{positive ? 0u : 1u, 2u}, {1.0f - jitter, 0.5f + jitter}});
    labels.push_back(positive ? 1 : -1);
  }
}

TEST(LinearSvm, SeparatesSeparableData) {
  SparseRows rows;
  std::vector<int8_t> labels;
  MakeData(rows, labels);
  for (SvmLoss loss : {SvmLoss::kHinge, SvmLoss::kSquaredHinge}) {
    SvmOptions options;
    options.loss = loss;
    const LinearFunction f = TrainLinearSvm(rows, labels, 3, options);
    ASSERT_EQ(f.weights.size(), 3u);
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(f.Score(rows.indices(i), rows.values(i)) > 0, labels[i] > 0) << "row " << i;
    }
    EXPECT_GT(f.weights[0], 0.0f);
    EXPECT_LT(f.weights[1], 0.0f);
  }
}

TEST(LinearSvm, SameSeedSameWeights) {
  SparseRows rows;
  std::vector<int8_t> labels;
  MakeData(rows, labels);
  SvmOptions options;
  options.seed = 42;
  const LinearFunction a = TrainLinearSvm(rows, labels, 3, options);
  const LinearFunction b = TrainLinearSvm(rows, labels, 3, options);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.bias, b.bias);
}

TEST(LinearSvm, CostlierPositivesRaiseTheirScores) {
  // Identical inputs with opposite labels: the costlier class wins the tie.
  SparseRows rows;
  std::vector<int8_t> labels;
  for (int i = 0; i < 10; ++i) {
    rows.Append(SparseVector{{0u}, {1.0f}});
    labels.push_back(i < 5 ? 1 : -1);
  }
  SvmOptions options;
  options.c_positive = 10.0;
  options.c_negative = 0.1;
  const LinearFunction f = TrainLinearSvm(rows, labels, 1, options);
  EXPECT_GT(f.Score(rows.indices(0), rows.values(0)), 0.0f);
  std::swap(options.c_positive, options.c_negative);
  const LinearFunction g = TrainLinearSvm(rows, labels, 1, options);
  EXPECT_LT(g.Score(rows.indices(0), rows.values(0)), 0.0f);
}

TEST(SparseRows, SelectKeepsRequestedRowsInOrder) {
  SparseRows rows;
  rows.Append(SparseVector{{1u}, {1.0f}});
  rows.Append(SparseVector{{}, {}});
  rows.Append(SparseVector{{0u, 3u}, {2.0f, 3.0f}});
  const std::vector<size_t> pick = {2, 0};
  const SparseRows s = rows.Select(pick);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.indices(0)[1], 3u);
  EXPECT_EQ(s.values(1)[0], 1.0f);
  EXPECT_EQ(rows.indices(1).size(), 0u);
}

}  // namespace
}  // namespace caredesk::feedback
