// Patient relations: complaints, grievances and inquiries (staff and the
// public form), their triage, timeline, attachments and decision letters,
// settings, business calendars and the report.
#include "api/handler_support.h"
#include "app/relations_service.h"
#include "core/rate_limiter.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

using relations::CaseStatus;

json::value Instant(const std::optional<int64_t>& ms, const std::string& tz) {
  return ms ? json::value(FormatInstant(FromMillis(*ms), tz)) : json::value(nullptr);
}

json::array ReasonsJson(const std::vector<relations::TriageReason>& reasons) {
  json::array out;
  for (const auto& r : reasons) out.push_back(json::object{{"code", r.code}, {"text", r.text}});
  return out;
}

json::object FactsJson(const relations::IntakeFacts& f) {
  return {{"written", f.written},
          {"resolved_promptly_by_staff_present", f.resolved_promptly_by_staff_present},
          {"response_requested", f.response_requested},
          {"alleges_abuse_or_neglect", f.alleges_abuse_or_neglect},
          {"alleges_conditions_of_participation_breach", f.alleges_conditions_of_participation_breach},
          {"medicare_billing_rights_issue", f.medicare_billing_rights_issue},
          {"quality_of_care_concern", f.quality_of_care_concern},
          {"premature_discharge_concern", f.premature_discharge_concern}};
}

json::object CaseJson(const CaseView& v) {
  const db::CaseRow& r = v.row;
  const std::string& tz = r.time_zone;
  json::value triage = nullptr;
  if (v.proposal) {
    json::value decision = nullptr;
    if (r.triage_chosen) {
      bool qio = *r.triage_chosen == "grievance" && !v.proposal->qio_concerns.empty();
      decision = json::object{{"chosen", *r.triage_chosen},
                              {"overridden", r.triage_overridden},
                              {"override_reason", r.triage_override_reason},
                              {"by", r.triage_by},
                              {"at", Instant(r.triage_at, tz)},
                              {"offer_qio_referral", qio}};
    }
    triage = json::object{{"facts", FactsJson(v.facts)},
                          {"proposed", relations::CaseKindName(v.proposal->proposed)},
                          {"reasons", ReasonsJson(v.proposal->reasons)},
                          {"qio_concerns", ReasonsJson(v.proposal->qio_concerns)},
                          {"offer_qio_referral", v.proposal->offer_qio_referral},
                          {"decision", decision}};
  }
  json::array deadlines;
  for (const auto& d : v.deadlines.deadlines) {
    deadlines.push_back(json::object{
        {"milestone", relations::MilestoneName(d.milestone)},
        {"due", FormatInstant(d.due, tz)},
        {"state", relations::DeadlineStateName(d.state)},
        {"met_at", d.met_at ? json::value(FormatInstant(*d.met_at, tz)) : json::value(nullptr)},
        {"due_soon", d.due_soon}});
  }
  json::array next;
  for (CaseStatus s : v.allowed_next) next.emplace_back(relations::CaseStatusName(s));
  // The earliest deadline not yet met, overdue ones included: what the case owes next.
  std::optional<TimePoint> next_due;
  for (const auto& d : v.deadlines.deadlines) {
    if (d.met_at) continue;
    if (!next_due || d.due < *next_due) next_due = d.due;
  }
  json::object o{{"id", r.id},
                 {"reference_number", r.reference_number},
                 {"kind", r.kind},
                 {"inquiry_type", OptionalValue(r.inquiry_type)},
                 {"status", r.status},
                 {"allowed_next_statuses", std::move(next)},
                 {"channel", r.channel},
                 {"category", r.category},
                 {"severity", r.severity},
                 {"description", r.description},
                 {"desired_outcome", r.desired_outcome},
                 {"patient_id", OptionalValue(r.patient_id)},
                 {"patient_name", r.patient_name},
                 {"encounter_id", OptionalValue(r.encounter_id)},
                 {"location_id", r.location_id},
                 {"location_name", r.location_name},
                 {"department", r.department},
                 {"staff_member", r.staff_member},
                 {"contact_name", r.contact_name},
                 {"contact_email", r.contact_email},
                 {"contact_phone", r.contact_phone},
                 {"contact_preference", r.contact_preference},
                 {"owner_user_id", OptionalValue(r.owner_user_id)},
                 {"owner_name", r.owner_name},
                 {"source", r.source},
                 {"received_at", FormatInstant(FromMillis(r.received_at), tz)},
                 {"acknowledged_at", Instant(r.acknowledged_at, tz)},
                 {"interim_notice_at", Instant(r.interim_notice_at, tz)},
                 {"resolved_at", Instant(r.resolved_at, tz)},
                 {"decision_letter_at", Instant(r.decision_letter_at, tz)},
                 {"closed_at", Instant(r.closed_at, tz)},
                 {"reopened_at", Instant(r.reopened_at, tz)},
                 {"created_by", r.created_by},
                 {"triage", std::move(triage)},
                 {"deadlines", std::move(deadlines)},
                 {"next_due", next_due ? json::value(FormatInstant(*next_due, tz)) : json::value(nullptr)},
                 {"overdue", v.deadlines.any_overdue},
                 {"due_soon", v.deadlines.any_due_soon}};
  if (v.detail) {
    json::array events;
    for (const auto& e : v.events) {
      events.push_back(json::object{{"id", e.id},
                                    {"at", FormatInstant(FromMillis(e.at), tz)},
                                    {"by", e.by_user},
                                    {"type", e.type},
                                    {"text", e.text}});
    }
    json::array attachments;
    for (const auto& a : v.attachments) {
      attachments.push_back(json::object{{"id", a.id},
                                         {"filename", a.filename},
                                         {"content_type", a.content_type},
                                         {"size", a.size},
                                         {"uploaded_at", FormatInstant(FromMillis(a.uploaded_at), tz)},
                                         {"uploaded_by", a.uploaded_by}});
    }
    json::value letter = nullptr;
    if (v.letter) {
      const auto& l = *v.letter;
      letter = json::object{{"contact_name", l.contact_name},
                            {"contact_title", l.contact_title},
                            {"contact_phone", l.contact_phone},
                            {"investigation_steps", l.investigation_steps},
                            {"results", l.results},
                            {"completion_date", l.completion_date},
                            {"letter_date", l.letter_date},
                            {"further_recourse", l.further_recourse},
                            {"rendered_text", l.rendered_text},
                            {"sent_at", Instant(l.sent_at, tz)}};
    }
    o["events"] = std::move(events);
    o["attachments"] = std::move(attachments);
    o["letter"] = std::move(letter);
  }
  return o;
}

