// Surveys: the builder, sending settings and invitations, printed slips,
// vendor imports, scores, and the public answer page (docs/API.md "Surveys").
#include <charconv>

#include "api/handler_support.h"
#include "app/survey_service.h"
#include "core/rate_limiter.h"
#include "domain/surveys/item_kind.h"
#include "domain/surveys/survey_token.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

using surveys::ItemKind;

json::value Opt(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }

json::value InstantUtc(const std::optional<int64_t>& ms, const std::string& tz) {
  return ms ? json::value(FormatInstant(FromMillis(*ms), tz.empty() ? "UTC" : tz)) : json::value(nullptr);
}

json::array IntArray(const std::vector<int>& v) {
  json::array out;
  for (int x : v) out.emplace_back(x);
  return out;
}

json::value BoxesJson(ItemKind kind, const surveys::BoxDefinition& b) {
  if (!surveys::IsScoredKind(kind)) return nullptr;
  return json::object{{"top", IntArray(b.top)},          {"middle", IntArray(b.middle)},
                      {"bottom", IntArray(b.bottom)},    {"top_label", b.top_label},
                      {"middle_label", b.middle_label}, {"bottom_label", b.bottom_label}};
}

json::array OptionsJson(ItemKind kind) {
  json::array out;
  for (const auto& o : surveys::AnswerOptions(kind)) out.push_back(json::object{{"value", o.value}, {"label", o.label}});
  return out;
}

json::object ItemJson(const surveys::SurveyItem& item, bool with_boxes) {
  json::object o{{"id", item.id},
                 {"text", item.text},
                 {"kind", surveys::ItemKindName(item.kind)},
                 {"options", OptionsJson(item.kind)}};
  if (with_boxes) {
    o["measure_id"] = item.measure_id;
    o["boxes"] = BoxesJson(item.kind, item.boxes);
  }
  return o;
}

json::object VersionJson(const SurveyVersionView& v) {
  const auto& d = v.definition;
  json::array items, measures, versions;
  for (const auto& item : d.items()) items.push_back(ItemJson(item, true));
  for (const auto& m : d.measures()) {
    json::array ids;
    for (const auto& i : m.item_ids) ids.emplace_back(i);
    measures.push_back(json::object{{"id", m.id}, {"name", m.name}, {"item_ids", std::move(ids)}});
  }
  for (int x : v.versions) versions.emplace_back(x);
  return {{"id", d.id()},
          {"version", d.version()},
          {"title", d.title()},
          {"created_at", FormatInstantUtc(FromMillis(v.created_at))},
          {"created_by", v.created_by},
          {"active", v.active},
          {"responses", v.responses},
          {"items", std::move(items)},
          {"measures", std::move(measures)},
          {"versions", std::move(versions)}};
}

