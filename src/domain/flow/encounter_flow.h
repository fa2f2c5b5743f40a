// The patient-flow state machine after the ED Benchmarking Alliance's
// milestones: arrived → roomed → with_provider → checkout → completed, and
// left_without_being_seen from a waiting state. Steps may be skipped forward
// (a patient seen in the waiting area goes straight to with_provider), never
// backward except by undo. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk {

inline constexpr std::string_view kArrived = "arrived";
inline constexpr std::string_view kRoomed = "roomed";
inline constexpr std::string_view kWithProvider = "with_provider";
inline constexpr std::string_view kCheckout = "checkout";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kLeftWithoutBeingSeen = "left_without_being_seen";

const std::vector<std::string_view>& EncounterStates();
bool IsEncounterState(std::string_view s);
bool IsTerminalState(std::string_view s);
// Waiting states: the patient has not yet been seen by a provider.
bool IsWaitingState(std::string_view s);

// OK when `from` may move to `to`; otherwise Conflict "invalid_transition",
// or Invalid on field "to" for an unknown state.
Status CheckFlowTransition(std::string_view from, std::string_view to);

// Colour of a board row against the location's thresholds.
enum class WaitLevel { kOk, kWarn, kAlert };
std::string_view WaitLevelName(WaitLevel level);

struct FlowThresholds {
  int warn_minutes = 15;
  int alert_minutes = 30;
};
Status ValidateThresholds(const FlowThresholds& t);

// The level of a row: its minutes in the current state against the
// thresholds while the patient waits or is in checkout; a patient with the
// provider is never flagged.
WaitLevel LevelFor(std::string_view state, int64_t state_minutes, const FlowThresholds& t);

}  // namespace caredesk
