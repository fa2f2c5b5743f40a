#include "domain/relations/business_calendar.h"

#include <gtest/gtest.h>

#include <string>

namespace caredesk::relations {
namespace {

constexpr std::string_view kNewYork = "America/New_York";
constexpr std::string_view kLondon = "Europe/London";

TimePoint At(std::string_view iso) {
  auto t = ParseInstant(iso, "", "t");
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : TimePoint{};
}

// Local time with milliseconds and offset: "2026-03-10T23:59:59.999-04:00".
std::string Show(TimePoint t, std::string_view tz) {
  std::string s = FormatInstant(t, tz);
  int64_t ms = ToMillis(t) % 1000;
  if (ms < 0) ms += 1000;
  std::string frac = std::to_string(ms);
  frac.insert(0, 3 - frac.size(), '0');
  return s.insert(19, "." + frac);
}

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

BusinessCalendar NewYork2026() {
  BusinessCalendarConfig config;
  config.time_zone = std::string(kNewYork);
  config.holidays = {D(2026, 1, 1),   D(2026, 5, 25),  D(2026, 7, 3),  D(2026, 9, 7),
                     D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 25)};
  auto cal = BusinessCalendar::Create(config);
  EXPECT_TRUE(cal.ok());
  return *cal;
}

BusinessCalendar Plain(std::string_view tz) {
  auto cal = BusinessCalendar::Create({std::string(tz), {1, 2, 3, 4, 5}, {}});
  EXPECT_TRUE(cal.ok());
  return *cal;
}

TEST(BusinessCalendar, FridayAfternoonPlusTwoBusinessDaysIsEndOfTuesday) {
  BusinessCalendar cal = NewYork2026();
  auto due = cal.AddBusinessDays(At("2026-02-06T16:00:00-05:00"), 2);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(*due, kNewYork), "2026-02-10T23:59:59.999-05:00");
}

TEST(BusinessCalendar, TimeOfReceiptDoesNotMatterOnlyTheLocalDate) {
  BusinessCalendar cal = NewYork2026();
  // 23:30 on Friday in New York is already Saturday in UTC.
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-06T23:30:00-05:00"), 2), kNewYork), "2026-02-10T23:59:59.999-05:00");
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-06T00:00:00-05:00"), 2), kNewYork), "2026-02-10T23:59:59.999-05:00");
  // 00:30 on Saturday local is the next receipt day.
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-07T00:30:00-05:00"), 1), kNewYork), "2026-02-09T23:59:59.999-05:00");
}

TEST(BusinessCalendar, WeekendReceiptCountsFromMonday) {
  BusinessCalendar cal = NewYork2026();
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-07T10:00:00-05:00"), 2), kNewYork), "2026-02-10T23:59:59.999-05:00");
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-08T18:00:00-05:00"), 2), kNewYork), "2026-02-10T23:59:59.999-05:00");
}

TEST(BusinessCalendar, SkipsHolidays) {
  BusinessCalendar cal = NewYork2026();
  // Thanksgiving Thursday and the Friday after are holidays.
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-11-25T09:00:00-05:00"), 2), kNewYork), "2026-12-01T23:59:59.999-05:00");
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-11-25T09:00:00-05:00"), 1), kNewYork), "2026-11-30T23:59:59.999-05:00");
  // Independence Day observed on Friday 2026-07-03.
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-07-02T15:00:00-04:00"), 1), kNewYork), "2026-07-06T23:59:59.999-04:00");
}

TEST(BusinessCalendar, ReceiptOnAHolidayCountsFromTheNextBusinessDay) {
  BusinessCalendar cal = NewYork2026();
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-11-26T11:00:00-05:00"), 2), kNewYork), "2026-12-01T23:59:59.999-05:00");
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-01-01T08:00:00-05:00"), 2), kNewYork), "2026-01-05T23:59:59.999-05:00");
}

TEST(BusinessCalendar, ZeroBusinessDaysIsTheEndOfTheFirstBusinessDay) {
  BusinessCalendar cal = NewYork2026();
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-05T09:00:00-05:00"), 0), kNewYork), "2026-02-05T23:59:59.999-05:00");
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-02-07T09:00:00-05:00"), 0), kNewYork), "2026-02-09T23:59:59.999-05:00");
}

