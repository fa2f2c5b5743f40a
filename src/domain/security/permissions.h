// Roles and the permission table: the single source of truth for who may do
// what. Every HTTP route names one permission; the handler layer checks it.
// Pure and thread-safe (immutable tables).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace caredesk {

enum class Role { kAdmin, kManager, kCoordinator, kClinician, kBilling, kAuditor };

enum class Permission {
  kPatientRead,      // view demographics, coverage, appointments of a patient
  kPatientWrite,     // register and edit patients
  kAppointmentRead,  // calendars, slot search, appointment details
  kAppointmentWrite, // book, cancel, reschedule, no-show
  kFlowRead,         // the flow board
  kFlowWrite,        // check in, walk-ins, transitions, undo
  kSetupRead,        // locations, rooms, providers, types, templates
  kSetupWrite,       // change them
  kUserAdmin,        // users and roles
  kAuditRead,        // the audit trail and access reports
  kAnalyticsRead,    // service metrics and SPC charts
  kCasesRead,        // complaints, grievances and inquiries, their reports
  kCasesWrite,       // take, triage, work and resolve them
  kCasesManage,      // categories, deadline policies, letter template, business calendars
  kSurveysManage,    // survey builder, sending settings, vendor imports
  kSurveysSend,      // the invitation list and printed survey slips
  kImprovementWrite, // improvement projects and their PDSA cycles
  kCommentsRead,     // what patients write: every unit's with analytics.read, else the user's own unit's
  kInterfacesManage, // inbound HL7 v2 messages: list, read (raw), reprocess, submit without MLLP
  kPatientMerge,     // merge a duplicate patient record into another, and undo a merge
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();

std::string_view PermissionName(Permission p);
const std::vector<Permission>& AllPermissions();

bool RoleHas(Role role, Permission p);
std::vector<Permission> PermissionsOf(Role role);

}  // namespace caredesk
