#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "storage/appointment_repository.h"
#include "storage/hl7_appointment_id_repository.h"
#include "storage/hl7_outbound_repository.h"
#include "storage/hl7_message_repository.h"
#include "storage/migrations.h"
#include "storage/patient_identifier_repository.h"
#include "storage/fhir_resource_repository.h"
#include "storage/fhir_source_repository.h"
#include "domain/patients/name_match.h"
#include "storage/patient_repository.h"
#include "storage/patient_search_repository.h"
#include "storage/pool.h"
#include "storage/schedule_repository.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/testing/test_database.h"

namespace caredesk::db {
namespace {

using testing::Backend;
using testing::TestDatabase;

// A SQLite file of one test under the test temp directory: gone, with its WAL
// and shared-memory files, before the test and after it. Declare it before
// anything that opens the file, so that those close first.
struct ScratchSqlite {
  explicit ScratchSqlite(const std::string& name) : path(::testing::TempDir() + name) { Remove(); }
  ~ScratchSqlite() { Remove(); }
  void Remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }
  const std::string path;
};

// A patient with what the patients table requires.
Patient Ada() {
  Patient p;
  p.given_name = "Ada";
  p.family_name = "Lovelace";
  p.birth_date = {1980, 1, 2};
  p.sex = "female";
  p.preferred_contact_method = "phone";
  return p;
}

class StorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST(Placeholders, RewrittenForSqliteOutsideQuotes) {
  EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT '$1', $1, \"$2\" WHERE a = $12"),
            "SELECT '$1', ?1, \"$2\" WHERE a = ?12");
}

TEST(QueryHelpers, IdListsAndContainsPatterns) {
  EXPECT_EQ(IdListParam(Dialect::kSqlite, {3, 1, 2}), "[3,1,2]");
  EXPECT_EQ(IdListParam(Dialect::kPostgres, {3, 1, 2}), "{3,1,2}");
  EXPECT_EQ(IdListParam(Dialect::kSqlite, {}), "[]");
  EXPECT_EQ(ContainsPattern("50%_Off!"), "%50!%!_off!!%");
  EXPECT_EQ(ContainsPattern(""), "");
}

TEST_P(StorageTest, TextListsReachTheQueryUnchangedOnBothEngines) {
  const std::vector<std::string> texts{"urn:uuid:1", "quote \" and back\\slash", "line\nbreak\ttab", "ünïcode", ""};
  auto conn = db_->pool().Acquire();
  auto rs = conn->Query(conn->dialect() == Dialect::kPostgres ? "SELECT jsonb_array_elements_text($1::jsonb)"
                                                              : "SELECT value FROM json_each($1)",
                        {TextListParam(texts)});
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  std::vector<std::string> back;
  for (size_t i = 0; i < rs->size(); ++i) back.push_back(rs->Text(i, 0));
  EXPECT_EQ(back, texts);
  EXPECT_EQ(TextListParam({}), "[]");
}

// The names an import's source gave resources: one looked up alone, several at once, a second target for a
// name replacing the first.
TEST_P(StorageTest, ImportNamesAreFoundAloneOrTogether) {
  auto conn = db_->pool().Acquire();
  ASSERT_TRUE(FhirResourceRepository::PutImportName(*conn, "urn:uuid:a", "Patient/7").ok());
  ASSERT_TRUE(FhirResourceRepository::PutImportName(*conn, "location-of:Organization/x", "Location/3").ok());
  ASSERT_TRUE(FhirResourceRepository::PutImportName(*conn, "urn:uuid:a", "Patient/8").ok());
  auto one = FhirResourceRepository::ImportName(*conn, "urn:uuid:a");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(*one, std::optional<std::string>("Patient/8"));
  auto none = FhirResourceRepository::ImportName(*conn, "urn:uuid:b");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto both = FhirResourceRepository::ImportNames(*conn, {"urn:uuid:a", "urn:uuid:b", "location-of:Organization/x"});
  ASSERT_TRUE(both.ok());
  std::sort(both->begin(), both->end());
  EXPECT_EQ(*both, (std::vector<std::pair<std::string, std::string>>{{"location-of:Organization/x", "Location/3"},
                                                                      {"urn:uuid:a", "Patient/8"}}));
}

// What a patient merge moves is read locked on PostgreSQL: a writer of one of those resources waits for the
// merge (here: NOWAIT fails) instead of slipping a version in between the read and the merge's write.
TEST_P(StorageTest, APatientsResourcesReadToMoveAreLocked) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "SQLite's writers take turns";
  auto a = db_->pool().Acquire();
  FhirResourceRow row;
  row.resource_type = "Condition";
  row.id = "c1";
  row.version = 1;
  row.patient_id = 42;
  row.body = R"({"resourceType":"Condition","id":"c1"})";
  ASSERT_TRUE(FhirResourceRepository::Insert(*a, row).ok());
  auto b = db_->pool().Acquire();
  const auto writer_blocked = [&] {
    auto r = InTransaction(*b, true, [](Connection& c) {
      return c.Query("SELECT 1 FROM fhir_resources WHERE id = 'c1' FOR UPDATE NOWAIT");
    });
    return !r.ok();
  };
  ASSERT_TRUE(a->Begin(true).ok());
  auto unlocked = FhirResourceRepository::OfPatient(*a, 42);
  ASSERT_TRUE(unlocked.ok() && unlocked->size() == 1u);
  EXPECT_FALSE(writer_blocked()) << "a plain read locks nothing";
  auto locked = FhirResourceRepository::OfPatient(*a, 42, /*lock=*/true);
  ASSERT_TRUE(locked.ok() && locked->size() == 1u);
  EXPECT_TRUE(writer_blocked());
  a->Rollback();
  EXPECT_FALSE(writer_blocked()) << "released with the transaction";
}

// A page of 1,000 patients asks for their appointments, encounters and coverages by 1,000 ids at once; SQLite
// refuses expressions more than 1,000 deep, so the alternatives of one criterion are one IN list.
TEST_P(StorageTest, AThousandAlternativesOfOneCriterionAreOneInList) {
  AnyOf<int64_t> many;
  for (int64_t id = 1; id <= 1500; ++id) many.push_back(id);
  auto conn = db_->pool().Acquire();
  AppointmentCriteria appointments;
  appointments.patients.push_back(many);
  auto found = AppointmentRepository::Search(*conn, appointments);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_TRUE(found->empty());
  PatientCriteria patients;
  patients.ids.push_back(many);
  auto count = PatientSearchRepository::Count(*conn, patients);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(*count, 0);
}

