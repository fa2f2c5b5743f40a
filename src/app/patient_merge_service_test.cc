#include "app/patient_merge_service.h"

#include <atomic>
#include <thread>

#include "app/scheduling_fixture.h"
#include "storage/patient_identifier_repository.h"
#include "storage/patient_repository.h"

namespace caredesk {
namespace {

class PatientMergeServiceTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    patients_ = std::make_unique<PatientService>(pool(), clock_, *audit_, std::chrono::milliseconds(0));
    ASSERT_TRUE(patients_->LoadIndex().ok());
    merges_ = std::make_unique<PatientMergeService>(pool(), clock_, *audit_, *patients_);
    // The duplicate: registered again, typed differently, with an appointment, a visit, a coverage, a
    // consent and an identifier from another system.
    Patient dup;
    dup.given_name = "Jon";
    dup.family_name = "Smith";
    dup.birth_date = {1980, 1, 2};
    dup.sex = "male";
    dup.coverages.push_back(Coverage{0, "Aetna", "W1", "", "self", std::nullopt, std::nullopt});
    dup.consents.push_back(Consent{"sms", true, {2025, 1, 5}});
    auto registered = patients_->Register(coord_, dup, true);
    ASSERT_TRUE(registered.ok() && registered->patient) << registered.error().message;
    dup_id_ = registered->patient->id;
    auto booking = Request("2025-03-11T09:30:00-04:00");
    booking.patient_id = dup_id_;
    auto booked = appointments_->Book(coord_, booking);
    ASSERT_TRUE(booked.ok()) << booked.error().message;
    dup_appointment_ = booked->row.id;
    auto visit = flow_->WalkIn(coord_, dup_id_, location_.id, std::nullopt);
    ASSERT_TRUE(visit.ok()) << visit.error().message;
    dup_encounter_ = visit->row.id;
    auto conn = pool().Acquire();
    ASSERT_TRUE(db::PatientIdentifierRepository::Add(*conn, {dup_id_, "urn:oid:1.2.3", "X-77", "MR"}, 0).ok());
    // The record that stays has an appointment of its own.
    auto own = appointments_->Book(coord_, Request("2025-03-11T10:30:00-04:00"));
    ASSERT_TRUE(own.ok()) << own.error().message;
    own_appointment_ = own->row.id;
  }

  int64_t PatientOf(const char* table, int64_t id) {
    auto conn = pool().Acquire();
    auto rs = conn->Query(std::string("SELECT patient_id FROM ") + table + " WHERE id = $1", {id});
    EXPECT_TRUE(rs.ok() && !rs->empty());
    return rs->Int(0, 0);
  }

  std::unique_ptr<PatientService> patients_;
  std::unique_ptr<PatientMergeService> merges_;
  int64_t dup_id_ = 0, dup_appointment_ = 0, dup_encounter_ = 0, own_appointment_ = 0;
};

