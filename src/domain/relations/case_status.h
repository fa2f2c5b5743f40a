// The status machine of a patient-relations case (complaint, grievance or
// inquiry alike). Pure functions; thread-safe.
//
//   from               may become
//   received           acknowledged, investigating, resolved, closed
//   acknowledged       investigating, awaiting_response, resolved
//   investigating      awaiting_response, resolved
//   awaiting_response  investigating, resolved
//   resolved           closed, reopened
//   closed             reopened
//   reopened           acknowledged, investigating, awaiting_response, resolved
//
// received -> resolved is a complaint settled on the spot by staff present;
// received -> closed is a submission withdrawn, duplicated or spam before any
// work began. Whether a grievance may be resolved without its decision letter
// is a rule of the service, not of this table.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::relations {

enum class CaseStatus {
  kReceived,
  kAcknowledged,
  kInvestigating,
  kAwaitingResponse,
  kResolved,
  kClosed,
  kReopened,
};

// Wire names: "received", "acknowledged", "investigating",
// "awaiting_response", "resolved", "closed", "reopened".
std::string_view CaseStatusName(CaseStatus status);
const std::vector<CaseStatus>& AllCaseStatuses();
// An unknown name gives Error::Invalid on `field`, reason "unknown_status".
Result<CaseStatus> ParseCaseStatus(std::string_view name, std::string_view field = "status");

// Open statuses still owe the patient something: every status but resolved
// and closed. Open cases are the ones deadlines and overdue lists look at.
bool IsOpenStatus(CaseStatus status);

// The statuses a case in `from` may move to, in declaration order.
const std::vector<CaseStatus>& AllowedNextStatuses(CaseStatus from);

// Ok() when a case may move from `from` to `to`. A disallowed move (staying
// put included) gives Error::Conflict on field "status" with reason
// "invalid_transition" and a message that names the allowed next statuses.
Status CheckCaseTransition(CaseStatus from, CaseStatus to);
// The same over wire names; an unknown name gives Error::Invalid on field
// "status" with reason "unknown_status".
Status CheckCaseTransition(std::string_view from, std::string_view to);

}  // namespace caredesk::relations