TEST(QueryHelpers, DatesReadFromTextColumns) {
  const ResultSet rs(4, {Cell{std::string("2025-02-28")}, Cell{}, Cell{std::string("")}, Cell{std::string("2025-02-30")}});
  EXPECT_EQ(rs.OptDate(0, 0), (CivilDate{2025, 2, 28}));
  EXPECT_EQ(RowRef(rs, 0).OptDate(0), (CivilDate{2025, 2, 28}));
  EXPECT_FALSE(rs.OptDate(0, 1).has_value());  // NULL
  EXPECT_FALSE(rs.OptDate(0, 2).has_value());  // empty
  EXPECT_FALSE(rs.OptDate(0, 3).has_value());  // not a date
}

TEST_P(StorageTest, ContainsPatternsMatchLiterallyOnBothEngines) {
  auto conn = db_->pool().Acquire();
  ASSERT_TRUE(conn->Exec("INSERT INTO settings (key, value) VALUES ('a', '50% OFF'), ('b', '50 OFF'), "
                         "('c', 'x_y!z')")
                  .ok());
  auto count = [&](const std::string& text) {
    auto rs = conn->Query("SELECT COUNT(*) FROM settings WHERE LOWER(value) LIKE $1 ESCAPE '!'",
                          {ContainsPattern(text)});
    EXPECT_TRUE(rs.ok()) << rs.error().message;
    return rs->Int(0, 0);
  };
  EXPECT_EQ(count("50%"), 1);  // % is a literal, not a wildcard
  EXPECT_EQ(count("off"), 2);
  EXPECT_EQ(count("_y!"), 1);
  EXPECT_EQ(count("xy"), 0);
}

TEST(Migrations, KeepOnlyTheirDialectsBlocks) {
  std::string sql = "CREATE TABLE t (id {{id}});\n{{sqlite}}\nSELECT 1;\n{{end}}\n{{postgres}}  \nSELECT 2;\n{{end}}\nSELECT 3;\n";
  EXPECT_EQ(RenderMigration(sql, Dialect::kSqlite), "CREATE TABLE t (id INTEGER PRIMARY KEY);\nSELECT 1;\nSELECT 3;\n");
  EXPECT_EQ(RenderMigration(sql, Dialect::kPostgres),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\nSELECT 2;\nSELECT 3;\n");
  // A block also ends at the other dialect's marker.
  std::string adjacent = "SELECT 0;\n{{sqlite}}\nSELECT 1;\n{{postgres}}\nSELECT 2;\n{{end}}\nSELECT 3;\n";
  EXPECT_EQ(RenderMigration(adjacent, Dialect::kSqlite), "SELECT 0;\nSELECT 1;\nSELECT 3;\n");
  EXPECT_EQ(RenderMigration(adjacent, Dialect::kPostgres), "SELECT 0;\nSELECT 2;\nSELECT 3;\n");
}

TEST_P(StorageTest, MigrationsAreIdempotent) {
  auto conn = db_->pool().Acquire();
  auto again = ApplyMigrations(*conn, EmbeddedMigrations(), 0);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from_version, EmbeddedMigrations().back().version);
}

// 0016 rebuilds SQLite's audit table with seq as the rowid: every entry and its hashes stay as they were, and the
// separate unique index on seq is gone.
TEST(SqliteMigrations, AuditSeqBecomesTheRowidKeepingEveryEntry) {
  const ScratchSqlite file("caredesk-migration-0016.db");
  auto conn = SqliteConnection::Open(file.path, nullptr);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  Connection& c = **conn;
  const std::vector<Migration> all = EmbeddedMigrations();
  std::vector<Migration> before;
  for (const Migration& m : all) {
    if (m.version < 16) before.push_back(m);
  }
  ASSERT_TRUE(ApplyMigrations(c, before, 0).ok());
  for (int64_t seq = 1; seq <= 3; ++seq) {
    ASSERT_TRUE(c.Exec("INSERT INTO audit_events (seq, at, user_id, username, role, action, patient_id, category, "
                       "client_address, outcome, detail, prev_hash, hash) "
                       "VALUES ($1, $2, 7, 'ana', 'coordinator', 'read', $3, 'demographics', '127.0.0.1', 'success', "
                       "'', $4, $5)",
                       {seq, seq * 1000, seq == 2 ? Param(nullptr) : Param(seq + 40), "h" + std::to_string(seq - 1),
                        "h" + std::to_string(seq)})
                    .ok());
  }
  auto report = ApplyMigrations(c, all, 0);
  ASSERT_TRUE(report.ok()) << report.error().message;
  auto rs = c.Query("SELECT seq, rowid, at, patient_id, prev_hash, hash FROM audit_events ORDER BY seq");
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ASSERT_EQ(rs->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const auto seq = static_cast<int64_t>(i) + 1;
    EXPECT_EQ(rs->Int(i, 0), seq);
    EXPECT_EQ(rs->Int(i, 1), seq);  // seq is the rowid
    EXPECT_EQ(rs->Int(i, 2), seq * 1000);
    EXPECT_EQ(rs->IsNull(i, 3), seq == 2);
    EXPECT_EQ(rs->Text(i, 4), "h" + std::to_string(seq - 1));
    EXPECT_EQ(rs->Text(i, 5), "h" + std::to_string(seq));
  }
  auto indexes = c.Query("SELECT COUNT(*) FROM pragma_index_list('audit_events') WHERE origin = 'pk'");
  ASSERT_TRUE(indexes.ok()) << indexes.error().message;
  EXPECT_EQ(indexes->Int(0, 0), 0);
  auto named = c.Query("SELECT COUNT(*) FROM pragma_index_list('audit_events') WHERE origin = 'c'");
  EXPECT_EQ(named->Int(0, 0), 3);  // by patient, by user, by time
}

// 0017: reading a patient finds its coverages and consents in one B-tree each (the index alone), not the index
// and then the table. The statements are PatientRepository::Find's.
TEST(SqliteMigrations, PatientSideTablesAreReadFromCoveringIndexes) {
  const ScratchSqlite file("caredesk-migration-0017.db");
  auto conn = SqliteConnection::Open(file.path, nullptr);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  Connection& c = **conn;
  ASSERT_TRUE(ApplyMigrations(c, EmbeddedMigrations(), 0).ok());
  for (const std::string& sql : {std::string(PatientRepository::kCoveragesSql), std::string(PatientRepository::kConsentsSql)}) {
    auto plan = c.Query("EXPLAIN QUERY PLAN " + sql, {int64_t{1}});
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    std::string steps;
    for (size_t i = 0; i < plan->size(); ++i) steps += plan->Text(i, 3) + "; ";
    EXPECT_NE(steps.find("USING COVERING INDEX"), std::string::npos) << sql << ": " << steps;
    EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << sql << " sorts: " << steps;
  }
}

