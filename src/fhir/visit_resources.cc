#include "fhir/visit_resources.h"

#include <boost/json/array.hpp>

#include "core/civil_time.h"
#include "domain/flow/encounter_flow.h"
#include "domain/scheduling/appointment_status.h"
#include "fhir/keyed_search.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr char kActCodeSystem[] = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
// A status no row has: a code of the value set CareDesk never uses matches nothing.
constexpr char kNoStatus[] = "-";

json::object Reference(std::string_view type, int64_t id, const std::string& display = "") {
  json::object r{{"reference", std::string(type) + "/" + std::to_string(id)}};
  if (!display.empty()) r["display"] = display;
  return r;
}

std::string Utc(int64_t ms) { return FormatInstantUtc(FromMillis(ms)); }

// FHIR codes against CareDesk's statuses: {fhir, caredesk}. A FHIR code may stand for several.
struct CodeMap {
  std::string_view fhir;
  std::string_view caredesk;
};
constexpr CodeMap kAppointmentCodes[] = {{"booked", kStatusBooked},       {"checked-in", kStatusCheckedIn},
                                         {"fulfilled", kStatusCompleted}, {"noshow", kStatusNoShow},
                                         {"cancelled", kStatusCancelled}};
constexpr std::string_view kAppointmentValueSet[] = {"proposed", "pending",   "booked",  "arrived",
                                                     "fulfilled", "cancelled", "noshow", "entered-in-error",
                                                     "checked-in", "waitlist"};
constexpr CodeMap kEncounterCodes[] = {{"arrived", kArrived},       {"triaged", kRoomed},
                                       {"in-progress", kWithProvider}, {"in-progress", kCheckout},
                                       {"finished", kCompleted},  {"cancelled", kLeftWithoutBeingSeen}};
constexpr std::string_view kEncounterValueSet[] = {"planned",   "arrived",   "triaged",          "in-progress",
                                                   "onleave",   "finished",  "cancelled",        "entered-in-error",
                                                   "unknown"};

template <size_t N, size_t M>
Result<AnyOf<std::string>> ReadStatuses(std::string_view key, std::string_view value, const CodeMap (&map)[N],
                                        const std::string_view (&value_set)[M]) {
  AnyOf<std::string> out;
  for (const auto& v : SplitAlternatives(value)) {
    std::string_view code = v;
    if (const size_t bar = code.find('|'); bar != std::string_view::npos) code.remove_prefix(bar + 1);
    if (std::find(std::begin(value_set), std::end(value_set), code) == std::end(value_set)) {
      std::string codes;
      for (std::string_view c : value_set) codes += (codes.empty() ? "" : ", ") + std::string(c);
      return BadParameter(key, std::string(key) + ": \"" + std::string(code) + "\" is not one of " + codes);
    }
    bool any = false;
    for (const CodeMap& m : map) {
      if (m.fhir == code) out.emplace_back(m.caredesk), any = true;
    }
    if (!any) out.emplace_back(kNoStatus);
  }
  return out;
}

// Appointment's actor: Patient/…, Practitioner/… or Location/… (or a bare id with actor:Type). All
// alternatives of one parameter must name the same type.
Status ReadActor(std::string_view key, std::string_view modifier, std::string_view value, AppointmentCriteria& q) {
  static constexpr std::string_view kTypes[] = {"Patient", "Practitioner", "Location"};
  if (!modifier.empty() && std::find(std::begin(kTypes), std::end(kTypes), modifier) == std::end(kTypes)) {
    return BadParameter(key, "actor: the modifier :" + std::string(modifier) +
                                 " is not supported (actor:Patient, actor:Practitioner or actor:Location)");
  }
  std::string_view type = modifier;
  for (const auto& v : SplitAlternatives(value)) {
    std::string_view named;
    for (std::string_view t : kTypes) {
      const size_t at = v.rfind(std::string(t) + "/");
      if (at != std::string::npos && (at == 0 || v[at - 1] == '/')) named = t;
    }
    if (named.empty() && modifier.empty()) {
      return BadParameter(key, "actor: \"" + v + "\" needs a type: Patient/id, Practitioner/id or Location/id");
    }
    if (!named.empty() && !type.empty() && named != type) {
      return BadParameter(key, "actor: the alternatives of one actor parameter must be of one type");
    }
    if (type.empty()) type = named;
  }
  AnyOf<int64_t> ids = ReadReferences(value, type);
  (type == "Patient" ? q.patients : type == "Practitioner" ? q.providers : q.locations).push_back(std::move(ids));
  return Ok();
}

