// The ledger of FHIR bulk jobs on both databases: a job outlives the ledger (the server process) that ran it,
// a job whose process died is failed as interrupted and no longer holds the import slot, one import at a
// time and at most two exports over all processes, deleting a job running in another process stops it,
// expiry deletes a job and its files, and another user's jobs are not found.
#include "fhir/bulk_jobs.h"

#include <fstream>
#include <thread>

#include "app/app_test_fixture.h"
#include "fhir/import_jobs.h"

namespace caredesk::fhir {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class BulkJobsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    dir_ = fs::temp_directory_path() /
           ("caredesk-bulk-jobs-" + std::to_string(::getpid()) + "-" + testing::BackendName(GetParam()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A ledger as a server process has one; `tick` long enough means it never beats on its own.
  std::unique_ptr<BulkJobs> Ledger(std::chrono::milliseconds tick = 1h) {
    BulkJobs::Options o;
    o.tick = tick;
    return std::make_unique<BulkJobs>(pool(), clock_, dir_, o);
  }

  void WriteFile(const BulkJobs::Running& job, const std::string& name) {
    std::ofstream(job.dir() / name) << "{}\n";
  }

  fs::path dir_;
  Actor admin_{1, "admin", Role::kAdmin, "127.0.0.1", 1};
  Actor other_{2, "other", Role::kAdmin, "127.0.0.1", 2};
};

TEST_P(BulkJobsTest, AFinishedJobAndItsFilesOutliveTheProcessThatRanIt) {
  std::string id;
  {
    auto first = Ledger();
    auto job = first->Begin(BulkKind::kExport, admin_, "http://x/fhir/R4/$export");
    ASSERT_TRUE(job.ok()) << job.error().message;
    id = (*job)->id();
    WriteFile(**job, "Patient-1.ndjson");
    (*job)->Report("", 7, 0);
    clock_.Advance(5s);
    first->Finish(**job, R"({"files":[{"type":"Patient","name":"Patient-1.ndjson","count":7}]})", std::nullopt);
  }
  clock_.Advance(1h);
  auto second = Ledger();
  auto found = second->Find(admin_, BulkKind::kExport, id);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->state, BulkJob::State::kDone);
  EXPECT_EQ(found->done, 7);
  EXPECT_EQ(found->request_url, "http://x/fhir/R4/$export");
  EXPECT_NE(found->result.find("Patient-1.ndjson"), std::string::npos);
  ASSERT_TRUE(found->expires_at.has_value());
  EXPECT_EQ(*found->expires_at, FromMillis(1741615200000) + 5s + 24h) << "a day after it ended";
  auto path = second->FilePath(*found, "Patient-1.ndjson");
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(fs::exists(*path)) << "the files stay with the job";
  auto listed = second->List(admin_, BulkKind::kExport, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, id);
  EXPECT_TRUE(second->List(admin_, BulkKind::kImport, 10)->empty());
}

TEST_P(BulkJobsTest, AJobWhoseProcessDiedIsInterruptedAndFreesTheImportSlot) {
  auto dead = Ledger();  // never beats: as if its process had stopped
  auto job = dead->Begin(BulkKind::kImport, admin_, "");
  ASSERT_TRUE(job.ok()) << job.error().message;
  WriteFile(**job, "input.ndjson");
  auto alive = Ledger();
  auto blocked = alive->Begin(BulkKind::kImport, admin_, "");
  ASSERT_FALSE(blocked.ok()) << "one import at a time, over both processes";
  EXPECT_EQ(blocked.error().reason, "import_running");

  clock_.Advance(31s);
  auto found = alive->Find(admin_, BulkKind::kImport, (*job)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, BulkJob::State::kFailed);
  EXPECT_EQ(found->error.code, ErrorCode::kUnavailable);
  EXPECT_NE(found->error.message.find("interrupted"), std::string::npos) << found->error.message;

  auto next = alive->Begin(BulkKind::kImport, admin_, "");
  ASSERT_TRUE(next.ok()) << "the dead import no longer blocks: " << next.error().message;
  EXPECT_FALSE(fs::exists((*job)->dir())) << "the dead job's half-written files are deleted";
  found = alive->Find(admin_, BulkKind::kImport, (*job)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, BulkJob::State::kFailed) << "recorded as failed, not only seen so";
  EXPECT_TRUE(found->expires_at.has_value());
}

TEST_P(BulkJobsTest, ABeatingJobIsNotInterrupted) {
  auto ledger = Ledger(10ms);
  auto job = ledger->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  (*job)->Report("", 42, 0);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(20s);
    std::this_thread::sleep_for(100ms);  // several beats at the new time
  }
  auto other = Ledger();
  auto found = other->Find(admin_, BulkKind::kExport, (*job)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, BulkJob::State::kRunning) << "60 s on, but it beat every 10 ms";
  EXPECT_EQ(found->done, 42) << "another process sees the progress of the last beat";
  ledger->Finish(**job, R"({"files":[]})", std::nullopt);
}

