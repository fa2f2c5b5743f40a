#include "app/metrics_service.h"

#include <algorithm>

#include "app/comment_service.h"
#include "app/relations_service.h"
#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

// The clinic of ClinicTest (New York); the clock stands at Monday 2025-03-10 10:00 EDT.
class MetricsServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    metrics_ = std::make_unique<MetricsService>(pool(), clock_, *audit_);
  }
  void Exec(const std::string& sql, db::Params params) {
    auto conn = pool().Acquire();
    auto st = conn->Exec(sql, params);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  int64_t Appointment(const char* start_iso, const char* status, int booked_days_before = 7,
                      std::optional<int64_t> provider = std::nullopt) {
    auto conn = pool().Acquire();
    int64_t start = ToMillis(At(start_iso));
    auto rs = conn->Query(
        "INSERT INTO appointments (patient_id, appointment_type_id, provider_id, location_id, start_at, end_at, "
        "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        {patient_id_, visit_.id, provider.value_or(provider_.id), location_.id, start, start + 1'800'000,
         std::string(status),
         start - int64_t{booked_days_before} * 86'400'000});
    EXPECT_TRUE(rs.ok()) << rs.error().message;
    return rs->Int(0, 0);
  }
  void Encounter(const char* arrived_iso, const char* state, int seen_after_min, int ended_after_min) {
    auto conn = pool().Acquire();
    int64_t arrived = ToMillis(At(arrived_iso));
    std::optional<int64_t> ended;
    if (ended_after_min > 0) ended = arrived + int64_t{ended_after_min} * 60'000;
    auto rs = conn->Query(
        "INSERT INTO encounters (patient_id, location_id, provider_id, state, state_since, arrived_at, ended_at) "
        "VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
        {patient_id_, location_.id, provider_.id, std::string(state), arrived, ended});
    ASSERT_TRUE(rs.ok()) << rs.error().message;
    if (seen_after_min > 0) {
      ASSERT_TRUE(conn->Exec("INSERT INTO encounter_transitions (encounter_id, from_state, to_state, at, by_user) "
                             "VALUES ($1, 'roomed', 'with_provider', $2, 'x')",
                             {rs->Int(0, 0), arrived + int64_t{seen_after_min} * 60'000})
                      .ok());
    }
  }
  MetricsQuery Weeks() {
    MetricsQuery q;
    q.location_id = location_.id;
    q.interval = metrics::Interval::kWeek;
    q.from = CivilDate{2025, 2, 24};
    q.to = CivilDate{2025, 3, 9};
    return q;
  }
  MetricResult Run(std::string_view key, const MetricsQuery& q) {
    auto r = metrics_->Compute(admin_, **metrics::FindMetric(key), q);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? std::move(r).value() : MetricResult{};
  }
  std::unique_ptr<MetricsService> metrics_;
};

TEST_P(MetricsServiceTest, RatesCountByTheLocalDateOfTheAppointment) {
  // Week of 24 Feb: 1 no-show of 4 due; week of 3 Mar: 0 of 1, one cancellation.
  Appointment("2025-02-24T09:00:00-05:00", "completed");
  Appointment("2025-02-25T09:00:00-05:00", "no_show");
  Appointment("2025-02-26T09:00:00-05:00", "completed");
  Appointment("2025-03-02T23:30:00-05:00", "completed");  // Sunday night locally, Monday 04:30 UTC: still week one
  Appointment("2025-03-04T09:00:00-05:00", "completed");
  Appointment("2025-03-05T09:00:00-05:00", "cancelled");
  auto no_show = Run("no_show_rate", Weeks());
  ASSERT_EQ(no_show.series.size(), 2u);
  EXPECT_DOUBLE_EQ(no_show.series[0].numerator, 1);
  EXPECT_DOUBLE_EQ(no_show.series[0].denominator, 4);
  EXPECT_DOUBLE_EQ(*no_show.series[0].value(100), 25);
  EXPECT_DOUBLE_EQ(no_show.series[1].denominator, 1);
  auto cancel = Run("cancellation_rate", Weeks());
  EXPECT_DOUBLE_EQ(cancel.series[1].numerator, 1);
  EXPECT_DOUBLE_EQ(cancel.series[1].denominator, 2);
  auto lead = Run("lead_time_days", Weeks());
  EXPECT_DOUBLE_EQ(*lead.series[0].value(1), 7);
}

TEST_P(MetricsServiceTest, UtilisationIsBookedMinutesOverTemplateTimeLessExceptions) {
  // Dr. Park works 09:00–17:00 Monday to Friday: 2,400 minutes a week. Week of 24 Feb: a kept, a missed and a
  // cancelled 30-minute appointment; the Wednesday is leave. Week of 3 Mar: one kept.
  Appointment("2025-02-24T09:00:00-05:00", "completed");
  Appointment("2025-02-25T09:00:00-05:00", "no_show");
  Appointment("2025-02-25T10:00:00-05:00", "cancelled");
  Appointment("2025-03-04T09:00:00-05:00", "completed");
  ScheduleException leave;
  leave.provider_id = provider_.id;
  leave.kind = "leave";
  leave.start_date = CivilDate{2025, 2, 26};
  leave.end_date = CivilDate{2025, 2, 26};
  ASSERT_TRUE(schedule_->AddException(admin_, leave).ok());
  auto u = Run("utilisation", Weeks());
  ASSERT_EQ(u.series.size(), 2u);
  EXPECT_DOUBLE_EQ(u.series[0].numerator, 60);
  EXPECT_DOUBLE_EQ(u.series[0].denominator, 4 * 480);
  EXPECT_DOUBLE_EQ(*u.series[0].value(100), 3.125);
  EXPECT_DOUBLE_EQ(u.series[1].denominator, 5 * 480);
  EXPECT_DOUBLE_EQ(*u.series[1].value(100), 1.25);
  // Before the location's first appointment CareDesk was not in use there: no template time counted.
  MetricsQuery earlier = Weeks();
  earlier.from = CivilDate{2025, 2, 17};
  auto before = Run("utilisation", earlier);
  ASSERT_EQ(before.series.size(), 3u);
  EXPECT_DOUBLE_EQ(before.series[0].denominator, 0);
  EXPECT_DOUBLE_EQ(before.series[1].denominator, 4 * 480);
  // Another provider, without templates: no time offered, so no value (not zero, not infinite).
  Provider other;
  other.name = "Dr. Lee";
  other.location_ids = {location_.id};
  MetricsQuery q = Weeks();
  q.provider_id = schedule_->SaveProvider(admin_, other)->id;
  EXPECT_FALSE(Run("utilisation", q).series[0].value(100).has_value());
  // The drill-down lists the booked appointments with their minutes.
  RecordsQuery rq;
  rq.location_id = location_.id;
  rq.period_start = CivilDate{2025, 2, 24};
  auto r = metrics_->Records(admin_, **metrics::FindMetric("utilisation"), rq);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->total, 2);
  EXPECT_DOUBLE_EQ(*r->items[0].value, 30);
}

