#include <gtest/gtest.h>

#include <thread>

#include "storage/migrations.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/testing/test_database.h"

namespace caredesk::db {
namespace {

using testing::Backend;
using testing::TestDatabase;

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

TEST_P(StorageTest, MigrationsAreIdempotent) {
  auto conn = db_->pool().Acquire();
  auto again = ApplyMigrations(*conn, EmbeddedMigrations(), 0);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from_version, EmbeddedMigrations().back().version);
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

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace caredesk::db