TEST_P(BulkJobsTest, AtMostTwoExportsRunOverAllProcesses) {
  auto a = Ledger(), b = Ledger();
  auto one = a->Begin(BulkKind::kExport, admin_, "");
  auto two = b->Begin(BulkKind::kExport, other_, "");
  ASSERT_TRUE(one.ok() && two.ok());
  auto three = a->Begin(BulkKind::kExport, admin_, "");
  ASSERT_FALSE(three.ok());
  EXPECT_EQ(three.error().reason, "too_many_exports");
  b->Finish(**two, R"({"files":[]})", std::nullopt);
  EXPECT_TRUE(a->Begin(BulkKind::kExport, admin_, "").ok()) << "one has ended";
}

TEST_P(BulkJobsTest, DeletingAJobRunningInAnotherProcessStopsIt) {
  auto runner = Ledger(10ms);
  auto job = runner->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  WriteFile(**job, "Patient-1.ndjson");
  auto other = Ledger();
  ASSERT_TRUE(other->Remove(admin_, BulkKind::kExport, (*job)->id()).ok());
  for (int i = 0; i < 500 && !(*job)->stop_requested(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE((*job)->stop_requested()) << "the running process hears of it at its next beat";
  runner->Finish(**job, "", Error::Internal("stopped"));
  EXPECT_FALSE(fs::exists((*job)->dir())) << "a deleted job's files go when its thread ends";
  auto found = other->Find(admin_, BulkKind::kExport, (*job)->id());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
}

TEST_P(BulkJobsTest, ARunningImportIsNotDeletedAndAFinishedOneIs) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kImport, admin_, "");
  ASSERT_TRUE(job.ok());
  auto refused = ledger->Remove(admin_, BulkKind::kImport, (*job)->id());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "import_running");
  ledger->Finish(**job, ImportReportJson(ImportReport{}), std::nullopt);
  ASSERT_TRUE(ledger->Remove(admin_, BulkKind::kImport, (*job)->id()).ok());
  EXPECT_FALSE(ledger->Find(admin_, BulkKind::kImport, (*job)->id()).ok());
  EXPECT_FALSE(fs::exists((*job)->dir()));
}

TEST_P(BulkJobsTest, AnExpiredJobIsDeletedWithItsFiles) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  WriteFile(**job, "Patient-1.ndjson");
  ledger->Finish(**job, R"({"files":[{"type":"Patient","name":"Patient-1.ndjson","count":1}]})", std::nullopt);
  clock_.Advance(23h);
  ledger->Sweep();
  EXPECT_TRUE(ledger->Find(admin_, BulkKind::kExport, (*job)->id()).ok()) << "not yet a day";
  clock_.Advance(2h);
  ledger->Sweep();
  auto found = ledger->Find(admin_, BulkKind::kExport, (*job)->id());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists((*job)->dir()));
}

