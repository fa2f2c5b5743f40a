#include "app/improvement_service.h"

#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

class ImprovementServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    improvement_ = std::make_unique<ImprovementService>(pool(), clock_, *audit_);
  }
  db::ProjectRow Project() {
    db::ProjectRow p;
    p.title = "Fewer no-shows";
    p.aim = "Cut no-shows at Main Street from 12% to 8% by June";
    p.metric_key = "no_show_rate";
    p.location_id = location_.id;
    p.owner = "Maria";
    p.start_date = "2025-01-06";
    p.end_date = "2025-06-30";
    p.target = 8;
    p.status = "active";
    return p;
  }
  db::PdsaCycleRow Cycle(const char* title, const char* start) {
    db::PdsaCycleRow c;
    c.title = title;
    c.plan = "Text reminders two days before";
    c.start_date = start;
    return c;
  }
  std::unique_ptr<ImprovementService> improvement_;
};

TEST_P(ImprovementServiceTest, AProjectKeepsItsCyclesInDateOrder) {
  auto p = improvement_->Create(admin_, Project());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->created_by, admin_.username);
  EXPECT_EQ(p->location_name, "Main Street Clinic");
  auto with = improvement_->AddCycle(admin_, p->id, Cycle("Reminder calls", "2025-03-03"));
  ASSERT_TRUE(with.ok()) << with.error().message;
  with = improvement_->AddCycle(admin_, p->id, Cycle("Text reminders", "2025-01-20"));
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->cycles.size(), 2u);
  EXPECT_EQ(with->cycles[0].title, "Text reminders");
  EXPECT_EQ(with->cycles[1].title, "Reminder calls");
  auto changed = Cycle("Text reminders, 3 days", "2025-01-27");
  changed.end_date = "2025-02-28";
  changed.study = "No-shows fell to 9%";
  auto updated = improvement_->UpdateCycle(admin_, p->id, with->cycles[0].id, changed);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->cycles[0].study, "No-shows fell to 9%");
  auto gone = improvement_->DeleteCycle(admin_, p->id, with->cycles[1].id);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->cycles.size(), 1u);
  auto missing = improvement_->DeleteCycle(admin_, p->id, with->cycles[1].id);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  // Narrowing the project so that a cycle falls outside is refused.
  auto narrower = Project();
  narrower.start_date = "2025-02-01";
  auto refused = improvement_->Update(admin_, p->id, narrower);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "start_date");
  auto audit = audit_->Search(db::AuditFilter{});
  ASSERT_TRUE(audit.ok());
  EXPECT_GE(audit->size(), 5u);
}

TEST_P(ImprovementServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  auto expect_field = [&](db::ProjectRow p, const char* field) {
    auto r = improvement_->Create(admin_, std::move(p));
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().field, field);
  };
  auto p = Project();
  p.title = "  ";
  expect_field(p, "title");
  p = Project();
  p.metric_key = "happiness";
  expect_field(p, "metric_key");
  p = Project();
  p.location_id = 999999;
  expect_field(p, "location_id");
  p = Project();
  p.end_date = "2024-12-31";
  expect_field(p, "end_date");
  p = Project();
  p.start_date = "2025-02-30";
  expect_field(p, "start_date");
  p = Project();
  p.status = "paused";
  expect_field(p, "status");
  EXPECT_TRUE(improvement_->List(admin_, {})->empty());
  auto ok = improvement_->Create(admin_, Project());
  ASSERT_TRUE(ok.ok());
  auto outside = improvement_->AddCycle(admin_, ok->id, Cycle("Too late", "2025-07-01"));
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().field, "start_date");
  EXPECT_TRUE(improvement_->Get(admin_, ok->id)->cycles.empty());
}

TEST_P(ImprovementServiceTest, TheChartGetsTheProjectsOfItsMetricPlaceAndPeriod) {
  ASSERT_TRUE(improvement_->Create(admin_, Project()).ok());
  auto everywhere = Project();
  everywhere.title = "All clinics";
  everywhere.location_id.reset();
  ASSERT_TRUE(improvement_->Create(admin_, everywhere).ok());
  auto other_metric = Project();
  other_metric.metric_key = "lwbs_rate";
  ASSERT_TRUE(improvement_->Create(admin_, other_metric).ok());
  auto old = Project();
  old.title = "Last year";
  old.start_date = "2024-01-01";
  old.end_date = "2024-03-31";
  ASSERT_TRUE(improvement_->Create(admin_, old).ok());
  auto from = *ParseCivilDate("2025-01-01", "from");
  auto to = *ParseCivilDate("2025-03-31", "to");
  auto here = improvement_->ForChart(std::string("no_show_rate"), location_.id, from, to);
  ASSERT_TRUE(here.ok()) << here.error().message;
  ASSERT_EQ(here->size(), 2u);
  auto all = improvement_->ForChart(std::nullopt, std::nullopt, from, to);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

CAREDESK_INSTANTIATE_BACKENDS(ImprovementServiceTest);

}  // namespace
}  // namespace caredesk
