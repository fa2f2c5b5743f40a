// Scheduling set-up: locations, rooms, providers, appointment types,
// availability templates and exceptions. Everyone signed in reads; admins
// write.
#include "api/handler_support.h"
#include "app/schedule_service.h"
#include "domain/flow/encounter_flow.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

std::string Hhmm(int minutes) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Result<std::optional<int>> ParseHhmm(const JsonBody& b, std::string_view key) {
  CD_ASSIGN_OR_RETURN(auto s, b.String(key));
  if (!s || s->empty()) return std::optional<int>();
  int h = -1, m = -1;
  if (s->size() != 5 || (*s)[2] != ':' || std::sscanf(s->c_str(), "%2d:%2d", &h, &m) != 2 || h < 0 || h > 24 ||
      m < 0 || m > 59 || (h == 24 && m != 0)) {
    return Error::Invalid(b.FieldName(key), b.FieldName(key) + " must be a time as HH:MM");
  }
  return std::optional<int>(h * 60 + m);
}

// The model validates start_minute/end_minute; the API sends them as "start"
// and "end" (HH:MM), so errors name those fields.
Error WithApiTimeFields(Error e) {
  auto rename = [](std::string& text, std::string_view from, std::string_view to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  for (std::string* text : {&e.field, &e.message}) {
    rename(*text, "start_minute", "start");
    rename(*text, "end_minute", "end");
  }
  return e;
}

json::array Ids(const std::vector<int64_t>& ids) {
  json::array a;
  for (int64_t id : ids) a.push_back(id);
  return a;
}

}  // namespace

json::object LocationJson(const Location& l) {
  return {{"id", l.id},           {"name", l.name},
          {"time_zone", l.time_zone}, {"address", l.address},
          {"phone", l.phone},     {"flow_warn_minutes", l.flow_warn_minutes},
          {"flow_alert_minutes", l.flow_alert_minutes}};
}

json::object ProviderJson(const Provider& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"specialty", p.specialty},
          {"location_ids", Ids(p.location_ids)},
          {"max_overbook", p.max_overbook},
          {"active", p.active}};
}

json::object AppointmentTypeJson(const AppointmentType& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"duration_minutes", t.duration_minutes},
          {"modality", t.modality},
          {"provider_ids", Ids(t.provider_ids)},
          {"color", t.color},
          {"active", t.active}};
}

json::object RoomJson(const Room& r) {
  return {{"id", r.id}, {"location_id", r.location_id}, {"name", r.name}, {"active", r.active}};
}

json::object TemplateJson(const AvailabilityTemplate& t) {
  return {{"id", t.id},
          {"provider_id", t.provider_id},
          {"location_id", t.location_id},
          {"room_id", OptionalValue(t.room_id)},
          {"weekday", t.weekday},
          {"start", Hhmm(t.start_minute)},
          {"end", Hhmm(t.end_minute)},
          {"valid_from", OptionalDate(t.valid_from)},
          {"valid_to", OptionalDate(t.valid_to)}};
}

json::object ExceptionJson(const ScheduleException& e) {
  return {{"id", e.id},
          {"provider_id", OptionalValue(e.provider_id)},
          {"location_id", OptionalValue(e.location_id)},
          {"kind", e.kind},
          {"start_date", e.start_date.ToString()},
          {"end_date", e.end_date.ToString()},
          {"start", e.start_minute ? json::value(Hhmm(*e.start_minute)) : json::value(nullptr)},
          {"end", e.end_minute ? json::value(Hhmm(*e.end_minute)) : json::value(nullptr)},
          {"reason", e.reason}};
}

