#include "fhir/patient_input.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "domain/patients/patient_criteria.h"
#include "fhir/kept_as_sent.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

// The elements of a Patient CareDesk reads into its record and writes back from it.
constexpr std::string_view kModelled[] = {"identifier", "active",  "name",    "telecom",      "gender",
                                          "birthDate",  "address", "contact", "communication"};

std::string Path(std::string_view element, std::optional<size_t> index, std::string_view rest = {}) {
  std::string p = "Patient." + std::string(element);
  if (index) p += "[" + std::to_string(*index) + "]";
  if (!rest.empty()) p += "." + std::string(rest);
  return p;
}

// Where each part of the record came from, to name it in an error.
struct Sources {
  std::optional<size_t> name, phone, email, address, contact, communication;
};

const json::object* AsObject(const json::value* v) { return v && v->is_object() ? &v->get_object() : nullptr; }
const json::array* AsArray(const json::value* v) { return v && v->is_array() ? &v->get_array() : nullptr; }
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The index of the first object in `a` for which `pick` holds, else of the first object.
template <typename Pick>
std::optional<size_t> Choose(const json::array& a, Pick pick) {
  std::optional<size_t> first;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) continue;
    if (pick(a[i].get_object())) return i;
    if (!first) first = i;
  }
  return first;
}

// An element that must be an array of objects when present.
Result<const json::array*> ArrayOf(const json::object& r, std::string_view key) {
  const json::value* v = r.if_contains(key);
  if (!v) return static_cast<const json::array*>(nullptr);
  if (!v->is_array()) return Error::Invalid(Path(key, std::nullopt), std::string(key) + " must be an array");
  for (size_t i = 0; i < v->get_array().size(); ++i) {
    if (!v->get_array()[i].is_object()) {
      return Error::Invalid(Path(key, i), std::string(key) + " entries must be objects");
    }
  }
  return &v->get_array();
}

Status ReadName(const json::object& r, Patient& p, Sources& src) {
  CD_ASSIGN_OR_RETURN(const json::array* names, ArrayOf(r, "name"));
  if (!names || names->empty()) return Error::Unprocessable("Patient.name", "a patient needs a name with a family and a given name");
  auto i = Choose(*names, [](const json::object& n) { return Str(n, "use") == "official"; });
  if (Str(names->at(*i).get_object(), "use") != "official") {
    i = Choose(*names, [](const json::object& n) { return Str(n, "use") == "usual"; });
  }
  src.name = i;
  const json::object& n = names->at(*i).get_object();
  p.family_name = Str(n, "family");
  if (const json::array* given = AsArray(n.if_contains("given"))) {
    for (size_t g = 0; g < given->size(); ++g) {
      if (!(*given)[g].is_string()) return Error::Invalid(Path("name", i, "given[" + std::to_string(g) + "]"), "given names are strings");
      std::string part((*given)[g].get_string());
      if (g == 0) {
        p.given_name = part;
      } else {
        p.middle_name += (p.middle_name.empty() ? "" : " ") + part;
      }
    }
  }
  if (p.family_name.empty()) return Error::Unprocessable(Path("name", i, "family"), "CareDesk needs the family name");
  if (p.given_name.empty()) return Error::Unprocessable(Path("name", i, "given"), "CareDesk needs a given name");
  return Ok();
}

Status ReadTelecom(const json::object& r, Patient& p, Sources& src) {
  CD_ASSIGN_OR_RETURN(const json::array* telecom, ArrayOf(r, "telecom"));
  if (!telecom) return Ok();
  for (size_t i = 0; i < telecom->size(); ++i) {
    const json::object& t = (*telecom)[i].get_object();
    const std::string system = Str(t, "system"), value = Str(t, "value");
    const json::value* rank = t.if_contains("rank");
    const bool first_rank = rank && rank->is_int64() && rank->get_int64() == 1;
    if ((system == "phone" || system == "sms") && !value.empty()) {
      if (!src.phone) {
        src.phone = i;
        p.phone = value;
      }
      if (first_rank && p.phone == value) p.preferred_contact_method = system;
    } else if (system == "email" && !value.empty()) {
      if (!src.email) {
        src.email = i;
        p.email = value;
      }
      if (first_rank && p.email == value) p.preferred_contact_method = "email";
    }
  }
  return Ok();
}

