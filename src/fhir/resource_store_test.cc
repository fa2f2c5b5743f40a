// The store of FHIR resources kept as sent, on both databases: versions, history, delete, search, the
// patient a resource is about, and the audit trail of every read and write of one that is about a patient.
#include "fhir/resource_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "app/app_test_fixture.h"
#include "fhir/resource_types.h"
#include "fhir/stored_search.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

json::object Observation(std::string_view subject, std::string_view value = "72") {
  return Parse(R"({"resourceType":"Observation","status":"final",
    "meta":{"tag":[{"system":"https://smarthealthit.org/tags","code":"synthea-5-2019"}],"versionId":"99"},
    "_status":{"extension":[{"url":"http://example.org/x","valueString":"kept"}]},
    "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
    "subject":{"reference":")" + std::string(subject) + R"("},
    "valueQuantity":{"value":)" + std::string(value) + R"(,"unit":"/min"}})");
}

class ResourceStoreTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    store_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
  }

  std::vector<AuditRecord> ClinicalEntries(int64_t patient_id) {
    std::vector<AuditRecord> out;
    for (auto& r : AuditOf(patient_id)) {
      if (r.category == audit_category::kClinical) out.push_back(r);
    }
    return out;
  }

  Actor coord_{2, "coord", Role::kCoordinator, "10.0.0.5", 2};
  std::unique_ptr<ResourceStore> store_;
};

TEST(StoredTypes, AreTheR4TypesCareDeskHasNoModelOf) {
  EXPECT_TRUE(IsStoredType("Observation"));
  EXPECT_TRUE(IsStoredType("Organization"));
  EXPECT_TRUE(IsStoredType("VisionPrescription"));
  EXPECT_FALSE(IsStoredType("Patient"));
  EXPECT_FALSE(IsStoredType("Encounter"));
  EXPECT_FALSE(IsStoredType("Bundle"));
  EXPECT_FALSE(IsStoredType("observation"));
  EXPECT_FALSE(IsStoredType("Foo"));
  EXPECT_FALSE(IsStoredType("Group")) << "CareDesk's own groups";
  EXPECT_EQ(StoredTypes().size(), 146u - 16u);
  EXPECT_TRUE(IsValidResourceId("a-B.9"));
  EXPECT_TRUE(IsValidResourceId(std::string(64, 'x')));
  EXPECT_FALSE(IsValidResourceId(std::string(65, 'x')));
  EXPECT_FALSE(IsValidResourceId("a_b"));
  EXPECT_FALSE(IsValidResourceId(""));
}

TEST(StoredResource, StampKeepsWhatWasSentAndSetsIdAndVersion) {
  json::object stamped = Parse(Stamp(Observation("Patient/7"), "obs-1", 3, 1741615200000));
  EXPECT_EQ(stamped.begin()->key(), "resourceType");
  EXPECT_EQ(stamped.at("id").as_string(), "obs-1");
  EXPECT_EQ(stamped.at("meta").at("versionId").as_string(), "3");
  EXPECT_EQ(stamped.at("meta").at("lastUpdated").as_string(), "2025-03-10T14:00:00Z");
  EXPECT_EQ(stamped.at("meta").at("tag").as_array().size(), 1u) << "the writer's tags are kept";
  EXPECT_EQ(stamped.at("_status").at("extension").as_array()[0].at("valueString").as_string(), "kept");
  EXPECT_EQ(stamped.at("valueQuantity").at("value").as_int64(), 72);
}

TEST(StoredResource, PatientIsThePatientOrSubjectReference) {
  EXPECT_EQ(PatientOf(Observation("Patient/7")), 7);
  EXPECT_EQ(PatientOf(Observation("http://other.example/fhir/Patient/12/_history/2")), 12);
  EXPECT_EQ(PatientOf(Observation("Group/7")), 0);
  EXPECT_EQ(PatientOf(Observation("Patient/abc")), 0) << "an id CareDesk never issues";
  EXPECT_EQ(PatientOf(Observation("urn:uuid:0f6a1d4e-1111-4222-8333-444455556666")), 0);
  EXPECT_EQ(PatientOf(Parse(R"({"patient":{"reference":"Patient/5"},"subject":{"reference":"Patient/6"}})")), 5);
}

