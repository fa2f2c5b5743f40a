#include "core/civil_time.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(CivilDate, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseCivilDate("2025-02-30", "birth_date").ok());
  EXPECT_EQ(ParseCivilDate("2025-02-30", "birth_date").error().field, "birth_date");
  EXPECT_FALSE(ParseCivilDate("2025-13-01", "d").ok());
  EXPECT_FALSE(ParseCivilDate("25-01-01", "d").ok());
  EXPECT_FALSE(ParseCivilDate("2025-1-01", "d").ok());
  EXPECT_TRUE(ParseCivilDate("2024-02-29", "d").ok());
  EXPECT_FALSE(ParseCivilDate("2023-02-29", "d").ok());
}

TEST(CivilDate, RoundTripsThroughEpochDays) {
  CivilDate d{2025, 3, 9};
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch(d.DaysSinceEpoch()), d);
  EXPECT_EQ(d.AddDays(1).ToString(), "2025-03-10");
  EXPECT_EQ(d.Weekday(), 0);  // a Sunday
}

TEST(LocalToInstant, SkipsDstGap) {
  // 2025-03-09 02:30 does not exist in New York.
  EXPECT_FALSE(LocalToInstant({2025, 3, 9}, 150, "America/New_York").has_value());
  auto t = LocalToInstant({2025, 3, 9}, 180, "America/New_York");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatInstantUtc(*t), "2025-03-09T07:00:00Z");
}

TEST(LocalToInstant, AmbiguousTimeTakesEarlierInstant) {
  // 2025-11-02 01:30 happens twice in New York; the first is EDT (-04:00).
  auto t = LocalToInstant({2025, 11, 2}, 90, "America/New_York");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatInstantUtc(*t), "2025-11-02T05:30:00Z");
}

TEST(ParseInstant, AcceptsOffsetsAndZulu) {
  auto a = ParseInstant("2025-03-10T09:30:00-04:00", "", "start");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(FormatInstantUtc(*a), "2025-03-10T13:30:00Z");
  auto b = ParseInstant("2025-03-10T13:30:00Z", "", "start");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  auto c = ParseInstant("2025-03-10T13:30:00.250Z", "", "start");
  ASSERT_TRUE(c.ok());
}

TEST(ParseInstant, RefusesLocalTimeInDstGap) {
  auto r = ParseInstant("2025-03-09T02:30:00", "America/New_York", "start");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "nonexistent_local_time");
  EXPECT_EQ(r.error().field, "start");
}

TEST(ParseInstant, RejectsGarbage) {
  for (const char* s : {"", "tomorrow", "2025-02-30T10:00:00Z", "2025-03-10T25:00:00Z", "2025-03-10T10:00:00+5"}) {
    auto r = ParseInstant(s, "UTC", "start");
    EXPECT_FALSE(r.ok()) << s;
  }
}

TEST(CivilDate, WeekdayOfAgreesWithTheCalendarBeforeAndAfter1970) {
  // 1969-12-28 was a Sunday, 1970-01-01 a Thursday, 2025-06-02 a Monday.
  EXPECT_EQ(CivilDate::WeekdayOf(-4), 0);
  EXPECT_EQ(CivilDate::WeekdayOf(0), 4);
  EXPECT_EQ((CivilDate{2025, 6, 2}.Weekday()), 1);
  for (int64_t d = -800; d <= 800; ++d) {
    ASSERT_EQ(CivilDate::WeekdayOf(d), CivilDate::WeekdayOf(d + 7)) << d;
    ASSERT_EQ((CivilDate::WeekdayOf(d) + 1) % 7, CivilDate::WeekdayOf(d + 1)) << d;
  }
}

TEST(FormatInstant, UsesZoneOffsetAcrossDst) {
  auto before = ParseInstant("2025-03-08T15:00:00Z", "", "t");
  auto after = ParseInstant("2025-03-10T14:00:00Z", "", "t");
  EXPECT_EQ(FormatInstant(*before, "America/New_York"), "2025-03-08T10:00:00-05:00");
  EXPECT_EQ(FormatInstant(*after, "America/New_York"), "2025-03-10T10:00:00-04:00");
  EXPECT_EQ(FormatInstant(*after, "Asia/Kolkata"), "2025-03-10T19:30:00+05:30");
}

TEST(FormatInstant, SecondsNegativeOffsetsAndZoneChanges) {
  auto t = ParseInstant("2025-12-31T23:59:07Z", "", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatInstant(*t, "UTC"), "2025-12-31T23:59:07+00:00");
  EXPECT_EQ(FormatInstant(*t, "America/St_Johns"), "2025-12-31T20:29:07-03:30");
  EXPECT_EQ(FormatInstant(*t, "Pacific/Kiritimati"), "2026-01-01T13:59:07+14:00");
  // An unknown zone between known ones neither breaks the next lookup nor
  // inherits the previous zone.
  EXPECT_FALSE(IsValidTimeZone("Mars/Olympus_Mons"));
  EXPECT_TRUE(IsValidTimeZone("Asia/Kolkata"));
  EXPECT_EQ(FormatInstant(*t, "Mars/Olympus_Mons"), "2025-12-31T23:59:07+00:00");
  EXPECT_EQ(FormatInstant(*t, "America/St_Johns"), "2025-12-31T20:29:07-03:30");
  auto early = ParseInstant("1901-02-03T04:05:06Z", "", "t");
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(FormatInstantUtc(*early), "1901-02-03T04:05:06Z");
}

TEST(CivilTime, FormatsHttpDates) {
  EXPECT_EQ(FormatHttpDate(FromMillis(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(FromMillis(784111777000)), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(FormatHttpDate(FromMillis(1795496676999)), "Tue, 24 Nov 2026 05:04:36 GMT");
}

}  // namespace
}  // namespace caredesk
