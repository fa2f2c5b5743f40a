// Analytics: POST /api/v1/analytics/spc computes a statistical process
// control chart from the numbers sent (no patient data is read, so nothing is
// audited beyond the usual access checks).
#include <string>
#include <vector>

#include "api/codecs.h"
#include "api/handler_support.h"
#include "domain/spc/spc_chart.h"

namespace caredesk::api {
namespace {

namespace json = boost::json;

std::string ChartTypeList() {
  std::string out;
  for (auto c : {spc::ChartType::kRun, spc::ChartType::kI, spc::ChartType::kMr, spc::ChartType::kXmr,
                 spc::ChartType::kP, spc::ChartType::kU, spc::ChartType::kC, spc::ChartType::kXbar,
                 spc::ChartType::kS, spc::ChartType::kT}) {
    if (!out.empty()) out += ", ";
    out += spc::ChartTypeName(c);
  }
  return out;
}

Result<std::vector<int>> PositionList(const JsonBody& body, std::string_view key) {
  CD_ASSIGN_OR_RETURN(auto ids, body.IntList(key));
  std::vector<int> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 1 || ids[i] > static_cast<int64_t>(spc::kMaxObservations)) {
      return Error::Invalid(body.FieldName(key) + "[" + std::to_string(i) + "]",
                            "positions are 1-based point numbers");
    }
    out.push_back(static_cast<int>(ids[i]));
  }
  return out;
}

Result<spc::SpcInput> DecodeSpcInput(const JsonBody& body) {
  spc::SpcInput in;
  CD_ASSIGN_OR_RETURN(std::string chart, body.RequiredString("chart"));
  auto type = spc::ParseChartType(chart);
  if (!type) return Error::Invalid("chart", "chart must be one of " + ChartTypeList());
  in.chart = *type;
  if (!body.Has("values")) return Error::Invalid("values", "values (an array of numbers) is required", "required");
  CD_ASSIGN_OR_RETURN(in.values, body.NumberList("values"));
  CD_ASSIGN_OR_RETURN(in.n, body.NumberList("n"));
  CD_ASSIGN_OR_RETURN(in.subgroup, body.StringList("subgroup"));
  CD_ASSIGN_OR_RETURN(auto freeze, body.Int("freeze"));
  if (freeze) {
    if (*freeze < 1 || *freeze > static_cast<int64_t>(spc::kMaxObservations)) {
      return Error::Invalid("freeze", "freeze is the number of baseline points, at least 1");
    }
    in.freeze = static_cast<int>(*freeze);
  }
  CD_ASSIGN_OR_RETURN(in.exclude, PositionList(body, "exclude"));
  CD_ASSIGN_OR_RETURN(in.parts, PositionList(body, "parts"));
  CD_ASSIGN_OR_RETURN(auto multiply, body.Number("multiply"));
  if (multiply) in.multiply = *multiply;
  CD_ASSIGN_OR_RETURN(auto screen, body.Bool("screen_outliers"));
  if (screen) in.screen_outliers = *screen;
  CD_ASSIGN_OR_RETURN(auto ordered, body.Bool("time_ordered"));
  if (ordered) in.time_ordered = *ordered;
  CD_ASSIGN_OR_RETURN(auto improvement, body.String("improvement"));
  if (improvement) {
    auto parsed = spc::ParseImprovement(*improvement);
    if (!parsed) return Error::Invalid("improvement", "improvement must be increase, decrease or neutral");
    in.improvement = *parsed;
  }
  CD_ASSIGN_OR_RETURN(in.target, body.Number("target"));
  return in;
}

json::value Optional(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value Optional(const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); }


}  // namespace

static json::object EncodeRuns(const spc::RunsAnalysis& r) {
  return {{"runs_signal", r.runs_signal},
          {"longest_run", Optional(r.longest_run)},
          {"longest_run_max", Optional(r.longest_run_max)},
          {"n_crossings", Optional(r.n_crossings)},
          {"n_crossings_min", Optional(r.n_crossings_min)},
          {"n_obs", r.n_obs},
          {"n_useful", r.n_useful}};
}

json::object EncodeChart(const spc::SpcChart& chart) {
  json::array points;
  points.reserve(chart.points.size());
  for (const auto& p : chart.points) {
    points.push_back(json::object{{"subgroup", p.subgroup},
                                  {"part", p.part},
                                  {"baseline", p.baseline},
                                  {"included", p.included},
                                  {"y", Optional(p.y)},
                                  {"cl", Optional(p.cl)},
                                  {"lcl", Optional(p.lcl)},
                                  {"ucl", Optional(p.ucl)},
                                  {"sigma_signal", p.sigma_signal},
                                  {"special_cause", spc::SpecialCauseTypeName(p.special_cause_type)},
                                  {"point_type", spc::PointTypeName(p.point_type)}});
  }
  json::array parts;
  for (const auto& part : chart.parts) {
    json::object o = EncodeRuns(part.runs);
    o["part"] = part.part;
    o["first_point"] = part.first_point;
    o["last_point"] = part.last_point;
    o["mean_lcl"] = Optional(part.mean_lcl);
    o["mean_cl"] = Optional(part.mean_cl);
    o["mean_ucl"] = Optional(part.mean_ucl);
    o["sigma_signals"] = part.sigma_signals;
    parts.push_back(std::move(o));
  }
  json::object out = EncodeRuns(chart.runs);
  out["chart"] = spc::ChartTypeName(chart.chart);
  out["points"] = std::move(points);
  out["parts"] = std::move(parts);
  out["assurance"] = chart.assurance ? json::value(spc::AssuranceName(*chart.assurance)) : json::value(nullptr);
  return out;
}


void RegisterAnalyticsRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/analytics/spc",
             Authed(s, Permission::kAnalyticsRead, [](http::Request& req, const Actor&) -> http::Response {
               API_TRY(auto body, JsonBody::Parse(req.body));
               API_TRY(auto input, DecodeSpcInput(body));
               API_TRY(auto chart, spc::ComputeChart(input));
               return JsonResponse(200, EncodeChart(chart));
             }));
}

}  // namespace caredesk::api
