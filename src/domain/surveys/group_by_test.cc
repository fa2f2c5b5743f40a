#include "domain/surveys/group_by.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

struct Visit {
  Metadata metadata;
};

TEST(GroupBy, GroupsByFieldsInKeyOrder) {
  const std::vector<Visit> visits = {
      {{{"provider", "dr-b"}, {"location", "north"}}},
      {{{"provider", "dr-a"}, {"location", "north"}}},
      {{{"provider", "dr-b"}, {"location", "north"}}},
      {{{"location", "south"}}},
  };
  const std::vector<GroupKey> keys = {GroupKey::Field("provider"), GroupKey::Field("location")};
  const auto groups = GroupRecords<Visit>(visits, keys);
  ASSERT_EQ(groups.size(), 3u);
  // A record without the field is grouped under "", not dropped.
  EXPECT_EQ(groups[0].key, (std::vector<std::string>{"", "south"}));
  EXPECT_EQ(groups[0].members, (std::vector<size_t>{3}));
  EXPECT_EQ(groups[1].key, (std::vector<std::string>{"dr-a", "north"}));
  EXPECT_EQ(groups[2].key, (std::vector<std::string>{"dr-b", "north"}));
  EXPECT_EQ(groups[2].members, (std::vector<size_t>{0, 2}));
}

TEST(GroupBy, NoKeysIsOneGroup) {
  const std::vector<Visit> visits = {{{}}, {{}}};
  const auto groups = GroupRecords<Visit>(visits, {});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].key.empty());
  EXPECT_EQ(groups[0].members.size(), 2u);
  EXPECT_TRUE(GroupRecords<Visit>({}, {}).empty());
}

TEST(GroupBy, PeriodsOfADate) {
  const Metadata m = {{"date", "2025-03-09T10:30:00-05:00"}};
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kDay).ValueOf(m), "2025-03-09");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kWeek).ValueOf(m), "2025-W10");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kMonth).ValueOf(m), "2025-03");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kQuarter).ValueOf(m), "2025-Q1");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kYear).ValueOf(m), "2025");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kMonth).Name(), "month(date)");
  EXPECT_EQ(GroupKey::Field("provider").Name(), "provider");
}

TEST(GroupBy, IsoWeeksCrossYearEnds) {
  // 2024-12-30 is a Monday in ISO week 1 of 2025; 2021-01-03 is a Sunday in week 53 of 2020.
  EXPECT_EQ(PeriodLabel({2024, 12, 30}, PeriodUnit::kWeek), "2025-W01");
  EXPECT_EQ(PeriodLabel({2021, 1, 3}, PeriodUnit::kWeek), "2020-W53");
  EXPECT_EQ(PeriodLabel({2025, 12, 31}, PeriodUnit::kQuarter), "2025-Q4");
}

TEST(GroupBy, UnparseableDatesFallInTheEmptyGroup) {
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kMonth).ValueOf({{"date", "yesterday"}}), "");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kMonth).ValueOf({{"date", "2025-02-30"}}), "");
  EXPECT_EQ(GroupKey::Period("date", PeriodUnit::kMonth).ValueOf({}), "");
}

}  // namespace
}  // namespace caredesk::surveys
