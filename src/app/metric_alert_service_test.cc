#include "app/metric_alert_service.h"

#include <thread>

#include "app/scheduling_fixture.h"
#include "mail/testing/mime_decode.h"
#include "mail/testing/smtp_sink.h"
#include "storage/user_repository.h"

namespace caredesk {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kWeekMs = 7 * 86'400'000LL;

// The clinic of ClinicTest (New York; now Monday 2025-03-10 10:00 EDT) with 19 weeks of completed visits
// whose weekly mean cycle time alternates 58 / 62 minutes, a manager subscribed to every metric there, and
// an SMTP sink.
class MetricAlertTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    auto sink = mail::testing::SmtpSink::Start();
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    sink_ = std::move(sink).value();
    mailer_ = std::make_unique<mail::SmtpSender>(mail::SmtpConfig{sink_->url(), "", "", false, 10s}, clock_);
    metrics_ = std::make_unique<MetricsService>(pool(), clock_, *audit_);
    alerts_ = MakeService();
    manager_ = AddUser("mgr");
    other_ = AddUser("other");
    // Weeks starting 2024-10-28 .. 2025-03-03 (19 weeks); the last, 2025-03-03, is the last complete week.
    for (int w = 19; w >= 2; --w) VisitsInWeek(w, w % 2 == 0 ? 58 : 62);
  }
  std::unique_ptr<MetricAlertService> MakeService() {
    MetricAlertOptions o;
    o.public_url = "https://caredesk.example/";
    return std::make_unique<MetricAlertService>(pool(), clock_, *audit_, *metrics_, mailer_.get(), o);
  }
  Actor AddUser(const std::string& name) {
    auto conn = pool().Acquire();
    db::UserRow u;
    u.username = name;
    u.display_name = name;
    u.role = "manager";
    u.password_hash = "x";
    auto id = db::UserRepository::Insert(*conn, u);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return Actor{id.ok() ? *id : 0, name, Role::kManager, "127.0.0.1", 0};
  }
  // Three completed visits on the Tuesday of the week `weeks_ago` weeks before this one, of mean `minutes`.
  void VisitsInWeek(int weeks_ago, int minutes) {
    // Tuesday 10:00 EDT/EST of that week, counted from now (Monday 10:00).
    const int64_t tuesday = ToMillis(clock_.Now()) - weeks_ago * kWeekMs + 86'400'000LL;
    auto conn = pool().Acquire();
    for (int k = -1; k <= 1; ++k) {
      const int64_t arrived = tuesday + k * 3'600'000LL;
      const int64_t ended = arrived + (minutes + 3 * k) * 60'000LL;
      auto rs = conn->Exec("INSERT INTO encounters (patient_id, location_id, provider_id, state, state_since, "
                           "arrived_at, ended_at) VALUES ($1, $2, $3, 'completed', $4, $5, $4)",
                           {patient_id_, location_.id, provider_.id, ended, arrived});
      ASSERT_TRUE(rs.ok()) << rs.error().message;
    }
  }
  std::vector<db::MetricAlertRow> Alerts(std::optional<std::string> metric = std::nullopt) {
    db::MetricAlertFilter f;
    f.metric_key = std::move(metric);
    auto page = alerts_->List(manager_, f);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    return page.ok() ? page->first : std::vector<db::MetricAlertRow>{};
  }
  std::string BodyOf(const mail::testing::ReceivedMail& m) {
    return mail::testing::DecodeQuotedPrintable(mail::testing::Body(m.data)).value_or("");
  }
  void Subscribe(const Actor& who, std::optional<int64_t> location, const std::string& metric,
                 const std::string& email) {
    db::AlertSubscriptionRow s;
    s.location_id = location;
    s.metric_key = metric;
    s.email = email;
    auto r = alerts_->Subscribe(who, s);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  std::unique_ptr<mail::testing::SmtpSink> sink_;
  std::unique_ptr<mail::SmtpSender> mailer_;
  std::unique_ptr<MetricsService> metrics_;
  std::unique_ptr<MetricAlertService> alerts_;
  Actor manager_, other_;
};

