#include "app/metric_alert_service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "domain/security/credentials.h"
#include "domain/spc/making_data_count.h"
#include "mail/mail_message.h"
#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int kMaxSendAttempts = 5;
constexpr int kRecipientBatch = 50;

struct ScanWindow {
  metrics::Interval interval;
  int periods;
};
constexpr ScanWindow kWindows[] = {{metrics::Interval::kWeek, 52}, {metrics::Interval::kMonth, 24}};

std::string Number(std::optional<double> v, std::string_view unit) {
  if (!v) return "no value";
  char buf[64];
  std::snprintf(buf, sizeof buf, std::fabs(*v) >= 100 ? "%.0f" : "%.1f", *v);
  std::string out = buf;
  if (unit == "%") return out + "%";
  return out + " " + std::string(unit);
}

// "concern", "improvement" or "a change" for a point type's name.
std::string KindOf(const std::string& point_type) {
  if (point_type == spc::PointTypeName(spc::PointType::kSpecialCauseConcern)) return "a concern";
  if (point_type == spc::PointTypeName(spc::PointType::kSpecialCauseImprovement)) return "an improvement";
  return "a change";
}

}  // namespace

CivilDate FirstOfPeriods(const CivilDate& last, metrics::Interval interval, int count) {
  CivilDate start = metrics::PeriodStart(last, interval);
  for (int i = 1; i < count; ++i) start = metrics::PeriodStart(start.AddDays(-1), interval);
  return start;
}

Result<AlertScanReport> MetricAlertService::Scan() {
  std::vector<std::pair<int64_t, std::string>> locations;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(auto rs, conn->Query("SELECT id, time_zone FROM locations ORDER BY id"));
    for (size_t i = 0; i < rs.size(); ++i) locations.emplace_back(rs.Int(i, 0), rs.Text(i, 1));
  }
  AlertScanReport report;
  for (const auto& [id, zone] : locations) {
    CD_RETURN_IF_ERROR(ScanLocation(id, zone, report));
    ++report.locations;
  }
  SendDueEmails(report);
  return report;
}

Result<AlertScanReport> MetricAlertService::ScanNow(const Actor& by) {
  CD_ASSIGN_OR_RETURN(auto report, Scan());
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(
      by, "scan", audit_category::kMetrics, std::nullopt, "success",
      "metric alerts: " + std::to_string(report.new_alerts) + " new, " + std::to_string(report.emailed) + " emailed")));
  return report;
}

Status MetricAlertService::ScanLocation(int64_t location_id, const std::string& time_zone, AlertScanReport& report) {
  const CivilDate today = InstantToLocal(clock_.Now(), time_zone).date;
  for (const ScanWindow& w : kWindows) {
    MetricsQuery q;
    q.location_id = location_id;
    q.interval = w.interval;
    q.to = metrics::PeriodStart(today, w.interval).AddDays(-1);  // the last complete period
    q.from = FirstOfPeriods(q.to, w.interval, w.periods);
    CD_ASSIGN_OR_RETURN(auto results, metrics_.ComputeAll(q));
    const std::string period(metrics::IntervalName(w.interval));
    const int64_t now = ToMillis(clock_.Now());
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      for (const MetricResult& r : results) {
        ++report.charts;
        const size_t n = r.series.size();
        if (n < 2 || r.chart.points.size() != n) continue;  // too little data for limits
        const spc::SpcPoint& point = r.chart.points.back();
        if (!point.y || !point.special_cause) continue;
        const std::string key(r.metric->key);
        const std::string this_start = r.series[n - 1].start.ToString();
        const std::string previous_start = r.series[n - 2].start.ToString();
        CD_ASSIGN_OR_RETURN(auto recorded, db::MetricAlertRepository::FindRunning(c, key, location_id, period,
                                                                                   this_start));
        if (recorded) continue;  // scanned before
        const std::string type(spc::PointTypeName(point.point_type));
        CD_ASSIGN_OR_RETURN(auto running, db::MetricAlertRepository::FindRunning(c, key, location_id, period,
                                                                                  previous_start));
        if (running && running->point_type == type) {
          CD_ASSIGN_OR_RETURN(int64_t moved,
                              db::MetricAlertRepository::Continue(c, running->id, previous_start, this_start, now));
          report.continued += static_cast<int>(moved);
          continue;
        }
        db::MetricAlertRow a;
        a.metric_key = key;
        a.location_id = location_id;
        a.period = period;
        a.first_period_start = a.last_period_start = this_start;
        a.special_cause = std::string(spc::SpecialCauseTypeName(point.special_cause_type));
        a.point_type = type;
        a.value = point.y;
        a.centre = point.cl;
        a.lower_limit = point.lcl;
        a.upper_limit = point.ucl;
        a.detected_at = now;
        CD_ASSIGN_OR_RETURN(auto id, db::MetricAlertRepository::Insert(c, a));
        if (!id) continue;  // another server recorded it
        ++report.new_alerts;
        CD_ASSIGN_OR_RETURN(int64_t queued, db::MetricAlertRepository::QueueEmails(c, *id, location_id, key, now));
        report.emails_queued += static_cast<int>(queued);
      }
      return Ok();
    }));
  }
  return Ok();
}

