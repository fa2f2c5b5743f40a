#include "app/access_service.h"

#include "app/metrics_service.h"
#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

using namespace std::chrono_literals;

// The clinic of ClinicTest: Dr. Park, weekdays 09:00–17:00 in New York, does the 30-minute follow-up and the
// video visit. The clock stands at Monday 2025-03-10 10:00 EDT.
class AccessServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    access_ = std::make_unique<AccessService>(pool(), clock_, *audit_, *schedule_);
  }

  // Books every follow-up slot of a local day from `first` (HH:MM) on, as the clock stands.
  std::vector<int64_t> BookDay(const std::string& date, int first_hour = 9) {
    std::vector<int64_t> ids;
    for (int minute = first_hour * 60; minute < 17 * 60; minute += 30) {
      char iso[40];
      std::snprintf(iso, sizeof iso, "%sT%02d:%02d:00", date.c_str(), minute / 60, minute % 60);
      BookingRequest req = Request("2025-01-01T00:00:00Z");
      req.start = *ParseInstant(iso, location_.time_zone, "start");
      auto booked = appointments_->Book(coord_, req);
      EXPECT_TRUE(booked.ok()) << iso << ": " << booked.error().message;
      if (booked.ok()) ids.push_back(booked->row.id);
    }
    return ids;
  }

  std::vector<db::AccessSnapshotRow> Day(const std::string& date) {
    auto conn = pool().Acquire();
    db::AccessFilter f;
    f.location_id = location_.id;
    auto rows = db::AccessRepository::Day(*conn, f, date);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<db::AccessSnapshotRow>{};
  }

  std::unique_ptr<AccessService> access_;
};

TEST_P(AccessServiceTest, TakesOneReadingADayPerTypeAndProvider) {
  auto report = access_->TakeDue();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->locations, 1);
  EXPECT_EQ(report->readings, 2);  // follow-up and video visit with Dr. Park
  auto rows = Day("2025-03-10");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.days, 0);  // 10:00, 10:30, 11:00 today
    EXPECT_EQ(r.third_at, ToMillis(At("2025-03-10T15:00:00Z")));
    EXPECT_EQ(r.taken_at, ToMillis(clock_.Now()));
    EXPECT_EQ(r.provider_name, "Dr. Ada Park");
  }
  // Later the same day: already taken, nothing new even though the calendar filled up.
  BookDay("2025-03-10", 10);
  clock_.Advance(2h);
  report = access_->TakeDue();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, 0);
  EXPECT_EQ(Day("2025-03-10")[0].days, 0);
  // Taken again on request: today is full, so Tuesday 09:00, 09:30, 10:00.
  report = access_->TakeNow(admin_, location_.id);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->readings, 2);
  rows = Day("2025-03-10");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].days, 1);
  EXPECT_EQ(rows[0].third_at, ToMillis(At("2025-03-11T14:00:00Z")));
  // The next local day gets its own reading.
  clock_.Set(At("2025-03-11T04:30:00Z"));  // 00:30 on Tuesday in New York
  report = access_->TakeDue();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, 1);
  EXPECT_EQ(Day("2025-03-11").size(), 2u);
}

