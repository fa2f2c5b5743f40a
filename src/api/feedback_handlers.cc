// What patients write: the comment list with filters, themes and sentiment
// over time and by unit, and the comment classifier itself.
#include "api/handler_support.h"
#include "app/comment_service.h"
#include "domain/feedback/question_kind.h"
#include "domain/feedback/sentiment.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

Result<db::CommentFilter> ParseCommentFilter(const http::Request& req) {
  db::CommentFilter f;
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"from", &f.from_date}, {"to", &f.to_date}}) {
    if (auto v = req.Query(key); v && !v->empty()) {
      CD_ASSIGN_OR_RETURN(CivilDate d, ParseCivilDate(*v, key));
      *out = d.ToString();
    }
  }
  CD_ASSIGN_OR_RETURN(f.location_id, QueryInt(req, "location_id"));
  if (auto v = req.Query("source"); v && !v->empty()) {
    if (*v != "case" && *v != "survey") return Error::Invalid("source", "is case or survey", "invalid_source");
    f.source = std::string(*v);
  }
  if (auto v = req.Query("sentiment"); v && !v->empty()) {
    if (!feedback::ParseSentiment(*v)) {
      return Error::Invalid("sentiment", "is positive, neutral or negative", "invalid_sentiment");
    }
    f.sentiment = std::string(*v);
  }
  if (auto v = req.Query("theme"); v && !v->empty()) f.theme = std::string(*v).substr(0, 200);
  if (auto v = req.Query("department"); v && !v->empty()) f.department = std::string(*v).substr(0, 200);
  if (auto v = req.Query("q")) f.text = std::string(*v).substr(0, 200);
  CD_ASSIGN_OR_RETURN(Page page, QueryPage(req, 50, 200));
  f.limit = page.limit;
  f.offset = page.offset;
  return f;
}

json::array Counts(const std::vector<db::GroupCount>& v, std::string_view group_name) {
  json::array out;
  for (const auto& g : v) out.push_back(json::object{{group_name, g.group}, {"key", g.key}, {"count", g.count}});
  return out;
}

json::object ModelJson(const ModelInfo& m) {
  json::array themes;
  for (const auto& t : m.themes) themes.emplace_back(t);
  return {{"loaded", m.loaded}, {"path", m.path}, {"id", m.id}, {"themes", std::move(themes)},
          {"error", m.error}};
}

}  // namespace

void RegisterFeedbackRoutes(http::Router& router, Services& s) {
  // Every unit's comments for analytics.read; the user's own unit's for other staff (CommentService::List).
  router.Add("GET", "/api/v1/comments", Authed(s, Permission::kCommentsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(db::CommentFilter f, ParseCommentFilter(req));
               API_TRY(auto page, s.comments.List(a, f));
               json::array items;
               for (const auto& c : page.first) {
                 json::array themes;
                 for (const auto& t : c.themes) themes.emplace_back(t);
                 items.push_back(json::object{{"id", c.id},
                                              {"source", c.source},
                                              {"source_id", c.source_id},
                                              {"location_id", OptionalValue(c.location_id)},
                                              {"location_name", c.location_name},
                                              {"department", c.department},
                                              {"date", c.local_date},
                                              {"text", c.text},
                                              {"themes", std::move(themes)},
                                              {"sentiment", c.sentiment.empty() ? json::value(nullptr)
                                                                                : json::value(c.sentiment)}});
               }
               return JsonResponse(200, json::object{{"items", std::move(items)}, {"total", page.second}});
             }));
  router.Add("GET", "/api/v1/comments/trends",
             Authed(s, Permission::kCommentsRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(db::CommentFilter f, ParseCommentFilter(req));
               std::string interval(req.Query("interval").value_or("month"));
               std::string units(req.Query("units").value_or("location"));
               if (units != "location" && units != "department") {
                 return Fail(Error::Invalid("units", "is location or department", "invalid_units"));
               }
               API_TRY(ThemeTrends t, s.comments.Trends(a, f, interval, units == "department"));
               json::array periods;
               for (const auto& p : t.periods) periods.emplace_back(p);
               return JsonResponse(200, json::object{{"interval", interval},
                                                     {"periods", std::move(periods)},
                                                     {"themes", Counts(t.themes, "period")},
                                                     {"sentiment", Counts(t.sentiment, "period")},
                                                     {"units", Counts(t.units, "unit")},
                                                     {"model", ModelJson(s.comments.model_info())}});
             }));
  router.Add("GET", "/api/v1/feedback/model", Authed(s, Permission::kAnalyticsRead, [&s](http::Request&, const Actor&) {
               return JsonResponse(200, ModelJson(s.comments.model_info()));
             }));
  router.Add("POST", "/api/v1/feedback/model/reload",
             Authed(s, Permission::kSetupWrite, [&s](http::Request&, const Actor& a) {
               auto r = s.comments.Reload();
               (void)s.audit.Record(s.audit.Make(a, "reload", audit_category::kComments, std::nullopt,
                                                 r.ok() ? "success" : "failure", "comment model"));
               if (!r.ok()) return Fail(r.error());
               return JsonResponse(200, ModelJson(*r));
             }));
  router.Add("POST", "/api/v1/feedback/classify",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor&) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string text, b.RequiredString("text"));
               if (text.size() > 20'000) return Fail(Error::Invalid("text", "at most 20,000 bytes", "too_long"));
               // The kind of question the text answers; absent: nonspecific.
               API_TRY(std::string question, b.StringOr("question", "nonspecific"));
               const auto kind = feedback::ParseQuestionKind(question);
               if (!kind) {
                 return Fail(
                     Error::Invalid("question", "is what_good, could_improve or nonspecific", "invalid_question"));
               }
               auto judged = s.comments.Classify(text, *kind);
               if (!judged) return Fail(Error::Unavailable("no comment model is loaded"));
               json::array themes;
               for (const auto& t : judged->themes) themes.emplace_back(t);
               return JsonResponse(200, json::object{{"themes", std::move(themes)},
                                                     {"sentiment", feedback::SentimentName(judged->sentiment)}});
             }));
}

}  // namespace caredesk::api