std::string MetricAlertService::EmailText(const std::vector<db::MetricAlertRow>& alerts) const {
  std::string base = options_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string text = alerts.size() == 1 ? "A service metric you follow shows a new signal.\n\n"
                                        : "Service metrics you follow show new signals.\n\n";
  for (const auto& a : alerts) {
    auto metric = metrics::FindMetric(a.metric_key);
    const std::string name = metric.ok() ? std::string((*metric)->name) : a.metric_key;
    const std::string unit = metric.ok() ? std::string((*metric)->unit) : "";
    text += "* " + name + " at " + a.location_name + ", " + a.period + " of " + a.first_period_start +
            ": " + Number(a.value, unit) + "\n";
    text += "  " + a.special_cause + " (centre " + Number(a.centre, unit);
    if (a.lower_limit || a.upper_limit) {
      text += ", limits " + Number(a.lower_limit, unit) + " to " + Number(a.upper_limit, unit);
    }
    text += "): " + KindOf(a.point_type) + ".\n";
    text += "  " + base + "/dashboard/" + a.metric_key + "?location=" + std::to_string(a.location_id) +
            "&interval=" + a.period + "&point=" + a.first_period_start + "\n\n";
  }
  text += "You receive this because you asked CareDesk to email you these alerts. "
          "Change or stop them on the Service metrics page, under \"Alert emails\".\n";
  return text;
}

void MetricAlertService::SendDueEmails(AlertScanReport& report) {
  if (mailer_ == nullptr || !mailer_->enabled()) return;
  const int64_t started = ToMillis(clock_.Now());
  std::vector<std::pair<int64_t, std::string>> recipients;
  {
    auto conn = pool_.Acquire();
    auto rs = db::MetricAlertRepository::DueRecipients(*conn, started, kRecipientBatch);
    if (!rs.ok()) return;
    recipients = std::move(rs).value();
  }
  for (const auto& [user_id, email] : recipients) {
    const int64_t now = ToMillis(clock_.Now());
    const std::string claim = RandomToken(16);
    std::vector<db::AlertEmailRow> owed;
    std::vector<db::MetricAlertRow> alerts;
    {
      auto conn = pool_.Acquire();
      auto claimed = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
        CD_ASSIGN_OR_RETURN(owed, db::MetricAlertRepository::Claim(c, user_id, email, now, claim, now + kHourMs));
        for (const auto& e : owed) {
          CD_ASSIGN_OR_RETURN(auto a, db::MetricAlertRepository::Find(c, e.alert_id));
          if (a) alerts.push_back(std::move(*a));
        }
        return Ok();
      });
      if (!claimed.ok() || owed.empty()) continue;  // another server took them
    }
    mail::MailMessage m;
    m.from = {options_.from_name, options_.from_email};
    m.to = {{"", email}};
    if (alerts.size() == 1) {
      auto metric = metrics::FindMetric(alerts[0].metric_key);
      m.subject = "CareDesk alert: " + (metric.ok() ? std::string((*metric)->name) : alerts[0].metric_key) + " at " +
                  alerts[0].location_name;
    } else {
      m.subject = "CareDesk alerts: " + std::to_string(alerts.size()) + " new signals on the service metrics";
    }
    m.text = EmailText(alerts);
    Status sent = mailer_->Send(m);
    const int64_t at = ToMillis(clock_.Now());
    auto conn = pool_.Acquire();
    if (sent.ok()) {
      if (db::MetricAlertRepository::MarkSent(*conn, claim, at).ok()) ++report.emailed;
      continue;
    }
    ++report.failed;
    const int attempts = 1 + std::max_element(owed.begin(), owed.end(), [](const auto& x, const auto& y) {
                               return x.attempts < y.attempts;
                             })->attempts;
    // Back off 5 minutes, doubling, and give up after kMaxSendAttempts.
    std::optional<int64_t> retry;
    if (attempts < kMaxSendAttempts) retry = at + (5 * kMinuteMs << (attempts - 1));
    (void)db::MetricAlertRepository::MarkFailed(*conn, claim, sent.error().message, retry);
  }
}

