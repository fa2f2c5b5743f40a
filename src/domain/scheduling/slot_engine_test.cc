#include "domain/scheduling/slot_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace caredesk {
namespace {

constexpr int64_t kNewYork = 1;
constexpr int64_t kLondon = 2;
constexpr int64_t kKolkata = 3;
constexpr int64_t kNewYorkAnnex = 4;
constexpr int64_t kVisit30 = 100;  // 30 minutes, providers 10, 11, 12
constexpr int64_t kVisit45 = 101;  // 45 minutes, provider 10
constexpr int64_t kRetired = 102;  // inactive type

TimePoint At(const char* iso) {
  auto t = ParseInstant(iso, "", "t");
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : TimePoint{};
}

int Hm(int h, int m) { return h * 60 + m; }

// An in-memory BusyLookup that records how it is called.
class FakeBusy final : public BusyLookup {
 public:
  std::vector<BusyInterval> Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) override {
    ++calls;
    asked.push_back(provider_ids);
    spans.emplace_back(from, to);
    std::vector<BusyInterval> out;
    for (const BusyInterval& b : intervals) {
      bool wanted = std::find(provider_ids.begin(), provider_ids.end(), b.provider_id) != provider_ids.end();
      if (wanted && b.start < to && from < b.end) out.push_back(b);
    }
    return out;
  }

  std::vector<BusyInterval> intervals;
  int calls = 0;
  std::vector<std::vector<int64_t>> asked;
  std::vector<std::pair<TimePoint, TimePoint>> spans;
};

AvailabilityTemplate Weekly(int64_t id, int64_t provider, int64_t location, int weekday, int start, int end,
                            std::optional<int64_t> room = std::nullopt) {
  return {.id = id,
          .provider_id = provider,
          .location_id = location,
          .room_id = room,
          .weekday = weekday,
          .start_minute = start,
          .end_minute = end};
}

// Provider `provider` away from `start` to `end` (wall-clock minutes) on `date`, at `location` or everywhere.
ScheduleException PartialLeave(int64_t provider, CivilDate date, int start, int end,
                               std::optional<int64_t> location = std::nullopt) {
  ScheduleException leave;
  leave.provider_id = provider;
  leave.location_id = location;
  leave.kind = "leave";
  leave.start_date = leave.end_date = date;
  leave.start_minute = start;
  leave.end_minute = end;
  return leave;
}

AppointmentType Type(int64_t id, int minutes, std::vector<int64_t> providers) {
  return {.id = id, .name = "Type " + std::to_string(id), .duration_minutes = minutes, .provider_ids = providers};
}

// Provider 10 works in New York (Mon-Fri 09:00-12:00, room 7) and at the annex;
// 11 works in London (Mon 09:00-11:00); 12 in Kolkata (Mon 09:00-10:00);
// 13 is inactive. Tests add templates and exceptions as they need.
ScheduleSnapshot BaseSnapshot() {
  ScheduleSnapshot s;
  s.locations = {{.id = kNewYork, .name = "Midtown", .time_zone = "America/New_York"},
                 {.id = kLondon, .name = "Camden", .time_zone = "Europe/London"},
                 {.id = kKolkata, .name = "Salt Lake", .time_zone = "Asia/Kolkata"},
                 {.id = kNewYorkAnnex, .name = "Annex", .time_zone = "America/New_York"}};
  s.rooms = {{7, kNewYork, "Room 7"}, {8, kNewYork, "Room 8 (closed)", false}};
  s.providers = {{10, "Dr Ames", "GP", {kNewYork, kNewYorkAnnex}},
                 {11, "Dr Brook", "GP", {kLondon}},
                 {12, "Dr Chand", "GP", {kKolkata}},
                 {13, "Dr Gone", "GP", {kNewYork}, 0, false}};
  s.appointment_types = {Type(kVisit30, 30, {10, 11, 12, 13}), Type(kVisit45, 45, {10}), Type(kRetired, 30, {10})};
  s.appointment_types.back().active = false;
  for (int weekday = 1; weekday <= 5; ++weekday) {
    s.templates.push_back(Weekly(weekday, 10, kNewYork, weekday, Hm(9, 0), Hm(12, 0), 7));
  }
  s.templates.push_back(Weekly(20, 11, kLondon, 1, Hm(9, 0), Hm(11, 0)));
  s.templates.push_back(Weekly(21, 12, kKolkata, 1, Hm(9, 0), Hm(10, 0)));
  s.templates.push_back(Weekly(22, 13, kNewYork, 1, Hm(9, 0), Hm(17, 0)));
  return s;
}