TEST(BusinessCalendar, BusinessDaysAcrossSpringForward) {
  BusinessCalendar cal = NewYork2026();
  // Clocks go forward on Sunday 2026-03-08: received in EST, due in EDT.
  auto due = cal.AddBusinessDays(At("2026-03-06T16:00:00-05:00"), 2);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(*due, kNewYork), "2026-03-10T23:59:59.999-04:00");
  EXPECT_EQ(*due, At("2026-03-11T03:59:59Z") + std::chrono::milliseconds(999));
  // Received on the transition day itself, just after the gap.
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-03-08T03:30:00-04:00"), 2), kNewYork), "2026-03-10T23:59:59.999-04:00");
}

TEST(BusinessCalendar, BusinessDaysAcrossFallBack) {
  BusinessCalendar cal = NewYork2026();
  // Clocks go back on Sunday 2026-11-01: received in EDT, due in EST.
  auto due = cal.AddBusinessDays(At("2026-10-30T16:00:00-04:00"), 2);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(*due, kNewYork), "2026-11-03T23:59:59.999-05:00");
  EXPECT_EQ(*due, At("2026-11-04T04:59:59Z") + std::chrono::milliseconds(999));
  // Received in the repeated hour (01:30 EST, the second one).
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2026-11-01T01:30:00-05:00"), 1), kNewYork), "2026-11-02T23:59:59.999-05:00");
}

TEST(BusinessCalendar, CalendarDaysAcrossSpringForwardKeepTheLocalEndOfDay) {
  BusinessCalendar cal = NewYork2026();
  auto due = cal.AddCalendarDays(At("2026-03-05T10:00:00-05:00"), 7);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(*due, kNewYork), "2026-03-12T23:59:59.999-04:00");
  // One hour short of 7 x 24 hours past local midnight of the receipt day.
  EXPECT_EQ(*due - At("2026-03-05T00:00:00-05:00"), std::chrono::hours(8 * 24 - 1) - std::chrono::milliseconds(1));
}

TEST(BusinessCalendar, CalendarDaysAcrossFallBack) {
  BusinessCalendar cal = NewYork2026();
  auto due = cal.AddCalendarDays(At("2026-10-29T10:00:00-04:00"), 7);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(*due, kNewYork), "2026-11-05T23:59:59.999-05:00");
  EXPECT_EQ(*due - At("2026-10-29T00:00:00-04:00"), std::chrono::hours(8 * 24 + 1) - std::chrono::milliseconds(1));
}

TEST(BusinessCalendar, CalendarDaysCountWeekendsAndHolidaysAndDoNotRoll) {
  BusinessCalendar cal = NewYork2026();
  // Received Friday 2026-12-18: seven days later is Christmas Day, a holiday.
  EXPECT_EQ(Show(*cal.AddCalendarDays(At("2026-12-18T12:00:00-05:00"), 7), kNewYork), "2026-12-25T23:59:59.999-05:00");
  // Thirty days from a Sunday receipt.
  EXPECT_EQ(Show(*cal.AddCalendarDays(At("2026-03-01T12:00:00-05:00"), 30), kNewYork), "2026-03-31T23:59:59.999-04:00");
  EXPECT_EQ(Show(*cal.AddCalendarDays(At("2026-03-01T12:00:00-05:00"), 0), kNewYork), "2026-03-01T23:59:59.999-05:00");
}

TEST(BusinessCalendar, LondonAcrossBothTransitions) {
  BusinessCalendar cal = Plain(kLondon);
  // British Summer Time starts Sunday 2026-03-29.
  auto ack = cal.AddBusinessDays(At("2026-03-27T16:00:00+00:00"), 2);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(Show(*ack, kLondon), "2026-03-31T23:59:59.999+01:00");
  EXPECT_EQ(*ack, At("2026-03-31T22:59:59Z") + std::chrono::milliseconds(999));
  // And ends Sunday 2026-10-25.
  auto interim = cal.AddCalendarDays(At("2026-10-20T10:00:00+01:00"), 7);
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(Show(*interim, kLondon), "2026-10-27T23:59:59.999+00:00");
}

TEST(BusinessCalendar, EndOfDayOnTransitionDays) {
  BusinessCalendar cal = NewYork2026();
  EXPECT_EQ(cal.EndOfDay(D(2026, 3, 7)), At("2026-03-08T04:59:59Z") + std::chrono::milliseconds(999));
  EXPECT_EQ(cal.EndOfDay(D(2026, 3, 8)), At("2026-03-09T03:59:59Z") + std::chrono::milliseconds(999));
  EXPECT_EQ(cal.EndOfDay(D(2026, 10, 31)), At("2026-11-01T03:59:59Z") + std::chrono::milliseconds(999));
  EXPECT_EQ(cal.EndOfDay(D(2026, 11, 1)), At("2026-11-02T04:59:59Z") + std::chrono::milliseconds(999));
}

