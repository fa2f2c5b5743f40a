// GET /api/v1/audit-events: the audit trail searched by patient, user and
// period (auditor and admin). Reading the trail is itself audited.
#include "api/codecs.h"
#include "api/handler_support.h"

namespace caredesk::api {
namespace json = boost::json;

json::object AuditEventJson(const AuditRecord& r) {
  return {{"id", r.seq},
          {"at", FormatInstantUtc(FromMillis(r.at_ms))},
          {"user", r.username},
          {"role", r.role},
          {"action", r.action},
          {"patient_id", OptionalValue(r.patient_id)},
          {"category", r.category},
          {"client_address", r.client_address},
          {"outcome", r.outcome},
          {"detail", r.detail}};
}

namespace {

Result<std::optional<int64_t>> QueryInstant(const http::Request& req, std::string_view key) {
  auto v = req.Query(key);
  if (!v || v->empty()) return std::optional<int64_t>();
  if (v->size() == 10) {  // a plain date: midnight UTC
    CD_ASSIGN_OR_RETURN(CivilDate d, ParseCivilDate(*v, key));
    return std::optional<int64_t>(d.DaysSinceEpoch() * 86'400'000);
  }
  CD_ASSIGN_OR_RETURN(TimePoint t, ParseInstant(*v, "UTC", key));
  return std::optional<int64_t>(ToMillis(t));
}

}  // namespace

void RegisterAuditRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/audit-events",
             Authed(s, Permission::kAuditRead, [&s](http::Request& req, const Actor& a) -> http::Response {
               db::AuditFilter f;
               API_TRY(f.patient_id, QueryInt(req, "patient"));
               if (auto u = req.Query("user"); u && !u->empty()) f.username = std::string(*u);
               if (auto act = req.Query("action"); act && !act->empty()) f.action = std::string(*act);
               API_TRY(f.from_ms, QueryInstant(req, "from"));
               API_TRY(f.to_ms, QueryInstant(req, "to"));
               if (f.to_ms && req.Query("to")->size() == 10) *f.to_ms += 86'400'000;  // a date includes its day
               API_TRY(Page page, QueryPage(req, 100, 1000));
               f.limit = page.limit;
               f.offset = page.offset;
               API_TRY(auto events, s.audit.Search(f));
               API_CHECK(s.audit.Record(s.audit.Make(a, "search", audit_category::kAudit, f.patient_id, "success",
                                                     "audit trail search")));
               json::array items;
               for (const auto& e : events) items.push_back(AuditEventJson(e));
               return ItemsResponse(std::move(items));
             }));
}

}  // namespace caredesk::api
