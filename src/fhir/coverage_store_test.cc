// Coverages written through FHIR (CoverageStore) on both databases: a create becomes a coverage of the
// beneficiary's record, audited as the patient's update and served back with what CareDesk does not model;
// an update keeps the coverage's id; a delete removes it and what was sent for it; what CareDesk cannot
// take is refused naming the element, with nothing written.
#include "fhir/coverage_store.h"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "app/app_test_fixture.h"
#include "app/coverage_service.h"
#include "fhir/coverage_resource.h"
#include "fhir/kept_as_sent.h"
#include "fhir/resource_store.h"

namespace caredesk::fhir {
namespace {
namespace json = boost::json;

class CoverageStoreTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    resources_ = std::make_unique<ResourceStore>(pool(), *audit_, clock_);
    store_ = std::make_unique<CoverageStore>(*patients_, pool(), clock_);
    coverages_ = std::make_unique<CoverageService>(pool(), *audit_);
    Patient p;
    p.given_name = "Ines";
    p.family_name = "Coverdale";
    p.birth_date = {1966, 4, 5};
    p.sex = "female";
    p.coverages.push_back(Coverage{0, "Aetna", "AET-1", "", "self", std::nullopt, std::nullopt});
    auto r = patients_->Register(coord_, p, true);
    ASSERT_TRUE(r.ok()) << r.error().message;
    patient_ = *r->patient;
  }

  std::string Sent(const std::string& more = "") {
    return R"({"resourceType":"Coverage","status":"active","beneficiary":{"reference":"Patient/)" +
           std::to_string(patient_.id) +
           R"("},"subscriberId":"BCX-77","payor":[{"display":"Blue Cross"}],)"
           R"("class":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/coverage-class","code":"group"}]},"value":"G-12"}],)"
           R"("relationship":{"coding":[{"code":"spouse"}]},"period":{"start":"2026-01-01","end":"2026-12-31T23:59:59Z"},)"
           R"("extension":[{"url":"urn:x:plan","valueString":"gold"}])" +
           more + "}";
  }

  Patient Current() {
    auto p = patients_->Get(coord_, patient_.id);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : Patient{};
  }

  Actor coord_{2, "coord", Role::kCoordinator, "10.0.0.5", 2};
  Patient patient_;
  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<ResourceStore> resources_;
  std::unique_ptr<CoverageStore> store_;
  std::unique_ptr<CoverageService> coverages_;
};

TEST_P(CoverageStoreTest, ACreateBecomesACoverageOfThePatientServedWithWhatWasSent) {
  const size_t audited = AuditOf(patient_.id).size();
  auto w = store_->Write(coord_, 0, json::parse(Sent()));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_TRUE(w->created);
  Patient p = Current();
  ASSERT_EQ(p.coverages.size(), 2u) << "added beside the Aetna coverage";
  const Coverage& c = p.coverages[1];
  EXPECT_EQ(c.id, w->id);
  EXPECT_EQ(c.payer, "Blue Cross");
  EXPECT_EQ(c.member_id, "BCX-77");
  EXPECT_EQ(c.group_number, "G-12");
  EXPECT_EQ(c.relationship, "spouse");
  EXPECT_EQ(c.start_date, (CivilDate{2026, 1, 1}));
  EXPECT_EQ(c.end_date, (CivilDate{2026, 12, 31}));
  EXPECT_EQ(p.coverages[0].payer, "Aetna") << "the other coverage stays";
  EXPECT_EQ(p.version, patient_.version + 1) << "written as an update of the patient";
  EXPECT_GT(AuditOf(patient_.id).size(), audited) << "audited as the patient's update";

  // Served with what CareDesk does not model (the extension), as a later read serves it.
  EXPECT_EQ(w->resource.at("extension").at(0).at("valueString").as_string(), "gold");
  auto row = coverages_->Get(coord_, w->id);
  ASSERT_TRUE(row.ok());
  std::vector<json::object> served{CoverageResource(*row)};
  ASSERT_TRUE(resources_->ServeAsSent("Coverage", CoverageModelled(), served).ok());
  EXPECT_EQ(served[0].at("extension").at(0).at("valueString").as_string(), "gold");
  EXPECT_EQ(served[0].at("period").at("end").as_string(), "2026-12-31T23:59:59Z") << "as sent while unchanged";
}

TEST_P(CoverageStoreTest, AnUpdateKeepsTheIdAndADeleteRemovesTheCoverageAndWhatWasSent) {
  auto w = store_->Write(coord_, 0, json::parse(Sent()));
  ASSERT_TRUE(w.ok()) << w.error().message;
  std::string changed = Sent();
  changed.replace(changed.find("BCX-77"), 6, "BCX-78");
  changed.insert(1, R"("id":")" + std::to_string(w->id) + R"(",)");
  auto u = store_->Write(coord_, w->id, json::parse(changed));
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_FALSE(u->created);
  EXPECT_EQ(u->id, w->id);
  Patient p = Current();
  ASSERT_EQ(p.coverages.size(), 2u);
  EXPECT_EQ(p.coverages[1].id, w->id);
  EXPECT_EQ(p.coverages[1].member_id, "BCX-78");

  ASSERT_TRUE(store_->Delete(coord_, w->id).ok());
  p = Current();
  ASSERT_EQ(p.coverages.size(), 1u);
  EXPECT_EQ(p.coverages[0].payer, "Aetna");
  EXPECT_EQ(store_->Delete(coord_, w->id).error().code, ErrorCode::kNotFound);
  auto conn = pool().Acquire();
  auto left = conn->Query("SELECT COUNT(*) FROM fhir_sources WHERE resource_type = 'Coverage' AND resource_id = $1",
                          {w->id});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->Int(0, 0), 0) << "what was sent goes with the coverage: SQLite may give its id to the next";
}