TEST_P(PatientMergeServiceTest, MergeMovesEverythingAndClosesTheDuplicate) {
  auto merged = merges_->Merge(admin_, patient_id_, dup_id_, "same person, registered twice");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->moved.at("appointments"), 1);
  EXPECT_EQ(merged->moved.at("encounters"), 1);
  EXPECT_EQ(merged->moved.at("coverages"), 1);
  EXPECT_EQ(merged->moved.at("consents"), 1);
  EXPECT_EQ(merged->moved.at("identifiers"), 1);
  EXPECT_EQ(merged->merged_name, "Jon Smith");
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), patient_id_);
  EXPECT_EQ(PatientOf("encounters", dup_encounter_), patient_id_);

  auto survivor = patients_->Get(admin_, patient_id_);
  ASSERT_TRUE(survivor.ok());
  ASSERT_EQ(survivor->coverages.size(), 1u);
  EXPECT_EQ(survivor->coverages[0].payer, "Aetna");
  EXPECT_EQ(survivor->consents.size(), 1u);
  EXPECT_FALSE(survivor->merged_into);
  auto dup = patients_->Get(admin_, dup_id_);
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->merged_into, patient_id_);
  EXPECT_TRUE(dup->coverages.empty());
  {
    auto conn = pool().Acquire();
    auto ids = db::PatientIdentifierRepository::ForPatient(*conn, patient_id_);
    ASSERT_EQ(ids->size(), 1u);
    EXPECT_EQ(ids->front().value, "X-77");
  }

  // Out of search, closed to bookings, visits and edits.
  auto hits = patients_->Search(coord_, "Jon Smith", 10, 0);
  ASSERT_TRUE(hits.ok());
  for (const auto& h : *hits) EXPECT_NE(h.patient.id, dup_id_);
  auto booking = Request("2025-03-12T09:30:00-04:00");
  booking.patient_id = dup_id_;
  auto refused = appointments_->Book(coord_, booking);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "patient_merged");
  EXPECT_EQ(refused.error().field, "patient_id");
  auto walk_in = flow_->WalkIn(coord_, dup_id_, location_.id, std::nullopt);
  ASSERT_FALSE(walk_in.ok());
  EXPECT_EQ(walk_in.error().reason, "patient_merged");
  auto edit = patients_->Update(coord_, dup_id_, *dup, std::nullopt);
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().reason, "patient_merged");

  // Audited against both, with the reason.
  auto on_dup = AuditOf(dup_id_);
  ASSERT_TRUE(std::any_of(on_dup.begin(), on_dup.end(), [](const AuditRecord& r) {
    return r.action == "merge" && r.detail.find("same person") != std::string::npos;
  }));
  auto on_survivor = AuditOf(patient_id_);
  EXPECT_TRUE(std::any_of(on_survivor.begin(), on_survivor.end(), [](const AuditRecord& r) {
    return r.action == "merge" && r.detail.find("1 appointments") != std::string::npos;
  }));
}

TEST_P(PatientMergeServiceTest, UnmergeMovesBackOnlyWhatTheMergeMoved) {
  auto merged = merges_->Merge(admin_, patient_id_, dup_id_, "looked the same");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  // Booked for the survivor after the merge: stays with it.
  auto later = appointments_->Book(coord_, Request("2025-03-12T09:30:00-04:00"));
  ASSERT_TRUE(later.ok()) << later.error().message;

  auto undone = merges_->Unmerge(admin_, merged->id, "twins, not the same person");
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_TRUE(undone->undone_at_ms);
  EXPECT_EQ(undone->undone_by, "admin");
  EXPECT_EQ(undone->moved.at("appointments"), 1);
  EXPECT_EQ(undone->moved.at("identifiers"), 1);
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), dup_id_);
  EXPECT_EQ(PatientOf("encounters", dup_encounter_), dup_id_);
  EXPECT_EQ(PatientOf("appointments", own_appointment_), patient_id_);
  EXPECT_EQ(PatientOf("appointments", later->row.id), patient_id_);
  auto dup = patients_->Get(admin_, dup_id_);
  ASSERT_TRUE(dup.ok());
  EXPECT_FALSE(dup->merged_into);
  EXPECT_EQ(dup->coverages.size(), 1u);
  EXPECT_TRUE(patients_->Get(admin_, patient_id_)->coverages.empty());
  // Searchable again.
  auto hits = patients_->Search(coord_, "Jon Smith", 10, 0);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(std::any_of(hits->begin(), hits->end(), [&](const PatientSummary& h) { return h.patient.id == dup_id_; }));

  auto again = merges_->Unmerge(admin_, merged->id, "twice");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "already_undone");

  auto history = merges_->ForPatient(admin_, dup_id_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().undo_reason, "twins, not the same person");
  EXPECT_EQ(history->front().moved.at("appointments"), 1);  // what the merge moved
}

TEST_P(PatientMergeServiceTest, RefusesWhatCannotBeMerged) {
  auto self = merges_->Merge(admin_, patient_id_, patient_id_, "");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "merged_id");
  auto unknown = merges_->Merge(admin_, patient_id_, 999999, "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(unknown.error().field, "merged_id");
  auto no_survivor = merges_->Merge(admin_, 999999, dup_id_, "");
  ASSERT_FALSE(no_survivor.ok());
  EXPECT_EQ(no_survivor.error().code, ErrorCode::kNotFound);
  auto long_reason = merges_->Merge(admin_, patient_id_, dup_id_, std::string(501, 'x'));
  ASSERT_FALSE(long_reason.ok());
  EXPECT_EQ(long_reason.error().field, "reason");

  ASSERT_TRUE(merges_->Merge(admin_, patient_id_, dup_id_, "").ok());
  auto twice = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().reason, "already_merged");
  EXPECT_EQ(twice.error().field, "merged_id");
  auto into_merged = merges_->Merge(admin_, dup_id_, patient_id_, "");
  ASSERT_FALSE(into_merged.ok());
  EXPECT_EQ(into_merged.error().reason, "patient_merged");
  EXPECT_EQ(into_merged.error().field, "survivor_id");
  // Nothing half-written: the refused merges left no trace.
  EXPECT_EQ(merges_->ForPatient(admin_, patient_id_)->size(), 1u);
}