// A draft from the builder's JSON. Box definitions are optional: the kind's defaults.
Result<surveys::SurveyDraft> DraftFromJson(const JsonBody& b) {
  surveys::SurveyDraft d;
  CD_ASSIGN_OR_RETURN(d.id, b.StringOr("id", ""));
  CD_ASSIGN_OR_RETURN(d.title, b.StringOr("title", ""));
  CD_ASSIGN_OR_RETURN(auto items, b.Array("items"));
  if (!items) return Error::Invalid("items", "a survey needs at least one item", "required");
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string field = "items[" + std::to_string(i) + "]";
    CD_ASSIGN_OR_RETURN(JsonBody ib, ElementObject((*items)[i], field));
    surveys::SurveyItem item;
    CD_ASSIGN_OR_RETURN(item.id, ib.StringOr("id", ""));
    CD_ASSIGN_OR_RETURN(item.text, ib.StringOr("text", ""));
    CD_ASSIGN_OR_RETURN(std::string kind, ib.StringOr("kind", ""));
    auto parsed = surveys::ParseItemKind(kind);
    if (!parsed) {
      return Error::Invalid(field + ".kind",
                            "kind is one of frequency, yes_no, rating_0_10, recommend, agreement, nps, free_text");
    }
    item.kind = *parsed;
    CD_ASSIGN_OR_RETURN(item.measure_id, ib.StringOr("measure_id", ""));
    item.boxes = surveys::DefaultBoxes(item.kind);
    CD_ASSIGN_OR_RETURN(auto boxes, ib.Object("boxes"));
    if (boxes && surveys::IsScoredKind(item.kind)) {
      auto ints = [&](std::string_view key, std::vector<int>& out) -> Status {
        CD_ASSIGN_OR_RETURN(auto list, boxes->IntList(key));
        out.assign(list.begin(), list.end());
        return Ok();
      };
      CD_RETURN_IF_ERROR(ints("top", item.boxes.top));
      CD_RETURN_IF_ERROR(ints("middle", item.boxes.middle));
      CD_RETURN_IF_ERROR(ints("bottom", item.boxes.bottom));
      CD_ASSIGN_OR_RETURN(item.boxes.top_label, boxes->StringOr("top_label", item.boxes.top_label));
      CD_ASSIGN_OR_RETURN(item.boxes.middle_label, boxes->StringOr("middle_label", item.boxes.middle_label));
      CD_ASSIGN_OR_RETURN(item.boxes.bottom_label, boxes->StringOr("bottom_label", item.boxes.bottom_label));
    }
    d.items.push_back(std::move(item));
  }
  CD_ASSIGN_OR_RETURN(auto measures, b.Array("measures"));
  if (measures) {
    for (size_t i = 0; i < measures->size(); ++i) {
      const std::string field = "measures[" + std::to_string(i) + "]";
      CD_ASSIGN_OR_RETURN(JsonBody mb, ElementObject((*measures)[i], field));
      surveys::Measure m;
      CD_ASSIGN_OR_RETURN(m.id, mb.StringOr("id", ""));
      CD_ASSIGN_OR_RETURN(m.name, mb.StringOr("name", ""));
      CD_ASSIGN_OR_RETURN(m.item_ids, mb.StringList("item_ids"));
      d.measures.push_back(std::move(m));
    }
  }
  return d;
}

Result<int> PathVersion(const http::Request& req) {
  std::string_view v = req.PathParam("v");
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 1) return Error::NotFound("no such survey version");
  return n;
}

json::object SettingsJson(const SurveySettings& s) {
  return {{"active_survey_id", s.active_survey_id},
          {"send_after_hours", s.send_after_hours},
          {"expires_days", s.expires_days},
          {"reminder_after_days", s.reminder_after_days},
          {"max_reminders", s.max_reminders},
          {"public_base_url", s.public_base_url},
          {"from_name", s.from_name},
          {"from_email", s.from_email},
          {"email_subject", s.email_subject},
          {"email_intro", s.email_intro},
          {"mail_enabled", s.mail_enabled}};
}

json::object InvitationJson(const db::InvitationRow& r, TimePoint now) {
  const std::string& tz = r.location_time_zone;
  surveys::TokenTimes t{FromMillis(r.issued_at), FromMillis(r.expires_at),
                        r.used_at ? std::optional<TimePoint>(FromMillis(*r.used_at)) : std::nullopt, r.opted_out};
  return {{"id", r.id},
          {"encounter_id", OptionalValue(r.encounter_id)},
          {"patient_id", r.patient_id},
          {"patient_name", r.patient_name},
          {"location_id", r.location_id},
          {"location_name", r.location_name},
          {"department", r.department},
          {"provider_id", OptionalValue(r.provider_id)},
          {"provider_name", r.provider_name},
          {"visit_date", r.visit_date},
          {"survey_id", r.survey_id},
          {"survey_version", r.survey_version},
          {"channel", r.channel},
          {"email", r.email},
          {"issued_at", InstantUtc(r.issued_at, tz)},
          {"expires_at", InstantUtc(r.expires_at, tz)},
          {"sent_at", InstantUtc(r.sent_at, tz)},
          {"printed_at", InstantUtc(r.printed_at, tz)},
          {"reminders", r.reminders},
          {"last_reminder_at", InstantUtc(r.last_reminder_at, tz)},
          {"used_at", InstantUtc(r.used_at, tz)},
          {"state", surveys::TokenStateName(surveys::TokenStateAt(t, now))},
          {"send_error", r.send_error}};
}

