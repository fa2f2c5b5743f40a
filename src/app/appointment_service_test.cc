#include "app/appointment_service.h"

#include <atomic>
#include <set>
#include <thread>

#include "app/scheduling_fixture.h"

namespace caredesk {
namespace {

class AppointmentServiceTest : public ClinicTest {};

TEST_P(AppointmentServiceTest, FirstAvailableStartsNowAndHidesBooked) {
  SlotQuery q;
  q.appointment_type_id = visit_.id;
  q.from = clock_.Now();
  q.to = clock_.Now() + std::chrono::hours(24 * 7);
  q.not_before = clock_.Now();
  q.limit = 3;
  auto slots = appointments_->Slots(q);
  ASSERT_TRUE(slots.ok()) << slots.error().message;
  ASSERT_EQ(slots->size(), 3u);
  EXPECT_EQ(FormatInstant(slots->front().start, "America/New_York"), "2025-03-10T10:00:00-04:00");
  ASSERT_TRUE(appointments_->Book(coord_, Request("2025-03-10T10:00:00-04:00")).ok());
  slots = appointments_->Slots(q);
  EXPECT_EQ(FormatInstant(slots->front().start, "America/New_York"), "2025-03-10T10:30:00-04:00");
}

TEST_P(AppointmentServiceTest, BookingRecordsHistoryAndAudit) {
  auto booked = appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00"));
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_EQ(booked->row.status, "booked");
  EXPECT_EQ(booked->row.patient_name, "John Smith");
  ASSERT_EQ(booked->history.size(), 1u);
  EXPECT_EQ(booked->history[0].by_user, "coord");
  db::AuditFilter f;
  f.patient_id = patient_id_;
  auto events = audit_->Search(f);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().action, "create");
  EXPECT_EQ(events->front().category, "appointment");
}

// Book answers from what it wrote, without reading the appointment back: that answer must be exactly what a
// later read gives, field by field, for a plain, an overbooked and a telehealth booking.
TEST_P(AppointmentServiceTest, BookingAnswersWhatAReadGives) {
  auto plain = Request("2025-03-11T11:00:00-04:00");
  plain.notes = "bring referral letter";
  auto over = plain;
  over.overbook = true;
  auto tele = Request("2025-03-11T10:00:00-04:00");
  tele.appointment_type_id = tele_.id;
  for (const auto& req : {plain, over, tele}) {
    auto booked = appointments_->Book(coord_, req);
    ASSERT_TRUE(booked.ok()) << booked.error().message;
    auto read = appointments_->Get(coord_, booked->row.id);
    ASSERT_TRUE(read.ok()) << read.error().message;
    const db::AppointmentRow& a = booked->row;
    const db::AppointmentRow& b = read->row;
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.patient_id, b.patient_id);
    EXPECT_EQ(a.appointment_type_id, b.appointment_type_id);
    EXPECT_EQ(a.provider_id, b.provider_id);
    EXPECT_EQ(a.location_id, b.location_id);
    EXPECT_EQ(a.room_id, b.room_id);
    EXPECT_EQ(a.start_at, b.start_at);
    EXPECT_EQ(a.end_at, b.end_at);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.cancel_reason, b.cancel_reason);
    EXPECT_EQ(a.notes, b.notes);
    EXPECT_EQ(a.overbooked, b.overbooked);
    EXPECT_EQ(a.join_token, b.join_token);
    EXPECT_EQ(a.created_at, b.created_at);
    EXPECT_EQ(a.updated_at, b.updated_at);
    EXPECT_EQ(a.patient_name, b.patient_name);
    EXPECT_EQ(a.type_name, b.type_name);
    EXPECT_EQ(a.modality, b.modality);
    EXPECT_EQ(a.provider_name, b.provider_name);
    EXPECT_EQ(a.location_name, b.location_name);
    EXPECT_EQ(a.time_zone, b.time_zone);
    EXPECT_EQ(a.encounter_id, b.encounter_id);
    EXPECT_EQ(booked->join_url, read->join_url);
    ASSERT_EQ(booked->history.size(), read->history.size());
    for (size_t i = 0; i < read->history.size(); ++i) {
      EXPECT_EQ(booked->history[i].status, read->history[i].status);
      EXPECT_EQ(booked->history[i].at, read->history[i].at);
      EXPECT_EQ(booked->history[i].by_user, read->history[i].by_user);
      EXPECT_EQ(booked->history[i].note, read->history[i].note);
    }
  }
}

TEST_P(AppointmentServiceTest, SameSlotTwiceIsSlotTaken) {
  ASSERT_TRUE(appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00")).ok());
  auto again = appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "slot_taken");
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto conn = pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM appointments")->Int(0, 0), 1);
}

