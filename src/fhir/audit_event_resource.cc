#include "fhir/audit_event_resource.h"

#include <boost/json/array.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/civil_time.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

// The action code (C, R, U, D, E) of CareDesk's actions.
std::string_view ActionCode(std::string_view action) {
  static constexpr std::string_view kCreates[] = {"create", "user_create", "walk_in", "check_in", "check_in_override",
                                                  "import", "demo_load"};
  static constexpr std::string_view kReads[] = {"read", "search", "list", "view", "report", "print", "duplicate_check",
                                                "access_report"};
  static constexpr std::string_view kDeletes[] = {"delete"};
  const auto in = [&](const auto& list) { return std::find(std::begin(list), std::end(list), action) != std::end(list); };
  if (in(kCreates)) return "C";
  if (in(kReads)) return "R";
  if (in(kDeletes)) return "D";
  if (action.find("login") != std::string_view::npos || action.find("logout") != std::string_view::npos ||
      action == "access_denied") {
    return "E";
  }
  return "U";
}

// An instant to the millisecond, as the trail records it: "2025-03-10T14:00:00.123Z".
std::string Recorded(int64_t ms) {
  std::string text = FormatInstantUtc(FromMillis(ms - ((ms % 1000) + 1000) % 1000));
  const int64_t millis = ((ms % 1000) + 1000) % 1000;
  char fraction[5];
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(millis));
  text.insert(text.size() - 1, fraction);
  return text;
}

Error Bad(std::string_view field, std::string message) {
  return Error::Invalid(std::string(field), std::move(message), "invalid_search_parameter");
}

bool ParseId(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

}  // namespace

json::object AuditEventResource(const AuditRecord& r) {
  const bool security = r.category == "security";
  json::object type = security ? json::object{{"system", "http://dicom.nema.org/resources/ontology/DCM"},
                                              {"code", "110114"},
                                              {"display", "User Authentication"}}
                               : json::object{{"system", "http://terminology.hl7.org/CodeSystem/audit-event-type"},
                                              {"code", "rest"},
                                              {"display", "RESTful Operation"}};
  json::object agent{{"who", json::object{{"identifier", json::object{{"system", kUserSystem}, {"value", r.username}}},
                                          {"display", r.username}}},
                     {"requestor", true}};
  if (!r.role.empty()) agent["role"] = json::array{json::object{{"text", r.role}}};
  if (!r.client_address.empty()) agent["network"] = json::object{{"address", r.client_address}, {"type", "2"}};
  json::object event{{"resourceType", "AuditEvent"},
                     {"id", std::to_string(r.seq)},
                     {"type", std::move(type)},
                     {"subtype", json::array{json::object{{"system", kAuditActionSystem}, {"code", r.action}}}},
                     {"action", ActionCode(r.action)},
                     {"recorded", Recorded(r.at_ms)},
                     {"outcome", r.outcome == "success" ? "0" : r.outcome == "denied" ? "4" : "8"}};
  if (!r.detail.empty()) event["outcomeDesc"] = r.detail;
  event["agent"] = json::array{std::move(agent)};
  event["source"] = json::object{{"observer", json::object{{"display", "CareDesk"}}}};
  if (r.patient_id) {
    json::object entity{{"what", json::object{{"reference", "Patient/" + std::to_string(*r.patient_id)}}},
                        {"type", json::object{{"system", "http://terminology.hl7.org/CodeSystem/audit-entity-type"},
                                              {"code", "1"},
                                              {"display", "Person"}}}};
    if (!r.category.empty()) entity["description"] = r.category;
    event["entity"] = json::array{std::move(entity)};
  } else if (!r.category.empty()) {
    event["entity"] = json::array{json::object{{"description", r.category}}};
  }
  return event;
}

Result<AuditEventSearch> ReadAuditEventSearch(const QueryParams& query) {
  AuditEventSearch out;
  db::AuditFilter& f = out.filter;
  f.limit = kDefaultCount;
  const auto one_value = [](const std::string& key, const std::string& value) -> Result<std::string> {
    if (SplitAlternatives(value).size() > 1) return Bad(key, key + " takes one value here");
    return value;
  };
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    bool used = true;
    if (key.find(':') != std::string::npos) return Bad(key, "modifiers are not supported on AuditEvent searches");
    if (key == "_id") {
      CD_ASSIGN_OR_RETURN(std::string v, one_value(key, value));
      int64_t seq = 0;
      if (ParseId(v, seq)) {
        f.seq = seq;
      } else {
        out.none = true;
      }
    } else if (key == "date") {
      CD_RETURN_IF_ERROR(NarrowWindow(key, value, f.from_ms, f.to_ms));
    } else if (key == "patient" || key == "entity") {
      CD_ASSIGN_OR_RETURN(std::string v, one_value(key, value));
      const int64_t id = ReferenceId(v, "Patient");
      if (id > 0 && (!f.patient_id || *f.patient_id == id)) {
        f.patient_id = id;
      } else {
        out.none = true;
      }
    } else if (key == "agent-name") {
      CD_ASSIGN_OR_RETURN(f.username, one_value(key, value));
    } else if (key == "subtype") {
      CD_ASSIGN_OR_RETURN(std::string v, one_value(key, value));
      if (const size_t bar = v.find('|'); bar != std::string::npos) {
        if (bar != 0 && v.substr(0, bar) != kAuditActionSystem) out.none = true;
        v = v.substr(bar + 1);
      }
      f.action = v;
    } else if (key == "_count") {
      CD_ASSIGN_OR_RETURN(f.limit, ReadCount(value));
    } else if (key == "_cursor") {
      used = false;
      int64_t seq = 0;
      if (!ParseId(value, seq)) return Bad(key, "not a cursor this server issued");
      f.before_seq = seq;
    } else if (key == "_format") {
      used = false;
    } else {
      used = false;
      out.ignored.push_back(key);
    }
    if (used) out.used.emplace_back(key, value);
  }
  if (f.from_ms && f.to_ms && *f.to_ms <= *f.from_ms) out.none = true;
  return out;
}

}  // namespace caredesk::fhir