SlotQuery Query(int64_t type, const char* from, const char* to, size_t limit = 50) {
  SlotQuery q;
  q.appointment_type_id = type;
  q.from = At(from);
  q.to = At(to);
  q.limit = limit;
  return q;
}

std::vector<std::string> LocalStarts(const std::vector<Slot>& slots, const char* tz) {
  std::vector<std::string> out;
  for (const Slot& s : slots) out.push_back(FormatInstant(s.start, tz));
  return out;
}

std::vector<Slot> SearchOk(const SlotEngine& engine, const SlotQuery& q, BusyLookup& busy) {
  auto r = engine.Search(q, busy);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<Slot>{};
}

TEST(SlotEngine, LaysOutSlotsByDurationWithinWindow) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  // Monday 2025-06-02 in New York.
  auto q = Query(kVisit45, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  auto slots = SearchOk(engine, q, busy);
  EXPECT_EQ(LocalStarts(slots, "America/New_York"),
            (std::vector<std::string>{"2025-06-02T09:00:00-04:00", "2025-06-02T09:45:00-04:00",
                                      "2025-06-02T10:30:00-04:00", "2025-06-02T11:15:00-04:00"}));
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(slots[0].end - slots[0].start, std::chrono::minutes(45));
  EXPECT_EQ(slots[0].provider_id, 10);
  EXPECT_EQ(slots[0].location_id, kNewYork);
  EXPECT_EQ(slots[0].room_id, std::optional<int64_t>(7));
}

TEST(SlotEngine, SkipsDstGap) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(30, 10, kNewYork, 0, Hm(1, 0), Hm(4, 0)));  // Sundays 01:00-04:00
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-03-09T00:00:00-05:00", "2025-03-09T12:00:00-04:00");
  // 01:30-02:00 ends in the gap, 02:00 and 02:30 start in it.
  EXPECT_EQ(LocalStarts(SearchOk(engine, q, busy), "America/New_York"),
            (std::vector<std::string>{"2025-03-09T01:00:00-05:00", "2025-03-09T03:00:00-04:00",
                                      "2025-03-09T03:30:00-04:00"}));
}

TEST(SlotEngine, SkipsSlotSpanningDstGap) {
  ScheduleSnapshot s = BaseSnapshot();
  s.appointment_types.push_back(Type(200, 90, {10}));
  s.templates.push_back(Weekly(30, 10, kNewYork, 0, Hm(0, 30), Hm(6, 30)));
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  // 00:30-02:00 ends in the gap; 02:00-03:30 starts in it; 03:30-05:00 and
  // 05:00-06:30 are ordinary.
  auto q = Query(200, "2025-03-09T00:00:00-05:00", "2025-03-09T12:00:00-04:00");
  EXPECT_EQ(LocalStarts(SearchOk(engine, q, busy), "America/New_York"),
            (std::vector<std::string>{"2025-03-09T03:30:00-04:00", "2025-03-09T05:00:00-04:00"}));
}

