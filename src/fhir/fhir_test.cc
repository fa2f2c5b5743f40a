#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fhir/appointment_input.h"
#include "fhir/audit_event_resource.h"
#include "fhir/bulk_export.h"
#include "fhir/bundle.h"
#include "fhir/capability_statement.h"
#include "fhir/coverage_resource.h"
#include "fhir/group_store.h"
#include "fhir/kept_as_sent.h"
#include "fhir/operation_outcome.h"
#include "fhir/patient_input.h"
#include "fhir/patient_resource.h"
#include "fhir/resource_types.h"
#include "fhir/stored_search.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "fhir/visit_import.h"
#include "fhir/visit_resources.h"
#include "domain/patients/patient_criteria.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

constexpr int64_t kDay = 86'400'000;
const CivilDate kToday{2026, 11, 24};

int64_t DayMs(CivilDate d) { return d.DaysSinceEpoch() * kDay; }

Result<PatientSearch> Read(QueryParams q) { return ReadPatientSearch(q, kToday); }

TEST(FhirDateTime, EachPrecisionCoversItsWholeRange) {
  auto year = ReadFhirDateTime("2024", "birthdate");
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->lo_ms, DayMs({2024, 1, 1}));
  EXPECT_EQ(year->hi_ms, DayMs({2025, 1, 1}));
  auto month = ReadFhirDateTime("2024-02", "birthdate");
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->hi_ms - month->lo_ms, 29 * kDay);  // a leap year's February
  auto december = ReadFhirDateTime("2024-12", "birthdate");
  ASSERT_TRUE(december.ok());
  EXPECT_EQ(december->hi_ms, DayMs({2025, 1, 1}));
  auto day = ReadFhirDateTime("2024-05-17", "birthdate");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->hi_ms - day->lo_ms, kDay);
  auto minute = ReadFhirDateTime("2024-05-17T10:30+02:00", "_lastUpdated");
  ASSERT_TRUE(minute.ok());
  EXPECT_EQ(minute->lo_ms, DayMs({2024, 5, 17}) + (8 * 60 + 30) * 60'000);
  EXPECT_EQ(minute->hi_ms - minute->lo_ms, 60'000);
  auto millis = ReadFhirDateTime("2024-05-17T10:30:05.25Z", "_lastUpdated");
  ASSERT_TRUE(millis.ok());
  EXPECT_EQ(millis->lo_ms, DayMs({2024, 5, 17}) + (10 * 3600 + 30 * 60 + 5) * 1000 + 250);
  EXPECT_EQ(millis->hi_ms - millis->lo_ms, 1);
}

TEST(FhirDateTime, RefusesWhatIsNotADateNamingTheParameter) {
  for (const char* bad : {"", "24", "2024-13", "2024-02-30", "20240517", "2024-05-17T25:00Z", "2024-05-17T10:30+2",
                          "2024-05-17X", "2024-05-17T10:30:00.Z", "abcd"}) {
    auto r = ReadFhirDateTime(bad, "birthdate");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "birthdate") << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(FhirPatientSearch, CommasAreAlternativesAndRepeatsMustAllHold) {
  auto s = Read({{"name", "smith,jones"}, {"name", "ann"}, {"family:exact", "Smith"}, {"given:contains", "nn"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  const PatientCriteria& q = s->criteria;
  ASSERT_EQ(q.name.size(), 2u);
  ASSERT_EQ(q.name[0].size(), 2u);
  EXPECT_EQ(q.name[0][1].value, "jones");
  EXPECT_EQ(q.name[0][0].kind, TextMatch::Kind::kStartsWith);
  ASSERT_EQ(q.family.size(), 1u);
  EXPECT_EQ(q.family[0][0].kind, TextMatch::Kind::kExact);
  EXPECT_EQ(q.given[0][0].kind, TextMatch::Kind::kContains);
  EXPECT_EQ(s->used.size(), 4u);
  EXPECT_EQ(q.limit, kDefaultCount);
  EXPECT_EQ(q.order, PatientOrder::kFamily);  // unsorted with a family name: in family-name order
  auto by_id = Read({{"given", "ann"}});
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->criteria.order, PatientOrder::kId);
  auto explicit_sort = Read({{"family", "smi"}, {"_sort", "_id"}});
  ASSERT_TRUE(explicit_sort.ok());
  EXPECT_EQ(explicit_sort->criteria.order, PatientOrder::kId);
}

TEST(FhirPatientSearch, AnEscapedCommaIsPartOfTheValue) {
  auto s = Read({{"family", "a\\,b"}});
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->criteria.family[0].size(), 1u);
  EXPECT_EQ(s->criteria.family[0][0].value, "a,b");
}

TEST(FhirPatientSearch, DatePrefixesBecomeRangeTests) {
  auto s = Read({{"birthdate", "ge1980-05"}, {"birthdate", "lt1990"}, {"birthdate", "sa2000-01-01"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto& b = s->criteria.birth_date;
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0][0].op, DateMatch::Op::kGe);
  EXPECT_EQ(b[0][0].lo, (CivilDate{1980, 5, 1}));
  EXPECT_EQ(b[0][0].hi, (CivilDate{1980, 6, 1}));
  EXPECT_EQ(b[1][0].op, DateMatch::Op::kLt);
  EXPECT_EQ(b[1][0].lo, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(b[2][0].op, DateMatch::Op::kGt);  // starts after
  auto plain = Read({{"birthdate", "1970-01-01"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->criteria.birth_date[0][0].op, DateMatch::Op::kEq);
}

TEST(FhirPatientSearch, ApproximatelyWidensByATenthOfTheDistanceFromToday) {
  auto s = Read({{"birthdate", "ap2016-11-24"}});  // ten years (3,652 days) before today
  ASSERT_TRUE(s.ok());
  const DateMatch& m = s->criteria.birth_date[0][0];
  EXPECT_EQ(m.op, DateMatch::Op::kEq);
  EXPECT_EQ(m.lo, (CivilDate{2016, 11, 24}).AddDays(-365));
  EXPECT_EQ(m.hi, (CivilDate{2016, 11, 25}).AddDays(365));
}

TEST(FhirPatientSearch, TokensKeepTheirSystemAndPhonesAreNormalized) {
  auto s = Read({{"identifier", "urn:caredesk:mrn|MRN0001,0042"},
                 {"gender", "http://hl7.org/fhir/administrative-gender|female"},
                 {"phone", "(555) 123-4567"},
                 {"email", "Ann@Example.ORG"},
                 {"_id", "12,abc"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  const PatientCriteria& q = s->criteria;
  ASSERT_EQ(q.identifier[0].size(), 2u);
  EXPECT_EQ(q.identifier[0][0].system, std::optional<std::string>("urn:caredesk:mrn"));
  EXPECT_EQ(q.identifier[0][0].value, "MRN0001");
  EXPECT_EQ(q.identifier[0][1].system, std::nullopt);
  EXPECT_EQ(q.sex[0][0], "female");
  EXPECT_EQ(q.phone[0][0], "5551234567");
  EXPECT_EQ(q.email[0][0], "ann@example.org");
  EXPECT_EQ(q.ids[0][0], 12);
  EXPECT_EQ(q.ids[0][1], -1);  // not an id this server issues: matches nothing
}

TEST(FhirPatientSearch, BadValuesAre400sNamingTheParameter) {
  const std::vector<std::pair<QueryParams, std::string>> cases = {
      {{{"name:fuzzy", "x"}}, "name:fuzzy"},
      {{{"birthdate", "1980-02-30"}}, "birthdate"},
      {{{"birthdate:exact", "1980"}}, "birthdate:exact"},
      {{{"gender", "mail"}}, "gender"},
      {{{"phone", "no digits"}}, "phone"},
      {{{"phone:missing", "maybe"}}, "phone:missing"},
      {{{"_count", "-1"}}, "_count"},
      {{{"_count", "1001"}}, "_count"},
      {{{"_count", "ten"}}, "_count"},
      {{{"_sort", "address"}}, "_sort"},
      {{{"_sort", "family,given"}}, "_sort"},
      {{{"_summary", "true"}}, "_summary"},
      {{{"_total", "some"}}, "_total"},
      {{{"_cursor", "x"}}, "_cursor"},
      {{{"_sort", "family"}, {"_cursor", "12"}}, "_cursor"},
      {{{"_sort", "_lastUpdated"}, {"_cursor", "12.x"}}, "_cursor"},
      {{{"_lastUpdated", "gt2024-99"}}, "_lastUpdated"},
  };
  for (const auto& [query, field] : cases) {
    auto s = Read(query);
    ASSERT_FALSE(s.ok()) << field;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << field;
    EXPECT_EQ(s.error().field, field);
  }
}

TEST(FhirPatientSearch, ResultParametersAndTheCursor) {
  auto s = Read({{"_count", "5"}, {"_sort", "-birthdate"}, {"_cursor", "41.1980-01-02"}, {"_total", "none"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->criteria.limit, 5);
  EXPECT_EQ(s->criteria.order, PatientOrder::kBirthDate);
  EXPECT_TRUE(s->criteria.descending);
  EXPECT_EQ(s->criteria.after_id, std::optional<int64_t>(41));
  EXPECT_EQ(s->criteria.after_key, std::optional<std::string>("1980-01-02"));
  EXPECT_FALSE(s->with_total);
  for (const auto& [k, v] : s->used) EXPECT_NE(k, "_cursor");
  EXPECT_EQ(NextCursor(s->criteria, 77, "1979-12-31"), "77.1979-12-31");
  auto count = Read({{"_summary", "count"}, {"family", "smith"}});
  ASSERT_TRUE(count.ok());
  EXPECT_TRUE(count->summary_count);
  EXPECT_EQ(count->criteria.limit, 0);
}

TEST(FhirPatientSearch, UnknownParametersAreIgnoredAndReportedAndEmptyOnesSkipped) {
  auto s = Read({{"address-city", "Boston"}, {"family", ""}, {"_format", "json"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ignored, std::vector<std::string>{"address-city"});
  EXPECT_TRUE(s->criteria.family.empty());
  EXPECT_TRUE(s->used.empty());
}

Patient SamplePatient() {
  Patient p;
  p.id = 42;
  p.mrn = "MRN00000042";
  p.given_name = "Ana";
  p.middle_name = "Luisa";
  p.family_name = "García";
  p.birth_date = {1984, 2, 29};
  p.sex = "female";
  p.phone = "+15551234567";
  p.email = "ana@example.org";
  p.preferred_contact_method = "email";
  p.preferred_language = "es";
  p.address = {"1 Main St", "", "Springfield", "IL", "62701", "US"};
  p.emergency_contact = {"Luis García", "brother", "+15557654321"};
  p.version = 3;
  p.updated_at_ms = 1'700'000'000'000;
  return p;
}

TEST(FhirPatientResource, MapsTheRegisteredPatient) {
  PatientWithIdentifiers item{SamplePatient(), {{42, "urn:oid:2.16.840.1.113883.19.5", "A-9", "MR"}}};
  json::object r = PatientResource(item);
  EXPECT_EQ(r.at("resourceType"), "Patient");
  EXPECT_EQ(r.at("id"), "42");
  EXPECT_EQ(r.at("meta").at("versionId"), "3");
  EXPECT_EQ(r.at("meta").at("lastUpdated"), "2023-11-14T22:13:20Z");
  const auto& ids = r.at("identifier").as_array();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].at("system"), kMrnSystem);
  EXPECT_EQ(ids[0].at("value"), "MRN00000042");
  EXPECT_EQ(ids[1].at("system"), "urn:oid:2.16.840.1.113883.19.5");
  EXPECT_EQ(ids[1].at("type").at("coding").at(0).at("code"), "MR");
  const auto& name = r.at("name").at(0);
  EXPECT_EQ(name.at("family"), "García");
  EXPECT_EQ(name.at("given"), (json::array{"Ana", "Luisa"}));
  EXPECT_EQ(r.at("gender"), "female");
  EXPECT_EQ(r.at("birthDate"), "1984-02-29");
  const auto& telecom = r.at("telecom").as_array();
  ASSERT_EQ(telecom.size(), 2u);
  EXPECT_EQ(telecom[0].at("system"), "phone");
  EXPECT_FALSE(telecom[0].as_object().contains("rank"));
  EXPECT_EQ(telecom[1].at("rank"), 1);  // e-mail is the preferred method
  EXPECT_EQ(r.at("address").at(0).at("postalCode"), "62701");
  EXPECT_EQ(r.at("address").at(0).at("line"), (json::array{"1 Main St"}));
  EXPECT_EQ(r.at("contact").at(0).at("name").at("text"), "Luis García");
  EXPECT_EQ(r.at("contact").at(0).at("relationship").at(0).at("text"), "brother");
  EXPECT_EQ(r.at("communication").at(0).at("language").at("coding").at(0).at("code"), "es");
  EXPECT_EQ(VersionTag(3), "W/\"3\"");
}

TEST(FhirPatientResource, LeavesOutWhatIsNotRecorded) {
  Patient p = SamplePatient();
  p.phone.clear();
  p.email.clear();
  p.address = {};
  p.emergency_contact = {};
  p.preferred_language.clear();
  p.middle_name.clear();
  json::object r = PatientResource({p, {}});
  for (const char* absent : {"telecom", "address", "contact", "communication"}) {
    EXPECT_FALSE(r.contains(absent)) << absent;
  }
  EXPECT_EQ(r.at("name").at(0).at("given"), (json::array{"Ana"}));
}

TEST(FhirOperationOutcome, CarriesTheIssueTypeAndTheField) {
  json::object o = OperationOutcome(Error::Invalid("birthdate", "not a date"));
  EXPECT_EQ(o.at("resourceType"), "OperationOutcome");
  const auto& issue = o.at("issue").at(0);
  EXPECT_EQ(issue.at("severity"), "error");
  EXPECT_EQ(issue.at("code"), "invalid");
  EXPECT_EQ(issue.at("diagnostics"), "not a date");
  EXPECT_EQ(issue.at("expression"), (json::array{"birthdate"}));
  EXPECT_EQ(IssueType(Error::NotFound("x")), "not-found");
  EXPECT_EQ(IssueType(Error::Forbidden("x")), "forbidden");
  EXPECT_FALSE(OperationOutcome(Error::NotFound("x")).at("issue").at(0).as_object().contains("expression"));
}

TEST(FhirBundle, SearchSetLinksEncodeParametersAndTheNextCursor) {
  SearchPage page;
  page.type_url = "http://h:1/fhir/R4/Patient";
  page.used = {{"name", "o'brien smith"}, {"birthdate", "ge1980"}};
  page.next_cursor = "7.O'Brien";
  page.total = 12;
  page.resources.push_back(json::object{{"resourceType", "Patient"}, {"id", "7"}});
  json::object b = SearchSet(page);
  EXPECT_EQ(b.at("type"), "searchset");
  EXPECT_EQ(b.at("total"), 12);
  EXPECT_EQ(b.at("link").at(0).at("url"), "http://h:1/fhir/R4/Patient?name=o%27brien%20smith&birthdate=ge1980");
  EXPECT_EQ(b.at("link").at(1).at("relation"), "next");
  EXPECT_EQ(b.at("link").at(1).at("url"),
            "http://h:1/fhir/R4/Patient?name=o%27brien%20smith&birthdate=ge1980&_cursor=7.O%27Brien");
  EXPECT_EQ(b.at("entry").at(0).at("fullUrl"), "http://h:1/fhir/R4/Patient/7");
  EXPECT_EQ(b.at("entry").at(0).at("search").at("mode"), "match");
  page.next_cursor.reset();
  page.resources.clear();
  json::object last = SearchSet(page);
  EXPECT_EQ(last.at("link").as_array().size(), 1u);
  EXPECT_FALSE(last.contains("entry"));
}

json::value Sent(std::string_view extra = {}) {
  std::string text = R"({"resourceType":"Patient","id":"ignored","meta":{"versionId":"9"},
    "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Ana</div>"},
    "extension":[{"url":"http://example.org/birthsex","valueCode":"F"}],
    "identifier":[{"system":"urn:oid:1.2.3","value":"A-1","type":{"coding":[{"code":"MR"}]}},
                  {"system":"urn:caredesk:mrn","value":"MRN99999999"},{"value":"no-system"}],
    "name":[{"use":"nickname","given":["Lu"]},{"use":"official","family":" Quintero ","given":["Ana","Lucia","Maria"]}],
    "telecom":[{"system":"email","value":"Ana@Example.org"},{"system":"phone","value":"(555) 201-3344","rank":1}],
    "gender":"female","birthDate":"1984-03-07",
    "_birthDate":{"extension":[{"url":"http://example.org/birthTime","valueDateTime":"1984-03-07T14:35:45-05:00"}]},
    "address":[{"use":"work","city":"Chicago"},{"use":"home","line":["12 Elm St","Apt 2"],"city":"Springfield",
                "state":"IL","postalCode":"62701","country":"USA"}],
    "contact":[{"relationship":[{"coding":[{"code":"N"}]}],"name":{"text":"Next Kin"}},
               {"relationship":[{"coding":[{"code":"C"}],"text":"sister"}],"name":{"given":["Eva"],"family":"Quintero"},
                "telecom":[{"system":"phone","value":"555-201-9999"}]}],
    "communication":[{"language":{"coding":[{"code":"es"}]},"preferred":true}],
    "maritalStatus":{"text":"married"})";
  text += extra;
  text += "}";
  return json::parse(text);
}

TEST(FhirPatientInput, ReadsWhatCareDeskModelsAndKeepsTheRestAsSent) {
  auto in = ReadPatientResource(Sent(), kToday);
  ASSERT_TRUE(in.ok()) << in.error().field << ": " << in.error().message;
  const Patient& p = in->patient;
  EXPECT_EQ(p.family_name, "Quintero");  // the official name, normalized
  EXPECT_EQ(p.given_name, "Ana");
  EXPECT_EQ(p.middle_name, "Lucia Maria");
  EXPECT_EQ(p.birth_date.ToString(), "1984-03-07");
  EXPECT_EQ(p.sex, "female");
  EXPECT_EQ(p.phone, "5552013344");
  EXPECT_EQ(p.email, "ana@example.org");
  EXPECT_EQ(p.preferred_contact_method, "phone");  // rank 1
  EXPECT_EQ(p.address.line1, "12 Elm St");        // the home address
  EXPECT_EQ(p.address.line2, "Apt 2");
  EXPECT_EQ(p.address.city, "Springfield");
  EXPECT_EQ(p.address.country, "");  // "USA" is not a two-letter code: kept as sent only
  EXPECT_EQ(p.emergency_contact.name, "Eva Quintero");  // the contact coded C, not the first
  EXPECT_EQ(p.emergency_contact.relationship, "sister");
  EXPECT_EQ(p.preferred_language, "es");
  // Identifiers of other systems; not CareDesk's MRN, not one without a system.
  ASSERT_EQ(in->identifiers.size(), 1u);
  EXPECT_EQ(in->identifiers[0].system, "urn:oid:1.2.3");
  EXPECT_EQ(in->identifiers[0].type, "MR");
  // The original: everything but id and meta.
  EXPECT_FALSE(in->original.contains("id"));
  EXPECT_FALSE(in->original.contains("meta"));
  EXPECT_TRUE(in->original.contains("_birthDate"));
  EXPECT_TRUE(in->original.contains("maritalStatus"));
  EXPECT_EQ(in->original.at("name"), Sent().at("name"));
}

TEST(FhirPatientInput, ErrorsNameTheFhirPath) {
  auto fails = [](std::string_view extra, const std::string& field, ErrorCode code = ErrorCode::kUnprocessable) {
    json::value v = Sent();
    json::object& o = v.get_object();
    json::object patch = json::parse("{" + std::string(extra) + "}").get_object();
    for (auto& [k, val] : patch) {
      if (val.is_null()) {
        o.erase(k);
      } else {
        o[k] = val;
      }
    }
    auto in = ReadPatientResource(v, kToday);
    ASSERT_FALSE(in.ok()) << extra;
    EXPECT_EQ(in.error().field, field) << extra << ": " << in.error().message;
    EXPECT_EQ(in.error().code, code) << extra;
  };
  fails(R"("birthDate":null)", "Patient.birthDate");
  fails(R"("birthDate":"1984")", "Patient.birthDate");
  fails(R"("birthDate":"1984-02-30")", "Patient.birthDate");
  fails(R"("birthDate":"2099-01-01")", "Patient.birthDate");
  fails(R"("name":null)", "Patient.name");
  fails(R"("name":[{"use":"official","given":["Ana"]}])", "Patient.name[0].family");
  fails(R"("name":[{"family":"Q"},{"use":"official","family":"Quintero"}])", "Patient.name[1].given");
  fails(R"("name":{"family":"Q"})", "Patient.name", ErrorCode::kInvalidArgument);
  fails(R"("gender":"f")", "Patient.gender");
  fails(R"("telecom":[{"system":"phone","value":"call me"}])", "Patient.telecom[0].value");
  fails(R"("telecom":[{"system":"email","value":"not-an-address"}])", "Patient.telecom[0].value");
  fails(R"("resourceType":"Practitioner")", "resourceType", ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ReadPatientResource(json::value(json::array{}), kToday).ok());
}

TEST(FhirPatientInput, ALanguageCareDeskCannotReadIsKeptAsSentOnly) {
  json::value v = Sent();
  v.get_object()["communication"] = json::parse(R"([{"language":{"coding":[{"code":"not a tag!"}]}}])");
  auto in = ReadPatientResource(v, kToday);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->patient.preferred_language, "");
  EXPECT_EQ(in->original.at("communication"), v.get_object().at("communication"));
}

json::object Projection(const PatientInput& in, int64_t version) {
  PatientWithIdentifiers p{in.patient, {}};
  p.patient.id = 301;
  p.patient.mrn = "MRN00003012";
  p.patient.version = version;
  for (auto row : in.identifiers) p.identifiers.push_back(row);
  return PatientResource(p);
}

TEST(FhirKeepUnmodelled, ServesWhatWasSentWhileCareDeskHasNotChangedIt) {
  auto in = ReadPatientResource(Sent(), kToday);
  ASSERT_TRUE(in.ok());
  json::object projection = Projection(*in, 1);
  json::object served = KeepUnmodelled(in->original, projection, projection);
  json::object sent = Sent().get_object();
  for (const auto& [key, value] : sent) {
    if (key == "id" || key == "meta" || key == "identifier") continue;
    EXPECT_EQ(served.at(key), value) << key;
  }
  EXPECT_EQ(served.at("id"), "301");
  // Nothing CareDesk would add on its own ("active" was not sent).
  EXPECT_FALSE(served.contains("active"));
  // The identifiers as sent, and CareDesk's MRN first in place of the one the writer made up.
  const json::array& ids = served.at("identifier").get_array();
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].at("value"), "MRN00003012");
  EXPECT_EQ(ids[1].at("value"), "A-1");
  EXPECT_EQ(ids[2].at("value"), "no-system");
}

TEST(FhirKeepUnmodelled, AnElementCareDeskChangedIsServedFromTheRecord) {
  auto in = ReadPatientResource(Sent(), kToday);
  ASSERT_TRUE(in.ok());
  json::object projection = Projection(*in, 1);
  PatientInput later = *in;
  later.patient.phone = "5559990000";
  later.patient.birth_date = CivilDate{1984, 3, 8};
  json::object current = Projection(later, 2);
  json::object served = KeepUnmodelled(in->original, projection, current);
  EXPECT_EQ(served.at("telecom"), current.at("telecom"));
  EXPECT_EQ(served.at("birthDate"), "1984-03-08");
  EXPECT_FALSE(served.contains("_birthDate"));  // it described the birth date that was replaced
  EXPECT_EQ(served.at("name"), Sent().at("name"));  // unchanged: as sent
  EXPECT_EQ(served.at("maritalStatus"), Sent().at("maritalStatus"));
  EXPECT_EQ(served.at("meta").at("versionId"), "2");
}

TEST(FhirKeepUnmodelled, JudgesEachElementOnTheRecordBeforeTakingAnyAsSent) {
  // Found by fuzz_fhir_patient: birthDate taken as sent made its primitive extension look changed.
  json::object original = json::parse(R"({"resourceType":"Patient","birthDate":"1984-03-07",
      "_birthDate":{"extension":[{"url":"y","valueDateTime":"1984-03-07T14:35:45-05:00"}]}})").get_object();
  json::object projection{{"resourceType", "Patient"}, {"id", "1"}};
  json::object served = KeepUnmodelled(original, projection, projection);
  EXPECT_EQ(served.at("birthDate"), "1984-03-07");
  EXPECT_EQ(served.at("_birthDate"), original.at("_birthDate"));
}

TEST(FhirBundle, HistoryListsVersionsWithHowEachCameAbout) {
  std::vector<json::object> versions;
  for (int v : {2, 1}) {
    versions.push_back(json::object{{"resourceType", "Patient"},
                                    {"id", "5"},
                                    {"meta", json::object{{"versionId", std::to_string(v)},
                                                          {"lastUpdated", "2026-11-2" + std::to_string(v) + "T10:00:00Z"}}}});
  }
  json::object b = HistoryBundle("http://h/fhir/R4", "http://h/fhir/R4/Patient/5/_history", versions);
  EXPECT_EQ(b.at("type"), "history");
  EXPECT_EQ(b.at("total"), 2);
  const json::array& e = b.at("entry").as_array();
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].at("fullUrl"), "http://h/fhir/R4/Patient/5");
  EXPECT_EQ(e[0].at("request").at("method"), "PUT");
  EXPECT_EQ(e[0].at("request").at("url"), "Patient/5");
  EXPECT_EQ(e[0].at("response").at("etag"), "W/\"2\"");
  EXPECT_EQ(e[1].at("request").at("method"), "POST");
  EXPECT_EQ(e[1].at("response").at("status"), "201 Created");
  EXPECT_EQ(e[1].at("response").at("lastModified"), "2026-11-21T10:00:00Z");
  EXPECT_FALSE(HistoryBundle("b", "s", std::vector<json::object>{}).contains("entry"));
}

TEST(FhirVersionTag, ReadsWeakStrongAndBareTags) {
  EXPECT_EQ(ReadVersionTag("W/\"3\""), 3);
  EXPECT_EQ(ReadVersionTag("\"12\""), 12);
  EXPECT_EQ(ReadVersionTag("7"), 7);
  EXPECT_EQ(ReadVersionTag(VersionTag(42)), 42);
  EXPECT_FALSE(ReadVersionTag("W/\"\""));
  EXPECT_FALSE(ReadVersionTag("W/\"3a\""));
  EXPECT_FALSE(ReadVersionTag("*"));
  EXPECT_FALSE(ReadVersionTag("W/\"03\""));
}

TEST(FhirResourceId, OnlyIdsCareDeskCouldHaveIssued) {
  EXPECT_EQ(ReadResourceId("1"), 1);
  EXPECT_EQ(ReadResourceId("123456789012345678"), 123456789012345678);
  for (const char* bad : {"", "0", "007", "12a", "-1", "1234567890123456789", "1.0"}) {
    EXPECT_FALSE(ReadResourceId(bad)) << bad;
  }
}

// What the CapabilityStatement promises is what the search reads.
TEST(FhirCapabilityStatement, EverySearchParameterListedIsOneTheServerReads) {
  json::object cs = CapabilityStatement("http://h/fhir/R4", "2026-11-24T00:00:00Z");
  EXPECT_EQ(cs.at("fhirVersion"), "4.0.1");
  EXPECT_EQ(cs.at("implementation").at("url"), "http://h/fhir/R4");
  const auto& patient = cs.at("rest").at(0).at("resource").at(0);
  EXPECT_EQ(patient.at("type"), "Patient");
  const auto& params = patient.at("searchParam").as_array();
  EXPECT_GE(params.size(), 10u);
  for (const auto& p : params) {
    const std::string name(p.at("name").as_string());
    const std::string type(p.at("type").as_string());
    const std::string value = type == "date" ? "2000" : "x@example.org";
    auto s = Read({{name, name == "phone" ? "5551234567" : name == "gender" ? "male" : value}});
    ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
    EXPECT_TRUE(s->ignored.empty()) << name;
    EXPECT_EQ(s->used.size(), 1u) << name;
  }
}

TEST(FhirCapabilityStatement, TheSetUpTypesListOnlyParametersTheirSearchReads) {
  json::object cs = CapabilityStatement("http://h/fhir/R4", "2026-11-24T00:00:00Z");
  int checked = 0, stored = 0;
  for (const auto& r : cs.at("rest").at(0).at("resource").as_array()) {
    const std::string type(r.at("type").as_string());
    if (type == "Patient" || type == "Appointment" || type == "Encounter" || type == "Slot" || type == "AuditEvent" ||
        type == "Coverage") {
      continue;
    }
    if (type == "Group") {
      for (const auto& p : r.at("searchParam").as_array()) {
        const std::string name(p.at("name").as_string());
        auto s = ReadGroupSearch({{name, name == "_summary" ? "count" : "location-7"}});
        ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
        EXPECT_TRUE(s->ignored.empty()) << name;
        EXPECT_EQ(s->used.size(), 1u) << name;
      }
      continue;
    }
    if (IsStoredType(type)) {
      // The types kept as sent: what their search reads.
      for (const auto& p : r.at("searchParam").as_array()) {
        const std::string name(p.at("name").as_string());
        auto s = ReadStoredSearch(type, {{name, name == "_lastUpdated" ? "ge2025" : "Patient/7"}}, {2026, 11, 24});
        ASSERT_TRUE(s.ok()) << type << " " << name << ": " << s.error().message;
        EXPECT_TRUE(s->ignored.empty()) << type << " " << name;
        ++stored;
      }
      continue;
    }
    for (const auto& p : r.at("searchParam").as_array()) {
      const std::string name(p.at("name").as_string());
      auto s = ReadSetupSearch(type, {{name, name == "active" ? "true" : name == "actor" ? "Location/7" : "7"}});
      ASSERT_TRUE(s.ok()) << type << " " << name << ": " << s.error().message;
      EXPECT_TRUE(s->ignored.empty()) << type << " " << name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 16);
  EXPECT_EQ(stored, 4 * static_cast<int>(StoredTypes().size()));
}

TEST(FhirSlots, SearchParametersNarrowTheWindowAndIdsRoundTrip) {
  json::object cs = CapabilityStatement("http://h/fhir/R4", "2026-11-24T00:00:00Z");
  for (const auto& r : cs.at("rest").at(0).at("resource").as_array()) {
    if (r.at("type") != "Slot") continue;
    for (const auto& p : r.at("searchParam").as_array()) {
      const std::string name(p.at("name").as_string());
      auto s = ReadSlotSearch({{name, name == "start" ? "ge2026-11-24" : name == "status" ? "free" : "7"}});
      ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
      EXPECT_TRUE(s->ignored.empty()) << name;
    }
  }
  auto s = ReadSlotSearch({{"schedule", "Schedule/7,8"},
                           {"service-type", "urn:caredesk:appointment-type|3,http://snomed.info/sct|3"},
                           {"start", "ge2026-11-24"},
                           {"start", "lt2026-11-26T12:00:00Z"},
                           {"_count", "5"},
                           {"_cursor", "7-2-3-100"},
                           {"specialty", "x"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->providers, (std::vector<int64_t>{7, 8}));
  EXPECT_EQ(s->types, (std::vector<int64_t>{3, -1}));
  EXPECT_EQ(s->from_ms, DayMs(kToday));
  EXPECT_EQ(s->to_ms, DayMs({2026, 11, 26}) + 12 * 3'600'000);
  EXPECT_TRUE(s->free);
  EXPECT_EQ(s->limit, 5);
  ASSERT_TRUE(s->after);
  EXPECT_EQ(*s->after, (SlotKey{100, 7, 2, 3}));
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"specialty"}));
  EXPECT_EQ(s->used.size(), 5u);  // not the cursor, not the ignored one
  auto day = ReadSlotSearch({{"start", "2026-11-24"}});
  EXPECT_EQ(day->to_ms.value() - day->from_ms.value(), kDay);
  EXPECT_FALSE(ReadSlotSearch({{"status", "busy"}})->free);
  EXPECT_TRUE(ReadSlotSearch({{"status", "busy,free"}})->free);
  EXPECT_FALSE(ReadSlotSearch({{"start", "gt2026-11-25"}, {"start", "lt2026-11-25"}})->free);  // empty window
  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"status", "open"}}, "status"}, {{{"start", "ne2026-11-24"}}, "start"},
           {{{"start", "2026-11-24,2026-11-25"}}, "start"}, {{{"_count", "0"}}, "_count"},
           {{{"_count", "501"}}, "_count"}, {{{"_cursor", "7-2-3"}}, "_cursor"}, {{{"schedule:x", "1"}}, "schedule:x"}}) {
    auto bad = ReadSlotSearch(query);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
  }
  const SlotKey key{29'927'030, 17, 3, 6};
  EXPECT_EQ(FormatSlotId(key), "17-3-6-29927030");
  EXPECT_EQ(ReadSlotId("17-3-6-29927030"), key);
  for (const char* bad : {"", "17-3-6", "17-3-6-0", "17-3-6-x", "17-3-6-1-2", "a-b-c-d", "-3-6-1",
                          "17-3-6-9223372036854775807", "17-3-6-4223372036854775"}) {
    EXPECT_FALSE(ReadSlotId(bad)) << bad;
  }
  Slot slot{FromMillis(key.start_minute * 60'000), FromMillis((key.start_minute + 20) * 60'000), 17, 3, std::nullopt};
  AppointmentType type;
  type.id = 6;
  type.name = "Telehealth Follow-up";
  json::object r = SlotResource(slot, type, "America/Chicago");
  EXPECT_EQ(r.at("id"), "17-3-6-29927030");
  EXPECT_EQ(r.at("schedule").at("reference"), "Schedule/17");
  EXPECT_EQ(r.at("status"), "free");
  EXPECT_EQ(r.at("start"), "2026-11-25T09:50:00-06:00");
  EXPECT_EQ(r.at("serviceType").at(0).at("coding").at(0).at("code"), "6");
}

