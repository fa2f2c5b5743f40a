#include "storage/metric_alert_repository.h"

namespace caredesk::db {
namespace {

constexpr char kColumns[] =
    "a.id, a.metric_key, a.location_id, a.period, a.first_period_start, a.last_period_start, a.periods, "
    "a.special_cause, a.point_type, a.value, a.centre, a.lower_limit, a.upper_limit, a.detected_at, a.updated_at, "
    "a.acknowledged_at, a.acknowledged_by, a.note, l.name, l.time_zone";
constexpr char kFrom[] = " FROM metric_alerts a JOIN locations l ON l.id = a.location_id";

std::optional<double> OptDouble(const RowRef& r, int c) {
  if (r.IsNull(c)) return std::nullopt;
  return r.Double(c);
}

MetricAlertRow ReadAlert(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  MetricAlertRow a;
  a.id = r.Int(0);
  a.metric_key = r.Text(1);
  a.location_id = r.Int(2);
  a.period = r.Text(3);
  a.first_period_start = r.Text(4);
  a.last_period_start = r.Text(5);
  a.periods = static_cast<int>(r.Int(6));
  a.special_cause = r.Text(7);
  a.point_type = r.Text(8);
  a.value = OptDouble(r, 9);
  a.centre = OptDouble(r, 10);
  a.lower_limit = OptDouble(r, 11);
  a.upper_limit = OptDouble(r, 12);
  a.detected_at = r.Int(13);
  a.updated_at = r.Int(14);
  a.acknowledged_at = r.OptInt(15);
  a.acknowledged_by = r.OptText(16);
  a.note = r.Text(17);
  a.location_name = r.Text(18);
  a.time_zone = r.Text(19);
  return a;
}

}  // namespace

Result<std::optional<MetricAlertRow>> MetricAlertRepository::FindRunning(Connection& c, const std::string& metric_key,
                                                                         int64_t location_id, const std::string& period,
                                                                         const std::string& last_period_start) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + kFrom +
                                                " WHERE a.metric_key = $1 AND a.location_id = $2 AND a.period = $3 "
                                                "AND a.last_period_start = $4 ORDER BY a.id DESC LIMIT 1",
                                            {metric_key, location_id, period, last_period_start}));
  if (rs.empty()) return std::optional<MetricAlertRow>();
  return std::optional<MetricAlertRow>(ReadAlert(rs, 0));
}

Result<std::optional<int64_t>> MetricAlertRepository::Insert(Connection& c, const MetricAlertRow& a) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("INSERT INTO metric_alerts (metric_key, location_id, period, first_period_start, last_period_start, "
              "periods, special_cause, point_type, value, centre, lower_limit, upper_limit, detected_at, updated_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) "
              "ON CONFLICT (metric_key, location_id, period, first_period_start) DO NOTHING RETURNING id",
              {a.metric_key, a.location_id, a.period, a.first_period_start, a.last_period_start, a.periods,
               a.special_cause, a.point_type, a.value, a.centre, a.lower_limit, a.upper_limit, a.detected_at}));
  if (rs.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rs.Int(0, 0));
}

Result<int64_t> MetricAlertRepository::Continue(Connection& c, int64_t id, const std::string& previous_last,
                                                const std::string& period_start, int64_t now) {
  return c.Exec("UPDATE metric_alerts SET last_period_start = $3, periods = periods + 1, updated_at = $4 "
                "WHERE id = $1 AND last_period_start = $2",
                {id, previous_last, period_start, now});
}

Result<std::optional<MetricAlertRow>> MetricAlertRepository::Find(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + kFrom + " WHERE a.id = $1", {id}));
  if (rs.empty()) return std::optional<MetricAlertRow>();
  return std::optional<MetricAlertRow>(ReadAlert(rs, 0));
}

Result<std::pair<std::vector<MetricAlertRow>, int64_t>> MetricAlertRepository::List(Connection& c,
                                                                                    const MetricAlertFilter& f) {
  const std::string where =
      " WHERE (CAST($1 AS BIGINT) IS NULL OR a.location_id = $1) AND (CAST($2 AS TEXT) IS NULL OR a.metric_key = $2) "
      "AND (CAST($3 AS BIGINT) IS NULL OR ($3 = 1) = (a.acknowledged_at IS NOT NULL))";
  std::optional<int64_t> ack;
  if (f.acknowledged) ack = *f.acknowledged ? 1 : 0;
  CD_ASSIGN_OR_RETURN(ResultSet total,
                      c.Query(std::string("SELECT COUNT(*)") + kFrom + where, {f.location_id, f.metric_key, ack}));
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + kFrom + where +
                                                " ORDER BY a.updated_at DESC, a.id DESC LIMIT $4 OFFSET $5",
                                            {f.location_id, f.metric_key, ack, f.limit, f.offset}));
  std::vector<MetricAlertRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadAlert(rs, i));
  return std::make_pair(std::move(out), total.Int(0, 0));
}

Status MetricAlertRepository::Acknowledge(Connection& c, int64_t id, int64_t at, const std::string& by,
                                          const std::string& note) {
  return StatusOf(c.Exec("UPDATE metric_alerts SET acknowledged_at = $2, acknowledged_by = $3, note = $4 WHERE id = $1",
                         {id, at, by, note}));
}