json::object SettingsJson(const RelationsSettings& s) {
  json::array cats;
  for (const auto& c : s.categories.names()) cats.emplace_back(c);
  auto rules = [](const std::vector<relations::DeadlineRule>& rs) {
    json::array out;
    for (const auto& r : rs) {
      out.push_back(json::object{{"milestone", relations::MilestoneName(r.milestone)},
                                 {"days", r.days},
                                 {"count", relations::DayCountName(r.count)},
                                 {"remind_before_hours", r.remind_before.count()}});
    }
    return out;
  };
  return {{"organization_name", s.organization_name},
          {"categories", std::move(cats)},
          {"deadline_policy", json::object{{"complaint", rules(s.policy.complaint)},
                                           {"grievance", rules(s.policy.grievance)},
                                           {"inquiry", rules(s.policy.inquiry)}}},
          {"letter_template", s.letter_template}};
}

Result<std::vector<relations::DeadlineRule>> ParseRules(const JsonBody& policy, std::string_view kind) {
  std::vector<relations::DeadlineRule> out;
  CD_ASSIGN_OR_RETURN(auto arr, policy.Array(kind));
  if (!arr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    CD_ASSIGN_OR_RETURN(JsonBody rule, ElementObject((*arr)[i], policy.FieldName(kind) + "[" + std::to_string(i) + "]"));
    relations::DeadlineRule r;
    CD_ASSIGN_OR_RETURN(std::string milestone, rule.RequiredString("milestone"));
    CD_ASSIGN_OR_RETURN(r.milestone, relations::ParseMilestone(milestone, rule.FieldName("milestone")));
    CD_ASSIGN_OR_RETURN(int64_t days, rule.RequiredInt("days"));
    if (days < 0 || days > relations::kMaxDeadlineDays) {
      return Error::Invalid(rule.FieldName("days"), "must be 0 to " + std::to_string(relations::kMaxDeadlineDays),
                            "out_of_range");
    }
    r.days = static_cast<int>(days);
    CD_ASSIGN_OR_RETURN(std::string count, rule.StringOr("count", "business_days"));
    if (count != "business_days" && count != "calendar_days") {
      return Error::Invalid(rule.FieldName("count"), "is business_days or calendar_days", "invalid_count");
    }
    r.count = count == "calendar_days" ? relations::DayCount::kCalendarDays : relations::DayCount::kBusinessDays;
    CD_ASSIGN_OR_RETURN(auto hours, rule.Int("remind_before_hours"));
    if (hours && (*hours < 0 || *hours > relations::kMaxReminderWindow.count())) {
      return Error::Invalid(rule.FieldName("remind_before_hours"), "must be 0 to 720", "out_of_range");
    }
    r.remind_before = std::chrono::hours(hours.value_or(24));
    out.push_back(r);
  }
  return out;
}

