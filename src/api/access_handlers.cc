// Third next available appointment: the latest daily readings per type and
// provider, and taking one now (docs/API.md "Access").
#include "api/handler_support.h"
#include "app/access_service.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

json::object ReadingJson(const db::AccessSnapshotRow& r) {
  return {{"provider_id", r.provider_id},
          {"provider_name", r.provider_name},
          {"specialty", r.specialty},
          {"appointment_type_id", r.appointment_type_id},
          {"appointment_type_name", r.type_name},
          {"days", r.days},
          {"third_at", OptionalInstant(r.third_at)},
          {"open_slots", r.open_slots},
          {"censored", !r.third_at.has_value()}};
}

}  // namespace

void RegisterAccessRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/access/third-next-available",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               db::AccessFilter f;
               API_TRY(f.location_id, RequiredQueryInt(req, "location_id"));
               API_TRY(f.provider_id, QueryInt(req, "provider_id"));
               API_TRY(f.appointment_type_id, QueryInt(req, "appointment_type_id"));
               API_TRY(f.department, QueryDepartment(req));
               API_TRY(AccessView view, s.access.Latest(a, f));
               json::array items;
               double sum = 0;
               for (const auto& r : view.rows) {
                 items.push_back(ReadingJson(r));
                 sum += r.days;
               }
               json::object out{
                   {"location_id", f.location_id},
                   {"time_zone", view.time_zone},
                   {"snapshot_date", view.snapshot_date ? json::value(*view.snapshot_date) : json::value(nullptr)},
                   {"taken_at",
                    OptionalInstant(view.taken_at)},
                   {"horizon_days", kAccessHorizonDays},
                   {"mean_days", view.rows.empty() ? json::value(nullptr)
                                                   : json::value(sum / static_cast<double>(view.rows.size()))},
                   {"items", std::move(items)}};
               return JsonResponse(200, out);
             }));
  router.Add("POST", "/api/v1/access/third-next-available/readings",
             Authed(s, Permission::kAnalyticsRead, [&s](http::Request& req, const Actor& a) {
               std::optional<int64_t> location;
               if (!req.body.empty()) {
                 API_TRY(JsonBody b, JsonBody::Parse(req.body));
                 API_TRY(location, b.Int("location_id"));
               }
               API_TRY(AccessReport r, s.access.TakeNow(a, location));
               return JsonResponse(200, json::object{
                                            {"locations", r.locations}, {"days", r.days}, {"readings", r.readings}});
             }));
}

}  // namespace caredesk::api
