#include "domain/spc/subgroups.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace caredesk::spc {
namespace {

using Values = std::vector<std::optional<double>>;
using Labels = std::vector<std::string>;

TEST(Subgroups, EveryObservationIsAPointWithoutLabels) {
  const Values values = {3, std::nullopt, 5};
  const std::vector<Subgroup> points = AggregateSubgroups(values, {}, {});
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].y, 3);
  EXPECT_TRUE(std::isnan(points[1].y));
  EXPECT_EQ(points[1].y_length, 0);
  EXPECT_EQ(points[2].y_sum, 5);
}

TEST(Subgroups, GroupsByLabelInOrderOfFirstAppearance) {
  const Values values = {1, 10, 3, 20, std::nullopt};
  const Labels labels = {"b", "a", "b", "a", "b"};
  const std::vector<Subgroup> points = AggregateSubgroups(values, {}, labels);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].label, "b");
  EXPECT_EQ(points[0].y_length, 2);
  EXPECT_EQ(points[0].y_sum, 4);
  EXPECT_EQ(points[0].y, 2);
  EXPECT_DOUBLE_EQ(points[0].y_sd, std::sqrt(2.0));
  EXPECT_EQ(points[1].label, "a");
  EXPECT_EQ(points[1].y_mean, 15);
}

TEST(Subgroups, RatiosUseCompleteCasesOnly) {
  const Values values = {2, 3, 4, std::nullopt};
  const Values n = {10, std::nullopt, 30, 50};
  const Labels labels = {"m1", "m1", "m1", "m2"};
  const std::vector<Subgroup> points = AggregateSubgroups(values, n, labels);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].y_sum, 6);  // 3 has no denominator
  EXPECT_EQ(points[0].n, 40);
  EXPECT_DOUBLE_EQ(points[0].y, 6.0 / 40);
  EXPECT_TRUE(std::isnan(points[1].y));  // the count is missing
  EXPECT_TRUE(std::isnan(points[1].n));
}

TEST(Subgroups, EmptyLabelsAreLeftOut) {
  const Values values = {1, 2, 3};
  const Labels labels = {"x", "", "x"};
  const std::vector<Subgroup> points = AggregateSubgroups(values, {}, labels);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].y_length, 2);
}

}  // namespace
}  // namespace caredesk::spc
