#include "app/patient_service.h"

#include <algorithm>

#include "app/app_test_fixture.h"

namespace caredesk {
namespace {

class PatientServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
  }

  Patient John() {
    Patient p;
    p.given_name = "John";
    p.family_name = "Smith";
    p.birth_date = {1980, 4, 12};
    p.sex = "male";
    p.phone = "(555) 123-4567";
    p.email = "John.Smith@Example.org";
    p.address = {"12 Elm St", "", "Springfield", "IL", "62701", "US"};
    p.preferred_language = "en";
    p.coverages.push_back(Coverage{0, "Aetna", "W123456", "G1", "self", CivilDate{2024, 1, 1}, std::nullopt});
    p.consents.push_back(Consent{"treatment", true, {2025, 1, 5}});
    return p;
  }

  Actor coord_{2, "coord", Role::kCoordinator, "10.0.0.5", 2};
  std::unique_ptr<PatientService> patients_;
};

TEST_P(PatientServiceTest, RegistersWithMrnNormalisedFieldsAndAudit) {
  auto r = patients_->Register(coord_, John(), false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->patient.has_value());
  const Patient& p = *r->patient;
  EXPECT_TRUE(IsMrnShaped(p.mrn)) << p.mrn;
  EXPECT_EQ(p.phone, "5551234567");
  EXPECT_EQ(p.email, "john.smith@example.org");
  auto read = patients_->Get(coord_, p.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->coverages.size(), 1u);
  EXPECT_EQ(read->coverages[0].payer, "Aetna");
  EXPECT_EQ(read->consents.size(), 1u);
  db::AuditFilter f;
  f.patient_id = p.id;
  auto events = audit_->Search(f);
  ASSERT_TRUE(events.ok());
  ASSERT_GE(events->size(), 2u);  // create, then read (demographics + coverage)
  EXPECT_EQ(events->back().action, "create");
  EXPECT_EQ(events->back().client_address, "10.0.0.5");
}

TEST_P(PatientServiceTest, WarnsOfProbableDuplicateUntilConfirmed) {
  ASSERT_TRUE(patients_->Register(coord_, John(), false).ok());
  Patient typo = John();
  typo.given_name = "Jon";
  typo.family_name = "Smyth";
  typo.email.clear();
  auto warned = patients_->Register(coord_, typo, false);
  ASSERT_TRUE(warned.ok()) << warned.error().message;
  ASSERT_TRUE(warned->duplicates.has_value());
  EXPECT_FALSE(warned->patient.has_value());
  ASSERT_EQ(warned->duplicates->candidates.size(), 1u);
  EXPECT_EQ(warned->duplicates->candidates[0].first.family_name, "Smith");
  EXPECT_FALSE(warned->duplicates->candidates[0].second.reasons.empty());
  auto confirmed = patients_->Register(coord_, typo, true);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_TRUE(confirmed->patient.has_value());
}

TEST_P(PatientServiceTest, DifferentPersonWithCommonNameIsNotADuplicate) {
  ASSERT_TRUE(patients_->Register(coord_, John(), false).ok());
  Patient other = John();
  other.birth_date = {1962, 11, 30};
  other.phone = "555-987-0000";
  other.email = "jsmith62@example.net";
  other.address = {"9 Oak Ave", "", "Portland", "OR", "97201", "US"};
  auto r = patients_->Register(coord_, other, false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->patient.has_value());
}

TEST_P(PatientServiceTest, TypoSearchFindsPatientWithDisplayNames) {
  ASSERT_TRUE(patients_->Register(coord_, John(), false).ok());
  Patient ann = John();
  ann.given_name = "Ann";
  ann.family_name = "Lee";
  ann.birth_date = {1990, 1, 1};
  ann.phone = "5550001111";
  ann.email.clear();
  ASSERT_TRUE(patients_->Register(coord_, ann, false).ok());
  auto hits = patients_->Search(coord_, "Jonh Smtih", 10, 0);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().patient.given_name, "John");
  EXPECT_EQ(hits->front().patient.family_name, "Smith");
  EXPECT_EQ(patients_->Search(coord_, "1980-04-12", 10, 0)->front().patient.family_name, "Smith");
  EXPECT_EQ(patients_->Search(coord_, "555-000-1111", 10, 0)->front().patient.family_name, "Lee");
  EXPECT_EQ(patients_->Search(coord_, " ", 10, 0).error().field, "q");
}