TEST(StoredResource, ChecksTypeAndId) {
  EXPECT_EQ(CheckResource(json::value(json::array{}), "Observation", std::nullopt).error().field, "resourceType");
  EXPECT_EQ(CheckResource(Parse(R"({"resourceType":"Condition"})"), "Observation", std::nullopt).error().field,
            "resourceType");
  EXPECT_EQ(CheckResource(Parse(R"({"resourceType":"Observation","id":"a_b"})"), "Observation", std::nullopt)
                .error()
                .field,
            "id");
  EXPECT_EQ(CheckResource(Parse(R"({"resourceType":"Observation","id":"a"})"), "Observation", "b").error().field,
            "id");
  EXPECT_EQ(CheckResource(Parse(R"({"resourceType":"Observation"})"), "Observation", "b").error().field, "id");
  EXPECT_EQ(CheckResource(Parse(R"({"resourceType":"Observation","meta":1})"), "Observation", std::nullopt)
                .error()
                .field,
            "meta");
  EXPECT_TRUE(CheckResource(Parse(R"({"resourceType":"Observation","id":"b"})"), "Observation", "b").ok());
}

TEST_P(ResourceStoreTest, CreateGivesAnIdAndVersionOneAndAuditsThePatient) {
  auto created = store_->Create(coord_, "Observation", Observation("Patient/41"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->id.size(), 36u);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->patient_id, 41);
  auto read = store_->Read(coord_, "Observation", created->id);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->body, created->body);
  json::object served = Parse(read->body);
  EXPECT_EQ(served.at("meta").at("versionId").as_string(), "1") << "the writer's versionId is replaced";
  const auto entries = ClinicalEntries(41);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [](const AuditRecord& r) { return r.action == "create"; }));
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [](const AuditRecord& r) { return r.action == "read"; }));
  EXPECT_EQ(store_->Read(coord_, "Observation", "nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Read(coord_, "Condition", created->id).error().code, ErrorCode::kNotFound)
      << "an id is per type";
  EXPECT_EQ(store_->Create(coord_, "Observation", Parse(R"({"resourceType":"Condition"})")).error().field,
            "resourceType");
}

TEST_P(ResourceStoreTest, UpdateCreatesWithTheClientsIdThenVersionsAndKeepsHistory) {
  auto first = store_->Update(coord_, "Observation", "hr-1", [] {
    json::object o = Observation("Patient/41");
    o["id"] = "hr-1";
    return o;
  }(), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->resource.version, 1);
  clock_.Advance(std::chrono::seconds(5));
  json::object next = Observation("Patient/42", "80");
  next["id"] = "hr-1";
  auto stale = store_->Update(coord_, "Observation", "hr-1", next, 3);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().reason, "stale_version");
  auto second = store_->Update(coord_, "Observation", "hr-1", next, 1);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->resource.version, 2);
  EXPECT_EQ(second->resource.patient_id, 42);
  EXPECT_EQ(second->resource.updated_at_ms, first->resource.updated_at_ms + 5000);

  auto v1 = store_->ReadVersion(coord_, "Observation", "hr-1", 1);
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  EXPECT_EQ(Parse(v1->body).at("valueQuantity").at("value").as_int64(), 72);
  EXPECT_EQ(store_->ReadVersion(coord_, "Observation", "hr-1", 3).error().code, ErrorCode::kNotFound);
  auto history = store_->History(coord_, "Observation", "hr-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[1].version, 1);
  // The move from one patient to another is audited under both.
  const auto old_patient = ClinicalEntries(41);
  EXPECT_TRUE(std::any_of(old_patient.begin(), old_patient.end(), [](const AuditRecord& r) {
    return r.action == "update" && r.detail.find("no longer") != std::string::npos;
  }));
  EXPECT_FALSE(ClinicalEntries(42).empty());
}