Status ReadAddress(const json::object& r, Patient& p, Sources& src) {
  CD_ASSIGN_OR_RETURN(const json::array* addresses, ArrayOf(r, "address"));
  if (!addresses || addresses->empty()) return Ok();
  auto i = Choose(*addresses, [](const json::object& a) { return Str(a, "use") == "home"; });
  src.address = i;
  const json::object& a = addresses->at(*i).get_object();
  if (const json::array* lines = AsArray(a.if_contains("line"))) {
    if (lines->size() > 0 && (*lines)[0].is_string()) p.address.line1 = std::string((*lines)[0].get_string());
    if (lines->size() > 1 && (*lines)[1].is_string()) p.address.line2 = std::string((*lines)[1].get_string());
  }
  p.address.city = Str(a, "city");
  p.address.state = Str(a, "state");
  p.address.postal_code = Str(a, "postalCode");
  // "USA" or "Australia" are valid FHIR: CareDesk keeps them as sent but records no country.
  std::string country = Str(a, "country");
  if (country.size() == 2 && std::all_of(country.begin(), country.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
    std::transform(country.begin(), country.end(), country.begin(), [](char c) { return std::toupper(static_cast<unsigned char>(c)); });
    p.address.country = country;
  }
  return Ok();
}

Status ReadContact(const json::object& r, Patient& p, Sources& src) {
  CD_ASSIGN_OR_RETURN(const json::array* contacts, ArrayOf(r, "contact"));
  if (!contacts || contacts->empty()) return Ok();
  auto emergency = [](const json::object& c) {
    const json::array* rel = AsArray(c.if_contains("relationship"));
    if (!rel) return false;
    for (const auto& code : *rel) {
      const json::array* codings = code.is_object() ? AsArray(code.get_object().if_contains("coding")) : nullptr;
      if (!codings) continue;
      for (const auto& coding : *codings) {
        if (coding.is_object() && (Str(coding.get_object(), "code") == "C" || Str(coding.get_object(), "code") == "EP")) return true;
      }
    }
    return false;
  };
  auto i = Choose(*contacts, emergency);
  const json::object& c = contacts->at(*i).get_object();
  std::string name;
  if (const json::object* n = AsObject(c.if_contains("name"))) {
    name = Str(*n, "text");
    if (name.empty()) {
      if (const json::array* given = AsArray(n->if_contains("given"))) {
        for (const auto& g : *given) {
          if (g.is_string()) name += (name.empty() ? "" : " ") + std::string(g.get_string());
        }
      }
      const std::string family = Str(*n, "family");
      if (!family.empty()) name += (name.empty() ? "" : " ") + family;
    }
  }
  std::string phone;
  if (const json::array* telecom = AsArray(c.if_contains("telecom"))) {
    for (const auto& t : *telecom) {
      if (t.is_object() && Str(t.get_object(), "system") == "phone" && phone.empty()) phone = Str(t.get_object(), "value");
    }
  }
  // CareDesk's emergency contact needs both; a contact without them stays only as sent.
  if (name.empty() || phone.empty()) return Ok();
  src.contact = i;
  p.emergency_contact.name = name;
  p.emergency_contact.phone = phone;
  if (const json::array* rel = AsArray(c.if_contains("relationship")); rel && !rel->empty() && rel->at(0).is_object()) {
    p.emergency_contact.relationship = Str(rel->at(0).get_object(), "text");
  }
  return Ok();
}

void ReadCommunication(const json::object& r, Patient& p, Sources& src) {
  const json::array* comms = AsArray(r.if_contains("communication"));
  if (!comms || comms->empty()) return;
  auto i = Choose(*comms, [](const json::object& c) {
    const json::value* pref = c.if_contains("preferred");
    return pref && pref->is_bool() && pref->get_bool();
  });
  if (!i) return;
  const json::object* language = AsObject(comms->at(*i).get_object().if_contains("language"));
  const json::array* codings = language ? AsArray(language->if_contains("coding")) : nullptr;
  if (!codings) return;
  for (const auto& coding : *codings) {
    if (coding.is_object() && !Str(coding.get_object(), "code").empty()) {
      p.preferred_language = Str(coding.get_object(), "code");
      src.communication = i;
      return;
    }
  }
}

Status ReadIdentifiers(const json::object& r, std::vector<db::PatientIdentifierRow>& out) {
  CD_ASSIGN_OR_RETURN(const json::array* ids, ArrayOf(r, "identifier"));
  if (!ids) return Ok();
  for (size_t i = 0; i < ids->size(); ++i) {
    const json::object& id = (*ids)[i].get_object();
    const std::string system = Str(id, "system"), value = Str(id, "value");
    if (system == kMrnSystem) continue;  // CareDesk issues its own
    if (system.empty() || value.empty()) continue;  // nothing to match on: kept as sent only
    if (system.size() > 255 || value.size() > 255) {
      return Error::Unprocessable(Path("identifier", i), "identifier system and value are at most 255 characters");
    }
    std::string type;
    if (const json::object* t = AsObject(id.if_contains("type"))) {
      if (const json::array* codings = AsArray(t->if_contains("coding")); codings && !codings->empty() && codings->at(0).is_object()) {
        type = Str(codings->at(0).get_object(), "code");
      }
      if (type.empty()) type = Str(*t, "text");
    }
    out.push_back(db::PatientIdentifierRow{0, system, value, type});
  }
  return Ok();
}

// ValidateAndNormalize names CareDesk's fields; the writer needs the FHIR path.
std::string FhirPath(std::string_view field, const Sources& src) {
  auto starts = [&](std::string_view prefix) { return field.substr(0, prefix.size()) == prefix; };
  if (field == "given_name") return Path("name", src.name, "given[0]");
  if (field == "middle_name") return Path("name", src.name, "given");
  if (field == "family_name") return Path("name", src.name, "family");
  if (field == "birth_date") return "Patient.birthDate";
  if (field == "sex") return "Patient.gender";
  if (field == "phone") return src.phone ? Path("telecom", src.phone, "value") : "Patient.telecom";
  if (field == "email") return src.email ? Path("telecom", src.email, "value") : "Patient.telecom";
  if (field == "preferred_contact_method") return "Patient.telecom";
  if (starts("address")) return Path("address", src.address);
  if (starts("emergency_contact")) return Path("contact", src.contact);
  if (field == "preferred_language") return Path("communication", src.communication, "language");
  return "Patient";
}

}  // namespace

