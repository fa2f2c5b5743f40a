#include "fhir/schedule_resources.h"

#include <boost/json/array.hpp>
#include <algorithm>
#include <charconv>

#include "core/civil_time.h"
#include "core/text.h"
#include "domain/scheduling/slot_engine.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') ++at;
    size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    if (end > at) out.emplace_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

bool IsTitle(std::string_view word) {
  const std::string w = AsciiLower(word);
  return w == "dr." || w == "dr" || w == "prof." || w == "mr." || w == "ms." || w == "mrs.";
}

json::object Reference(std::string_view type, int64_t id) {
  return {{"reference", std::string(type) + "/" + std::to_string(id)}};
}

bool AnyWordStartsWith(std::string_view name, const std::string& prefix) {
  for (const std::string& w : Words(AsciiLower(name))) {
    if (w.starts_with(prefix)) return true;
  }
  return false;
}

template <typename T, typename F>
bool AllHold(const std::vector<std::vector<T>>& criteria, F holds) {
  for (const auto& any : criteria) {
    bool one = false;
    for (const T& v : any) one = one || holds(v);
    if (!one) return false;
  }
  return true;
}

}  // namespace

json::object PractitionerResource(const Provider& p) {
  json::object name{{"use", "official"}, {"text", p.name}};
  std::vector<std::string> words = Words(p.name);
  json::array prefix;
  while (!words.empty() && IsTitle(words.front())) {
    prefix.emplace_back(words.front());
    words.erase(words.begin());
  }
  if (!words.empty()) {
    name["family"] = words.back();
    json::array given;
    for (size_t i = 0; i + 1 < words.size(); ++i) given.emplace_back(words[i]);
    if (!given.empty()) name["given"] = std::move(given);
  }
  if (!prefix.empty()) name["prefix"] = std::move(prefix);
  return {{"resourceType", "Practitioner"},
          {"id", std::to_string(p.id)},
          {"meta", json::object{{"versionId", std::to_string(p.version)}}},
          {"active", p.active},
          {"name", json::array{std::move(name)}}};
}

json::object PractitionerRoleResource(const Provider& p) {
  json::object role{{"resourceType", "PractitionerRole"},
                    {"id", std::to_string(p.id)},
                    {"active", p.active},
                    {"practitioner", Reference("Practitioner", p.id)}};
  json::array locations;
  for (int64_t id : p.location_ids) locations.push_back(Reference("Location", id));
  if (!locations.empty()) role["location"] = std::move(locations);
  if (!p.specialty.empty()) role["specialty"] = json::array{json::object{{"text", p.specialty}}};
  return role;
}

json::object LocationResource(const Location& l) {
  json::object r{{"resourceType", "Location"},
                 {"id", std::to_string(l.id)},
                 {"status", "active"},
                 {"name", l.name},
                 {"mode", "instance"}};
  if (!l.time_zone.empty()) {
    r["extension"] = json::array{json::object{{"url", kTimeZoneExtension}, {"valueCode", l.time_zone}}};
  }
  if (!l.phone.empty()) r["telecom"] = json::array{json::object{{"system", "phone"}, {"value", l.phone}}};
  if (!l.address.empty()) r["address"] = json::object{{"text", l.address}};
  return r;
}

json::object ServiceType(int64_t type_id, const std::string& name) {
  json::object coding{{"system", kAppointmentTypeSystem}, {"code", std::to_string(type_id)}};
  if (!name.empty()) coding["display"] = name;
  json::object concept_{{"coding", json::array{std::move(coding)}}};
  if (!name.empty()) concept_["text"] = name;
  return concept_;
}

json::object ScheduleResource(const Provider& p, const std::vector<AppointmentType>& types) {
  json::array actors{json::object{{"reference", "Practitioner/" + std::to_string(p.id)}, {"display", p.name}}};
  for (int64_t id : p.location_ids) actors.push_back(Reference("Location", id));
  json::array services;
  for (const AppointmentType& t : types) {
    if (t.active && std::find(t.provider_ids.begin(), t.provider_ids.end(), p.id) != t.provider_ids.end()) {
      services.push_back(ServiceType(t.id, t.name));
    }
  }
  json::object r{{"resourceType", "Schedule"}, {"id", std::to_string(p.id)}, {"active", p.active}};
  if (!services.empty()) r["serviceType"] = std::move(services);
  if (!p.specialty.empty()) r["specialty"] = json::array{json::object{{"text", p.specialty}}};
  r["actor"] = std::move(actors);
  r["comment"] = p.name + "'s bookable time";
  return r;
}

