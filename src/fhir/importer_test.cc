// `caredesk import fhir` on both databases: ndjson and Bundles, references resolved within an import and
// across imports, importing again creating nobody twice, colliding identifiers, bad lines reported, and all
// of ../shared/data/synthea_fhir_r4.
#include "fhir/importer.h"
#include "fhir/resource_types.h"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>

#include "app/app_test_fixture.h"
#include "fhir/kept_as_sent.h"
#include "fhir/schedule_resources.h"
#include "fhir/visit_resources.h"
#include "storage/encounter_repository.h"
#include "storage/fhir_resource_repository.h"
#include "storage/patient_repository.h"

namespace caredesk::fhir {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr char kAnn[] =
    R"({"resourceType":"Patient","id":"p-ann","identifier":[{"system":"urn:test:mrn","value":"A1"}],)"
    R"("name":[{"family":"Importa","given":["Ann"]}],"gender":"female","birthDate":"1970-02-03"})";
constexpr char kBen[] =
    R"({"resourceType":"Patient","id":"p-ben","identifier":[{"system":"urn:test:mrn","value":"B1"},)"
    R"({"system":"urn:test:licence","value":"L-SHARED"}],)"
    R"("name":[{"family":"Importb","given":["Ben"]}],"gender":"male","birthDate":"1980-04-05"})";
// Another person whose licence number is Ben's (a data error, or Synthea's).
constexpr char kCat[] =
    R"({"resourceType":"Patient","id":"p-cat","identifier":[{"system":"urn:test:mrn","value":"C1"},)"
    R"({"system":"urn:test:licence","value":"L-SHARED"}],)"
    R"("name":[{"family":"Importc","given":["Cat"]}],"gender":"female","birthDate":"1990-06-07"})";

class ImporterTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    patient_store_ = std::make_unique<PatientStore>(*patients_, pool(), clock_);
    resources_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
    schedule_ = std::make_unique<ScheduleService>(pool(), clock_, *audit_);
    importer_ = std::make_unique<FhirImporter>(*patient_store_, *schedule_, *resources_, pool());
    dir_ = fs::temp_directory_path() / ("caredesk-import-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  ImportReport Import(const std::vector<fs::path>& inputs) {
    auto r = importer_->Import(admin_, inputs);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ImportReport{};
  }

  std::optional<db::FhirResourceRow> Stored(const std::string& type, const std::string& id) {
    auto conn = pool().Acquire();
    auto r = db::FhirResourceRepository::Find(*conn, type, id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  int64_t Count(const std::string& table) {
    auto conn = pool().Acquire();
    auto rs = conn->Query("SELECT COUNT(*) FROM " + table);
    return rs.ok() ? rs->Int(0, 0) : -1;
  }
  int64_t PatientCount() { return Count("patients"); }

  // The encounter an import made of the source's `id`, served with what was sent for it.
  json::object Encounter(const std::string& id) {
    auto conn = pool().Acquire();
    auto names = db::FhirResourceRepository::ImportNames(*conn, {"Encounter/" + id});
    EXPECT_TRUE(names.ok() && names->size() == 1u) << id;
    if (!names.ok() || names->empty()) return {};
    const int64_t n = std::stoll(names->front().second.substr(10));
    auto row = db::EncounterRepository::Find(*conn, n);
    EXPECT_TRUE(row.ok() && *row);
    if (!row.ok() || !*row) return {};
    std::vector<json::object> one{EncounterResource(**row, nullptr)};
    EXPECT_TRUE(ServeAsSent(*conn, "Encounter", EncounterModelled(), one).ok());
    return one.front();
  }

  Actor admin_{0, "caredesk-import", Role::kAdmin, "local", 0};
  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<PatientStore> patient_store_;
  std::unique_ptr<ResourceStore> resources_;
  std::unique_ptr<ScheduleService> schedule_;
  std::unique_ptr<FhirImporter> importer_;
  fs::path dir_;
};

TEST_P(ImporterTest, NdjsonPatientsBecomePatientsAndOtherTypesAreKeptWithReferencesResolved) {
  const fs::path patients = Write("Patient.ndjson", std::string(kAnn) + "\n\n" + kBen + "\n");
  const fs::path observations = Write(
      "Observation.ndjson",
      R"({"resourceType":"Observation","id":"o-1","status":"final","code":{"text":"HR"},"subject":{"reference":"urn:uuid:p-ann"},"performer":[{"reference":"Organization/org-1"}]})"
      "\n"
      R"({"resourceType":"Observation","id":"o-2","status":"final","code":{"text":"HR"},"subject":{"reference":"Patient/p-ben"},"focus":[{"reference":"urn:uuid:not-here"}]})"
      "\n"
      "not json\n"
      R"({"resourceType":"Nonsense"})"
      "\n"
      R"({"resourceType":"Schedule","id":"s-1"})"
      "\n");
  const fs::path orgs = Write("Organization.ndjson", R"({"resourceType":"Organization","id":"org-1","name":"Elsewhere"})"
                                                     "\n");
  const ImportReport report = Import({dir_});
  EXPECT_EQ(report.read, 6);
  EXPECT_EQ(report.patients_created, 2);
  EXPECT_EQ(report.written.at("Patient"), 2);
  EXPECT_EQ(report.written.at("Observation"), 2);
  EXPECT_EQ(report.written.at("Organization"), 1);
  EXPECT_EQ(report.skipped.at("Schedule"), 1) << "a modelled type CareDesk does not import";
  EXPECT_EQ(report.failed, 2);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].rfind("Observation.ndjson:3: not JSON", 0), 0u) << report.errors[0];
  EXPECT_NE(report.errors[1].find("Nonsense is not an R4 resource type"), std::string::npos) << report.errors[1];
  EXPECT_EQ(PatientCount(), 2);

