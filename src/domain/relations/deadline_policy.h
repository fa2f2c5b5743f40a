// Deadline policies of patient-relations cases: which milestones a case of
// each kind owes the patient and by when, the deadlines of one case, and
// their state as of a given instant. Pure functions over value types (the
// caller passes `now`, read from its injected Clock); thread-safe.
//
// Milestones and the timeline events that meet them (the earliest counts):
//   acknowledge                acknowledged, interim notice, resolved, decision
//                              letter (any answer acknowledges)
//   resolve_or_interim_notice  interim notice, resolved, decision letter
//                              (SOM A-0119: not resolved within 7 days, the
//                              patient is told the work goes on)
//   written_decision           decision letter (42 CFR 482.13(a)(2)(iii))
//   resolve                    resolved, decision letter
//
// Defaults (DeadlinePolicy::Defaults()):
//   complaint  acknowledge 2 business days; resolve 5 business days
//   grievance  acknowledge 2 business days; resolve_or_interim_notice 7
//              calendar days; written_decision 30 calendar days
//   inquiry    acknowledge 2 business days; resolve 5 business days
// Each deadline is computed from the receipt instant on the location's
// BusinessCalendar (business_calendar.h gives the exact rules: deadlines fall
// due at 23:59:59.999 local on their day). A reopened case is evaluated with
// a fresh timeline whose received_at is the reopening.
//
// States as of `now` (events later than `now` have not happened yet, so a
// past `now` replays history):
//   met       the meeting event happened at or before the due instant
//   met_late  it happened after the due instant
//   overdue   no meeting event and now > due: needs escalation
//   pending   no meeting event and now <= due; due soon when
//             due - now <= the rule's reminder window
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/relations/business_calendar.h"
#include "domain/relations/case_kind.h"

namespace caredesk::relations {

enum class Milestone { kAcknowledge, kResolveOrInterimNotice, kWrittenDecision, kResolve };
// "acknowledge", "resolve_or_interim_notice", "written_decision", "resolve".
std::string_view MilestoneName(Milestone milestone);
// Unknown name: Error::Invalid on `field`, reason "unknown_milestone".
Result<Milestone> ParseMilestone(std::string_view name, std::string_view field = "milestone");

enum class DayCount { kBusinessDays, kCalendarDays };
// "business_days", "calendar_days".
std::string_view DayCountName(DayCount count);

// The longest reminder window a rule may ask for.
inline constexpr std::chrono::hours kMaxReminderWindow{24 * 30};

struct DeadlineRule {
  Milestone milestone = Milestone::kAcknowledge;
  int days = 0;  // 0..kMaxDeadlineDays
  DayCount count = DayCount::kBusinessDays;
  // A pending deadline is "due soon" this long before it falls due.
  std::chrono::hours remind_before{24};
};

struct DeadlinePolicy {
  std::vector<DeadlineRule> complaint;
  std::vector<DeadlineRule> grievance;
  std::vector<DeadlineRule> inquiry;

  const std::vector<DeadlineRule>& For(CaseKind kind) const;
  static DeadlinePolicy Defaults();
};

// Ok() or Error::Invalid naming the field as "<kind>.<milestone>.days" or
// "<kind>.<milestone>.remind_before_hours" (out of range) or "<kind>" (a
// milestone listed twice, reason "duplicate_milestone").
Status ValidateDeadlinePolicy(const DeadlinePolicy& policy);

struct CaseDeadline {
  Milestone milestone = Milestone::kAcknowledge;
  TimePoint due;
  DeadlineRule rule;
};

// The deadlines of a case of `kind` received at `received_at`, in the order
// of the policy's rules. Fails as ValidateDeadlinePolicy does.
Result<std::vector<CaseDeadline>> ComputeDeadlines(const DeadlinePolicy& policy, CaseKind kind, TimePoint received_at,
                                                   const BusinessCalendar& calendar);

// What has happened to a case, as instants.
struct CaseTimeline {
  TimePoint received_at;
  std::optional<TimePoint> acknowledged_at;
  std::optional<TimePoint> interim_notice_sent_at;
  std::optional<TimePoint> resolved_at;
  std::optional<TimePoint> decision_letter_sent_at;
};

// Ok() unless an event precedes received_at: Error::Invalid on the event's
// field ("acknowledged_at", ...) with reason "before_received".
Status ValidateTimeline(const CaseTimeline& timeline);

// The instant a milestone was met as of `now`, if it was.
std::optional<TimePoint> MetAt(Milestone milestone, const CaseTimeline& timeline, TimePoint now);

enum class DeadlineState { kPending, kMet, kMetLate, kOverdue };
// "pending", "met", "met_late", "overdue".
std::string_view DeadlineStateName(DeadlineState state);

struct DeadlineStatus {
  Milestone milestone = Milestone::kAcknowledge;
  TimePoint due;
  DeadlineState state = DeadlineState::kPending;
  std::optional<TimePoint> met_at;
  bool due_soon = false;          // pending and within the reminder window
  bool needs_escalation = false;  // overdue
};

// Each deadline's state as of `now`. Fails as ValidateTimeline does.
Result<std::vector<DeadlineStatus>> EvaluateDeadlines(const std::vector<CaseDeadline>& deadlines,
                                                      const CaseTimeline& timeline, TimePoint now);

// One case's deadlines as of `now`, summarised for lists and reminders.
struct CaseDeadlineReport {
  std::vector<DeadlineStatus> deadlines;
  bool any_due_soon = false;
  bool any_overdue = false;
  // The earliest due instant among pending deadlines.
  std::optional<TimePoint> next_due;
};

// ComputeDeadlines then EvaluateDeadlines, with the summary.
Result<CaseDeadlineReport> AssessDeadlines(const DeadlinePolicy& policy, CaseKind kind, const CaseTimeline& timeline,
                                           const BusinessCalendar& calendar, TimePoint now);

}  // namespace caredesk::relations
