#include "domain/relations/deadline_policy.h"

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>

namespace caredesk::relations {
namespace {

constexpr std::array<std::string_view, 4> kMilestoneNames = {"acknowledge", "resolve_or_interim_notice",
                                                             "written_decision", "resolve"};

// Default time frames (BRIEF §3; configurable per location).
constexpr int kAcknowledgeBusinessDays = 2;
constexpr int kComplaintResolveBusinessDays = 5;
constexpr int kGrievanceInterimCalendarDays = 7;
constexpr int kWrittenDecisionCalendarDays = 30;
constexpr int kInquiryResolveBusinessDays = 5;
constexpr std::chrono::hours kDefaultReminder{24};
constexpr std::chrono::hours kLongReminder{72};

std::optional<TimePoint> EarliestAsOf(std::initializer_list<const std::optional<TimePoint>*> events, TimePoint now) {
  std::optional<TimePoint> best;
  for (const std::optional<TimePoint>* e : events) {
    if (!e->has_value() || **e > now) continue;
    if (!best || **e < *best) best = **e;
  }
  return best;
}

Status ValidateRules(std::string_view kind, const std::vector<DeadlineRule>& rules) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const DeadlineRule& r = rules[i];
    const std::string prefix = std::string(kind) + "." + std::string(MilestoneName(r.milestone));
    if (r.days < 0 || r.days > kMaxDeadlineDays) {
      return Error::Invalid(prefix + ".days", "must be between 0 and " + std::to_string(kMaxDeadlineDays),
                            "out_of_range");
    }
    if (r.remind_before.count() < 0 || r.remind_before > kMaxReminderWindow) {
      return Error::Invalid(prefix + ".remind_before_hours",
                            "must be between 0 and " + std::to_string(kMaxReminderWindow.count()) + " hours",
                            "out_of_range");
    }
    for (size_t j = 0; j < i; ++j) {
      if (rules[j].milestone == r.milestone) {
        return Error::Invalid(std::string(kind),
                              "the " + std::string(MilestoneName(r.milestone)) + " deadline is listed twice",
                              "duplicate_milestone");
      }
    }
  }
  return Ok();
}

}  // namespace

std::string_view MilestoneName(Milestone milestone) { return kMilestoneNames[static_cast<size_t>(milestone)]; }

Result<Milestone> ParseMilestone(std::string_view name, std::string_view field) {
  for (size_t i = 0; i < kMilestoneNames.size(); ++i) {
    if (kMilestoneNames[i] == name) return static_cast<Milestone>(i);
  }
  return Error::Invalid(std::string(field),
                        "unknown milestone '" + std::string(name) +
                            "'; expected acknowledge, resolve_or_interim_notice, written_decision or resolve",
                        "unknown_milestone");
}

std::string_view DayCountName(DayCount count) {
  return count == DayCount::kBusinessDays ? "business_days" : "calendar_days";
}

const std::vector<DeadlineRule>& DeadlinePolicy::For(CaseKind kind) const {
  switch (kind) {
    case CaseKind::kComplaint:
      return complaint;
    case CaseKind::kGrievance:
      return grievance;
    case CaseKind::kInquiry:
      return inquiry;
  }
  return complaint;
}

DeadlinePolicy DeadlinePolicy::Defaults() {
  DeadlinePolicy p;
  const DeadlineRule acknowledge{Milestone::kAcknowledge, kAcknowledgeBusinessDays, DayCount::kBusinessDays,
                                 kDefaultReminder};
  p.complaint = {acknowledge,
                 {Milestone::kResolve, kComplaintResolveBusinessDays, DayCount::kBusinessDays, kDefaultReminder}};
  p.grievance = {
      acknowledge,
      {Milestone::kResolveOrInterimNotice, kGrievanceInterimCalendarDays, DayCount::kCalendarDays, kDefaultReminder},
      {Milestone::kWrittenDecision, kWrittenDecisionCalendarDays, DayCount::kCalendarDays, kLongReminder}};
  p.inquiry = {acknowledge,
               {Milestone::kResolve, kInquiryResolveBusinessDays, DayCount::kBusinessDays, kDefaultReminder}};
  return p;
}

Status ValidateDeadlinePolicy(const DeadlinePolicy& policy) {
  for (CaseKind kind : AllCaseKinds()) {
    CD_RETURN_IF_ERROR(ValidateRules(CaseKindName(kind), policy.For(kind)));
  }
  return Ok();
}