// service-type: the appointment type's id, as a code or system|code.
Result<AnyOf<int64_t>> ReadServiceTypes(std::string_view key, std::string_view value) {
  AnyOf<int64_t> out;
  for (const auto& v : SplitAlternatives(value)) {
    std::string_view code = v;
    if (const size_t bar = code.find('|'); bar != std::string_view::npos) {
      const std::string_view system = code.substr(0, bar);
      code.remove_prefix(bar + 1);
      if (!system.empty() && system != kAppointmentTypeSystem) {
        out.push_back(-1);  // another system's code: no CareDesk appointment type
        continue;
      }
    }
    out.push_back(ReferenceId(code, "AppointmentType"));
  }
  if (out.empty()) return BadParameter(key, "service-type needs a code");
  return out;
}

}  // namespace

std::string AppointmentStatusCode(std::string_view status) {
  for (const CodeMap& m : kAppointmentCodes) {
    if (m.caredesk == status) return std::string(m.fhir);
  }
  return "entered-in-error";  // not a status CareDesk writes
}

std::string EncounterStatusCode(std::string_view state) {
  for (const CodeMap& m : kEncounterCodes) {
    if (m.caredesk == state) return std::string(m.fhir);
  }
  return "unknown";
}

json::object AppointmentResource(const db::AppointmentRow& a) {
  const auto at = [&](int64_t ms) {
    return a.time_zone.empty() ? Utc(ms) : FormatInstant(FromMillis(ms), a.time_zone);
  };
  json::object r{{"resourceType", "Appointment"},
                 {"id", std::to_string(a.id)},
                 {"meta", json::object{{"lastUpdated", Utc(a.updated_at)}}},
                 {"status", AppointmentStatusCode(a.status)}};
  if (a.status == kStatusCancelled && !a.cancel_reason.empty()) {
    r["cancelationReason"] = json::object{{"text", a.cancel_reason}};
  }
  r["serviceType"] = json::array{ServiceType(a.appointment_type_id, a.type_name)};
  r["start"] = at(a.start_at);
  r["end"] = at(a.end_at);
  r["minutesDuration"] = (a.end_at - a.start_at) / 60'000;
  r["created"] = Utc(a.created_at);
  if (!a.notes.empty()) r["comment"] = a.notes;
  const auto participant = [](json::object actor) {
    return json::object{{"actor", std::move(actor)}, {"required", "required"}, {"status", "accepted"}};
  };
  r["participant"] = json::array{participant(Reference("Patient", a.patient_id, a.patient_name)),
                                 participant(Reference("Practitioner", a.provider_id, a.provider_name)),
                                 participant(Reference("Location", a.location_id, a.location_name))};
  return r;
}

json::object EncounterResource(const db::EncounterRow& e, const std::vector<db::TransitionRow>* transitions) {
  const bool virtual_visit = e.modality == "telehealth";
  json::object r{{"resourceType", "Encounter"},
                 {"id", std::to_string(e.id)},
                 {"meta", json::object{{"versionId", std::to_string(e.version)}, {"lastUpdated", Utc(e.state_since)}}},
                 {"status", EncounterStatusCode(e.state)},
                 {"class", json::object{{"system", kActCodeSystem},
                                        {"code", virtual_visit ? "VR" : "AMB"},
                                        {"display", virtual_visit ? "virtual" : "ambulatory"}}}};
  if (transitions) {
    // One entry per FHIR status in turn (with_provider then checkout are both in-progress).
    json::array history;
    std::string last_code;
    for (const db::TransitionRow& t : *transitions) {
      if (t.undone_at) continue;
      const std::string code = EncounterStatusCode(t.to_state);
      if (code == last_code) continue;
      if (!history.empty()) history.back().as_object()["period"].as_object()["end"] = Utc(t.at);
      history.push_back(json::object{{"status", code}, {"period", json::object{{"start", Utc(t.at)}}}});
      last_code = code;
    }
    if (!history.empty() && e.ended_at) history.back().as_object()["period"].as_object()["end"] = Utc(*e.ended_at);
    if (!history.empty()) r["statusHistory"] = std::move(history);
  }
  if (e.walk_in) r["type"] = json::array{json::object{{"text", "Walk-in"}}};
  r["subject"] = Reference("Patient", e.patient_id, e.patient_name);
  if (e.provider_id) {
    r["participant"] = json::array{json::object{{"individual", Reference("Practitioner", *e.provider_id, e.provider_name)}}};
  }
  if (e.appointment_id) r["appointment"] = json::array{Reference("Appointment", *e.appointment_id)};
  json::object period{{"start", Utc(e.arrived_at)}};
  if (e.ended_at) period["end"] = Utc(*e.ended_at);
  r["period"] = std::move(period);
  r["location"] = json::array{json::object{{"location", Reference("Location", e.location_id)},
                                           {"status", e.ended_at ? "completed" : "active"}}};
  return r;
}

