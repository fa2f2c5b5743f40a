#include "fhir/coverage_resource.h"

#include <boost/json/array.hpp>

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr char kRelationshipSystem[] = "http://terminology.hl7.org/CodeSystem/subscriber-relationship";
constexpr char kClassSystem[] = "http://terminology.hl7.org/CodeSystem/coverage-class";
constexpr std::string_view kStatusValueSet[] = {"active", "cancelled", "draft", "entered-in-error"};
// No member id, group number or payer has it: the criterion then matches nothing.
constexpr char kNoValue[] = "\x01";

// A token's alternatives: the code, or system|code where a system other than `system` matches nothing.
AnyOf<std::string> ReadTokens(std::string_view value, std::string_view system) {
  AnyOf<std::string> out;
  for (const auto& v : SplitAlternatives(value)) {
    const size_t bar = v.find('|');
    if (bar == std::string::npos) {
      out.push_back(v);
    } else if (bar == 0 || std::string_view(v).substr(0, bar) == system) {
      out.push_back(v.substr(bar + 1));
    } else {
      out.emplace_back(kNoValue);
    }
  }
  return out;
}

}  // namespace

json::object CoverageResource(const db::CoverageRow& row) {
  const Coverage& c = row.coverage;
  json::object r{{"resourceType", "Coverage"}, {"id", std::to_string(row.id)}, {"status", "active"}};
  const json::object patient{{"reference", "Patient/" + std::to_string(row.patient_id)},
                             {"display", row.patient_name}};
  if (!c.member_id.empty()) {
    r["identifier"] = json::array{json::object{{"use", "official"}, {"system", kMemberIdSystem}, {"value", c.member_id}}};
    r["subscriberId"] = c.member_id;
  }
  if (c.relationship == "self") r["subscriber"] = patient;
  r["beneficiary"] = patient;
  if (!c.relationship.empty()) {
    r["relationship"] = json::object{
        {"coding", json::array{json::object{{"system", kRelationshipSystem}, {"code", c.relationship}}}}};
  }
  if (c.start_date || c.end_date) {
    json::object period;
    if (c.start_date) period["start"] = c.start_date->ToString();
    if (c.end_date) period["end"] = c.end_date->ToString();
    r["period"] = std::move(period);
  }
  r["payor"] = json::array{json::object{{"display", c.payer.empty() ? "unknown payer" : c.payer}}};
  if (!c.group_number.empty()) {
    r["class"] = json::array{json::object{
        {"type", json::object{{"coding", json::array{json::object{{"system", kClassSystem}, {"code", "group"}}}}}},
        {"value", c.group_number}}};
  }
  return r;
}

Result<CoverageSearch> ReadCoverageSearch(const QueryParams& query) {
  using C = CoverageCriteria;
  static constexpr ReferenceParam<C> kReferences[] = {{"patient", "Patient", &C::patients},
                                                      {"beneficiary", "Patient", &C::patients}};
  static constexpr IncludeRule kIncludes[] = {{"Coverage:patient", "Patient"},
                                              {"Coverage:beneficiary", "Patient"},
                                              {"Coverage:beneficiary:Patient", "Patient"}};
  return ReadKeyedSearch<C>(
      query, "Coverage", "", kReferences, kIncludes,
      [&](const std::string& key, std::string_view name, std::string_view modifier, const std::string& value,
          C& q) -> Result<bool> {
        CD_RETURN_IF_ERROR(NoModifier(key, name, modifier));
        if (name == "identifier") {
          q.member_ids.push_back(ReadTokens(value, kMemberIdSystem));
        } else if (name == "subscriber-id") {
          q.member_ids.push_back(ReadTokens(value, ""));
        } else if (name == "class-value") {
          q.groups.push_back(ReadTokens(value, ""));
        } else if (name == "payor") {
          AnyOf<std::string> payers;
          for (auto& v : SplitAlternatives(value)) payers.push_back(std::move(v));
          q.payers.push_back(std::move(payers));
        } else if (name == "status") {
          bool active = false;
          for (const auto& v : SplitAlternatives(value)) {
            const std::string code = v.substr(v.find('|') == std::string::npos ? 0 : v.find('|') + 1);
            if (std::find(std::begin(kStatusValueSet), std::end(kStatusValueSet), code) == std::end(kStatusValueSet)) {
              return BadParameter(key, "status: \"" + code + "\" is not one of active, cancelled, draft, entered-in-error");
            }
            active = active || code == "active";
          }
          // Every coverage is active: with active among the codes the parameter asks nothing; else nothing matches.
          if (!active) q.ids.push_back({-1});
        } else {
          return false;
        }
        return true;
      });
}

}  // namespace caredesk::fhir
