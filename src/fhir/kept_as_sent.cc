#include "fhir/kept_as_sent.h"

#include <algorithm>
#include <vector>

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr std::string_view kPractitioner[] = {"name", "active"};
constexpr std::string_view kEncounter[] = {"status",      "class",       "statusHistory", "type",    "subject",
                                           "participant", "appointment", "period",        "location"};
constexpr std::string_view kCoverage[] = {"status",       "identifier", "subscriberId", "subscriber", "beneficiary",
                                          "relationship", "period",     "payor",        "class"};

}  // namespace

std::span<const std::string_view> PractitionerModelled() { return kPractitioner; }
std::span<const std::string_view> EncounterModelled() { return kEncounter; }
std::span<const std::string_view> CoverageModelled() { return kCoverage; }

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

}  // namespace caredesk::fhir