namespace {
constexpr int64_t kLastSlotMinute = int64_t{253'402'300'800} / 60;  // 10000-01-01T00:00:00Z
}  // namespace

std::string FormatSlotId(const SlotKey& k) {
  return std::to_string(k.provider_id) + "-" + std::to_string(k.location_id) + "-" + std::to_string(k.type_id) +
         "-" + std::to_string(k.start_minute);
}

std::optional<SlotKey> ReadSlotId(std::string_view id) {
  int64_t parts[4];
  for (int i = 0; i < 4; ++i) {
    const size_t dash = i < 3 ? id.find('-') : id.size();
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view part = id.substr(0, dash);
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), parts[i]);
    if (ec != std::errc() || end != part.data() + part.size() || part.empty() || parts[i] <= 0) return std::nullopt;
    id.remove_prefix(std::min(id.size(), dash + 1));
  }
  // A minute this server could have issued (before the year 9999): its milliseconds must not overflow.
  if (parts[3] > kLastSlotMinute) return std::nullopt;
  return SlotKey{parts[3], parts[0], parts[1], parts[2]};
}

json::object SlotResource(const Slot& slot, const AppointmentType& type, std::string_view time_zone) {
  const int64_t minute = ToMillis(slot.start) / 60'000;
  return {{"resourceType", "Slot"},
          {"id", FormatSlotId({minute, slot.provider_id, slot.location_id, type.id})},
          {"serviceType", json::array{ServiceType(type.id, type.name)}},
          {"schedule", Reference("Schedule", slot.provider_id)},
          {"status", "free"},
          {"start", FormatInstant(slot.start, time_zone)},
          {"end", FormatInstant(slot.end, time_zone)},
          {"comment", "Location/" + std::to_string(slot.location_id)}};
}

Result<SlotSearch> ReadSlotSearch(const QueryParams& query) {
  SlotSearch out;
  const auto bad = [](std::string_view field, std::string message) {
    return Error::Invalid(std::string(field), std::move(message), "invalid_search_parameter");
  };
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    bool used = true;
    if (key.find(':') != std::string::npos) return bad(key, "modifiers are not supported on Slot searches");
    if (key == "schedule") {
      for (const auto& v : SplitAlternatives(value)) out.providers.push_back(ReferenceId(v, "Schedule"));
    } else if (key == "service-type") {
      for (const auto& v : SplitAlternatives(value)) {
        std::string_view code = v;
        bool ours = true;
        if (const size_t bar = code.find('|'); bar != std::string_view::npos) {
          ours = bar == 0 || code.substr(0, bar) == kAppointmentTypeSystem;
          code.remove_prefix(bar + 1);
        }
        out.types.push_back(ours ? ReferenceId(code, "AppointmentType") : -1);
      }
    } else if (key == "start") {
      CD_RETURN_IF_ERROR(NarrowWindow(key, value, out.from_ms, out.to_ms));
    } else if (key == "status") {
      static constexpr std::string_view kCodes[] = {"busy", "free", "busy-unavailable", "busy-tentative",
                                                    "entered-in-error"};
      bool free = false;
      for (const auto& v : SplitAlternatives(value)) {
        if (std::find(std::begin(kCodes), std::end(kCodes), v) == std::end(kCodes)) {
          return bad(key, "status: \"" + v + "\" is not one of busy, free, busy-unavailable, busy-tentative, "
                          "entered-in-error");
        }
        free = free || v == "free";
      }
      out.free = out.free && free;
    } else if (key == "_count") {
      CD_ASSIGN_OR_RETURN(out.limit, ReadCount(value));
      if (out.limit < 1 || out.limit > static_cast<int>(kMaxSlotLimit)) {
        return bad(key, "_count must be from 1 to " + std::to_string(kMaxSlotLimit) + " for slots");
      }
    } else if (key == "_cursor") {
      used = false;
      auto k = ReadSlotId(value);
      if (!k) return bad(key, "not a cursor this server issued");
      out.after = *k;
    } else if (key == "_format") {
      used = false;
    } else {
      used = false;
      out.ignored.push_back(key);
    }
    if (used) out.used.emplace_back(key, value);
  }
  if (out.from_ms && out.to_ms && *out.to_ms <= *out.from_ms) out.free = false;  // an empty window
  return out;
}

