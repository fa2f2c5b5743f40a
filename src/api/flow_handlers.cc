// Check-in, walk-ins, encounter transitions and undo, and the flow board,
// as JSON and as a live server-sent event stream.
#include <atomic>

#include "api/handler_support.h"
#include "app/flow_events.h"
#include "app/flow_service.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

// An encounter as its list shows it: who, where, when, in which state.
json::object EncounterRowJson(const db::EncounterRow& e, const std::string& tz) {
  return {{"id", e.id},
          {"patient_id", e.patient_id},
          {"patient_name", e.patient_name},
          {"appointment_id", OptionalValue(e.appointment_id)},
          {"location_id", e.location_id},
          {"provider_id", OptionalValue(e.provider_id)},
          {"provider_name", e.provider_name},
          {"room_id", OptionalValue(e.room_id)},
          {"state", e.state},
          {"state_since", FormatInstant(FromMillis(e.state_since), tz)},
          {"arrived_at", FormatInstant(FromMillis(e.arrived_at), tz)},
          {"ended_at", e.ended_at ? json::value(FormatInstant(FromMillis(*e.ended_at), tz)) : json::value(nullptr)},
          {"walk_in", e.walk_in}};
}

json::object EncounterJson(const EncounterView& v, const std::string& tz) {
  json::array transitions;
  for (const auto& t : v.transitions) {
    json::object o{{"from", t.from_state.empty() ? json::value(nullptr) : json::value(t.from_state)},
                   {"to", t.to_state},
                   {"at", FormatInstant(FromMillis(t.at), tz)},
                   {"by", t.by_user},
                   {"undone", t.undone_at.has_value()}};
    if (t.undone_at) {
      o["undone_at"] = FormatInstant(FromMillis(*t.undone_at), tz);
      o["undone_by"] = t.undone_by;
    }
    transitions.push_back(std::move(o));
  }
  json::object out = EncounterRowJson(v.row, tz);
  out["transitions"] = std::move(transitions);
  return out;
}

json::object BoardJson(const Board& b) {
  const std::string& tz = b.location.time_zone;
  json::array items;
  for (const BoardRow& r : b.rows) {
    const auto& e = r.encounter;
    items.push_back(json::object{{"encounter_id", e.id},
                                 {"patient_id", e.patient_id},
                                 {"patient_name", e.patient_name},
                                 {"appointment_id", OptionalValue(e.appointment_id)},
                                 {"provider_name", e.provider_name},
                                 {"room_name", e.room_name},
                                 {"state", e.state},
                                 {"state_since", FormatInstant(FromMillis(e.state_since), tz)},
                                 {"arrived_at", FormatInstant(FromMillis(e.arrived_at), tz)},
                                 {"state_minutes", r.state_minutes},
                                 {"waiting_minutes", r.waiting_minutes},
                                 {"walk_in", e.walk_in},
                                 {"level", WaitLevelName(r.level)}});
  }
  return {{"location_id", b.location.id},
          {"location_name", b.location.name},
          {"now", FormatInstant(b.now, tz)},
          {"thresholds",
           json::object{{"warn_minutes", b.location.flow_warn_minutes},
                        {"alert_minutes", b.location.flow_alert_minutes}}},
          {"items", std::move(items)}};
}

constexpr int kPatientVisits = 200;

std::string TzOf(Services& s, int64_t location_id) {
  auto l = s.schedule.GetLocation(location_id);
  return l.ok() ? l->time_zone : "UTC";
}

// A live board: the whole board as one `board` event on connect and after
// every change at the location.
class BoardStream final : public http::EventStream, public std::enable_shared_from_this<BoardStream> {
 public:
  BoardStream(Services& s, Actor actor, int64_t location_id) : s_(s), actor_(std::move(actor)), location_(location_id) {}

  void Start(std::function<bool(std::string)> send) override {
    {
      std::lock_guard lock(mu_);
      send_ = std::move(send);
    }
    std::weak_ptr<BoardStream> weak = shared_from_this();
    subscription_ = s_.flow_events.Subscribe(location_, [weak] {
      if (auto self = weak.lock()) self->Push();
    });
    Push();
  }

