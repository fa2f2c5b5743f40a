#include "domain/flow/encounter_flow.h"

#include <algorithm>

namespace caredesk {
namespace {

// Position along the main path; terminal LWBS is off the path.
int Rank(std::string_view s) {
  if (s == kArrived) return 0;
  if (s == kRoomed) return 1;
  if (s == kWithProvider) return 2;
  if (s == kCheckout) return 3;
  if (s == kCompleted) return 4;
  return -1;
}

}  // namespace

const std::vector<std::string_view>& EncounterStates() {
  static const std::vector<std::string_view> kStates = {kArrived,  kRoomed,    kWithProvider,
                                                        kCheckout, kCompleted, kLeftWithoutBeingSeen};
  return kStates;
}

bool IsEncounterState(std::string_view s) {
  const auto& all = EncounterStates();
  return std::find(all.begin(), all.end(), s) != all.end();
}

bool IsTerminalState(std::string_view s) { return s == kCompleted || s == kLeftWithoutBeingSeen; }

bool IsWaitingState(std::string_view s) { return s == kArrived || s == kRoomed; }

Status CheckFlowTransition(std::string_view from, std::string_view to) {
  if (!IsEncounterState(to) || to == kArrived) {
    return Error::Invalid("to", "to must be one of roomed, with_provider, checkout, completed, left_without_being_seen");
  }
  if (IsTerminalState(from)) {
    return Error::Conflict("invalid_transition", "the encounter is already " + std::string(from), "to");
  }
  if (to == kLeftWithoutBeingSeen) {
    if (IsWaitingState(from)) return Ok();
    return Error::Conflict("invalid_transition",
                           "left without being seen applies only while the patient waits (not after " +
                               std::string(from) + ")",
                           "to");
  }
  if (Rank(to) <= Rank(from)) {
    return Error::Conflict("invalid_transition",
                           "cannot move from " + std::string(from) + " back to " + std::string(to) + "; use undo",
                           "to");
  }
  return Ok();
}

std::string_view WaitLevelName(WaitLevel level) {
  switch (level) {
    case WaitLevel::kOk: return "ok";
    case WaitLevel::kWarn: return "warn";
    case WaitLevel::kAlert: return "alert";
  }
  return "ok";
}

Status ValidateThresholds(const FlowThresholds& t) {
  if (t.warn_minutes < 1 || t.warn_minutes > 1440) {
    return Error::Invalid("flow_warn_minutes", "must be between 1 and 1440 minutes");
  }
  if (t.alert_minutes <= t.warn_minutes || t.alert_minutes > 2880) {
    return Error::Invalid("flow_alert_minutes", "must be greater than flow_warn_minutes and at most 2880");
  }
  return Ok();
}

WaitLevel LevelFor(std::string_view state, int64_t state_minutes, const FlowThresholds& t) {
  if (state == kWithProvider || IsTerminalState(state)) return WaitLevel::kOk;
  if (state_minutes >= t.alert_minutes) return WaitLevel::kAlert;
  if (state_minutes >= t.warn_minutes) return WaitLevel::kWarn;
  return WaitLevel::kOk;
}

}  // namespace caredesk
