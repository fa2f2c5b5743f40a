// Service metrics with their SPC charts: the manager's dashboard.
#include "api/codecs.h"
#include "api/handler_support.h"
#include "app/improvement_service.h"
#include "app/metrics_service.h"
#include "app/schedule_service.h"
#include "domain/spc/making_data_count.h"
#include "render/xlsx_workbook.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

Result<MetricsQuery> ParseQuery(const http::Request& req, Services& s) {
  MetricsQuery q;
  CD_ASSIGN_OR_RETURN(q.location_id, QueryInt(req, "location_id"));
  CD_ASSIGN_OR_RETURN(q.provider_id, QueryInt(req, "provider_id"));
  CD_ASSIGN_OR_RETURN(q.department, QueryDepartment(req));
  CD_ASSIGN_OR_RETURN(q.appointment_type_id, QueryInt(req, "appointment_type_id"));
  CD_ASSIGN_OR_RETURN(q.interval, metrics::ParseInterval(req.Query("interval").value_or("week")));
  // Default period: the 26 weeks up to today at the location (UTC for all).
  std::string tz = "UTC";
  if (q.location_id) {
    auto loc = s.schedule.GetLocation(*q.location_id);
    if (!loc.ok()) return Error::Invalid("location_id", "no location with id " + std::to_string(*q.location_id),
                                         "unknown_location");
    tz = loc->time_zone;
  }
  q.to = InstantToLocal(s.clock.Now(), tz).date;
  if (auto v = req.Query("to"); v && !v->empty()) {
    CD_ASSIGN_OR_RETURN(q.to, ParseCivilDate(*v, "to"));
  }
  q.from = q.to.AddDays(-26 * 7 + 1);
  if (auto v = req.Query("from"); v && !v->empty()) {
    CD_ASSIGN_OR_RETURN(q.from, ParseCivilDate(*v, "from"));
  }
  return q;
}

json::value Nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

// The improvement projects drawn on a metric's chart.
json::array ProjectsJson(const std::vector<db::ProjectRow>& projects, std::string_view key) {
  json::array out;
  for (const auto& p : projects) {
    if (p.metric_key != key) continue;
    json::array cycles;
    for (const auto& c : p.cycles) {
      cycles.push_back(json::object{
          {"id", c.id}, {"title", c.title}, {"start_date", c.start_date}, {"end_date", Nullable(c.end_date)}});
    }
    out.push_back(json::object{{"id", p.id},
                               {"title", p.title},
                               {"aim", p.aim},
                               {"start_date", p.start_date},
                               {"end_date", Nullable(p.end_date)},
                               {"target", p.target ? json::value(*p.target) : json::value(nullptr)},
                               {"status", p.status},
                               {"cycles", std::move(cycles)}});
  }
  return out;
}

json::object MetricJson(const MetricResult& r, const std::vector<db::ProjectRow>& projects) {
  const auto& m = *r.metric;
  json::array series;
  for (const auto& p : r.series) {
    auto v = p.value(m.multiply);
    series.push_back(json::object{{"start", p.start.ToString()},
                                  {"numerator", p.numerator},
                                  {"denominator", p.denominator},
                                  {"value", v ? json::value(*v) : json::value(nullptr)}});
  }
  // The Making Data Count summary: the latest point's value and variation.
  json::value latest = nullptr, variation = nullptr;
  for (auto it = r.chart.points.rbegin(); it != r.chart.points.rend(); ++it) {
    if (!it->y) continue;
    latest = *it->y;
    variation = spc::PointTypeName(it->point_type);
    break;
  }
  bool has_limits = !r.chart.points.empty();
  return {{"key", m.key},
          {"name", m.name},
          {"unit", m.unit},
          {"group", m.group},
          {"definition", m.definition},
          {"improvement", spc::ImprovementName(m.improvement)},
          {"series", std::move(series)},
          {"chart", has_limits ? json::value(EncodeChart(r.chart)) : json::value(nullptr)},
          {"latest", latest},
          {"variation", variation},
          {"assurance", r.chart.assurance ? json::value(spc::AssuranceName(*r.chart.assurance)) : json::value(nullptr)},
          {"projects", ProjectsJson(projects, m.key)}};
}

