// `caredesk import fhir` on both databases: ndjson and Bundles, references resolved within an import and
// across imports, importing again creating nobody twice, colliding identifiers, bad lines reported, and all
// of ../shared/data/synthea_fhir_r4.
#include "fhir/importer.h"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>

#include "app/app_test_fixture.h"
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
    importer_ = std::make_unique<FhirImporter>(*patient_store_, *resources_, pool());
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

  int64_t PatientCount() {
    auto conn = pool().Acquire();
    auto rs = conn->Query("SELECT COUNT(*) FROM patients");
    return rs.ok() ? rs->Int(0, 0) : -1;
  }

  Actor admin_{0, "caredesk-import", Role::kAdmin, "local", 0};
  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<PatientStore> patient_store_;
  std::unique_ptr<ResourceStore> resources_;
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
      R"({"resourceType":"Practitioner","id":"dr-1"})"
      "\n");
  const fs::path orgs = Write("Organization.ndjson", R"({"resourceType":"Organization","id":"org-1","name":"Elsewhere"})"
                                                     "\n");
  const ImportReport report = Import({dir_});
  EXPECT_EQ(report.read, 6);
  EXPECT_EQ(report.patients_created, 2);
  EXPECT_EQ(report.written.at("Patient"), 2);
  EXPECT_EQ(report.written.at("Observation"), 2);
  EXPECT_EQ(report.written.at("Organization"), 1);
  EXPECT_EQ(report.skipped.at("Practitioner"), 1);
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
  const ImportReport ndjson = Import({data / "ndjson"});
  EXPECT_EQ(ndjson.failed, 0) << (ndjson.errors.empty() ? "" : ndjson.errors[0]);
  EXPECT_EQ(ndjson.read, 10049);
  EXPECT_EQ(ndjson.written.at("Patient"), 615);
  EXPECT_EQ(ndjson.written.at("Condition"), 1472);
  EXPECT_EQ(ndjson.written.at("MedicationRequest"), 1666);
  EXPECT_EQ(ndjson.written.at("AllergyIntolerance"), 120);
  EXPECT_EQ(ndjson.written.at("Organization"), 82);
  EXPECT_EQ(ndjson.warnings.size(), 1u) << "Synthea gave two people one licence number";
  EXPECT_EQ(PatientCount(), 615);
  const ImportReport bundles = Import({data / "bundles"});
  EXPECT_EQ(bundles.failed, 0) << (bundles.errors.empty() ? "" : bundles.errors[0]);
  EXPECT_EQ(bundles.written.at("Patient"), 10);
  EXPECT_EQ(bundles.patients_updated, 10) << "the bundles' patients are among the ndjson's";
  EXPECT_EQ(PatientCount(), 615);
  EXPECT_EQ(bundles.written.at("Observation"), 1069);
  auto conn = pool().Acquire();
  auto unresolved = conn->Query(
      "SELECT COUNT(*) FROM fhir_resources WHERE resource_type <> 'Organization' AND patient_id IS NULL");
  ASSERT_TRUE(unresolved.ok());
  EXPECT_EQ(unresolved->Int(0, 0), 0) << "every resource about a patient found its patient";
}

CAREDESK_INSTANTIATE_BACKENDS(ImporterTest);

}  // namespace
}  // namespace caredesk::fhir