TEST(SlotEngine, FallBackDayHasNoDuplicateSlots) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(30, 10, kNewYork, 0, Hm(1, 0), Hm(4, 0)));
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-11-02T00:00:00-04:00", "2025-11-02T12:00:00-05:00");
  auto slots = SearchOk(engine, q, busy);
  // 01:00 is offered once (its first, daylight-time occurrence); 01:30 EDT to
  // 02:00 EST would last 90 minutes and is skipped.
  EXPECT_EQ(LocalStarts(slots, "America/New_York"),
            (std::vector<std::string>{"2025-11-02T01:00:00-04:00", "2025-11-02T02:00:00-05:00",
                                      "2025-11-02T02:30:00-05:00", "2025-11-02T03:00:00-05:00",
                                      "2025-11-02T03:30:00-05:00"}));
  for (size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].end - slots[i].start, std::chrono::minutes(30));
    if (i > 0) {
      EXPECT_LE(slots[i - 1].end, slots[i].start);
    }
  }
}

TEST(SlotEngine, HolidayRemovesDay) {
  ScheduleSnapshot s = BaseSnapshot();
  ScheduleException holiday;
  holiday.location_id = kNewYork;  // every provider at Midtown
  holiday.kind = "holiday";
  holiday.start_date = holiday.end_date = {2025, 7, 4};
  s.exceptions.push_back(holiday);
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-07-03T00:00:00-04:00", "2025-07-08T00:00:00-04:00");
  q.provider_id = 10;
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 12u);  // Thursday and Monday, six each
  for (const Slot& slot : slots) {
    EXPECT_NE(InstantToLocal(slot.start, "America/New_York").date, (CivilDate{2025, 7, 4}));
  }
}

TEST(SlotEngine, PartialLeaveRemovesOverlap) {
  ScheduleSnapshot s = BaseSnapshot();
  s.exceptions.push_back(PartialLeave(10, {2025, 6, 2}, Hm(10, 15), Hm(11, 0)));
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.provider_id = 10;
  EXPECT_EQ(LocalStarts(SearchOk(engine, q, busy), "America/New_York"),
            (std::vector<std::string>{"2025-06-02T09:00:00-04:00", "2025-06-02T09:30:00-04:00",
                                      "2025-06-02T11:00:00-04:00", "2025-06-02T11:30:00-04:00"}));
}

TEST(SlotEngine, ExceptionElsewhereDoesNotApply) {
  ScheduleSnapshot s = BaseSnapshot();
  ScheduleException closed;
  closed.location_id = kLondon;
  closed.start_date = closed.end_date = {2025, 6, 2};
  s.exceptions.push_back(closed);
  ScheduleException other_provider;
  other_provider.provider_id = 11;
  other_provider.kind = "leave";
  other_provider.start_date = {2025, 6, 1};
  other_provider.end_date = {2025, 6, 30};
  s.exceptions.push_back(other_provider);
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.provider_id = 10;
  EXPECT_EQ(SearchOk(engine, q, busy).size(), 6u);
}

TEST(SlotEngine, TemplateValidityRange) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(40, 10, kNewYork, 1, Hm(14, 0), Hm(15, 0)));
  s.templates.back().valid_from = CivilDate{2025, 6, 9};
  s.templates.back().valid_to = CivilDate{2025, 6, 9};
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-17T00:00:00-04:00", 500);
  q.provider_id = 10;
  int afternoon = 0;
  for (const Slot& slot : SearchOk(engine, q, busy)) {
    LocalTime local = InstantToLocal(slot.start, "America/New_York");
    if (local.minutes_of_day >= Hm(14, 0)) {
      ++afternoon;
      EXPECT_EQ(local.date, (CivilDate{2025, 6, 9}));
    }
  }
  EXPECT_EQ(afternoon, 2);
}

TEST(SlotEngine, OverlappingTemplatesGiveNoDuplicates) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(41, 10, kNewYork, 1, Hm(10, 0), Hm(13, 0)));       // overlaps 10:00-12:00
  s.templates.push_back(Weekly(42, 10, kNewYorkAnnex, 1, Hm(11, 15), Hm(12, 15)));  // same zone, other site
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.provider_id = 10;
  auto slots = SearchOk(engine, q, busy);
  // 09:00..11:30 from the first template, then 12:00 and 12:30 from the second;
  // every annex slot overlaps one of those.
  EXPECT_EQ(LocalStarts(slots, "America/New_York"),
            (std::vector<std::string>{"2025-06-02T09:00:00-04:00", "2025-06-02T09:30:00-04:00",
                                      "2025-06-02T10:00:00-04:00", "2025-06-02T10:30:00-04:00",
                                      "2025-06-02T11:00:00-04:00", "2025-06-02T11:30:00-04:00",
                                      "2025-06-02T12:00:00-04:00", "2025-06-02T12:30:00-04:00"}));
  for (size_t i = 1; i < slots.size(); ++i) EXPECT_LE(slots[i - 1].end, slots[i].start);
}