json::value Booking(std::string extra = "") {
  return json::parse(R"({"resourceType":"Appointment","status":"booked",
    "participant":[{"actor":{"reference":"Patient/5"},"status":"accepted"}])" + extra + "}");
}

TEST(FhirAppointmentInput, ASlotOrTheFieldsBecomeABooking) {
  auto by_slot = ReadAppointmentResource(
      Booking(R"(,"comment":"bring the referral","slot":[{"reference":"Slot/7-2-3-29927030"}])"));
  ASSERT_TRUE(by_slot.ok()) << by_slot.error().message;
  EXPECT_TRUE(by_slot->from_slot);
  EXPECT_EQ(by_slot->booking.patient_id, 5);
  EXPECT_EQ(by_slot->booking.provider_id, 7);
  EXPECT_EQ(by_slot->booking.location_id, 2);
  EXPECT_EQ(by_slot->booking.appointment_type_id, 3);
  EXPECT_EQ(ToMillis(by_slot->booking.start), int64_t{29'927'030} * 60'000);
  EXPECT_EQ(by_slot->booking.notes, "bring the referral");
  auto by_fields = ReadAppointmentResource(json::parse(R"({"resourceType":"Appointment","status":"proposed",
    "participant":[{"actor":{"reference":"Patient/5"}},{"actor":{"reference":"http://h/fhir/R4/Practitioner/7"}},
                   {"actor":{"reference":"Location/2"}}],
    "serviceType":[{"coding":[{"system":"http://snomed.info/sct","code":"11429006"},
                              {"system":"urn:caredesk:appointment-type","code":"3"}]}],
    "start":"2026-11-25T09:50:00-06:00"})"));
  ASSERT_TRUE(by_fields.ok()) << by_fields.error().message;
  EXPECT_FALSE(by_fields->from_slot);
  EXPECT_EQ(by_fields->booking.provider_id, 7);
  EXPECT_EQ(by_fields->booking.appointment_type_id, 3);
  EXPECT_EQ(ToMillis(by_fields->booking.start), int64_t{29'927'030} * 60'000);
  // The slot and the same fields agree.
  EXPECT_TRUE(ReadAppointmentResource(Booking(R"(,"slot":[{"reference":"Slot/7-2-3-29927030"}],
    "start":"2026-11-25T15:50:00Z")")).ok());

  for (const auto& [extra, path] : std::vector<std::pair<std::string, std::string>>{
           {R"(,"slot":[{"reference":"Slot/7-2-3-29927030"}],"start":"2026-11-25T16:00:00Z")", "Appointment.slot[0]"},
           {R"(,"slot":[{"reference":"Slot/bogus"}])", "Appointment.slot[0]"},
           {R"(,"slot":[{"reference":"Slot/7-2-3-1"},{"reference":"Slot/7-2-3-2"}])", "Appointment.slot"},
           {R"(,"start":"2026-11-25T09:50:00")", "Appointment.start"},
           {R"(,"start":"2026-11-25T09:50:00Z")", "Appointment.participant"},  // no practitioner
           {R"(,"slot":[{"reference":"Slot/7-2-3-29927030"}],"comment":3)", "Appointment.comment"}}) {
    auto bad = ReadAppointmentResource(Booking(extra));
    ASSERT_FALSE(bad.ok()) << extra;
    EXPECT_EQ(bad.error().field, path) << extra;
    EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable) << extra;
  }
  for (const auto& [body, path] : std::vector<std::pair<std::string, std::string>>{
           {R"({"resourceType":"Appointment","status":"cancelled"})", "Appointment.status"},
           {R"({"resourceType":"Appointment","status":"booked"})", "Appointment.participant"},
           {R"({"resourceType":"Appointment","status":"booked","participant":[{"actor":{"reference":"Device/1"}}]})",
            "Appointment.participant[0].actor"},
           {R"({"resourceType":"Appointment","status":"booked","participant":[{"actor":{"reference":"Patient/1"}},
              {"actor":{"reference":"Patient/2"}}]})", "Appointment.participant[1].actor"},
           {R"({"resourceType":"Appointment","status":"booked","participant":[{"actor":{"reference":"Patient/1"}}],
              "serviceType":[{"coding":[{"code":"x"}]}]})", "Appointment.serviceType"}}) {
    auto bad = ReadAppointmentResource(json::parse(body));
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(bad.error().field, path) << body;
  }
  // An update may carry any status; it keeps the id and the cancellation's reason for UpdateAppointment.
  auto update = ReadAppointmentResource(
      json::parse(R"({"resourceType":"Appointment","id":"41","status":"cancelled","cancelationReason":{"text":"ill"},
        "slot":[{"reference":"Slot/7-2-3-29927030"}],"participant":[{"actor":{"reference":"Patient/5"}}]})"),
      true);
  ASSERT_TRUE(update.ok()) << update.error().message;
  EXPECT_EQ(update->status, "cancelled");
  EXPECT_EQ(update->cancel_reason, "ill");
  EXPECT_EQ(update->id, "41");
  auto no_status = ReadAppointmentResource(
      json::parse(R"({"resourceType":"Appointment","participant":[{"actor":{"reference":"Patient/5"}}]})"), true);
  ASSERT_FALSE(no_status.ok());
  EXPECT_EQ(no_status.error().field, "Appointment.status");
  auto not_one = ReadAppointmentResource(json::parse(R"({"resourceType":"Patient"})"));
  EXPECT_EQ(not_one.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(not_one.error().field, "resourceType");
  // Booking errors are named by the element they came from.
  Error taken = AppointmentBookingError(Error::NotFound("provider 9 does not exist", "provider"), false);
  EXPECT_EQ(taken.code, ErrorCode::kUnprocessable);
  EXPECT_EQ(taken.field, "Appointment.participant");
  EXPECT_EQ(AppointmentBookingError(Error::Unprocessable("start", "past"), true).field, "Appointment.slot[0]");
  EXPECT_EQ(AppointmentBookingError(Error::Conflict("slot_taken", "gone"), true).code, ErrorCode::kConflict);
}

TEST(FhirBulkExport, KickOffParameters) {
  auto all = ReadExportRequest({}, false);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->types, SystemExportTypes());
  EXPECT_TRUE(all->all_types) << "and the types kept as sent";
  EXPECT_FALSE(all->since_ms);
  auto some = ReadExportRequest({{"_type", "Encounter,Patient,Patient"}, {"_since", "2026-11-24T10:00:00Z"},
                                 {"_outputFormat", "application/fhir+ndjson"}},
                                true);
  ASSERT_TRUE(some.ok()) << some.error().message;
  EXPECT_EQ(some->types, (std::vector<std::string>{"Encounter", "Patient"}));
  EXPECT_FALSE(some->all_types);
  auto stored = ReadExportRequest({{"_type", "Observation,Condition"}}, true);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->types, (std::vector<std::string>{"Observation", "Condition"}));
  EXPECT_EQ(some->since_ms, DayMs(kToday) + 10 * 3'600'000);
  EXPECT_TRUE(some->patient_level);
  EXPECT_EQ(ReadExportRequest({}, true)->types, PatientExportTypes());
  for (const auto& [query, field, patient_level] : std::vector<std::tuple<QueryParams, std::string, bool>>{
           {{{"_type", "Observations"}}, "_type", false}, {{{"_type", "Location"}}, "_type", true},
           {{{"_type", "Bundle"}}, "_type", false},
           {{{"_since", "soon"}}, "_since", false}, {{{"_outputFormat", "text/csv"}}, "_outputFormat", false},
           {{{"_typeFilter", "Patient?gender=male"}}, "_typeFilter", false}}) {
    auto bad = ReadExportRequest(query, patient_level);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
  }
}