TEST_P(CoverageStoreTest, APayorReferencingAKeptOrganizationIsNamedByIt) {
  auto org = resources_->Update(coord_, "Organization", "payer-1",
                                json::parse(R"({"resourceType":"Organization","id":"payer-1","name":"Harbour Health Plan"})"),
                                std::nullopt);
  ASSERT_TRUE(org.ok()) << org.error().message;
  std::string sent = Sent();
  sent.replace(sent.find(R"({"display":"Blue Cross"})"), 24, R"({"reference":"Organization/payer-1"})");
  auto w = store_->Write(coord_, 0, json::parse(sent));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(Current().coverages[1].payer, "Harbour Health Plan");
  EXPECT_EQ(w->resource.at("payor").at(0).at("reference").as_string(), "Organization/payer-1") << "served as sent";

  sent.replace(sent.find("payer-1"), 7, "nobody1");
  auto refused = store_->Write(coord_, 0, json::parse(sent));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "Coverage.payor");
}

TEST_P(CoverageStoreTest, WhatCareDeskCannotTakeIsRefusedNamingTheElementWithNothingWritten) {
  const auto refused = [&](const std::string& body, int64_t id = 0) {
    auto w = store_->Write(coord_, id, json::parse(body));
    EXPECT_FALSE(w.ok()) << body;
    return w.ok() ? Error{} : w.error();
  };
  std::string s = Sent();
  EXPECT_EQ(refused(std::string(s).replace(s.find("\"active\""), 8, "\"cancelled\"")).field, "Coverage.status");
  EXPECT_EQ(refused(std::string(s).replace(s.find("Patient/"), 8, "Group/")).field, "Coverage.beneficiary");
  Error unknown = refused(std::string(s).replace(s.find("Patient/") + 8, std::to_string(patient_.id).size(), "999999"));
  EXPECT_EQ(unknown.field, "Coverage.beneficiary");
  EXPECT_EQ(unknown.code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused(std::string(s).replace(s.find(R"("subscriberId":"BCX-77",)"), 24, "")).field,
            "Coverage.subscriberId");
  EXPECT_EQ(refused(std::string(s).replace(s.find(R"("payor":[{"display":"Blue Cross"}],)"), 35, "")).field,
            "Coverage.payor");
  EXPECT_EQ(refused(std::string(s).replace(s.find("\"spouse\""), 8, "\"cousin\"")).field, "Coverage.relationship");
  EXPECT_EQ(refused(std::string(s).replace(s.find("2026-12-31T23:59:59Z"), 20, "2025-12-31")).field,
            "Coverage.period.end");
  // The same payer and member id again: update that one instead.
  std::string aetna = std::string(s).replace(s.find("BCX-77"), 6, "AET-1");
  aetna.replace(aetna.find("Blue Cross"), 10, "Aetna");
  Error twice = refused(aetna);
  EXPECT_EQ(twice.reason, "coverage_exists");
  EXPECT_EQ(twice.field, "Coverage.subscriberId");
  // An update naming another patient: a coverage does not move.
  Patient other;
  other.given_name = "Otto";
  other.family_name = "Elsewhere";
  other.birth_date = {1980, 1, 2};
  other.sex = "male";
  auto o = patients_->Register(coord_, other, true);
  ASSERT_TRUE(o.ok());
  std::string moved = std::string(s).replace(s.find("Patient/") + 8, std::to_string(patient_.id).size(),
                                             std::to_string(o->patient->id));
  EXPECT_EQ(refused(moved.insert(1, R"("id":")" + std::to_string(patient_.coverages[0].id) + R"(",)"),
                    patient_.coverages[0].id)
                .field,
            "Coverage.beneficiary");
  EXPECT_EQ(store_->Write(coord_, 999999, json::parse(std::string(s).insert(1, R"("id":"999999",)"))).error().code,
            ErrorCode::kNotFound);
  // Checked as every FHIR write is: an update carries the URL's id; the body is a Coverage object.
  const int64_t kept = patient_.coverages[0].id;
  Error no_id = refused(s, kept);
  EXPECT_EQ(no_id.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_id.field, "id");
  EXPECT_EQ(refused(std::string(s).insert(1, R"("id":"12345",)"), kept).field, "id");
  EXPECT_EQ(store_->Write(coord_, 0, json::parse("[]")).error().field, "body");

  Patient p = Current();
  ASSERT_EQ(p.coverages.size(), 1u) << "nothing was written";
  EXPECT_EQ(p.version, patient_.version);
}

CAREDESK_INSTANTIATE_BACKENDS(CoverageStoreTest);

}  // namespace
}  // namespace caredesk::fhir