// SQLite's memory statistics are off in every process that opens a connection: with them on, each allocation
// takes one process-wide mutex. Off, SQLite counts nothing, so the total stays zero after real work.
TEST(SqliteConnectionSettings, KeepNoMemoryStatistics) {
  const ScratchSqlite file("caredesk-memstatus.db");
  auto conn = SqliteConnection::Open(file.path, nullptr);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE((*conn)->ExecScript("CREATE TABLE t (v TEXT); INSERT INTO t VALUES (hex(randomblob(5000)))").ok());
  EXPECT_EQ(sqlite3_memory_used(), 0);
}

// The writer keeps the index leaves a booking dirties in its own, larger page cache (Pool::kWriterCacheMib);
// the readers keep the 64 MiB every connection opens with.
TEST(SqlitePool, TheWriterHasTheLargerPageCache) {
  const ScratchSqlite file("caredesk-writer-cache.db");
  auto pool = Pool::Open(file.path, 1);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  auto cache_kib = [](Connection& c) { return c.Query("PRAGMA cache_size")->Int(0, 0); };
  {
    auto w = (*pool)->AcquireWriter();
    EXPECT_EQ(cache_kib(*w), -Pool::kWriterCacheMib * 1024);
  }
  auto r = (*pool)->Acquire();
  EXPECT_EQ(cache_kib(*r), -65536);
}

TEST_P(StorageTest, AScriptOfCommentsOnlyDoesNothing) {
  auto conn = db_->pool().Acquire();
  EXPECT_TRUE(conn->ExecScript("-- a migration with nothing for this engine\n").ok());
  EXPECT_TRUE(conn->ExecScript("").ok());
}

TEST_P(StorageTest, RoundTripsTypedValues) {
  auto conn = db_->pool().Acquire();
  auto ins = conn->Query(
      "INSERT INTO locations (name, time_zone, address) VALUES ($1, $2, $3) RETURNING id",
      {"Main", "America/New_York", nullptr == nullptr ? std::string("1 Main St") : std::string()});
  ASSERT_TRUE(ins.ok()) << ins.error().message;
  int64_t id = ins->Int(0, 0);
  auto rs = conn->Query("SELECT id, name, flow_warn_minutes, address FROM locations WHERE id = $1", {id});
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_EQ(rs->Int(0, 0), id);
  EXPECT_EQ(rs->Text(0, 1), "Main");
  EXPECT_EQ(rs->Int(0, 2), 15);
  EXPECT_EQ(rs->Text(0, 3), "1 Main St");
}

TEST_P(StorageTest, UniqueViolationIsConflict) {
  auto conn = db_->pool().Acquire();
  ASSERT_TRUE(conn->Exec("INSERT INTO settings (key, value) VALUES ($1, $2)", {"k", "v"}).ok());
  auto dup = conn->Exec("INSERT INTO settings (key, value) VALUES ($1, $2)", {"k", "w"});
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(IsUniqueViolation(dup.error())) << dup.error().message;
}

TEST_P(StorageTest, RollbackLeavesNothing) {
  auto conn = db_->pool().Acquire();
  auto r = InTransaction(*conn, true, [](Connection& c) -> Status {
    CD_RETURN_IF_ERROR(c.Exec("INSERT INTO settings (key, value) VALUES ($1, $2)", {"a", "1"}));
    return Error::Conflict("test", "abort");
  });
  EXPECT_FALSE(r.ok());
  auto rs = conn->Query("SELECT COUNT(*) FROM settings");
  EXPECT_EQ(rs->Int(0, 0), 0);
}