TEST(FhirAuditEvent, AnEntryAsResource) {
  AuditRecord r;
  r.seq = 42;
  r.at_ms = 1'741'615'200'123;
  r.username = "coord";
  r.role = "coordinator";
  r.action = "read";
  r.patient_id = 5;
  r.category = "demographics";
  r.client_address = "10.0.0.7";
  r.outcome = "success";
  r.detail = "version 2";
  json::object e = AuditEventResource(r);
  EXPECT_EQ(e.at("id"), "42");
  EXPECT_EQ(e.at("type").at("code"), "rest");
  EXPECT_EQ(e.at("subtype").at(0).at("code"), "read");
  EXPECT_EQ(e.at("action"), "R");
  EXPECT_EQ(e.at("recorded"), "2025-03-10T14:00:00.123Z");
  EXPECT_EQ(e.at("outcome"), "0");
  EXPECT_EQ(e.at("outcomeDesc"), "version 2");
  const auto& agent = e.at("agent").at(0);
  EXPECT_EQ(agent.at("who").at("identifier").at("value"), "coord");
  EXPECT_EQ(agent.at("requestor"), true);
  EXPECT_EQ(agent.at("network").at("address"), "10.0.0.7");
  EXPECT_EQ(e.at("entity").at(0).at("what").at("reference"), "Patient/5");
  EXPECT_EQ(e.at("entity").at(0).at("description"), "demographics");
  r.action = "login";
  r.category = "security";
  r.outcome = "denied";
  r.patient_id.reset();
  r.detail.clear();
  json::object login = AuditEventResource(r);
  EXPECT_EQ(login.at("type").at("code"), "110114");
  EXPECT_EQ(login.at("action"), "E");
  EXPECT_EQ(login.at("outcome"), "4");
  EXPECT_FALSE(login.contains("outcomeDesc"));
  EXPECT_FALSE(login.at("entity").at(0).as_object().contains("what"));
  r.action = "cancel";
  EXPECT_EQ(AuditEventResource(r).at("action"), "U");
  r.action = "create";
  EXPECT_EQ(AuditEventResource(r).at("action"), "C");
}

