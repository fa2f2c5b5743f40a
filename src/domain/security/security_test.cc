#include <gtest/gtest.h>

#include "domain/security/credentials.h"
#include "domain/security/login_throttle.h"
#include "domain/security/permissions.h"
#include "domain/security/smart_scopes.h"

namespace caredesk {
namespace {

TEST(Permissions, CoordinatorRegistersButCannotReadAudit) {
  EXPECT_TRUE(RoleHas(Role::kCoordinator, Permission::kPatientWrite));
  EXPECT_TRUE(RoleHas(Role::kCoordinator, Permission::kAppointmentWrite));
  EXPECT_TRUE(RoleHas(Role::kCoordinator, Permission::kFlowWrite));
  EXPECT_FALSE(RoleHas(Role::kCoordinator, Permission::kAuditRead));
}

TEST(Permissions, ClinicianCannotRegister) {
  EXPECT_FALSE(RoleHas(Role::kClinician, Permission::kPatientWrite));
  EXPECT_TRUE(RoleHas(Role::kClinician, Permission::kFlowRead));
}

TEST(Permissions, OnlyAdminAndAuditorReadAudit) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(RoleHas(r, Permission::kAuditRead), r == Role::kAdmin || r == Role::kAuditor) << RoleName(r);
  }
}

TEST(Permissions, OnlyAdminAndManagerManageInterfaces) {
  for (Role r : AllRoles()) {
    EXPECT_EQ(RoleHas(r, Permission::kInterfacesManage), r == Role::kAdmin || r == Role::kManager) << RoleName(r);
  }
  EXPECT_EQ(PermissionName(Permission::kInterfacesManage), "interfaces.manage");
}

TEST(Permissions, RoleNamesRoundTrip) {
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("superuser").has_value());
}

TEST(Credentials, Argon2idHashVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterz", *h));
  EXPECT_FALSE(VerifyPassword("x", ""));
}

TEST(Credentials, PasswordPolicyNamesField) {
  auto st = CheckPasswordPolicy("short");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "password");
}

TEST(Credentials, TokensAreUniqueAndHashed) {
  ASSERT_TRUE(InitCrypto().ok());
  std::string a = NewSessionToken(), b = NewSessionToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 3u + 43u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SmartScopes, V1AndV2ScopesAllowWhatTheySay) {
  auto s = ParseSmartScopes("  system/Patient.read user/Appointment.write system/Encounter.rs system/Slot.cud ");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->text, "system/Patient.read user/Appointment.write system/Encounter.rs system/Slot.cud");
  EXPECT_TRUE(s->Allows("Patient", false));
  EXPECT_FALSE(s->Allows("Patient", true));
  EXPECT_TRUE(s->Allows("Appointment", true));
  EXPECT_FALSE(s->Allows("Appointment", false));
  EXPECT_TRUE(s->Allows("Encounter", false));
  EXPECT_FALSE(s->Allows("Encounter", true));
  EXPECT_TRUE(s->Allows("Slot", true));
  EXPECT_FALSE(s->Allows("Location", false));
  auto all = ParseSmartScopes("system/*.read");
  EXPECT_TRUE(all->Allows("AuditEvent", false));
  EXPECT_FALSE(all->Allows("AuditEvent", true));
  auto everything = ParseSmartScopes("user/*.*");
  EXPECT_TRUE(everything->Allows("Patient", true));
  for (const char* bad : {"", "   ", "system/Patient", "Patient.read", "patient/Patient.read", "launch/Patient.read",
                          "system/patient.read", "system/Patient.rw", "system/Patient.sr", "system/Patient.rr",
                          "system/Patient.", "system/Pat-ient.read"}) {
    auto r = ParseSmartScopes(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "scope") << bad;
  }
}

TEST(LoginThrottle, LocksUserAfterRepeatedFailuresAndDoubles) {
  FakeClock clock(FromMillis(1'700'000'000'000));
  LoginThrottle t(clock, ThrottlePolicy{});
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.RetryAfterSeconds("ann", "1.2.3.4"), 0);
    t.RecordFailure("ann", "1.2.3.4");
  }
  EXPECT_EQ(t.RetryAfterSeconds("ann", "1.2.3.4"), 0);
  t.RecordFailure("ann", "1.2.3.4");
  EXPECT_GT(t.RetryAfterSeconds("ann", "9.9.9.9"), 50);  // the user is locked from any address
  EXPECT_EQ(t.RetryAfterSeconds("bob", "9.9.9.9"), 0);
  clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(t.RetryAfterSeconds("ann", "1.2.3.4"), 0);
  for (int i = 0; i < 5; ++i) t.RecordFailure("ann", "1.2.3.4");
  EXPECT_GT(t.RetryAfterSeconds("ann", "1.2.3.4"), 100);  // second lock-out is longer
}

TEST(LoginThrottle, LocksAddressSprayingManyUsers) {
  FakeClock clock(FromMillis(1'700'000'000'000));
  LoginThrottle t(clock, ThrottlePolicy{});
  for (int i = 0; i < 20; ++i) t.RecordFailure("user" + std::to_string(i), "6.6.6.6");
  EXPECT_GT(t.RetryAfterSeconds("someone-else", "6.6.6.6"), 0);
  EXPECT_EQ(t.RetryAfterSeconds("someone-else", "7.7.7.7"), 0);
}

}  // namespace
}  // namespace caredesk