// A day's slots from several templates are put in time order before overlaps are dropped: here a leave at the
// main site opens a gap that the annex's later template fills, and 10:00 onwards at the main site still follows.
TEST(SlotEngine, ATemplateFillingAnotherOnesGapKeepsTimeOrder) {
  ScheduleSnapshot s = BaseSnapshot();  // provider 10: New York main site, Mondays 09:00-12:00
  s.templates.push_back(Weekly(45, 10, kNewYorkAnnex, 1, Hm(9, 30), Hm(10, 0)));
  s.exceptions.push_back(PartialLeave(10, {2025, 6, 2}, Hm(9, 30), Hm(10, 0), kNewYork));
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.provider_id = 10;
  auto slots = SearchOk(engine, q, busy);
  EXPECT_EQ(LocalStarts(slots, "America/New_York"),
            (std::vector<std::string>{"2025-06-02T09:00:00-04:00", "2025-06-02T09:30:00-04:00",
                                      "2025-06-02T10:00:00-04:00", "2025-06-02T10:30:00-04:00",
                                      "2025-06-02T11:00:00-04:00", "2025-06-02T11:30:00-04:00"}));
  ASSERT_EQ(slots.size(), 6u);
  EXPECT_EQ(slots[1].location_id, kNewYorkAnnex);
  EXPECT_EQ(slots[2].location_id, kNewYork);
}

TEST(SlotEngine, InactiveRoomOffersNothing) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(43, 10, kNewYork, 6, Hm(9, 0), Hm(12, 0), 8));  // Saturday, closed room
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-07T00:00:00-04:00", "2025-06-08T00:00:00-04:00");
  EXPECT_TRUE(SearchOk(engine, q, busy).empty());
}

TEST(SlotEngine, FirstAvailableAcrossProviders) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(44, 11, kLondon, 2, Hm(14, 0), Hm(15, 0)));  // London Tue 14:00 = NY 09:00
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-03T00:00:00-04:00", "2025-06-10T00:00:00-04:00", 4);
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 4u);
  // Same instants, provider 10 first.
  EXPECT_EQ(slots[0].start, At("2025-06-03T13:00:00Z"));
  EXPECT_EQ(slots[0].provider_id, 10);
  EXPECT_EQ(slots[1].start, slots[0].start);
  EXPECT_EQ(slots[1].provider_id, 11);
  EXPECT_EQ(slots[2].start, At("2025-06-03T13:30:00Z"));
  EXPECT_EQ(slots[2].provider_id, 10);
  EXPECT_EQ(slots[3].provider_id, 11);
}

TEST(SlotEngine, TwoTimeZones) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  // Monday 2025-06-02: Kolkata 09:00 IST = 03:30Z, London 09:00 BST = 08:00Z,
  // New York 09:00 EDT = 13:00Z.
  auto q = Query(kVisit30, "2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z");
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 2u + 4u + 6u);
  EXPECT_EQ(FormatInstant(slots[0].start, "Asia/Kolkata"), "2025-06-02T09:00:00+05:30");
  EXPECT_EQ(slots[0].provider_id, 12);
  EXPECT_EQ(FormatInstant(slots[2].start, "Europe/London"), "2025-06-02T09:00:00+01:00");
  EXPECT_EQ(slots[2].provider_id, 11);
  EXPECT_EQ(FormatInstant(slots[6].start, "America/New_York"), "2025-06-02T09:00:00-04:00");
  EXPECT_TRUE(std::is_sorted(slots.begin(), slots.end(),
                             [](const Slot& a, const Slot& b) { return a.start < b.start; }));
}

