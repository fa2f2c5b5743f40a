#include "fhir/patient_resource.h"

#include <boost/json/array.hpp>

#include "core/civil_time.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr char kIdentifierTypes[] = "http://terminology.hl7.org/CodeSystem/v2-0203";
constexpr char kContactRoles[] = "http://terminology.hl7.org/CodeSystem/v2-0131";

// The HL7 v2 identifier type codes (table 0203) CareDesk receives in PID-3, as FHIR codes of the same table.
bool IsV2IdentifierType(std::string_view type) {
  return !type.empty() && type.size() <= 5 &&
         std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

json::object Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json::object c{{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

json::array Identifiers(const PatientWithIdentifiers& p) {
  json::array out;
  if (!p.patient.mrn.empty()) {
    out.push_back(json::object{
        {"use", "usual"},
        {"type", json::object{{"coding", json::array{Coding(kIdentifierTypes, "MR", "Medical record number")}}}},
        {"system", kMrnSystem},
        {"value", p.patient.mrn}});
  }
  for (const auto& id : p.identifiers) {
    json::object o{{"system", id.system}, {"value", id.value}};
    if (IsV2IdentifierType(id.type)) {
      o["type"] = json::object{{"coding", json::array{Coding(kIdentifierTypes, id.type)}}};
    } else if (!id.type.empty()) {
      o["type"] = json::object{{"text", id.type}};
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::array Telecom(const Patient& p) {
  json::array out;
  const std::string& preferred = p.preferred_contact_method;
  if (!p.phone.empty()) {
    json::object phone{{"system", "phone"}, {"value", p.phone}, {"use", "home"}};
    if (preferred == "phone") phone["rank"] = 1;
    out.push_back(std::move(phone));
    if (preferred == "sms") out.push_back(json::object{{"system", "sms"}, {"value", p.phone}, {"rank", 1}});
  }
  if (!p.email.empty()) {
    json::object email{{"system", "email"}, {"value", p.email}};
    if (preferred == "email") email["rank"] = 1;
    out.push_back(std::move(email));
  }
  return out;
}

void PutIfSet(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

}  // namespace

std::string VersionTag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::optional<int64_t> ReadResourceId(std::string_view text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::optional<int64_t> ReadVersionTag(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  return ReadResourceId(tag);
}

json::object PatientResource(const PatientWithIdentifiers& item) {
  const Patient& p = item.patient;
  json::object r{{"resourceType", "Patient"},
                 {"id", std::to_string(p.id)},
                 {"meta", json::object{{"versionId", std::to_string(p.version)},
                                       {"lastUpdated", FormatInstantUtc(FromMillis(p.updated_at_ms))}}}};
  if (json::array ids = Identifiers(item); !ids.empty()) r["identifier"] = std::move(ids);
  r["active"] = !p.merged_into;  // a record merged into another is no longer in use
  json::array given;
  if (!p.given_name.empty()) given.emplace_back(p.given_name);
  if (!p.middle_name.empty()) given.emplace_back(p.middle_name);
  json::object name{{"use", "official"}, {"family", p.family_name}};
  if (!given.empty()) name["given"] = std::move(given);
  r["name"] = json::array{std::move(name)};
  if (json::array telecom = Telecom(p); !telecom.empty()) r["telecom"] = std::move(telecom);
  r["gender"] = p.sex.empty() ? "unknown" : p.sex;
  r["birthDate"] = p.birth_date.ToString();
  const Address& a = p.address;
  if (!a.line1.empty() || !a.line2.empty() || !a.city.empty() || !a.state.empty() || !a.postal_code.empty() ||
      !a.country.empty()) {
    json::object address{{"use", "home"}};
    json::array lines;
    if (!a.line1.empty()) lines.emplace_back(a.line1);
    if (!a.line2.empty()) lines.emplace_back(a.line2);
    if (!lines.empty()) address["line"] = std::move(lines);
    PutIfSet(address, "city", a.city);
    PutIfSet(address, "state", a.state);
    PutIfSet(address, "postalCode", a.postal_code);
    PutIfSet(address, "country", a.country);
    r["address"] = json::array{std::move(address)};
  }
  const EmergencyContact& ec = p.emergency_contact;
  if (!ec.name.empty()) {
    json::object relationship{{"coding", json::array{Coding(kContactRoles, "C", "Emergency Contact")}}};
    PutIfSet(relationship, "text", ec.relationship);
    json::object contact{{"relationship", json::array{std::move(relationship)}},
                         {"name", json::object{{"text", ec.name}}}};
    if (!ec.phone.empty()) contact["telecom"] = json::array{json::object{{"system", "phone"}, {"value", ec.phone}}};
    r["contact"] = json::array{std::move(contact)};
  }
  if (!p.preferred_language.empty()) {
    r["communication"] = json::array{json::object{
        {"language", json::object{{"coding", json::array{Coding("urn:ietf:bcp:47", p.preferred_language)}}}},
        {"preferred", true}}};
  }
  if (p.merged_into) {
    r["link"] = json::array{json::object{{"other", json::object{{"reference", "Patient/" + std::to_string(*p.merged_into)}}},
                                         {"type", "replaced-by"}}};
  }
  return r;
}

}  // namespace caredesk::fhir
