#include "domain/scheduling/access.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

constexpr int64_t kClinic = 1;
constexpr int64_t kAnnex = 2;
constexpr int64_t kVisit = 100;    // 30 minutes: providers 10, 11, 12, 13
constexpr int64_t kLong = 101;     // 60 minutes: provider 10
constexpr int64_t kRetired = 102;  // inactive: provider 10

TimePoint At(const char* iso) {
  auto t = ParseInstant(iso, "", "t");
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : TimePoint{};
}

AvailabilityTemplate Weekly(int64_t provider, int64_t location, int weekday, int start, int end) {
  AvailabilityTemplate t;
  t.provider_id = provider;
  t.location_id = location;
  t.weekday = weekday;
  t.start_minute = start;
  t.end_minute = end;
  return t;
}

// Provider 10 works 09:00–10:00 on weekdays at the clinic (two 30-minute visits a day); 11 the same but only
// until Monday 3 March 2025; 12 at the annex only; 13 at the clinic but is inactive.
SlotEngine Engine() {
  ScheduleSnapshot s;
  s.locations = {Location{kClinic, "Clinic", "America/New_York"}, Location{kAnnex, "Annex", "America/New_York"}};
  s.providers = {Provider{10, "Dr. A", "Family", {kClinic}}, Provider{11, "Dr. B", "Family", {kClinic}},
                 Provider{12, "Dr. C", "Family", {kAnnex}}, Provider{13, "Dr. D", "Family", {kClinic}, 0, false}};
  AppointmentType visit{kVisit, "Visit", 30};
  visit.provider_ids = {10, 11, 12, 13};
  AppointmentType longer{kLong, "Long visit", 60};
  longer.provider_ids = {10};
  AppointmentType retired{kRetired, "Retired", 30};
  retired.provider_ids = {10};
  retired.active = false;
  s.appointment_types = {visit, longer, retired};
  for (int wd = 1; wd <= 5; ++wd) {
    s.templates.push_back(Weekly(10, kClinic, wd, 9 * 60, 10 * 60));
    auto ending = Weekly(11, kClinic, wd, 9 * 60, 10 * 60);
    ending.valid_to = CivilDate{2025, 3, 3};
    s.templates.push_back(ending);
    s.templates.push_back(Weekly(12, kAnnex, wd, 9 * 60, 10 * 60));
    s.templates.push_back(Weekly(13, kClinic, wd, 9 * 60, 10 * 60));
  }
  return SlotEngine(std::move(s));
}

const AccessReading* Find(const std::vector<AccessReading>& rs, int64_t provider, int64_t type) {
  for (const auto& r : rs) {
    if (r.provider_id == provider && r.appointment_type_id == type) return &r;
  }
  return nullptr;
}

BookingSpan Booked(int64_t provider, const char* start, int minutes, const char* created,
                   std::optional<const char*> cancelled = std::nullopt) {
  BookingSpan b;
  b.provider_id = provider;
  b.start = At(start);
  b.end = b.start + std::chrono::minutes(minutes);
  b.created = At(created);
  if (cancelled) b.cancelled = At(*cancelled);
  return b;
}

// Monday 3 March 2025, 08:00 in New York.
const char* kMondayMorning = "2025-03-03T13:00:00Z";

TEST(ThirdNextAvailable, CountsLocalDaysToTheThirdOpenSlotOfEachTypeAndProviderWorkingThere) {
  SlotEngine engine = Engine();
  AsOfBusy busy({});
  busy.SetAsOf(At(kMondayMorning));
  auto r = ThirdNextAvailable(engine, kClinic, At(kMondayMorning), busy);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // Visit: 10 (Mon 9:00, 9:30, Tue 9:00) and 11 (only Monday's two slots left: censored); long visit: 10
  // (Mon, Tue, Wed 9:00). Not 12 (another location), 13 (inactive) or the retired type.
  ASSERT_EQ(r->size(), 3u);
  const AccessReading* visit = Find(*r, 10, kVisit);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->days, 1);
  EXPECT_EQ(visit->open_slots, 3);
  EXPECT_EQ(visit->third, At("2025-03-04T14:00:00Z"));
  const AccessReading* ending = Find(*r, 11, kVisit);
  ASSERT_NE(ending, nullptr);
  EXPECT_EQ(ending->days, kAccessHorizonDays);
  EXPECT_FALSE(ending->third.has_value());
  EXPECT_EQ(ending->open_slots, 2);
  const AccessReading* longer = Find(*r, 10, kLong);
  ASSERT_NE(longer, nullptr);
  EXPECT_EQ(longer->days, 2);
  EXPECT_EQ((*r)[0].appointment_type_id, kVisit);  // ordered by type, then provider
  EXPECT_EQ((*r)[0].provider_id, 10);
}

