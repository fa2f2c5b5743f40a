#include "domain/security/permissions.h"

#include <array>

namespace caredesk {
namespace {

using P = Permission;

struct RoleGrant {
  Role role;
  std::string_view name;
  std::vector<Permission> permissions;
};

const std::vector<RoleGrant>& Grants() {
  static const std::vector<RoleGrant> kGrants = {
      {Role::kAdmin, "admin",
       {P::kPatientRead, P::kPatientWrite, P::kAppointmentRead, P::kAppointmentWrite, P::kFlowRead, P::kFlowWrite,
        P::kSetupRead, P::kSetupWrite, P::kUserAdmin, P::kAuditRead, P::kAnalyticsRead, P::kCasesRead, P::kCasesWrite,
        P::kCasesManage, P::kSurveysManage, P::kSurveysSend, P::kImprovementWrite, P::kCommentsRead,
        P::kInterfacesManage, P::kPatientMerge}},
      {Role::kManager, "manager",
       {P::kPatientRead, P::kPatientWrite, P::kAppointmentRead, P::kAppointmentWrite, P::kFlowRead, P::kFlowWrite,
        P::kSetupRead, P::kAnalyticsRead, P::kCasesRead, P::kCasesWrite, P::kCasesManage,
        P::kSurveysManage, P::kSurveysSend, P::kImprovementWrite, P::kCommentsRead, P::kInterfacesManage,
        P::kPatientMerge}},
      {Role::kCoordinator, "coordinator",
       {P::kPatientRead, P::kPatientWrite, P::kAppointmentRead, P::kAppointmentWrite, P::kFlowRead, P::kFlowWrite,
        P::kSetupRead, P::kCasesRead, P::kCasesWrite, P::kSurveysSend, P::kCommentsRead}},
      {Role::kClinician, "clinician",
       {P::kPatientRead, P::kAppointmentRead, P::kFlowRead, P::kFlowWrite, P::kSetupRead, P::kCommentsRead}},
      {Role::kBilling, "billing", {P::kPatientRead, P::kAppointmentRead, P::kSetupRead}},
      {Role::kAuditor, "auditor", {P::kPatientRead, P::kAuditRead, P::kSetupRead, P::kCasesRead}},
  };
  return kGrants;
}

constexpr std::array<std::pair<Permission, std::string_view>, 20> kPermissionNames = {{
    {P::kPatientRead, "patient.read"},
    {P::kPatientWrite, "patient.write"},
    {P::kAppointmentRead, "appointment.read"},
    {P::kAppointmentWrite, "appointment.write"},
    {P::kFlowRead, "flow.read"},
    {P::kFlowWrite, "flow.write"},
    {P::kSetupRead, "setup.read"},
    {P::kSetupWrite, "setup.write"},
    {P::kUserAdmin, "user.admin"},
    {P::kAuditRead, "audit.read"},
    {P::kAnalyticsRead, "analytics.read"},
    {P::kCasesRead, "cases.read"},
    {P::kCasesWrite, "cases.write"},
    {P::kCasesManage, "cases.manage"},
    {P::kSurveysManage, "surveys.manage"},
    {P::kSurveysSend, "surveys.send"},
    {P::kImprovementWrite, "improvement.write"},
    {P::kCommentsRead, "comments.read"},
    {P::kInterfacesManage, "interfaces.manage"},
    {P::kPatientMerge, "patient.merge"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& g : Grants()) {
    if (g.role == role) return g.name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& g : Grants()) {
    if (g.name == name) return g.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kRoles = [] {
    std::vector<Role> r;
    for (const auto& g : Grants()) r.push_back(g.role);
    return r;
  }();
  return kRoles;
}

std::string_view PermissionName(Permission p) {
  for (const auto& [perm, name] : kPermissionNames) {
    if (perm == p) return name;
  }
  return "unknown";
}

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> kAll = [] {
    std::vector<Permission> r;
    for (const auto& [perm, name] : kPermissionNames) r.push_back(perm);
    return r;
  }();
  return kAll;
}

bool RoleHas(Role role, Permission p) {
  for (const auto& g : Grants()) {
    if (g.role != role) continue;
    for (Permission q : g.permissions) {
      if (q == p) return true;
    }
  }
  return false;
}

std::vector<Permission> PermissionsOf(Role role) {
  for (const auto& g : Grants()) {
    if (g.role == role) return g.permissions;
  }
  return {};
}

}  // namespace caredesk