// What the observer moves is counted in the merge; when it fails, the merge or unmerge is not written at all.
TEST_P(PatientMergeServiceTest, TheObserverMovesWithTheMergeOrNothingMoves) {
  struct Observer : PatientMergeObserver {
    std::string_view Kind() const override { return "elsewhere"; }
    Result<int64_t> Merged(db::Connection&, const Actor&, const db::PatientMergeRow& m, int64_t) override {
      if (fail) return Error::Internal("the disk is full");
      seen.push_back(m.merged_id);
      return 3;
    }
    Result<int64_t> Unmerged(db::Connection&, const Actor&, const db::PatientMergeRow& m, int64_t) override {
      if (fail) return Error::Internal("the disk is full");
      seen.push_back(-m.merged_id);
      return 2;
    }
    bool fail = true;
    std::vector<int64_t> seen;
  } observer;
  merges_->UseObserver(&observer);
  auto refused = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), dup_id_) << "rolled back";
  EXPECT_TRUE(merges_->ForPatient(admin_, patient_id_)->empty());

  observer.fail = false;
  auto merged = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->moved.at("elsewhere"), 3);
  bool audited = false;
  for (const AuditRecord& r : AuditOf(patient_id_)) audited |= r.detail.find("3 elsewhere") != std::string::npos;
  EXPECT_TRUE(audited) << "the survivor's merge entry names what moved";

  observer.fail = true;
  ASSERT_FALSE(merges_->Unmerge(admin_, merged->id, "").ok());
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), patient_id_) << "the unmerge rolled back";
  observer.fail = false;
  auto undone = merges_->Unmerge(admin_, merged->id, "");
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_EQ(undone->moved.at("elsewhere"), 2);
  EXPECT_EQ(observer.seen, (std::vector<int64_t>{dup_id_, -dup_id_}));
  merges_->UseObserver(nullptr);
}

// A merge into a record that is then merged itself cannot be undone until that second merge is.
TEST_P(PatientMergeServiceTest, UnmergeWaitsForTheSurvivorsOwnMerge) {
  int64_t third = InsertPatient("Johnny", "Smith");
  auto first = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_TRUE(first.ok());
  auto second = merges_->Merge(admin_, third, patient_id_, "");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), third);
  auto blocked = merges_->Unmerge(admin_, first->id, "");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().reason, "patient_merged");
  ASSERT_TRUE(merges_->Unmerge(admin_, second->id, "").ok());
  ASSERT_TRUE(merges_->Unmerge(admin_, first->id, "").ok());
  EXPECT_EQ(PatientOf("appointments", dup_appointment_), dup_id_);
  EXPECT_EQ(PatientOf("appointments", own_appointment_), patient_id_);
}

// One survey opt-out per patient: the duplicate's moves only when the survivor has none, and moves back.
TEST_P(PatientMergeServiceTest, ASurveyOptOutMovesOnlyToASurvivorWithoutOne) {
  auto opt_out = [&](int64_t patient, const char* via) {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("INSERT INTO survey_opt_outs (patient_id, at, via) VALUES ($1, 0, $2)", {patient, via}).ok());
  };
  auto via_of = [&](int64_t patient) -> std::string {
    auto conn = pool().Acquire();
    auto rs = conn->Query("SELECT via FROM survey_opt_outs WHERE patient_id = $1", {patient});
    EXPECT_TRUE(rs.ok());
    return rs.ok() && !rs->empty() ? rs->Text(0, 0) : "";
  };
  opt_out(dup_id_, "link");
  auto merged = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->moved.at("survey_opt_outs"), 1);
  EXPECT_EQ(via_of(patient_id_), "link");
  auto undone = merges_->Unmerge(admin_, merged->id, "");
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_EQ(via_of(dup_id_), "link");
  EXPECT_EQ(via_of(patient_id_), "");

  opt_out(patient_id_, "staff");  // the survivor's own stays; the duplicate's stays behind
  auto again = merges_->Merge(admin_, patient_id_, dup_id_, "");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->moved.count("survey_opt_outs"), 0u);
  EXPECT_EQ(via_of(patient_id_), "staff");
  EXPECT_EQ(via_of(dup_id_), "link");
  // The history counts what each merge moved.
  auto history = merges_->ForPatient(admin_, patient_id_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(0).moved.count("survey_opt_outs"), 0u);
  EXPECT_EQ(history->at(1).moved.at("survey_opt_outs"), 1);
  EXPECT_EQ(history->at(1).moved.at("identifiers"), 1);
}