TEST(FhirAuditEvent, SearchParametersBecomeTheFilter) {
  json::object cs = CapabilityStatement("http://h/fhir/R4", "2026-11-24T00:00:00Z");
  for (const auto& r : cs.at("rest").at(0).at("resource").as_array()) {
    if (r.at("type") != "AuditEvent") continue;
    for (const auto& p : r.at("searchParam").as_array()) {
      const std::string name(p.at("name").as_string());
      auto s = ReadAuditEventSearch({{name, name == "date" ? "ge2026-11-24" : "7"}});
      ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
      EXPECT_TRUE(s->ignored.empty()) << name;
    }
  }
  auto s = ReadAuditEventSearch({{"patient", "Patient/5"},
                                 {"agent-name", "coord"},
                                 {"subtype", "urn:caredesk:audit-action|read"},
                                 {"date", "ge2026-11-24"},
                                 {"date", "lt2026-11-25"},
                                 {"_count", "3"},
                                 {"_cursor", "99"},
                                 {"type", "rest"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->filter.patient_id, 5);
  EXPECT_EQ(s->filter.username, "coord");
  EXPECT_EQ(s->filter.action, "read");
  EXPECT_EQ(s->filter.from_ms, DayMs(kToday));
  EXPECT_EQ(s->filter.to_ms, DayMs(kToday) + kDay);
  EXPECT_EQ(s->filter.limit, 3);
  EXPECT_EQ(s->filter.before_seq, 99);
  EXPECT_FALSE(s->none);
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"type"}));
  EXPECT_TRUE(ReadAuditEventSearch({{"entity", "Practitioner/5"}})->none);
  EXPECT_TRUE(ReadAuditEventSearch({{"patient", "5"}, {"entity", "Patient/6"}})->none);
  EXPECT_TRUE(ReadAuditEventSearch({{"subtype", "http://other|read"}})->none);
  EXPECT_TRUE(ReadAuditEventSearch({{"_id", "x"}})->none);
  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"date", "ne2026-11-24"}}, "date"}, {{{"patient", "1,2"}}, "patient"}, {{{"_cursor", "x"}}, "_cursor"},
           {{{"agent-name:exact", "x"}}, "agent-name:exact"}, {{{"_count", "-1"}}, "_count"}}) {
    auto bad = ReadAuditEventSearch(query);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
  }
}