  auto o1 = Stored("Observation", "o-1");
  ASSERT_TRUE(o1);
  EXPECT_GT(o1->patient_id, 0) << "the subject resolved to the patient imported";
  json::object body = json::parse(o1->body).as_object();
  EXPECT_EQ(body.at("subject").at("reference").as_string(), "Patient/" + std::to_string(o1->patient_id));
  EXPECT_EQ(body.at("performer").at(0).at("reference").as_string(), "Organization/org-1");
  auto o2 = Stored("Observation", "o-2");
  ASSERT_TRUE(o2);
  EXPECT_GT(o2->patient_id, 0);
  EXPECT_NE(o2->patient_id, o1->patient_id);
  EXPECT_EQ(json::parse(o2->body).at("focus").at(0).at("reference").as_string(), "urn:uuid:not-here")
      << "a reference to what is not there is kept as given";

  // Imported again: nobody twice; the kept resources get their next version.
  const ImportReport again = Import({patients, observations, orgs});
  EXPECT_EQ(again.patients_created, 0);
  EXPECT_EQ(again.patients_updated, 2);
  EXPECT_EQ(PatientCount(), 2);
  EXPECT_EQ(Stored("Observation", "o-1")->version, 2);
  EXPECT_EQ(Stored("Observation", "o-1")->patient_id, o1->patient_id);

  // A later import of another file refers to the patients through the names kept from the first.
  const ImportReport later = Import({Write(
      "Condition.ndjson",
      R"({"resourceType":"Condition","id":"c-1","subject":{"reference":"urn:uuid:p-ben"},"code":{"text":"x"}})"
      "\n")});
  EXPECT_EQ(later.written.at("Condition"), 1);
  EXPECT_EQ(Stored("Condition", "c-1")->patient_id, o2->patient_id);

  // The import is audited under each patient it wrote data for.
  db::AuditFilter f;
  f.patient_id = o1->patient_id;
  auto entries = audit_->Search(f);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(std::any_of(entries->begin(), entries->end(), [](const AuditRecord& r) {
    return r.action == "import" && r.category == audit_category::kClinical && r.username == "caredesk-import";
  }));
}