// Another server sharing the database learns of a merge through the change feed.
TEST_P(PatientMergeServiceTest, AnotherProcessesIndexDropsTheMergedRecord) {
  PatientService other(pool(), clock_, *audit_, std::chrono::milliseconds(0));
  ASSERT_TRUE(other.LoadIndex().ok());
  auto before = other.Search(coord_, "Jon Smith", 10, 0);
  ASSERT_TRUE(std::any_of(before->begin(), before->end(), [&](const PatientSummary& h) { return h.patient.id == dup_id_; }));
  ASSERT_TRUE(merges_->Merge(admin_, patient_id_, dup_id_, "").ok());
  auto after = other.Search(coord_, "Jon Smith", 10, 0);
  ASSERT_TRUE(after.ok());
  for (const auto& h : *after) EXPECT_NE(h.patient.id, dup_id_);
  PatientService fresh(pool(), clock_, *audit_, std::chrono::milliseconds(0));
  ASSERT_TRUE(fresh.LoadIndex().ok());
  EXPECT_EQ(fresh.indexed(), other.indexed());
}

// Two servers on one PostgreSQL: a booking (or walk-in, or case) that checked the duplicate before the merge
// is waited for, and what it wrote moves too; one that checks while a merge is under way waits, then is
// refused. (SQLite serialises writers, so neither can interleave there.)
TEST_P(PatientMergeServiceTest, MergesAndWritersOfTheDuplicateDoNotInterleave) {
  if (GetParam() != testing::Backend::kPostgres) GTEST_SKIP() << "SQLite serialises writers";
  using namespace std::chrono_literals;
  {
    auto writer = pool().Acquire();
    ASSERT_TRUE(writer->Begin(true).ok());
    ASSERT_TRUE(RequireCurrentPatient(*writer, dup_id_).ok());
    std::atomic<bool> merged{false};
    std::thread merging([&] {
      auto m = merges_->Merge(admin_, patient_id_, dup_id_, "");
      EXPECT_TRUE(m.ok()) << m.error().message;
      merged = true;
    });
    std::this_thread::sleep_for(300ms);
    EXPECT_FALSE(merged.load()) << "the merge did not wait for the writer";
    ASSERT_TRUE(writer->Exec("INSERT INTO consents (patient_id, kind, granted, date) VALUES ($1, 'email', 1, "
                             "'2025-01-01')", {dup_id_}).ok());
    ASSERT_TRUE(writer->Commit().ok());
    merging.join();
    ASSERT_TRUE(merged.load());
  }
  EXPECT_EQ(patients_->Get(admin_, patient_id_)->consents.size(), 2u);  // the duplicate's and the writer's

  const int64_t third = InsertPatient("Johnny", "Smith");
  auto merger = pool().Acquire();
  ASSERT_TRUE(merger->Begin(true).ok());
  ASSERT_TRUE(db::PatientMergeRepository::Merge(*merger, patient_id_, third, 0, "admin", "").ok());
  std::atomic<bool> checked{false};
  Status seen = Ok();
  std::thread writing([&] {
    auto writer = pool().Acquire();
    seen = db::InTransaction(*writer, true, [&](db::Connection& c) -> Status {
      CD_RETURN_IF_ERROR(RequireCurrentPatient(c, third));
      return Ok();
    });
    checked = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(checked.load()) << "the writer did not wait for the merge";
  ASSERT_TRUE(merger->Commit().ok());
  writing.join();
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.error().reason, "patient_merged");
}

CAREDESK_INSTANTIATE_BACKENDS(PatientMergeServiceTest);

}  // namespace
}  // namespace caredesk