TEST_P(AccessServiceTest, PastDaysAreReadAsTheCalendarStoodAtTheirMidnight) {
  // On Sunday 2 March every Monday slot is booked; on Monday at noon three are cancelled.
  clock_.Set(At("2025-03-02T17:00:00Z"));
  auto monday = BookDay("2025-03-03");
  ASSERT_EQ(monday.size(), 16u);
  clock_.Set(At("2025-03-03T17:00:00Z"));
  for (int i = 13; i < 16; ++i) ASSERT_TRUE(appointments_->Cancel(coord_, monday[i], "patient request").ok());
  clock_.Set(At("2025-03-10T14:00:00Z"));
  auto report = access_->Backfill(std::nullopt, CivilDate{2025, 3, 2}, CivilDate{2025, 3, 4}, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->days, 3);
  EXPECT_EQ(report->readings, 6);
  // Sunday 2 March at midnight, before the bookings: Monday 09:00, 09:30, 10:00.
  EXPECT_EQ(Day("2025-03-02")[0].days, 1);
  // Monday at midnight: Monday full (the cancellations came later), so Tuesday 10:00.
  auto mon = Day("2025-03-03");
  ASSERT_EQ(mon.size(), 2u);
  EXPECT_EQ(mon[0].days, 1);
  EXPECT_EQ(mon[0].third_at, ToMillis(At("2025-03-04T15:00:00Z")));
  EXPECT_EQ(mon[0].taken_at, ToMillis(At("2025-03-03T05:00:00Z")));  // local midnight
  // Tuesday: nothing booked.
  EXPECT_EQ(Day("2025-03-04")[0].days, 0);

  // Days already read are kept unless replaced.
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE access_snapshots SET days = 7 WHERE snapshot_date = '2025-03-03'").ok());
  }
  report = access_->Backfill(location_.id, CivilDate{2025, 3, 3}, CivilDate{2025, 3, 3}, false);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, 0);
  EXPECT_EQ(Day("2025-03-03")[0].days, 7);
  report = access_->Backfill(location_.id, CivilDate{2025, 3, 3}, CivilDate{2025, 3, 3}, true);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, 1);
  EXPECT_EQ(Day("2025-03-03")[0].days, 1);
}

TEST_P(AccessServiceTest, TheMetricIsThePeriodsMeanOfTheDailyReadings) {
  clock_.Set(At("2025-03-02T17:00:00Z"));
  BookDay("2025-03-03");
  clock_.Set(At("2025-03-10T14:00:00Z"));
  // Week of 3 March: Monday 1 day (both types), Tuesday to Friday 0 days, Sunday 2 March belongs to the week before.
  ASSERT_TRUE(access_->Backfill(std::nullopt, CivilDate{2025, 3, 2}, CivilDate{2025, 3, 7}, false).ok());
  MetricsService metrics(pool(), clock_, *audit_);
  MetricsQuery q;
  q.location_id = location_.id;
  q.interval = metrics::Interval::kWeek;
  q.from = CivilDate{2025, 2, 24};
  q.to = CivilDate{2025, 3, 9};
  auto r = metrics.Compute(admin_, **metrics::FindMetric("third_next_available_days"), q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->series.size(), 2u);
  EXPECT_DOUBLE_EQ(r->series[0].numerator, 2);  // Sunday 2 March: 1 day for each type
  EXPECT_DOUBLE_EQ(r->series[0].denominator, 2);
  EXPECT_DOUBLE_EQ(r->series[1].numerator, 2);
  EXPECT_DOUBLE_EQ(r->series[1].denominator, 10);
  EXPECT_DOUBLE_EQ(*r->series[1].value(1), 0.2);
  // One type only.
  q.appointment_type_id = tele_.id;
  r = metrics.Compute(admin_, **metrics::FindMetric("third_next_available_days"), q);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->series[1].denominator, 5);
  // The records behind the point are the readings.
  RecordsQuery rq;
  rq.location_id = location_.id;
  rq.interval = metrics::Interval::kWeek;
  rq.period_start = CivilDate{2025, 3, 3};
  rq.appointment_type_id = visit_.id;
  auto records = metrics.Records(admin_, **metrics::FindMetric("third_next_available_days"), rq);
  ASSERT_TRUE(records.ok()) << records.error().message;
  EXPECT_EQ(records->kind, "access");
  EXPECT_EQ(records->total, 5);
  ASSERT_FALSE(records->items.empty());
  EXPECT_EQ(records->items[0].provider_name, "Dr. Ada Park");
  EXPECT_EQ(records->items[0].status, "Follow-up");
  EXPECT_EQ(records->items[0].value, 1);
  EXPECT_FALSE(records->items[0].patient_id.has_value());
}