TEST(SlotEngine, LondonFollowsItsOwnDstDate) {
  // Europe/London springs forward on 2025-03-30, New York on 2025-03-09: on
  // Monday 2025-03-24 London is still UTC+0 while New York is UTC-4.
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-03-24T00:00:00Z", "2025-03-25T00:00:00Z", 1);
  q.provider_id = 11;
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatInstantUtc(slots[0].start), "2025-03-24T09:00:00Z");
  q = Query(kVisit30, "2025-03-31T00:00:00Z", "2025-04-01T00:00:00Z", 1);
  q.provider_id = 11;
  slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatInstantUtc(slots[0].start), "2025-03-31T08:00:00Z");
}

TEST(SlotEngine, BusyIntervalHidesSlot) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  // A 45-minute booking 09:30-10:15 hides 09:30 and 10:00; a cancelled-out
  // interval with no bookings hides nothing; another provider's hides nothing.
  busy.intervals = {{10, At("2025-06-02T09:30:00-04:00"), At("2025-06-02T10:15:00-04:00")},
                    {10, At("2025-06-02T11:00:00-04:00"), At("2025-06-02T11:30:00-04:00"), 0},
                    {11, At("2025-06-02T11:30:00-04:00"), At("2025-06-02T12:00:00-04:00")}};
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.location_id = kNewYork;
  EXPECT_EQ(LocalStarts(SearchOk(engine, q, busy), "America/New_York"),
            (std::vector<std::string>{"2025-06-02T09:00:00-04:00", "2025-06-02T10:30:00-04:00",
                                      "2025-06-02T11:00:00-04:00", "2025-06-02T11:30:00-04:00"}));
}

TEST(SlotEngine, RespectsNotBefore) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  q.provider_id = 10;
  q.not_before = At("2025-06-02T10:10:00-04:00");
  EXPECT_EQ(LocalStarts(SearchOk(engine, q, busy), "America/New_York"),
            (std::vector<std::string>{"2025-06-02T10:30:00-04:00", "2025-06-02T11:00:00-04:00",
                                      "2025-06-02T11:30:00-04:00"}));
  q.not_before = q.to;
  EXPECT_TRUE(SearchOk(engine, q, busy).empty());
}

TEST(SlotEngine, StopsAtLimitWithOneLookup) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  // The first window (00:00-08:00 UTC) holds Kolkata's two Monday slots.
  auto q = Query(kVisit30, "2025-06-02T00:00:00Z", "2025-08-31T00:00:00Z", 2);
  auto slots = SearchOk(engine, q, busy);
  EXPECT_EQ(slots.size(), 2u);
  EXPECT_EQ(busy.calls, 1);
  // Only eligible, active providers with candidates are asked about.
  EXPECT_EQ(busy.asked[0], (std::vector<int64_t>{12}));
  // Three slots need the next window, where New York and London work.
  FakeBusy more;
  q.limit = 3;
  EXPECT_EQ(SearchOk(engine, q, more).size(), 3u);
  EXPECT_EQ(more.calls, 2);
  EXPECT_EQ(more.asked[1], (std::vector<int64_t>{10, 11}));
}

TEST(SlotEngine, GrowsWindowsToReachDistantAvailability) {
  ScheduleSnapshot s = BaseSnapshot();
  for (AvailabilityTemplate& t : s.templates) t.valid_from = CivilDate{2025, 8, 25};
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00Z", "2025-08-31T00:00:00Z", 1);
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatInstant(slots[0].start, "Asia/Kolkata"), "2025-08-25T09:00:00+05:30");
  EXPECT_EQ(busy.calls, 1);  // windows without candidates skip the lookup
}