// Under an unbroken stream of commits SQLite's own checkpoints never let the
// WAL start over: it grew to gigabytes in a minute of bookings. The
// checkpointer brings it to an end once it is long, so its file stays small.
TEST(SqliteCheckpointer, KeepsTheWalShortUnderUnbrokenCommits) {
  const ScratchSqlite file("caredesk-checkpointer.db");
  const std::string& path = file.path;
  CheckpointPolicy policy;
  policy.checkpoint_frames = 50;
  policy.poll = std::chrono::milliseconds(5);
  policy.restart_frames = 100;
  policy.held_frames = 20;
  policy.max_wal_frames = 400;  // 1.6 MiB
  policy.lowest_priority = false;
  auto pool = Pool::Open(path, 2, policy);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  {
    auto w = (*pool)->AcquireWriter();
    ASSERT_TRUE(w->ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread reader([&] {
    while (!stop) {
      auto r = (*pool)->Acquire();
      (void)InTransaction(*r, false, [](Connection& c) { return c.Query("SELECT COUNT(*) FROM t"); });
    }
  });
  std::uintmax_t longest = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  const std::string text(3000, 'x');
  while (std::chrono::steady_clock::now() < end) {
    {
      auto w = (*pool)->AcquireWriter();
      auto r = InTransaction(*w, true, [&](Connection& c) { return c.Exec("INSERT INTO t (v) VALUES ($1)", {text}); });
      ASSERT_TRUE(r.ok()) << r.error().message;
      ++committed;
    }
    std::error_code ec;
    longest = std::max(longest, std::filesystem::file_size(path + "-wal", ec));
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  stop = true;
  reader.join();
  // Without restarts this run writes tens of MiB of WAL.
  EXPECT_GT((*pool)->wal_restarts(), 0);
  EXPECT_LT(longest, 8u << 20) << committed << " commits";
  auto r = (*pool)->Acquire();
  EXPECT_EQ(r->Query("SELECT COUNT(*) FROM t")->Int(0, 0), committed.load());
}

// A quiet server's last writes reach the database file within `idle`, though
// the WAL is far below checkpoint_frames: a copy of the main file alone (no
// WAL beside it) holds them.
TEST(SqliteCheckpointer, CopiesAQuietWalWithinIdle) {
  const ScratchSqlite file("caredesk-checkpointer-idle.db");
  const ScratchSqlite copied("caredesk-checkpointer-idle.db.copy");
  const std::string& path = file.path;
  const std::string& copy = copied.path;
  CheckpointPolicy policy;
  policy.checkpoint_frames = 1 << 20;
  policy.poll = std::chrono::milliseconds(5);
  policy.idle = std::chrono::milliseconds(50);
  policy.lowest_priority = false;
  auto pool = Pool::Open(path, 1, policy);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  {
    auto w = (*pool)->AcquireWriter();
    ASSERT_TRUE(w->ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2)").ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::filesystem::copy_file(path, copy);
  {
    auto c = SqliteConnection::Open(copy, nullptr);
    ASSERT_TRUE(c.ok()) << c.error().message;
    auto rs = (*c)->Query("SELECT COUNT(*) FROM t", {});
    ASSERT_TRUE(rs.ok()) << rs.error().message;  // no such table: still only in the WAL
    EXPECT_EQ(rs->Int(0, 0), 2);
  }
}

TEST_P(StorageTest, ConcurrentWritersAllCommit) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto conn = db_->pool().Acquire();
        auto r = InTransaction(*conn, true, [&](Connection& c) -> Status {
          CD_RETURN_IF_ERROR(c.Exec("INSERT INTO settings (key, value) VALUES ($1, $2)",
                                    {std::to_string(t) + "-" + std::to_string(i), "x"}));
          return Ok();
        });
        EXPECT_TRUE(r.ok()) << r.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  auto conn = db_->pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM settings")->Int(0, 0), 100);
}

// Inbound HL7 messages (migration 0018): the raw text comes back byte for byte, also when it is not valid UTF-8 or
// holds NUL (PostgreSQL's text holds neither); an outcome counts an attempt; lists are newest first and leave the
// raw text out.
Hl7MessageRow Hl7Row(std::string raw, std::string status, int64_t received_at, std::string control_id = "C1") {
  Hl7MessageRow m;
  m.received_at = received_at;
  m.peer = "10.1.2.3:5555";
  m.control_id = std::move(control_id);
  m.sending_application = "ADT1";
  m.sending_facility = "GOOD HEALTH";
  m.message_type = "ADT";
  m.trigger_event = "A01";
  m.version = "2.5.1";
  m.raw = std::move(raw);
  m.status = std::move(status);
  return m;
}

TEST_P(StorageTest, Hl7MessagesKeepTheirRawBytesExactly) {
  auto conn = db_->pool().Acquire();
  const std::string utf8 = "MSH|^~\\&|ADT1|GOOD HEALTH|||20250101||ADT^A01|C1|P|2.5.1\rPID|||1||M\xC3\xBCller^J\r\n";
  const std::string latin1 = "MSH|^~\\&|X|Y|||2025||ADT^A01|C2|P|2.5\rPID|||1||M\xFCller\r";
  const std::string with_nul = std::string("MSH|^~\\&|X\0Y|", 14) + "\r";
  for (const std::string& raw : {utf8, latin1, with_nul}) {
    auto id = Hl7MessageRepository::Insert(*conn, Hl7Row(raw, "received", 1000));
    ASSERT_TRUE(id.ok()) << id.error().message;
    auto back = Hl7MessageRepository::Find(*conn, *id);
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_TRUE(back->has_value());
    EXPECT_EQ((*back)->raw, raw);
    EXPECT_EQ((*back)->peer, "10.1.2.3:5555");
    EXPECT_EQ((*back)->attempts, 0);
    EXPECT_FALSE((*back)->processed_at.has_value());
  }
  auto missing = Hl7MessageRepository::Find(*conn, 999999);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StorageTest, Hl7OutcomesCountAttemptsAndListsAreNewestFirst) {
  auto conn = db_->pool().Acquire();
  auto a = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|a", "received", 1000, "A"));
  auto b = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|b", "received", 3000, "B"));
  auto c = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|c", "received", 2000, "C"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  Hl7Outcome failed{"failed", "AE", "204", "no patient with identifier 1 of GH", "PID-3", "", std::nullopt};
  for (int64_t id : {*a, *b, *c}) ASSERT_TRUE(*Hl7MessageRepository::RecordOutcome(*conn, id, failed, 5000));
  ASSERT_TRUE(*Hl7MessageRepository::RecordOutcome(*conn, *a, failed, 6000));
  EXPECT_FALSE(*Hl7MessageRepository::RecordOutcome(*conn, 999999, failed, 6000));
  auto row = Hl7MessageRepository::Find(*conn, *a);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->attempts, 2);
  EXPECT_EQ((*row)->processed_at, 6000);
  EXPECT_EQ((*row)->error_location, "PID-3");
  Hl7Outcome applied{"applied", "AA", "", "", "", "registered", std::nullopt};
  ASSERT_TRUE(*Hl7MessageRepository::RecordOutcome(*conn, *c, applied, 7000));

  Hl7MessageFilter f;
  f.status = "failed";
  auto list = Hl7MessageRepository::List(*conn, f);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->second, 2);
  ASSERT_EQ(list->first.size(), 2u);
  EXPECT_EQ(list->first[0].id, *b);  // received 3000
  EXPECT_EQ(list->first[1].id, *a);  // received 1000
  EXPECT_TRUE(list->first[0].raw.empty());
  f.status.reset();
  f.limit = 1;
  f.offset = 1;
  list = Hl7MessageRepository::List(*conn, f);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->second, 3);
  ASSERT_EQ(list->first.size(), 1u);
  EXPECT_EQ(list->first[0].id, *c);  // received 2000: second newest
}