json::object ScoresJson(const surveys::SurveyDefinition& d, const surveys::SurveyScores& s) {
  json::array items, measures, nps;
  for (const auto& i : s.items) {
    const auto* item = d.FindItem(i.item_id);
    items.push_back(json::object{{"item_id", i.item_id},
                                 {"text", item ? item->text : ""},
                                 {"measure_id", i.measure_id},
                                 {"kind", surveys::ItemKindName(i.kind)},
                                 {"answered", i.answered},
                                 {"top", i.boxes ? json::value(i.boxes->top) : json::value(nullptr)},
                                 {"middle", i.boxes ? json::value(i.boxes->middle) : json::value(nullptr)},
                                 {"bottom", i.boxes ? json::value(i.boxes->bottom) : json::value(nullptr)},
                                 {"linear_mean", Opt(i.linear_mean)}});
  }
  for (const auto& m : s.measures) {
    measures.push_back(json::object{{"measure_id", m.measure_id},
                                    {"name", m.name},
                                    {"top", m.boxes ? json::value(m.boxes->top) : json::value(nullptr)},
                                    {"middle", m.boxes ? json::value(m.boxes->middle) : json::value(nullptr)},
                                    {"bottom", m.boxes ? json::value(m.boxes->bottom) : json::value(nullptr)},
                                    {"linear_mean", Opt(m.linear_mean)}});
  }
  for (const auto& n : s.nps) {
    nps.push_back(json::object{{"item_id", n.item_id},
                               {"promoters", n.promoters},
                               {"passives", n.passives},
                               {"detractors", n.detractors},
                               {"nps", Opt(n.nps)}});
  }
  return {{"responses", s.responses}, {"items", std::move(items)}, {"measures", std::move(measures)},
          {"nps", std::move(nps)}};
}

Result<surveys::ImportMapping> MappingFromJson(const JsonBody& b) {
  surveys::ImportMapping m;
  CD_ASSIGN_OR_RETURN(m.respondent_id_column, b.StringOr("respondent_id_column", ""));
  CD_ASSIGN_OR_RETURN(m.encounter_id_column, b.StringOr("encounter_id_column", ""));
  CD_ASSIGN_OR_RETURN(m.date_column, b.StringOr("date_column", ""));
  CD_ASSIGN_OR_RETURN(std::string format, b.StringOr("date_format", "iso"));
  if (format == "iso") {
    m.date_format = surveys::DateFormat::kIso;
  } else if (format == "mdy") {
    m.date_format = surveys::DateFormat::kMonthDayYear;
  } else {
    return Error::Invalid(b.FieldName("date_format"), "date_format is iso (2025-03-09) or mdy (3/9/2025)");
  }
  CD_ASSIGN_OR_RETURN(auto items, b.Array("items"));
  if (items) {
    for (size_t i = 0; i < items->size(); ++i) {
      CD_ASSIGN_OR_RETURN(JsonBody ib, ElementObject((*items)[i], b.FieldName("items[" + std::to_string(i) + "]")));
      surveys::ItemColumn col;
      CD_ASSIGN_OR_RETURN(col.column, ib.RequiredString("column"));
      CD_ASSIGN_OR_RETURN(col.item_id, ib.RequiredString("item_id"));
      CD_ASSIGN_OR_RETURN(auto values, ib.Object("values"));
      if (values) {
        for (const auto& kv : values->raw()) {
          if (!kv.value().is_int64()) {
            return Error::Invalid(values->FieldName(kv.key()), "each value maps a cell to an answer number");
          }
          col.values[std::string(kv.key())] = static_cast<int>(kv.value().as_int64());
        }
      }
      m.items.push_back(std::move(col));
    }
  }
  CD_ASSIGN_OR_RETURN(auto meta, b.Array("metadata"));
  if (meta) {
    for (size_t i = 0; i < meta->size(); ++i) {
      CD_ASSIGN_OR_RETURN(JsonBody mb, ElementObject((*meta)[i], b.FieldName("metadata[" + std::to_string(i) + "]")));
      surveys::MetadataColumn col;
      CD_ASSIGN_OR_RETURN(col.column, mb.RequiredString("column"));
      CD_ASSIGN_OR_RETURN(col.key, mb.RequiredString("key"));
      if (col.key != "department" && col.key != "provider" && col.key != "location") {
        return Error::Invalid(mb.FieldName("key"), "key is department, provider or location");
      }
      m.metadata.push_back(std::move(col));
    }
  }
  CD_ASSIGN_OR_RETURN(m.missing_values, b.StringList("missing_values"));
  return m;
}

