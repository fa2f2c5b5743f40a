#include "app/relations_service.h"

#include "app/scheduling_fixture.h"
#include "domain/relations/reference_number.h"

namespace caredesk {
namespace {

// The clinic of ClinicTest (New York); the clock stands at Monday 2025-03-10 10:00 EDT.
class RelationsServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    comments_ = std::make_unique<CommentService>(pool(), clock_, *audit_, "/nonexistent/feedback.model");
    relations_ = std::make_unique<RelationsService>(pool(), clock_, *audit_, *schedule_, *comments_);
  }
  StaffIntake Concern() {
    StaffIntake in;
    in.intake.kind = relations::CaseKind::kComplaint;
    in.intake.channel = relations::Channel::kPhone;
    in.intake.category = "communication";
    in.intake.description = "Nobody called me back";
    in.intake.patient_id = patient_id_;
    in.location_id = location_.id;
    in.contact_name = "John Smith";
    return in;
  }
  static const relations::DeadlineStatus& Deadline(const CaseView& v, relations::Milestone m) {
    for (const auto& d : v.deadlines.deadlines) {
      if (d.milestone == m) return d;
    }
    throw std::runtime_error("no such deadline");
  }
  std::unique_ptr<CommentService> comments_;
  std::unique_ptr<RelationsService> relations_;
};

TEST_P(RelationsServiceTest, TheInterimNoticeFallsDueOnTheSeventhDayThenIsOverdue) {
  auto in = Concern();
  in.facts.response_requested = true;
  auto c = relations_->Create(coord_, in);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->row.kind, "grievance");
  auto t = relations_->ConfirmTriage(coord_, c->row.id, "grievance", "");
  ASSERT_TRUE(t.ok()) << t.error().message;
  using relations::DeadlineState;
  using relations::Milestone;
  EXPECT_EQ(FormatInstant(Deadline(*t, Milestone::kResolveOrInterimNotice).due, "America/New_York"),
            "2025-03-17T23:59:59-04:00");
  clock_.Advance(std::chrono::hours(24 * 6 + 14));  // Monday 17th, 00:00: within the 24-hour reminder window
  auto v = relations_->Get(coord_, c->row.id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Deadline(*v, Milestone::kResolveOrInterimNotice).state, DeadlineState::kPending);
  EXPECT_TRUE(Deadline(*v, Milestone::kResolveOrInterimNotice).due_soon);
  EXPECT_EQ(Deadline(*v, Milestone::kAcknowledge).state, DeadlineState::kOverdue);  // due Wednesday 12th
  clock_.Advance(std::chrono::hours(25));
  v = relations_->Get(coord_, c->row.id);
  EXPECT_EQ(Deadline(*v, Milestone::kResolveOrInterimNotice).state, DeadlineState::kOverdue);
  auto overdue = relations_->List(coord_, db::CaseFilter{}, /*overdue_only=*/true);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->first.size(), 1u);
  auto sent = relations_->SendInterimNotice(coord_, c->row.id, "");
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(Deadline(*sent, Milestone::kResolveOrInterimNotice).state, DeadlineState::kMetLate);
}

TEST_P(RelationsServiceTest, EveryReadAndWriteOfAPatientsCaseIsAudited) {
  auto c = relations_->Create(coord_, Concern());
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(relations_->Get(coord_, c->row.id).ok());
  ASSERT_TRUE(relations_->AddNote(coord_, c->row.id, "note", "Called the patient").ok());
  db::AuditFilter f;
  f.patient_id = patient_id_;
  auto events = audit_->Search(f);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> actions;
  for (const auto& e : *events) {
    EXPECT_EQ(e.category, "relations");
    actions.push_back(e.action);
  }
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "note", "read"}));
}

TEST_P(RelationsServiceTest, AFailedChangeWritesNothing) {
  auto c = relations_->Create(coord_, Concern());
  ASSERT_TRUE(c.ok());
  auto wrong = relations_->SetOwner(coord_, c->row.id, 99999);
  EXPECT_FALSE(wrong.ok());
  auto v = relations_->Get(coord_, c->row.id);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->row.owner_user_id.has_value());
  size_t owner_events = 0;
  for (const auto& e : v->events) owner_events += e.type == "owner";
  EXPECT_EQ(owner_events, 0u);
}

TEST_P(RelationsServiceTest, ReferenceNumbersCountPerYearAndCheck) {
  auto a = relations_->Create(coord_, Concern());
  auto b = relations_->Create(coord_, Concern());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->row.reference_number.substr(0, 15), "CD-2025-000001-");
  EXPECT_EQ(b->row.reference_number.substr(0, 15), "CD-2025-000002-");
  EXPECT_TRUE(relations::IsValidReferenceNumber(b->row.reference_number));
}

TEST_P(RelationsServiceTest, SettingsRoundTripAndAreValidated) {
  auto s = relations_->Settings();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->policy.grievance.size(), 3u);
  RelationsSettings next = *s;
  next.organization_name = "Riverside";
  next.policy.grievance[1].days = 5;
  ASSERT_TRUE(relations_->SaveSettings(admin_, next).ok());
  auto again = relations_->Settings();
  EXPECT_EQ(again->organization_name, "Riverside");
  EXPECT_EQ(again->policy.grievance[1].days, 5);
  next.letter_template = "Dear {{patient_name}}";  // lacks the required elements
  auto bad = relations_->SaveSettings(admin_, next);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "template");
  EXPECT_EQ(relations_->Settings()->letter_template, s->letter_template);
}

CAREDESK_INSTANTIATE_BACKENDS(RelationsServiceTest);

}  // namespace
}  // namespace caredesk