TEST(FirstOfPeriods, CountsWholePeriodsBack) {
  EXPECT_EQ(FirstOfPeriods(CivilDate{2025, 3, 9}, metrics::Interval::kWeek, 1).ToString(), "2025-03-03");
  EXPECT_EQ(FirstOfPeriods(CivilDate{2025, 3, 9}, metrics::Interval::kWeek, 52).ToString(), "2024-03-11");
  EXPECT_EQ(FirstOfPeriods(CivilDate{2025, 2, 28}, metrics::Interval::kMonth, 24).ToString(), "2023-03-01");
}

TEST_P(MetricAlertTest, AQuietChartRaisesNothing) {
  VisitsInWeek(1, 62);
  auto report = alerts_->Scan();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->locations, 1);
  EXPECT_EQ(report->charts, 2 * static_cast<int>(metrics::AllMetrics().size()));
  EXPECT_TRUE(Alerts("cycle_time_minutes").empty());
}

TEST_P(MetricAlertTest, ANewSpecialCauseIsAnAlertEmailedOnceToEachSubscriberOfItsPlaceAndMetric) {
  Subscribe(manager_, location_.id, "*", "manager@clinic.example");
  Subscribe(other_, std::nullopt, "no_show_rate", "other@clinic.example");  // another metric: not emailed
  VisitsInWeek(1, 125);  // the last complete week: far above the limits
  auto report = alerts_->Scan();
  ASSERT_TRUE(report.ok()) << report.error().message;
  auto alerts = Alerts("cycle_time_minutes");
  ASSERT_EQ(alerts.size(), 1u);
  const auto& a = alerts[0];
  EXPECT_EQ(a.period, "week");
  EXPECT_EQ(a.first_period_start, "2025-03-03");
  EXPECT_EQ(a.special_cause, "Above UCL");
  EXPECT_EQ(a.point_type, "special_cause_concern");  // cycle time should go down
  EXPECT_NEAR(*a.value, 125.0, 1e-9);
  EXPECT_LT(*a.upper_limit, 125.0);
  EXPECT_EQ(a.location_name, "Main Street Clinic");
  EXPECT_EQ(report->emailed, 1);
  ASSERT_TRUE(sink_->WaitForMessages(1, 5s));
  auto mail = sink_->messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].to, std::vector<std::string>{"manager@clinic.example"});
  const std::string body = BodyOf(mail[0]);
  EXPECT_NE(body.find("Cycle time"), std::string::npos) << body;
  EXPECT_NE(body.find("Above UCL"), std::string::npos) << body;
  EXPECT_NE(body.find("a concern"), std::string::npos) << body;
  EXPECT_NE(body.find("https://caredesk.example/dashboard/cycle_time_minutes?location=" +
                      std::to_string(location_.id) + "&interval=week&point=2025-03-03"),
            std::string::npos)
      << body;

  // Scanning again finds the same period: nothing new, nothing sent.
  auto again = alerts_->Scan();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_alerts, 0);
  EXPECT_EQ(again->emailed, 0);
  EXPECT_EQ(Alerts("cycle_time_minutes").size(), 1u);
  EXPECT_EQ(sink_->message_count(), 1u);
}

TEST_P(MetricAlertTest, ASignalThatGoesOnIsOneAlertAndALaterOneIsNew) {
  Subscribe(manager_, location_.id, "cycle_time_minutes", "manager@clinic.example");
  VisitsInWeek(1, 125);
  ASSERT_TRUE(alerts_->Scan().ok());
  // A week later the cycle time is still far above: the same alert, two weeks long, no second email.
  clock_.Advance(std::chrono::milliseconds(kWeekMs));
  VisitsInWeek(1, 130);
  auto report = alerts_->Scan();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->continued, 1);
  auto alerts = Alerts("cycle_time_minutes");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].periods, 2);
  EXPECT_EQ(alerts[0].first_period_start, "2025-03-03");
  EXPECT_EQ(alerts[0].last_period_start, "2025-03-10");
  EXPECT_EQ(sink_->message_count(), 1u);
  // Then a quiet week ends it; a spike after that is a new alert, emailed again.
  clock_.Advance(std::chrono::milliseconds(kWeekMs));
  VisitsInWeek(1, 60);
  ASSERT_TRUE(alerts_->Scan().ok());
  clock_.Advance(std::chrono::milliseconds(kWeekMs));
  VisitsInWeek(1, 140);
  ASSERT_TRUE(alerts_->Scan().ok());
  alerts = Alerts("cycle_time_minutes");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].first_period_start, "2025-03-24");  // newest first
  EXPECT_EQ(sink_->message_count(), 2u);
}