Result<AppointmentSearch> ReadAppointmentSearch(const QueryParams& query, CivilDate today) {
  using C = AppointmentCriteria;
  static constexpr ReferenceParam<C> kReferences[] = {{"patient", "Patient", &C::patients},
                                                      {"practitioner", "Practitioner", &C::providers},
                                                      {"location", "Location", &C::locations}};
  static constexpr IncludeRule kIncludes[] = {
      {"Appointment:patient", "Patient"},        {"Appointment:practitioner", "Practitioner"},
      {"Appointment:location", "Location"},      {"Appointment:actor", "Patient"},
      {"Appointment:actor", "Practitioner"},     {"Appointment:actor", "Location"},
      {"Appointment:actor:Patient", "Patient"},  {"Appointment:actor:Practitioner", "Practitioner"},
      {"Appointment:actor:Location", "Location"}};
  return ReadKeyedSearch<C>(
      query, "Appointment", "date", kReferences, kIncludes,
      [&](const std::string& key, std::string_view name, std::string_view modifier, const std::string& value,
          C& q) -> Result<bool> {
        if (name == "actor") {
          CD_RETURN_IF_ERROR(ReadActor(key, modifier, value, q));
          return true;
        }
        CD_RETURN_IF_ERROR(NoModifier(key, name, modifier));
        if (name == "date" || name == "_lastUpdated") {
          CD_ASSIGN_OR_RETURN(auto any, ReadInstantAlternatives(key, value, today));
          (name == "date" ? q.start : q.last_updated).push_back(std::move(any));
        } else if (name == "status") {
          CD_ASSIGN_OR_RETURN(auto any, ReadStatuses(key, value, kAppointmentCodes, kAppointmentValueSet));
          q.statuses.push_back(std::move(any));
        } else if (name == "service-type") {
          CD_ASSIGN_OR_RETURN(auto any, ReadServiceTypes(key, value));
          q.types.push_back(std::move(any));
        } else {
          return false;
        }
        return true;
      });
}

Result<EncounterSearch> ReadEncounterSearch(const QueryParams& query, CivilDate today) {
  using C = EncounterCriteria;
  static constexpr ReferenceParam<C> kReferences[] = {{"patient", "Patient", &C::patients},
                                                      {"subject", "Patient", &C::patients},
                                                      {"practitioner", "Practitioner", &C::providers},
                                                      {"participant", "Practitioner", &C::providers},
                                                      {"location", "Location", &C::locations},
                                                      {"appointment", "Appointment", &C::appointments}};
  static constexpr IncludeRule kIncludes[] = {
      {"Encounter:patient", "Patient"},           {"Encounter:subject", "Patient"},
      {"Encounter:subject:Patient", "Patient"},   {"Encounter:practitioner", "Practitioner"},
      {"Encounter:participant", "Practitioner"},  {"Encounter:participant:Practitioner", "Practitioner"},
      {"Encounter:location", "Location"},         {"Encounter:appointment", "Appointment"}};
  return ReadKeyedSearch<C>(
      query, "Encounter", "date", kReferences, kIncludes,
      [&](const std::string& key, std::string_view name, std::string_view modifier, const std::string& value,
          C& q) -> Result<bool> {
        CD_RETURN_IF_ERROR(NoModifier(key, name, modifier));
        if (name == "date") {
          CD_ASSIGN_OR_RETURN(auto any, ReadInstantAlternatives(key, value, today));
          q.arrived.push_back(std::move(any));
        } else if (name == "status") {
          CD_ASSIGN_OR_RETURN(auto any, ReadStatuses(key, value, kEncounterCodes, kEncounterValueSet));
          q.states.push_back(std::move(any));
        } else {
          return false;
        }
        return true;
      });
}

}  // namespace caredesk::fhir
