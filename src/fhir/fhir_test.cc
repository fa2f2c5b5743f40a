#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fhir/bundle.h"
#include "fhir/capability_statement.h"
#include "fhir/operation_outcome.h"
#include "fhir/patient_input.h"
#include "fhir/patient_resource.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
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
  EXPECT_FALSE(HistoryBundle("b", "s", {}).contains("entry"));
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
  int checked = 0;
  for (const auto& r : cs.at("rest").at(0).at("resource").as_array()) {
    const std::string type(r.at("type").as_string());
    if (type == "Patient") continue;
    for (const auto& p : r.at("searchParam").as_array()) {
      const std::string name(p.at("name").as_string());
      auto s = ReadSetupSearch(type, {{name, name == "active" ? "true" : "7"}});
      ASSERT_TRUE(s.ok()) << type << " " << name << ": " << s.error().message;
      EXPECT_TRUE(s->ignored.empty()) << type << " " << name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9);
}

TEST(FhirSetUp, ProvidersAndLocationsAsResources) {
  Provider p;
  p.id = 7;
  p.name = "Dr. Maria Elena Lopez";
  p.specialty = "Family medicine";
  p.location_ids = {1, 3};
  json::object pr = PractitionerResource(p);
  EXPECT_EQ(pr.at("id"), "7");
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

}  // namespace
}  // namespace caredesk::fhir
