#include "storage/write_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "storage/testing/test_database.h"

namespace caredesk::db {
namespace {

using testing::Backend;
using testing::TestDatabase;

class WriteBatcherTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  Status Insert(Connection& c, const std::string& key) {
    auto r = c.Exec("INSERT INTO settings (key, value) VALUES ($1, 'x')", {key});
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  int64_t Count(const std::string& key) {
    auto conn = db_->pool().Acquire();
    return conn->Query("SELECT COUNT(*) FROM settings WHERE key = $1", {key})->Int(0, 0);
  }
  std::unique_ptr<TestDatabase> db_;
};

// Starts a batch whose only job blocks until `release` is set, and returns
// once `queued` further callers are waiting behind it; they then form the
// next batch together.
class BlockedBatch {
 public:
  BlockedBatch(WriteBatcher& batcher, std::function<Status(Connection&)> first) : batcher_(batcher) {
    work_ = [this, first](Connection& c) -> Status {
      started_ = true;
      while (!release_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return first(c);
    };
    result_ = std::async(std::launch::async, [this] { return batcher_.Run(work_); });
    while (!started_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  bool WaitForQueue(std::size_t n) {
    for (int i = 0; i < 5000 && batcher_.pending() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return batcher_.pending() == n;
  }
  Status Release() {
    release_ = true;
    return result_.get();
  }

 private:
  WriteBatcher& batcher_;
  WriteBatcher::Work work_;
  std::atomic<bool> started_{false};
  std::atomic<bool> release_{false};
  std::future<Status> result_;
};

TEST_P(WriteBatcherTest, CommitsASuccessfulWriteAndUndoesAFailedOne) {
  WriteBatcher batcher(db_->pool());
  EXPECT_TRUE(batcher.Run([&](Connection& c) { return Insert(c, "kept"); }).ok());
  Status failed = batcher.Run([&](Connection& c) -> Status {
    CD_RETURN_IF_ERROR(Insert(c, "undone"));
    return Error::Conflict("test", "changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().reason, "test");
  EXPECT_EQ(Count("kept"), 1);
  EXPECT_EQ(Count("undone"), 0);
}

TEST_P(WriteBatcherTest, AFailingJobInABatchLeavesTheOthersCommitted) {
  WriteBatcher batcher(db_->pool());
  BlockedBatch first(batcher, [&](Connection& c) { return Insert(c, "first"); });
  auto good = std::async(std::launch::async, [&] { return batcher.Run([&](Connection& c) { return Insert(c, "good"); }); });
  ASSERT_TRUE(first.WaitForQueue(1));
  auto bad = std::async(std::launch::async, [&] {
    return batcher.Run([&](Connection& c) -> Status {
      CD_RETURN_IF_ERROR(Insert(c, "bad"));
      return Error::Conflict("test", "abort this one");
    });
  });
  ASSERT_TRUE(first.WaitForQueue(2));
  // A database error (a duplicate key) aborts a PostgreSQL transaction unless
  // undone to a savepoint: the batch must survive it.
  auto duplicate = std::async(std::launch::async, [&] { return batcher.Run([&](Connection& c) { return Insert(c, "first"); }); });
  ASSERT_TRUE(first.WaitForQueue(3));
  auto after = std::async(std::launch::async, [&] { return batcher.Run([&](Connection& c) { return Insert(c, "after"); }); });
  ASSERT_TRUE(first.WaitForQueue(4));

  EXPECT_TRUE(first.Release().ok());
  EXPECT_TRUE(good.get().ok());
  EXPECT_FALSE(bad.get().ok());
  Status dup = duplicate.get();
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(IsUniqueViolation(dup.error())) << dup.error().message;
  EXPECT_TRUE(after.get().ok());
  EXPECT_EQ(Count("first"), 1);
  EXPECT_EQ(Count("good"), 1);
  EXPECT_EQ(Count("bad"), 0);
  EXPECT_EQ(Count("after"), 1);
}

// RunAll queues one caller's works together and in order: each sees the writes of those before it,
// one failing is undone alone, and every status comes back in order, also when the works span
// more than one batch.
TEST_P(WriteBatcherTest, RunAllAppliesOneCallersWorksInOrderEachOnItsOwn) {
  WriteBatcher batcher(db_->pool(), /*max_batch=*/2);
  std::vector<std::string> seen;
  std::vector<WriteBatcher::Work> works;
  for (int i = 0; i < 5; ++i) {
    works.push_back([&, i](Connection& c) -> Status {
      // What the works before this one left: their keys in order.
      auto rs = c.Query("SELECT key FROM settings WHERE key LIKE 'all-%' ORDER BY key");
      if (!rs.ok()) return std::move(rs).error();
      std::string keys;
      for (size_t r = 0; r < rs->size(); ++r) keys += rs->Text(r, 0) + ",";
      seen.push_back(keys);
      CD_RETURN_IF_ERROR(Insert(c, "all-" + std::to_string(i)));
      if (i == 2) return Error::Conflict("test", "not this one");
      return Ok();
    });
  }
  std::vector<Status> statuses = batcher.RunAll(works);
  ASSERT_EQ(statuses.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(statuses[static_cast<size_t>(i)].ok(), i != 2) << i;
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0], "");
  EXPECT_EQ(seen[1], "all-0,");
  EXPECT_EQ(seen[2], "all-0,all-1,");
  EXPECT_EQ(seen[3], "all-0,all-1,");  // all-2 was undone
  EXPECT_EQ(seen[4], "all-0,all-1,all-3,");
  EXPECT_EQ(Count("all-2"), 0);
  EXPECT_EQ(Count("all-4"), 1);
  EXPECT_TRUE(batcher.RunAll({}).empty());
}

TEST_P(WriteBatcherTest, AThrowingJobIsAnInternalErrorAndUndone) {
  WriteBatcher batcher(db_->pool());
  BlockedBatch first(batcher, [&](Connection& c) { return Insert(c, "first"); });
  auto thrower = std::async(std::launch::async, [&] {
    return batcher.Run([&](Connection& c) -> Status {
      CD_RETURN_IF_ERROR(Insert(c, "thrown"));
      throw std::runtime_error("boom");
    });
  });
  ASSERT_TRUE(first.WaitForQueue(1));
  auto other = std::async(std::launch::async, [&] { return batcher.Run([&](Connection& c) { return Insert(c, "other"); }); });
  ASSERT_TRUE(first.WaitForQueue(2));
  EXPECT_TRUE(first.Release().ok());
  Status thrown = thrower.get();
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(other.get().ok());
  EXPECT_EQ(Count("thrown"), 0);
  EXPECT_EQ(Count("other"), 1);
}

TEST_P(WriteBatcherTest, ConcurrentCallersAllCommitExactlyOnce) {
  WriteBatcher batcher(db_->pool());
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status st = batcher.Run([&](Connection& c) { return Insert(c, std::to_string(t) + "-" + std::to_string(i)); });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto conn = db_->pool().Acquire();
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM settings")->Int(0, 0), kThreads * kEach);
  EXPECT_EQ(batcher.pending(), 0u);
}

TEST_P(WriteBatcherTest, OnSqliteBatchesUseOneConnectionKeptApartFromTheReaders) {
  if (db_->pool().dialect() != Dialect::kSqlite) GTEST_SKIP() << "PostgreSQL batches lease any connection";
  WriteBatcher batcher(db_->pool());
  // Every reader connection is leased, yet batches still run, always on the
  // same connection (whose page cache therefore survives between batches).
  std::vector<Pool::Lease> readers;
  for (int i = 0; i < db_->pool().size(); ++i) readers.push_back(db_->pool().Acquire());
  std::set<const Connection*> used;
  for (int i = 0; i < 3; ++i) {
    Status st = batcher.Run([&](Connection& c) {
      used.insert(&c);
      return Insert(c, "w" + std::to_string(i));
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  EXPECT_EQ(used.size(), 1u);
  for (auto& r : readers) EXPECT_EQ(used.count(&*r), 0u);
  readers.clear();
  EXPECT_EQ(Count("w2"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, WriteBatcherTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace caredesk::db
