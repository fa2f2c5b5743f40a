// Slot search and the appointment life cycle: book, cancel, reschedule,
// no-show, read, list for calendars.
#include "api/codecs.h"
#include "api/handler_support.h"
#include "app/appointment_service.h"

namespace caredesk::api {
namespace json = boost::json;

json::object AppointmentJson(const db::AppointmentRow& a, const std::string& join_url) {
  return {{"id", a.id},
          {"patient_id", a.patient_id},
          {"patient_name", a.patient_name},
          {"appointment_type_id", a.appointment_type_id},
          {"appointment_type_name", a.type_name},
          {"provider_id", a.provider_id},
          {"provider_name", a.provider_name},
          {"location_id", a.location_id},
          {"location_name", a.location_name},
          {"room_id", OptionalValue(a.room_id)},
          {"start", FormatInstant(FromMillis(a.start_at), a.time_zone)},
          {"end", FormatInstant(FromMillis(a.end_at), a.time_zone)},
          {"status", a.status},
          {"modality", a.modality},
          {"join_url", join_url.empty() ? json::value(nullptr) : json::value(join_url)},
          {"cancel_reason", a.cancel_reason},
          {"notes", a.notes},
          {"overbooked", a.overbooked},
          {"encounter_id", OptionalValue(a.encounter_id)}};
}

json::object AppointmentViewJson(const AppointmentView& v) {
  json::object o = AppointmentJson(v.row, v.join_url);
  json::array history;
  for (const auto& h : v.history) {
    history.push_back(json::object{{"status", h.status},
                                   {"at", FormatInstant(FromMillis(h.at), v.row.time_zone)},
                                   {"by", h.by_user},
                                   {"note", h.note}});
  }
  o["history"] = std::move(history);
  return o;
}

namespace {

Result<TimePoint> RequiredQueryInstant(const http::Request& req, std::string_view key) {
  auto v = req.Query(key);
  if (!v || v->empty()) return Error::Invalid(std::string(key), std::string(key) + " is required", "required");
  return ParseInstant(*v, "", key);
}

Result<std::optional<TimePoint>> QueryInstant(const http::Request& req, std::string_view key) {
  auto v = req.Query(key);
  if (!v || v->empty()) return std::optional<TimePoint>();
  CD_ASSIGN_OR_RETURN(TimePoint t, ParseInstant(*v, "", key));
  return std::optional<TimePoint>(t);
}

// The time zone used to read a local start without an offset: the
// location's.
Result<TimePoint> BodyInstant(const JsonBody& b, std::string_view key, ScheduleService& sched, int64_t location_id) {
  CD_ASSIGN_OR_RETURN(std::string text, b.RequiredString(key));
  std::string tz = "UTC";
  if (auto loc = sched.GetLocation(location_id); loc.ok()) tz = loc->time_zone;
  return ParseInstant(text, tz, b.FieldName(key));
}

}  // namespace

void RegisterAppointmentRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/slots",
             Authed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor&) -> http::Response {
               SlotQuery q;
               API_TRY(q.appointment_type_id, RequiredQueryInt(req, "appointment_type"));
               API_TRY(q.from, RequiredQueryInstant(req, "from"));
               API_TRY(q.to, RequiredQueryInstant(req, "to"));
               API_TRY(q.provider_id, QueryInt(req, "provider"));
               API_TRY(q.location_id, QueryInt(req, "location"));
               API_TRY(auto limit, QueryInt(req, "limit"));
               q.limit = limit ? static_cast<size_t>(std::max<int64_t>(*limit, 0)) : 20;
               if (limit && (*limit < 1 || *limit > 500)) {
                 return Fail(Error::Invalid("limit", "limit must be between 1 and 500"));
               }
               q.not_before = s.clock.Now();
               API_TRY(auto slots, s.appointments.Slots(q));
               API_TRY(auto snap, s.schedule.Snapshot());
               json::array items;
               for (const Slot& slot : slots) {
                 std::string tz = "UTC";
                 for (const auto& l : snap->locations) {
                   if (l.id == slot.location_id) tz = l.time_zone;
                 }
                 items.push_back(json::object{{"start", FormatInstant(slot.start, tz)},
                                              {"end", FormatInstant(slot.end, tz)},
                                              {"provider_id", slot.provider_id},
                                              {"location_id", slot.location_id},
                                              {"room_id", OptionalValue(slot.room_id)}});
               }
               return ItemsResponse(std::move(items));
             }));

  router.Add("POST", "/api/v1/appointments",
             Authed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               BookingRequest r;
               API_TRY(r.patient_id, b.RequiredInt("patient_id"));
               API_TRY(r.appointment_type_id, b.RequiredInt("appointment_type_id"));
               API_TRY(r.provider_id, b.RequiredInt("provider_id"));
               API_TRY(r.location_id, b.RequiredInt("location_id"));
               API_TRY(r.start, BodyInstant(b, "start", s.schedule, r.location_id));
               API_TRY(r.room_id, b.Int("room_id"));
               API_TRY(r.notes, b.StringOr("notes", ""));
               API_TRY(auto overbook, b.Bool("overbook"));
               r.overbook = overbook.value_or(false);
               API_TRY(auto v, s.appointments.Book(a, r));
               return JsonResponse(201, AppointmentViewJson(v));
             }));

  router.Add("GET", "/api/v1/appointments",
             Authed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               db::AppointmentFilter f;
               API_TRY(auto from, QueryInstant(req, "from"));
               API_TRY(auto to, QueryInstant(req, "to"));
               if (from) f.from_ms = ToMillis(*from);
               if (to) f.to_ms = ToMillis(*to);
               API_TRY(f.provider_id, QueryInt(req, "provider"));
               API_TRY(f.location_id, QueryInt(req, "location"));
               API_TRY(f.room_id, QueryInt(req, "room"));
               API_TRY(f.patient_id, QueryInt(req, "patient"));
               if (auto st = req.Query("status"); st && !st->empty()) f.status = std::string(*st);
               if (!f.patient_id && !(f.from_ms && f.to_ms)) {
                 return Fail(Error::Invalid("from", "give from and to (or a patient) to list appointments"));
               }
               if (f.from_ms && f.to_ms && *f.to_ms - *f.from_ms > int64_t{62} * 86'400'000) {
                 return Fail(Error::Invalid("to", "list at most 62 days at a time"));
               }
               API_TRY(auto rows, s.appointments.List(a, f));
               json::array items;
               for (const auto& r : rows) items.push_back(AppointmentJson(r, s.appointments.JoinUrlFor(r)));
               return ItemsResponse(std::move(items));
             }));

  router.Add("GET", "/api/v1/appointments/{id}",
             Authed(s, Permission::kAppointmentRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto v, s.appointments.Get(a, id));
               return JsonResponse(200, AppointmentViewJson(v));
             }));

  router.Add("POST", "/api/v1/appointments/{id}/cancel",
             Authed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string reason, b.RequiredString("reason"));
               API_TRY(auto v, s.appointments.Cancel(a, id, reason));
               return JsonResponse(200, AppointmentViewJson(v));
             }));

  router.Add("POST", "/api/v1/appointments/{id}/reschedule",
             Authed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto provider, b.Int("provider_id"));
               // Read a local start in the appointment's own zone.
               std::string text;
               API_TRY(text, b.RequiredString("start"));
               std::string tz = "UTC";
               {
                 auto current = s.appointments.Get(a, id);
                 if (!current.ok()) return Fail(current.error());
                 tz = current->row.time_zone;
               }
               API_TRY(TimePoint start, ParseInstant(text, tz, "start"));
               API_TRY(auto v, s.appointments.Reschedule(a, id, start, provider));
               return JsonResponse(200, AppointmentViewJson(v));
             }));

  router.Add("POST", "/api/v1/appointments/{id}/no-show",
             Authed(s, Permission::kAppointmentWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto v, s.appointments.MarkNoShow(a, id));
               return JsonResponse(200, AppointmentViewJson(v));
             }));
}

}  // namespace caredesk::api