TEST_P(MetricAlertTest, AFailedEmailIsRetriedWithBackOffAndNotLost) {
  Subscribe(manager_, location_.id, "*", "manager@clinic.example");
  VisitsInWeek(1, 125);
  sink_->set_rcpt_mode(mail::testing::RcptMode::kTempFail);
  auto report = alerts_->Scan();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->new_alerts >= 1, true);
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(report->emailed, 0);
  sink_->set_rcpt_mode(mail::testing::RcptMode::kAccept);
  // Not before the back-off has passed.
  clock_.Advance(1min);
  ASSERT_EQ(alerts_->Scan()->emailed, 0);
  clock_.Advance(5min);
  auto retry = alerts_->Scan();
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->emailed, 1);
  EXPECT_EQ(retry->new_alerts, 0);
  ASSERT_TRUE(sink_->WaitForMessages(1, 5s));
}

TEST_P(MetricAlertTest, TwoServersScanningAtOnceRecordOneAlertAndSendOneEmail) {
  Subscribe(manager_, location_.id, "*", "manager@clinic.example");
  VisitsInWeek(1, 125);
  auto second = MakeService();
  Result<AlertScanReport> a = AlertScanReport{}, b = AlertScanReport{};
  std::thread t([&] { b = second->Scan(); });
  a = alerts_->Scan();
  t.join();
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(Alerts("cycle_time_minutes").size(), 1u);
  EXPECT_EQ(a->emailed + b->emailed, 1);
  EXPECT_EQ(sink_->message_count(), 1u);
}

TEST_P(MetricAlertTest, AcknowledgingIsRecordedAndFiltersTheOpenList) {
  VisitsInWeek(1, 125);
  ASSERT_TRUE(alerts_->Scan().ok());
  auto open = Alerts("cycle_time_minutes");
  ASSERT_EQ(open.size(), 1u);
  auto acked = alerts_->Acknowledge(manager_, open[0].id, "Two locums this week; reviewed with the team.");
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(acked->acknowledged_by, std::optional<std::string>("mgr"));
  EXPECT_EQ(acked->note, "Two locums this week; reviewed with the team.");
  db::MetricAlertFilter f;
  f.acknowledged = false;
  f.metric_key = "cycle_time_minutes";
  EXPECT_TRUE(alerts_->List(manager_, f)->first.empty());
  f.acknowledged = true;
  EXPECT_EQ(alerts_->List(manager_, f)->first.size(), 1u);
  auto missing = alerts_->Acknowledge(manager_, 999999, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto too_long = alerts_->Acknowledge(manager_, open[0].id, std::string(2001, 'x'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().field, "note");
}

TEST_P(MetricAlertTest, SubscriptionsAreValidatedAndOwnedByTheirUser) {
  auto bad = [&](db::AlertSubscriptionRow s) {
    auto r = alerts_->Subscribe(manager_, s);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().field;
  };
  db::AlertSubscriptionRow s;
  s.email = "not an address";
  EXPECT_EQ(bad(s), "email");
  s.email = "a@b.example\r\nBcc: x@y.example";
  EXPECT_EQ(bad(s), "email");
  s.email = "manager@clinic.example";
  s.location_id = 424242;
  EXPECT_EQ(bad(s), "location_id");
  s.location_id = location_.id;
  s.metric_key = "happiness";
  EXPECT_EQ(bad(s), "metric_key");
  s.metric_key = "";  // every metric
  auto ok = alerts_->Subscribe(manager_, s);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->metric_key, "*");
  EXPECT_EQ(ok->location_name, "Main Street Clinic");
  auto twice = alerts_->Subscribe(manager_, s);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(alerts_->Subscriptions(other_)->size(), 0u);
  // Nobody removes another user's subscription.
  auto foreign = alerts_->Unsubscribe(other_, ok->id);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(alerts_->Unsubscribe(manager_, ok->id).ok());
  EXPECT_EQ(alerts_->Subscriptions(manager_)->size(), 0u);
}

CAREDESK_INSTANTIATE_BACKENDS(MetricAlertTest);

}  // namespace
}  // namespace caredesk