Result<std::vector<AlertSubscriptionRow>> MetricAlertRepository::SubscriptionsOf(Connection& c, int64_t user_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("SELECT s.id, s.user_id, s.location_id, s.metric_key, s.email, s.created_at, "
                              "COALESCE(l.name, '') FROM metric_alert_subscriptions s "
                              "LEFT JOIN locations l ON l.id = s.location_id WHERE s.user_id = $1 ORDER BY s.id",
                              {user_id}));
  std::vector<AlertSubscriptionRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    AlertSubscriptionRow s;
    s.id = r.Int(0);
    s.user_id = r.Int(1);
    s.location_id = r.OptInt(2);
    s.metric_key = r.Text(3);
    s.email = r.Text(4);
    s.created_at = r.Int(5);
    s.location_name = r.Text(6);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::optional<int64_t>> MetricAlertRepository::InsertSubscription(Connection& c,
                                                                          const AlertSubscriptionRow& s) {
  auto rs = c.Query("INSERT INTO metric_alert_subscriptions (user_id, location_id, metric_key, email, created_at) "
                    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    {s.user_id, s.location_id, s.metric_key, s.email, s.created_at});
  if (!rs.ok()) {
    if (IsUniqueViolation(rs.error())) return std::optional<int64_t>();
    return std::move(rs).error();
  }
  return std::optional<int64_t>(rs->Int(0, 0));
}

Result<int64_t> MetricAlertRepository::DeleteSubscription(Connection& c, int64_t id, int64_t user_id) {
  return c.Exec("DELETE FROM metric_alert_subscriptions WHERE id = $1 AND user_id = $2", {id, user_id});
}

Result<int64_t> MetricAlertRepository::QueueEmails(Connection& c, int64_t alert_id, int64_t location_id,
                                                   const std::string& metric_key, int64_t now) {
  // One row a user (the lowest-numbered matching subscription's address) and alert.
  return c.Exec(
      "INSERT INTO metric_alert_emails (alert_id, user_id, email, status, next_attempt_at) "
      "SELECT $1, s.user_id, s.email, 'pending', $4 FROM metric_alert_subscriptions s "
      "JOIN users u ON u.id = s.user_id "
      "WHERE u.active = 1 AND (s.location_id IS NULL OR s.location_id = $2) AND (s.metric_key = '*' OR s.metric_key = $3) "
      "AND s.id = (SELECT MIN(t.id) FROM metric_alert_subscriptions t WHERE t.user_id = s.user_id "
      "AND (t.location_id IS NULL OR t.location_id = $2) AND (t.metric_key = '*' OR t.metric_key = $3)) "
      "ON CONFLICT (alert_id, user_id) DO NOTHING",
      {alert_id, location_id, metric_key, now});
}

Result<std::vector<std::pair<int64_t, std::string>>> MetricAlertRepository::DueRecipients(Connection& c, int64_t now,
                                                                                          int limit) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT DISTINCT user_id, email FROM metric_alert_emails "
                                            "WHERE next_attempt_at <= $1 AND status = 'pending' "
                                            "ORDER BY user_id, email LIMIT $2",
                                            {now, limit}));
  std::vector<std::pair<int64_t, std::string>> out;
  for (size_t i = 0; i < rs.size(); ++i) out.emplace_back(rs.Int(i, 0), rs.Text(i, 1));
  return out;
}

Result<std::vector<AlertEmailRow>> MetricAlertRepository::Claim(Connection& c, int64_t user_id,
                                                                const std::string& email, int64_t now,
                                                                const std::string& claim, int64_t hold_until) {
  CD_RETURN_IF_ERROR(StatusOf(c.Exec("UPDATE metric_alert_emails SET claim = $4, next_attempt_at = $5 "
                                     "WHERE user_id = $1 AND email = $2 AND status = 'pending' "
                                     "AND next_attempt_at <= $3",
                                     {user_id, email, now, claim, hold_until})));
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT alert_id, user_id, email, attempts FROM metric_alert_emails "
                                            "WHERE claim = $1 AND status = 'pending' ORDER BY alert_id",
                                            {claim}));
  std::vector<AlertEmailRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back({rs.Int(i, 0), rs.Int(i, 1), rs.Text(i, 2), static_cast<int>(rs.Int(i, 3))});
  }
  return out;
}

Status MetricAlertRepository::MarkSent(Connection& c, const std::string& claim, int64_t at) {
  return StatusOf(c.Exec("UPDATE metric_alert_emails SET status = 'sent', sent_at = $2, next_attempt_at = NULL, "
                         "attempts = attempts + 1, last_error = '' WHERE claim = $1 AND status = 'pending'",
                         {claim, at}));
}

Status MetricAlertRepository::MarkFailed(Connection& c, const std::string& claim, const std::string& error,
                                         std::optional<int64_t> retry_at) {
  return StatusOf(c.Exec("UPDATE metric_alert_emails SET attempts = attempts + 1, last_error = $2, "
                         "next_attempt_at = $3, status = CASE WHEN CAST($3 AS BIGINT) IS NULL THEN 'failed' "
                         "ELSE 'pending' END WHERE claim = $1 AND status = 'pending'",
                         {claim, error, retry_at}));
}

}  // namespace caredesk::db
