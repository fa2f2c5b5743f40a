#include "app/coverage_service.h"

#include <algorithm>

#include "app/app_test_fixture.h"
#include "app/patient_service.h"

namespace caredesk {
namespace {

class CoverageServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    coverages_ = std::make_unique<CoverageService>(pool(), *audit_);
  }

  // A patient with a coverage from each payer named, member ids "<family>-<n>", group "G<n>".
  Patient Register(const std::string& family, const std::vector<std::string>& payers) {
    Patient p;
    p.given_name = "Ann";
    p.family_name = family;
    p.birth_date = {1970 + static_cast<int>(family.size()), 2, 3};
    p.sex = "female";
    for (size_t i = 0; i < payers.size(); ++i) {
      p.coverages.push_back(Coverage{0, payers[i], family + "-" + std::to_string(i), "G" + std::to_string(i),
                                     i == 0 ? "self" : "child", CivilDate{2025, 1, 1}, std::nullopt});
    }
    auto r = patients_->Register(coord_, p, true);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r->patient;
  }

  size_t CoverageEntriesFor(int64_t patient_id) {
    const std::vector<AuditRecord> records = AuditOf(patient_id);
    return static_cast<size_t>(std::count_if(records.begin(), records.end(), [](const AuditRecord& r) {
      return r.category == audit_category::kCoverage;
    }));
  }

  Actor coord_{2, "coord", Role::kCoordinator, "10.0.0.5", 2};
  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<CoverageService> coverages_;
};

TEST_P(CoverageServiceTest, ReadsOneWithItsPatientAndAuditsIt) {
  Patient p = Register("Okafor", {"Aetna", "Medicaid"});
  const size_t before = CoverageEntriesFor(p.id);
  auto c = coverages_->Get(coord_, p.coverages[1].id);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->patient_id, p.id);
  EXPECT_EQ(c->patient_name, "Ann Okafor");
  EXPECT_EQ(c->coverage.payer, "Medicaid");
  EXPECT_EQ(c->coverage.member_id, "Okafor-1");
  EXPECT_EQ(c->coverage.relationship, "child");
  EXPECT_EQ(c->coverage.start_date, (CivilDate{2025, 1, 1}));
  EXPECT_EQ(CoverageEntriesFor(p.id), before + 1);
  EXPECT_EQ(coverages_->Get(coord_, 999999).error().code, ErrorCode::kNotFound);
}

TEST_P(CoverageServiceTest, SearchesByPatientMemberIdGroupAndPayerAndPages) {
  Patient a = Register("Okafor", {"Aetna", "Medicaid"});
  Patient b = Register("Lindqvist", {"Aetna"});
  Register("Tanaka", {"Cigna", "Aetna", "Humana"});

  CoverageCriteria by_patient;
  by_patient.patients.push_back({a.id});
  auto found = coverages_->Search(coord_, by_patient, true, true);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->rows.size(), 2u);
  EXPECT_EQ(found->total, 2);
  EXPECT_FALSE(found->more);

  CoverageCriteria by_member;
  by_member.member_ids.push_back({"Lindqvist-0", "nobody"});
  found = coverages_->Search(coord_, by_member, false, true);
  ASSERT_EQ(found->rows.size(), 1u);
  EXPECT_EQ(found->rows[0].patient_id, b.id);
  EXPECT_FALSE(found->total.has_value());

  CoverageCriteria aetna_in_g0;  // AND across criteria
  aetna_in_g0.payers.push_back({"Aetna"});
  aetna_in_g0.groups.push_back({"G0"});
  found = coverages_->Search(coord_, aetna_in_g0, true, true);
  EXPECT_EQ(found->total, 2);  // Okafor's and Lindqvist's; Tanaka's Aetna is G1

  CoverageCriteria paged;
  paged.page.limit = 2;
  found = coverages_->Search(coord_, paged, true, true);
  ASSERT_EQ(found->rows.size(), 2u);
  EXPECT_TRUE(found->more);
  EXPECT_EQ(found->total, 6);
  paged.page.after_id = found->rows.back().id;
  auto next = coverages_->Search(coord_, paged, false, true);
  ASSERT_EQ(next->rows.size(), 2u);
  EXPECT_GT(next->rows[0].id, found->rows[1].id);
  paged.page.descending = true;
  paged.page.after_id.reset();
  auto newest = coverages_->Search(coord_, paged, false, true);
  EXPECT_GT(newest->rows[0].id, newest->rows[1].id);

  // Counting only reads no rows and still audits the patients it named.
  const size_t before = CoverageEntriesFor(a.id);
  auto counted = coverages_->Search(coord_, by_patient, true, false);
  EXPECT_TRUE(counted->rows.empty());
  EXPECT_EQ(counted->total, 2);
  EXPECT_EQ(CoverageEntriesFor(a.id), before + 1);
}

CAREDESK_INSTANTIATE_BACKENDS(CoverageServiceTest);

}  // namespace
}  // namespace caredesk