  void Stop() override {
    if (subscription_ != 0) s_.flow_events.Unsubscribe(subscription_);
    std::lock_guard lock(mu_);
    send_ = nullptr;
  }

 private:
  void Push() {
    auto board = s_.flow.BoardFor(actor_, location_);
    std::string event = board.ok() ? "event: board\ndata: " + Serialize(BoardJson(*board)) + "\n\n"
                                   : "event: error\ndata: " + http::ErrorBody(board.error().reason,
                                                                              board.error().message, "") + "\n\n";
    std::lock_guard lock(mu_);
    if (send_ && !send_(std::move(event))) send_ = nullptr;
  }

  Services& s_;
  Actor actor_;
  int64_t location_;
  std::atomic<int64_t> subscription_{0};
  std::mutex mu_;
  std::function<bool(std::string)> send_;  // guarded by mu_
};

}  // namespace

void RegisterFlowRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/appointments/{id}/check-in",
             Authed(s, Permission::kFlowWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(auto override_day, b.Bool("override"));
               API_TRY(auto v, s.flow.CheckIn(a, id, override_day.value_or(false)));
               return JsonResponse(201, EncounterJson(v, TzOf(s, v.row.location_id)));
             }));

  router.Add("POST", "/api/v1/encounters",
             Authed(s, Permission::kFlowWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(int64_t patient, b.RequiredInt("patient_id"));
               API_TRY(int64_t location, b.RequiredInt("location_id"));
               API_TRY(auto provider, b.Int("provider_id"));
               API_TRY(auto v, s.flow.WalkIn(a, patient, location, provider));
               return JsonResponse(201, EncounterJson(v, TzOf(s, v.row.location_id)));
             }));

  // A patient's visits, the latest arrival first: at most kPatientVisits, `more` when there are more.
  router.Add("GET", "/api/v1/patients/{id}/encounters",
             Authed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               EncounterCriteria q;
               q.patients.push_back({id});
               q.page.by_time = true;
               q.page.descending = true;
               q.page.limit = kPatientVisits;
               API_TRY(auto page, s.flow.Search(a, q, false, true));
               json::array items;
               for (const auto& row : page.rows) items.push_back(EncounterRowJson(row, TzOf(s, row.location_id)));
               return JsonResponse(200, json::object{{"items", std::move(items)}, {"more", page.more}});
             }));

  router.Add("GET", "/api/v1/encounters/{id}",
             Authed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto v, s.flow.Get(a, id));
               return JsonResponse(200, EncounterJson(v, TzOf(s, v.row.location_id)));
             }));

  router.Add("POST", "/api/v1/encounters/{id}/transition",
             Authed(s, Permission::kFlowWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody b, JsonBody::Parse(req.body));
               API_TRY(std::string to, b.RequiredString("to"));
               API_TRY(auto room, b.Int("room_id"));
               API_TRY(auto v, s.flow.Transition(a, id, to, room));
               return JsonResponse(200, EncounterJson(v, TzOf(s, v.row.location_id)));
             }));

  router.Add("POST", "/api/v1/encounters/{id}/undo",
             Authed(s, Permission::kFlowWrite, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto v, s.flow.Undo(a, id));
               return JsonResponse(200, EncounterJson(v, TzOf(s, v.row.location_id)));
             }));

  router.Add("GET", "/api/v1/flow-board",
             Authed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t location, RequiredQueryInt(req, "location"));
               API_TRY(Board board, s.flow.BoardFor(a, location));
               return JsonResponse(200, BoardJson(board));
             }));

  router.Add("GET", "/api/v1/flow-board/stream",
             Authed(s, Permission::kFlowRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t location, RequiredQueryInt(req, "location"));
               API_TRY(Location l, s.schedule.GetLocation(location));
               http::Response r;
               r.content_type = "text/event-stream";
               r.stream = std::make_shared<BoardStream>(s, a, l.id);
               return r;
             }));
}

}  // namespace caredesk::api