Result<PatientInput> ReadPatientResource(const json::value& body, CivilDate today) {
  if (!body.is_object()) return Error::Invalid("resourceType", "the body must be a FHIR Patient resource (a JSON object)");
  const json::object& r = body.get_object();
  if (Str(r, "resourceType") != "Patient") {
    return Error::Invalid("resourceType", "the body must be a Patient resource, not " +
                                              (Str(r, "resourceType").empty() ? std::string("untyped JSON") : Str(r, "resourceType")));
  }
  PatientInput in;
  Sources src;
  Patient& p = in.patient;
  CD_RETURN_IF_ERROR(ReadName(r, p, src));
  const std::string birth = Str(r, "birthDate");
  if (birth.empty()) return Error::Unprocessable("Patient.birthDate", "CareDesk needs the patient's birth date");
  if (birth.size() != 10) {
    return Error::Unprocessable("Patient.birthDate", "CareDesk needs the full birth date (YYYY-MM-DD), not " + birth);
  }
  auto date = ParseCivilDate(birth, "Patient.birthDate");
  if (!date.ok()) return Error::Unprocessable("Patient.birthDate", date.error().message);
  p.birth_date = *date;
  p.sex = Str(r, "gender");
  CD_RETURN_IF_ERROR(ReadTelecom(r, p, src));
  CD_RETURN_IF_ERROR(ReadAddress(r, p, src));
  CD_RETURN_IF_ERROR(ReadContact(r, p, src));
  ReadCommunication(r, p, src);
  CD_RETURN_IF_ERROR(ReadIdentifiers(r, in.identifiers));

  Status valid = ValidateAndNormalize(p, today);
  if (!valid.ok() && valid.error().field == "preferred_language") {
    // A language CareDesk cannot read as a BCP 47 tag is kept as sent only.
    p.preferred_language.clear();
    src.communication.reset();
    valid = ValidateAndNormalize(p, today);
  }
  if (!valid.ok()) return Error::Unprocessable(FhirPath(valid.error().field, src), valid.error().message);

  for (const auto& [key, value] : r) {
    if (key != "id" && key != "meta") in.original.emplace(key, value);
  }
  return in;
}

json::object KeepUnmodelled(const json::object& original, const json::object& projection, json::object current) {
  // CareDesk's MRN, to keep in identifier whatever the writer sent.
  std::optional<json::value> mrn;
  if (const json::array* ids = AsArray(current.if_contains("identifier"))) {
    for (const auto& id : *ids) {
      if (id.is_object() && Str(id.get_object(), "system") == kMrnSystem) mrn = id;
    }
  }
  current = KeepAsSent(original, projection, std::move(current), kModelled);
  if (mrn) {
    // An MRN the writer made up is not CareDesk's: dropped; the real one stays where the writer put it,
    // or goes first.
    const std::string real = Str(mrn->get_object(), "value");
    json::array& ids = current["identifier"].is_array() ? current["identifier"].get_array()
                                                        : current["identifier"].emplace_array();
    bool present = false;
    json::array kept;
    for (auto& v : ids) {
      const bool ours = v.is_object() && Str(v.get_object(), "system") == kMrnSystem;
      if (ours && Str(v.get_object(), "value") != real) continue;
      present = present || ours;
      kept.push_back(std::move(v));
    }
    if (!present) kept.insert(kept.begin(), *mrn);
    ids = std::move(kept);
  }
  return current;
}

}  // namespace caredesk::fhir