// A message stored once processed: its id taken first (its audit entries name it), then the row with
// its outcome in one INSERT, the raw bytes kept exactly (base64 underneath when they must be).
TEST_P(StorageTest, Hl7MessagesStoredWithTheirOutcomeTakeTheIdReservedForThem) {
  auto conn = db_->pool().Acquire();
  auto before = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|0", "received", 900));
  ASSERT_TRUE(before.ok());
  for (const std::string& raw : {std::string("MSH|^~\\&|A|B\rPID|1||X\r"), std::string("MSH|\xff\x00|bytes", 12)}) {
    auto st = InTransaction(*conn, true, [&](Connection& c) -> Status {
      CD_ASSIGN_OR_RETURN(int64_t id, Hl7MessageRepository::NextId(c));
      EXPECT_GT(id, *before);
      Hl7MessageRow row = Hl7Row("ignored: raw is passed apart", "applied", 1000, "P1");
      row.id = id;
      row.ack_code = "AA";
      row.note = "patient registered";
      row.patient_id = std::nullopt;
      row.attempts = 1;
      row.processed_at = 1001;
      CD_RETURN_IF_ERROR(Hl7MessageRepository::InsertProcessed(c, row, raw));
      CD_ASSIGN_OR_RETURN(auto back, Hl7MessageRepository::Find(c, id));
      EXPECT_TRUE(back.has_value());
      if (!back) return Ok();
      EXPECT_EQ(back->raw, raw);
      EXPECT_EQ(back->status, "applied");
      EXPECT_EQ(back->ack_code, "AA");
      EXPECT_EQ(back->note, "patient registered");
      EXPECT_EQ(back->attempts, 1);
      EXPECT_EQ(back->processed_at, std::optional<int64_t>(1001));
      return Ok();
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  // The next plain Insert does not collide with the reserved ids.
  auto after = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|9", "received", 2000));
  ASSERT_TRUE(after.ok()) << after.error().message;
}

TEST_P(StorageTest, Hl7ProcessedFindsOnlyTheSameSendersAppliedMessages) {
  auto conn = db_->pool().Acquire();
  auto first = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|1", "applied", 1000, "X9"));
  auto failed = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|2", "failed", 1100, "X9"));
  Hl7MessageRow other_sender = Hl7Row("MSH|3", "applied", 1200, "X9");
  other_sender.sending_facility = "OTHER";
  auto other = Hl7MessageRepository::Insert(*conn, other_sender);
  auto again = Hl7MessageRepository::Insert(*conn, Hl7Row("MSH|1", "received", 1300, "X9"));
  ASSERT_TRUE(first.ok() && failed.ok() && other.ok() && again.ok());
  auto found = Hl7MessageRepository::Processed(*conn, "ADT1", "GOOD HEALTH", "X9", *again);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, *first);
  EXPECT_EQ((*found)[0].raw, "MSH|1");
}

TEST_P(StorageTest, PatientIdentifiersAreUniquePerSystem) {
  auto conn = db_->pool().Acquire();
  Patient p = Ada();
  Patient q = p;
  q.given_name = "Bea";
  ASSERT_TRUE(PatientRepository::Insert(*conn, p).ok());
  ASSERT_TRUE(PatientRepository::Insert(*conn, q).ok());
  auto added = PatientIdentifierRepository::Add(*conn, {p.id, "GH", "123", "MR"}, 1000);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_TRUE(*added);
  auto again = PatientIdentifierRepository::Add(*conn, {p.id, "GH", "123", "MR"}, 1000);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(*again);
  auto taken = PatientIdentifierRepository::Add(*conn, {q.id, "GH", "123", "MR"}, 1000);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().reason, "identifier_taken");
  ASSERT_TRUE(PatientIdentifierRepository::Add(*conn, {q.id, "OTHER", "123", "MR"}, 1000).ok());
  auto found = PatientIdentifierRepository::FindAny(*conn, {{"NONE", "1"}, {"OTHER", "123"}, {"GH", "123"}});
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].patient_id, q.id);
  EXPECT_EQ((*found)[1].patient_id, p.id);
  EXPECT_EQ((*found)[1].type, "MR");
  auto of_p = PatientIdentifierRepository::ForPatient(*conn, p.id);
  ASSERT_TRUE(of_p.ok());
  EXPECT_EQ(of_p->size(), 1u);
}

TEST_P(StorageTest, EveryEarlierVersionOfAPatientIsKept) {
  auto conn = db_->pool().Acquire();
  Patient p = Ada();
  p.created_at_ms = 1000;
  ASSERT_TRUE(PatientRepository::Insert(*conn, p).ok());  // sets the MRN in a second statement: no version
  EXPECT_TRUE(PatientRepository::EarlierVersions(*conn, p.id)->empty());
  p.family_name = "King";
  p.updated_at_ms = 2000;
  ASSERT_TRUE(*PatientRepository::Update(*conn, p));
  p.phone = "5550001111";
  p.updated_at_ms = 3000;
  ASSERT_TRUE(*PatientRepository::Update(*conn, p));
  EXPECT_EQ(p.version, 3);
  auto earlier = PatientRepository::EarlierVersions(*conn, p.id);
  ASSERT_TRUE(earlier.ok()) << earlier.error().message;
  ASSERT_EQ(earlier->size(), 2u);
  EXPECT_EQ((*earlier)[0].version, 2);
  EXPECT_EQ((*earlier)[0].family_name, "King");
  EXPECT_EQ((*earlier)[0].phone, "");
  EXPECT_EQ((*earlier)[0].updated_at_ms, 2000);
  EXPECT_EQ((*earlier)[1].version, 1);
  EXPECT_EQ((*earlier)[1].family_name, "Lovelace");
  EXPECT_EQ((*earlier)[1].mrn, p.mrn);
  auto one = PatientRepository::EarlierVersion(*conn, p.id, 1);
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->family_name, "Lovelace");
  EXPECT_FALSE(PatientRepository::EarlierVersion(*conn, p.id, 3)->has_value());  // the current one is Find's
}

TEST_P(StorageTest, FhirSourcesAreFoundByTheVersionTheyDescribe) {
  auto conn = db_->pool().Acquire();
  ASSERT_TRUE(FhirSourceRepository::Put(*conn, {"Patient", 7, 1, 1000, R"({"a":1})", R"({"p":1})"}).ok());
  ASSERT_TRUE(FhirSourceRepository::Put(*conn, {"Patient", 7, 4, 2000, R"({"a":4})", R"({"p":4})"}).ok());
  ASSERT_TRUE(FhirSourceRepository::Put(*conn, {"Practitioner", 7, 9, 3000, "{}", "{}"}).ok());
  // One row per resource and version.
  EXPECT_FALSE(FhirSourceRepository::Put(*conn, {"Patient", 7, 4, 2500, "{}", "{}"}).ok());
  auto at = [&](int64_t version) { return FhirSourceRepository::AtOrBefore(*conn, "Patient", 7, version); };
  ASSERT_TRUE(at(0).ok());
  EXPECT_FALSE(at(0)->has_value());
  EXPECT_EQ((*at(1))->original, R"({"a":1})");
  EXPECT_EQ((*at(3))->version, 1);  // versions 2 and 3 were written elsewhere: the last FHIR write before them
  EXPECT_EQ((*at(4))->projection, R"({"p":4})");
  EXPECT_EQ((*at(99))->written_at, 2000);
  EXPECT_FALSE(FhirSourceRepository::AtOrBefore(*conn, "Patient", 8, 99)->has_value());
  // A page's sources in one query: the latest of each resource of the type that has one.
  ASSERT_TRUE(FhirSourceRepository::Put(*conn, {"Patient", 3, 2, 1500, R"({"b":2})", "{}"}).ok());
  auto latest = FhirSourceRepository::Latest(*conn, "Patient", {7, 8, 3});
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].resource_id, 3);
  EXPECT_EQ((*latest)[1].resource_id, 7);
  EXPECT_EQ((*latest)[1].version, 4);
  EXPECT_EQ((*latest)[1].original, R"({"a":4})");
  EXPECT_TRUE(FhirSourceRepository::Latest(*conn, "Patient", {})->empty());
  EXPECT_TRUE(FhirSourceRepository::Latest(*conn, "Location", {7})->empty());
}

