// Alerts for new special causes on the service metrics and the email
// subscriptions to them (docs/API.md "Metric alerts").
#include "api/handler_support.h"
#include "app/metric_alert_service.h"
#include "domain/metrics/service_metrics.h"
#include "domain/spc/making_data_count.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

json::value OptNumber(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object AlertJson(const db::MetricAlertRow& a) {
  auto metric = metrics::FindMetric(a.metric_key);
  return {{"id", a.id},
          {"metric_key", a.metric_key},
          {"metric_name", metric.ok() ? std::string((*metric)->name) : a.metric_key},
          {"unit", metric.ok() ? std::string((*metric)->unit) : std::string()},
          {"improvement", metric.ok() ? spc::ImprovementName((*metric)->improvement) : "neutral"},
          {"location_id", a.location_id},
          {"location_name", a.location_name},
          {"interval", a.period},
          {"first_period_start", a.first_period_start},
          {"last_period_start", a.last_period_start},
          {"periods", a.periods},
          {"special_cause", a.special_cause},
          {"point_type", a.point_type},
          {"value", OptNumber(a.value)},
          {"centre", OptNumber(a.centre)},
          {"lower_limit", OptNumber(a.lower_limit)},
          {"upper_limit", OptNumber(a.upper_limit)},
          {"detected_at", FormatInstantUtc(FromMillis(a.detected_at))},
          {"updated_at", FormatInstantUtc(FromMillis(a.updated_at))},
          {"acknowledged_at",
           OptionalInstant(a.acknowledged_at)},
          {"acknowledged_by", a.acknowledged_by ? json::value(*a.acknowledged_by) : json::value(nullptr)},
          {"note", a.note}};
}

json::object SubscriptionJson(const db::AlertSubscriptionRow& s) {
  auto metric = metrics::FindMetric(s.metric_key);
  return {{"id", s.id},
          {"location_id", OptionalValue(s.location_id)},
          {"location_name", s.location_id ? json::value(s.location_name) : json::value(nullptr)},
          {"metric_key", s.metric_key},
          {"metric_name", s.metric_key == "*" ? std::string("Every metric")
                                               : (metric.ok() ? std::string((*metric)->name) : s.metric_key)},
          {"email", s.email},
          {"created_at", FormatInstantUtc(FromMillis(s.created_at))}};
}

json::object ReportJson(const AlertScanReport& r) {
  return {{"locations", r.locations}, {"charts", r.charts},       {"new_alerts", r.new_alerts},
          {"continued", r.continued}, {"emails_queued", r.emails_queued}, {"emailed", r.emailed},
          {"failed", r.failed}};
}

}  // namespace

void RegisterMetricAlertRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/metrics/alerts",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               db::MetricAlertFilter f;
               API_TRY(f.location_id, QueryInt(req, "location_id"));
               if (auto v = req.Query("metric_key"); v && !v->empty()) f.metric_key = std::string(*v);
               const std::string status(req.Query("status").value_or("open"));
               if (status == "open") {
                 f.acknowledged = false;
               } else if (status == "acknowledged") {
                 f.acknowledged = true;
               } else if (status != "all") {
                 return Fail(Error::Invalid("status", "status is open, acknowledged or all", "invalid_status"));
               }
               API_TRY(Page page, QueryPage(req, 50, 200));
               f.limit = page.limit;
               f.offset = page.offset;
               API_TRY(auto result, s.metric_alerts.List(a, f));
               json::array items;
               for (const auto& row : result.first) items.push_back(AlertJson(row));
               return JsonResponse(200, json::object{{"items", std::move(items)}, {"total", result.second}});
             }));
  router.Add("POST", "/api/v1/metrics/alerts/scan",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request&, const Actor& a) {
               API_TRY(auto report, s.metric_alerts.ScanNow(a));
               return JsonResponse(200, ReportJson(report));
             }));
  router.Add("POST", "/api/v1/metrics/alerts/{id}/acknowledge",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               std::string note;
               if (!req.body.empty()) {
                 API_TRY(JsonBody b, JsonBody::Parse(req.body));
                 API_TRY(note, b.StringOr("note", ""));
               }
               API_TRY(auto row, s.metric_alerts.Acknowledge(a, id, std::move(note)));
               return JsonResponse(200, AlertJson(row));
             }));
  router.Add("GET", "/api/v1/metrics/alert-subscriptions",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request&, const Actor& a) {
               API_TRY(auto rows, s.metric_alerts.Subscriptions(a));
               json::array items;
               for (const auto& row : rows) items.push_back(SubscriptionJson(row));
               return ItemsResponse(std::move(items));
             }));
  router.Add("POST", "/api/v1/metrics/alert-subscriptions",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               db::AlertSubscriptionRow row;
               API_TRY(row.location_id, b.Int("location_id"));
               API_TRY(row.metric_key, b.StringOr("metric_key", "*"));
               API_TRY(row.email, b.StringOr("email", ""));
               API_TRY(auto saved, s.metric_alerts.Subscribe(a, std::move(row)));
               return JsonResponse(201, SubscriptionJson(saved));
             }));
  router.Add("DELETE", "/api/v1/metrics/alert-subscriptions/{id}",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_CHECK(s.metric_alerts.Unsubscribe(a, id));
               return http::Response::NoContent();
             }));
}

}  // namespace caredesk::api