TEST_P(MetricsServiceTest, DeadlinesMetAreJudgedByTheRelationsPolicyCaseByCase) {
  CommentService comments(pool(), clock_, *audit_, "/nonexistent/feedback.model");
  RelationsService relations(pool(), clock_, *audit_, *schedule_, comments);
  MetricsService metrics(pool(), clock_, *audit_, &relations);
  auto insert_case = [&](const char* ref, const char* received, std::optional<const char*> acknowledged,
                         const char* status) {
    auto conn = pool().Acquire();
    std::optional<int64_t> ack;
    if (acknowledged) ack = ToMillis(At(*acknowledged));
    ASSERT_TRUE(conn->Exec("INSERT INTO cases (reference_number, kind, status, channel, category, severity, "
                           "description, location_id, contact_preference, received_at, source, created_by, "
                           "created_at, updated_at, acknowledged_at) VALUES ($1, 'complaint', $2, 'phone', 'other', "
                           "'medium', 'x', $3, 'none', $4, 'staff', 'x', 0, 0, $5)",
                           {std::string(ref), std::string(status), location_.id, ToMillis(At(received)), ack})
                    .ok());
  };
  insert_case("CD-2025-000001-A", "2025-02-24T12:00:00-05:00", "2025-02-24T18:00:00-05:00", "acknowledged");
  insert_case("CD-2025-000002-B", "2025-02-25T12:00:00-05:00", std::nullopt, "received");  // never acknowledged
  auto conn = pool().Acquire();
  auto tallies = relations.DeadlineTallies(*conn, ToMillis(At("2025-02-24T00:00:00-05:00")), ToMillis(clock_.Now()),
                                           location_.id);
  ASSERT_TRUE(tallies.ok()) << tallies.error().message;
  ASSERT_EQ(tallies->size(), 2u);
  const auto& on_time = (*tallies)[0].received_at < (*tallies)[1].received_at ? (*tallies)[0] : (*tallies)[1];
  const auto& late = &on_time == &(*tallies)[0] ? (*tallies)[1] : (*tallies)[0];
  EXPECT_GE(on_time.met, 1);
  EXPECT_GE(late.due, 1);  // its acknowledgement is overdue
  EXPECT_EQ(late.met, 0);
  auto r = metrics.Compute(admin_, **metrics::FindMetric("deadlines_met_rate"), Weeks());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->series[0].numerator, on_time.met + late.met);
  EXPECT_DOUBLE_EQ(r->series[0].denominator, on_time.due + late.due);
  EXPECT_LT(*r->series[0].value(100), 100);
  // The drill-down says which case met all its deadlines.
  RecordsQuery rq;
  rq.location_id = location_.id;
  rq.period_start = CivilDate{2025, 2, 24};
  auto rec = metrics.Records(admin_, **metrics::FindMetric("deadlines_met_rate"), rq);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  ASSERT_EQ(rec->items.size(), 2u);
  EXPECT_EQ(rec->items[0].in_numerator, on_time.met == on_time.due);
  EXPECT_FALSE(rec->items[1].in_numerator);
  EXPECT_NE(rec->items[1].status.find("0 of"), std::string::npos) << rec->items[1].status;
}