TEST_P(StorageTest, Hl7AppointmentIdsAreUniquePerSystemKindAndValue) {
  auto conn = db_->pool().Acquire();
  Patient p = Ada();
  ASSERT_TRUE(PatientRepository::Insert(*conn, p).ok());
  auto location = ScheduleRepository::InsertLocation(*conn, Location{0, "Main", "America/New_York"});
  ASSERT_TRUE(location.ok()) << location.error().message;
  Provider prov;
  prov.name = "Dr. Park";
  prov.location_ids = {*location};
  auto provider = ScheduleRepository::InsertProvider(*conn, prov);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  AppointmentType visit;
  visit.name = "Visit";
  auto type = ScheduleRepository::InsertAppointmentType(*conn, visit);
  ASSERT_TRUE(type.ok()) << type.error().message;
  std::vector<int64_t> appointments;
  for (int i = 0; i < 2; ++i) {
    AppointmentRow a;
    a.patient_id = p.id;
    a.appointment_type_id = *type;
    a.provider_id = *provider;
    a.location_id = *location;
    a.start_at = 3'600'000 * (i + 1);
    a.end_at = a.start_at + 1'800'000;
    a.status = "booked";
    auto id = AppointmentRepository::Insert(*conn, a);
    ASSERT_TRUE(id.ok()) << id.error().message;
    appointments.push_back(*id);
  }
  auto added = Hl7AppointmentIdRepository::Add(*conn, {"GH", kFillerId, "36996", appointments[0]}, 1000);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_TRUE(*added);
  auto again = Hl7AppointmentIdRepository::Add(*conn, {"GH", kFillerId, "36996", appointments[0]}, 1000);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(*again);
  auto taken = Hl7AppointmentIdRepository::Add(*conn, {"GH", kFillerId, "36996", appointments[1]}, 1000);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().reason, "appointment_id_taken");
  // The same number as a placer id, or from another system, is another id.
  ASSERT_TRUE(Hl7AppointmentIdRepository::Add(*conn, {"GH", kPlacerId, "36996", appointments[1]}, 1000).ok());
  ASSERT_TRUE(Hl7AppointmentIdRepository::Add(*conn, {"OTHER", kFillerId, "36996", appointments[1]}, 1000).ok());
  auto filler = Hl7AppointmentIdRepository::Find(*conn, "GH", kFillerId, "36996");
  ASSERT_TRUE(filler.ok()) << filler.error().message;
  EXPECT_EQ(*filler, appointments[0]);
  auto placer = Hl7AppointmentIdRepository::Find(*conn, "GH", kPlacerId, "36996");
  ASSERT_TRUE(placer.ok());
  EXPECT_EQ(*placer, appointments[1]);
  auto none = Hl7AppointmentIdRepository::Find(*conn, "GH", kFillerId, "1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto of_second = Hl7AppointmentIdRepository::ForAppointment(*conn, appointments[1]);
  ASSERT_TRUE(of_second.ok());
  ASSERT_EQ(of_second->size(), 2u);
  EXPECT_EQ((*of_second)[0].system, "GH");
  EXPECT_EQ((*of_second)[0].kind, "placer");
  EXPECT_EQ((*of_second)[1].system, "OTHER");
}

// The outbound queue: peers unique by name; the dispatcher's pick keeps each patient's order at a peer (a
// pending or dead message holds the patient's later ones, a sent or discarded one does not); retry and
// discard only from dead; lists newest first with counts.
TEST_P(StorageTest, Hl7OutboundPicksInOrderPerPatientAndPeer) {
  auto conn = db_->pool().Acquire();
  Hl7PeerRow peer;
  peer.name = "EHR";
  peer.host = "127.0.0.1";
  peer.port = 2575;
  peer.adt = false;
  auto a = Hl7PeerRepository::Insert(*conn, peer);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto dup = Hl7PeerRepository::Insert(*conn, peer);
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(IsUniqueViolation(dup.error()));
  peer.name = "Lab";
  auto b = Hl7PeerRepository::Insert(*conn, peer);
  ASSERT_TRUE(b.ok());
  auto found = Hl7PeerRepository::Find(*conn, *a);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE((*found)->siu);
  EXPECT_FALSE((*found)->adt);

  auto queue = [&](int64_t peer_id, int64_t patient, const char* event, int64_t due) {
    Hl7OutboundRow m;
    m.peer_id = peer_id;
    m.patient_id = patient;
    m.event = event;
    m.control_id = std::string("C") + event;
    m.message = std::string("MSH|") + event;
    m.created_at = 1000;
    m.next_attempt_at = due;
    auto id = Hl7OutboundRepository::Insert(*conn, m);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : 0;
  };
  int64_t p1_first = queue(*a, 1, "SIU^S12", 1000);
  int64_t p1_second = queue(*a, 1, "SIU^S15", 1000);
  int64_t p2_first = queue(*a, 2, "SIU^S12", 1000);
  int64_t p2_later = queue(*a, 2, "SIU^S13", 5000);  // not due yet
  int64_t other_peer = queue(*b, 1, "SIU^S12", 1000);
  auto ids = [&](int64_t peer_id, int64_t now) {
    std::vector<int64_t> out;
    auto rows = Hl7OutboundRepository::Eligible(*conn, peer_id, now, 10);
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    if (rows.ok()) {
      for (const auto& r : *rows) out.push_back(r.id);
    }
    return out;
  };
  EXPECT_EQ(ids(*a, 1000), (std::vector<int64_t>{p1_first, p2_first}));
  EXPECT_EQ(ids(*b, 1000), (std::vector<int64_t>{other_peer}));
  auto eligible = Hl7OutboundRepository::Eligible(*conn, *a, 1000, 1);
  ASSERT_TRUE(eligible.ok());
  ASSERT_EQ(eligible->size(), 1u);
  EXPECT_EQ((*eligible)[0].message, "MSH|SIU^S12");

  // Sent: the patient's next message is eligible. Dead: it is held until retried or discarded.
  ASSERT_TRUE(Hl7OutboundRepository::RecordAttempt(*conn, p1_first, "sent", 1000, "", "AA", 1100).ok());
  ASSERT_TRUE(Hl7OutboundRepository::RecordAttempt(*conn, p2_first, "dead", 1000, "AR: no", "AR", std::nullopt).ok());
  EXPECT_EQ(ids(*a, 9000), (std::vector<int64_t>{p1_second}));
  auto retry_pending = Hl7OutboundRepository::Retry(*conn, p1_second, 9000);
  ASSERT_TRUE(retry_pending.ok());
  EXPECT_FALSE(*retry_pending);  // only dead messages
  auto discarded = Hl7OutboundRepository::Discard(*conn, p2_first);
  ASSERT_TRUE(discarded.ok());
  EXPECT_TRUE(*discarded);
  EXPECT_EQ(ids(*a, 9000), (std::vector<int64_t>{p1_second, p2_later}));
  auto back = Hl7OutboundRepository::Find(*conn, p2_first);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->status, "discarded");
  EXPECT_EQ((*back)->attempts, 1);
  EXPECT_EQ((*back)->last_error, "AR: no");
  EXPECT_EQ((*back)->peer_name, "EHR");

  ASSERT_TRUE(Hl7OutboundRepository::RecordAttempt(*conn, p1_second, "dead", 9000, "gave up", "", std::nullopt).ok());
  auto retried = Hl7OutboundRepository::Retry(*conn, p1_second, 9500);
  ASSERT_TRUE(retried.ok());
  EXPECT_TRUE(*retried);
  auto again = Hl7OutboundRepository::Find(*conn, p1_second);
  EXPECT_EQ((*again)->status, "pending");
  EXPECT_EQ((*again)->attempts, 0);
  EXPECT_EQ((*again)->next_attempt_at, 9500);

  Hl7OutboundFilter f;
  f.peer_id = *a;
  auto page = Hl7OutboundRepository::List(*conn, f);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->second, 4);
  ASSERT_EQ(page->first.size(), 4u);
  EXPECT_EQ(page->first[0].id, p2_later);  // newest first
  EXPECT_TRUE(page->first[0].message.empty());
  f.peer_id.reset();
  f.status = "pending";
  page = Hl7OutboundRepository::List(*conn, f);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->second, 3);
  auto counts = Hl7OutboundRepository::CountByStatus(*conn);
  ASSERT_TRUE(counts.ok());
  std::map<std::string, int64_t> by(counts->begin(), counts->end());
  EXPECT_EQ(by["pending"], 3);
  EXPECT_EQ(by["sent"], 1);
  EXPECT_EQ(by["discarded"], 1);

  auto deleted = Hl7PeerRepository::Delete(*conn, *b);
  ASSERT_TRUE(deleted.ok() && *deleted);
  EXPECT_FALSE(Hl7OutboundRepository::Find(*conn, other_peer)->has_value());
}

