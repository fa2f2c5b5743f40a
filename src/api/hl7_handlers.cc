// Inbound HL7 v2 messages: what came in and what became of it, one message with its raw text,
// reprocessing after a fix, and sending a message without MLLP (docs in api/openapi.cc).
#include <array>

#include "api/handler_support.h"
#include "app/hl7_inbound_service.h"

namespace caredesk::api {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 6> kStatuses = {
    hl7_status::kReceived, hl7_status::kApplied, hl7_status::kIgnored,
    hl7_status::kDuplicate, hl7_status::kFailed, hl7_status::kRejected,
};

// The media types a raw HL7 v2 message may be sent as (ER7, the pipe-and-hat encoding).
constexpr std::array<std::string_view, 3> kHl7MediaTypes = {"text/plain", "x-application/hl7-v2+er7",
                                                            "application/hl7-v2"};

json::object MessageJson(const db::Hl7MessageRow& m, bool with_raw) {
  json::object o{{"id", m.id},
                 {"received_at", FormatInstantUtc(FromMillis(m.received_at))},
                 {"peer", m.peer},
                 {"control_id", m.control_id},
                 {"sending_application", m.sending_application},
                 {"sending_facility", m.sending_facility},
                 {"message_type", m.message_type},
                 {"trigger_event", m.trigger_event},
                 {"version", m.version},
                 {"status", m.status},
                 {"ack_code", m.ack_code},
                 {"error_code", m.error_code},
                 {"error_text", m.error_text},
                 {"error_location", m.error_location},
                 {"note", m.note},
                 {"patient_id", OptionalValue(m.patient_id)},
                 {"attempts", m.attempts},
                 {"processed_at", OptionalInstant(m.processed_at)}};
  if (with_raw) o["raw"] = m.raw;
  return o;
}

// The media type without parameters ("text/plain; charset=utf-8" → "text/plain"), lower case.
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void RegisterHl7Routes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/hl7/messages",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               db::Hl7MessageFilter f;
               if (auto v = req.Query("status"); v && !v->empty()) {
                 if (std::find(kStatuses.begin(), kStatuses.end(), *v) == kStatuses.end()) {
                   return Fail(Error::Invalid("status", "status must be one of received, applied, ignored, "
                                                        "duplicate, failed, rejected"));
                 }
                 f.status = std::string(*v);
               }
               API_TRY(f.patient_id, QueryInt(req, "patient_id"));
               API_TRY(Page page, QueryPage(req, 50, 200));
               f.limit = page.limit;
               f.offset = page.offset;
               API_TRY(auto listed, s.hl7.List(a, f));
               json::array items;
               for (const auto& m : listed.items) items.push_back(MessageJson(m, false));
               json::object attention{{hl7_status::kFailed, 0}, {hl7_status::kRejected, 0}, {hl7_status::kReceived, 0}};
               for (const auto& [status, n] : listed.needing_attention) attention[status] = n;
               return JsonResponse(200, json::object{{"items", std::move(items)},
                                                     {"total", listed.total},
                                                     {"needing_attention", std::move(attention)}});
             }));
  router.Add("POST", "/api/v1/hl7/messages",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               std::string type = MediaType(req.content_type);
               if (std::find(kHl7MediaTypes.begin(), kHl7MediaTypes.end(), type) == kHl7MediaTypes.end()) {
                 return Fail(Error::Invalid("Content-Type",
                                            "send the HL7 v2 message as text/plain or x-application/hl7-v2+er7",
                                            "unsupported_media_type"));
               }
               if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
                 return Fail(Error::Invalid("body", "the body must hold an HL7 v2 message", "required"));
               }
               auto submitted = s.hl7.Submit(a, req.body);
               if (!submitted.id) return Fail(Error::Unavailable("the message could not be stored; send it again"));
               API_TRY(auto stored, s.hl7.Get(a, *submitted.id));
               return JsonResponse(200, json::object{{"id", *submitted.id},
                                                     {"ack", submitted.ack},
                                                     {"message", MessageJson(stored, false)}});
             }));
  router.Add("GET", "/api/v1/hl7/messages/{id}",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto m, s.hl7.Get(a, id));
               return JsonResponse(200, MessageJson(m, true));
             }));
  router.Add("POST", "/api/v1/hl7/messages/{id}/reprocess",
             Authed(s, Permission::kInterfacesManage, [&s](http::Request& req, const Actor& a) {
               API_TRY(int64_t id, PathId(req));
               API_TRY(auto m, s.hl7.Reprocess(a, id));
               return JsonResponse(200, MessageJson(m, true));
             }));
}

}  // namespace caredesk::api