TEST(FhirSetUp, ProvidersAndLocationsAsResources) {
  Provider p;
  p.id = 7;
  p.name = "Dr. Maria Elena Lopez";
  p.specialty = "Family medicine";
  p.location_ids = {1, 3};
  p.version = 4;
  json::object pr = PractitionerResource(p);
  EXPECT_EQ(pr.at("id"), "7");
  EXPECT_EQ(pr.at("meta").at("versionId"), "4") << "the provider's version";
  EXPECT_EQ(pr.at("active"), true);
  const auto& name = pr.at("name").at(0);
  EXPECT_EQ(name.at("text"), "Dr. Maria Elena Lopez");
  EXPECT_EQ(name.at("prefix"), (json::array{"Dr."}));
  EXPECT_EQ(name.at("given"), (json::array{"Maria", "Elena"}));
  EXPECT_EQ(name.at("family"), "Lopez");
  json::object role = PractitionerRoleResource(p);
  EXPECT_EQ(role.at("practitioner").at("reference"), "Practitioner/7");
  EXPECT_EQ(role.at("location").at(1).at("reference"), "Location/3");
  EXPECT_EQ(role.at("specialty").at(0).at("text"), "Family medicine");
  Location l{3, "Riverside Clinic", "America/New_York", "1 River Rd", "5550100", 15, 30};
  json::object loc = LocationResource(l);
  EXPECT_EQ(loc.at("name"), "Riverside Clinic");
  EXPECT_EQ(loc.at("extension").at(0).at("url"), kTimeZoneExtension);
  EXPECT_EQ(loc.at("extension").at(0).at("valueCode"), "America/New_York");
  EXPECT_EQ(loc.at("address").at("text"), "1 River Rd");
  AppointmentType offered, not_offered;
  offered.id = 4;
  offered.name = "Follow-up";
  offered.provider_ids = {7};
  not_offered.id = 5;
  not_offered.provider_ids = {8};
  json::object schedule = ScheduleResource(p, {offered, not_offered});
  EXPECT_EQ(schedule.at("id"), "7");
  EXPECT_EQ(schedule.at("actor").at(0).at("reference"), "Practitioner/7");
  EXPECT_EQ(schedule.at("actor").at(2).at("reference"), "Location/3");
  ASSERT_EQ(schedule.at("serviceType").as_array().size(), 1u);
  EXPECT_EQ(schedule.at("serviceType").at(0).at("coding").at(0).at("code"), "4");
  auto at = ReadSetupSearch("Schedule", {{"actor", "Location/3"}});
  ASSERT_TRUE(at.ok());
  EXPECT_TRUE(MatchesSchedule(*at, p));
  EXPECT_FALSE(MatchesSchedule(*ReadSetupSearch("Schedule", {{"actor", "Practitioner/8"}}), p));
  EXPECT_FALSE(ReadSetupSearch("Schedule", {{"actor", "3"}}).ok());
  EXPECT_EQ(ReadSetupSearch("Schedule", {{"name", "x"}})->ignored, (std::vector<std::string>{"name"}));
}

TEST(FhirSetUp, AnAppointmentTypeIsTheHealthcareServiceAtItsProvidersLocations) {
  Provider lopez, chen, gone;
  lopez.id = 7;
  lopez.location_ids = {3, 1};
  chen.id = 8;
  chen.location_ids = {1, 2};
  gone.id = 9;
  gone.active = false;
  gone.location_ids = {5};
  AppointmentType follow_up;
  follow_up.id = 4;
  follow_up.name = "Cardiology follow-up";
  follow_up.duration_minutes = 20;
  follow_up.provider_ids = {7, 8, 9};
  AppointmentType video = follow_up;
  video.id = 5;
  video.name = "Video visit";
  video.modality = std::string(kModalityTelehealth);
  video.provider_ids = {8};
  video.active = false;
  const auto services = OfferedServices({follow_up, video}, {lopez, chen, gone});
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[0].location_ids, (std::vector<int64_t>{1, 2, 3}));  // not the inactive provider's 5
  EXPECT_EQ(services[1].location_ids, (std::vector<int64_t>{1, 2}));

  const json::object r = HealthcareServiceResource(services[0]);
  EXPECT_EQ(r.at("resourceType"), "HealthcareService");
  EXPECT_EQ(r.at("id"), "4");
  EXPECT_EQ(r.at("active"), true);
  EXPECT_EQ(r.at("name"), "Cardiology follow-up");
  EXPECT_EQ(r.at("type").at(0).at("coding").at(0).at("system"), kAppointmentTypeSystem);
  EXPECT_EQ(r.at("type").at(0).at("coding").at(0).at("code"), "4");
  EXPECT_EQ(r.at("location").as_array().size(), 3u);
  EXPECT_EQ(r.at("location").at(2).at("reference"), "Location/3");
  EXPECT_EQ(r.at("characteristic").at(0).at("text"), "In person");
  EXPECT_EQ(r.at("comment"), "20-minute appointments, in person");
  EXPECT_EQ(HealthcareServiceResource(services[1]).at("characteristic").at(0).at("text"), "Telehealth");

  auto at3 = ReadSetupSearch("HealthcareService", {{"location", "Location/3"}, {"name", "cardio"}});
  ASSERT_TRUE(at3.ok());
  EXPECT_TRUE(Matches(*at3, services[0]));
  EXPECT_FALSE(Matches(*at3, services[1]));
  auto active = ReadSetupSearch("HealthcareService", {{"active", "true"}});
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(Matches(*active, services[0]));
  EXPECT_FALSE(Matches(*active, services[1]));
  auto by_practitioner = ReadSetupSearch("HealthcareService", {{"practitioner", "7"}});
  ASSERT_TRUE(by_practitioner.ok());
  EXPECT_EQ(by_practitioner->ignored, (std::vector<std::string>{"practitioner"}));
}

TEST(FhirSetUp, SearchesMatchNamesByWordAndRolesByLocation) {
  Provider p;
  p.id = 7;
  p.name = "Dr. Maria Lopez";
  p.location_ids = {1, 3};
  auto by_name = ReadSetupSearch("Practitioner", {{"name", "LOP,zz"}});
  ASSERT_TRUE(by_name.ok());
  EXPECT_TRUE(Matches(*by_name, p, false));
  auto other = ReadSetupSearch("Practitioner", {{"name", "opez"}});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(Matches(*other, p, false));
  auto at = ReadSetupSearch("PractitionerRole", {{"location", "Location/3"}, {"practitioner", "7"}});
  ASSERT_TRUE(at.ok());
  EXPECT_TRUE(Matches(*at, p, true));
  auto elsewhere = ReadSetupSearch("PractitionerRole", {{"location", "2"}});
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(Matches(*elsewhere, p, true));
  auto inactive = ReadSetupSearch("Practitioner", {{"active", "false"}});
  ASSERT_TRUE(inactive.ok());
  EXPECT_FALSE(Matches(*inactive, p, false));
  auto ignored = ReadSetupSearch("Location", {{"address-city", "x"}, {"active", "true"}});
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->ignored, (std::vector<std::string>{"address-city", "active"}));
  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"name:exact", "x"}}, "name:exact"}, {{{"active", "yes"}}, "active"}, {{{"_count", "-2"}}, "_count"},
           {{{"_cursor", "x"}}, "_cursor"}}) {
    auto bad = ReadSetupSearch("Practitioner", query);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
  }
}

