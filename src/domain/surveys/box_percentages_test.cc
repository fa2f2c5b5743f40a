#include "domain/surveys/box_percentages.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace caredesk::surveys {
namespace {

TEST(BoxPercentages, SharesOfTheAnswers) {
  auto p = PercentagesOf(BoxCounts{3, 1, 1});
  ASSERT_TRUE(p.has_value());
  EXPECT_DOUBLE_EQ(p->top, 60.0);
  EXPECT_DOUBLE_EQ(p->middle, 20.0);
  EXPECT_DOUBLE_EQ(p->bottom, 20.0);
  EXPECT_FALSE(PercentagesOf(BoxCounts{}).has_value());
}

TEST(BoxPercentages, CompositeIsThePlainMeanOfItems) {
  const std::vector<BoxPercentages> items = {{80, 15, 5}, {60, 30, 10}};
  auto mean = MeanOfBoxes(items);
  ASSERT_TRUE(mean.has_value());
  EXPECT_DOUBLE_EQ(mean->top, 70.0);
  EXPECT_DOUBLE_EQ(mean->middle, 22.5);
  EXPECT_DOUBLE_EQ(mean->bottom, 7.5);
  EXPECT_FALSE(MeanOfBoxes({}).has_value());
}

TEST(BoxPercentages, WeightedRollUp) {
  const std::vector<WeightedBoxes> units = {{{80, 15, 5}, 3}, {{60, 30, 10}, 1}, {{0, 0, 100}, 0}};
  auto mean = WeightedMeanOfBoxes(units);
  ASSERT_TRUE(mean.ok());
  EXPECT_DOUBLE_EQ(mean->top, 75.0);
  EXPECT_DOUBLE_EQ(mean->middle, 18.75);
  EXPECT_DOUBLE_EQ(mean->bottom, 6.25);
}

TEST(BoxPercentages, RollUpRejectsBadWeights) {
  const std::vector<WeightedBoxes> negative = {{{80, 15, 5}, -1}};
  EXPECT_EQ(WeightedMeanOfBoxes(negative).error().field, "weight");
  const std::vector<WeightedBoxes> nan = {{{80, 15, 5}, std::numeric_limits<double>::quiet_NaN()}};
  EXPECT_EQ(WeightedMeanOfBoxes(nan).error().reason, "invalid_weight");
  const std::vector<WeightedBoxes> zero = {{{80, 15, 5}, 0}};
  EXPECT_EQ(WeightedMeanOfBoxes(zero).error().reason, "zero_weight");
  EXPECT_FALSE(WeightedMeanOfBoxes({}).ok());
}

TEST(BoxPercentages, PublishedFormRoundsTopAndBottomAndSumsToHundred) {
  EXPECT_EQ(RoundToPublishedBoxes({79.4, 16.3, 4.3}), (WholeBoxes{79, 17, 4}));
  EXPECT_EQ(RoundToPublishedBoxes({79.5, 16.0, 4.5}), (WholeBoxes{80, 15, 5}));
  EXPECT_EQ(RoundToPublishedBoxes({86.6, 0, 13.4}), (WholeBoxes{87, 0, 13}));
  EXPECT_EQ(RoundHalfUp(2.5), 3);
  EXPECT_EQ(RoundHalfUp(2.4999999999999), 3);  // a half lost to floating point
  EXPECT_EQ(RoundHalfUp(2.49), 2);
}

}  // namespace
}  // namespace caredesk::surveys
