#include "fhir/visit_import.h"

#include <boost/json/array.hpp>

#include "core/civil_time.h"
#include "fhir/json_access.h"
#include "fhir/search_params.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

Error Bad(std::string path, std::string message) { return Error::Unprocessable(std::move(path), std::move(message)); }

void Append(std::string& out, std::string_view word) {
  if (word.empty()) return;
  if (!out.empty()) out += ' ';
  out += word;
}

// A HumanName as one line: its text, else prefix, given and family.
std::string NameLine(const json::object& name) {
  std::string text = StringAt(name, "text");
  if (!text.empty()) return text;
  for (const char* part : {"prefix", "given"}) {
    if (const json::array* words = ArrayAt(name, part)) {
      for (const json::value& w : *words) {
        if (w.is_string()) Append(text, w.get_string());
      }
    }
  }
  Append(text, StringAt(name, "family"));
  return text;
}

// An Address as one line: "170 Governors Avenue, Medford, MA 2155".
std::string AddressLine(const json::object& address) {
  std::string text = StringAt(address, "text");
  if (!text.empty()) return text;
  const auto add = [&](std::string_view part, const char* sep) {
    if (part.empty()) return;
    if (!text.empty()) text += sep;
    text += part;
  };
  if (const json::array* lines = ArrayAt(address, "line")) {
    for (const json::value& l : *lines) {
      if (l.is_string()) add(l.get_string(), ", ");
    }
  }
  add(StringAt(address, "city"), ", ");
  add(StringAt(address, "state"), ", ");
  add(StringAt(address, "postalCode"), " ");
  return text;
}

// The referenced id of `type` in a reference element ("Type/7"), if it is one.
std::optional<int64_t> IdOf(const json::object* reference, std::string_view type) {
  if (!reference) return std::nullopt;
  const std::string ref = StringAt(*reference, "reference");
  if (!ref.starts_with(std::string(type) + "/")) return std::nullopt;
  const int64_t id = ReferenceId(ref, type);
  return id > 0 ? std::optional<int64_t>(id) : std::nullopt;
}

Result<int64_t> Instant(const json::object& period, std::string_view key) {
  const std::string text = StringAt(period, key);
  const std::string path = "Encounter.period." + std::string(key);
  if (text.empty()) return Bad(path, "an imported encounter needs " + path + ", a date-time");
  // A date-time without a time of day (FHIR allows "2019-05-19") counts from its midnight UTC.
  const std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
  Result<TimePoint> at = ParseInstant(full, "UTC", path);
  if (!at.ok()) return Bad(path, path + " must be a date-time with its offset, such as 2019-05-19T05:35:54+00:00");
  return ToMillis(*at);
}

}  // namespace

Result<Provider> ReadPractitioner(const json::object& practitioner) {
  Provider p;
  const json::array* names = ArrayAt(practitioner, "name");
  const json::object* chosen = nullptr;
  if (names) {
    for (const json::value& n : *names) {
      if (!n.is_object()) continue;
      if (!chosen || StringAt(n.get_object(), "use") == "official") chosen = &n.get_object();
      if (StringAt(*chosen, "use") == "official") break;
    }
  }
  if (chosen) p.name = NameLine(*chosen);
  if (p.name.empty()) return Bad("Practitioner.name", "a practitioner needs a name to be a CareDesk provider");
  if (const json::value* active = practitioner.if_contains("active"); active && active->is_bool()) {
    p.active = active->get_bool();
  }
  return p;
}

Result<Location> ReadOrganizationSite(const json::object& organization, const std::string& time_zone) {
  Location l;
  l.name = StringAt(organization, "name");
  if (l.name.empty()) return Bad("Organization.name", "an organization needs a name to be a CareDesk location");
  l.time_zone = time_zone;
  if (const json::array* addresses = ArrayAt(organization, "address")) {
    for (const json::value& a : *addresses) {
      if (a.is_object() && (l.address = AddressLine(a.get_object()), !l.address.empty())) break;
    }
  }
  if (const json::array* telecom = ArrayAt(organization, "telecom")) {
    for (const json::value& t : *telecom) {
      if (t.is_object() && StringAt(t.get_object(), "system") == "phone") {
        l.phone = StringAt(t.get_object(), "value");
        if (!l.phone.empty()) break;
      }
    }
  }
  return l;
}

Result<VisitInput> ReadVisit(const json::object& encounter) {
  VisitInput v;
  const std::string status = StringAt(encounter, "status");
  if (status == "finished") {
    v.state = "completed";
  } else if (status == "cancelled") {
    v.state = "left_without_being_seen";
  } else {
    return Bad("Encounter.status", "only finished and cancelled encounters are imported (this one is \"" + status +
                                       "\"): CareDesk's open encounters begin at check-in");
  }
  const std::optional<int64_t> patient = IdOf(ObjectAt(encounter, "subject"), "Patient");
  if (!patient) {
    return Bad("Encounter.subject", "the encounter's subject must be a patient of this import or of CareDesk");
  }
  v.patient_id = *patient;
  const json::object* period = ObjectAt(encounter, "period");
  if (!period) return Bad("Encounter.period.start", "an imported encounter needs period.start");
  CD_ASSIGN_OR_RETURN(v.start, Instant(*period, "start"));
  v.end = v.start;
  if (period->contains("end")) {
    CD_ASSIGN_OR_RETURN(v.end, Instant(*period, "end"));
    if (v.end < v.start) return Bad("Encounter.period.end", "period.end is before period.start");
  }
  if (const json::array* participants = ArrayAt(encounter, "participant")) {
    for (const json::value& p : *participants) {
      if (!p.is_object()) continue;
      if ((v.provider_id = IdOf(ObjectAt(p.get_object(), "individual"), "Practitioner"))) break;
    }
  }
  if (const json::array* locations = ArrayAt(encounter, "location")) {
    for (const json::value& l : *locations) {
      if (!l.is_object()) continue;
      if ((v.location_id = IdOf(ObjectAt(l.get_object(), "location"), "Location"))) break;
    }
  }
  if (const json::object* org = ObjectAt(encounter, "serviceProvider")) {
    v.service_provider = StringAt(*org, "reference");
    v.service_provider_name = StringAt(*org, "display");
  }
  return v;
}

}  // namespace caredesk::fhir