Result<StaffIntake> ParseIntake(const JsonBody& b, const std::string& tz_hint) {
  StaffIntake in;
  CD_ASSIGN_OR_RETURN(std::string kind, b.StringOr("kind", "complaint"));
  CD_ASSIGN_OR_RETURN(in.intake.kind, relations::ParseCaseKind(kind, "kind"));
  CD_ASSIGN_OR_RETURN(auto inquiry_type, b.String("inquiry_type"));
  if (inquiry_type && !inquiry_type->empty()) {
    CD_ASSIGN_OR_RETURN(in.intake.inquiry_type, relations::ParseInquiryType(*inquiry_type));
  }
  CD_ASSIGN_OR_RETURN(std::string channel, b.RequiredString("channel"));
  CD_ASSIGN_OR_RETURN(in.intake.channel, relations::ParseChannel(channel));
  CD_ASSIGN_OR_RETURN(in.intake.category, b.RequiredString("category"));
  CD_ASSIGN_OR_RETURN(std::string severity, b.StringOr("severity", "medium"));
  CD_ASSIGN_OR_RETURN(in.intake.severity, relations::ParseSeverity(severity));
  CD_ASSIGN_OR_RETURN(in.intake.description, b.RequiredString("description"));
  CD_ASSIGN_OR_RETURN(in.intake.desired_outcome, b.StringOr("desired_outcome", ""));
  CD_ASSIGN_OR_RETURN(in.intake.patient_id, b.Int("patient_id"));
  CD_ASSIGN_OR_RETURN(in.intake.encounter_id, b.Int("encounter_id"));
  CD_ASSIGN_OR_RETURN(in.location_id, b.RequiredInt("location_id"));
  CD_ASSIGN_OR_RETURN(in.department, b.StringOr("department", ""));
  CD_ASSIGN_OR_RETURN(in.staff_member, b.StringOr("staff_member", ""));
  CD_ASSIGN_OR_RETURN(in.contact_name, b.StringOr("contact_name", ""));
  CD_ASSIGN_OR_RETURN(in.contact_email, b.StringOr("contact_email", ""));
  CD_ASSIGN_OR_RETURN(in.contact_phone, b.StringOr("contact_phone", ""));
  CD_ASSIGN_OR_RETURN(std::string pref, b.StringOr("contact_preference", "none"));
  CD_ASSIGN_OR_RETURN(in.intake.contact_preference, relations::ParseContactPreference(pref));
  CD_ASSIGN_OR_RETURN(auto facts, b.Object("facts"));
  if (facts) {
    auto flag = [&](std::string_view key, bool& out) -> Status {
      CD_ASSIGN_OR_RETURN(auto v, facts->Bool(key));
      out = v.value_or(false);
      return Ok();
    };
    CD_RETURN_IF_ERROR(flag("written", in.facts.written));
    CD_RETURN_IF_ERROR(flag("resolved_promptly_by_staff_present", in.facts.resolved_promptly_by_staff_present));
    CD_RETURN_IF_ERROR(flag("response_requested", in.facts.response_requested));
    CD_RETURN_IF_ERROR(flag("alleges_abuse_or_neglect", in.facts.alleges_abuse_or_neglect));
    CD_RETURN_IF_ERROR(
        flag("alleges_conditions_of_participation_breach", in.facts.alleges_conditions_of_participation_breach));
    CD_RETURN_IF_ERROR(flag("medicare_billing_rights_issue", in.facts.medicare_billing_rights_issue));
    CD_RETURN_IF_ERROR(flag("quality_of_care_concern", in.facts.quality_of_care_concern));
    CD_RETURN_IF_ERROR(flag("premature_discharge_concern", in.facts.premature_discharge_concern));
  }
  CD_ASSIGN_OR_RETURN(auto received, b.String("received_at"));
  if (received && !received->empty()) {
    CD_ASSIGN_OR_RETURN(TimePoint t, ParseInstant(*received, tz_hint, "received_at"));
    in.received_at = t;
  }
  return in;
}