http::Response TooMany(std::chrono::milliseconds wait) {
  auto r = Fail(Error{ErrorCode::kRateLimited, "rate_limited", "too many requests from this address; try later", ""});
  r.headers.emplace_back("Retry-After", std::to_string((wait.count() + 999) / 1000));
  return r;
}

}  // namespace

void RegisterSurveyRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/surveys/kinds", Authed(s, Permission::kSurveysManage, [](http::Request&, const Actor&) {
               json::array items;
               for (ItemKind k : surveys::AllItemKinds()) {
                 items.push_back(json::object{{"kind", surveys::ItemKindName(k)},
                                              {"scored", surveys::IsScoredKind(k)},
                                              {"options", OptionsJson(k)},
                                              {"default_boxes", BoxesJson(k, surveys::DefaultBoxes(k))}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("GET", "/api/v1/surveys", Authed(s, Permission::kSurveysManage, [&s](http::Request&, const Actor& a) {
               API_TRY(auto list, s.surveys.List(a));
               json::array items;
               for (const auto& x : list) {
                 items.push_back(json::object{{"id", x.row.id},
                                              {"title", x.row.title},
                                              {"latest_version", x.row.latest_version},
                                              {"active", x.active},
                                              {"responses", x.row.responses},
                                              {"created_at", FormatInstantUtc(FromMillis(x.row.created_at))}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("POST", "/api/v1/surveys", Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto draft, DraftFromJson(b));
               API_TRY(auto view, s.surveys.Create(a, std::move(draft)));
               return JsonResponse(201, VersionJson(view));
             }));
  router.Add("POST", "/api/v1/surveys/hcahps", Authed(s, Permission::kSurveysManage, [&s](http::Request&, const Actor& a) {
               API_TRY(auto view, s.surveys.CreateHcahps(a));
               return JsonResponse(201, VersionJson(view));
             }));
  router.Add("GET", "/api/v1/surveys/settings", Authed(s, Permission::kSurveysManage, [&s](http::Request&, const Actor&) {
               API_TRY(auto settings, s.surveys.Settings());
               return JsonResponse(200, SettingsJson(settings));
             }));
  router.Add("PUT", "/api/v1/surveys/settings",
             Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(SurveySettings in, s.surveys.Settings());
               API_TRY(in.active_survey_id, b.StringOr("active_survey_id", in.active_survey_id));
               auto number = [&](std::string_view key, int& out) -> Status {
                 CD_ASSIGN_OR_RETURN(auto v, b.Int(key));
                 if (v) {
                   if (*v < -1'000'000 || *v > 1'000'000) return Error::Invalid(std::string(key), "out of range");
                   out = static_cast<int>(*v);
                 }
                 return Ok();
               };
               API_CHECK(number("send_after_hours", in.send_after_hours));
               API_CHECK(number("expires_days", in.expires_days));
               API_CHECK(number("reminder_after_days", in.reminder_after_days));
               API_CHECK(number("max_reminders", in.max_reminders));
               API_TRY(in.public_base_url, b.StringOr("public_base_url", in.public_base_url));
               API_TRY(in.from_name, b.StringOr("from_name", in.from_name));
               API_TRY(in.from_email, b.StringOr("from_email", in.from_email));
               API_TRY(in.email_subject, b.StringOr("email_subject", in.email_subject));
               API_TRY(in.email_intro, b.StringOr("email_intro", in.email_intro));
               API_TRY(auto saved, s.surveys.SaveSettings(a, std::move(in)));
               return JsonResponse(200, SettingsJson(saved));
             }));
  router.Add("POST", "/api/v1/surveys/dispatch", Authed(s, Permission::kSurveysManage, [&s](http::Request&, const Actor&) {
               API_TRY(auto r, s.surveys.Dispatch());
               return JsonResponse(200, json::object{{"invited", r.invited},
                                                     {"emailed", r.emailed},
                                                     {"to_print", r.to_print},
                                                     {"reminded", r.reminded},
                                                     {"failed", r.failed},
                                                     {"opted_out_skipped", r.opted_out_skipped}});
             }));
  router.Add("GET", "/api/v1/surveys/invitations",
             Authed(s, Permission::kSurveysSend, [&s](http::Request& req, const Actor& a) {
               db::InvitationFilter f;
               API_TRY(Page page, QueryPage(req, 50, 200));
               f.limit = page.limit;
               f.offset = page.offset;
               if (auto v = req.Query("state"); v && !v->empty()) f.state = std::string(*v);
               if (auto v = req.Query("channel"); v && !v->empty()) f.channel = std::string(*v);
               if (auto v = req.Query("printed"); v && !v->empty()) {
                 if (*v != "true" && *v != "false") return Fail(Error::Invalid("printed", "printed is true or false"));
                 f.printed = *v == "true";
               }
               API_TRY(f.location_id, QueryInt(req, "location_id"));
               API_TRY(auto result, s.surveys.Invitations(a, f));
               const TimePoint now = s.clock.Now();
               json::array items;
               for (const auto& r : result.first) items.push_back(InvitationJson(r, now));
               return JsonResponse(200, json::object{{"items", std::move(items)}, {"total", result.second}});
             }));
  router.Add("POST", "/api/v1/surveys/invitations/{id}/print",
             Authed(s, Permission::kSurveysSend, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(PrintSlip slip, s.surveys.Print(a, id));
               return JsonResponse(200, json::object{{"url", slip.url},
                                                     {"qr_svg", slip.qr_svg},
                                                     {"expires_at", FormatInstantUtc(slip.expires_at)},
                                                     {"patient_name", slip.patient_name},
                                                     {"survey_title", slip.survey_title},
                                                     {"location_name", slip.location_name},
                                                     {"visit_date", slip.visit_date}});
             }));
  router.Add("GET", "/api/v1/surveys/{sid}", Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(auto view, s.surveys.Get(a, std::string(req.PathParam("sid")), std::nullopt));
               return JsonResponse(200, VersionJson(view));
             }));
  router.Add("GET", "/api/v1/surveys/{sid}/versions/{v}",
             Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int v, PathVersion(req));
               API_TRY(auto view, s.surveys.Get(a, std::string(req.PathParam("sid")), v));
               return JsonResponse(200, VersionJson(view));
             }));
  router.Add("POST", "/api/v1/surveys/{sid}/versions",
             Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto draft, DraftFromJson(b));
               API_TRY(auto view, s.surveys.AddVersion(a, std::string(req.PathParam("sid")), std::move(draft)));
               return JsonResponse(201, VersionJson(view));
             }));
  router.Add("POST", "/api/v1/surveys/{sid}/versions/{v}/imports",
             Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int v, PathVersion(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               ImportRequest in;
               API_TRY(in.filename, b.StringOr("filename", ""));
               API_TRY(in.csv, b.StringOr("csv", ""));
               API_TRY(auto dry, b.Bool("dry_run"));
               in.dry_run = dry.value_or(false);
               API_TRY(auto mapping, b.Object("mapping"));
               if (!mapping) return Fail(Error::Invalid("mapping", "the column mapping is required", "required"));
               API_TRY(in.mapping, MappingFromJson(*mapping));
               API_TRY(ImportOutcome out, s.surveys.Import(a, std::string(req.PathParam("sid")), v, std::move(in)));
               json::array issues;
               for (const auto& i : out.issues) {
                 issues.push_back(json::object{{"row", i.row},
                                               {"line", i.line},
                                               {"column", i.column},
                                               {"reason", i.reason},
                                               {"message", i.message}});
               }
               return JsonResponse(out.id ? 201 : 200,
                                   json::object{{"id", out.id ? json::value(*out.id) : json::value(nullptr)},
                                                {"rows_read", out.rows_read},
                                                {"accepted", out.accepted},
                                                {"rejected_rows", out.rejected_rows},
                                                {"issues", std::move(issues)}});
             }));
  router.Add("GET", "/api/v1/surveys/{sid}/imports",
             Authed(s, Permission::kSurveysManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(auto rows, s.surveys.Imports(a, std::string(req.PathParam("sid"))));
               json::array items;
               for (const auto& r : rows) {
                 items.push_back(json::object{{"id", r.id},
                                              {"version", r.survey_version},
                                              {"filename", r.filename},
                                              {"at", FormatInstantUtc(FromMillis(r.at))},
                                              {"by", r.by_user},
                                              {"rows_read", r.rows_read},
                                              {"accepted", r.accepted},
                                              {"rejected_rows", r.rejected_rows}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("GET", "/api/v1/surveys/{sid}/scores",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               ScoreQuery q;
               API_TRY(auto version, QueryInt(req, "version"));
               if (version) {
                 if (*version < 1 || *version > 100000) return Fail(Error::Invalid("version", "no such version"));
                 q.version = static_cast<int>(*version);
               }
               if (auto v = req.Query("from")) q.from = std::string(*v);
               if (auto v = req.Query("to")) q.to = std::string(*v);
               if (auto v = req.Query("group_by")) q.group_by = std::string(*v);
               API_TRY(q.location_id, QueryInt(req, "location_id"));
               API_TRY(SurveyScoresView v, s.surveys.Scores(a, std::string(req.PathParam("sid")), q));
               json::array groups;
               for (const auto& g : v.groups) {
                 groups.push_back(json::object{{"key", g.key},
                                               {"label", g.key.empty() ? "(not recorded)" : g.key},
                                               {"responses", g.scores.responses},
                                               {"invitations", g.invitations},
                                               {"response_rate", Opt(g.response_rate)},
                                               {"scores", ScoresJson(v.definition, g.scores)}});
               }
               return JsonResponse(200, json::object{{"survey_id", v.definition.id()},
                                                     {"version", v.definition.version()},
                                                     {"from", v.from},
                                                     {"to", v.to},
                                                     {"group_by", v.group_by},
                                                     {"responses", v.overall.responses},
                                                     {"invitations", v.invitations},
                                                     {"response_rate", Opt(v.response_rate)},
                                                     {"overall", ScoresJson(v.definition, v.overall)},
                                                     {"groups", std::move(groups)}});
             }));

  // The public answer page: no session; the token (24 random bytes) is the only key. Answers and opt-outs are
  // rate-limited per address like the complaint form; opening links too, more loosely.
  router.Add("GET", "/api/v1/public/surveys/{token}", Public([&s](http::Request& req) -> http::Response {
               if (auto wait = s.public_survey_read_limiter.Acquire(req.client_address)) return TooMany(*wait);
               API_TRY(PublicSurveyView v, s.surveys.PublicView(std::string(req.PathParam("token"))));
               json::value survey = nullptr;
               if (v.survey) {
                 json::array items;
                 for (const auto& item : v.survey->items()) items.push_back(ItemJson(item, false));
                 survey = json::object{{"title", v.survey->title()}, {"items", std::move(items)}};
               }
               return JsonResponse(200, json::object{{"state", v.state},
                                                     {"organization_name", v.organization_name},
                                                     {"visit", json::object{{"date", v.visit_date},
                                                                            {"location_name", v.location_name}}},
                                                     {"survey", std::move(survey)}});
             }));
  router.Add("POST", "/api/v1/public/surveys/{token}", Public([&s](http::Request& req) -> http::Response {
               if (auto wait = s.public_survey_limiter.Acquire(req.client_address)) return TooMany(*wait);
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto list, b.Array("answers"));
               if (!list) return Fail(Error::Invalid("answers", "answers are required", "required"));
               std::vector<surveys::Answer> answers;
               for (size_t i = 0; i < list->size(); ++i) {
                 API_TRY(JsonBody ab, ElementObject((*list)[i], "answers[" + std::to_string(i) + "]"));
                 surveys::Answer ans;
                 API_TRY(ans.item_id, ab.StringOr("item_id", ""));
                 API_TRY(auto value, ab.Int("value"));
                 if (value) {
                   if (*value < -1000 || *value > 1000) {
                     return Fail(Error::Invalid("answers." + ans.item_id + ".value", "that answer is not on the scale",
                                                "answer_out_of_range"));
                   }
                   ans.value = static_cast<int>(*value);
                 }
                 API_TRY(ans.text, ab.String("text"));
                 answers.push_back(std::move(ans));
               }
               API_CHECK(s.surveys.PublicSubmit(std::string(req.PathParam("token")), std::move(answers),
                                                req.client_address));
               return JsonResponse(201, json::object{{"message", "Thank you. Your answers have been received."}});
             }));
  router.Add("POST", "/api/v1/public/surveys/{token}/opt-out", Public([&s](http::Request& req) -> http::Response {
               if (auto wait = s.public_survey_limiter.Acquire(req.client_address)) return TooMany(*wait);
               API_CHECK(s.surveys.PublicOptOut(std::string(req.PathParam("token")), req.client_address));
               return JsonResponse(200, json::object{{"message", "You will not receive any more surveys from us."}});
             }));
}

}  // namespace caredesk::api