TEST(SlotEngine, FullyBookedRangeFindsNothing) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  for (int64_t p : {10, 11, 12}) busy.intervals.push_back({p, At("2025-01-01T00:00:00Z"), At("2026-01-01T00:00:00Z")});
  auto q = Query(kVisit30, "2025-06-02T00:00:00Z", "2025-08-31T00:00:00Z");
  EXPECT_TRUE(SearchOk(engine, q, busy).empty());
  EXPECT_LE(busy.calls, 9);  // 8 + 16 + ... + 512 hours (42 1/3 days), 32 days, the last 14 2/3
}

TEST(SlotEngine, WindowBoundariesDoNotChangeAnswers) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(45, 10, kNewYork, 3, Hm(22, 0), Hm(24, 0)));  // late Wednesday
  SlotEngine engine(std::move(s));
  FakeBusy busy;
  auto all = SearchOk(engine, Query(kVisit30, "2025-06-01T00:00:00Z", "2025-07-01T00:00:00Z", 500), busy);
  for (const char* from : {"2025-06-04T23:45:00Z", "2025-06-05T02:00:00Z", "2025-06-11T13:10:00Z"}) {
    auto part = SearchOk(engine, Query(kVisit30, from, "2025-07-01T00:00:00Z", 500), busy);
    std::vector<Slot> expected;
    for (const Slot& slot : all) {
      if (slot.start >= At(from)) expected.push_back(slot);
    }
    EXPECT_EQ(part, expected) << from;
  }
}

// Twenty more New York providers, Mon-Fri 09:00-12:00, doing kVisit30.
ScheduleSnapshot CrowdedSnapshot() {
  ScheduleSnapshot s = BaseSnapshot();
  for (int64_t p = 50; p < 70; ++p) {
    s.providers.push_back({.id = p, .name = "Dr " + std::to_string(p), .location_ids = {kNewYork}});
    s.appointment_types[0].provider_ids.push_back(p);
    for (int weekday = 1; weekday <= 5; ++weekday) {
      s.templates.push_back(Weekly(p * 10 + weekday, p, kNewYork, weekday, Hm(9, 0), Hm(12, 0)));
    }
  }
  return s;
}

TEST(SlotEngine, LooksUpAShortSpanWhenCandidatesAbound) {
  SlotEngine engine(CrowdedSnapshot());
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T12:00:00Z", "2025-08-31T00:00:00Z", 1);
  auto slots = SearchOk(engine, q, busy);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].start, At("2025-06-02T09:00:00-04:00"));
  ASSERT_EQ(busy.calls, 1);
  EXPECT_LE(busy.spans[0].second - busy.spans[0].first, std::chrono::hours(2));
}

TEST(SlotEngine, ShortLookupsGiveTheSameAnswer) {
  SlotEngine engine(CrowdedSnapshot());
  FakeBusy busy;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> chance(0, 99);
  std::vector<int64_t> providers = {10, 11, 12};
  for (int64_t p = 50; p < 70; ++p) providers.push_back(p);
  for (int64_t p : providers) {
    for (TimePoint t = At("2025-06-02T00:00:00Z"); t < At("2025-06-20T00:00:00Z"); t += std::chrono::minutes(15)) {
      if (chance(rng) < 90) busy.intervals.push_back({p, t, t + std::chrono::minutes(15)});
    }
  }
  auto everything = SearchOk(engine, Query(kVisit30, "2025-06-02T00:00:00Z", "2025-06-30T00:00:00Z", 500), busy);
  ASSERT_GT(everything.size(), 30u);
  int most_calls = 0;
  for (size_t limit : {1, 3, 7, 20}) {
    busy.calls = 0;
    auto first = SearchOk(engine, Query(kVisit30, "2025-06-02T00:00:00Z", "2025-06-30T00:00:00Z", limit), busy);
    EXPECT_EQ(first, std::vector<Slot>(everything.begin(), everything.begin() + static_cast<std::ptrdiff_t>(limit)));
    most_calls = std::max(most_calls, busy.calls);
  }
  EXPECT_GT(most_calls, 1);  // some answers took several cut windows
}