Result<std::vector<CaseDeadline>> ComputeDeadlines(const DeadlinePolicy& policy, CaseKind kind, TimePoint received_at,
                                                   const BusinessCalendar& calendar) {
  const std::vector<DeadlineRule>& rules = policy.For(kind);
  CD_RETURN_IF_ERROR(ValidateRules(CaseKindName(kind), rules));
  std::vector<CaseDeadline> out;
  out.reserve(rules.size());
  for (const DeadlineRule& r : rules) {
    CD_ASSIGN_OR_RETURN(TimePoint due, r.count == DayCount::kBusinessDays
                                           ? calendar.AddBusinessDays(received_at, r.days)
                                           : calendar.AddCalendarDays(received_at, r.days));
    out.push_back({r.milestone, due, r});
  }
  return out;
}

Status ValidateTimeline(const CaseTimeline& t) {
  const std::array<std::pair<std::string_view, const std::optional<TimePoint>*>, 4> events = {{
      {"acknowledged_at", &t.acknowledged_at},
      {"interim_notice_sent_at", &t.interim_notice_sent_at},
      {"resolved_at", &t.resolved_at},
      {"decision_letter_sent_at", &t.decision_letter_sent_at},
  }};
  for (const auto& [field, event] : events) {
    if (event->has_value() && **event < t.received_at) {
      return Error::Invalid(std::string(field), std::string(field) + " is earlier than received_at", "before_received");
    }
  }
  return Ok();
}

std::optional<TimePoint> MetAt(Milestone milestone, const CaseTimeline& t, TimePoint now) {
  switch (milestone) {
    case Milestone::kAcknowledge:
      return EarliestAsOf({&t.acknowledged_at, &t.interim_notice_sent_at, &t.resolved_at, &t.decision_letter_sent_at},
                          now);
    case Milestone::kResolveOrInterimNotice:
      return EarliestAsOf({&t.interim_notice_sent_at, &t.resolved_at, &t.decision_letter_sent_at}, now);
    case Milestone::kWrittenDecision:
      return EarliestAsOf({&t.decision_letter_sent_at}, now);
    case Milestone::kResolve:
      return EarliestAsOf({&t.resolved_at, &t.decision_letter_sent_at}, now);
  }
  return std::nullopt;
}

std::string_view DeadlineStateName(DeadlineState state) {
  switch (state) {
    case DeadlineState::kPending:
      return "pending";
    case DeadlineState::kMet:
      return "met";
    case DeadlineState::kMetLate:
      return "met_late";
    case DeadlineState::kOverdue:
      return "overdue";
  }
  return "pending";
}

Result<std::vector<DeadlineStatus>> EvaluateDeadlines(const std::vector<CaseDeadline>& deadlines,
                                                      const CaseTimeline& timeline, TimePoint now) {
  CD_RETURN_IF_ERROR(ValidateTimeline(timeline));
  std::vector<DeadlineStatus> out;
  out.reserve(deadlines.size());
  for (const CaseDeadline& d : deadlines) {
    DeadlineStatus s;
    s.milestone = d.milestone;
    s.due = d.due;
    s.met_at = MetAt(d.milestone, timeline, now);
    if (s.met_at) {
      s.state = *s.met_at <= d.due ? DeadlineState::kMet : DeadlineState::kMetLate;
    } else if (now > d.due) {
      s.state = DeadlineState::kOverdue;
      s.needs_escalation = true;
    } else {
      s.state = DeadlineState::kPending;
      s.due_soon = d.due - now <= d.rule.remind_before;
    }
    out.push_back(s);
  }
  return out;
}

Result<CaseDeadlineReport> AssessDeadlines(const DeadlinePolicy& policy, CaseKind kind, const CaseTimeline& timeline,
                                           const BusinessCalendar& calendar, TimePoint now) {
  CD_ASSIGN_OR_RETURN(std::vector<CaseDeadline> deadlines,
                      ComputeDeadlines(policy, kind, timeline.received_at, calendar));
  CD_ASSIGN_OR_RETURN(std::vector<DeadlineStatus> statuses, EvaluateDeadlines(deadlines, timeline, now));
  CaseDeadlineReport report;
  for (const DeadlineStatus& s : statuses) {
    report.any_due_soon = report.any_due_soon || s.due_soon;
    report.any_overdue = report.any_overdue || s.state == DeadlineState::kOverdue;
    if (s.state == DeadlineState::kPending && (!report.next_due || s.due < *report.next_due)) {
      report.next_due = s.due;
    }
  }
  report.deadlines = std::move(statuses);
  return report;
}

}  // namespace caredesk::relations