TEST_P(MetricsServiceTest, FlowMeasuresFollowArrival) {
  Encounter("2025-02-24T09:00:00-05:00", "completed", 20, 60);
  Encounter("2025-02-25T09:00:00-05:00", "completed", 40, 90);
  Encounter("2025-02-26T09:00:00-05:00", "left_without_being_seen", 0, 30);
  Encounter("2025-03-03T09:00:00-05:00", "completed", 10, 30);
  auto a2p = Run("arrival_to_provider_minutes", Weeks());
  EXPECT_DOUBLE_EQ(*a2p.series[0].value(1), 30);
  EXPECT_DOUBLE_EQ(*a2p.series[1].value(1), 10);
  auto cycle = Run("cycle_time_minutes", Weeks());
  EXPECT_DOUBLE_EQ(*cycle.series[0].value(1), 75);
  auto lwbs = Run("lwbs_rate", Weeks());
  EXPECT_DOUBLE_EQ(lwbs.series[0].numerator, 1);
  EXPECT_DOUBLE_EQ(lwbs.series[0].denominator, 3);
}

TEST_P(MetricsServiceTest, TheFirstTimeWithAProviderFollowsTransitionsAndTheirUndoing) {
  Encounter("2025-02-24T09:00:00-05:00", "completed", 30, 60);
  const int64_t arrived = ToMillis(At("2025-02-24T09:00:00-05:00"));
  auto conn = pool().Acquire();
  const int64_t enc = conn->Query("SELECT MAX(id) FROM encounters")->Int(0, 0);
  auto seen = [&] { return conn->Query("SELECT seen_at FROM encounters WHERE id = $1", {enc})->OptInt(0, 0); };
  EXPECT_EQ(seen(), arrived + 30 * 60'000);
  // An earlier one (written by another system, say) moves it earlier; undoing that moves it back.
  auto early = conn->Query("INSERT INTO encounter_transitions (encounter_id, from_state, to_state, at, by_user) "
                           "VALUES ($1, 'roomed', 'with_provider', $2, 'x') RETURNING id",
                           {enc, arrived + 10 * 60'000});
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(seen(), arrived + 10 * 60'000);
  ASSERT_TRUE(conn->Exec("UPDATE encounter_transitions SET undone_at = $2 WHERE id = $1",
                         {early->Int(0, 0), arrived + 11 * 60'000})
                  .ok());
  EXPECT_EQ(seen(), arrived + 30 * 60'000);
  EXPECT_DOUBLE_EQ(*Run("arrival_to_provider_minutes", Weeks()).series[0].value(1), 30);
}

TEST_P(MetricsServiceTest, TheDashboardHasEveryMetricAndEmptyPeriodsAreGaps) {
  for (int d = 0; d < 70; ++d) {
    CivilDate day = CivilDate{2024, 12, 30}.AddDays(d);
    std::string iso = day.ToString() + "T10:00:00-05:00";
    Appointment(iso.c_str(), d % 5 == 0 ? "no_show" : "completed");
  }
  MetricsQuery q = Weeks();
  q.from = CivilDate{2024, 12, 30};
  auto dash = metrics_->Dashboard(admin_, q);
  ASSERT_TRUE(dash.ok()) << dash.error().message;
  ASSERT_EQ(dash->size(), metrics::AllMetrics().size());
  EXPECT_EQ(dash->front().metric->key, "third_next_available_days");
  const auto& ns = (*dash)[1];
  EXPECT_EQ(ns.metric->key, "no_show_rate");
  EXPECT_EQ(ns.series.size(), 10u);
  ASSERT_EQ(ns.chart.points.size(), 10u);
  EXPECT_TRUE(ns.chart.points[0].cl.has_value());
  const auto lwbs = std::find_if(dash->begin(), dash->end(), [](const auto& r) { return r.metric->key == "lwbs_rate"; });
  ASSERT_NE(lwbs, dash->end());
  EXPECT_FALSE(lwbs->series[0].value(100).has_value());  // no encounters: LWBS has gaps, not zeros
}

TEST_P(MetricsServiceTest, AProviderFilterNarrowsAccessAndFlowButNotVisitsPer1000) {
  Provider other;
  other.name = "Dr. Lee";
  other.location_ids = {location_.id};
  int64_t p2 = schedule_->SaveProvider(admin_, other)->id;
  Appointment("2025-02-24T09:00:00-05:00", "no_show", 7, p2);
  Appointment("2025-02-25T09:00:00-05:00", "completed", 7, p2);
  Appointment("2025-02-26T09:00:00-05:00", "completed");  // Dr. Park
  Encounter("2025-02-24T09:00:00-05:00", "completed", 20, 60);  // Dr. Park
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("INSERT INTO cases (reference_number, kind, status, channel, category, severity, "
                           "description, location_id, contact_preference, received_at, source, created_by, "
                           "created_at, updated_at, acknowledged_at, resolved_at) VALUES ('CD-2025-000001-X', "
                           "'complaint', 'resolved', 'phone', 'other', 'medium', 'x', $1, 'none', $2, 'staff', 'x', 0, "
                           "0, $3, $4)",
                           {location_.id, ToMillis(At("2025-02-24T12:00:00-05:00")),
                            ToMillis(At("2025-02-24T18:00:00-05:00")), ToMillis(At("2025-02-27T00:00:00-05:00"))})
                    .ok());
  }
  MetricsQuery q = Weeks();
  q.provider_id = p2;
  auto dash = metrics_->Dashboard(admin_, q);
  ASSERT_TRUE(dash.ok()) << dash.error().message;
  auto find = [&](std::string_view key) -> const MetricResult& {
    for (const auto& r : *dash) {
      if (r.metric->key == key) return r;
    }
    throw std::runtime_error("no metric");
  };
  EXPECT_DOUBLE_EQ(find("no_show_rate").series[0].numerator, 1);
  EXPECT_DOUBLE_EQ(find("no_show_rate").series[0].denominator, 2);  // Dr. Park's visit left out
  EXPECT_DOUBLE_EQ(find("cycle_time_minutes").series[0].denominator, 0);  // Dr. Park's encounter left out
  // Complaints have no provider: every visit at the location counts.
  EXPECT_DOUBLE_EQ(find("complaints_per_1000_visits").series[0].numerator, 1);
  EXPECT_DOUBLE_EQ(find("complaints_per_1000_visits").series[0].denominator, 1);
  // Acknowledged after 6 hours, resolved after 2.5 days.
  EXPECT_DOUBLE_EQ(*find("acknowledge_hours").series[0].value(1), 6);
  EXPECT_DOUBLE_EQ(*find("resolve_days").series[0].value(1), 2.5);
}

TEST_P(MetricsServiceTest, ADepartmentIsTheProvidersSpecialtyAndTheDepartmentOnCases) {
  Provider lee;
  lee.name = "Dr. Lee";
  lee.specialty = "Cardiology";
  lee.location_ids = {location_.id};
  const int64_t cardiology = schedule_->SaveProvider(admin_, lee)->id;
  Appointment("2025-02-24T09:00:00-05:00", "no_show", 7, cardiology);
  Appointment("2025-02-25T09:00:00-05:00", "completed", 7, cardiology);
  Appointment("2025-02-26T09:00:00-05:00", "completed");  // Dr. Park, family medicine
  Encounter("2025-02-24T09:00:00-05:00", "completed", 20, 60);  // Dr. Park
  {
    auto conn = pool().Acquire();
    int n = 0;
    for (const char* dept : {"Cardiology", "Family medicine", "Cardiology"}) {
      ASSERT_TRUE(conn->Exec("INSERT INTO cases (reference_number, kind, status, channel, category, severity, "
                             "description, location_id, department, contact_preference, received_at, source, "
                             "created_by, created_at, updated_at) VALUES ($1, 'complaint', 'received', 'phone', "
                             "'other', 'medium', 'x', $2, $3, 'none', $4, 'staff', 'x', 0, 0)",
                             {"CD-2025-D" + std::to_string(++n), location_.id,
                              std::string(dept), ToMillis(At("2025-02-24T12:00:00-05:00"))})
                      .ok());
    }
  }
  MetricsQuery q = Weeks();
  q.department = "Cardiology";
  auto dash = metrics_->Dashboard(admin_, q);
  ASSERT_TRUE(dash.ok()) << dash.error().message;
  auto find = [&](std::string_view key) -> const MetricResult& {
    for (const auto& r : *dash) {
      if (r.metric->key == key) return r;
    }
    throw std::runtime_error("no metric");
  };
  EXPECT_DOUBLE_EQ(find("no_show_rate").series[0].numerator, 1);
  EXPECT_DOUBLE_EQ(find("no_show_rate").series[0].denominator, 2);  // Dr. Park's visit left out
  EXPECT_DOUBLE_EQ(find("cycle_time_minutes").series[0].denominator, 0);
  EXPECT_DOUBLE_EQ(find("complaints_per_1000_visits").series[0].numerator, 2);
  EXPECT_DOUBLE_EQ(find("utilisation").series[0].denominator, 0);  // Dr. Lee has no templates
  q.department = "Family medicine";
  auto family = metrics_->Dashboard(admin_, q);
  ASSERT_TRUE(family.ok());
  EXPECT_EQ((*family)[1].metric->key, "no_show_rate");
  EXPECT_DOUBLE_EQ((*family)[1].series[0].denominator, 1);  // Dr. Park's one visit
  // The records of a point follow the department too.
  RecordsQuery rq;
  rq.location_id = location_.id;
  rq.period_start = CivilDate{2025, 2, 24};
  rq.department = "Cardiology";
  auto r = metrics_->Records(admin_, **metrics::FindMetric("no_show_rate"), rq);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->total, 2);
  auto cases = metrics_->Records(admin_, **metrics::FindMetric("complaints_per_1000_visits"), rq);
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  EXPECT_EQ(cases->total, 2);
}

TEST_P(MetricsServiceTest, ThePointsRecordsAreThoseItCounts) {
  Appointment("2025-02-24T09:00:00-05:00", "no_show");
  Appointment("2025-02-25T09:00:00-05:00", "completed");
  Appointment("2025-02-26T09:00:00-05:00", "cancelled");
  Appointment("2025-03-03T09:00:00-05:00", "no_show");  // the next week
  Encounter("2025-02-24T09:00:00-05:00", "completed", 20, 60);
  RecordsQuery q;
  q.location_id = location_.id;
  q.interval = metrics::Interval::kWeek;
  q.period_start = CivilDate{2025, 2, 24};
  auto r = metrics_->Records(admin_, **metrics::FindMetric("no_show_rate"), q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, "appointment");
  EXPECT_EQ(r->period_end, (CivilDate{2025, 3, 2}));
  ASSERT_EQ(r->total, 2);  // the cancelled one is not due
  EXPECT_TRUE(r->items[0].in_numerator);
  EXPECT_FALSE(r->items[1].in_numerator);
  EXPECT_EQ(r->items[0].link, "/patients/" + std::to_string(patient_id_));
  EXPECT_EQ(r->items[0].patient_name, "Smith, John");
  auto cancelled = metrics_->Records(admin_, **metrics::FindMetric("cancellation_rate"), q);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->total, 3);
  auto cycle = metrics_->Records(admin_, **metrics::FindMetric("cycle_time_minutes"), q);
  ASSERT_TRUE(cycle.ok());
  ASSERT_EQ(cycle->total, 1);
  EXPECT_DOUBLE_EQ(*cycle->items[0].value, 60);
  db::AuditFilter by_patient;
  by_patient.patient_id = patient_id_;
  auto audit = audit_->Search(by_patient);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(std::any_of(audit->begin(), audit->end(), [](const AuditRecord& a) { return a.category == "metrics"; }));
  q.period_start = CivilDate{2025, 2, 25};  // a Tuesday
  auto bad = metrics_->Records(admin_, **metrics::FindMetric("no_show_rate"), q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "period_start");
  for (const auto& m : metrics::AllMetrics()) {
    q.period_start = CivilDate{2025, 2, 24};
    auto any = metrics_->Records(admin_, m, q);
    EXPECT_TRUE(any.ok()) << m.key << ": " << any.error().message;  // every metric's SQL runs on this engine
  }
}

TEST_P(MetricsServiceTest, BadQueriesNameTheField) {
  MetricsQuery q = Weeks();
  q.to = CivilDate{2025, 1, 1};
  EXPECT_EQ(metrics_->Dashboard(admin_, q).error().field, "to");
  q = Weeks();
  q.location_id = 99999;
  EXPECT_EQ(metrics_->Dashboard(admin_, q).error().field, "location_id");
  q = Weeks();
  q.from = CivilDate{2020, 1, 1};
  EXPECT_EQ(metrics_->Dashboard(admin_, q).error().field, "to");
}

CAREDESK_INSTANTIATE_BACKENDS(MetricsServiceTest);

}  // namespace
}  // namespace caredesk
