#include "demo/demo_relations.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "app/app_test_fixture.h"
#include "app/audit_log.h"
#include "app/auth_service.h"
#include "demo/demo_generator.h"
#include "domain/security/credentials.h"
#include "storage/testing/test_database.h"

namespace caredesk {
namespace {

using testing::Backend;

// Monday 2025-03-10 17:00 UTC.
constexpr int64_t kNowMs = 1741626000000;

std::filesystem::path DataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
}

struct Made {
  std::unique_ptr<testing::TestDatabase> db;
  RelationsDemoReport report;
};

// A clinic with two months of visits, its users, then the relations demo.
Result<Made> Make(Backend backend) {
  Made m;
  CD_ASSIGN_OR_RETURN(m.db, testing::TestDatabase::Create(backend, 4));
  DemoOptions o;
  o.patients = 1500;
  o.providers = 40;
  o.seed = 11;
  o.history_days = 60;
  o.future_days = 2;
  o.now = FromMillis(kNowMs);
  CD_RETURN_IF_ERROR(GenerateDemo(m.db->pool(), o));
  FakeClock clock(o.now);
  AuditLog audit(m.db->pool(), clock);
  AuthService auth(m.db->pool(), clock, audit, SessionPolicy{});
  Actor cli{0, "test", Role::kAdmin, "local", 0};
  for (const char* role : {"coordinator", "manager"}) {
    CD_RETURN_IF_ERROR(auth.CreateUser(cli, NewUser{role, role, role, "a-long-test-password-1", std::nullopt, ""}));
  }
  RelationsDemoOptions r;
  r.seed = 11;
  r.now = o.now;
  r.history_days = o.history_days;
  r.feedback_csv = (DataDir() / "feedback_pxtextmining" / "v6framework_230831.csv").string();
  r.model_path = "/nonexistent/feedback.model";
  CD_ASSIGN_OR_RETURN(m.report, GenerateRelationsDemo(m.db->pool(), r));
  return m;
}

int64_t Count(db::Pool& pool, const std::string& sql) {
  auto conn = pool.Acquire();
  auto rs = conn->Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << ": " << (rs.ok() ? "" : rs.error().message);
  return rs.ok() ? rs->Int(0, 0) : -1;
}

class RelationsDemoTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto().ok()); }
};

TEST_P(RelationsDemoTest, CasesAreWhatTheServiceWouldHaveRecorded) {
  auto made = Make(GetParam());
  ASSERT_TRUE(made.ok()) << made.error().message;
  auto& pool = made->db->pool();
  const auto& r = made->report;
  EXPECT_TRUE(r.texts_from_data_set) << "the pxtextmining data set under " << DataDir();
  EXPECT_GT(r.cases, 20);
  EXPECT_GT(r.grievances, 0);
  EXPECT_GT(r.inquiries, 0);
  EXPECT_GT(r.open, 0);
  EXPECT_LT(r.open, r.cases);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM cases"), r.cases);
  // Every description is a comment; every case begins with its intake on the timeline.
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM comments WHERE source = 'case'"), r.cases);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE "
                        "e.case_id = c.id AND e.type = 'intake')"),
            0);
  // A closed grievance has its written decision sent; no settled case waits on a deadline.
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM cases c WHERE c.kind = 'grievance' AND c.status = 'closed' AND "
                        "(c.decision_letter_at IS NULL OR NOT EXISTS (SELECT 1 FROM case_letters l WHERE "
                        "l.case_id = c.id AND l.sent_at IS NOT NULL))"),
            0);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM cases WHERE kind = 'grievance' AND status = 'closed'"), 0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM cases WHERE status = 'closed' AND next_due_at IS NOT NULL"), 0);
  // Some are overdue today, as in any real team's list.
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM cases WHERE status <> 'closed' AND next_due_at < " +
                            std::to_string(kNowMs)),
            0);
  // Nothing is dated after "now".
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM case_events WHERE at > " + std::to_string(kNowMs)), 0);
  // The planted shift: at the first location, waiting complaints per day are higher over the last
  // 35 days than over the 25 before.
  int64_t split = kNowMs - 35LL * 86'400'000;
  double recent = Count(pool, "SELECT COUNT(*) FROM cases WHERE category = 'wait_times' AND location_id = (SELECT "
                              "MIN(id) FROM locations) AND received_at >= " + std::to_string(split)) / 35.0;
  double before = Count(pool, "SELECT COUNT(*) FROM cases WHERE category = 'wait_times' AND location_id = (SELECT "
                              "MIN(id) FROM locations) AND received_at < " + std::to_string(split)) / 25.0;
  EXPECT_GT(recent, 2 * before) << "recent " << recent << "/day, before " << before << "/day";
  // The audit trail still verifies.
  FakeClock clock(FromMillis(kNowMs));
  AuditLog audit(pool, clock);
  auto problem = audit.Verify();
  ASSERT_TRUE(problem.ok());
  EXPECT_FALSE(problem->has_value());
}

TEST_P(RelationsDemoTest, TheSameSeedGivesTheSameCases) {
  auto a = Make(GetParam());
  auto b = Make(GetParam());
  ASSERT_TRUE(a.ok() && b.ok());
  auto rows = [](db::Pool& pool) {
    auto conn = pool.Acquire();
    auto rs = conn->Query("SELECT reference_number, kind, status, category, received_at, description FROM cases "
                          "ORDER BY id");
    std::vector<std::tuple<std::string, std::string, std::string, std::string, int64_t, std::string>> out;
    for (size_t i = 0; i < rs->size(); ++i) {
      out.emplace_back(rs->Text(i, 0), rs->Text(i, 1), rs->Text(i, 2), rs->Text(i, 3), rs->Int(i, 4), rs->Text(i, 5));
    }
    return out;
  };
  EXPECT_EQ(rows(a->db->pool()), rows(b->db->pool()));
}

CAREDESK_INSTANTIATE_BACKENDS(RelationsDemoTest);

}  // namespace
}  // namespace caredesk
