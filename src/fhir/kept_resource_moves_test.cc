// A patient merge moves the FHIR resources kept as sent about the duplicate (KeptResourceMoves, wired as
// PatientMergeService's observer), on both databases: new versions naming the survivor, audited, counted in
// the merge; what is about someone else, versioned or deleted stays; an unmerge moves back only what the
// merge moved and is still the survivor's.
#include "fhir/kept_resource_moves.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/scheduling_fixture.h"
#include "storage/patient_merge_repository.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

class KeptResourceMovesTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    merges_ = std::make_unique<PatientMergeService>(pool(), clock_, *audit_, *patients_);
    resources_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
    moves_ = std::make_unique<KeptResourceMoves>(*resources_);
    merges_->UseObserver(moves_.get());
    dup_ = InsertPatient("Jon", "Smith");
    other_ = InsertPatient("Mary", "Jones");
    const std::string dup = "Patient/" + std::to_string(dup_);
    Put("Condition", "c1", R"({"resourceType":"Condition","subject":{"reference":")" + dup +
                               R"("},"asserter":{"reference":")" + dup +
                               R"("},"extension":[{"url":"urn:x:seen","valueString":"kept"}],"code":{"text":"Asthma"}})");
    Put("AllergyIntolerance", "a1",
        R"({"resourceType":"AllergyIntolerance","patient":{"reference":"http://other.example/fhir/)" + dup + R"("}})");
    // About someone else, naming the duplicate as its performer: not the duplicate's, stays as given.
    Put("Observation", "o1", R"({"resourceType":"Observation","status":"final","code":{"text":"BP"},)"
                             R"("subject":{"reference":"Patient/)" + std::to_string(other_) +
                                 R"("},"performer":[{"reference":")" + dup + R"("}]})");
    // A versioned reference names that version of that record.
    Put("Observation", "o2", R"({"resourceType":"Observation","status":"final","code":{"text":"HR"},)"
                             R"("subject":{"reference":")" + dup + R"(/_history/1"}})");
    Put("Condition", "gone", R"({"resourceType":"Condition","subject":{"reference":")" + dup + R"("}})");
    ASSERT_TRUE(resources_->Delete(admin_, "Condition", "gone", std::nullopt).ok());
  }

  void Put(const std::string& type, const std::string& id, const std::string& body) {
    json::value v = json::parse(body);
    v.get_object()["id"] = id;
    auto w = resources_->Update(admin_, type, id, v, std::nullopt);
    ASSERT_TRUE(w.ok()) << w.error().message;
  }

  StoredResource Read(const std::string& type, const std::string& id) {
    auto conn = pool().Acquire();
    auto row = db::FhirResourceRepository::Find(*conn, type, id);
    EXPECT_TRUE(row.ok() && row->has_value()) << type << "/" << id;
    return row.ok() && row->has_value() ? FromRow(std::move(**row)) : StoredResource{};
  }

  static json::object Body(const StoredResource& r) { return json::parse(r.body).as_object(); }
  static std::string Ref(const json::object& o, const char* element) {
    return std::string(o.at(element).at("reference").as_string());
  }

  std::vector<std::string> OfPatient(int64_t patient) {
    auto conn = pool().Acquire();
    auto rows = db::FhirResourceRepository::OfPatient(*conn, patient);
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.resource_type + "/" + r.id);
    return out;
  }

  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<PatientMergeService> merges_;
  std::unique_ptr<ResourceStore> resources_;
  std::unique_ptr<KeptResourceMoves> moves_;
  int64_t dup_ = 0, other_ = 0;
};