TEST(ThirdNextAvailable, SeesTheBookingsAsTheyStoodAtTheRequest) {
  SlotEngine engine = Engine();
  AsOfBusy busy({
      Booked(10, "2025-03-03T14:00:00Z", 30, "2025-02-20T12:00:00Z"),  // Mon 9:00, booked before
      Booked(10, "2025-03-04T14:00:00Z", 30, "2025-02-20T12:00:00Z"),  // Tue 9:00, booked before
      Booked(10, "2025-03-04T14:30:00Z", 30, "2025-02-20T12:00:00Z", "2025-03-01T12:00:00Z"),  // cancelled before
      Booked(10, "2025-03-05T14:00:00Z", 30, "2025-03-03T15:00:00Z"),  // Wed 9:00, booked after the request
      Booked(10, "2025-03-05T14:30:00Z", 30, "2025-02-20T12:00:00Z", "2025-03-03T18:00:00Z"),  // cancelled after
  });
  busy.SetAsOf(At(kMondayMorning));
  auto r = ThirdNextAvailable(engine, kClinic, At(kMondayMorning), busy);
  ASSERT_TRUE(r.ok());
  // Open then: Mon 9:30, Tue 9:30 (its cancellation had come), Wed 9:00 (not yet booked).
  const AccessReading* visit = Find(*r, 10, kVisit);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->third, At("2025-03-05T14:00:00Z"));
  EXPECT_EQ(visit->days, 2);
  // At 11:00 Monday's slots have passed, Wednesday 9:00 is taken and its 9:30 not yet free: Tue 9:30, then
  // Thursday 9:00 and 9:30.
  busy.SetAsOf(At("2025-03-03T16:00:00Z"));
  r = ThirdNextAvailable(engine, kClinic, At("2025-03-03T16:00:00Z"), busy);
  ASSERT_TRUE(r.ok());
  visit = Find(*r, 10, kVisit);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->third, At("2025-03-06T14:30:00Z"));
  EXPECT_EQ(visit->days, 3);
}

TEST(ThirdNextAvailable, PassedSlotsAndWeekendsCountAsDays) {
  SlotEngine engine = Engine();
  AsOfBusy busy({});
  // Friday 7 March 2025 at 09:40 in New York: Friday's slots have begun; Monday 10 March is after the change to
  // daylight saving time (EDT, UTC-4).
  const TimePoint friday = At("2025-03-07T14:40:00Z");
  busy.SetAsOf(friday);
  auto r = ThirdNextAvailable(engine, kClinic, friday, busy);
  ASSERT_TRUE(r.ok());
  const AccessReading* visit = Find(*r, 10, kVisit);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->third, At("2025-03-11T13:00:00Z"));  // Mon 9:00, 9:30, Tue 9:00 EDT
  EXPECT_EQ(visit->days, 4);
}

TEST(ThirdNextAvailable, AnUnknownLocationIsNotFound) {
  SlotEngine engine = Engine();
  AsOfBusy busy({});
  auto r = ThirdNextAvailable(engine, 99, At(kMondayMorning), busy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().field, "location");
}

TEST(AsOfBusy, ReturnsOnlyTheAskedProvidersOverlappingBookings) {
  AsOfBusy busy({Booked(1, "2025-03-03T14:00:00Z", 120, "2025-01-01T00:00:00Z"),
                 Booked(2, "2025-03-03T14:00:00Z", 30, "2025-01-01T00:00:00Z"),
                 Booked(1, "2025-03-03T18:00:00Z", 30, "2025-01-01T00:00:00Z")});
  busy.SetAsOf(At("2025-03-02T00:00:00Z"));
  // The two-hour booking began before the range but overlaps it.
  auto b = busy.Busy({1}, At("2025-03-03T15:00:00Z"), At("2025-03-03T18:00:00Z"));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].start, At("2025-03-03T14:00:00Z"));
  EXPECT_EQ(busy.Busy({1, 2}, At("2025-03-03T14:00:00Z"), At("2025-03-03T19:00:00Z")).size(), 3u);
  EXPECT_TRUE(busy.Busy({3}, At("2025-03-03T00:00:00Z"), At("2025-03-04T00:00:00Z")).empty());
}

}  // namespace
}  // namespace caredesk
