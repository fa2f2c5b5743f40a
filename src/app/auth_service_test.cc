#include "app/auth_service.h"

#include "app/app_test_fixture.h"

namespace caredesk {
namespace {

class AuthServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    auth_ = std::make_unique<AuthService>(pool(), clock_, *audit_, SessionPolicy{});
    auto u = auth_->CreateUser(Actor{}, {"ann", "Ann Lee", "coordinator", "correct-horse-1", std::nullopt, ""});
    ASSERT_TRUE(u.ok()) << u.error().message;
  }
  std::unique_ptr<AuthService> auth_;
};

TEST_P(AuthServiceTest, LoginIssuesTokenThatAuthenticates) {
  auto login = auth_->Login("ann", "correct-horse-1", "10.0.0.1");
  ASSERT_TRUE(login.ok()) << login.error().message;
  auto actor = auth_->Authenticate(login->token, "10.0.0.1");
  ASSERT_TRUE(actor.ok()) << actor.error().message;
  EXPECT_EQ(actor->username, "ann");
  EXPECT_EQ(actor->role, Role::kCoordinator);
}

TEST_P(AuthServiceTest, WrongPasswordIsUnauthenticatedAndThrottled) {
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->Login("ann", "wrong-password", "10.0.0.2");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  auto locked = auth_->Login("ann", "correct-horse-1", "10.0.0.2");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
}

TEST_P(AuthServiceTest, SessionExpiresWhenIdleAndAtAbsoluteLimit) {
  auto login = auth_->Login("ann", "correct-horse-1", "a");
  ASSERT_TRUE(login.ok());
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(auth_->Authenticate(login->token, "a").ok());
  clock_.Advance(std::chrono::minutes(31));
  auto idle = auth_->Authenticate(login->token, "a");
  ASSERT_FALSE(idle.ok());
  EXPECT_EQ(idle.error().code, ErrorCode::kUnauthenticated);

  auto again = auth_->Login("ann", "correct-horse-1", "a");
  ASSERT_TRUE(again.ok());
  for (int i = 0; i < 25; ++i) {  // keep it busy for 12.5 hours
    clock_.Advance(std::chrono::minutes(30) - std::chrono::seconds(1));
    if (!auth_->Authenticate(again->token, "a").ok()) break;
  }
  EXPECT_FALSE(auth_->Authenticate(again->token, "a").ok());
}

// A token for a system: its scopes come with the actor; it does not expire when idle, only at its end.
TEST_P(AuthServiceTest, SystemTokensCarryScopesAndLastTheirDays) {
  Actor admin{1, "root", Role::kAdmin, "10.0.0.9", 0};
  auto issued = auth_->IssueToken(admin, "ann", "system/Patient.read  user/Appointment.write", 2);
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->user.username, "ann");
  auto actor = auth_->Authenticate(issued->token, "10.0.0.3");
  ASSERT_TRUE(actor.ok()) << actor.error().message;
  ASSERT_TRUE(actor->scopes);
  EXPECT_EQ(actor->scopes->text, "system/Patient.read user/Appointment.write");
  EXPECT_TRUE(actor->scopes->Allows("Patient", false));
  EXPECT_FALSE(actor->scopes->Allows("Patient", true));
  auto listed = auth_->SystemTokens();
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, issued->session_id);
  EXPECT_EQ(listed->front().scopes, "system/Patient.read user/Appointment.write");
  auto other = auth_->IssueToken(admin, "ann", "system/*.read", 1);
  ASSERT_TRUE(auth_->RevokeSystemToken(admin, other->session_id).ok());
  EXPECT_EQ(auth_->Authenticate(other->token, "x").error().code, ErrorCode::kUnauthenticated);  // at once
  EXPECT_EQ(auth_->RevokeSystemToken(admin, other->session_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(auth_->SystemTokens()->size(), 1u);
  clock_.Advance(std::chrono::hours(47));  // far past the idle limit
  EXPECT_TRUE(auth_->Authenticate(issued->token, "10.0.0.3").ok());
  clock_.Advance(std::chrono::hours(1) + std::chrono::milliseconds(AuthService::kSessionCacheMs));
  EXPECT_EQ(auth_->Authenticate(issued->token, "10.0.0.3").error().code, ErrorCode::kUnauthenticated);
  // A sign-in has no scopes.
  auto login = auth_->Login("ann", "correct-horse-1", "a");
  EXPECT_FALSE(auth_->Authenticate(login->token, "a")->scopes);
  EXPECT_EQ(auth_->IssueToken(admin, "ann", "patient/*.read", 2).error().field, "scope");
  EXPECT_EQ(auth_->IssueToken(admin, "ann", "system/*.read", 0).error().field, "days");
  EXPECT_EQ(auth_->IssueToken(admin, "nobody", "system/*.read", 2).error().code, ErrorCode::kNotFound);
  db::AuditFilter f;
  f.action = "token_issue";
  auto events = audit_->Search(f);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().detail, "for ann: system/Patient.read user/Appointment.write, 2 days");
}