TEST_P(PatientServiceTest, IndexFollowsChangesFromAnotherProcess) {
  // A second service over the same database stands in for another server.
  PatientService other(pool(), clock_, *audit_, std::chrono::milliseconds(0));
  ASSERT_TRUE(other.LoadIndex().ok());
  ASSERT_TRUE(patients_->Register(coord_, John(), false).ok());
  auto hits = other.Search(coord_, "John Smith", 5, 0);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  // An update through the first process is seen by the second.
  Patient renamed = John();
  renamed.family_name = "Smithson";
  ASSERT_TRUE(patients_->Update(coord_, hits->front().patient.id, renamed, std::nullopt).ok());
  auto after = other.Search(coord_, "Smithson", 5, 0);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().patient.family_name, "Smithson");
}

TEST_P(PatientServiceTest, RejectsBadInputNamingFieldsAndWritesNothing) {
  Patient p = John();
  p.family_name = "  ";
  EXPECT_EQ(patients_->Register(coord_, p, false).error().field, "family_name");
  p = John();
  p.coverages[0].end_date = CivilDate{2020, 1, 1};
  EXPECT_EQ(patients_->Register(coord_, p, false).error().field, "coverages[0].end_date");
  p = John();
  p.birth_date = {2099, 1, 1};
  EXPECT_EQ(patients_->Register(coord_, p, false).error().field, "birth_date");
  auto conn = pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM patients")->Int(0, 0), 0);
}

