#include "domain/relations/case_status.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

namespace caredesk::relations {
namespace {

constexpr std::array<std::string_view, 7> kStatusNames = {
    "received", "acknowledged", "investigating", "awaiting_response", "resolved", "closed", "reopened"};

using S = CaseStatus;

// Indexed by the `from` status.
const std::array<std::vector<CaseStatus>, 7>& TransitionTable() {
  static const std::array<std::vector<CaseStatus>, 7> kTable = {{
      /* received */ {S::kAcknowledged, S::kInvestigating, S::kResolved, S::kClosed},
      /* acknowledged */ {S::kInvestigating, S::kAwaitingResponse, S::kResolved},
      /* investigating */ {S::kAwaitingResponse, S::kResolved},
      /* awaiting_response */ {S::kInvestigating, S::kResolved},
      /* resolved */ {S::kClosed, S::kReopened},
      /* closed */ {S::kReopened},
      /* reopened */ {S::kAcknowledged, S::kInvestigating, S::kAwaitingResponse, S::kResolved},
  }};
  return kTable;
}

std::string JoinNames(const std::vector<CaseStatus>& statuses) {
  std::string out;
  for (CaseStatus s : statuses) {
    if (!out.empty()) out += ", ";
    out += CaseStatusName(s);
  }
  return out;
}

}  // namespace

std::string_view CaseStatusName(CaseStatus status) { return kStatusNames[static_cast<size_t>(status)]; }

const std::vector<CaseStatus>& AllCaseStatuses() {
  static const std::vector<CaseStatus> kAll = {S::kReceived, S::kAcknowledged, S::kInvestigating, S::kAwaitingResponse,
                                               S::kResolved, S::kClosed,       S::kReopened};
  return kAll;
}

Result<CaseStatus> ParseCaseStatus(std::string_view name, std::string_view field) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<CaseStatus>(i);
  }
  return Error::Invalid(
      std::string(field),
      "unknown case status '" + std::string(name) + "'; expected one of " + JoinNames(AllCaseStatuses()),
      "unknown_status");
}

bool IsOpenStatus(CaseStatus status) { return status != S::kResolved && status != S::kClosed; }

const std::vector<CaseStatus>& AllowedNextStatuses(CaseStatus from) {
  return TransitionTable()[static_cast<size_t>(from)];
}

Status CheckCaseTransition(CaseStatus from, CaseStatus to) {
  const std::vector<CaseStatus>& next = AllowedNextStatuses(from);
  if (std::find(next.begin(), next.end(), to) != next.end()) return Ok();
  if (from == to) {
    return Error::Conflict("invalid_transition", "the case is already " + std::string(CaseStatusName(from)), "status");
  }
  return Error::Conflict("invalid_transition",
                         "a case that is " + std::string(CaseStatusName(from)) + " cannot become " +
                             std::string(CaseStatusName(to)) + "; it may become " + JoinNames(next),
                         "status");
}

Status CheckCaseTransition(std::string_view from, std::string_view to) {
  CD_ASSIGN_OR_RETURN(CaseStatus from_status, ParseCaseStatus(from, "status"));
  CD_ASSIGN_OR_RETURN(CaseStatus to_status, ParseCaseStatus(to, "status"));
  return CheckCaseTransition(from_status, to_status);
}

}  // namespace caredesk::relations