TEST_P(ImporterTest, TransactionBundlesResolveUrnUuidsAndNeverMergeTwoPeopleOnOneIdentifier) {
  const std::string bundle = std::string(R"({"resourceType":"Bundle","type":"transaction","entry":[)") +
                             R"({"fullUrl":"urn:uuid:11111111-2222-4333-8444-555555555555","resource":)" + kBen +
                             R"(,"request":{"method":"POST","url":"Patient"}},)" +
                             R"({"fullUrl":"urn:uuid:aaaaaaaa-2222-4333-8444-555555555555","resource":)"
                             R"({"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"flu"},)"
                             R"("patient":{"reference":"urn:uuid:11111111-2222-4333-8444-555555555555"},)"
                             R"("occurrenceDateTime":"2020-01-01"},"request":{"method":"POST","url":"Immunization"}},)"
                             R"({"request":{"method":"DELETE","url":"Observation/x"}}]})";
  const ImportReport report = Import({Write("ben.json", bundle)});
  EXPECT_EQ(report.failed, 0) << (report.errors.empty() ? "" : report.errors[0]);
  EXPECT_EQ(report.skipped.at("Bundle entry DELETE"), 1);
  auto imm = Stored("Immunization", "aaaaaaaa-2222-4333-8444-555555555555");
  ASSERT_TRUE(imm) << "a resource without an id takes its urn:uuid fullUrl's";
  EXPECT_GT(imm->patient_id, 0);

  // Cat has Ben's licence number: registered as herself, without it in the index, and the report says so.
  const ImportReport cat = Import({Write("cat.ndjson", std::string(kCat) + "\n")});
  EXPECT_EQ(cat.patients_created, 1);
  EXPECT_EQ(cat.failed, 0);
  ASSERT_EQ(cat.warnings.size(), 1u);
  EXPECT_NE(cat.warnings[0].find("urn:test:licence|L-SHARED"), std::string::npos) << cat.warnings[0];
  EXPECT_EQ(PatientCount(), 2);
  // Both imported again: still two people, each matched by their own identifiers.
  const ImportReport again = Import({dir_});
  EXPECT_EQ(again.patients_created, 0);
  EXPECT_EQ(again.patients_updated, 2);
  EXPECT_EQ(again.failed, 0) << (again.errors.empty() ? "" : again.errors[0]);
  EXPECT_EQ(PatientCount(), 2);
}

