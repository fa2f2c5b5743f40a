#include "domain/scheduling/zone_day.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caredesk {
namespace {

TEST(ZoneDay, RegularDayIsMidnightPlusMinutes) {
  ZoneDay day({2025, 6, 2}, "America/New_York");
  EXPECT_TRUE(day.regular());
  ASSERT_TRUE(day.At(9 * 60).has_value());
  EXPECT_EQ(FormatInstantUtc(*day.At(9 * 60)), "2025-06-02T13:00:00Z");
  EXPECT_EQ(FormatInstantUtc(*day.At(1440)), "2025-06-03T04:00:00Z");
}

TEST(ZoneDay, SpringForwardDayHasGap) {
  ZoneDay day({2025, 3, 9}, "America/New_York");
  EXPECT_FALSE(day.regular());
  EXPECT_FALSE(day.At(150).has_value());  // 02:30
  EXPECT_EQ(FormatInstantUtc(*day.At(180)), "2025-03-09T07:00:00Z");
}

TEST(ZoneDay, FallBackDayTakesEarlierInstant) {
  ZoneDay day({2025, 11, 2}, "America/New_York");
  EXPECT_FALSE(day.regular());
  EXPECT_EQ(FormatInstantUtc(*day.At(90)), "2025-11-02T05:30:00Z");
}

TEST(ZoneDay, AgreesWithLocalToInstantAroundTransitions) {
  for (const char* tz : {"America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"}) {
    for (CivilDate date : {CivilDate{2025, 3, 9}, CivilDate{2025, 3, 30}, CivilDate{2025, 4, 6},
                           CivilDate{2025, 10, 26}, CivilDate{2025, 11, 2}, CivilDate{2025, 6, 2}}) {
      ZoneDay day(date, tz);
      for (int minute = 0; minute <= 1440; minute += 5) {
        EXPECT_EQ(day.At(minute), LocalToInstant(date, minute, tz)) << tz << " " << date.ToString() << " " << minute;
      }
    }
  }
}

TEST(ZoneDayCache, LocalDayPerZone) {
  std::vector<std::string> zones = {"America/New_York", "Asia/Kolkata"};
  ZoneDayCache cache(zones);
  auto t = ParseInstant("2025-06-02T22:00:00Z", "", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(cache.LocalDay(0, *t), (CivilDate{2025, 6, 2}.DaysSinceEpoch()));
  EXPECT_EQ(cache.LocalDay(1, *t), (CivilDate{2025, 6, 3}.DaysSinceEpoch()));
  EXPECT_EQ(&cache.Day(1, {2025, 6, 3}), &cache.Day(1, {2025, 6, 3}));
}

}  // namespace
}  // namespace caredesk
