#include "app/flow_service.h"

#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

class FlowServiceTest : public ClinicTest {
 protected:
  int64_t BookToday() {
    auto booked = appointments_->Book(coord_, Request("2025-03-10T11:00:00-04:00"));
    EXPECT_TRUE(booked.ok()) << booked.error().message;
    return booked->row.id;
  }
};

TEST_P(FlowServiceTest, CheckInCreatesArrivedEncounter) {
  int publishes = 0;
  events_.Subscribe(location_.id, [&] { ++publishes; });
  auto enc = flow_->CheckIn(coord_, BookToday(), false);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  EXPECT_EQ(enc->row.state, "arrived");
  EXPECT_EQ(enc->row.arrived_at, ToMillis(clock_.Now()));
  EXPECT_EQ(publishes, 1);
  auto again = flow_->CheckIn(coord_, *enc->row.appointment_id, false);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_P(FlowServiceTest, CheckInAnotherDayNeedsOverrideWhichIsAudited) {
  auto booked = appointments_->Book(coord_, Request("2025-03-12T11:00:00-04:00"));
  auto refused = flow_->CheckIn(coord_, booked->row.id, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "not_today");
  auto forced = flow_->CheckIn(coord_, booked->row.id, true);
  ASSERT_TRUE(forced.ok()) << forced.error().message;
  db::AuditFilter f;
  f.action = "check_in_override";
  EXPECT_EQ(audit_->Search(f)->size(), 1u);
}

TEST_P(FlowServiceTest, TransitionsAreTimestampedAndUndoable) {
  auto enc = flow_->CheckIn(coord_, BookToday(), false);
  int64_t id = enc->row.id;
  clock_.Advance(std::chrono::minutes(12));
  ASSERT_TRUE(flow_->Transition(coord_, id, "roomed", std::nullopt).ok());
  clock_.Advance(std::chrono::minutes(5));
  auto seen = flow_->Transition(coord_, id, "with_provider", std::nullopt);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->row.state_since, ToMillis(clock_.Now()));
  EXPECT_EQ(seen->transitions.size(), 3u);
  auto undone = flow_->Undo(coord_, id);
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_EQ(undone->row.state, "roomed");
  EXPECT_EQ(undone->row.state_since, ToMillis(clock_.Now() - std::chrono::minutes(5)));
  ASSERT_TRUE(flow_->Undo(coord_, id).ok());
  EXPECT_EQ(flow_->Undo(coord_, id).error().reason, "nothing_to_undo");
  db::AuditFilter f;
  f.action = "undo";
  EXPECT_EQ(audit_->Search(f)->size(), 2u);
}

TEST_P(FlowServiceTest, CompletionCompletesAppointmentAndLeavesBoard) {
  int64_t appt = BookToday();
  auto enc = flow_->CheckIn(coord_, appt, false);
  ASSERT_TRUE(flow_->Transition(coord_, enc->row.id, "with_provider", std::nullopt).ok());
  ASSERT_TRUE(flow_->Transition(coord_, enc->row.id, "completed", std::nullopt).ok());
  EXPECT_EQ(appointments_->Get(coord_, appt)->row.status, "completed");
  EXPECT_TRUE(flow_->BoardFor(coord_, location_.id)->rows.empty());
  ASSERT_TRUE(flow_->Undo(coord_, enc->row.id).ok());
  EXPECT_EQ(appointments_->Get(coord_, appt)->row.status, "checked_in");
  EXPECT_EQ(flow_->BoardFor(coord_, location_.id)->rows.size(), 1u);
}

TEST_P(FlowServiceTest, LeftWithoutBeingSeenOnlyWhileWaiting) {
  auto enc = flow_->CheckIn(coord_, BookToday(), false);
  ASSERT_TRUE(flow_->Transition(coord_, enc->row.id, "with_provider", std::nullopt).ok());
  EXPECT_EQ(flow_->Transition(coord_, enc->row.id, "left_without_being_seen", std::nullopt).error().reason,
            "invalid_transition");
  auto walk = flow_->WalkIn(coord_, patient_id_, location_.id, std::nullopt);
  ASSERT_TRUE(walk.ok());
  EXPECT_TRUE(flow_->Transition(coord_, walk->row.id, "left_without_being_seen", std::nullopt).ok());
}

TEST_P(FlowServiceTest, BoardShowsWaitsAgainstThresholds) {
  auto walk = flow_->WalkIn(coord_, patient_id_, location_.id, provider_.id);
  ASSERT_TRUE(walk.ok()) << walk.error().message;
  EXPECT_TRUE(walk->row.walk_in);
  clock_.Advance(std::chrono::minutes(20));
  ASSERT_TRUE(flow_->Transition(coord_, walk->row.id, "roomed", std::nullopt).ok());
  clock_.Advance(std::chrono::minutes(16));
  auto board = flow_->BoardFor(coord_, location_.id);
  ASSERT_TRUE(board.ok());
  ASSERT_EQ(board->rows.size(), 1u);
  EXPECT_EQ(board->rows[0].state_minutes, 16);
  EXPECT_EQ(board->rows[0].waiting_minutes, 36);
  EXPECT_EQ(board->rows[0].level, WaitLevel::kWarn);
  EXPECT_EQ(board->rows[0].encounter.patient_name, "John Smith");
}

TEST_P(FlowServiceTest, WalkInNamesBadReferences) {
  EXPECT_EQ(flow_->WalkIn(coord_, 424242, location_.id, std::nullopt).error().field, "patient_id");
  EXPECT_EQ(flow_->WalkIn(coord_, patient_id_, 424242, std::nullopt).error().field, "location_id");
}

CAREDESK_INSTANTIATE_BACKENDS(FlowServiceTest);

}  // namespace
}  // namespace caredesk