TEST(BusinessCalendar, EndOfDayWhenTheNextMidnightFallsInAGap) {
  // Chile moved its clocks from 00:00 to 01:00 on 2024-09-08: that midnight
  // never happened, so Saturday ends just before 01:00 -03:00.
  ASSERT_FALSE(LocalToInstant(D(2024, 9, 8), 0, "America/Santiago").has_value());
  BusinessCalendar cal = Plain("America/Santiago");
  EXPECT_EQ(cal.EndOfDay(D(2024, 9, 7)), At("2024-09-08T03:59:59Z") + std::chrono::milliseconds(999));
  EXPECT_EQ(Show(*cal.AddBusinessDays(At("2024-09-06T12:00:00-04:00"), 1), "America/Santiago"),
            "2024-09-09T23:59:59.999-03:00");
}

TEST(BusinessCalendar, CustomWorkingWeek) {
  // A Sunday-to-Thursday week.
  auto cal = BusinessCalendar::Create({"Asia/Jerusalem", {0, 1, 2, 3, 4}, {}});
  ASSERT_TRUE(cal.ok());
  EXPECT_TRUE(cal->IsBusinessDay(D(2026, 2, 8)));                 // Sunday
  EXPECT_FALSE(cal->IsBusinessDay(D(2026, 2, 6)));                // Friday
  EXPECT_EQ(cal->NextBusinessDay(D(2026, 2, 5)), D(2026, 2, 8));  // Thursday -> Sunday
  EXPECT_EQ(cal->LocalDate(*cal->AddBusinessDays(At("2026-02-05T10:00:00+02:00"), 1)), D(2026, 2, 8));
}

TEST(BusinessCalendar, CountsBusinessDaysBetweenDates) {
  BusinessCalendar cal = NewYork2026();
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 2, 6), D(2026, 2, 10)), 2);
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 11, 25), D(2026, 11, 30)), 1);
  EXPECT_EQ(cal.BusinessDaysBetween(D(2026, 2, 10), D(2026, 2, 6)), 0);
  EXPECT_TRUE(cal.IsHoliday(D(2026, 12, 25)));
  EXPECT_FALSE(cal.IsBusinessDay(D(2026, 12, 25)));
}

TEST(BusinessCalendar, RejectsBadConfigurationNamingTheField) {
  auto zone = BusinessCalendar::Create({"Mars/Olympus_Mons", {1, 2, 3, 4, 5}, {}});
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().field, "time_zone");
  EXPECT_EQ(zone.error().reason, "invalid_time_zone");
  EXPECT_EQ(zone.error().code, ErrorCode::kInvalidArgument);

  EXPECT_EQ(BusinessCalendar::Create({"", {1}, {}}).error().field, "time_zone");
  EXPECT_EQ(BusinessCalendar::Create({"UTC", {}, {}}).error().field, "working_weekdays");
  EXPECT_EQ(BusinessCalendar::Create({"UTC", {1, 7}, {}}).error().field, "working_weekdays");
  EXPECT_EQ(BusinessCalendar::Create({"UTC", {1, 1}, {}}).error().field, "working_weekdays");

  auto holiday = BusinessCalendar::Create({"UTC", {1, 2, 3, 4, 5}, {D(2026, 2, 30)}});
  ASSERT_FALSE(holiday.ok());
  EXPECT_EQ(holiday.error().field, "holidays");
  EXPECT_EQ(holiday.error().reason, "invalid_date");
}

TEST(BusinessCalendar, RejectsDayCountsOutOfRange) {
  BusinessCalendar cal = NewYork2026();
  auto negative = cal.AddBusinessDays(At("2026-02-06T16:00:00-05:00"), -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().field, "days");
  EXPECT_EQ(cal.AddCalendarDays(At("2026-02-06T16:00:00-05:00"), kMaxDeadlineDays + 1).error().field, "days");
  EXPECT_TRUE(cal.AddBusinessDays(At("2026-02-06T16:00:00-05:00"), kMaxDeadlineDays).ok());
}

}  // namespace
}  // namespace caredesk::relations
