#include "domain/scheduling/available_time.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

AvailabilityTemplate T(int64_t provider, int64_t location, int weekday, int start, int end) {
  AvailabilityTemplate t;
  t.provider_id = provider;
  t.location_id = location;
  t.weekday = weekday;
  t.start_minute = start;
  t.end_minute = end;
  return t;
}

ScheduleException X(std::optional<int64_t> provider, std::optional<int64_t> location, CivilDate from, CivilDate to,
                    std::optional<int> start = std::nullopt, std::optional<int> end = std::nullopt) {
  ScheduleException e;
  e.provider_id = provider;
  e.location_id = location;
  e.start_date = from;
  e.end_date = to;
  e.start_minute = start;
  e.end_minute = end;
  return e;
}

// Monday 2025-03-03 .. Sunday 2025-03-09 (daylight saving starts in the US on the Sunday).
const CivilDate kMon{2025, 3, 3};
const CivilDate kSun{2025, 3, 9};

TEST(AvailableMinutes, CountsEachProvidersTemplatesOnTheirWeekdays) {
  std::vector<AvailabilityTemplate> t = {T(1, 10, 1, 9 * 60, 17 * 60), T(1, 10, 3, 9 * 60, 12 * 60),
                                         T(2, 10, 1, 13 * 60, 15 * 60), T(3, 20, 1, 0, 1440),
                                         T(1, 10, 0, 10 * 60, 11 * 60)};
  auto all = AvailableMinutes(t, {}, 10, std::nullopt, kMon, kSun);
  EXPECT_EQ(all, (std::vector<double>{480 + 120, 0, 180, 0, 0, 0, 60}));  // the Sunday keeps its wall-clock hour
  auto one = AvailableMinutes(t, {}, 10, int64_t{2}, kMon, kSun);
  EXPECT_EQ(one, (std::vector<double>{120, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(AvailableMinutes(t, {}, 10, std::nullopt, kSun, kMon).empty());
}

TEST(AvailableMinutes, OverlappingTemplatesCountOnceAndValidityIsHonoured) {
  auto a = T(1, 10, 1, 9 * 60, 12 * 60);
  auto b = T(1, 10, 1, 11 * 60, 14 * 60);
  auto later = T(1, 10, 2, 9 * 60, 10 * 60);
  later.valid_from = CivilDate{2025, 3, 11};
  std::vector<AvailabilityTemplate> t = {a, b, later};
  auto m = AvailableMinutes(t, {}, 10, std::nullopt, kMon, CivilDate{2025, 3, 11});
  EXPECT_EQ(m[0], 300);  // 09:00–14:00
  EXPECT_EQ(m[1], 0);    // Tuesday 4 March: before valid_from
  EXPECT_EQ(m[8], 60);   // Tuesday 11 March
}

TEST(AvailableMinutes, ExceptionsTakeOutWholeDaysOrTheirMinutesWhereTheyApply) {
  std::vector<AvailabilityTemplate> t = {T(1, 10, 1, 9 * 60, 17 * 60), T(2, 10, 1, 9 * 60, 17 * 60),
                                         T(1, 10, 2, 9 * 60, 17 * 60)};
  std::vector<ScheduleException> x = {
      X(std::nullopt, 10, kMon, kMon, 12 * 60, 13 * 60),  // lunch closure for everyone on Monday
      X(1, std::nullopt, CivilDate{2025, 3, 4}, CivilDate{2025, 3, 4}),  // provider 1 on leave Tuesday
      X(2, 99, kMon, kMon),                                              // another location: no effect
  };
  auto m = AvailableMinutes(t, x, 10, std::nullopt, kMon, CivilDate{2025, 3, 4});
  EXPECT_EQ(m[0], 2 * 420);
  EXPECT_EQ(m[1], 0);
}

}  // namespace
}  // namespace caredesk