TEST_P(ImporterTest, PractitionersBecomeProvidersAndFinishedEncountersVisitsAtTheirOrganizationsLocation) {
  const std::string kept_code =
      R"("type":[{"coding":[{"system":"http://snomed.info/sct","code":"185349003"}],"text":"Check up"}],)"
      R"("reasonCode":[{"text":"cough"}],"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"})";
  const fs::path file = Write(
      "visits.ndjson",
      std::string(kAnn) + "\n" +
          R"({"resourceType":"Organization","id":"org-9","name":"Hill Clinic","telecom":[{"system":"phone","value":"555-0100"}],)"
          R"("address":[{"line":["1 Hill Road"],"city":"Medford","state":"MA","postalCode":"02155"}]})" "\n"
          R"({"resourceType":"Practitioner","id":"dr-9","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"99"}],)"
          R"("name":[{"family":"Fay","given":["Loren"],"prefix":["Dr."]}],"gender":"male"})" "\n"
          R"({"resourceType":"Encounter","id":"e-1","status":"finished",)" + kept_code +
          R"(,"subject":{"reference":"urn:uuid:p-ann"},"participant":[{"individual":{"reference":"urn:uuid:dr-9"}}],)"
          R"("period":{"start":"2020-04-19T05:35:54+00:00","end":"2020-04-19T05:50:54+00:00"},)"
          R"("serviceProvider":{"reference":"urn:uuid:org-9"}})" "\n"
          R"({"resourceType":"Encounter","id":"e-open","status":"in-progress","subject":{"reference":"urn:uuid:p-ann"},)"
          R"("period":{"start":"2020-04-19T05:35:54+00:00"},"serviceProvider":{"reference":"urn:uuid:org-9"}})" "\n"
          R"({"resourceType":"Encounter","id":"e-nowhere","status":"finished","subject":{"reference":"urn:uuid:p-ann"},)"
          R"("period":{"start":"2020-04-19T05:35:54+00:00"}})" "\n"
          R"({"resourceType":"Encounter","id":"e-nobody","status":"finished","subject":{"reference":"urn:uuid:p-gone"},)"
          R"("period":{"start":"2020-04-19T05:35:54+00:00"},"serviceProvider":{"reference":"urn:uuid:org-9"}})" "\n"
          R"({"resourceType":"Observation","id":"o-9","status":"final","code":{"text":"HR"},"subject":{"reference":"urn:uuid:p-ann"},)"
          R"("encounter":{"reference":"urn:uuid:e-1"}})" "\n");
  const int64_t providers_before = Count("providers"), locations_before = Count("locations");
  const ImportReport report = Import({file});
  EXPECT_EQ(report.written.at("Practitioner"), 1);
  EXPECT_EQ(report.written.at("Encounter"), 1);
  EXPECT_EQ(report.written.at("Location"), 1) << "one location made for the organization";
  EXPECT_EQ(Count("providers"), providers_before + 1);
  EXPECT_EQ(Count("locations"), locations_before + 1);
  // The encounters CareDesk cannot take, each refused naming the element.
  ASSERT_EQ(report.failed, 3) << ::testing::PrintToString(report.errors);
  EXPECT_NE(report.errors[0].find("visits.ndjson:5: Encounter.status"), std::string::npos) << report.errors[0];
  EXPECT_NE(report.errors[1].find("visits.ndjson:6: Encounter.location"), std::string::npos) << report.errors[1];
  EXPECT_NE(report.errors[2].find("visits.ndjson:7: Encounter.subject"), std::string::npos) << report.errors[2];

  // The provider, served with what was sent.
  auto providers = schedule_->Providers();
  ASSERT_TRUE(providers.ok());
  const auto dr = std::find_if(providers->begin(), providers->end(), [](const Provider& p) { return p.name == "Dr. Loren Fay"; });
  ASSERT_NE(dr, providers->end());
  auto locations = schedule_->Locations();
  ASSERT_TRUE(locations.ok());
  const auto hill = std::find_if(locations->begin(), locations->end(), [](const Location& l) { return l.name == "Hill Clinic"; });
  ASSERT_NE(hill, locations->end());
  EXPECT_EQ(hill->address, "1 Hill Road, Medford, MA 02155");
  EXPECT_EQ(hill->phone, "555-0100");
  {
    auto conn = pool().Acquire();
    std::vector<json::object> one{PractitionerResource(*dr)};
    ASSERT_TRUE(ServeAsSent(*conn, "Practitioner", PractitionerModelled(), one).ok());
    EXPECT_EQ(one[0].at("identifier").at(0).at("value").as_string(), "99");
    EXPECT_EQ(one[0].at("gender").as_string(), "male");
    EXPECT_EQ(one[0].at("name"), json::parse(R"([{"family":"Fay","given":["Loren"],"prefix":["Dr."]}])"))
        << "the name as sent while the provider's is unchanged";
  }

  // The visit: completed, at the organization's location, with the provider; what CareDesk does not model kept.
  json::object e1 = Encounter("e-1");
  EXPECT_EQ(e1.at("status").as_string(), "finished");
  EXPECT_EQ(e1.at("class").at("code").as_string(), "EMER") << "the class as sent";
  EXPECT_EQ(e1.at("reasonCode").at(0).at("text").as_string(), "cough");
  EXPECT_EQ(e1.at("type").at(0).at("text").as_string(), "Check up");
  EXPECT_EQ(e1.at("period").at("end").as_string(), "2020-04-19T05:50:54+00:00");
  EXPECT_EQ(e1.at("participant").at(0).at("individual").at("reference").as_string(),
            "Practitioner/" + std::to_string(dr->id));
  EXPECT_EQ(e1.at("serviceProvider").at("reference").as_string(), "Organization/org-9");
  const std::string e1_id(e1.at("id").as_string());
  {
    auto conn = pool().Acquire();
    auto row = db::EncounterRepository::Find(*conn, std::stoll(e1_id));
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ((*row)->state, "completed");
    EXPECT_EQ((*row)->location_id, hill->id);
    EXPECT_EQ((*row)->arrived_at, 1587274554000);
    EXPECT_EQ((*row)->ended_at, 1587275454000);
  }
  EXPECT_EQ(json::parse(Stored("Observation", "o-9")->body).at("encounter").at("reference").as_string(), "Encounter/" + e1_id)
      << "what refers to an encounter refers to CareDesk's";

  // Imported again: the same provider, location and encounter (its next version), nothing twice.
  const ImportReport again = Import({file});
  EXPECT_EQ(again.written.at("Encounter"), 1);
  EXPECT_EQ(again.written.count("Location"), 0u);
  EXPECT_EQ(Count("providers"), providers_before + 1);
  EXPECT_EQ(Count("locations"), locations_before + 1);
  EXPECT_EQ(Count("encounters"), 1);
  json::object e1_again = Encounter("e-1");
  EXPECT_EQ(e1_again.at("id").as_string(), e1_id);
  EXPECT_EQ(e1_again.at("meta").at("versionId").as_string(), "2");

  // The import is audited under the patient, as encounter data.
  db::AuditFilter f;
  f.patient_id = std::stoll(std::string(e1.at("subject").at("reference").as_string()).substr(8));
  auto entries = audit_->Search(f);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(std::any_of(entries->begin(), entries->end(), [](const AuditRecord& r) {
    return r.action == "import" && r.category == audit_category::kEncounter;
  }));
}

