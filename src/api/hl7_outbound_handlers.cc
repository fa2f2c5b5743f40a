// Outbound HL7 v2: the MLLP peers CareDesk sends to, and the queue of messages owed to them with its
// dead letters, retried or discarded from here (docs in api/openapi.cc).
#include <array>

#include "api/handler_support.h"
#include "app/hl7_outbound_service.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 4> kStatuses = {
    db::hl7_outbound_status::kPending, db::hl7_outbound_status::kSent, db::hl7_outbound_status::kDead,
    db::hl7_outbound_status::kDiscarded};

json::object PeerJson(const db::Hl7PeerRow& p) {
  json::array feeds;
  if (p.siu) feeds.push_back("SIU");
  if (p.adt) feeds.push_back("ADT");
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"host", p.host},
                      {"port", p.port},
                      {"enabled", p.enabled},
                      {"feeds", std::move(feeds)},
                      {"updated_at", FormatInstantUtc(FromMillis(p.updated_at))}};
}

json::object MessageJson(const db::Hl7OutboundRow& m, bool with_text) {
  json::object o{{"id", m.id},
                 {"peer_id", m.peer_id},
                 {"peer_name", m.peer_name},
                 {"patient_id", m.patient_id},
                 {"event", m.event},
                 {"control_id", m.control_id},
                 {"created_at", FormatInstantUtc(FromMillis(m.created_at))},
                 {"status", m.status},
                 {"attempts", m.attempts},
                 {"next_attempt_at", FormatInstantUtc(FromMillis(m.next_attempt_at))},
                 {"last_error", m.last_error},
                 {"ack_code", m.ack_code},
                 {"sent_at", OptionalInstant(m.sent_at)}};
  if (with_text) o["message"] = m.message;
  return o;
}

// The peer's fields from a JSON body: name, host, port, enabled (default true), feeds (default both).
Result<Hl7PeerInput> DecodePeer(const std::string& body) {
  CD_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(body));
  Hl7PeerInput in;
  CD_ASSIGN_OR_RETURN(in.name, b.StringOr("name", ""));
  CD_ASSIGN_OR_RETURN(in.host, b.StringOr("host", ""));
  CD_ASSIGN_OR_RETURN(auto port, b.Int("port"));
  if (!port) return Error::Invalid("port", "a port (1–65535) is required", "required");
  in.port = *port;
  CD_ASSIGN_OR_RETURN(auto enabled, b.Bool("enabled"));
  in.enabled = enabled.value_or(true);
  if (b.Has("feeds")) {
    CD_ASSIGN_OR_RETURN(auto feeds, b.StringList("feeds"));
    in.siu = in.adt = false;
    for (const auto& f : feeds) {
      if (f == "SIU") {
        in.siu = true;
      } else if (f == "ADT") {
        in.adt = true;
      } else {
        return Error::Invalid("feeds", "feeds are \"SIU\" and \"ADT\", not \"" + f + "\"", "invalid");
      }
    }
  }
  return in;
}

}  // namespace

void RegisterHl7OutboundRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/hl7/peers",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request&, const Actor& a) {
               API_TRY(auto peers, s.hl7_outbound.Peers(a));
               json::array items;
               for (const auto& p : peers) items.push_back(PeerJson(p));
               return ItemsResponse(std::move(items));
             }));
  router.Add("POST", "/api/v1/hl7/peers",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(Hl7PeerInput in, DecodePeer(req.body));
               API_TRY(auto peer, s.hl7_outbound.AddPeer(a, in));
               return JsonResponse(201, PeerJson(peer));
             }));
  router.Add("PUT", "/api/v1/hl7/peers/{id}",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(Hl7PeerInput in, DecodePeer(req.body));
               API_TRY(auto peer, s.hl7_outbound.UpdatePeer(a, id, in));
               return JsonResponse(200, PeerJson(peer));
             }));
  router.Add("DELETE", "/api/v1/hl7/peers/{id}",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_CHECK(s.hl7_outbound.DeletePeer(a, id));
               return http::Response::NoContent();
             }));
  router.Add("GET", "/api/v1/hl7/outbound",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               db::Hl7OutboundFilter f;
               if (auto v = req.Query("status"); v && !v->empty()) {
                 if (std::find(kStatuses.begin(), kStatuses.end(), *v) == kStatuses.end()) {
                   return Fail(Error::Invalid("status", "status must be one of pending, sent, dead, discarded"));
                 }
                 f.status = std::string(*v);
               }
               API_TRY(f.peer_id, QueryInt(req, "peer"));
               API_TRY(Page page, QueryPage(req, 50, 200));
               f.limit = page.limit;
               f.offset = page.offset;
               API_TRY(auto listed, s.hl7_outbound.List(a, f));
               json::array items;
               for (const auto& m : listed.items) items.push_back(MessageJson(m, false));
               return JsonResponse(200, json::object{{"items", std::move(items)},
                                                     {"total", listed.total},
                                                     {"counts", json::object{{"pending", listed.pending},
                                                                             {"dead", listed.dead}}}});
             }));
  router.Add("GET", "/api/v1/hl7/outbound/{id}",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto m, s.hl7_outbound.Get(a, id));
               return JsonResponse(200, MessageJson(m, true));
             }));
  router.Add("POST", "/api/v1/hl7/outbound/{id}/retry",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto m, s.hl7_outbound.Retry(a, id));
               return JsonResponse(200, MessageJson(m, false));
             }));
  router.Add("POST", "/api/v1/hl7/outbound/{id}/discard",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto m, s.hl7_outbound.Discard(a, id));
               return JsonResponse(200, MessageJson(m, false));
             }));
}

}  // namespace caredesk::api
