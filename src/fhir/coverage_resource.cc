#include "fhir/coverage_resource.h"

#include <boost/json/array.hpp>

#include "core/civil_time.h"
#include "fhir/json_access.h"
#include "fhir/search_params.h"

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

namespace {

Error Bad(std::string path, std::string message) { return Error::Unprocessable(std::move(path), std::move(message)); }

// A date or date-time's day ("2024-01-01", "2024-01-01T00:00:00Z").
Result<std::optional<CivilDate>> DayOf(const json::object* period, const char* key) {
  if (!period || !period->contains(key)) return std::optional<CivilDate>();
  const std::string path = std::string("Coverage.period.") + key;
  const std::string text = StringAt(*period, key);
  if (text.size() < 10) return Bad(path, path + " must be a date or date-time, such as 2024-01-01");
  auto day = ParseCivilDate(std::string_view(text).substr(0, 10), path);
  if (!day.ok()) return Bad(path, path + " must be a date or date-time, such as 2024-01-01");
  return std::optional<CivilDate>(*day);
}

}  // namespace

Result<CoverageInput> ReadCoverage(const json::object& r) {
  CoverageInput in;
  Coverage& c = in.coverage;
  if (StringAt(r, "resourceType") != "Coverage") return Bad("resourceType", "resourceType must be Coverage");
  const std::string status = StringAt(r, "status");
  if (status != "active") {
    return Bad("Coverage.status", "CareDesk keeps the coverages a patient has: status must be active (was '" +
                                      status + "'); delete a coverage that has ended or was entered in error");
  }
  const std::string beneficiary = [&] {
    const json::object* b = ObjectAt(r, "beneficiary");
    return b ? StringAt(*b, "reference") : std::string();
  }();
  in.patient_id = ReferenceId(beneficiary, "Patient");
  if (in.patient_id <= 0) {
    return Bad("Coverage.beneficiary", "Coverage.beneficiary must reference a CareDesk patient (Patient/id)");
  }
  const json::array* payors = ArrayAt(r, "payor");
  const json::object* payor = payors && !payors->empty() && payors->front().is_object() ? &payors->front().get_object()
                                                                                         : nullptr;
  if (payor) {
    c.payer = StringAt(*payor, "display");
    if (c.payer.empty()) in.payor_reference = StringAt(*payor, "reference");
    // A patient who pays for their own care (FHIR's self-pay coverage).
    if (in.payor_reference.starts_with("Patient/")) {
      c.payer = "Self-pay";
      in.payor_reference.clear();
    }
  }
  if (c.payer.empty() && in.payor_reference.empty()) {
    return Bad("Coverage.payor", "Coverage.payor must name the payer: a display, or a reference to an Organization");
  }
  c.member_id = StringAt(r, "subscriberId");
  if (c.member_id.empty()) {
    if (const json::array* ids = ArrayAt(r, "identifier")) {
      for (const json::value& id : *ids) {
        if (!id.is_object() || StringAt(id.get_object(), "value").empty()) continue;
        if (c.member_id.empty() || StringAt(id.get_object(), "system") == kMemberIdSystem) {
          c.member_id = StringAt(id.get_object(), "value");
        }
      }
    }
  }
  if (c.member_id.empty()) {
    return Bad("Coverage.subscriberId", "the member id is required: Coverage.subscriberId, or an identifier");
  }
  if (const json::array* classes = ArrayAt(r, "class")) {
    for (const json::value& k : *classes) {
      if (!k.is_object()) continue;
      const json::object* type = ObjectAt(k.get_object(), "type");
      const json::array* codings = type ? ArrayAt(*type, "coding") : nullptr;
      bool group = false;
      for (const json::value& coding : codings ? *codings : json::array{}) {
        if (coding.is_object() && StringAt(coding.get_object(), "code") == "group") group = true;
      }
      if (group) {
        c.group_number = StringAt(k.get_object(), "value");
        break;
      }
    }
  }
  c.relationship = "self";
  if (const json::object* rel = ObjectAt(r, "relationship")) {
    const json::array* codings = ArrayAt(*rel, "coding");
    std::string code;
    for (const json::value& coding : codings ? *codings : json::array{}) {
      if (coding.is_object() && code.empty()) code = StringAt(coding.get_object(), "code");
    }
    if (code == "self" || code == "spouse" || code == "child") {
      c.relationship = code;
    } else if (code == "parent" || code == "common" || code == "injured" || code == "other") {
      c.relationship = "other";
    } else if (!code.empty()) {
      return Bad("Coverage.relationship", "Coverage.relationship must be a code of " + std::string(kRelationshipSystem) +
                                              " (self, spouse, child, parent, common, injured, other)");
    }
  }
  const json::object* period = ObjectAt(r, "period");
  CD_ASSIGN_OR_RETURN(c.start_date, DayOf(period, "start"));
  CD_ASSIGN_OR_RETURN(c.end_date, DayOf(period, "end"));
  if (c.start_date && c.end_date && *c.end_date < *c.start_date) {
    return Bad("Coverage.period.end", "Coverage.period.end is before its start");
  }
  return in;
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
