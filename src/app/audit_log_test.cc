#include "app/audit_log.h"

#include <thread>

#include "app/app_test_fixture.h"

namespace caredesk {
namespace {

class AuditLogTest : public AppTest {};

Actor Ann() { return Actor{7, "ann", Role::kCoordinator, "10.1.1.1", 1}; }

TEST_P(AuditLogTest, ConcurrentRecordsFormOneIntactChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", t * 100 + i)).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  int64_t checked = 0;
  auto v = audit_->Verify(&checked);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_FALSE(v->has_value()) << (*v)->problem;
  EXPECT_EQ(checked, 240);
}

TEST_P(AuditLogTest, SequentialRecordsNeverWaitForCompany) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", i)).ok());
  AuditLog::CommitStats s = audit_->commit_stats();
  EXPECT_EQ(s.commits, 50);
  EXPECT_EQ(s.callers, 50);
  EXPECT_EQ(s.gathered, 0);
}

TEST_P(AuditLogTest, ConcurrentRecordsShareCommits) {
  // Twelve readers at once: after the first shared commit the leaders gather,
  // so far fewer transactions than callers are written.
  constexpr int kThreads = 12, kEach = 30;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", t * 100 + i)).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  AuditLog::CommitStats s = audit_->commit_stats();
  EXPECT_EQ(s.callers, kThreads * kEach);
  EXPECT_GT(s.gathered, 0);
  EXPECT_LT(s.commits, s.callers);
  int64_t checked = 0;
  auto v = audit_->Verify(&checked);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
  EXPECT_EQ(checked, kThreads * kEach);
}

TEST_P(AuditLogTest, VerifyNamesTamperedRow) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", i)).ok());
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE audit_events SET username = 'mallory' WHERE seq = 4").ok());
  }
  auto v = audit_->Verify();
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->seq, 4);
}

TEST_P(AuditLogTest, VerifyNamesDeletedRowsIncludingTheLast) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", i)).ok());
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("DELETE FROM audit_events WHERE seq = 10").ok());
  }
  auto v = audit_->Verify();
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->seq, 10);
  {
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("DELETE FROM audit_events WHERE seq = 6").ok());
  }
  v = audit_->Verify();
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->seq, 6);
}

TEST_P(AuditLogTest, SearchesByPatientUserAndPeriod) {
  ASSERT_TRUE(audit_->Record(audit_->Make(Ann(), "read", "demographics", 5)).ok());
  clock_.Advance(std::chrono::hours(1));
  Actor bob{8, "bob", Role::kClinician, "10.1.1.2", 2};
  ASSERT_TRUE(audit_->Record(audit_->Make(bob, "read", "demographics", 5)).ok());
  ASSERT_TRUE(audit_->Record(audit_->Make(bob, "read", "demographics", 6)).ok());
  db::AuditFilter f;
  f.patient_id = 5;
  EXPECT_EQ(audit_->Search(f)->size(), 2u);
  f.username = "bob";
  EXPECT_EQ(audit_->Search(f)->size(), 1u);
  db::AuditFilter period;
  period.to_ms = ToMillis(clock_.Now());
  EXPECT_EQ(audit_->Search(period)->size(), 1u);
  // One entry by its sequence number; pages before a sequence number, newest first; action; limit and offset.
  db::AuditFilter one;
  one.seq = 2;
  auto second = audit_->Search(one);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->front().username, "bob");
  db::AuditFilter before;
  before.before_seq = 3;
  before.patient_id = 5;
  auto older = audit_->Search(before);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ(older->front().seq, 2);
  EXPECT_EQ(older->back().seq, 1);
  db::AuditFilter paged;
  paged.action = "read";
  paged.limit = 1;
  paged.offset = 1;
  auto middle = audit_->Search(paged);
  ASSERT_EQ(middle->size(), 1u);
  EXPECT_EQ(middle->front().seq, 2);
  one.seq = 99;
  EXPECT_TRUE(audit_->Search(one)->empty());
}

CAREDESK_INSTANTIATE_BACKENDS(AuditLogTest);

}  // namespace
}  // namespace caredesk
