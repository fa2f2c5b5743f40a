#include "app/busy_cache.h"

#include <random>

#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

// Writes go straight to the database through SQL, as another server process
// or a hand-typed statement would: the cache learns of them only through the
// calendar change log.
class BusyCacheTest : public ClinicTest {
 protected:
  int64_t RawInsert(int64_t provider_id, const char* start_iso, int minutes, const char* status = "booked") {
    auto conn = pool().Acquire();
    int64_t start = ToMillis(At(start_iso));
    auto rs = conn->Query(
        "INSERT INTO appointments (patient_id, appointment_type_id, provider_id, location_id, start_at, end_at, "
        "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0) RETURNING id",
        {patient_id_, visit_.id, provider_id, location_.id, start, start + int64_t{minutes} * 60'000, std::string(status)});
    EXPECT_TRUE(rs.ok()) << rs.error().message;
    return rs->Int(0, 0);
  }
  void RawExec(const std::string& sql, db::Params params = {}) {
    auto conn = pool().Acquire();
    auto st = conn->Exec(sql, params);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  std::vector<std::pair<int64_t, int64_t>> LogAfter(int64_t after) {
    auto conn = pool().Acquire();
    auto rows = db::AppointmentRepository::CalendarChangesAfter(*conn, after, 100);
    EXPECT_TRUE(rows.ok());
    std::vector<std::pair<int64_t, int64_t>> out;
    for (const auto& r : *rows) out.emplace_back(r.provider_id, r.day);
    return out;
  }
  int64_t Head() {
    auto conn = pool().Acquire();
    return *db::AppointmentRepository::CalendarHead(*conn);
  }
  std::vector<std::string> FirstSlots(size_t n) {
    SlotQuery q;
    q.appointment_type_id = visit_.id;
    q.from = clock_.Now();
    q.to = clock_.Now() + std::chrono::hours(24 * 14);
    q.not_before = clock_.Now();
    q.limit = n;
    auto slots = appointments_->Slots(q);
    EXPECT_TRUE(slots.ok()) << slots.error().message;
    std::vector<std::string> out;
    for (const Slot& s : *slots) out.push_back(FormatInstant(s.start, "America/New_York"));
    return out;
  }
  static int64_t Day(TimePoint t) { return ToMillis(t) / 86'400'000; }
};

TEST_P(BusyCacheTest, LogNamesEveryChangeToBusyTimeAndNothingElse) {
  int64_t h0 = Head();
  int64_t id = RawInsert(provider_.id, "2025-03-11T09:00:00-04:00", 30);
  int64_t day = Day(At("2025-03-11T09:00:00-04:00"));
  EXPECT_EQ(LogAfter(h0), (std::vector<std::pair<int64_t, int64_t>>{{provider_.id, day}}));
  int64_t h1 = Head();
  EXPECT_EQ(h1, h0 + 1);
  // Still holding its slot, or a field slot search does not read: no change.
  RawExec("UPDATE appointments SET status = 'checked_in', notes = 'x' WHERE id = $1", {id});
  RawExec("UPDATE appointments SET status = 'completed' WHERE id = $1", {id});
  EXPECT_TRUE(LogAfter(h1).empty());
  // Freed, then held again.
  RawExec("UPDATE appointments SET status = 'cancelled' WHERE id = $1", {id});
  RawExec("UPDATE appointments SET status = 'booked' WHERE id = $1", {id});
  EXPECT_EQ(LogAfter(h1).size(), 2u);
  int64_t h2 = Head();
  // Moved to another provider and day: both named.
  Provider other;
  other.name = "Dr. Lee";
  other.location_ids = {location_.id};
  auto p2 = schedule_->SaveProvider(admin_, other);
  ASSERT_TRUE(p2.ok());
  int64_t next_day = Day(At("2025-03-12T09:00:00-04:00"));
  RawExec("UPDATE appointments SET provider_id = $2, start_at = start_at + 86400000, end_at = end_at + 86400000 "
          "WHERE id = $1",
          {id, p2->id});
  EXPECT_EQ(LogAfter(h2),
            (std::vector<std::pair<int64_t, int64_t>>{{provider_.id, day}, {p2->id, next_day}}));
  int64_t h3 = Head();
  EXPECT_EQ(h3, h2 + 2);
  // A cancelled appointment's delete changes nothing; a booked one's does.
  int64_t gone = RawInsert(provider_.id, "2025-03-13T09:00:00-04:00", 30, "cancelled");
  RawExec("DELETE FROM appointments WHERE id = $1", {gone});
  EXPECT_TRUE(LogAfter(h3).empty());
  RawExec("DELETE FROM appointment_history WHERE appointment_id = $1", {id});
  RawExec("DELETE FROM slot_claims WHERE appointment_id = $1", {id});
  RawExec("DELETE FROM appointments WHERE id = $1", {id});
  EXPECT_EQ(LogAfter(h3), (std::vector<std::pair<int64_t, int64_t>>{{p2->id, next_day}}));
}

TEST_P(BusyCacheTest, ASearchSeesChangesMadeOutsideThisProcess) {
  ASSERT_EQ(FirstSlots(2), (std::vector<std::string>{"2025-03-10T10:00:00-04:00", "2025-03-10T10:30:00-04:00"}));
  int64_t id = RawInsert(provider_.id, "2025-03-10T10:00:00-04:00", 30);
  EXPECT_EQ(FirstSlots(2), (std::vector<std::string>{"2025-03-10T10:30:00-04:00", "2025-03-10T11:00:00-04:00"}));
  RawExec("UPDATE appointments SET start_at = start_at + 3600000, end_at = end_at + 3600000 WHERE id = $1", {id});
  EXPECT_EQ(FirstSlots(3), (std::vector<std::string>{"2025-03-10T10:00:00-04:00", "2025-03-10T10:30:00-04:00",
                                                     "2025-03-10T11:30:00-04:00"}));
  RawExec("UPDATE appointments SET status = 'cancelled' WHERE id = $1", {id});
  EXPECT_EQ(FirstSlots(3), (std::vector<std::string>{"2025-03-10T10:00:00-04:00", "2025-03-10T10:30:00-04:00",
                                                     "2025-03-10T11:00:00-04:00"}));
}

TEST_P(BusyCacheTest, AGapInTheLogForgetsEverything) {
  BusyCache cache;
  auto conn = pool().Acquire();
  ASSERT_TRUE(cache.Sync(*conn).ok());
  TimePoint from = At("2025-03-11T00:00:00-04:00"), to = At("2025-03-12T00:00:00-04:00");
  ASSERT_TRUE(cache.Busy(*conn, {provider_.id}, from, to)->empty());
  RawInsert(provider_.id, "2025-03-11T09:00:00-04:00", 30);
  // The log lost that change (as when this reader falls more than
  // kCalendarLogKept behind); the next change leaves a gap in the numbers.
  RawExec("DELETE FROM calendar_changes");
  RawInsert(provider_.id, "2025-04-11T09:00:00-04:00", 30);
  ASSERT_TRUE(cache.Sync(*conn).ok());
  EXPECT_EQ(cache.stats().flushes, 1u);
  auto busy = cache.Busy(*conn, {provider_.id}, from, to);
  ASSERT_TRUE(busy.ok());
  ASSERT_EQ(busy->size(), 1u);
  EXPECT_EQ(FormatInstant(busy->front().start, "America/New_York"), "2025-03-11T09:00:00-04:00");
}

// The log keeps at least the last kCalendarLogKept changes, without gaps, and trims the rest in batches (SQLite,
// 0016) or per statement (PostgreSQL, 0006) rather than a row per change.
TEST_P(BusyCacheTest, TheLogKeepsTheLastChangesWithoutGaps) {
  constexpr int64_t kInserted = db::kCalendarLogKept + 1500;
  const int64_t h0 = Head();
  const int64_t base = ToMillis(At("2025-03-10T00:00:00-04:00"));
  // One statement on both engines: rows fire the SQLite row triggers one by one and PostgreSQL's statement trigger
  // once.
  RawExec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $6) "
          "INSERT INTO appointments (patient_id, appointment_type_id, provider_id, location_id, start_at, end_at, "
          "status, created_at, updated_at) "
          "SELECT $1, $2, $3, $4, CAST($5 AS BIGINT) + CAST(i AS BIGINT) * 1800000, "
          "CAST($5 AS BIGINT) + CAST(i AS BIGINT) * 1800000 + 1800000, 'booked', 0, 0 FROM n",
          {patient_id_, visit_.id, provider_.id, location_.id, base, kInserted});
  const int64_t head = Head();
  ASSERT_EQ(head, h0 + kInserted);
  auto conn = pool().Acquire();
  auto rs = conn->Query("SELECT COUNT(*), MIN(seq), MAX(seq) FROM calendar_changes");
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  const int64_t kept = rs->Int(0, 0);
  EXPECT_GE(kept, db::kCalendarLogKept);
  EXPECT_LT(kept, db::kCalendarLogKept + 1000);
  EXPECT_EQ(rs->Int(0, 2), head);
  EXPECT_EQ(rs->Int(0, 2) - rs->Int(0, 1) + 1, kept);  // numbered without gaps
}

TEST_P(BusyCacheTest, AlwaysAgreesWithTheDatabaseUnderRandomChanges) {
  Provider other;
  other.name = "Dr. Lee";
  other.location_ids = {location_.id};
  int64_t p2 = schedule_->SaveProvider(admin_, other)->id;
  std::vector<int64_t> providers{provider_.id, p2};
  BusyCache cache;
  auto conn = pool().Acquire();
  ASSERT_TRUE(cache.Sync(*conn).ok());
  std::mt19937_64 rng(42);
  const int64_t base = ToMillis(At("2025-03-10T00:00:00-04:00"));
  std::vector<int64_t> ids;
  const char* statuses[] = {"booked", "cancelled", "checked_in", "no_show"};
  auto sorted = [](std::vector<BusyInterval> v) {
    std::vector<std::tuple<int64_t, int64_t, int64_t>> out;
    for (const auto& b : v) out.emplace_back(b.provider_id, ToMillis(b.start), ToMillis(b.end));
    std::sort(out.begin(), out.end());
    return out;
  };
  for (int round = 0; round < 300; ++round) {
    int what = static_cast<int>(rng() % 4);
    int64_t start = base + static_cast<int64_t>(rng() % (10 * 96)) * 15 * 60'000;  // 10 days of quarter hours
    int64_t len = static_cast<int64_t>(1 + rng() % 8) * 15 * 60'000;
    int64_t prov = providers[rng() % 2];
    if (what == 0 || ids.empty()) {
      auto rs = conn->Query(
          "INSERT INTO appointments (patient_id, appointment_type_id, provider_id, location_id, start_at, end_at, "
          "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'booked', 0, 0) RETURNING id",
          {patient_id_, visit_.id, prov, location_.id, start, start + len});
      ASSERT_TRUE(rs.ok()) << rs.error().message;
      ids.push_back(rs->Int(0, 0));
    } else if (what == 1) {
      ASSERT_TRUE(conn->Exec("UPDATE appointments SET status = $2 WHERE id = $1",
                             {ids[rng() % ids.size()], std::string(statuses[rng() % 4])})
                      .ok());
    } else if (what == 2) {
      ASSERT_TRUE(conn->Exec("UPDATE appointments SET provider_id = $2, start_at = $3, end_at = $4 WHERE id = $1",
                             {ids[rng() % ids.size()], prov, start, start + len})
                      .ok());
    }
    // what == 3: no change, only a read.
    ASSERT_TRUE(cache.Sync(*conn).ok());
    int64_t q_from = base + static_cast<int64_t>(rng() % (10 * 24)) * 3'600'000;
    int64_t q_to = q_from + static_cast<int64_t>(1 + rng() % 72) * 3'600'000;
    auto got = cache.Busy(*conn, providers, FromMillis(q_from), FromMillis(q_to));
    auto want = db::AppointmentRepository::Busy(*conn, providers, q_from, q_to);
    ASSERT_TRUE(got.ok() && want.ok());
    ASSERT_EQ(sorted(*got), sorted(*want)) << "round " << round;
  }
  EXPECT_GT(cache.stats().held, 50u);  // it did answer from memory
}

CAREDESK_INSTANTIATE_BACKENDS(BusyCacheTest);

}  // namespace
}  // namespace caredesk
