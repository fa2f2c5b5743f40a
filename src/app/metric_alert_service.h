// Alerts for new special causes on the service metrics, shown on the
// dashboard and emailed to the users who subscribed.
//
// Scan() computes every metric's weekly chart (52 weeks) and monthly chart
// (24 months) at each location, up to the last complete period in the
// location's zone. When the latest period of a chart is a special cause
// (Making Data Count rules: a point beyond a limit, a run of 7 on one side,
// a trend of 7, 2 of 3 near a limit) it is an alert: a new one, emailed to the
// subscribers of that location and metric, unless the period before carried
// the same kind of signal (improvement or concern), in which case the running
// alert is moved on a period and nobody is emailed again. Scanning again is
// harmless: each period is recorded once, and two servers scanning at once
// insert one alert and send each email once (a claimed row per email).
//
// The server scans every hour (`--metric-alert-seconds`) and on demand.
// Alerts carry no patient data; acknowledging and subscribing are audited.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/metrics_service.h"
#include "core/clock.h"
#include "mail/smtp_sender.h"
#include "storage/metric_alert_repository.h"
#include "storage/pool.h"

namespace caredesk {

namespace audit_category {
inline constexpr char kMetrics[] = "metrics";
}

struct MetricAlertOptions {
  // Where staff open CareDesk, for the links in alert emails.
  std::string public_url = "http://127.0.0.1:8080";
  std::string from_name = "CareDesk";
  std::string from_email = "caredesk@localhost";
};

struct AlertScanReport {
  int locations = 0;
  int charts = 0;         // metric charts looked at
  int new_alerts = 0;
  int continued = 0;      // running alerts moved on a period
  int emails_queued = 0;  // one a new alert and subscriber
  int emailed = 0;        // messages sent (one an address, several alerts each)
  int failed = 0;
};

class MetricAlertService {
 public:
  // `mailer` may be null or disabled: alerts are then only shown.
  MetricAlertService(db::Pool& pool, const Clock& clock, AuditLog& audit, MetricsService& metrics,
                     mail::SmtpSender* mailer, MetricAlertOptions options)
      : pool_(pool), clock_(clock), audit_(audit), metrics_(metrics), mailer_(mailer), options_(std::move(options)) {}

  // The periodic scan, then the emails due.
  Result<AlertScanReport> Scan();
  // The same on a user's demand, audited.
  Result<AlertScanReport> ScanNow(const Actor& by);

  // Newest first. Errors: "limit" (1..200), "offset" (negative).
  Result<std::pair<std::vector<db::MetricAlertRow>, int64_t>> List(const Actor& by, db::MetricAlertFilter filter);
  // Error::NotFound for an unknown alert; "note" longer than 2,000 characters.
  Result<db::MetricAlertRow> Acknowledge(const Actor& by, int64_t id, std::string note);

  // The actor's own subscriptions.
  Result<std::vector<db::AlertSubscriptionRow>> Subscriptions(const Actor& by);
  // Errors name "email" (not an address), "location_id" (unknown), "metric_key" (unknown; "*" is every metric);
  // Error::Conflict ("already_subscribed") for a (location, metric) the actor already has.
  Result<db::AlertSubscriptionRow> Subscribe(const Actor& by, db::AlertSubscriptionRow row);
  // Error::NotFound unless the subscription is the actor's.
  Status Unsubscribe(const Actor& by, int64_t id);

 private:
  Status ScanLocation(int64_t location_id, const std::string& time_zone, AlertScanReport& report);
  void SendDueEmails(AlertScanReport& report);
  std::string EmailText(const std::vector<db::MetricAlertRow>& alerts) const;

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  MetricsService& metrics_;
  mail::SmtpSender* mailer_;
  MetricAlertOptions options_;
};

// The first day of the `count` periods of `interval` that end with the one holding `last` (count >= 1).
CivilDate FirstOfPeriods(const CivilDate& last, metrics::Interval interval, int count);

}  // namespace caredesk