TEST(FhirCapabilityStatement, KeyedTypesListOnlyParametersAndIncludesTheirSearchReads) {
  json::object cs = CapabilityStatement("http://h/fhir/R4", "2026-11-24T00:00:00Z");
  int checked = 0;
  for (const auto& r : cs.at("rest").at(0).at("resource").as_array()) {
    const std::string type(r.at("type").as_string());
    if (type != "Appointment" && type != "Encounter" && type != "Coverage") continue;
    const auto read = [&](QueryParams q) -> std::pair<bool, std::vector<std::string>> {
      if (type == "Coverage") {
        auto s = ReadCoverageSearch(q);
        if (!s.ok()) return {false, {s.error().message}};
        return {true, s->ignored};
      }
      if (type == "Appointment") {
        auto s = ReadAppointmentSearch(q, kToday);
        if (!s.ok()) return {false, {s.error().message}};
        return {true, s->ignored};
      }
      auto s = ReadEncounterSearch(q, kToday);
      if (!s.ok()) return {false, {s.error().message}};
      return {true, s->ignored};
    };
    for (const auto& p : r.at("searchParam").as_array()) {
      const std::string name(p.at("name").as_string());
      const std::string kind(p.at("type").as_string());
      const std::string value = kind == "date" ? "2026-11-24" : name == "status" ? "cancelled"
                                : name == "actor" ? "Location/3" : "7";
      auto [ok, ignored] = read({{name, value}});
      ASSERT_TRUE(ok) << type << " " << name << ": " << (ignored.empty() ? "" : ignored[0]);
      EXPECT_TRUE(ignored.empty()) << type << " " << name;
      ++checked;
    }
    for (const auto& include : r.at("searchInclude").as_array()) {
      auto [ok, ignored] = read({{"_include", std::string(include.as_string())}});
      ASSERT_TRUE(ok);
      EXPECT_TRUE(ignored.empty()) << include;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9 + 4 + 9 + 6 + 8 + 2);
  for (const auto& rev : cs.at("rest").at(0).at("resource").at(0).at("searchRevInclude").as_array()) {
    auto s = Read({{"_revinclude", std::string(rev.as_string())}});
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->ignored.empty()) << rev;
    EXPECT_EQ(s->revinclude.size(), 1u) << rev;
  }
}

db::AppointmentRow SampleAppointment() {
  db::AppointmentRow a;
  a.id = 41;
  a.patient_id = 5;
  a.appointment_type_id = 3;
  a.provider_id = 7;
  a.location_id = 2;
  a.start_at = 1'741'615'200'000;  // 2025-03-10T14:00:00Z
  a.end_at = a.start_at + 30 * 60'000;
  a.status = "cancelled";
  a.cancel_reason = "patient ill";
  a.created_at = a.start_at - kDay;
  a.updated_at = a.start_at - 3'600'000;
  a.patient_name = "John Smith";
  a.type_name = "Follow-up";
  a.provider_name = "Dr. Ada Park";
  a.location_name = "Main Street Clinic";
  a.time_zone = "America/New_York";
  return a;
}

TEST(FhirAppointment, CareDeskAppointmentAsResource) {
  json::object r = AppointmentResource(SampleAppointment());
  EXPECT_EQ(r.at("resourceType"), "Appointment");
  EXPECT_EQ(r.at("id"), "41");
  EXPECT_EQ(r.at("status"), "cancelled");
  EXPECT_EQ(r.at("cancelationReason").at("text"), "patient ill");
  EXPECT_EQ(r.at("start"), "2025-03-10T10:00:00-04:00");  // the location's offset (EDT)
  EXPECT_EQ(r.at("end"), "2025-03-10T10:30:00-04:00");
  EXPECT_EQ(r.at("minutesDuration"), 30);
  EXPECT_EQ(r.at("meta").at("lastUpdated"), "2025-03-10T13:00:00Z");
  const auto& coding = r.at("serviceType").at(0).at("coding").at(0);
  EXPECT_EQ(coding.at("system"), kAppointmentTypeSystem);
  EXPECT_EQ(coding.at("code"), "3");
  EXPECT_EQ(coding.at("display"), "Follow-up");
  const auto& who = r.at("participant").as_array();
  ASSERT_EQ(who.size(), 3u);
  EXPECT_EQ(who[0].at("actor").at("reference"), "Patient/5");
  EXPECT_EQ(who[0].at("actor").at("display"), "John Smith");
  EXPECT_EQ(who[1].at("actor").at("reference"), "Practitioner/7");
  EXPECT_EQ(who[2].at("actor").at("reference"), "Location/2");
  EXPECT_FALSE(r.contains("comment"));
  for (const auto& [caredesk, code] : std::vector<std::pair<std::string, std::string>>{
           {"booked", "booked"}, {"checked_in", "checked-in"}, {"completed", "fulfilled"}, {"no_show", "noshow"},
           {"cancelled", "cancelled"}}) {
    EXPECT_EQ(AppointmentStatusCode(caredesk), code);
  }
  db::AppointmentRow booked = SampleAppointment();
  booked.status = "booked";
  EXPECT_FALSE(AppointmentResource(booked).contains("cancelationReason"));
}

TEST(FhirEncounter, FlowStatesAndStatusHistory) {
  db::EncounterRow e;
  e.id = 9;
  e.patient_id = 5;
  e.appointment_id = 41;
  e.location_id = 2;
  e.provider_id = 7;
  e.state = "checkout";
  e.arrived_at = 1'741'615'200'000;
  e.state_since = e.arrived_at + 40 * 60'000;
  e.version = 5;
  e.modality = "telehealth";
  const int64_t t0 = e.arrived_at, minute = 60'000;
  std::vector<db::TransitionRow> steps{{1, "", "arrived", t0, "coord", {}, ""},
                                       {2, "arrived", "roomed", t0 + 10 * minute, "coord", {}, ""},
                                       {3, "roomed", "with_provider", t0 + 12 * minute, "coord", t0 + 13 * minute, "coord"},
                                       {4, "roomed", "with_provider", t0 + 20 * minute, "coord", {}, ""},
                                       {5, "with_provider", "checkout", t0 + 40 * minute, "coord", {}, ""}};
  json::object r = EncounterResource(e, &steps);
  EXPECT_EQ(r.at("status"), "in-progress");
  EXPECT_EQ(r.at("class").at("code"), "VR");
  EXPECT_EQ(r.at("meta").at("versionId"), "5");
  EXPECT_EQ(r.at("subject").at("reference"), "Patient/5");
  EXPECT_EQ(r.at("appointment").at(0).at("reference"), "Appointment/41");
  EXPECT_EQ(r.at("participant").at(0).at("individual").at("reference"), "Practitioner/7");
  EXPECT_EQ(r.at("location").at(0).at("status"), "active");
  EXPECT_FALSE(r.at("period").as_object().contains("end"));
  // The undone step is left out; with_provider and checkout are one in-progress entry.
  const auto& history = r.at("statusHistory").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("status"), "arrived");
  EXPECT_EQ(history[1].at("status"), "triaged");
  EXPECT_EQ(history[1].at("period").at("end"), "2025-03-10T14:20:00Z");
  EXPECT_EQ(history[2].at("status"), "in-progress");
  EXPECT_EQ(history[2].at("period").at("start"), "2025-03-10T14:20:00Z");
  EXPECT_FALSE(history[2].at("period").as_object().contains("end"));
  for (const auto& [state, code] : std::vector<std::pair<std::string, std::string>>{
           {"arrived", "arrived"}, {"roomed", "triaged"}, {"with_provider", "in-progress"},
           {"completed", "finished"}, {"left_without_being_seen", "cancelled"}}) {
    EXPECT_EQ(EncounterStatusCode(state), code);
  }
  e.ended_at = e.state_since;
  e.modality = "in_person";
  json::object ended = EncounterResource(e, nullptr);
  EXPECT_EQ(ended.at("class").at("code"), "AMB");
  EXPECT_EQ(ended.at("location").at(0).at("status"), "completed");
  EXPECT_TRUE(ended.at("period").as_object().contains("end"));
  EXPECT_FALSE(ended.contains("statusHistory"));
}

TEST(FhirAppointmentSearch, ParametersBecomeCriteria) {
  auto s = ReadAppointmentSearch({{"patient", "Patient/5,6"},
                                  {"actor", "Practitioner/7"},
                                  {"actor:Location", "2"},
                                  {"status", "booked,fulfilled,proposed"},
                                  {"service-type", "urn:caredesk:appointment-type|3,http://other|3"},
                                  {"date", "ge2026-11-24"},
                                  {"_sort", "-date"},
                                  {"_include", "Appointment:actor:Practitioner"},
                                  {"_include", "Appointment:what"},
                                  {"_count", "5"}},
                                 kToday);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const AppointmentCriteria& q = s->criteria;
  EXPECT_EQ(q.patients, (std::vector<AnyOf<int64_t>>{{5, 6}}));
  EXPECT_EQ(q.providers, (std::vector<AnyOf<int64_t>>{{7}}));
  EXPECT_EQ(q.locations, (std::vector<AnyOf<int64_t>>{{2}}));
  EXPECT_EQ(q.statuses, (std::vector<AnyOf<std::string>>{{"booked", "completed", "-"}}));  // proposed: none
  EXPECT_EQ(q.types, (std::vector<AnyOf<int64_t>>{{3, -1}}));
  ASSERT_EQ(q.start.size(), 1u);
  EXPECT_EQ(q.start[0][0].op, DateMatch::Op::kGe);
  EXPECT_EQ(q.start[0][0].lo_ms, DayMs(kToday));
  EXPECT_TRUE(q.page.by_time);
  EXPECT_TRUE(q.page.descending);
  EXPECT_EQ(q.page.limit, 5);
  EXPECT_EQ(s->include, (std::vector<std::string>{"Practitioner"}));
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"_include=Appointment:what"}));
  // Every parameter applied goes into the self and next links; the ignored one does not.
  EXPECT_EQ(s->used.size(), 9u);
  EXPECT_EQ(s->used[0], (std::pair<std::string, std::string>{"patient", "Patient/5,6"}));

  auto by_id = ReadAppointmentSearch({{"_sort", "_id"}, {"_cursor", "12"}}, kToday);
  ASSERT_TRUE(by_id.ok());
  EXPECT_FALSE(by_id->criteria.page.by_time);
  EXPECT_EQ(by_id->criteria.page.after_id, 12);
  auto by_time = ReadAppointmentSearch({{"_cursor", "12.1741615200000"}}, kToday);
  ASSERT_TRUE(by_time.ok());
  EXPECT_EQ(by_time->criteria.page.after_time, 1'741'615'200'000);
  EXPECT_EQ(NextCursor(by_time->criteria.page, 12, 99), "12.99");

  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"status", "done"}}, "status"},
           {{{"actor", "7"}}, "actor"},
           {{{"actor", "Patient/1,Location/2"}}, "actor"},
           {{{"actor:Device", "1"}}, "actor:Device"},
           {{{"patient:Group", "1"}}, "patient:Group"},
           {{{"date:missing", "true"}}, "date:missing"},
           {{{"date", "2026-13"}}, "date"},
           {{{"_sort", "status"}}, "_sort"},
           {{{"_cursor", "12"}}, "_cursor"},  // an id-order cursor for a date-order search
           {{{"_count", "5000"}}, "_count"}}) {
    auto bad = ReadAppointmentSearch(query, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(FhirEncounterSearch, ParametersBecomeCriteria) {
  auto s = ReadEncounterSearch({{"subject", "Patient/5"},
                                {"participant", "Practitioner/7"},
                                {"appointment", "Appointment/41"},
                                {"status", "in-progress"},
                                {"date", "lt2026-11-24T10:00:00Z"},
                                {"_summary", "count"},
                                {"_include", "Encounter:appointment"},
                                {"class", "AMB"}},
                               kToday);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const EncounterCriteria& q = s->criteria;
  EXPECT_EQ(q.patients, (std::vector<AnyOf<int64_t>>{{5}}));
  EXPECT_EQ(q.providers, (std::vector<AnyOf<int64_t>>{{7}}));
  EXPECT_EQ(q.appointments, (std::vector<AnyOf<int64_t>>{{41}}));
  EXPECT_EQ(q.states, (std::vector<AnyOf<std::string>>{{"with_provider", "checkout"}}));
  ASSERT_EQ(q.arrived.size(), 1u);
  EXPECT_EQ(q.arrived[0][0].op, DateMatch::Op::kLt);
  EXPECT_TRUE(s->result.summary_count);
  EXPECT_EQ(q.page.limit, 0);
  EXPECT_EQ(s->include, (std::vector<std::string>{"Appointment"}));
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"class"}));
  EXPECT_EQ(s->used.size(), 7u);
  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"status", "booked"}}, "status"}, {{{"subject:Group", "1"}}, "subject:Group"},
           {{{"status:not", "finished"}}, "status:not"}}) {
    auto bad = ReadEncounterSearch(query, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.error().field, field);
  }
}