TEST_P(PatientServiceTest, StaleVersionIsConflict) {
  auto r = patients_->Register(coord_, John(), false);
  int64_t id = r->patient->id;
  EXPECT_TRUE(patients_->Update(coord_, id, John(), 1).ok());
  auto stale = patients_->Update(coord_, id, John(), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(patients_->Update(coord_, 999999, John(), std::nullopt).error().code, ErrorCode::kNotFound);
}

TEST_P(PatientServiceTest, WhatIsWrittenAlsoSharesThePatientsTransaction) {
  // A failure in the extra write undoes the patient too.
  auto failing = [](db::Connection&, const Patient&) -> Status { return Error::Conflict("identifier_taken", "taken"); };
  auto refused = patients_->Register(coord_, John(), true, failing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "identifier_taken");
  {
    auto conn = pool().Acquire();
    EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM patients")->Int(0, 0), 0);
  }
  // The extra write sees the patient's id and new version.
  int64_t seen_id = 0, seen_version = 0;
  auto keep = [&](db::Connection&, const Patient& p) -> Status {
    seen_id = p.id;
    seen_version = p.version;
    return Ok();
  };
  auto r = patients_->Register(coord_, John(), true, keep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen_id, r->patient->id);
  EXPECT_EQ(seen_version, 1);
  Patient renamed = John();
  renamed.family_name = "Smythe";
  ASSERT_FALSE(patients_->Update(coord_, seen_id, renamed, 1, failing).ok());
  EXPECT_EQ(patients_->Get(coord_, seen_id)->family_name, John().family_name);
  ASSERT_TRUE(patients_->Update(coord_, seen_id, renamed, 1, keep).ok());
  EXPECT_EQ(seen_version, 2);
}

TEST_P(PatientServiceTest, AnUpdateMayKeepCoveragesAndConsents) {
  auto r = patients_->Register(coord_, John(), false);
  int64_t id = r->patient->id;
  Patient demographics = John();
  demographics.coverages.clear();
  demographics.phone = "5550001111";
  ASSERT_TRUE(patients_->Update(coord_, id, demographics, std::nullopt, {}, /*keep_coverages_and_consents=*/true).ok());
  auto after = patients_->Get(coord_, id);
  EXPECT_EQ(after->phone, "5550001111");
  ASSERT_EQ(after->coverages.size(), 1u);
  EXPECT_EQ(after->coverages[0].payer, "Aetna");
  ASSERT_TRUE(patients_->Update(coord_, id, demographics, std::nullopt).ok());
  EXPECT_TRUE(patients_->Get(coord_, id)->coverages.empty());
}

TEST_P(PatientServiceTest, ACoverageKeepsItsIdAcrossUpdates) {
  Patient p = John();
  p.coverages.push_back(Coverage{0, "Medicare", "1EG4-TE5-MK72", "", "self", std::nullopt, std::nullopt});
  auto r = patients_->Register(coord_, p, false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const int64_t id = r->patient->id;
  const int64_t aetna = r->patient->coverages[0].id, medicare = r->patient->coverages[1].id;
  ASSERT_NE(aetna, medicare);

  // Matched by payer and member id: the Aetna coverage's group changes, Medicare goes, Cigna comes.
  Patient changed = John();
  changed.coverages[0].group_number = "G2";
  changed.coverages.push_back(Coverage{0, "Cigna", "C-77", "", "spouse", std::nullopt, std::nullopt});
  auto updated = patients_->Update(coord_, id, changed, std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  auto after = patients_->Get(coord_, id);
  ASSERT_EQ(after->coverages.size(), 2u);
  EXPECT_EQ(after->coverages[0].id, aetna);
  EXPECT_EQ(after->coverages[0].group_number, "G2");
  EXPECT_EQ(after->coverages[1].payer, "Cigna");
  EXPECT_GT(after->coverages[1].id, medicare);

  // Matched by id: the payer's name is corrected, the coverage stays the same one.
  Patient renamed = *after;
  renamed.coverages[0].payer = "Aetna Inc.";
  ASSERT_TRUE(patients_->Update(coord_, id, renamed, std::nullopt).ok());
  after = patients_->Get(coord_, id);
  ASSERT_EQ(after->coverages.size(), 2u);
  EXPECT_EQ(after->coverages[0].id, aetna);
  EXPECT_EQ(after->coverages[0].payer, "Aetna Inc.");
}

TEST_P(PatientServiceTest, EveryVersionCanBeReadAgainAndEachReadIsAudited) {
  auto r = patients_->Register(coord_, John(), false);
  int64_t id = r->patient->id;
  Patient renamed = John();
  renamed.family_name = "Smythe";
  ASSERT_TRUE(patients_->Update(coord_, id, renamed, 1).ok());
  auto v1 = patients_->GetVersion(coord_, id, 1);
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  EXPECT_EQ(v1->patient.family_name, John().family_name);
  EXPECT_EQ(v1->patient.version, 1);
  EXPECT_EQ(patients_->GetVersion(coord_, id, 2)->patient.family_name, "Smythe");
  EXPECT_EQ(patients_->GetVersion(coord_, id, 3).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(patients_->GetVersion(coord_, id + 1000, 1).error().code, ErrorCode::kNotFound);
  auto history = patients_->History(coord_, id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].patient.version, 2);
  EXPECT_EQ((*history)[1].patient.family_name, John().family_name);
  db::AuditFilter f;
  f.patient_id = id;
  f.action = "read";
  auto reads = audit_->Search(f);
  ASSERT_TRUE(reads.ok());
  std::vector<std::string> details;
  for (const auto& e : *reads) details.push_back(e.detail);
  EXPECT_NE(std::find(details.begin(), details.end(), "history"), details.end());
  EXPECT_NE(std::find(details.begin(), details.end(), "version 1"), details.end());
}

CAREDESK_INSTANTIATE_BACKENDS(PatientServiceTest);

}  // namespace
}  // namespace caredesk