TEST_P(ImporterTest, CoveragesBecomeCoveragesOfTheirPatientsPaidByAnOrganizationOfTheImportAndImportAgainUpdates) {
  const std::string coverage =
      R"({"resourceType":"Coverage","id":"cov-1","status":"active","subscriberId":"HP-9",)"
      R"("beneficiary":{"reference":"Patient/p-ann"},"payor":[{"reference":"Organization/plan-1"}],)"
      R"("extension":[{"url":"urn:x:plan","valueString":"gold"}]})";
  const std::string unknown_patient =
      R"({"resourceType":"Coverage","id":"cov-2","status":"active","subscriberId":"HP-10",)"
      R"("beneficiary":{"reference":"Patient/nobody"},"payor":[{"display":"Plan"}]})";
  const fs::path input = Write(
      "all.ndjson", std::string(kAnn) + "\n" + coverage + "\n" + unknown_patient + "\n" +
                        R"({"resourceType":"Organization","id":"plan-1","name":"Harbour Health Plan"})" + "\n");
  ImportReport report = Import({input});
  EXPECT_EQ(report.written["Coverage"], 1);
  EXPECT_FALSE(report.skipped.contains("Coverage"));
  EXPECT_EQ(report.failed, 1) << "the coverage of a patient neither here nor in CareDesk";
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_NE(report.errors[0].find("Coverage.beneficiary"), std::string::npos) << report.errors[0];
  auto conn = pool().Acquire();
  auto rows = conn->Query("SELECT c.id, c.payer, c.member_id, p.given_name FROM coverages c "
                          "JOIN patients p ON p.id = c.patient_id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->Text(0, 1), "Harbour Health Plan") << "the payer the import's Organization names";
  EXPECT_EQ(rows->Text(0, 2), "HP-9");
  EXPECT_EQ(rows->Text(0, 3), "Ann");
  const int64_t id = rows->Int(0, 0);
  std::vector<json::object> served{json::object{{"resourceType", "Coverage"}, {"id", std::to_string(id)}}};
  ASSERT_TRUE(ServeAsSent(*conn, "Coverage", CoverageModelled(), served).ok());
  EXPECT_EQ(served[0].at("extension").at(0).at("valueString").as_string(), "gold") << "kept as sent";

  // The same file again: the same coverage, updated, not a second one.
  report = Import({input});
  EXPECT_EQ(report.written["Coverage"], 1);
  rows = conn->Query("SELECT id FROM coverages");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->Int(0, 0), id);
}

TEST_P(ImporterTest, InputsThatAreNotThereOrHoldNothingReadableAreErrors) {
  EXPECT_EQ(importer_->Import(admin_, {dir_ / "missing.ndjson"}).error().field, "input");
  EXPECT_EQ(importer_->Import(admin_, {Write("bad.ndjson", "{\n[1]\n")}).error().field, "input");
  // A patient CareDesk cannot take is refused, naming the line and the element; the rest of its batch is written.
  const ImportReport mixed = Import({Write(
      "mixed.ndjson", std::string(kAnn) + "\n" +
                          R"({"resourceType":"Patient","id":"p-x","name":[{"family":"Nobirth","given":["X"]}]})" +
                          "\n" + kBen + "\n")});
  EXPECT_EQ(mixed.patients_created, 2);
  EXPECT_EQ(mixed.failed, 1);
  ASSERT_EQ(mixed.errors.size(), 1u);
  EXPECT_EQ(mixed.errors[0].rfind("mixed.ndjson:2: Patient.birthDate", 0), 0u) << mixed.errors[0];
  EXPECT_EQ(PatientCount(), 2);
  fs::create_directories(dir_ / "empty");
  const ImportReport empty = Import({dir_ / "empty"});
  EXPECT_EQ(empty.read, 0);
  EXPECT_EQ(empty.failed, 0);
}