// The dashboard as a workbook: a summary sheet, then one sheet per metric with its series and SPC lines.
Result<std::string> DashboardWorkbook(const std::vector<MetricResult>& results, const MetricsQuery& q,
                                      const std::string& place) {
  using render::XlsxCell;
  auto num = [](const std::optional<double>& v) -> XlsxCell { return v ? XlsxCell(*v) : XlsxCell(); };
  std::vector<std::string> taken;
  std::vector<render::XlsxSheet> sheets;
  render::XlsxSheet summary;
  summary.name = render::SheetName("Summary", taken);
  summary.header = {"Metric", "Unit", "Latest", "Variation", "Assurance", "Improvement", "Definition"};
  summary.widths = {30, 16, 10, 34, 20, 12, 80};
  for (const auto& r : results) {
    const auto& m = *r.metric;
    XlsxCell latest, variation;
    for (auto it = r.chart.points.rbegin(); it != r.chart.points.rend(); ++it) {
      if (!it->y) continue;
      latest = *it->y;
      variation = std::string(spc::PointTypeName(it->point_type));
      break;
    }
    summary.rows.push_back({std::string(m.name), std::string(m.unit), latest, variation,
                            r.chart.assurance ? XlsxCell(std::string(spc::AssuranceName(*r.chart.assurance)))
                                              : XlsxCell(),
                            std::string(spc::ImprovementName(m.improvement)), std::string(m.definition)});
  }
  summary.rows.push_back({});
  summary.rows.push_back({std::string("Place"), place});
  summary.rows.push_back({std::string("Period"), q.from.ToString() + " to " + q.to.ToString() + ", by " +
                                                     std::string(metrics::IntervalName(q.interval))});
  sheets.push_back(std::move(summary));
  for (const auto& r : results) {
    const auto& m = *r.metric;
    render::XlsxSheet s;
    s.name = render::SheetName(m.name, taken);
    s.header = {"Period starting", "Numerator", "Denominator", "Value (" + std::string(m.unit) + ")", "Centre line",
                "Lower limit", "Upper limit", "Special cause"};
    const bool charted = r.chart.points.size() == r.series.size();
    for (size_t i = 0; i < r.series.size(); ++i) {
      const auto& p = r.series[i];
      std::vector<XlsxCell> row{p.start.ToString(), p.numerator, p.denominator, num(p.value(m.multiply))};
      if (charted) {
        const auto& pt = r.chart.points[i];
        row.push_back(num(pt.cl));
        row.push_back(num(pt.lcl));
        row.push_back(num(pt.ucl));
        row.push_back(pt.special_cause ? XlsxCell(std::string(spc::SpecialCauseTypeName(pt.special_cause_type)))
                                       : XlsxCell());
      }
      s.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(s));
  }
  return render::XlsxWorkbook(sheets);
}

json::object Envelope(const MetricsQuery& q) {
  return {{"interval", metrics::IntervalName(q.interval)},
          {"from", q.from.ToString()},
          {"to", q.to.ToString()},
          {"location_id", q.location_id ? json::value(*q.location_id) : json::value(nullptr)},
          {"provider_id", q.provider_id ? json::value(*q.provider_id) : json::value(nullptr)},
          {"department", q.department ? json::value(*q.department) : json::value(nullptr)},
          {"appointment_type_id", q.appointment_type_id ? json::value(*q.appointment_type_id) : json::value(nullptr)}};
}

}  // namespace

void RegisterMetricsRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/metrics", Authed(s, Permission::kAnalyticsRead, [](http::Request&, const Actor&) {
               json::array items;
               for (const auto& m : metrics::AllMetrics()) {
                 items.push_back(json::object{{"key", m.key},
                                              {"name", m.name},
                                              {"unit", m.unit},
                                              {"group", m.group},
                                              {"definition", m.definition},
                                              {"chart", spc::ChartTypeName(m.chart)},
                                              {"improvement", spc::ImprovementName(m.improvement)}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("GET", "/api/v1/metrics/dashboard",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(MetricsQuery q, ParseQuery(req, s));
               API_TRY(auto results, s.metrics.Dashboard(a, q));
               API_TRY(auto projects, s.improvement.ForChart(std::nullopt, q.location_id, q.from, q.to));
               json::object out = Envelope(q);
               json::array items;
               for (const auto& r : results) items.push_back(MetricJson(r, projects));
               out["metrics"] = std::move(items);
               return JsonResponse(200, out);
             }));
  router.Add("GET", "/api/v1/metrics/dashboard.xlsx",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(MetricsQuery q, ParseQuery(req, s));
               API_TRY(auto results, s.metrics.Dashboard(a, q));
               std::string place = "All locations";
               if (q.location_id) {
                 auto loc = s.schedule.GetLocation(*q.location_id);
                 if (loc.ok()) place = loc->name;
               }
               if (q.department) place += ", " + *q.department;
               API_TRY(std::string bytes, DashboardWorkbook(results, q, place));
               http::Response r;
               r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
               r.body = std::move(bytes);
               r.headers.emplace_back("Content-Disposition", "attachment; filename=\"caredesk-metrics-" +
                                                                 q.from.ToString() + "-to-" + q.to.ToString() +
                                                                 ".xlsx\"");
               return r;
             }));
  router.Add("GET", "/api/v1/metrics/{key}/records",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(const metrics::MetricDefinition* m, metrics::FindMetric(req.PathParam("key"), "key"));
               RecordsQuery q;
               API_TRY(auto location, QueryInt(req, "location_id"));
               if (!location) {
                 return Fail(Error::Invalid("location_id", "choose a location to see the records behind a point",
                                            "required"));
               }
               q.location_id = *location;
               API_TRY(q.provider_id, QueryInt(req, "provider_id"));
               API_TRY(q.department, QueryDepartment(req));
               API_TRY(q.appointment_type_id, QueryInt(req, "appointment_type_id"));
               API_TRY(q.interval, metrics::ParseInterval(req.Query("interval").value_or("week")));
               auto start = req.Query("period_start");
               if (!start || start->empty()) {
                 return Fail(Error::Invalid("period_start", "period_start is required (YYYY-MM-DD)", "required"));
               }
               API_TRY(q.period_start, ParseCivilDate(*start, "period_start"));
               API_TRY(Page page, QueryPage(req, 50, 200));
               q.limit = page.limit;
               q.offset = page.offset;
               API_TRY(MetricRecords r, s.metrics.Records(a, *m, q));
               json::array items;
               for (const auto& x : r.items) {
                 items.push_back(json::object{
                     {"id", x.id},
                     {"at", FormatInstant(FromMillis(x.at), r.time_zone)},
                     {"patient_id", OptionalValue(x.patient_id)},
                     {"patient_name", x.patient_name},
                     {"provider_name", x.provider_name},
                     {"status", x.status},
                     {"in_numerator", x.in_numerator},
                     {"value", x.value ? json::value(*x.value) : json::value(nullptr)},
                     {"link", x.link.empty() ? json::value(nullptr) : json::value(x.link)}});
               }
               return JsonResponse(200, json::object{{"metric", m->key},
                                                     {"kind", r.kind},
                                                     {"period_start", r.period_start.ToString()},
                                                     {"period_end", r.period_end.ToString()},
                                                     {"numerator_label", r.numerator_label},
                                                     {"items", std::move(items)},
                                                     {"total", r.total}});
             }));
  router.Add("GET", "/api/v1/metrics/{key}", Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(const metrics::MetricDefinition* m, metrics::FindMetric(req.PathParam("key"), "key"));
               API_TRY(MetricsQuery q, ParseQuery(req, s));
               API_TRY(MetricResult r, s.metrics.Compute(a, *m, q));
               API_TRY(auto projects, s.improvement.ForChart(std::string(m->key), q.location_id, q.from, q.to));
               json::object out = Envelope(q);
               out["metric"] = MetricJson(r, projects);
               return JsonResponse(200, out);
             }));
}

}  // namespace caredesk::api
