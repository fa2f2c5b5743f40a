// Improvement projects and their PDSA cycles (docs/API.md "Improvement projects").
#include "api/handler_support.h"
#include "app/improvement_service.h"
#include "domain/metrics/service_metrics.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

json::value Nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object CycleJson(const db::PdsaCycleRow& c) {
  return {{"id", c.id},       {"title", c.title},           {"plan", c.plan},
          {"do_notes", c.do_notes}, {"study", c.study},     {"act", c.act},
          {"start_date", c.start_date}, {"end_date", Nullable(c.end_date)}};
}

json::object ProjectJson(const db::ProjectRow& p) {
  json::array cycles;
  for (const auto& c : p.cycles) cycles.push_back(CycleJson(c));
  auto metric = metrics::FindMetric(p.metric_key);
  return {{"id", p.id},
          {"title", p.title},
          {"aim", p.aim},
          {"metric_key", p.metric_key},
          {"metric_name", metric.ok() ? std::string((*metric)->name) : p.metric_key},
          {"location_id", OptionalValue(p.location_id)},
          {"location_name", p.location_id ? json::value(p.location_name) : json::value(nullptr)},
          {"owner", p.owner},
          {"start_date", p.start_date},
          {"end_date", Nullable(p.end_date)},
          {"target", p.target ? json::value(*p.target) : json::value(nullptr)},
          {"status", p.status},
          {"created_at", FormatInstantUtc(FromMillis(p.created_at))},
          {"created_by", p.created_by},
          {"updated_at", FormatInstantUtc(FromMillis(p.updated_at))},
          {"cycles", std::move(cycles)}};
}

Result<std::optional<std::string>> OptionalDate(const JsonBody& b, std::string_view key) {
  CD_ASSIGN_OR_RETURN(auto v, b.String(key));
  if (v && v->empty()) v.reset();
  return v;
}

Result<db::ProjectRow> ProjectFromJson(const JsonBody& b) {
  db::ProjectRow p;
  CD_ASSIGN_OR_RETURN(p.title, b.StringOr("title", ""));
  CD_ASSIGN_OR_RETURN(p.aim, b.StringOr("aim", ""));
  CD_ASSIGN_OR_RETURN(p.metric_key, b.StringOr("metric_key", ""));
  CD_ASSIGN_OR_RETURN(p.location_id, b.Int("location_id"));
  CD_ASSIGN_OR_RETURN(p.owner, b.StringOr("owner", ""));
  CD_ASSIGN_OR_RETURN(p.start_date, b.StringOr("start_date", ""));
  if (p.start_date.empty()) return Error::Invalid("start_date", "start_date is required (YYYY-MM-DD)", "required");
  CD_ASSIGN_OR_RETURN(p.end_date, OptionalDate(b, "end_date"));
  CD_ASSIGN_OR_RETURN(p.target, b.Number("target"));
  CD_ASSIGN_OR_RETURN(p.status, b.StringOr("status", "active"));
  return p;
}

Result<db::PdsaCycleRow> CycleFromJson(const JsonBody& b) {
  db::PdsaCycleRow c;
  CD_ASSIGN_OR_RETURN(c.title, b.StringOr("title", ""));
  CD_ASSIGN_OR_RETURN(c.plan, b.StringOr("plan", ""));
  CD_ASSIGN_OR_RETURN(c.do_notes, b.StringOr("do_notes", ""));
  CD_ASSIGN_OR_RETURN(c.study, b.StringOr("study", ""));
  CD_ASSIGN_OR_RETURN(c.act, b.StringOr("act", ""));
  CD_ASSIGN_OR_RETURN(c.start_date, b.StringOr("start_date", ""));
  if (c.start_date.empty()) return Error::Invalid("start_date", "start_date is required (YYYY-MM-DD)", "required");
  CD_ASSIGN_OR_RETURN(c.end_date, OptionalDate(b, "end_date"));
  return c;
}

}  // namespace

void RegisterImprovementRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/improvement-projects",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               db::ProjectFilter f;
               if (auto v = req.Query("metric_key"); v && !v->empty()) f.metric_key = std::string(*v);
               if (auto v = req.Query("status"); v && !v->empty()) f.status = std::string(*v);
               API_TRY(f.location_id, QueryInt(req, "location_id"));
               API_TRY(auto rows, s.improvement.List(a, f));
               json::array items;
               for (const auto& p : rows) items.push_back(ProjectJson(p));
               return ItemsResponse(std::move(items));
             }));
  router.Add("POST", "/api/v1/improvement-projects",
             Authed(s, Permission::kImprovementWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto row, ProjectFromJson(b));
               API_TRY(auto saved, s.improvement.Create(a, std::move(row)));
               return JsonResponse(201, ProjectJson(saved));
             }));
  router.Add("GET", "/api/v1/improvement-projects/{id}",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto p, s.improvement.Get(a, id));
               return JsonResponse(200, ProjectJson(p));
             }));
  router.Add("PUT", "/api/v1/improvement-projects/{id}",
             Authed(s, Permission::kImprovementWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto row, ProjectFromJson(b));
               API_TRY(auto saved, s.improvement.Update(a, id, std::move(row)));
               return JsonResponse(200, ProjectJson(saved));
             }));
  router.Add("POST", "/api/v1/improvement-projects/{id}/cycles",
             Authed(s, Permission::kImprovementWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto cycle, CycleFromJson(b));
               API_TRY(auto saved, s.improvement.AddCycle(a, id, std::move(cycle)));
               return JsonResponse(201, ProjectJson(saved));
             }));
  router.Add("PUT", "/api/v1/improvement-projects/{id}/cycles/{cid}",
             Authed(s, Permission::kImprovementWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(int64_t cid, PathId(req, "cid"));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto cycle, CycleFromJson(b));
               API_TRY(auto saved, s.improvement.UpdateCycle(a, id, cid, std::move(cycle)));
               return JsonResponse(200, ProjectJson(saved));
             }));
  router.Add("DELETE", "/api/v1/improvement-projects/{id}/cycles/{cid}",
             Authed(s, Permission::kImprovementWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(int64_t cid, PathId(req, "cid"));
               API_TRY(auto saved, s.improvement.DeleteCycle(a, id, cid));
               return JsonResponse(200, ProjectJson(saved));
             }));
}

}  // namespace caredesk::api