// Booking inside the caller's transaction (a FHIR transaction Bundle's): committed with it, as Book would
// have written it; rolled back with it, nothing at all, the slot still free; a slot taken is the same 409.
TEST_P(AppointmentServiceTest, BookInTxCommitsAndRollsBackWithTheCallersTransaction) {
  auto conn = pool().Acquire();
  auto rolled_back = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    auto booked = appointments_->BookInTx(c, coord_, Request("2025-03-11T09:00:00-04:00"));
    EXPECT_TRUE(booked.ok()) << booked.error().message;
    return Error::Unprocessable("x", "a later entry failed");
  });
  ASSERT_FALSE(rolled_back.ok());
  auto count = conn->Query("SELECT COUNT(*) FROM appointments");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->Int(0, 0), 0);
  EXPECT_TRUE(AuditOf(patient_id_).empty()) << "the audit entry went with it";

  Result<AppointmentView> view = Error::Internal("not run");
  ASSERT_TRUE(db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
                view = appointments_->BookInTx(c, coord_, Request("2025-03-11T09:00:00-04:00"));
                return view.ok() ? Ok() : Status(view.error());
              }).ok())
      << view.error().message;
  auto read = appointments_->Get(coord_, view->row.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->row.start_at, view->row.start_at);
  EXPECT_EQ(read->row.patient_name, view->row.patient_name);
  ASSERT_EQ(read->history.size(), 1u);
  EXPECT_EQ(read->history[0].by_user, "coord");
  ASSERT_EQ(view->history.size(), 1u);
  EXPECT_EQ(view->history[0].by_user, "coord");

  auto again = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    return StatusOf(appointments_->BookInTx(c, coord_, Request("2025-03-11T09:00:00-04:00")));
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "slot_taken");
}

