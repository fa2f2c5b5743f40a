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

TEST_P(FlowServiceTest, SearchFindsEncountersByPatientStateAndAppointment) {
  const int64_t appointment = BookToday();
  auto checked_in = flow_->CheckIn(coord_, appointment, false);
  ASSERT_TRUE(checked_in.ok()) << checked_in.error().message;
  const int64_t other = InsertPatient("Mary", "Jones");
  clock_.Advance(std::chrono::minutes(5));
  auto walk_in = flow_->WalkIn(coord_, other, location_.id, provider_.id);
  ASSERT_TRUE(walk_in.ok()) << walk_in.error().message;
  ASSERT_TRUE(flow_->Transition(coord_, walk_in->row.id, "roomed", std::nullopt).ok());

  EncounterCriteria all;
  all.locations = {{location_.id}};
  all.page.by_time = true;
  auto found = flow_->Search(coord_, all, true, true);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->rows.size(), 2u);
  EXPECT_EQ(found->rows[0].id, checked_in->row.id);  // the earlier arrival first
  EXPECT_EQ(found->rows[0].modality, "in_person");
  EXPECT_EQ(found->total, 2);

  EncounterCriteria roomed;
  roomed.states = {{"roomed"}};
  auto r = flow_->Search(coord_, roomed, true, true);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].patient_id, other);
  EXPECT_TRUE(r->rows[0].walk_in);

  EncounterCriteria by_appointment;
  by_appointment.appointments = {{appointment}};
  by_appointment.patients = {{patient_id_}};
  EXPECT_EQ(flow_->Search(coord_, by_appointment, false, true)->rows.size(), 1u);
  EncounterCriteria later;
  later.arrived = {{{DateMatch::Op::kGe, ToMillis(clock_.Now()), ToMillis(clock_.Now()) + 1}}};
  EXPECT_EQ(flow_->Search(coord_, later, true, false)->total, 1);  // count only: the walk-in

  db::AuditFilter f;
  f.action = "search";
  f.patient_id = other;
  auto audited = audit_->Search(f);
  ASSERT_TRUE(audited.ok());
  ASSERT_FALSE(audited->empty());
  EXPECT_EQ(audited->front().category, "encounter");
}

// With no location, patient, provider or id named, a search in time order reads each location's page from
// its index and merges them: the order and the pages are still those of all encounters together.
TEST_P(FlowServiceTest, SearchInTimeOrderMergesTheLocations) {
  auto other_place = schedule_->SaveLocation(admin_, Location{0, "Harbour Clinic", "America/New_York"});
  ASSERT_TRUE(other_place.ok()) << other_place.error().message;
  std::vector<int64_t> arrivals;
  arrivals.push_back(flow_->CheckIn(coord_, BookToday(), false)->row.id);
  for (int64_t at : {other_place->id, location_.id, other_place->id}) {
    clock_.Advance(std::chrono::minutes(5));
    auto walk_in = flow_->WalkIn(coord_, InsertPatient("Walk", "In"), at, std::nullopt);
    ASSERT_TRUE(walk_in.ok()) << walk_in.error().message;
    arrivals.push_back(walk_in->row.id);
  }
  EncounterCriteria q;
  q.page.by_time = true;
  q.page.limit = 3;
  std::vector<int64_t> seen;
  for (int pages = 0; pages < 3; ++pages) {
    auto found = flow_->Search(coord_, q, false, true);
    ASSERT_TRUE(found.ok()) << found.error().message;
    for (const auto& r : found->rows) seen.push_back(r.id);
    if (!found->more) break;
    q.page.after_id = found->rows.back().id;
    q.page.after_time = found->rows.back().arrived_at;
  }
  EXPECT_EQ(seen, arrivals);
  EncounterCriteria latest;
  latest.page.by_time = true;
  latest.page.descending = true;
  latest.page.limit = 2;
  auto newest = flow_->Search(coord_, latest, true, true);
  ASSERT_EQ(newest->rows.size(), 2u);
  EXPECT_EQ(newest->rows[0].id, arrivals[3]);
  EXPECT_EQ(newest->rows[1].id, arrivals[2]);
  EXPECT_TRUE(newest->more);
  EXPECT_EQ(newest->total, 4);
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