Result<db::CaseFilter> ParseFilter(const http::Request& req, const Actor& a, bool& overdue) {
  db::CaseFilter f;
  if (auto v = req.Query("kind"); v && !v->empty()) {
    CD_RETURN_IF_ERROR(relations::ParseCaseKind(*v, "kind"));
    f.kind = std::string(*v);
  }
  if (auto v = req.Query("status"); v && !v->empty()) {
    CD_RETURN_IF_ERROR(relations::ParseCaseStatus(*v, "status"));
    f.status = std::string(*v);
  }
  if (auto v = req.Query("category"); v && !v->empty()) f.category = std::string(*v).substr(0, 64);
  f.open_only = req.Query("open") == std::optional<std::string_view>("true");
  overdue = req.Query("overdue") == std::optional<std::string_view>("true");
  if (auto v = req.Query("owner"); v && !v->empty()) {
    if (*v == "me") {
      f.owner_user_id = a.user_id;
    } else {
      CD_ASSIGN_OR_RETURN(f.owner_user_id, QueryInt(req, "owner"));
    }
  }
  CD_ASSIGN_OR_RETURN(f.location_id, QueryInt(req, "location_id"));
  CD_ASSIGN_OR_RETURN(f.patient_id, QueryInt(req, "patient_id"));
  if (auto v = req.Query("q")) f.text = std::string(*v).substr(0, 200);
  CD_ASSIGN_OR_RETURN(Page page, QueryPage(req, 50, 200));
  f.limit = page.limit;
  f.offset = page.offset;
  return f;
}

http::Response CaseResponse(int status, const Result<CaseView>& v) {
  if (!v.ok()) return Fail(v.error());
  return JsonResponse(status, CaseJson(*v));
}

std::string ContentDispositionName(const std::string& name) {
  std::string out;
  for (char c : name) out += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  return out;
}

}  // namespace

void RegisterRelationsRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/cases", Authed(s, Permission::kCasesRead, [&s](http::Request& req, const Actor& a) {
               bool overdue = false;
               API_TRY(db::CaseFilter f, ParseFilter(req, a, overdue));
               API_TRY(auto page, s.relations.List(a, f, overdue));
               json::array items;
               for (const auto& v : page.first) items.push_back(CaseJson(v));
               return JsonResponse(200, json::object{{"items", std::move(items)}, {"total", page.second}});
             }));
  router.Add("POST", "/api/v1/cases", Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto loc_id, b.Int("location_id"));
               std::string tz = "UTC";
               if (loc_id) {
                 auto loc = s.schedule.GetLocation(*loc_id);
                 if (loc.ok()) tz = loc->time_zone;
               }
               API_TRY(StaffIntake in, ParseIntake(b, tz));
               return CaseResponse(201, s.relations.Create(a, in));
             }));
  router.Add("GET", "/api/v1/cases/owners", Authed(s, Permission::kCasesRead, [&s](http::Request&, const Actor&) {
               API_TRY(auto owners, s.relations.Owners());
               json::array items;
               for (const auto& o : owners) {
                 items.push_back(json::object{{"id", o.id}, {"name", o.name}, {"role", o.role}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("GET", "/api/v1/cases/{id}", Authed(s, Permission::kCasesRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               return CaseResponse(200, s.relations.Get(a, id));
             }));
  router.Add("POST", "/api/v1/cases/{id}/triage",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string chosen, b.RequiredString("chosen"));
               API_TRY(std::string reason, b.StringOr("override_reason", ""));
               return CaseResponse(200, s.relations.ConfirmTriage(a, id, chosen, reason));
             }));
  router.Add("POST", "/api/v1/cases/{id}/status",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string status, b.RequiredString("status"));
               API_TRY(std::string note, b.StringOr("note", ""));
               return CaseResponse(200, s.relations.SetStatus(a, id, status, note));
             }));
  router.Add("POST", "/api/v1/cases/{id}/owner",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               if (!b.Has("owner_user_id")) {
                 return Fail(Error::Invalid("owner_user_id", "is required (null to clear)", "required"));
               }
               API_TRY(auto owner, b.Int("owner_user_id"));
               return CaseResponse(200, s.relations.SetOwner(a, id, owner));
             }));
  router.Add("POST", "/api/v1/cases/{id}/notes",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string type, b.StringOr("type", "note"));
               API_TRY(std::string text, b.RequiredString("text"));
               return CaseResponse(200, s.relations.AddNote(a, id, type, text));
             }));
  router.Add("POST", "/api/v1/cases/{id}/interim-notice",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string text, b.StringOr("text", ""));
               return CaseResponse(200, s.relations.SendInterimNotice(a, id, text));
             }));
  router.Add("POST", "/api/v1/cases/{id}/attachments",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               std::string filename(req.Query("filename").value_or(""));
               API_TRY(auto att, s.relations.AddAttachment(a, id, filename, req.content_type, req.body));
               return JsonResponse(201, json::object{{"id", att.id},
                                                     {"filename", att.filename},
                                                     {"content_type", att.content_type},
                                                     {"size", att.size},
                                                     {"uploaded_at", FormatInstantUtc(FromMillis(att.uploaded_at))},
                                                     {"uploaded_by", att.uploaded_by}});
             }));
  router.Add("GET", "/api/v1/cases/{id}/attachments/{aid}",
             Authed(s, Permission::kCasesRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(int64_t aid, PathId(req, "aid"));
               API_TRY(auto att, s.relations.GetAttachment(a, id, aid));
               http::Response r;
               r.content_type = att.row.content_type;
               r.body = std::move(att.bytes);
               r.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + ContentDispositionName(att.row.filename) + "\"");
               r.headers.emplace_back("X-Content-Type-Options", "nosniff");
               return r;
             }));
  router.Add("PUT", "/api/v1/cases/{id}/letter",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               LetterInput in;
               API_TRY(in.contact_name, b.StringOr("contact_name", ""));
               API_TRY(in.contact_title, b.StringOr("contact_title", ""));
               API_TRY(in.contact_phone, b.StringOr("contact_phone", ""));
               API_TRY(in.investigation_steps, b.StringOr("investigation_steps", ""));
               API_TRY(in.results, b.StringOr("results", ""));
               API_TRY(in.completion_date, b.StringOr("completion_date", ""));
               API_TRY(in.letter_date, b.StringOr("letter_date", ""));
               API_TRY(in.further_recourse, b.StringOr("further_recourse", ""));
               return CaseResponse(200, s.relations.SaveLetter(a, id, in));
             }));
  router.Add("GET", "/api/v1/cases/{id}/letter.pdf",
             Authed(s, Permission::kCasesRead, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(std::string pdf, s.relations.LetterPdf(a, id));
               http::Response r;
               r.content_type = "application/pdf";
               r.body = std::move(pdf);
               r.headers.emplace_back("Content-Disposition", "inline; filename=\"decision-letter.pdf\"");
               return r;
             }));
  router.Add("POST", "/api/v1/cases/{id}/letter/send",
             Authed(s, Permission::kCasesWrite, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               return CaseResponse(200, s.relations.SendLetter(a, id));
             }));
  router.Add("GET", "/api/v1/relations/settings",
             Authed(s, Permission::kCasesRead, [&s](http::Request&, const Actor&) {
               API_TRY(auto settings, s.relations.Settings());
               return JsonResponse(200, SettingsJson(settings));
             }));
  router.Add("PUT", "/api/v1/relations/settings",
             Authed(s, Permission::kCasesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto current, s.relations.Settings());
               RelationsSettings next = current;
               API_TRY(next.organization_name, b.StringOr("organization_name", current.organization_name));
               if (b.Has("categories")) {
                 API_TRY(auto names, b.StringList("categories"));
                 API_TRY(next.categories, relations::CaseCategories::Create(names));
               }
               API_TRY(auto policy, b.Object("deadline_policy"));
               if (policy) {
                 API_TRY(next.policy.complaint, ParseRules(*policy, "complaint"));
                 API_TRY(next.policy.grievance, ParseRules(*policy, "grievance"));
                 API_TRY(next.policy.inquiry, ParseRules(*policy, "inquiry"));
               }
               API_TRY(next.letter_template, b.StringOr("letter_template", current.letter_template));
               API_TRY(auto saved, s.relations.SaveSettings(a, next));
               return JsonResponse(200, SettingsJson(saved));
             }));
  auto calendar_json = [](const relations::BusinessCalendarConfig& c) {
    json::array days, holidays;
    for (int d : c.working_weekdays) days.emplace_back(d);
    for (const auto& h : c.holidays) holidays.emplace_back(h.ToString());
    return json::object{{"time_zone", c.time_zone}, {"working_weekdays", days}, {"holidays", holidays}};
  };
  router.Add("GET", "/api/v1/locations/{id}/calendar",
             Authed(s, Permission::kCasesRead, [&s, calendar_json](http::Request& req, const Actor&) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto cfg, s.relations.CalendarConfig(id));
               return JsonResponse(200, calendar_json(cfg));
             }));
  router.Add("PUT", "/api/v1/locations/{id}/calendar",
             Authed(s, Permission::kCasesManage, [&s, calendar_json](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               relations::BusinessCalendarConfig cfg;
               API_TRY(auto days, b.IntList("working_weekdays"));
               cfg.working_weekdays.assign(days.begin(), days.end());
               for (int64_t d : days) {
                 if (d < 0 || d > 6) {
                   return Fail(Error::Invalid("working_weekdays", "days are 0 (Sunday) to 6 (Saturday)",
                                              "invalid_weekday"));
                 }
               }
               API_TRY(auto holidays, b.StringList("holidays"));
               for (size_t i = 0; i < holidays.size(); ++i) {
                 API_TRY(CivilDate d, ParseCivilDate(holidays[i], "holidays[" + std::to_string(i) + "]"));
                 cfg.holidays.push_back(d);
               }
               API_TRY(auto saved, s.relations.SaveCalendar(a, id, cfg));
               return JsonResponse(200, calendar_json(saved));
             }));
  router.Add("GET", "/api/v1/relations/report",
             Authed(s, Permission::kCasesRead, [&s](http::Request& req, const Actor& a) {
               auto date = [&](std::string_view key) -> Result<CivilDate> {
                 auto v = req.Query(key);
                 if (!v || v->empty()) return Error::Invalid(std::string(key), "is required (YYYY-MM-DD)", "required");
                 return ParseCivilDate(*v, key);
               };
               API_TRY(CivilDate from, date("from"));
               API_TRY(CivilDate to, date("to"));
               API_TRY(auto location, QueryInt(req, "location_id"));
               API_TRY(RelationsReport r, s.relations.Report(a, from, to, location));
               auto keyed = [](const std::vector<KeyCount>& v) {
                 json::array out;
                 for (const auto& k : v) {
                   out.push_back(json::object{{"key", k.key}, {"count", k.count}, {"per_1000", k.per_1000}});
                 }
                 return out;
               };
               json::array months;
               for (const auto& m : r.by_month) {
                 months.push_back(json::object{
                     {"month", m.month}, {"count", m.count}, {"visits", m.visits}, {"per_1000", m.per_1000}});
               }
               auto opt = [](const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); };
               return JsonResponse(
                   200, json::object{{"visits", r.visits},
                                     {"cases", r.cases},
                                     {"per_1000_visits", r.per_1000_visits},
                                     {"by_category", keyed(r.by_category)},
                                     {"by_department", keyed(r.by_department)},
                                     {"by_month", std::move(months)},
                                     {"acknowledge_hours",
                                      json::object{{"median", opt(r.acknowledge_hours_median)},
                                                   {"p90", opt(r.acknowledge_hours_p90)}}},
                                     {"resolve_days", json::object{{"median", opt(r.resolve_days_median)},
                                                                   {"p90", opt(r.resolve_days_p90)}}},
                                     {"within_deadline_share", opt(r.within_deadline_share)},
                                     {"open_now", r.open_now},
                                     {"overdue_now", r.overdue_now}});
             }));

  // The public complaint form: no session; rate-limited per client address.
  router.Add("GET", "/api/v1/public/complaint-form", Public([&s](http::Request&) -> http::Response {
               API_TRY(auto settings, s.relations.Settings());
               API_TRY(auto locations, s.schedule.Locations());
               json::array locs, cats;
               for (const auto& l : locations) locs.push_back(json::object{{"id", l.id}, {"name", l.name}});
               for (const auto& c : settings.categories.names()) cats.emplace_back(c);
               return JsonResponse(200, json::object{{"organization_name", settings.organization_name},
                                                     {"locations", std::move(locs)},
                                                     {"categories", std::move(cats)}});
             }));
  router.Add("POST", "/api/v1/public/complaints", Public([&s](http::Request& req) -> http::Response {
               if (auto wait = s.public_form_limiter.Acquire(req.client_address)) {
                 auto r = Fail(Error{ErrorCode::kRateLimited, "rate_limited",
                                     "too many submissions from this address; please try again later", ""});
                 r.headers.emplace_back("Retry-After", std::to_string((wait->count() + 999) / 1000));
                 return r;
               }
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               PublicSubmission sub;
               API_TRY(sub.name, b.StringOr("name", ""));
               API_TRY(sub.email, b.StringOr("email", ""));
               API_TRY(sub.phone, b.StringOr("phone", ""));
               API_TRY(sub.contact_preference, b.StringOr("contact_preference", "none"));
               API_TRY(sub.location_id, b.Int("location_id"));
               API_TRY(sub.category, b.StringOr("category", ""));
               API_TRY(sub.visit_date, b.StringOr("visit_date", ""));
               API_TRY(sub.description, b.StringOr("description", ""));
               API_TRY(sub.desired_outcome, b.StringOr("desired_outcome", ""));
               API_TRY(sub.website, b.StringOr("website", ""));
               API_TRY(auto elapsed, b.Int("elapsed_ms"));
               sub.elapsed_ms = elapsed.value_or(0);
               sub.client_address = req.client_address;
               API_TRY(PublicReceipt receipt, s.relations.SubmitPublic(sub));
               return JsonResponse(
                   201, json::object{{"reference_number", receipt.reference_number},
                                     {"message", "Thank you. We have received your concern and will acknowledge it "
                                                 "within two business days. Please keep this reference number."}});
             }));
}

}  // namespace caredesk::api