TEST(FhirCoverage, APatientsCoverageAsResource) {
  db::CoverageRow row;
  row.id = 12;
  row.patient_id = 5;
  row.patient_name = "John Smith";
  row.coverage = Coverage{12, "Aetna", "W123456", "G1", "self", CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31}};
  const json::object r = CoverageResource(row);
  EXPECT_EQ(r.at("resourceType"), "Coverage");
  EXPECT_EQ(r.at("id"), "12");
  EXPECT_EQ(r.at("status"), "active");
  EXPECT_EQ(r.at("beneficiary").at("reference"), "Patient/5");
  EXPECT_EQ(r.at("beneficiary").at("display"), "John Smith");
  EXPECT_EQ(r.at("subscriber").at("reference"), "Patient/5");  // self: the patient is the subscriber
  EXPECT_EQ(r.at("subscriberId"), "W123456");
  EXPECT_EQ(r.at("identifier").at(0).at("system"), kMemberIdSystem);
  EXPECT_EQ(r.at("relationship").at("coding").at(0).at("code"), "self");
  EXPECT_EQ(r.at("period").at("start"), "2025-01-01");
  EXPECT_EQ(r.at("period").at("end"), "2025-12-31");
  EXPECT_EQ(r.at("payor").at(0).at("display"), "Aetna");
  EXPECT_EQ(r.at("class").at(0).at("value"), "G1");
  EXPECT_EQ(r.at("class").at(0).at("type").at("coding").at(0).at("code"), "group");

  row.coverage = Coverage{12, "", "", "", "child", std::nullopt, std::nullopt};
  const json::object bare = CoverageResource(row);
  EXPECT_FALSE(bare.contains("subscriber"));  // the subscriber is someone CareDesk does not record
  EXPECT_FALSE(bare.contains("identifier"));
  EXPECT_FALSE(bare.contains("period"));
  EXPECT_FALSE(bare.contains("class"));
  EXPECT_EQ(bare.at("payor").at(0).at("display"), "unknown payer");  // payor is required (1..*)
}

TEST(FhirCoverageSearch, ParametersBecomeCriteria) {
  auto s = ReadCoverageSearch({{"beneficiary", "Patient/5,6"},
                               {"identifier", "urn:caredesk:coverage-member-id|W1,other|W2,W3"},
                               {"class-value", "G1"},
                               {"payor", "Aetna"},
                               {"status", "active"},
                               {"_include", "Coverage:beneficiary"},
                               {"_sort", "-_id"},
                               {"type", "EHCPOL"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  const CoverageCriteria& q = s->criteria;
  EXPECT_EQ(q.patients, (std::vector<AnyOf<int64_t>>{{5, 6}}));
  ASSERT_EQ(q.member_ids.size(), 1u);
  ASSERT_EQ(q.member_ids[0].size(), 3u);
  EXPECT_EQ(q.member_ids[0][0], "W1");
  EXPECT_NE(q.member_ids[0][1], "W2");  // another system's W2 is not CareDesk's member id W2
  EXPECT_EQ(q.member_ids[0][2], "W3");
  EXPECT_EQ(q.groups, (std::vector<AnyOf<std::string>>{{"G1"}}));
  EXPECT_EQ(q.payers, (std::vector<AnyOf<std::string>>{{"Aetna"}}));
  EXPECT_TRUE(q.ids.empty());  // every coverage is active
  EXPECT_FALSE(q.page.by_time);
  EXPECT_TRUE(q.page.descending);
  EXPECT_EQ(s->include, (std::vector<std::string>{"Patient"}));
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"type"}));

  auto draft = ReadCoverageSearch({{"status", "draft"}});
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->criteria.ids, (std::vector<AnyOf<int64_t>>{{-1}}));  // matches nothing

  EXPECT_EQ(ReadCoverageSearch({{"status", "lapsed"}}).error().field, "status");
  EXPECT_EQ(ReadCoverageSearch({{"_sort", "date"}}).error().field, "_sort");
  EXPECT_EQ(ReadCoverageSearch({{"patient:Group", "1"}}).error().field, "patient:Group");
  EXPECT_EQ(ReadCoverageSearch({{"payor:exact", "Aetna"}}).error().field, "payor:exact");
}

TEST(FhirBatch, EntriesBecomeRequestsAndErrorsNameTheElement) {
  auto batch = ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"batch","entry":[
      {"request":{"method":"GET","url":"Patient/7"}},
      {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","gender":"female"},
       "request":{"method":"POST","url":"/Patient","ifNoneExist":"identifier=x|1"}},
      {"request":{"method":"PUT","url":"Patient/8","ifMatch":"W/\"2\""},"resource":{"resourceType":"Patient","id":"8"}}]})"));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ((*batch)[0].method, "GET");
  EXPECT_EQ((*batch)[0].url, "Patient/7");
  EXPECT_TRUE((*batch)[0].body.empty());
  EXPECT_EQ((*batch)[1].url, "Patient");  // a leading slash is still relative to the base
  EXPECT_EQ((*batch)[1].if_none_exist, "identifier=x|1");
  EXPECT_EQ(json::parse((*batch)[1].body).at("gender"), "female");
  EXPECT_EQ((*batch)[2].if_match, "W/\"2\"");
  EXPECT_TRUE(ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"batch"})"))->empty());

  const auto field = [](std::string_view body) {
    auto r = ReadBatch(json::parse(body));
    return r.ok() ? std::string("(accepted)") : r.error().field;
  };
  EXPECT_EQ(field(R"({"resourceType":"Patient"})"), "resourceType");
  EXPECT_EQ(field(R"({"resourceType":"Bundle"})"), "Bundle.type");
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"searchset"})"), "Bundle.type");
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"batch","entry":{}})"), "Bundle.entry");
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"batch","entry":[{}]})"), "Bundle.entry[0].request");
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"url":"Patient"}}]})"),
            "Bundle.entry[0].request.method");
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient"}},
      {"request":{"method":"FETCH","url":"Patient"}}]})"), "Bundle.entry[1].request.method");
  for (const char* url : {"http://other.example/fhir/Patient/1", "../api/v1/patients", "?name=x", ""}) {
    const std::string body = std::string(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":")") + url + R"("}}]})";
    EXPECT_EQ(field(body), "Bundle.entry[0].request.url") << url;
  }
  EXPECT_EQ(field(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"POST","url":"Patient"},
      "resource":{"resourceType":"Bundle","type":"batch"}}]})"), "Bundle.entry[0].resource");
  auto transaction = ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"transaction","entry":[]})"));
  ASSERT_FALSE(transaction.ok());
  EXPECT_EQ(transaction.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(transaction.error().field, "Bundle.type");
  bool is_transaction = false;
  auto accepted = ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"transaction","entry":[)"
                                        R"({"fullUrl":"urn:uuid:1","request":{"method":"POST","url":"Observation"},)"
                                        R"("resource":{"resourceType":"Observation"}}]})"),
                            &is_transaction);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_TRUE(is_transaction);
  EXPECT_EQ(accepted->at(0).full_url, "urn:uuid:1");
  ASSERT_TRUE(ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"batch"})"), &is_transaction).ok());
  EXPECT_FALSE(is_transaction);
  EXPECT_EQ(ReadBatch(json::parse(R"({"resourceType":"Bundle","type":"document"})"), &is_transaction).error().field,
            "Bundle.type");
}

TEST(FhirBatch, TheResponseHasOneEntryPerRequestInOrder) {
  BatchOutcome created;
  created.status = 201;
  created.resource = json::object{{"resourceType", "Patient"}, {"id", "9"}};
  created.location = "http://h/fhir/R4/Patient/9/_history/1";
  created.etag = "W/\"1\"";
  created.last_modified = "2026-11-24T10:00:00Z";
  BatchOutcome missing;
  missing.status = 404;
  missing.outcome = OperationOutcome("error", "not-found", "Patient/1 is not known");
  const json::object r = BatchResponse({created, missing});
  EXPECT_EQ(r.at("type"), "batch-response");
  const auto& entries = r.at("entry").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("response").at("status"), "201 Created");
  EXPECT_EQ(entries[0].at("response").at("location"), "http://h/fhir/R4/Patient/9/_history/1");
  EXPECT_EQ(entries[0].at("response").at("etag"), "W/\"1\"");
  EXPECT_EQ(entries[0].at("response").at("lastModified"), "2026-11-24T10:00:00Z");
  EXPECT_EQ(entries[0].at("resource").at("id"), "9");
  EXPECT_EQ(entries[1].at("response").at("status"), "404 Not Found");
  EXPECT_EQ(entries[1].at("response").at("outcome").at("issue").at(0).at("code"), "not-found");
  EXPECT_FALSE(entries[1].as_object().contains("resource"));
}

