#include "fhir/kept_as_sent.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "storage/fhir_source_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr std::string_view kPractitioner[] = {"name", "active"};
constexpr std::string_view kEncounter[] = {"status",      "class",       "statusHistory", "type",    "subject",
                                           "participant", "appointment", "period",        "location"};

json::object ParseObject(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : json::object();
}

int64_t Number(const json::value* v) {
  if (!v || !v->is_string()) return 0;
  const std::string_view s = v->get_string();
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() && end == s.data() + s.size() ? n : 0;
}

int64_t VersionOf(const json::object& resource) {
  const json::value* meta = resource.if_contains("meta");
  return meta && meta->is_object() ? Number(meta->get_object().if_contains("versionId")) : 0;
}

}  // namespace

std::span<const std::string_view> PractitionerModelled() { return kPractitioner; }
std::span<const std::string_view> EncounterModelled() { return kEncounter; }

json::object KeepAsSent(const json::object& original, const json::object& projection, json::object current,
                        std::span<const std::string_view> modelled, bool keep_unsent) {
  const auto is_modelled = [&](std::string_view key) {
    return std::find(modelled.begin(), modelled.end(), key) != modelled.end();
  };
  // Judged before `current` is touched.
  std::vector<std::string_view> same;
  for (std::string_view key : modelled) {
    const json::value* then = projection.if_contains(key);
    const json::value* now = current.if_contains(key);
    if ((!then && !now) || (then && now && *then == *now)) same.push_back(key);
  }
  const auto unchanged = [&](std::string_view key) { return std::find(same.begin(), same.end(), key) != same.end(); };
  for (std::string_view key : same) {
    // As the writer sent it, or absent when it sent none.
    if (const json::value* sent = original.if_contains(key)) {
      current[key] = *sent;
    } else if (!keep_unsent) {
      current.erase(key);
    }
  }
  for (const auto& [key, value] : original) {
    const std::string_view k = key;
    if (k == "resourceType" || k == "id" || k == "meta") continue;
    const std::string_view base = k.starts_with('_') ? k.substr(1) : k;
    if (!is_modelled(base)) {
      current[key] = value;  // CareDesk does not model it: always as sent
    } else if (k != base && unchanged(base)) {
      current[key] = value;  // the primitive extension of an element still as sent
    }
  }
  return current;
}

json::object AsSent(json::object resource) {
  resource.erase("id");
  resource.erase("meta");
  return resource;
}

Status ServeAsSent(db::Connection& c, std::string_view type, std::span<const std::string_view> modelled,
                   std::vector<json::object>& resources) {
  std::vector<int64_t> ids;
  ids.reserve(resources.size());
  for (const json::object& r : resources) {
    if (const int64_t id = Number(r.if_contains("id")); id > 0) ids.push_back(id);
  }
  if (ids.empty()) return Ok();
  CD_ASSIGN_OR_RETURN(std::vector<db::FhirSourceRow> latest, db::FhirSourceRepository::Latest(c, type, ids));
  if (latest.empty()) return Ok();
  std::unordered_map<int64_t, const db::FhirSourceRow*> by_id;
  for (const db::FhirSourceRow& row : latest) by_id[row.resource_id] = &row;
  for (json::object& r : resources) {
    const int64_t id = Number(r.if_contains("id"));
    const auto found = by_id.find(id);
    if (found == by_id.end()) continue;
    const int64_t version = VersionOf(r);
    const db::FhirSourceRow* source = found->second;
    std::optional<db::FhirSourceRow> earlier;
    if (version > 0 && source->version > version) {
      // Written again since this resource was read: what was sent for the version read.
      CD_ASSIGN_OR_RETURN(earlier, db::FhirSourceRepository::AtOrBefore(c, type, id, version));
      if (!earlier) continue;
      source = &*earlier;
    }
    r = KeepAsSent(ParseObject(source->original), ParseObject(source->projection), std::move(r), modelled,
                   /*keep_unsent=*/true);
  }
  return Ok();
}

}  // namespace caredesk::fhir