// The issue's data set: every Synthea patient and resource CareDesk keeps imports, nothing is refused.
TEST_P(ImporterTest, AllOfTheSyntheaDataSetImports) {
  const char* env = std::getenv("CAREDESK_DATA_DIR");
  const fs::path data = fs::path(env ? env : "../shared/data") / "synthea_fhir_r4";
  ASSERT_TRUE(fs::exists(data / "ndjson" / "Patient.ndjson"))
      << data << " is missing (set CAREDESK_DATA_DIR to the shared data folder)";
  const int64_t providers_before = Count("providers");
  const ImportReport ndjson = Import({data / "ndjson"});
  EXPECT_EQ(ndjson.failed, 0) << (ndjson.errors.empty() ? "" : ndjson.errors[0]);
  EXPECT_EQ(ndjson.read, 10049);
  EXPECT_EQ(ndjson.written.at("Patient"), 615);
  EXPECT_EQ(ndjson.written.at("Condition"), 1472);
  EXPECT_EQ(ndjson.written.at("MedicationRequest"), 1666);
  EXPECT_EQ(ndjson.written.at("AllergyIntolerance"), 120);
  EXPECT_EQ(ndjson.written.at("Organization"), 82);
  EXPECT_EQ(ndjson.written.at("Practitioner"), 82);
  EXPECT_EQ(ndjson.written.at("Encounter"), 6012);
  EXPECT_EQ(ndjson.written.at("Location"), 82) << "one for each organization the encounters happened at";
  EXPECT_EQ(ndjson.warnings.size(), 1u) << "Synthea gave two people one licence number";
  EXPECT_EQ(PatientCount(), 615);
  const ImportReport bundles = Import({data / "bundles"});
  EXPECT_EQ(bundles.failed, 0) << (bundles.errors.empty() ? "" : bundles.errors[0]);
  EXPECT_EQ(bundles.written.at("Patient"), 10);
  EXPECT_EQ(bundles.patients_updated, 10) << "the bundles' patients are among the ndjson's";
  EXPECT_EQ(PatientCount(), 615);
  EXPECT_EQ(bundles.written.at("Observation"), 1069);
  EXPECT_EQ(bundles.written.at("Encounter"), 161);
  EXPECT_EQ(bundles.written.count("Location"), 0u) << "the organizations' locations were made by the first import";
  EXPECT_EQ(Count("encounters"), 6012) << "the bundles' encounters are among the ndjson's: replaced, not added";
  EXPECT_EQ(Count("providers"), providers_before + 82);
  auto conn = pool().Acquire();
  auto unresolved = conn->Query(
      "SELECT COUNT(*) FROM fhir_resources WHERE resource_type <> 'Organization' AND patient_id IS NULL");
  ASSERT_TRUE(unresolved.ok());
  EXPECT_EQ(unresolved->Int(0, 0), 0) << "every resource about a patient found its patient";
  auto to_encounters = conn->Query("SELECT COUNT(*) FROM fhir_resources WHERE body LIKE '%\"encounter\":{\"reference\":\"urn:uuid:%'");
  ASSERT_TRUE(to_encounters.ok());
  EXPECT_EQ(to_encounters->Int(0, 0), 0) << "every reference to an encounter found CareDesk's";
}

TEST_P(ImporterTest, AnotherCareDesksSurveyResponsesGetNewIdsAndOtherQuestionnaireResponsesKeepTheirs) {
  const ImportReport report = Import({Write(
      "qr.ndjson",
      R"({"resourceType":"QuestionnaireResponse","id":"survey-response-1","status":"completed",)"
      R"("questionnaire":"urn:caredesk:survey:hcahps|1"})"
      "\n"
      R"({"resourceType":"QuestionnaireResponse","id":"phq9-a","status":"completed",)"
      R"("questionnaire":"http://example.org/Questionnaire/phq9"})"
      "\n")});
  EXPECT_EQ(report.written.at("QuestionnaireResponse"), 2);
  EXPECT_FALSE(Stored("QuestionnaireResponse", "survey-response-1").has_value())
      << "survey-response-<n> is this CareDesk's own response n";
  EXPECT_TRUE(Stored("QuestionnaireResponse", "phq9-a").has_value());
  auto conn = pool().Acquire();
  auto rs = conn->Query("SELECT id FROM fhir_resources WHERE resource_type = 'QuestionnaireResponse' "
                        "AND body LIKE '%urn:caredesk:survey:hcahps%'");
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_TRUE(IsValidResourceId(rs->Text(0, 0)));
  EXPECT_FALSE(rs->Text(0, 0).starts_with("survey-response-")) << rs->Text(0, 0);
}

CAREDESK_INSTANTIATE_BACKENDS(ImporterTest);

}  // namespace
}  // namespace caredesk::fhir