TEST_P(AccessServiceTest, TheLatestReadingsAreFilteredAndWorstFirst) {
  BookDay("2025-03-10", 10);
  ASSERT_TRUE(access_->TakeDue().ok());
  db::AccessFilter f;
  f.location_id = location_.id;
  auto view = access_->Latest(admin_, f);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->snapshot_date, "2025-03-10");
  EXPECT_EQ(view->time_zone, "America/New_York");
  ASSERT_EQ(view->rows.size(), 2u);
  EXPECT_EQ(view->rows[0].type_name, "Follow-up");  // equal days: by type name
  f.appointment_type_id = tele_.id;
  view = access_->Latest(admin_, f);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->rows.size(), 1u);
  EXPECT_EQ(view->rows[0].type_name, "Video visit");
  f.appointment_type_id.reset();
  f.department = "Cardiology";
  view = access_->Latest(admin_, f);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->rows.empty());
  EXPECT_EQ(view->snapshot_date, "2025-03-10");  // the day is still named
  f.location_id = 999;
  view = access_->Latest(admin_, f);
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().field, "location_id");
}

TEST_P(AccessServiceTest, ADayWhoseMidnightIsSkippedIsReadAtItsFirstWholeHour) {
  // Santiago moved its clocks from 24:00 on Saturday 6 September 2025 to 01:00: Sunday has no 00:00.
  auto santiago = schedule_->SaveLocation(admin_, Location{0, "Santiago", "America/Santiago"});
  ASSERT_TRUE(santiago.ok()) << santiago.error().message;
  Provider p;
  p.name = "Dr. Rosa Vidal";
  p.location_ids = {santiago->id};
  auto provider = schedule_->SaveProvider(admin_, p);
  ASSERT_TRUE(provider.ok());
  for (int wd = 0; wd <= 6; ++wd) {
    AvailabilityTemplate t;
    t.provider_id = provider->id;
    t.location_id = santiago->id;
    t.weekday = wd;
    t.start_minute = 9 * 60;
    t.end_minute = 12 * 60;
    ASSERT_TRUE(schedule_->AddTemplate(admin_, t).ok());
  }
  AppointmentType visit = visit_;
  visit.provider_ids = {provider_.id, provider->id};
  ASSERT_TRUE(schedule_->SaveAppointmentType(admin_, visit).ok());
  clock_.Set(At("2025-09-10T12:00:00Z"));
  auto report = access_->Backfill(santiago->id, CivilDate{2025, 9, 7}, CivilDate{2025, 9, 7}, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->readings, 1);
  auto conn = pool().Acquire();
  db::AccessFilter f;
  f.location_id = santiago->id;
  auto rows = db::AccessRepository::Day(*conn, f, "2025-09-07");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].taken_at, ToMillis(At("2025-09-07T04:00:00Z")));  // 01:00, UTC-3
  EXPECT_EQ((*rows)[0].days, 0);  // 09:00, 09:30, 10:00 that Sunday
}

TEST_P(AccessServiceTest, BadBackfillsNameTheFieldAndWriteNothing) {
  auto r = access_->Backfill(std::nullopt, CivilDate{2025, 3, 5}, CivilDate{2025, 3, 4}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "to");
  r = access_->Backfill(std::nullopt, CivilDate{2025, 3, 5}, CivilDate{2025, 3, 20}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "in_the_future");
  r = access_->Backfill(std::nullopt, CivilDate{2021, 1, 1}, CivilDate{2025, 3, 1}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "too_long");
  r = access_->Backfill(int64_t{999}, CivilDate{2025, 3, 1}, CivilDate{2025, 3, 2}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "location_id");
  EXPECT_FALSE(access_->TakeNow(admin_, int64_t{999}).ok());
  auto conn = pool().Acquire();
  auto n = conn->Query("SELECT COUNT(*) FROM access_snapshots");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->Int(0, 0), 0);
}

CAREDESK_INSTANTIATE_BACKENDS(AccessServiceTest);

}  // namespace
}  // namespace caredesk