TEST_P(AppointmentServiceTest, FiftyConcurrentBookingsOfOneSlotYieldOne) {
  std::atomic<int> ok{0}, taken{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto r = appointments_->Book(coord_, Request("2025-03-12T14:00:00-04:00"));
      if (r.ok()) {
        ++ok;
      } else if (r.error().reason == "slot_taken") {
        ++taken;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(taken.load(), 49);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(AppointmentServiceTest, OverbookingOnlyWhenAskedAndAllowed) {
  ASSERT_TRUE(appointments_->Book(coord_, Request("2025-03-11T11:00:00-04:00")).ok());
  auto req = Request("2025-03-11T11:00:00-04:00");
  req.overbook = true;
  auto over = appointments_->Book(coord_, req);
  ASSERT_TRUE(over.ok()) << over.error().message;
  EXPECT_TRUE(over->row.overbooked);
  auto third = appointments_->Book(coord_, req);  // max_overbook is 1
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().reason, "slot_taken");
}

TEST_P(AppointmentServiceTest, OverbookingRefusedWithoutPolicy) {
  Provider strict = provider_;
  strict.max_overbook = 0;
  ASSERT_TRUE(schedule_->SaveProvider(admin_, strict).ok());
  auto req = Request("2025-03-11T11:00:00-04:00");
  req.overbook = true;
  auto r = appointments_->Book(coord_, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "overbook");
}

TEST_P(AppointmentServiceTest, CancelFreesSlotAndNeedsReason) {
  auto booked = appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00"));
  EXPECT_EQ(appointments_->Cancel(coord_, booked->row.id, " ").error().field, "reason");
  auto cancelled = appointments_->Cancel(coord_, booked->row.id, "patient is travelling");
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(cancelled->row.status, "cancelled");
  EXPECT_EQ(cancelled->history.back().note, "patient is travelling");
  EXPECT_TRUE(appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00")).ok());
  auto twice = appointments_->Cancel(coord_, booked->row.id, "again");
  EXPECT_EQ(twice.error().reason, "invalid_transition");
}

TEST_P(AppointmentServiceTest, RescheduleMovesClaims) {
  auto booked = appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00"));
  auto moved = appointments_->Reschedule(coord_, booked->row.id, At("2025-03-13T15:00:00-04:00"), std::nullopt);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(FormatInstant(FromMillis(moved->row.start_at), "America/New_York"), "2025-03-13T15:00:00-04:00");
  EXPECT_EQ(moved->history.back().status, "rescheduled");
  EXPECT_TRUE(appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00")).ok());  // old slot free
  EXPECT_EQ(appointments_->Book(coord_, Request("2025-03-13T15:00:00-04:00")).error().reason, "slot_taken");
}

TEST_P(AppointmentServiceTest, RejectsNonSlotsPastAndUnknownPatients) {
  EXPECT_EQ(appointments_->Book(coord_, Request("2025-03-11T09:10:00-04:00")).error().reason, "not_a_slot");
  EXPECT_EQ(appointments_->Book(coord_, Request("2025-03-15T10:00:00-04:00")).error().reason, "not_a_slot");  // Sat
  EXPECT_EQ(appointments_->Book(coord_, Request("2025-03-10T09:00:00-04:00")).error().reason, "in_the_past");
  auto req = Request("2025-03-11T09:30:00-04:00");
  req.patient_id = 999999;
  auto r = appointments_->Book(coord_, req);
  EXPECT_EQ(r.error().field, "patient_id");
  auto conn = pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM appointments")->Int(0, 0), 0);  // nothing half-written
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM slot_claims")->Int(0, 0), 0);
}

TEST_P(AppointmentServiceTest, NoShowOnlyAfterStart) {
  auto booked = appointments_->Book(coord_, Request("2025-03-10T11:00:00-04:00"));
  EXPECT_EQ(appointments_->MarkNoShow(coord_, booked->row.id).error().reason, "not_started");
  clock_.Advance(std::chrono::minutes(75));
  auto ns = appointments_->MarkNoShow(coord_, booked->row.id);
  ASSERT_TRUE(ns.ok()) << ns.error().message;
  EXPECT_EQ(ns->row.status, "no_show");
}

TEST_P(AppointmentServiceTest, TelehealthCarriesJoinLink) {
  auto req = Request("2025-03-11T10:00:00-04:00");
  req.appointment_type_id = tele_.id;
  auto booked = appointments_->Book(coord_, req);
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_TRUE(booked->join_url.starts_with("https://visit.example.org/")) << booked->join_url;
  EXPECT_GT(booked->join_url.size(), std::string("https://visit.example.org/").size() + 10);
}

TEST_P(AppointmentServiceTest, ChangesInAnotherProcessReachTheEngine) {
  // Another process closes Wednesdays; after the version check interval this
  // process's engine no longer offers them.
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("DELETE FROM availability_templates WHERE weekday = 3").ok());
    ASSERT_TRUE(conn->Exec("UPDATE settings SET value = '999' WHERE key = 'schedule_version'").ok());
  }
  clock_.Advance(std::chrono::seconds(2));
  auto r = appointments_->Book(coord_, Request("2025-03-12T14:00:00-04:00"));
  EXPECT_EQ(r.error().reason, "not_a_slot");
}

// Search by exact criteria (FHIR's Appointment search): each criterion narrows, pages follow by key in start
// order, the count counts every match, and every patient shown or named is audited.
TEST_P(AppointmentServiceTest, SearchNarrowsPagesByStartAndAudits) {
  const int64_t other = InsertPatient("Mary", "Jones");
  std::vector<int64_t> ids;
  for (const char* at : {"2025-03-12T09:00:00-04:00", "2025-03-11T09:00:00-04:00", "2025-03-11T10:00:00-04:00"}) {
    auto booked = appointments_->Book(coord_, Request(at));
    ASSERT_TRUE(booked.ok()) << booked.error().message;
    ids.push_back(booked->row.id);
  }
  auto theirs = Request("2025-03-13T09:00:00-04:00");
  theirs.patient_id = other;
  const int64_t other_id = appointments_->Book(coord_, theirs)->row.id;
  ASSERT_TRUE(appointments_->Cancel(coord_, ids[2], "patient asked").ok());

  AppointmentCriteria q;
  q.patients = {{patient_id_}};
  q.page.by_time = true;
  q.page.limit = 2;
  auto first = appointments_->Search(coord_, q, true, true);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->rows.size(), 2u);
  EXPECT_EQ(first->rows[0].id, ids[1]);  // 11th 09:00, then 10:00, then the 12th
  EXPECT_EQ(first->rows[1].id, ids[2]);
  EXPECT_TRUE(first->more);
  EXPECT_EQ(first->total, 3);
  q.page.after_id = first->rows[1].id;
  q.page.after_time = first->rows[1].start_at;
  auto second = appointments_->Search(coord_, q, false, true);
  ASSERT_EQ(second->rows.size(), 1u);
  EXPECT_EQ(second->rows[0].id, ids[0]);
  EXPECT_FALSE(second->more);
  EXPECT_FALSE(second->total);

  AppointmentCriteria booked_on_11th;
  booked_on_11th.statuses = {{"booked"}};
  booked_on_11th.start = {{{DateMatch::Op::kEq, ToMillis(At("2025-03-11T04:00:00Z")), ToMillis(At("2025-03-12T04:00:00Z"))}}};
  auto day = appointments_->Search(coord_, booked_on_11th, true, true);
  ASSERT_EQ(day->rows.size(), 1u);
  EXPECT_EQ(day->rows[0].id, ids[1]);
  EXPECT_EQ(day->total, 1);

  AppointmentCriteria by_everyone;  // OR within a criterion, AND across them
  by_everyone.patients = {{patient_id_, other}};
  by_everyone.providers = {{provider_.id}};
  by_everyone.locations = {{location_.id}};
  by_everyone.types = {{visit_.id, tele_.id}};
  by_everyone.page.descending = true;
  auto all = appointments_->Search(coord_, by_everyone, true, true);
  ASSERT_EQ(all->rows.size(), 4u);
  EXPECT_EQ(all->rows[0].id, other_id);  // id order, descending
  AppointmentCriteria nobody = by_everyone;
  nobody.types = {{tele_.id}};
  EXPECT_EQ(appointments_->Search(coord_, nobody, true, true)->total, 0);

  db::AuditFilter f;
  f.action = "search";
  auto audited = audit_->Search(f);
  ASSERT_TRUE(audited.ok());
  std::set<std::optional<int64_t>> patients;
  for (const auto& e : *audited) {
    EXPECT_EQ(e.category, "appointment");
    patients.insert(e.patient_id);
  }
  EXPECT_EQ(patients, (std::set<std::optional<int64_t>>{patient_id_, other}));
}

CAREDESK_INSTANTIATE_BACKENDS(AppointmentServiceTest);

}  // namespace
}  // namespace caredesk