namespace {

// Reads fields present in the body over `base` (so PUT may send a subset).
Result<Location> DecodeLocation(const JsonBody& b, Location base) {
  CD_ASSIGN_OR_RETURN(base.name, b.StringOr("name", base.name));
  CD_ASSIGN_OR_RETURN(base.time_zone, b.StringOr("time_zone", base.time_zone));
  CD_ASSIGN_OR_RETURN(base.address, b.StringOr("address", base.address));
  CD_ASSIGN_OR_RETURN(base.phone, b.StringOr("phone", base.phone));
  CD_ASSIGN_OR_RETURN(auto warn, b.Int("flow_warn_minutes"));
  CD_ASSIGN_OR_RETURN(auto alert, b.Int("flow_alert_minutes"));
  if (warn) base.flow_warn_minutes = static_cast<int>(*warn);
  if (alert) base.flow_alert_minutes = static_cast<int>(*alert);
  CD_RETURN_IF_ERROR(ValidateThresholds({base.flow_warn_minutes, base.flow_alert_minutes}));
  return base;
}

Result<Provider> DecodeProvider(const JsonBody& b, Provider base) {
  CD_ASSIGN_OR_RETURN(base.name, b.StringOr("name", base.name));
  CD_ASSIGN_OR_RETURN(base.specialty, b.StringOr("specialty", base.specialty));
  if (b.Has("location_ids")) {
    CD_ASSIGN_OR_RETURN(base.location_ids, b.IntList("location_ids"));
  }
  CD_ASSIGN_OR_RETURN(auto mo, b.Int("max_overbook"));
  if (mo) base.max_overbook = static_cast<int>(*mo);
  CD_ASSIGN_OR_RETURN(auto active, b.Bool("active"));
  if (active) base.active = *active;
  return base;
}

Result<AppointmentType> DecodeType(const JsonBody& b, AppointmentType base) {
  CD_ASSIGN_OR_RETURN(base.name, b.StringOr("name", base.name));
  CD_ASSIGN_OR_RETURN(auto d, b.Int("duration_minutes"));
  if (d) base.duration_minutes = static_cast<int>(*d);
  CD_ASSIGN_OR_RETURN(base.modality, b.StringOr("modality", base.modality));
  if (b.Has("provider_ids")) {
    CD_ASSIGN_OR_RETURN(base.provider_ids, b.IntList("provider_ids"));
  }
  CD_ASSIGN_OR_RETURN(base.color, b.StringOr("color", base.color));
  CD_ASSIGN_OR_RETURN(auto active, b.Bool("active"));
  if (active) base.active = *active;
  return base;
}

template <class T, class ToJson>
http::Response List(const Result<std::vector<T>>& items, ToJson to_json) {
  if (!items.ok()) return Fail(items.error());
  json::array out;
  for (const auto& item : *items) out.push_back(to_json(item));
  return ItemsResponse(std::move(out));
}

}  // namespace