TEST_P(BulkJobsTest, AnOldJobDirectoryWithoutARowIsDeletedAndNothingElse) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  const auto make = [&](const std::string& name, std::chrono::hours age) {
    fs::create_directories(dir_ / name);
    std::ofstream(dir_ / name / "Patient-1.ndjson") << "{}\n";
    fs::last_write_time(dir_ / name, fs::file_time_type::clock::now() - age);
  };
  const std::string orphan(24, 'o'), fresh(24, 'f');
  make(orphan, 26h);
  make(fresh, 1h);             // written to lately: perhaps a job another process is starting
  make("imports", 26h);        // not a job's name
  fs::last_write_time((*job)->dir(), fs::file_time_type::clock::now() - 26h);  // a row of its own
  ledger->Sweep();
  EXPECT_FALSE(fs::exists(dir_ / orphan));
  EXPECT_TRUE(fs::exists(dir_ / fresh));
  EXPECT_TRUE(fs::exists(dir_ / "imports"));
  EXPECT_TRUE(fs::exists((*job)->dir())) << "a job's directory stays while its row does";
  ledger->Finish(**job, R"({"files":[]})", std::nullopt);
}

TEST_P(BulkJobsTest, AnotherUsersJobOrOneOfTheOtherKindIsNotFound) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(ledger->Find(other_, BulkKind::kExport, (*job)->id()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger->Find(admin_, BulkKind::kImport, (*job)->id()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger->Remove(other_, BulkKind::kExport, (*job)->id()).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(ledger->List(other_, BulkKind::kExport, 10)->empty());
  ledger->Finish(**job, R"({"files":[]})", std::nullopt);
}

TEST_P(BulkJobsTest, AFailedJobKeepsWhoseFaultItWas) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kImport, admin_, "");
  ASSERT_TRUE(job.ok());
  ledger->Finish(**job, "", Error::Invalid("body", "no resource could be read"));
  auto other = Ledger();
  auto found = other->Find(admin_, BulkKind::kImport, (*job)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, BulkJob::State::kFailed);
  EXPECT_EQ(found->error.code, ErrorCode::kInvalidArgument) << "the client's: a 400";
  EXPECT_EQ(found->error.field, "body");
  EXPECT_EQ(found->error.message, "no resource could be read");
}

TEST_P(BulkJobsTest, AFileNameOutsideTheJobIsNotFound) {
  auto ledger = Ledger();
  auto job = ledger->Begin(BulkKind::kExport, admin_, "");
  ASSERT_TRUE(job.ok());
  auto found = ledger->Find(admin_, BulkKind::kExport, (*job)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(ledger->FilePath(*found, "../other/Patient-1.ndjson").ok());
  EXPECT_FALSE(ledger->FilePath(*found, "..").ok());
  EXPECT_FALSE(ledger->FilePath(*found, "").ok());
  EXPECT_TRUE(ledger->FilePath(*found, "Patient-1.ndjson").ok());
  ledger->Finish(**job, R"({"files":[]})", std::nullopt);
}

TEST(ImportReportJsonTest, AReportReadsBackAsWritten) {
  ImportReport r;
  r.read = 12;
  r.written = {{"Patient", 3}, {"Observation", 8}};
  r.patients_created = 2;
  r.patients_updated = 1;
  r.skipped = {{"Location", 1}};
  r.failed = 1;
  r.errors = {"line 4: not JSON \"quoted\""};
  r.warnings = {"Encounter/e1: no location"};
  ImportReport back = ReadImportReport(ImportReportJson(r));
  EXPECT_EQ(back.read, 12);
  EXPECT_EQ(back.written, r.written);
  EXPECT_EQ(back.patients_created, 2);
  EXPECT_EQ(back.patients_updated, 1);
  EXPECT_EQ(back.skipped, r.skipped);
  EXPECT_EQ(back.failed, 1);
  EXPECT_EQ(back.errors, r.errors);
  EXPECT_EQ(back.warnings, r.warnings);
  EXPECT_EQ(ReadImportReport("not json").read, 0) << "what cannot be read is left empty";
}

CAREDESK_INSTANTIATE_BACKENDS(BulkJobsTest);

}  // namespace
}  // namespace caredesk::fhir