TEST(FhirReference, IdsOfTheNamedTypeOnly) {
  EXPECT_EQ(ReferenceId("7", "Patient"), 7);
  EXPECT_EQ(ReferenceId("Patient/7", "Patient"), 7);
  EXPECT_EQ(ReferenceId("http://h/fhir/R4/Patient/7", "Patient"), 7);
  EXPECT_EQ(ReferenceId("Practitioner/7", "Patient"), -1);
  EXPECT_EQ(ReferenceId("XPatient/7", "Patient"), -1);
  EXPECT_EQ(ReferenceId("Patient/0", "Patient"), -1);
  EXPECT_EQ(ReferenceId("Patient/x", "Patient"), -1);
}

TEST(FhirBundle, IncludedResourcesFollowTheMatches) {
  SearchPage page;
  page.type_url = "http://h/fhir/R4/Appointment";
  page.resources.push_back(json::object{{"resourceType", "Appointment"}, {"id", "1"}});
  page.included.push_back(json::object{{"resourceType", "Patient"}, {"id", "5"}});
  json::object b = SearchSet(page);
  const auto& entries = b.at("entry").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].at("fullUrl"), "http://h/fhir/R4/Patient/5");
  EXPECT_EQ(entries[1].at("search").at("mode"), "include");
}

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

TEST(VisitImport, APractitionerIsAProviderByItsOfficialNameOrItsFirst) {
  auto p = ReadPractitioner(Obj(R"({"name":[{"family":"Fay","given":["Loren","J."],"prefix":["Dr."]}],"active":false})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "Dr. Loren J. Fay");
  EXPECT_FALSE(p->active);
  p = ReadPractitioner(Obj(R"({"name":[{"use":"usual","text":"Lolo"},{"use":"official","family":"Fay","given":["Loren"]}]})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "Loren Fay");
  EXPECT_TRUE(p->active) << "active unless it says otherwise";
  EXPECT_EQ(ReadPractitioner(Obj(R"({"name":[{"use":"usual","text":"Lolo"}]})"))->name, "Lolo");
  for (const char* nameless : {R"({})", R"({"name":[]})", R"({"name":[{"given":[]}]})", R"({"name":"Fay"})"}) {
    auto bad = ReadPractitioner(Obj(nameless));
    ASSERT_FALSE(bad.ok()) << nameless;
    EXPECT_EQ(bad.error().field, "Practitioner.name");
    EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable);
  }
}

TEST(VisitImport, AnOrganizationIsTheSiteItsEncountersHappenedAt) {
  auto l = ReadOrganizationSite(
      Obj(R"({"name":"Hill Clinic","telecom":[{"system":"fax","value":"1"},{"system":"phone","value":"555-0100"}],)"
          R"("address":[{"line":["1 Hill Road","Suite 2"],"city":"Medford","state":"MA","postalCode":"02155"}]})"),
      "America/New_York");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->name, "Hill Clinic");
  EXPECT_EQ(l->time_zone, "America/New_York");
  EXPECT_EQ(l->address, "1 Hill Road, Suite 2, Medford, MA 02155");
  EXPECT_EQ(l->phone, "555-0100");
  EXPECT_EQ(ReadOrganizationSite(Obj(R"({"name":"X","address":[{"text":"Somewhere"}]})"), "UTC")->address, "Somewhere");
  EXPECT_EQ(ReadOrganizationSite(Obj(R"({"alias":["X"]})"), "UTC").error().field, "Organization.name");
}

TEST(VisitImport, AnEncounterThatIsOverIsAVisit) {
  auto v = ReadVisit(Obj(R"({"status":"finished","subject":{"reference":"Patient/7"},)"
                         R"("participant":[{"individual":{"reference":"urn:uuid:x"}},{"individual":{"reference":"Practitioner/3"}}],)"
                         R"("location":[{"location":{"reference":"Location/4"}}],)"
                         R"("period":{"start":"2020-04-19T05:35:54+02:00","end":"2020-04-19T06:00:00+02:00"},)"
                         R"("serviceProvider":{"reference":"Organization/o","display":"Hill"}})"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->patient_id, 7);
  EXPECT_EQ(v->state, "completed");
  EXPECT_EQ(v->start, 1587267354000);
  EXPECT_EQ(v->end, 1587268800000);
  EXPECT_EQ(v->provider_id, 3) << "the first participant that is a CareDesk practitioner";
  EXPECT_EQ(v->location_id, 4);
  EXPECT_EQ(v->service_provider, "Organization/o");
  EXPECT_EQ(v->service_provider_name, "Hill");
  // Cancelled: left without being seen. No end: it ended as it began. A date alone: its midnight UTC.
  v = ReadVisit(Obj(R"({"status":"cancelled","subject":{"reference":"Patient/7"},"period":{"start":"2020-04-19"}})"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->state, "left_without_being_seen");
  EXPECT_EQ(v->start, 1587254400000);
  EXPECT_EQ(v->end, v->start);
  EXPECT_FALSE(v->provider_id);
  EXPECT_FALSE(v->location_id);

  const std::pair<const char*, const char*> refused[] = {
      {R"({"status":"in-progress","subject":{"reference":"Patient/7"},"period":{"start":"2020-04-19"}})", "Encounter.status"},
      {R"({"subject":{"reference":"Patient/7"},"period":{"start":"2020-04-19"}})", "Encounter.status"},
      {R"({"status":"finished","subject":{"reference":"urn:uuid:p"},"period":{"start":"2020-04-19"}})", "Encounter.subject"},
      {R"({"status":"finished","subject":{"reference":"Group/7"},"period":{"start":"2020-04-19"}})", "Encounter.subject"},
      {R"({"status":"finished","subject":{"reference":"Patient/7"}})", "Encounter.period.start"},
      {R"({"status":"finished","subject":{"reference":"Patient/7"},"period":{"start":"yesterday"}})", "Encounter.period.start"},
      {R"({"status":"finished","subject":{"reference":"Patient/7"},"period":{"start":"2020-04-19T05:00:00Z","end":7}})", "Encounter.period.end"},
      {R"({"status":"finished","subject":{"reference":"Patient/7"},"period":{"start":"2020-04-19T05:00:00Z","end":"2020-04-19T04:00:00Z"}})", "Encounter.period.end"},
  };
  for (const auto& [text, field] : refused) {
    auto bad = ReadVisit(Obj(text));
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.error().field, field) << text;
    EXPECT_EQ(bad.error().code, ErrorCode::kUnprocessable) << text;
  }
}

TEST(KeptAsSent, WhatIsNotModelledIsAlwaysAsSentAndWhatIsModelledWhileUnchanged) {
  const std::span<const std::string_view> modelled = EncounterModelled();
  const json::object original = Obj(R"({"status":"finished","class":{"code":"EMER"},"reasonCode":[{"text":"cough"}],)"
                                    R"("_status":{"extension":[{"url":"u"}]},"period":{"start":"2020-01-01T00:00:00+00:00"}})");
  const json::object projection = Obj(R"({"resourceType":"Encounter","id":"1","status":"finished","class":{"code":"AMB"},)"
                                      R"("period":{"start":"2020-01-01T00:00:00Z"}})");
  json::object same = KeepAsSent(original, projection, projection, modelled);
  EXPECT_EQ(same.at("class").at("code"), "EMER");
  EXPECT_EQ(same.at("period").at("start"), "2020-01-01T00:00:00+00:00");
  EXPECT_EQ(same.at("reasonCode").at(0).at("text"), "cough");
  EXPECT_TRUE(same.contains("_status"));
  EXPECT_EQ(same.at("id"), "1");
  // CareDesk changed the status since: its own, and the extension of the old one goes with it.
  json::object now = projection;
  now["status"] = "cancelled";
  json::object changed = KeepAsSent(original, projection, now, modelled);
  EXPECT_EQ(changed.at("status"), "cancelled");
  EXPECT_FALSE(changed.contains("_status"));
  EXPECT_EQ(changed.at("class").at("code"), "EMER");
  EXPECT_EQ(changed.at("reasonCode").at(0).at("text"), "cough");
  // What CareDesk models and the writer did not send: left out, or CareDesk's when asked.
  json::object placed = projection;
  placed["location"] = json::array{Obj(R"({"location":{"reference":"Location/4"}})")};
  EXPECT_FALSE(KeepAsSent(original, placed, placed, modelled).contains("location"));
  EXPECT_EQ(KeepAsSent(original, placed, placed, modelled, true).at("location").at(0).at("location").at("reference"),
            "Location/4");
  EXPECT_EQ(AsSent(Obj(R"({"resourceType":"Encounter","id":"x","meta":{"versionId":"3"},"status":"finished"})")),
            Obj(R"({"resourceType":"Encounter","status":"finished"})"));
}

TEST(FhirGroups, IdsNameALocationOrAProviderAndTheResourceSaysWhoBelongs) {
  EXPECT_EQ(ReadGroupId("location-3")->id, 3);
  EXPECT_EQ(ReadGroupId("location-3")->kind, db::PatientGroupKind::kLocation);
  EXPECT_EQ(ReadGroupId("provider-12")->kind, db::PatientGroupKind::kProvider);
  for (const char* bad : {"", "location-", "location-0", "location-03", "location-3x", "provider--1", "room-3", "3"}) {
    EXPECT_FALSE(ReadGroupId(bad)) << bad;
  }
  EXPECT_EQ(FormatGroupId({db::PatientGroupKind::kProvider, 12}), "provider-12");
  json::object g = GroupResource({db::PatientGroupKind::kLocation, 3}, "Riverside Clinic", 41);
  EXPECT_EQ(g.at("id"), "location-3");
  EXPECT_EQ(g.at("type"), "person");
  EXPECT_EQ(g.at("actual"), true);
  EXPECT_EQ(g.at("quantity"), 41);
  EXPECT_EQ(g.at("name"), "Patients of Riverside Clinic");
  EXPECT_EQ(g.at("characteristic").at(0).at("valueReference").at("reference"), "Location/3");
  EXPECT_EQ(GroupResource({db::PatientGroupKind::kProvider, 5}, "Dr. Lopez", 0)
                .at("characteristic").at(0).at("valueReference").at("reference"),
            "Practitioner/5");

  auto s = ReadGroupSearch({{"_id", "location-1,provider-2"}, {"_summary", "count"}, {"name", "x"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ids, (std::vector<std::string>{"location-1", "provider-2"}));
  EXPECT_TRUE(s->count_only);
  EXPECT_EQ(s->ignored, (std::vector<std::string>{"name"}));
  EXPECT_EQ(ReadGroupSearch({{"_summary", "true"}}).error().field, "_summary");
  EXPECT_FALSE(IsStoredType("Group")) << "CareDesk's groups are its own, not kept as sent";
}

}  // namespace
}  // namespace caredesk::fhir