TEST_P(AuthServiceTest, LogoutEndsSession) {
  auto login = auth_->Login("ann", "correct-horse-1", "a");
  auto actor = auth_->Authenticate(login->token, "a");
  ASSERT_TRUE(auth_->Logout(*actor).ok());
  EXPECT_FALSE(auth_->Authenticate(login->token, "a").ok());
}

TEST_P(AuthServiceTest, DeactivationRevokesSessions) {
  auto login = auth_->Login("ann", "correct-horse-1", "a");
  auto actor = auth_->Authenticate(login->token, "a");
  UserChange change;
  change.active = false;
  ASSERT_TRUE(auth_->UpdateUser(Actor{}, actor->user_id, change).ok());
  EXPECT_FALSE(auth_->Authenticate(login->token, "a").ok());
}

TEST_P(AuthServiceTest, AnotherProcessesSignOutTakesEffectWithinTheSessionCacheTime) {
  // A second AuthService on the same database stands for another server process.
  AuthService other(pool(), clock_, *audit_, SessionPolicy{});
  auto login = auth_->Login("ann", "correct-horse-1", "a");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(auth_->Authenticate(login->token, "a").ok());  // now cached here
  auto elsewhere = other.Authenticate(login->token, "a");
  ASSERT_TRUE(elsewhere.ok());
  ASSERT_TRUE(other.Logout(*elsewhere).ok());
  EXPECT_FALSE(other.Authenticate(login->token, "a").ok()) << "the signing-out process forgets at once";
  clock_.Advance(std::chrono::milliseconds(AuthService::kSessionCacheMs));
  EXPECT_FALSE(auth_->Authenticate(login->token, "a").ok()) << "the other process forgets within the cache time";
}

TEST_P(AuthServiceTest, RejectsBadUsersWithFieldNames) {
  auto dup = auth_->CreateUser(Actor{}, {"ann", "", "coordinator", "another-pass-1", std::nullopt, ""});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "username");
  EXPECT_EQ(auth_->CreateUser(Actor{}, {"bob", "", "wizard", "another-pass-1", std::nullopt, ""}).error().field, "role");
  EXPECT_EQ(auth_->CreateUser(Actor{}, {"bob", "", "clinician", "short", std::nullopt, ""}).error().field, "password");
  EXPECT_EQ(auth_->CreateUser(Actor{}, {"b b", "", "clinician", "another-pass-1", std::nullopt, ""}).error().field, "username");
}

TEST_P(AuthServiceTest, PrivilegeChangesAreAudited) {
  auto users = auth_->ListUsers();
  UserChange change;
  change.role = "manager";
  ASSERT_TRUE(auth_->UpdateUser(Actor{}, users->front().id, change).ok());
  db::AuditFilter f;
  f.action = "user_update";
  auto events = audit_->Search(f);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().category, "privileges");
  EXPECT_NE(events->front().detail.find("coordinator -> manager"), std::string::npos);
}

CAREDESK_INSTANTIATE_BACKENDS(AuthServiceTest);

}  // namespace
}  // namespace caredesk