Result<std::pair<std::vector<db::MetricAlertRow>, int64_t>> MetricAlertService::List(const Actor& by,
                                                                                     db::MetricAlertFilter filter) {
  (void)by;  // alerts hold no patient data: reading them is not audited
  if (filter.limit < 1 || filter.limit > 200) return Error::Invalid("limit", "must be 1 to 200", "out_of_range");
  if (filter.offset < 0) return Error::Invalid("offset", "must not be negative", "out_of_range");
  if (filter.metric_key) CD_RETURN_IF_ERROR(StatusOf(metrics::FindMetric(*filter.metric_key, "metric_key")));
  auto conn = pool_.Acquire();
  return db::MetricAlertRepository::List(*conn, filter);
}

Result<db::MetricAlertRow> MetricAlertService::Acknowledge(const Actor& by, int64_t id, std::string note) {
  if (note.size() > 2000) return Error::Invalid("note", "at most 2,000 characters", "too_long");
  auto conn = pool_.Acquire();
  std::optional<db::MetricAlertRow> out;
  CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto a, db::MetricAlertRepository::Find(c, id));
    if (!a) return Error::NotFound("no alert with id " + std::to_string(id));
    CD_RETURN_IF_ERROR(db::MetricAlertRepository::Acknowledge(c, id, ToMillis(clock_.Now()), by.username, note));
    CD_ASSIGN_OR_RETURN(out, db::MetricAlertRepository::Find(c, id));
    return audit_.AppendInTx(c, audit_.Make(by, "acknowledge", audit_category::kMetrics, std::nullopt, "success",
                                            "metric alert " + std::to_string(id)));
  }));
  return std::move(*out);
}

Result<std::vector<db::AlertSubscriptionRow>> MetricAlertService::Subscriptions(const Actor& by) {
  auto conn = pool_.Acquire();
  return db::MetricAlertRepository::SubscriptionsOf(*conn, by.user_id);
}

Result<db::AlertSubscriptionRow> MetricAlertService::Subscribe(const Actor& by, db::AlertSubscriptionRow row) {
  if (!mail::IsValidEmail(row.email)) {
    return Error::Invalid("email", "not an email address of the form name@host.example", "invalid_email");
  }
  if (row.metric_key.empty()) row.metric_key = "*";
  if (row.metric_key != "*") CD_RETURN_IF_ERROR(StatusOf(metrics::FindMetric(row.metric_key, "metric_key")));
  auto conn = pool_.Acquire();
  std::optional<db::AlertSubscriptionRow> out;
  CD_RETURN_IF_ERROR(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(c, row.location_id));
    row.user_id = by.user_id;
    row.created_at = ToMillis(clock_.Now());
    CD_ASSIGN_OR_RETURN(auto id, db::MetricAlertRepository::InsertSubscription(c, row));
    if (!id) {
      return Error::Conflict("already_subscribed", "you already have alert emails for this location and metric");
    }
    CD_ASSIGN_OR_RETURN(auto mine, db::MetricAlertRepository::SubscriptionsOf(c, by.user_id));
    for (auto& s : mine) {
      if (s.id == *id) out = std::move(s);
    }
    return audit_.AppendInTx(c, audit_.Make(by, "subscribe", audit_category::kMetrics, std::nullopt, "success",
                                            "metric alert emails " + std::to_string(*id) + " (" + row.metric_key +
                                                ")"));
  }));
  return std::move(*out);
}

Status MetricAlertService::Unsubscribe(const Actor& by, int64_t id) {
  auto conn = pool_.Acquire();
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(int64_t n, db::MetricAlertRepository::DeleteSubscription(c, id, by.user_id));
    if (n == 0) return Error::NotFound("you have no alert subscription with id " + std::to_string(id));
    return audit_.AppendInTx(c, audit_.Make(by, "unsubscribe", audit_category::kMetrics, std::nullopt, "success",
                                            "metric alert emails " + std::to_string(id)));
  });
}

}  // namespace caredesk
