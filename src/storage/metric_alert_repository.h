// Alerts for new special causes on the service metrics, their email
// subscriptions and the emails owed (migration 0012). Thread-compatible:
// static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct MetricAlertRow {
  int64_t id = 0;
  std::string metric_key;
  int64_t location_id = 0;
  std::string period;  // week | month
  std::string first_period_start, last_period_start;
  int periods = 1;
  std::string special_cause;
  std::string point_type;
  std::optional<double> value, centre, lower_limit, upper_limit;
  int64_t detected_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::string note;
  // Joined for display.
  std::string location_name;
  std::string time_zone;
};

struct MetricAlertFilter {
  std::optional<int64_t> location_id;
  std::optional<std::string> metric_key;
  std::optional<bool> acknowledged;  // none: both
  int limit = 50;
  int offset = 0;
};

struct AlertSubscriptionRow {
  int64_t id = 0;
  int64_t user_id = 0;
  std::optional<int64_t> location_id;  // none: every location
  std::string metric_key;              // "*": every metric
  std::string email;
  int64_t created_at = 0;
  std::string location_name;  // joined; empty for every location
};

// An email owed to one subscriber about one alert.
struct AlertEmailRow {
  int64_t alert_id = 0;
  int64_t user_id = 0;
  std::string email;
  int attempts = 0;
};

class MetricAlertRepository {
 public:
  // The episode of (metric, location, period) whose last period is `last_period_start`, if any.
  static Result<std::optional<MetricAlertRow>> FindRunning(Connection& c, const std::string& metric_key,
                                                           int64_t location_id, const std::string& period,
                                                           const std::string& last_period_start);
  // Inserts a new episode; nullopt when another scan inserted it first.
  static Result<std::optional<int64_t>> Insert(Connection& c, const MetricAlertRow& row);
  // Moves a running episode on to `period_start` (once: only from `previous_last`). Rows changed: 0 or 1.
  static Result<int64_t> Continue(Connection& c, int64_t id, const std::string& previous_last,
                                  const std::string& period_start, int64_t now);
  static Result<std::optional<MetricAlertRow>> Find(Connection& c, int64_t id);
  static Result<std::pair<std::vector<MetricAlertRow>, int64_t>> List(Connection& c, const MetricAlertFilter& f);
  static Status Acknowledge(Connection& c, int64_t id, int64_t at, const std::string& by, const std::string& note);

  static Result<std::vector<AlertSubscriptionRow>> SubscriptionsOf(Connection& c, int64_t user_id);
  // nullopt when the user already has this (location, metric) subscription.
  static Result<std::optional<int64_t>> InsertSubscription(Connection& c, const AlertSubscriptionRow& row);
  // Rows deleted: 0 when the subscription is not the user's.
  static Result<int64_t> DeleteSubscription(Connection& c, int64_t id, int64_t user_id);

  // Owes an email about `alert_id` to every active subscriber of its location and metric, due at `now`.
  // Returns how many were queued.
  static Result<int64_t> QueueEmails(Connection& c, int64_t alert_id, int64_t location_id,
                                     const std::string& metric_key, int64_t now);
  // The addresses with emails due at `now`.
  static Result<std::vector<std::pair<int64_t, std::string>>> DueRecipients(Connection& c, int64_t now, int limit);
  // Claims the emails due to (user, email) with `claim` and holds them until `hold_until`; returns what was claimed.
  static Result<std::vector<AlertEmailRow>> Claim(Connection& c, int64_t user_id, const std::string& email,
                                                  int64_t now, const std::string& claim, int64_t hold_until);
  static Status MarkSent(Connection& c, const std::string& claim, int64_t at);
  // A failed send: retried at `retry_at`, or given up ("failed") when none.
  static Status MarkFailed(Connection& c, const std::string& claim, const std::string& error,
                           std::optional<int64_t> retry_at);
};

}  // namespace caredesk::db