void RegisterScheduleSetupRoutes(http::Router& router, Services& s) {
  auto& sched = s.schedule;
  // Locations.
  router.Add("GET", "/api/v1/locations", Authed(s, Permission::kSetupRead, [&sched](http::Request&, const Actor&) {
               return List(sched.Locations(), LocationJson);
             }));
  router.Add("GET", "/api/v1/locations/{id}",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Location l, sched.GetLocation(id));
               return JsonResponse(200, LocationJson(l));
             }));
  router.Add("POST", "/api/v1/locations",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Location l, DecodeLocation(b, Location{}));
               API_TRY(Location saved, sched.SaveLocation(a, l));
               return JsonResponse(201, LocationJson(saved));
             }));
  router.Add("PUT", "/api/v1/locations/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Location base, sched.GetLocation(id));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Location l, DecodeLocation(b, base));
               API_TRY(Location saved, sched.SaveLocation(a, l));
               return JsonResponse(200, LocationJson(saved));
             }));

  // Rooms.
  router.Add("GET", "/api/v1/rooms",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(auto location, QueryInt(req, "location"));
               return List(sched.Rooms(location), RoomJson);
             }));
  router.Add("POST", "/api/v1/rooms",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               Room r;
               API_TRY(r.location_id, b.RequiredInt("location_id"));
               API_TRY(r.name, b.RequiredString("name"));
               API_TRY(auto active, b.Bool("active"));
               r.active = active.value_or(true);
               API_TRY(Room saved, sched.SaveRoom(a, r));
               return JsonResponse(201, RoomJson(saved));
             }));
  router.Add("PUT", "/api/v1/rooms/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto rooms, sched.Rooms(std::nullopt));
               auto it = std::find_if(rooms.begin(), rooms.end(), [&](const Room& r) { return r.id == id; });
               if (it == rooms.end()) return Fail(Error::NotFound("no room with id " + std::to_string(id)));
               Room r = *it;
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto loc, b.Int("location_id"));
               if (loc) r.location_id = *loc;
               API_TRY(r.name, b.StringOr("name", r.name));
               API_TRY(auto active, b.Bool("active"));
               if (active) r.active = *active;
               API_TRY(Room saved, sched.SaveRoom(a, r));
               return JsonResponse(200, RoomJson(saved));
             }));

  // Providers.
  router.Add("GET", "/api/v1/providers", Authed(s, Permission::kSetupRead, [&sched](http::Request&, const Actor&) {
               return List(sched.Providers(), ProviderJson);
             }));
  router.Add("GET", "/api/v1/providers/{id}",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Provider p, sched.GetProvider(id));
               return JsonResponse(200, ProviderJson(p));
             }));
  router.Add("POST", "/api/v1/providers",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Provider p, DecodeProvider(b, Provider{}));
               API_TRY(Provider saved, sched.SaveProvider(a, p));
               return JsonResponse(201, ProviderJson(saved));
             }));
  router.Add("PUT", "/api/v1/providers/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Provider base, sched.GetProvider(id));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(Provider p, DecodeProvider(b, base));
               API_TRY(Provider saved, sched.SaveProvider(a, p));
               return JsonResponse(200, ProviderJson(saved));
             }));

  // Appointment types.
  router.Add("GET", "/api/v1/appointment-types",
             Authed(s, Permission::kSetupRead,
                    [&sched](http::Request&, const Actor&) { return List(sched.AppointmentTypes(), AppointmentTypeJson); }));
  router.Add("GET", "/api/v1/appointment-types/{id}",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(AppointmentType t, sched.GetAppointmentType(id));
               return JsonResponse(200, AppointmentTypeJson(t));
             }));
  router.Add("POST", "/api/v1/appointment-types",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(AppointmentType t, DecodeType(b, AppointmentType{}));
               API_TRY(AppointmentType saved, sched.SaveAppointmentType(a, t));
               return JsonResponse(201, AppointmentTypeJson(saved));
             }));
  router.Add("PUT", "/api/v1/appointment-types/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(AppointmentType base, sched.GetAppointmentType(id));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(AppointmentType t, DecodeType(b, base));
               API_TRY(AppointmentType saved, sched.SaveAppointmentType(a, t));
               return JsonResponse(200, AppointmentTypeJson(saved));
             }));

  // Templates.
  router.Add("GET", "/api/v1/templates",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(auto provider, QueryInt(req, "provider"));
               return List(sched.Templates(provider), TemplateJson);
             }));
  router.Add("POST", "/api/v1/templates",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               AvailabilityTemplate t;
               API_TRY(t.provider_id, b.RequiredInt("provider_id"));
               API_TRY(t.location_id, b.RequiredInt("location_id"));
               API_TRY(t.room_id, b.Int("room_id"));
               API_TRY(int64_t weekday, b.RequiredInt("weekday"));
               t.weekday = static_cast<int>(weekday);
               API_TRY(auto start, ParseHhmm(b, "start"));
               API_TRY(auto end, ParseHhmm(b, "end"));
               if (!start) return Fail(Error::Invalid("start", "start is required", "required"));
               if (!end) return Fail(Error::Invalid("end", "end is required", "required"));
               t.start_minute = *start;
               t.end_minute = *end;
               API_TRY(t.valid_from, b.Date("valid_from"));
               API_TRY(t.valid_to, b.Date("valid_to"));
               auto saved = sched.AddTemplate(a, t);
               if (!saved.ok()) return Fail(WithApiTimeFields(saved.error()));
               return JsonResponse(201, TemplateJson(*saved));
             }));
  router.Add("DELETE", "/api/v1/templates/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_CHECK(sched.DeleteTemplate(a, id));
               return http::Response::NoContent();
             }));

  // Exceptions.
  router.Add("GET", "/api/v1/exceptions",
             Authed(s, Permission::kSetupRead, [&sched](http::Request& req, const Actor&) -> http::Response {
               API_TRY(auto provider, QueryInt(req, "provider"));
               API_TRY(auto location, QueryInt(req, "location"));
               return List(sched.Exceptions(provider, location), ExceptionJson);
             }));
  router.Add("POST", "/api/v1/exceptions",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               ScheduleException e;
               API_TRY(e.provider_id, b.Int("provider_id"));
               API_TRY(e.location_id, b.Int("location_id"));
               API_TRY(e.kind, b.StringOr("kind", "holiday"));
               API_TRY(auto sd, b.Date("start_date"));
               API_TRY(auto ed, b.Date("end_date"));
               if (!sd) return Fail(Error::Invalid("start_date", "start_date is required", "required"));
               e.start_date = *sd;
               e.end_date = ed.value_or(*sd);
               API_TRY(e.start_minute, ParseHhmm(b, "start"));
               API_TRY(e.end_minute, ParseHhmm(b, "end"));
               API_TRY(e.reason, b.StringOr("reason", ""));
               auto saved = sched.AddException(a, e);
               if (!saved.ok()) return Fail(WithApiTimeFields(saved.error()));
               return JsonResponse(201, ExceptionJson(*saved));
             }));
  router.Add("DELETE", "/api/v1/exceptions/{id}",
             Authed(s, Permission::kSetupWrite, [&sched](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_CHECK(sched.DeleteException(a, id));
               return http::Response::NoContent();
             }));
}

}  // namespace caredesk::api