TEST(SlotEngine, InactiveProviderExcluded) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  auto q = Query(kVisit30, "2025-06-02T00:00:00-04:00", "2025-06-03T00:00:00-04:00");
  for (const Slot& slot : SearchOk(engine, q, busy)) EXPECT_NE(slot.provider_id, 13);
  q.provider_id = 13;
  auto r = engine.Search(q, busy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "provider");
}

TEST(SlotEngine, QueryErrors) {
  SlotEngine engine(BaseSnapshot());
  FakeBusy busy;
  auto unknown = engine.Search(Query(999, "2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z"), busy);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().field, "appointment_type");

  auto retired = engine.Search(Query(kRetired, "2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z"), busy);
  ASSERT_FALSE(retired.ok());
  EXPECT_EQ(retired.error().field, "appointment_type");

  auto q = Query(kVisit45, "2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z");
  q.provider_id = 11;
  auto not_eligible = engine.Search(q, busy);
  ASSERT_FALSE(not_eligible.ok());
  EXPECT_EQ(not_eligible.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(not_eligible.error().field, "provider");

  auto backwards = engine.Search(Query(kVisit30, "2025-06-03T00:00:00Z", "2025-06-03T00:00:00Z"), busy);
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(backwards.error().field, "to");

  auto too_long = engine.Search(Query(kVisit30, "2025-01-01T00:00:00Z", "2026-01-02T00:00:01Z"), busy);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().field, "to");
  FakeBusy other_busy;
  EXPECT_TRUE(engine.Search(Query(kVisit30, "2025-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), other_busy).ok());

  q = Query(kVisit30, "2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z");
  q.location_id = 77;
  EXPECT_EQ(engine.Search(q, busy).error().code, ErrorCode::kNotFound);
  q.location_id = kLondon;
  q.provider_id = 10;
  EXPECT_EQ(engine.Search(q, busy).error().field, "location");
  EXPECT_EQ(busy.calls, 0);
}

TEST(SlotEngine, ConcurrentSearchesAgree) {
  SlotEngine engine(BaseSnapshot());
  auto q = Query(kVisit30, "2025-03-01T00:00:00Z", "2025-12-01T00:00:00Z", 200);
  FakeBusy reference_busy;
  const auto reference = SearchOk(engine, q, reference_busy);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t i = 0; i < mismatches.size(); ++i) {
    threads.emplace_back([&, i] {
      FakeBusy busy;
      for (int round = 0; round < 20; ++round) {
        auto r = engine.Search(q, busy);
        if (!r.ok() || *r != reference) ++mismatches[i];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(ResolveBookingSlot, AcceptsTemplateSlot) {
  SlotEngine engine(BaseSnapshot());
  auto slot = engine.ResolveBookingSlot(kVisit45, 10, kNewYork, At("2025-06-02T09:45:00-04:00"));
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(slot->end, At("2025-06-02T10:30:00-04:00"));
  EXPECT_EQ(slot->room_id, std::optional<int64_t>(7));
  EXPECT_EQ(slot->provider_id, 10);
}

TEST(ResolveBookingSlot, RejectsStartOffTheSlotGrid) {
  SlotEngine engine(BaseSnapshot());
  for (const char* start : {"2025-06-02T09:30:00-04:00", "2025-06-02T09:45:01-04:00", "2025-06-02T12:00:00-04:00",
                            "2025-06-01T09:00:00-04:00"}) {
    auto r = engine.ResolveBookingSlot(kVisit45, 10, kNewYork, At(start));
    ASSERT_FALSE(r.ok()) << start;
    EXPECT_EQ(r.error().field, "start");
    EXPECT_EQ(r.error().reason, "not_a_slot");
    EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  }
}

TEST(ResolveBookingSlot, RejectsDstGapAndRepeatedHour) {
  ScheduleSnapshot s = BaseSnapshot();
  s.templates.push_back(Weekly(30, 10, kNewYork, 0, Hm(1, 0), Hm(4, 0)));
  SlotEngine engine(std::move(s));
  // 03:00 EDT on the spring-forward day is a slot; 01:30 EST is not (ends in the gap).
  EXPECT_TRUE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-03-09T03:00:00-04:00")).ok());
  EXPECT_FALSE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-03-09T01:30:00-05:00")).ok());
  // On the fall-back day the first 01:00 is a slot, the repeated one is not.
  EXPECT_TRUE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-11-02T01:00:00-04:00")).ok());
  EXPECT_FALSE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-11-02T01:00:00-05:00")).ok());
}

TEST(ResolveBookingSlot, RejectsExceptionDay) {
  ScheduleSnapshot s = BaseSnapshot();
  ScheduleException holiday;
  holiday.start_date = holiday.end_date = {2025, 7, 4};  // everyone, everywhere
  s.exceptions.push_back(holiday);
  SlotEngine engine(std::move(s));
  EXPECT_FALSE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-07-04T09:00:00-04:00")).ok());
  EXPECT_TRUE(engine.ResolveBookingSlot(kVisit30, 10, kNewYork, At("2025-07-03T09:00:00-04:00")).ok());
}

TEST(ResolveBookingSlot, RejectsMismatchedProviderTypeAndLocation) {
  SlotEngine engine(BaseSnapshot());
  const TimePoint start = At("2025-06-02T09:00:00-04:00");
  auto type = engine.ResolveBookingSlot(999, 10, kNewYork, start);
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().field, "appointment_type");
  auto provider = engine.ResolveBookingSlot(kVisit45, 11, kLondon, start);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().field, "provider");
  auto unknown_provider = engine.ResolveBookingSlot(kVisit30, 55, kNewYork, start);
  ASSERT_FALSE(unknown_provider.ok());
  EXPECT_EQ(unknown_provider.error().code, ErrorCode::kNotFound);
  auto location = engine.ResolveBookingSlot(kVisit30, 10, kLondon, start);
  ASSERT_FALSE(location.ok());
  EXPECT_EQ(location.error().field, "location");
  // Provider 10 works at the annex but has no template there.
  auto annex = engine.ResolveBookingSlot(kVisit30, 10, kNewYorkAnnex, start);
  ASSERT_FALSE(annex.ok());
  EXPECT_EQ(annex.error().reason, "not_a_slot");
}

TEST(ClaimUnits, CoverSlotOnFiveMinuteGrid) {
  auto units = ClaimUnits(At("2025-06-02T13:00:00Z"), At("2025-06-02T13:30:00Z"));
  ASSERT_EQ(units.size(), 6u);
  EXPECT_EQ(units.front(), At("2025-06-02T13:00:00Z"));
  EXPECT_EQ(units.back(), At("2025-06-02T13:25:00Z"));
}

TEST(ClaimUnits, PartialUnitsAreClaimedWhole) {
  auto units = ClaimUnits(At("2025-06-02T13:02:00Z"), At("2025-06-02T13:11:00Z"));
  EXPECT_EQ(units, (std::vector<TimePoint>{At("2025-06-02T13:00:00Z"), At("2025-06-02T13:05:00Z"),
                                            At("2025-06-02T13:10:00Z")}));
  EXPECT_TRUE(ClaimUnits(At("2025-06-02T13:00:00Z"), At("2025-06-02T13:00:00Z")).empty());
  EXPECT_EQ(ClaimUnits(At("1969-12-31T23:58:00Z"), At("1970-01-01T00:00:00Z")).front(),
            At("1969-12-31T23:55:00Z"));
}

TEST(ClaimUnits, OverlappingBookingsShareUnits) {
  auto a = ClaimUnits(At("2025-06-02T13:00:00Z"), At("2025-06-02T13:45:00Z"));
  auto b = ClaimUnits(At("2025-06-02T13:30:00Z"), At("2025-06-02T14:00:00Z"));
  EXPECT_NE(std::find(a.begin(), a.end(), b.front()), a.end());
  auto c = ClaimUnits(At("2025-06-02T13:45:00Z"), At("2025-06-02T14:15:00Z"));
  EXPECT_EQ(std::find(a.begin(), a.end(), c.front()), a.end());
}

}  // namespace
}  // namespace caredesk