TEST_P(ResourceStoreTest, DeleteLeavesAVersionWithoutBodyAndReadsSayDeleted) {
  json::object o = Observation("Patient/43");
  o["id"] = "gone";
  ASSERT_TRUE(store_->Update(coord_, "Observation", "gone", o, std::nullopt).ok());
  EXPECT_EQ(store_->Delete(coord_, "Observation", "gone", 5).error().reason, "stale_version");
  auto deleted = store_->Delete(coord_, "Observation", "gone", std::nullopt);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->version, 2);
  EXPECT_TRUE(deleted->deleted);
  auto again = store_->Delete(coord_, "Observation", "gone", std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2) << "deleting a deleted resource changes nothing";
  EXPECT_EQ(store_->Read(coord_, "Observation", "gone").error().reason, "deleted");
  EXPECT_EQ(store_->ReadVersion(coord_, "Observation", "gone", 2).error().reason, "deleted");
  EXPECT_TRUE(store_->ReadVersion(coord_, "Observation", "gone", 1).ok());
  EXPECT_EQ(store_->Delete(coord_, "Observation", "never", std::nullopt).error().code, ErrorCode::kNotFound);
  const auto entries = ClinicalEntries(43);
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [](const AuditRecord& r) { return r.action == "delete"; }));
  // Written again, it comes back as the next version.
  auto revived = store_->Update(coord_, "Observation", "gone", o, std::nullopt);
  ASSERT_TRUE(revived.ok());
  EXPECT_EQ(revived->resource.version, 3);
  EXPECT_TRUE(store_->Read(coord_, "Observation", "gone").ok());
}

TEST_P(ResourceStoreTest, SearchesByPatientIdAndLastUpdatedInPagesThatHoldWhileResourcesAreAdded) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto c = store_->Create(coord_, "Observation", Observation(i < 3 ? "Patient/50" : "Patient/51"));
    ASSERT_TRUE(c.ok());
    ids.push_back(c->id);
    clock_.Advance(std::chrono::minutes(1));
  }
  ASSERT_TRUE(store_->Create(coord_, "Condition", Observation("Patient/50")).ok() == false)
      << "the body must be of the type written";
  json::object cond = Parse(R"({"resourceType":"Condition","subject":{"reference":"Patient/50"}})");
  ASSERT_TRUE(store_->Create(coord_, "Condition", cond).ok());
  ASSERT_TRUE(store_->Delete(coord_, "Observation", ids[1], std::nullopt).ok());

  const CivilDate today{2025, 3, 10};
  auto search = ReadStoredSearch("Observation", {{"patient", "Patient/50"}, {"_count", "1"}}, today);
  ASSERT_TRUE(search.ok()) << search.error().message;
  auto page = store_->Search(coord_, search->criteria, true, true);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->total, 2) << "the deleted one does not match, nor the Condition";
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].id, ids[0]);
  EXPECT_TRUE(page->more);
  // A resource added before the next page is read does not shift it.
  ASSERT_TRUE(store_->Create(coord_, "Observation", Observation("Patient/50")).ok());
  search->criteria.page.after_id = page->rows[0].seq;
  page = store_->Search(coord_, search->criteria, false, true);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].id, ids[2]);

  search = ReadStoredSearch("Observation", {{"_id", ids[3] + ",Observation/" + ids[4]}}, today);
  ASSERT_TRUE(search.ok());
  page = store_->Search(coord_, search->criteria, true, true);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);

  // Created at 14:00, 14:01, ... : ge 14:03 finds the last two, and the one added later.
  search = ReadStoredSearch("Observation", {{"_lastUpdated", "ge2025-03-10T14:03:00Z"}}, today);
  ASSERT_TRUE(search.ok());
  page = store_->Search(coord_, search->criteria, true, true);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);

  EXPECT_EQ(ReadStoredSearch("Observation", {{"_lastUpdated", "x"}}, today).error().field, "_lastUpdated");
  auto ignored = ReadStoredSearch("Observation", {{"code", "8867-4"}}, today);
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->ignored, std::vector<std::string>{"code"});
  auto include = ReadStoredSearch("Observation", {{"_include", "Observation:subject"}}, today);
  ASSERT_TRUE(include.ok());
  EXPECT_EQ(include->include, std::vector<std::string>{"Patient"});
}

CAREDESK_INSTANTIATE_BACKENDS(ResourceStoreTest);

}  // namespace
}  // namespace caredesk::fhir