// Criteria become SQL with every value bound: wildcards and quotes in a value are matched literally,
// alternatives are ORed, criteria ANDed, and key paging continues after the last row on both engines.
// The ids PatientSearchRepository::Match finds, in its order.
std::vector<int64_t> MatchedIds(Connection& conn, const PatientCriteria& q) {
  std::vector<int64_t> out;
  auto rows = PatientSearchRepository::Match(conn, q);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  if (rows.ok()) for (const auto& r : *rows) out.push_back(r.id);
  return out;
}

TEST_P(StorageTest, PatientCriteriaMatchExactlyAndPageByKey) {
  auto conn = db_->pool().Acquire();
  auto add = [&](std::string given, std::string family, CivilDate born, std::string sex) {
    Patient p;
    p.given_name = std::move(given);
    p.family_name = std::move(family);
    p.birth_date = born;
    p.sex = std::move(sex);
    p.preferred_contact_method = "phone";
    EXPECT_TRUE(PatientRepository::Insert(*conn, p).ok());
    return p.id;
  };
  const int64_t ann = add("Ann Marie", "O'Neil", {1960, 1, 1}, "female");
  const int64_t bob = add("Bob", "O'Neil", {1975, 6, 1}, "male");
  const int64_t pct = add("Cy", "100%_Real", {1990, 1, 1}, "male");
  const int64_t dee = add("Dee", "Oneida", {1975, 6, 2}, "female");
  auto ids = [&](const PatientCriteria& q) { return MatchedIds(*conn, q); };
  using K = TextMatch::Kind;
  PatientCriteria q;
  q.family = {{{K::kStartsWith, "o'n"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{ann, bob}));
  q.family = {{{K::kStartsWith, "one"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{dee}));
  q.family = {{{K::kContains, "%_"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{pct}));
  q.family = {{{K::kStartsWith, "_"}}};
  EXPECT_TRUE(ids(q).empty());
  q.family = {};
  q.given = {{{K::kStartsWith, "ANN M"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{ann}));
  q.given = {{{K::kStartsWith, "marie"}}};  // the start of the name, not of a word in it
  EXPECT_TRUE(ids(q).empty());
  q.given = {{{K::kExact, "bob"}}};
  EXPECT_TRUE(ids(q).empty());
  q.given = {{{K::kExact, "Bob"}, {K::kExact, "Dee"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{bob, dee}));
  q.given = {};
  q.birth_date = {{{DateMatch::Op::kGe, {1975, 6, 1}, {1975, 6, 2}}}, {{DateMatch::Op::kLt, {1990, 1, 1}, {1990, 1, 2}}}};
  q.sex = {{"female"}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{dee}));
  auto count = PatientSearchRepository::Count(*conn, q);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(*count, 1);

  PatientCriteria page;
  page.order = PatientOrder::kBirthDate;
  page.descending = true;
  page.limit = 2;
  auto first = PatientSearchRepository::Match(*conn, page);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, pct);
  EXPECT_EQ((*first)[1].sort_key, "1975-06-02");
  page.after_id = (*first)[1].id;
  page.after_key = (*first)[1].sort_key;
  EXPECT_EQ(ids(page), (std::vector<int64_t>{bob, ann}));
}

// Names match whatever their case and accents (FHIR's string search); exact stays as sent; names sort folded.
TEST_P(StorageTest, PatientNamesMatchWithoutAccents) {
  auto conn = db_->pool().Acquire();
  auto add = [&](std::string given, std::string family) {
    Patient p;
    p.given_name = std::move(given);
    p.family_name = std::move(family);
    p.birth_date = {1970, 1, 1};
    p.sex = "female";
    EXPECT_TRUE(PatientRepository::Insert(*conn, p).ok());
    return p.id;
  };
  const int64_t accented = add("María José", "Núñez");
  const int64_t plain = add("Maria", "Nunez");
  const int64_t oneill = add("Siobhán", "O’Neill");
  const int64_t aeroe = add("Søren", "Ærøskøbing");
  const int64_t zed = add("Zoë", "Nunn");
  auto ids = [&](const PatientCriteria& q) { return MatchedIds(*conn, q); };
  using K = TextMatch::Kind;
  PatientCriteria q;
  for (const char* text : {"nunez", "NÚÑEZ", "Núñe", "nune"}) {
    q.family = {{{K::kStartsWith, text}}};
    EXPECT_EQ(ids(q), (std::vector<int64_t>{accented, plain})) << text;
  }
  q.family = {{{K::kExact, "Núñez"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{accented}));
  q.family = {{{K::kExact, "Nunez"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{plain}));
  q.family = {{{K::kContains, "ÑEZ"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{accented, plain}));
  q.family = {{{K::kStartsWith, "o'neill"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{oneill}));
  q.family = {{{K::kStartsWith, "aeroskob"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{aeroe}));
  q.family = {};
  q.given = {{{K::kStartsWith, "siobhan"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{oneill}));
  q.given = {{{K::kStartsWith, "zoe"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{zed}));
  q.given = {};
  q.order = PatientOrder::kFamily;
  q.family = {{{K::kStartsWith, "nu"}}};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{accented, plain, zed}));  // "nunez" twice, then "nunn"
}

// PostgreSQL's caredesk_fold (SQL, migration 0029) folds every code point as FoldToAscii does, and SQLite's
// is FoldToAscii itself: a name indexed by either is found by what the search folds in C++.
TEST_P(StorageTest, TheDatabaseFoldsNamesAsCareDeskDoes) {
  auto conn = db_->pool().Acquire();
  std::vector<char32_t> points;
  for (char32_t cp = 0x20; cp < 0x7F; ++cp) points.push_back(cp);
  for (char32_t cp = 0xA0; cp <= 0x24F; ++cp) points.push_back(cp);
  for (char32_t cp = 0x300; cp <= 0x36F; ++cp) points.push_back(cp);
  for (char32_t cp : {0x02BCu, 0x1E9Eu, 0x2010u, 0x2011u, 0x2012u, 0x2013u, 0x2014u, 0x2015u, 0x2018u, 0x2019u,
                      0x0391u, 0x0410u, 0x4E2Du}) {
    points.push_back(cp);
  }
  auto utf8 = [](char32_t cp) {
    std::string out;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return out;
  };
  std::vector<std::string> texts;
  for (char32_t cp : points) texts.push_back("x" + utf8(cp) + "Y");  // inside a word, beside ASCII
  const std::string sql = GetParam() == Backend::kPostgres
                              ? "SELECT t, caredesk_fold(t) FROM jsonb_array_elements_text($1::jsonb) AS t"
                              : "SELECT value, caredesk_fold(value) FROM json_each($1)";
  auto rs = conn->Query(sql, {TextListParam(texts)});
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ASSERT_EQ(rs->size(), texts.size());
  for (size_t i = 0; i < rs->size(); ++i) {
    const std::string text = rs->Text(i, 0);
    EXPECT_EQ(rs->Text(i, 1), FoldToAscii(text)) << "U+" << std::hex << static_cast<uint32_t>(points[i]);
  }
  auto null = conn->Query("SELECT caredesk_fold(NULL) IS NULL");
  ASSERT_TRUE(null.ok());
  EXPECT_EQ(null->Int(0, 0), 1);
}

// A page of patients in two queries: demographics in the order asked (missing ids skipped) and identifiers.
TEST_P(StorageTest, DemographicsAndIdentifiersOfSeveralPatients) {
  auto conn = db_->pool().Acquire();
  std::vector<int64_t> ids;
  for (const char* given : {"Ada", "Bea", "Cy"}) {
    Patient p;
    p.given_name = given;
    p.family_name = "Many";
    p.birth_date = {1980, 1, 2};
    p.sex = "female";
    p.phone = "5551230000";
    p.preferred_contact_method = "phone";
    ASSERT_TRUE(PatientRepository::Insert(*conn, p).ok());
    ids.push_back(p.id);
  }
  ASSERT_TRUE(PatientIdentifierRepository::Add(*conn, {ids[2], "urn:x", "9", "MR"}, 1).ok());
  ASSERT_TRUE(PatientIdentifierRepository::Add(*conn, {ids[0], "urn:x", "7", ""}, 1).ok());
  auto found = PatientRepository::FindDemographics(*conn, {ids[2], 999999, ids[0]});
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].given_name, "Cy");
  EXPECT_EQ((*found)[0].phone, "5551230000");
  EXPECT_EQ((*found)[0].version, 1);
  EXPECT_EQ((*found)[1].id, ids[0]);
  EXPECT_FALSE((*found)[1].mrn.empty());
  auto idents = PatientIdentifierRepository::ForPatients(*conn, {ids[0], ids[1], ids[2]});
  ASSERT_TRUE(idents.ok()) << idents.error().message;
  ASSERT_EQ(idents->size(), 2u);
  EXPECT_EQ((*idents)[0].patient_id, ids[0]);
  EXPECT_EQ((*idents)[1].value, "9");
  EXPECT_EQ((*idents)[1].type, "MR");
  EXPECT_TRUE(PatientRepository::FindDemographics(*conn, {})->empty());
}

// Name prefixes, exact names and identifiers are looked up through migrations 0021's and 0029's indexes, not by
// reading every patient (which took 0.4 s a search at 1,000,000 patients).
TEST(SqlitePatientSearch, NamesAndIdentifiersUseTheirIndexes) {
  auto db = testing::TestDatabase::Create(Backend::kSqlite);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto conn = (*db)->pool().Acquire();
  auto plan = [&](const PatientCriteria& q) {
    auto p = PatientSearchRepository::ExplainMatch(*conn, q);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? *p : std::string();
  };
  using K = TextMatch::Kind;
  PatientCriteria q;
  q.family = {{{K::kStartsWith, "smi"}}};
  EXPECT_NE(plan(q).find("patients_family_fold"), std::string::npos) << plan(q);
  q.order = PatientOrder::kFamily;  // in the index's order: the page alone is read, nothing is sorted
  EXPECT_NE(plan(q).find("patients_family_fold"), std::string::npos) << plan(q);
  EXPECT_EQ(plan(q).find("TEMP B-TREE"), std::string::npos) << plan(q);
  q.order = PatientOrder::kId;
  q.family = {{{K::kExact, "Smith"}}};
  EXPECT_NE(plan(q).find("patients_family_fold"), std::string::npos) << plan(q);
  q.family = {};
  q.given = {{{K::kStartsWith, "jo"}}};
  EXPECT_NE(plan(q).find("patients_given_fold"), std::string::npos) << plan(q);
  EXPECT_NE(plan(q).find("patients_middle_fold"), std::string::npos) << plan(q);
  q.given = {};
  // name= (any of the three names), in id order with the page's limit: the three indexes, not a scan of every
  // patient in id order that stops at the limit (which SQLite chose while the limit was a bound parameter).
  q.name = {{{K::kStartsWith, "gar"}}};
  q.limit = 21;
  const std::string any_name = plan(q);
  EXPECT_EQ(any_name.find("SCAN patients"), std::string::npos) << any_name;
  for (const char* index : {"patients_given_fold", "patients_middle_fold", "patients_family_fold"}) {
    EXPECT_NE(any_name.find(index), std::string::npos) << any_name;
  }
  q.name = {};
  q.identifier = {{{std::nullopt, "MRN00000042"}}};
  const std::string ids = plan(q);
  EXPECT_EQ(ids.find("SCAN patients"), std::string::npos) << ids;
  EXPECT_NE(ids.find("patient_identifiers_value"), std::string::npos) << ids;
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace caredesk::db
