// A fixture for service tests: a fresh migrated database on each backend, a
// frozen clock and the audit log.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "app/audit_log.h"
#include "core/clock.h"
#include "domain/security/credentials.h"
#include "storage/testing/test_database.h"

namespace caredesk {

class AppTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    auto db = testing::TestDatabase::Create(GetParam(), 6);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    audit_ = std::make_unique<AuditLog>(db_->pool(), clock_);
  }
  db::Pool& pool() { return db_->pool(); }

  // The audit entries about a patient (empty, with a test failure, when they cannot be read).
  std::vector<AuditRecord> AuditOf(int64_t patient_id) {
    db::AuditFilter f;
    f.patient_id = patient_id;
    auto found = audit_->Search(f);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? std::move(found).value() : std::vector<AuditRecord>{};
  }

  // 2025-03-10T14:00:00Z, a Monday.
  FakeClock clock_{FromMillis(1741615200000)};
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<AuditLog> audit_;
};

#define CAREDESK_INSTANTIATE_BACKENDS(Suite)                                                \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(testing::AllBackends()),    \
                           [](const auto& info) { return testing::BackendName(info.param); })

}  // namespace caredesk
