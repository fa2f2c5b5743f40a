#include "fhir/schedule_resources.h"

#include <boost/json/array.hpp>
#include <charconv>

#include "core/text.h"

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

Result<SetupSearch> ReadSetupSearch(std::string_view type, const QueryParams& query) {
  SetupSearch out;
  const bool role = type == "PractitionerRole";
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
    } else if (key == "name" && !role) {
      std::vector<std::string> any;
      for (const auto& v : SplitAlternatives(value)) any.push_back(AsciiLower(TrimSpace(v)));
      out.names.push_back(std::move(any));
    } else if ((key == "practitioner" || key == "location") && role) {
      std::vector<int64_t> any;
      for (const auto& v : SplitAlternatives(value)) any.push_back(ReferenceId(v, key == "location" ? "Location" : "Practitioner"));
      (key == "location" ? out.locations : out.practitioners).push_back(std::move(any));
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

bool Matches(const SetupSearch& s, const Location& l) {
  if (!AllHold(s.ids, [&](int64_t id) { return id == l.id; })) return false;
  return AllHold(s.names, [&](const std::string& n) { return AnyWordStartsWith(l.name, n); });
}

}  // namespace caredesk::fhir
