#include "domain/feedback/split_mix64.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace caredesk::feedback {
namespace {

TEST(SplitMix64, SequenceIsFixedBySeed) {
  SplitMix64 a(1);
  SplitMix64 b(1);
  SplitMix64 c(2);
  const uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, c.Next());
  // The published reference value for seed 0 (Vigna's splitmix64.c).
  EXPECT_EQ(SplitMix64(0).Next(), 0xE220A8397B1DCDAFULL);
}

TEST(SplitMix64, ShuffleIsAReproduciblePermutation) {
  std::vector<int> items(50);
  std::iota(items.begin(), items.end(), 0);
  std::vector<int> again = items;
  SplitMix64(7).Shuffle(std::span<int>(items));
  SplitMix64(7).Shuffle(std::span<int>(again));
  EXPECT_EQ(items, again);
  EXPECT_FALSE(std::is_sorted(items.begin(), items.end()));
  std::sort(items.begin(), items.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(items[i], i);
}

TEST(DealFolds, DealsNearEqualFoldsReproducibly) {
  const std::vector<size_t> folds = DealFolds(23, 5, 9);
  EXPECT_EQ(folds, DealFolds(23, 5, 9));
  EXPECT_NE(folds, DealFolds(23, 5, 10));
  std::vector<size_t> sizes(5, 0);
  for (size_t f : folds) ++sizes.at(f);
  EXPECT_EQ(sizes, (std::vector<size_t>{5, 5, 5, 4, 4}));
}

}  // namespace
}  // namespace caredesk::feedback