Result<SetupSearch> ReadSetupSearch(std::string_view type, const QueryParams& query) {
  SetupSearch out;
  const bool role = type == "PractitionerRole", schedule = type == "Schedule";
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    bool used = true;
    if (key.find(':') != std::string::npos && key != "_cursor") {
      return Error::Invalid(key, "modifiers are not supported on " + std::string(type) + " searches",
                            "invalid_search_parameter");
    }
    if (key == "_id") {
      std::vector<int64_t> any;
      for (const auto& v : SplitAlternatives(value)) any.push_back(ReferenceId(v, type));
      out.ids.push_back(std::move(any));
    } else if (key == "name" && !role && !schedule) {
      std::vector<std::string> any;
      for (const auto& v : SplitAlternatives(value)) any.push_back(AsciiLower(TrimSpace(v)));
      out.names.push_back(std::move(any));
    } else if ((key == "practitioner" && role) || (key == "location" && (role || type == "HealthcareService"))) {
      std::vector<int64_t> any;
      for (const auto& v : SplitAlternatives(value)) any.push_back(ReferenceId(v, key == "location" ? "Location" : "Practitioner"));
      (key == "location" ? out.locations : out.practitioners).push_back(std::move(any));
    } else if (key == "actor" && type == "Schedule") {
      std::vector<int64_t> practitioners, locations;
      for (const auto& v : SplitAlternatives(value)) {
        if (v.find("Location/") != std::string::npos) {
          locations.push_back(ReferenceId(v, "Location"));
        } else if (v.find("Practitioner/") != std::string::npos) {
          practitioners.push_back(ReferenceId(v, "Practitioner"));
        } else {
          return Error::Invalid(key, "actor: \"" + v + "\" needs a type: Practitioner/id or Location/id",
                                "invalid_search_parameter");
        }
      }
      if (!practitioners.empty() && !locations.empty()) {
        return Error::Invalid(key, "actor: the alternatives of one actor parameter must be of one type",
                              "invalid_search_parameter");
      }
      (locations.empty() ? out.practitioners : out.locations)
          .push_back(locations.empty() ? std::move(practitioners) : std::move(locations));
    } else if (key == "active" && type != "Location") {
      if (value != "true" && value != "false") {
        return Error::Invalid(key, "active takes true or false", "invalid_search_parameter");
      }
      out.active = value == "true";
    } else if (key == "_count") {
      CD_ASSIGN_OR_RETURN(out.limit, ReadCount(value));
    } else if (key == "_cursor") {
      used = false;
      int64_t id = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
      if (ec != std::errc() || end != value.data() + value.size() || id < 0) {
        return Error::Invalid("_cursor", "not a cursor this server issued", "invalid_search_parameter");
      }
      out.after_id = id;
    } else if (key == "_format") {
      used = false;
    } else {
      used = false;
      out.ignored.push_back(key);
    }
    if (used) out.used.emplace_back(key, value);
  }
  return out;
}

bool Matches(const SetupSearch& s, const Provider& p, bool as_role) {
  if (s.active && p.active != *s.active) return false;
  if (!AllHold(s.ids, [&](int64_t id) { return id == p.id; })) return false;
  if (!as_role && !AllHold(s.names, [&](const std::string& n) { return AnyWordStartsWith(p.name, n); })) return false;
  if (!AllHold(s.practitioners, [&](int64_t id) { return id == p.id; })) return false;
  return AllHold(s.locations, [&](int64_t id) {
    return std::find(p.location_ids.begin(), p.location_ids.end(), id) != p.location_ids.end();
  });
}

bool MatchesSchedule(const SetupSearch& s, const Provider& p) { return Matches(s, p, true); }

bool Matches(const SetupSearch& s, const OfferedService& o) {
  if (s.active && o.type.active != *s.active) return false;
  if (!AllHold(s.ids, [&](int64_t id) { return id == o.id; })) return false;
  if (!AllHold(s.names, [&](const std::string& n) { return AnyWordStartsWith(o.type.name, n); })) return false;
  return AllHold(s.locations, [&](int64_t id) {
    return std::binary_search(o.location_ids.begin(), o.location_ids.end(), id);
  });
}

std::vector<OfferedService> OfferedServices(const std::vector<AppointmentType>& types,
                                            const std::vector<Provider>& providers) {
  std::vector<OfferedService> out;
  for (const AppointmentType& t : types) {
    OfferedService o{t.id, t, {}};
    for (const Provider& p : providers) {
      if (!p.active || std::find(t.provider_ids.begin(), t.provider_ids.end(), p.id) == t.provider_ids.end()) continue;
      o.location_ids.insert(o.location_ids.end(), p.location_ids.begin(), p.location_ids.end());
    }
    std::sort(o.location_ids.begin(), o.location_ids.end());
    o.location_ids.erase(std::unique(o.location_ids.begin(), o.location_ids.end()), o.location_ids.end());
    out.push_back(std::move(o));
  }
  return out;
}

json::object HealthcareServiceResource(const OfferedService& o) {
  const AppointmentType& t = o.type;
  const bool telehealth = t.modality == kModalityTelehealth;
  json::object r{{"resourceType", "HealthcareService"},
                 {"id", std::to_string(o.id)},
                 {"active", t.active},
                 {"type", json::array{ServiceType(t.id, t.name)}},
                 {"name", t.name}};
  if (!o.location_ids.empty()) {
    json::array locations;
    for (int64_t id : o.location_ids) locations.push_back(json::object{{"reference", "Location/" + std::to_string(id)}});
    r["location"] = std::move(locations);
  }
  r["comment"] = std::to_string(t.duration_minutes) + "-minute appointments, " +
                 (telehealth ? "by video (telehealth)" : "in person");
  r["characteristic"] = json::array{json::object{{"text", telehealth ? "Telehealth" : "In person"}}};
  r["appointmentRequired"] = true;
  return r;
}

bool Matches(const SetupSearch& s, const Location& l) {
  if (!AllHold(s.ids, [&](int64_t id) { return id == l.id; })) return false;
  return AllHold(s.names, [&](const std::string& n) { return AnyWordStartsWith(l.name, n); });
}

}  // namespace caredesk::fhir