TEST_P(KeptResourceMovesTest, AMergeMovesTheDuplicatesResourcesAsNewVersions) {
  auto merge = merges_->Merge(admin_, patient_id_, dup_, "registered twice");
  ASSERT_TRUE(merge.ok()) << merge.error().message;
  EXPECT_EQ(merge->moved.at("fhir_resources"), 2);
  const std::string survivor = "Patient/" + std::to_string(patient_id_);

  const StoredResource c1 = Read("Condition", "c1");
  EXPECT_EQ(c1.version, 2);
  EXPECT_EQ(c1.patient_id, patient_id_);
  const json::object condition = Body(c1);
  EXPECT_EQ(Ref(condition, "subject"), survivor);
  EXPECT_EQ(Ref(condition, "asserter"), survivor) << "every reference to the duplicate";
  EXPECT_EQ(condition.at("extension").at(0).at("valueString"), "kept") << "the rest as sent";
  EXPECT_EQ(condition.at("meta").at("versionId"), "2");
  EXPECT_EQ(Ref(Body(Read("AllergyIntolerance", "a1")), "patient"), "http://other.example/fhir/" + survivor)
      << "an absolute reference keeps its base";

  // The history keeps what they said before.
  auto conn = pool().Acquire();
  auto before = db::FhirResourceRepository::FindVersion(*conn, "Condition", "c1", 1);
  ASSERT_TRUE(before.ok() && before->has_value());
  EXPECT_EQ((*before)->patient_id, dup_);
  EXPECT_EQ(Ref(json::parse((*before)->body).as_object(), "subject"), "Patient/" + std::to_string(dup_));

  // What is not the duplicate's own, or names a version of it, stays.
  const StoredResource o1 = Read("Observation", "o1");
  EXPECT_EQ(o1.version, 1);
  EXPECT_EQ(o1.patient_id, other_);
  const StoredResource o2 = Read("Observation", "o2");
  EXPECT_EQ(o2.version, 1);
  EXPECT_EQ(o2.patient_id, dup_);
  EXPECT_TRUE(Read("Condition", "gone").deleted);
  EXPECT_EQ(OfPatient(patient_id_), (std::vector<std::string>{"Condition/c1", "AllergyIntolerance/a1"}));
  EXPECT_EQ(OfPatient(dup_), (std::vector<std::string>{"Observation/o2"}));

  // Counted with the merge when read back, and audited under both patients.
  auto found = db::PatientMergeRepository::Find(*conn, merge->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->moved.at("fhir_resources"), 2);
  const auto said = [&](int64_t patient, const std::string& text) {
    for (const AuditRecord& r : AuditOf(patient)) {
      if (r.category == "clinical" && r.action == "merge" && r.detail.find(text) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(said(patient_id_, "2 FHIR resources moved from patient " + std::to_string(dup_)));
  EXPECT_TRUE(said(dup_, "2 FHIR resources moved to patient " + std::to_string(patient_id_)));
}

TEST_P(KeptResourceMovesTest, AnUnmergeMovesBackWhatIsStillTheSurvivors) {
  auto merge = merges_->Merge(admin_, patient_id_, dup_, "registered twice");
  ASSERT_TRUE(merge.ok()) << merge.error().message;
  // Since the merge: the allergy was corrected to be someone else's; a new condition of the survivor's.
  Put("AllergyIntolerance", "a1",
      R"({"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/)" + std::to_string(other_) + R"("}})");
  Put("Condition", "c2",
      R"({"resourceType":"Condition","subject":{"reference":"Patient/)" + std::to_string(patient_id_) + R"("}})");

  auto undone = merges_->Unmerge(admin_, merge->id, "not the same person");
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_EQ(undone->moved.at("fhir_resources"), 1);
  const StoredResource c1 = Read("Condition", "c1");
  EXPECT_EQ(c1.version, 3);
  EXPECT_EQ(c1.patient_id, dup_);
  EXPECT_EQ(Ref(Body(c1), "asserter"), "Patient/" + std::to_string(dup_));
  EXPECT_EQ(Read("AllergyIntolerance", "a1").patient_id, other_) << "written about someone else since: stays";
  EXPECT_EQ(Read("Condition", "c2").patient_id, patient_id_) << "added to the survivor since: stays";
  EXPECT_EQ(OfPatient(dup_), (std::vector<std::string>{"Condition/c1", "Observation/o2"}));

  // Merged again, and undone again: the second merge's moves are its own.
  auto again = merges_->Merge(admin_, patient_id_, dup_, "after all");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->moved.at("fhir_resources"), 1);
  ASSERT_TRUE(merges_->Unmerge(admin_, again->id, "no").ok());
  EXPECT_EQ(Read("Condition", "c1").patient_id, dup_);
  EXPECT_EQ(Read("Condition", "c1").version, 5);
}

TEST_P(KeptResourceMovesTest, AMergeWithNothingToMoveCountsNothing) {
  const int64_t third = InsertPatient("Ann", "Lee");
  auto merge = merges_->Merge(admin_, patient_id_, third, "");
  ASSERT_TRUE(merge.ok()) << merge.error().message;
  EXPECT_FALSE(merge->moved.contains("fhir_resources"));
  auto undone = merges_->Unmerge(admin_, merge->id, "");
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_FALSE(undone->moved.contains("fhir_resources"));
}

TEST(RenamePatientTest, RenamesOnlyTheRecordsOwnUnversionedReferences) {
  json::object o = json::parse(R"({"subject":{"reference":"Patient/4"},"a":[{"reference":"Patient/44"},)"
                               R"({"reference":"https://x.example/Patient/4"},{"reference":"xPatient/4"},)"
                               R"({"reference":"Patient/4/_history/2"},{"b":{"reference":"Patient/4"}}],)"
                               R"("text":"Patient/4"})")
                       .as_object();
  EXPECT_EQ(RenamePatient(o, 4, 9), 3);
  EXPECT_EQ(json::serialize(o), R"({"subject":{"reference":"Patient/9"},"a":[{"reference":"Patient/44"},)"
                                R"({"reference":"https://x.example/Patient/9"},{"reference":"xPatient/4"},)"
                                R"({"reference":"Patient/4/_history/2"},{"b":{"reference":"Patient/9"}}],)"
                                R"("text":"Patient/4"})");
}

CAREDESK_INSTANTIATE_BACKENDS(KeptResourceMovesTest);

}  // namespace
}  // namespace caredesk::fhir
