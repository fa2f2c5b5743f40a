#include "domain/spc/sample_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace caredesk::spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(SampleStatistics, SkipMissingValues) {
  const std::vector<double> v = {1, kNaN, 2, 4};
  EXPECT_DOUBLE_EQ(SumPresent(v), 7);
  EXPECT_DOUBLE_EQ(MeanPresent(v), 7.0 / 3);
  EXPECT_DOUBLE_EQ(MedianPresent(v), 2);
  EXPECT_DOUBLE_EQ(SdPresent(v), std::sqrt(7.0 / 3));
}

TEST(SampleStatistics, MedianOfAnEvenCountAveragesTheMiddlePair) {
  EXPECT_DOUBLE_EQ(MedianPresent(std::vector<double>{4, 1, 3, 2}), 2.5);
}

TEST(SampleStatistics, EmptyInputs) {
  const std::vector<double> none = {kNaN};
  EXPECT_EQ(SumPresent(none), 0);
  EXPECT_TRUE(std::isnan(MeanPresent(none)));
  EXPECT_TRUE(std::isnan(MedianPresent(none)));
  EXPECT_TRUE(std::isnan(SdPresent(std::vector<double>{1})));
}

TEST(SampleStatistics, MeanIsRefinedLikeR) {
  // R: mean(c(1e16, 1, -1e16, 3)) is 1 thanks to the extended sum; a plain double sum gives 0.75.
  EXPECT_EQ(MeanPresent(std::vector<double>{1e16, 1, -1e16, 3}), 1);
  EXPECT_DOUBLE_EQ(MeanPresent(std::vector<double>{0.1, 0.2, 0.3}), 0.2);
  // Subgroup 1 of Montgomery's table 6.3 (qicharts2 reference y.sd 0.014771594362154).
  EXPECT_NEAR(SdPresent(std::vector<double>{74.030, 74.002, 74.019, 73.992, 74.008}), 0.014771594362154, 1e-15);
}

}  // namespace
}  // namespace caredesk::spc
