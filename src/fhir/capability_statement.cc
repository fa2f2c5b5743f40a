#include "fhir/capability_statement.h"

#include <boost/json/array.hpp>

#include "fhir/resource_types.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

json::object SearchParam(std::string_view name, std::string_view type, std::string_view documentation) {
  return {{"name", name},
          {"definition", "http://hl7.org/fhir/SearchParameter/" +
                             std::string(name.starts_with('_') ? "Resource-" + std::string(name.substr(1))
                                                               : "Patient-" + std::string(name))},
          {"type", type},
          {"documentation", documentation}};
}

}  // namespace

json::object CapabilityStatement(const std::string& base, const std::string& date) {
  json::array patient_params{
      SearchParam("_id", "token", "The patient's id; alternatives separated by commas"),
      SearchParam("_lastUpdated", "date", "When the record last changed; prefixes eq ne lt le gt ge sa eb ap"),
      SearchParam("identifier", "token",
                  "system|value: the MRN (urn:caredesk:mrn) or an identifier another system sent"),
      SearchParam("name", "string",
                  "The start of the given, middle or family name, whatever the case and accents; :exact (as "
                  "sent), :contains"),
      SearchParam("family", "string",
                  "The start of the family name, whatever the case and accents; :exact (as sent), :contains"),
      SearchParam("given", "string",
                  "The start of a given or middle name, whatever the case and accents; :exact (as sent), :contains"),
      SearchParam("birthdate", "date", "The birth date; prefixes eq ne lt le gt ge sa eb ap"),
      SearchParam("gender", "token", "male, female, other or unknown"),
      SearchParam("phone", "token", "The telephone number, any formatting; :missing"),
      SearchParam("email", "token", "The e-mail address, any case; :missing"),
  };
  json::object patient{
      {"type", "Patient"},
      {"profile", "http://hl7.org/fhir/StructureDefinition/Patient"},
      {"interaction", json::array{json::object{{"code", "read"}}, json::object{{"code", "search-type"}},
                                  json::object{{"code", "create"}}, json::object{{"code", "update"}},
                                  json::object{{"code", "vread"}}, json::object{{"code", "history-instance"}}}},
      {"versioning", "versioned-update"},
      {"readHistory", true},
      {"updateCreate", false},
      {"conditionalCreate", true},
      {"conditionalRead", "not-supported"},
      {"conditionalUpdate", false},
      {"conditionalDelete", "not-supported"},
      {"searchParam", std::move(patient_params)},
      {"operation", json::array{json::object{
                        {"name", "export"},
                        {"definition", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"}}}},
      {"searchRevInclude", json::array{"Appointment:patient", "Appointment:actor", "Encounter:patient",
                                       "Encounter:subject", "Coverage:patient", "Coverage:beneficiary"}},
  };
  auto setup = [](std::string_view type, json::array params) {
    return json::object{{"type", type},
                        {"profile", "http://hl7.org/fhir/StructureDefinition/" + std::string(type)},
                        {"interaction", json::array{json::object{{"code", "read"}}, json::object{{"code", "search-type"}}}},
                        {"versioning", "no-version"},
                        {"readHistory", false},
                        {"updateCreate", false},
                        {"searchParam", std::move(params)}};
  };
  auto param = [](std::string_view type, std::string_view name, std::string_view kind, std::string_view doc) {
    return json::object{{"name", name},
                        {"definition", "http://hl7.org/fhir/SearchParameter/" +
                                           (name.starts_with('_') ? std::string("Resource-") + std::string(name.substr(1))
                                                                  : std::string(type) + "-" + std::string(name))},
                        {"type", kind},
                        {"documentation", doc}};
  };
  json::object practitioner = setup(
      "Practitioner", json::array{param("Practitioner", "_id", "token", "The provider's id"),
                                  param("Practitioner", "name", "string", "A word of the name starts with it, any case"),
                                  param("Practitioner", "active", "token", "true or false")});
  json::object role = setup(
      "PractitionerRole",
      json::array{param("PractitionerRole", "_id", "token", "The provider's id (one role per provider)"),
                  param("PractitionerRole", "practitioner", "reference", "Practitioner/id"),
                  param("PractitionerRole", "location", "reference", "Location/id: where the provider works"),
                  param("PractitionerRole", "active", "token", "true or false")});
  json::object location = setup(
      "Location", json::array{param("Location", "_id", "token", "The location's id"),
                              param("Location", "name", "string", "A word of the name starts with it, any case")});
  json::object service = setup(
      "HealthcareService",
      json::array{param("HealthcareService", "_id", "token", "The appointment type's id (one service per type)"),
                  param("HealthcareService", "name", "string", "A word of the name starts with it, any case"),
                  param("HealthcareService", "location", "reference",
                        "Location/id: where a provider who does it works"),
                  param("HealthcareService", "active", "token", "true or false")});
  service["documentation"] = "An appointment type as the service offered; book it with Appointment create (serviceType "
                             "urn:caredesk:appointment-type|id) or find its free Slots (service-type).";
  json::object schedule = setup(
      "Schedule", json::array{param("Schedule", "_id", "token", "The provider's id (one schedule per provider)"),
                              param("Schedule", "actor", "reference", "Practitioner/id or Location/id"),
                              param("Schedule", "active", "token", "true or false")});
  json::object slot = setup(
      "Slot",
      json::array{param("Slot", "schedule", "reference", "Schedule/id: the provider"),
                  param("Slot", "service-type", "token", "The appointment type: id or urn:caredesk:appointment-type|id"),
                  param("Slot", "start", "date",
                        "Prefixes eq lt le gt ge sa eb narrow the window (default: the next 7 days; at most 90)"),
                  param("Slot", "status", "token", "free; busy codes match nothing (booked time is in Appointment)")});
  slot["documentation"] = "Free slots, computed when asked: a search names schedule or service-type; a slot's id is "
                          "provider-location-type-minute, and a read answers 404 once it is booked or past.";
  json::object appointment = setup(
      "Appointment",
      json::array{param("Appointment", "_id", "token", "The appointment's id"),
                  param("Appointment", "_lastUpdated", "date", "When it last changed; prefixes as for date"),
                  param("Appointment", "date", "date",
                        "The start; prefixes eq ne lt le gt ge sa eb ap; a date without a zone is a UTC day"),
                  param("Appointment", "status", "token",
                        "booked, checked-in, fulfilled (completed), noshow, cancelled; other codes of the value set "
                        "match nothing"),
                  param("Appointment", "patient", "reference", "Patient/id"),
                  param("Appointment", "practitioner", "reference", "Practitioner/id"),
                  param("Appointment", "location", "reference", "Location/id"),
                  param("Appointment", "actor", "reference",
                        "Patient/id, Practitioner/id or Location/id (one type per parameter; or actor:Type=id)"),
                  param("Appointment", "service-type", "token",
                        "The appointment type: its id, or urn:caredesk:appointment-type|id")});
  appointment["interaction"] = json::array{json::object{{"code", "read"}}, json::object{{"code", "search-type"}},
                                           json::object{{"code", "create"}}, json::object{{"code", "update"}}};
  appointment["documentation"] = "create books: the Appointment names its patient and a free Slot, or the practitioner, "
                                 "location, serviceType and start; a slot taken meanwhile is a 409. update cancels "
                                 "(status cancelled with cancelationReason), marks a no-show, reschedules (a new start "
                                 "or practitioner) or replaces the comment.";
  appointment["searchInclude"] = json::array{"Appointment:patient", "Appointment:practitioner",
                                             "Appointment:location", "Appointment:actor"};
  json::object encounter = setup(
      "Encounter",
      json::array{param("Encounter", "_id", "token", "The encounter's id"),
                  param("Encounter", "date", "date", "The arrival; prefixes eq ne lt le gt ge sa eb ap"),
                  param("Encounter", "status", "token",
                        "arrived, triaged (roomed), in-progress (with the provider or at checkout), finished, "
                        "cancelled (left without being seen)"),
                  param("Encounter", "patient", "reference", "Patient/id"),
                  param("Encounter", "subject", "reference", "Patient/id"),
                  param("Encounter", "practitioner", "reference", "Practitioner/id"),
                  param("Encounter", "participant", "reference", "Practitioner/id"),
                  param("Encounter", "location", "reference", "Location/id"),
                  param("Encounter", "appointment", "reference", "Appointment/id")});
  encounter["searchInclude"] = json::array{"Encounter:patient", "Encounter:subject", "Encounter:practitioner",
                                           "Encounter:participant", "Encounter:location", "Encounter:appointment"};
  // Practitioner and Encounter are written too (fhir/visit_store.h), versioned by CareDesk's own records.
  const auto writable = [](json::object& r, std::string_view documentation) {
    r["interaction"] = json::array{json::object{{"code", "read"}}, json::object{{"code", "search-type"}},
                                   json::object{{"code", "create"}}, json::object{{"code", "update"}}};
    r["versioning"] = "versioned-update";
    r["conditionalCreate"] = false;
    r["conditionalUpdate"] = false;
    r["conditionalDelete"] = "not-supported";
    r["documentation"] = documentation;
  };
  writable(practitioner,
           "create makes a CareDesk provider, update changes one: its name (the official one, else the first) and "
           "whether it is active; where it works and its specialty stay CareDesk's. What else is sent is kept and "
           "served back. Writing needs setup.write; update takes If-Match.");
  writable(encounter,
           "create records a visit that is over (status finished, or cancelled as left without being seen) of a "
           "CareDesk patient (subject), from period.start, at the CareDesk Location it names or at a location made "
           "once for its serviceProvider Organization; the first CareDesk practitioner among participant is its "
           "provider. update replaces such a visit, never one recorded at check-in (409). What else is sent is "
           "kept and served back. Writing needs flow.write; update takes If-Match.");
  json::object coverage = setup(
      "Coverage",
      json::array{param("Coverage", "_id", "token", "The coverage's id"),
                  param("Coverage", "patient", "reference", "Patient/id"),
                  param("Coverage", "beneficiary", "reference", "Patient/id"),
                  param("Coverage", "identifier", "token", "The member id, or urn:caredesk:coverage-member-id|id"),
                  param("Coverage", "subscriber-id", "string", "The member id, exactly"),
                  param("Coverage", "class-value", "string", "The group number, exactly"),
                  param("Coverage", "payor", "reference", "The payer's name, exactly (payers are names, not resources)"),
                  param("Coverage", "status", "token", "active (every coverage CareDesk keeps is)")});
  coverage["searchInclude"] = json::array{"Coverage:patient", "Coverage:beneficiary"};
  coverage["interaction"] = json::array{json::object{{"code", "read"}}, json::object{{"code", "search-type"}},
                                        json::object{{"code", "create"}}, json::object{{"code", "update"}},
                                        json::object{{"code", "delete"}}};
  coverage["versioning"] = "no-version";
  coverage["conditionalCreate"] = false;
  coverage["conditionalUpdate"] = false;
  coverage["conditionalDelete"] = "not-supported";
  coverage["documentation"] =
      "A patient's insurance as registered (also with the patient, PUT /api/v1/patients/{id}). create adds an active "
      "coverage to its beneficiary's record, update changes one, delete removes it: the payer (payor's display, or "
      "the name of an Organization CareDesk keeps), member id (subscriberId or an identifier), group (class group), "
      "relationship and period. What else is sent is kept and served back. A coverage changes with its patient and "
      "has no versions of its own (no If-Match). Writing needs patient.write and is audited as the patient's "
      "coverage data, as reading one is.";
  json::object audit_event = setup(
      "AuditEvent",
      json::array{param("AuditEvent", "_id", "token", "The entry's sequence number in the hash chain"),
                  param("AuditEvent", "date", "date", "When it was recorded; prefixes eq lt le gt ge sa eb narrow the period"),
                  param("AuditEvent", "patient", "reference", "Patient/id: entries about that patient"),
                  param("AuditEvent", "entity", "reference", "Patient/id, as patient"),
                  param("AuditEvent", "agent-name", "string", "The username, exactly"),
                  param("AuditEvent", "subtype", "token", "CareDesk's action (read, search, create, update, login, ...), "
                                                         "or urn:caredesk:audit-action|action")});
  audit_event["documentation"] = "The audit trail, read-only and newest first, for the auditor and admin roles; reading "
                                 "it is audited.";
  json::object group = setup(
      "Group", json::array{param("Group", "_id", "token", "location-N or provider-N"),
                           param("Group", "_summary", "token", "count: the total only")});
  group["operation"] = json::array{json::object{
      {"name", "export"}, {"definition", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"}}};
  group["documentation"] = "CareDesk's patient groups, read-only: the patients of a location (location-N) and of a "
                           "provider (provider-N), those with an appointment or an encounter there or with them. A "
                           "group states how many (quantity), not who; its $export brings their data. Needs "
                           "patient.read.";
  json::array resources{std::move(patient),     std::move(practitioner), std::move(role),
                        std::move(location),    std::move(service),      std::move(schedule),
                        std::move(slot),        std::move(appointment),  std::move(encounter),
                        std::move(coverage),    std::move(audit_event),  std::move(group)};
  // Every type CareDesk has no model of, kept as sent.
  for (std::string_view type : StoredTypes()) {
    json::object r = setup(
        type, json::array{param(type, "_id", "token", "The resource's id"),
                          param(type, "_lastUpdated", "date", "When it last changed; prefixes eq ne lt le gt ge sa eb ap"),
                          param(type, "patient", "reference", "Patient/id: its patient, else its subject"),
                          param(type, "subject", "reference", "Patient/id, as patient")});
    r["interaction"] = json::array{json::object{{"code", "read"}},          json::object{{"code", "vread"}},
                                   json::object{{"code", "update"}},        json::object{{"code", "delete"}},
                                   json::object{{"code", "history-instance"}}, json::object{{"code", "create"}},
                                   json::object{{"code", "search-type"}}};
    r["versioning"] = "versioned-update";
    r["readHistory"] = true;
    r["updateCreate"] = true;
    r["conditionalCreate"] = true;
    r["conditionalDelete"] = "not-supported";
    r["searchInclude"] = json::array{json::string(std::string(type) + ":patient"),
                                     json::string(std::string(type) + ":subject")};
    r["documentation"] = "Kept as sent and served back unchanged (CareDesk has no model of it); references are stored "
                         "as given. Needs patient.read to read and patient.write to write; one about a patient is "
                         "audited as that patient's clinical data.";
    if (type == "QuestionnaireResponse") {
      r["documentation"] =
          "Kept as sent, and CareDesk's survey responses: every response given on the survey page, imported from a "
          "vendor's file or POSTed here to a CareDesk survey (questionnaire urn:caredesk:survey:<id>[|<version>], "
          "status completed, items by linkId with valueInteger, valueCoding, valueBoolean or valueString, "
          "encounter and subject optional) is QuestionnaireResponse/survey-response-<n>; it counts in the survey's "
          "scores and never changes (PUT and DELETE of one are 409). Responses to other questionnaires are kept as "
          "sent. Needs patient.read to read and patient.write to write.";
    }
    resources.push_back(std::move(r));
  }
  json::object security{
      {"cors", false},
      {"description",
       "A bearer token from POST /api/v1/session (the same users, roles and audit trail as the rest of CareDesk), "
       "or a token issued for a system (POST /api/v1/system-tokens) whose SMART scopes (system/*.read, "
       "user/Patient.read, system/Appointment.cruds, ...) narrow its user's role: GET needs a read scope for the "
       "type, other methods a write scope. "
       "Reading patients needs the patient.read permission, appointments appointment.read, encounters "
       "flow.read; every read of patient data is audited."}};
  json::object rest{
      {"mode", "server"},
      {"documentation", "Search results page by key: next links stay correct while records are added. Parameters "
                        "the server does not support are ignored and reported in an OperationOutcome entry; so are "
                        "_include'd types the role may not read."},
      {"security", std::move(security)},
      {"interaction",
       json::array{json::object{{"code", "batch"},
                                {"documentation", "POST a batch Bundle to the base: each entry runs as its own request "
                                                  "with the caller's token (at most 1,000)."}},
                   json::object{{"code", "transaction"},
                                {"documentation", "POST a transaction Bundle to the base: its writes of Patient, "
                                                  "Practitioner and Encounter (POST, PUT), Appointment (POST: a "
                                                  "booking, also of a new patient of the same Bundle), "
                                                  "QuestionnaireResponse to a CareDesk survey (POST: a survey "
                                                  "response), Coverage and "
                                                  "the types kept as sent (POST, PUT, DELETE) all or nothing, "
                                                  "urn:uuid references resolved; its reads after them. Other "
                                                  "writes (changes of bookings, conditional ones, PATCH) are a 422 "
                                                  "naming the entry: send them in a batch."}}}},
      {"operation", json::array{json::object{{"name", "import"},
                                             {"definition", "urn:caredesk:operation:import"},
                                             {"documentation", "POST ndjson or a Bundle (up to 256 MiB by default); "
                                                               "imported by a job whose status is polled, as "
                                                               "caredesk import fhir does. For roles with "
                                                               "interfaces.manage and patient.write."}},
                                json::object{{"name", "export"},
                                             {"definition", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"},
                                             {"documentation", "System level; _type, _since, _outputFormat ndjson. For "
                                                               "roles with interfaces.manage and patient.read."}}}},
      {"resource", std::move(resources)},
  };
  return {{"resourceType", "CapabilityStatement"},
          {"status", "active"},
          {"date", date},
          {"publisher", "CareDesk"},
          {"kind", "instance"},
          {"software", json::object{{"name", "CareDesk"}}},
          {"implementation", json::object{{"description", "CareDesk patient services"}, {"url", base}}},
          {"fhirVersion", "4.0.1"},
          {"format", json::array{"application/fhir+json", "json"}},
          {"rest", json::array{std::move(rest)}}};
}

}  // namespace caredesk::fhir
