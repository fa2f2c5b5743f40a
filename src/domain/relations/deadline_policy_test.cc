#include "domain/relations/deadline_policy.h"

#include <gtest/gtest.h>

#include <string>

#include "core/clock.h"

namespace caredesk::relations {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

constexpr std::string_view kNewYork = "America/New_York";

TimePoint At(std::string_view iso) {
  auto t = ParseInstant(iso, "", "t");
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : TimePoint{};
}

// Local end-of-day instants print as "...T23:59:59-04:00"; every due instant
// is also checked to sit on the last millisecond.
std::string Local(TimePoint t) { return FormatInstant(t, kNewYork); }

BusinessCalendar NewYork() {
  auto cal = BusinessCalendar::Create({std::string(kNewYork), {1, 2, 3, 4, 5}, {CivilDate{2026, 11, 26}}});
  EXPECT_TRUE(cal.ok());
  return *cal;
}

const DeadlineStatus& Find(const std::vector<DeadlineStatus>& all, Milestone m) {
  for (const DeadlineStatus& s : all) {
    if (s.milestone == m) return s;
  }
  ADD_FAILURE() << "no deadline " << MilestoneName(m);
  return all.front();
}

TEST(DeadlinePolicy, GrievanceDefaultsFromReceipt) {
  // Thursday 2026-03-05 10:00 EST; clocks go forward on Sunday 03-08.
  auto deadlines =
      ComputeDeadlines(DeadlinePolicy::Defaults(), CaseKind::kGrievance, At("2026-03-05T10:00:00-05:00"), NewYork());
  ASSERT_TRUE(deadlines.ok());
  ASSERT_EQ(deadlines->size(), 3u);
  EXPECT_EQ((*deadlines)[0].milestone, Milestone::kAcknowledge);
  EXPECT_EQ(Local((*deadlines)[0].due), "2026-03-09T23:59:59-04:00");
  EXPECT_EQ((*deadlines)[1].milestone, Milestone::kResolveOrInterimNotice);
  EXPECT_EQ(Local((*deadlines)[1].due), "2026-03-12T23:59:59-04:00");
  EXPECT_EQ((*deadlines)[2].milestone, Milestone::kWrittenDecision);
  EXPECT_EQ(Local((*deadlines)[2].due), "2026-04-04T23:59:59-04:00");
  for (const CaseDeadline& d : *deadlines) EXPECT_EQ(ToMillis(d.due) % 1000, 999);
}

TEST(DeadlinePolicy, ComplaintAndInquiryDefaults) {
  auto complaint =
      ComputeDeadlines(DeadlinePolicy::Defaults(), CaseKind::kComplaint, At("2026-02-06T16:00:00-05:00"), NewYork());
  ASSERT_TRUE(complaint.ok());
  ASSERT_EQ(complaint->size(), 2u);
  EXPECT_EQ(Local((*complaint)[0].due), "2026-02-10T23:59:59-05:00");
  EXPECT_EQ((*complaint)[1].milestone, Milestone::kResolve);
  EXPECT_EQ(Local((*complaint)[1].due), "2026-02-13T23:59:59-05:00");

  // An inquiry received the day before Thanksgiving: 5 business days skip
  // the holiday and the weekend.
  auto inquiry =
      ComputeDeadlines(DeadlinePolicy::Defaults(), CaseKind::kInquiry, At("2026-11-25T09:00:00-05:00"), NewYork());
  ASSERT_TRUE(inquiry.ok());
  EXPECT_EQ(Local((*inquiry)[1].due), "2026-12-03T23:59:59-05:00");
}

TEST(DeadlinePolicy, PoliciesAreConfigurable) {
  DeadlinePolicy p = DeadlinePolicy::Defaults();
  p.grievance = {{Milestone::kResolveOrInterimNotice, 5, DayCount::kBusinessDays, hours(48)}};
  ASSERT_TRUE(ValidateDeadlinePolicy(p).ok());
  auto deadlines = ComputeDeadlines(p, CaseKind::kGrievance, At("2026-02-06T16:00:00-05:00"), NewYork());
  ASSERT_TRUE(deadlines.ok());
  ASSERT_EQ(deadlines->size(), 1u);
  EXPECT_EQ(Local((*deadlines)[0].due), "2026-02-13T23:59:59-05:00");
}

TEST(DeadlinePolicy, RejectsBadRulesNamingTheField) {
  DeadlinePolicy p = DeadlinePolicy::Defaults();
  p.grievance[0].days = -1;
  auto st = ValidateDeadlinePolicy(p);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "grievance.acknowledge.days");
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ComputeDeadlines(p, CaseKind::kGrievance, At("2026-02-06T16:00:00-05:00"), NewYork()).ok());

  p = DeadlinePolicy::Defaults();
  p.inquiry[1].remind_before = kMaxReminderWindow + hours(1);
  EXPECT_EQ(ValidateDeadlinePolicy(p).error().field, "inquiry.resolve.remind_before_hours");

  p = DeadlinePolicy::Defaults();
  p.complaint.push_back(p.complaint[0]);
  auto dup = ValidateDeadlinePolicy(p);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "complaint");
  EXPECT_EQ(dup.error().reason, "duplicate_milestone");
}

class GrievanceDeadlines : public ::testing::Test {
 protected:
  // Monday 2026-11-02 09:00 EST: acknowledge by Wednesday 11-04, interim
  // notice by Monday 11-09, written decision by Wednesday 12-02.
  GrievanceDeadlines() : clock_(At("2026-11-02T09:00:00-05:00")) { timeline_.received_at = clock_.Now(); }

  CaseDeadlineReport Assess() {
    auto r = AssessDeadlines(DeadlinePolicy::Defaults(), CaseKind::kGrievance, timeline_, NewYork(), clock_.Now());
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : CaseDeadlineReport{};
  }

  FakeClock clock_;
  CaseTimeline timeline_;
};

TEST_F(GrievanceDeadlines, FreshCaseIsPendingAndNotYetDueSoon) {
  CaseDeadlineReport r = Assess();
  ASSERT_EQ(r.deadlines.size(), 3u);
  for (const DeadlineStatus& s : r.deadlines) {
    EXPECT_EQ(s.state, DeadlineState::kPending) << MilestoneName(s.milestone);
    EXPECT_FALSE(s.due_soon);
    EXPECT_FALSE(s.needs_escalation);
  }
  EXPECT_FALSE(r.any_overdue);
  ASSERT_TRUE(r.next_due.has_value());
  EXPECT_EQ(Local(*r.next_due), "2026-11-04T23:59:59-05:00");
}

TEST_F(GrievanceDeadlines, AcknowledgementFallsDueSoonWithinTheReminderWindow) {
  clock_.Set(At("2026-11-04T09:00:00-05:00"));
  CaseDeadlineReport r = Assess();
  EXPECT_TRUE(Find(r.deadlines, Milestone::kAcknowledge).due_soon);
  EXPECT_FALSE(Find(r.deadlines, Milestone::kResolveOrInterimNotice).due_soon);
  EXPECT_TRUE(r.any_due_soon);
}

TEST_F(GrievanceDeadlines, SevenDayInterimNoticeFallsDueWhenTheClockMovesOn) {
  timeline_.acknowledged_at = At("2026-11-03T11:00:00-05:00");
  clock_.Advance(hours(24 * 7));  // Monday 11-09 09:00: due tonight
  CaseDeadlineReport r = Assess();
  EXPECT_EQ(Find(r.deadlines, Milestone::kAcknowledge).state, DeadlineState::kMet);
  const DeadlineStatus& interim = Find(r.deadlines, Milestone::kResolveOrInterimNotice);
  EXPECT_EQ(interim.state, DeadlineState::kPending);
  EXPECT_TRUE(interim.due_soon);
  EXPECT_EQ(Local(*r.next_due), "2026-11-09T23:59:59-05:00");

  clock_.Advance(hours(24));  // Tuesday 11-10 09:00: overdue
  r = Assess();
  const DeadlineStatus& late = Find(r.deadlines, Milestone::kResolveOrInterimNotice);
  EXPECT_EQ(late.state, DeadlineState::kOverdue);
  EXPECT_TRUE(late.needs_escalation);
  EXPECT_FALSE(late.due_soon);
  EXPECT_TRUE(r.any_overdue);
  EXPECT_EQ(Find(r.deadlines, Milestone::kWrittenDecision).state, DeadlineState::kPending);
}

TEST_F(GrievanceDeadlines, InterimNoticeSentLateIsMetLate) {
  timeline_.acknowledged_at = At("2026-11-05T10:00:00-05:00");
  timeline_.interim_notice_sent_at = At("2026-11-10T10:00:00-05:00");
  clock_.Set(At("2026-11-12T10:00:00-05:00"));
  CaseDeadlineReport r = Assess();
  EXPECT_EQ(Find(r.deadlines, Milestone::kAcknowledge).state, DeadlineState::kMetLate);
  const DeadlineStatus& interim = Find(r.deadlines, Milestone::kResolveOrInterimNotice);
  EXPECT_EQ(interim.state, DeadlineState::kMetLate);
  EXPECT_EQ(interim.met_at, timeline_.interim_notice_sent_at);
  EXPECT_FALSE(interim.needs_escalation);
  EXPECT_FALSE(r.any_overdue);
}

TEST_F(GrievanceDeadlines, DecisionLetterWithinSevenDaysMeetsEveryDeadline) {
  timeline_.resolved_at = At("2026-11-05T15:00:00-05:00");
  timeline_.decision_letter_sent_at = At("2026-11-06T10:00:00-05:00");
  clock_.Set(At("2026-12-15T10:00:00-05:00"));
  CaseDeadlineReport r = Assess();
  // No separate acknowledgement: the answer itself acknowledged the case.
  EXPECT_EQ(Find(r.deadlines, Milestone::kAcknowledge).state, DeadlineState::kMetLate);
  EXPECT_EQ(Find(r.deadlines, Milestone::kResolveOrInterimNotice).state, DeadlineState::kMet);
  EXPECT_EQ(Find(r.deadlines, Milestone::kResolveOrInterimNotice).met_at, timeline_.resolved_at);
  EXPECT_EQ(Find(r.deadlines, Milestone::kWrittenDecision).state, DeadlineState::kMet);
  EXPECT_FALSE(r.next_due.has_value());
}

TEST_F(GrievanceDeadlines, WrittenDecisionOverdueAfterThirtyDays) {
  timeline_.acknowledged_at = At("2026-11-02T12:00:00-05:00");
  timeline_.interim_notice_sent_at = At("2026-11-06T12:00:00-05:00");
  clock_.Set(At("2026-12-03T00:00:00-05:00"));
  CaseDeadlineReport r = Assess();
  EXPECT_EQ(Find(r.deadlines, Milestone::kWrittenDecision).state, DeadlineState::kOverdue);
  EXPECT_TRUE(Find(r.deadlines, Milestone::kWrittenDecision).needs_escalation);
}

TEST_F(GrievanceDeadlines, BoundaryIsTheLastMillisecondOfTheDay) {
  auto deadlines = ComputeDeadlines(DeadlinePolicy::Defaults(), CaseKind::kGrievance, timeline_.received_at, NewYork());
  ASSERT_TRUE(deadlines.ok());
  const TimePoint due = (*deadlines)[0].due;

  auto at_due = EvaluateDeadlines(*deadlines, timeline_, due);
  ASSERT_TRUE(at_due.ok());
  EXPECT_EQ((*at_due)[0].state, DeadlineState::kPending);
  auto after = EvaluateDeadlines(*deadlines, timeline_, due + milliseconds(1));
  EXPECT_EQ((*after)[0].state, DeadlineState::kOverdue);

  timeline_.acknowledged_at = due;
  EXPECT_EQ((*EvaluateDeadlines(*deadlines, timeline_, due + hours(1)))[0].state, DeadlineState::kMet);
  timeline_.acknowledged_at = due + milliseconds(1);
  EXPECT_EQ((*EvaluateDeadlines(*deadlines, timeline_, due + hours(1)))[0].state, DeadlineState::kMetLate);
}

TEST_F(GrievanceDeadlines, EventsAfterNowHaveNotHappenedYet) {
  // Replaying history: as of Thursday 11-05 the acknowledgement sent on
  // Friday had not been sent.
  timeline_.acknowledged_at = At("2026-11-06T10:00:00-05:00");
  clock_.Set(At("2026-11-05T10:00:00-05:00"));
  CaseDeadlineReport r = Assess();
  EXPECT_EQ(Find(r.deadlines, Milestone::kAcknowledge).state, DeadlineState::kOverdue);
  EXPECT_FALSE(Find(r.deadlines, Milestone::kAcknowledge).met_at.has_value());
}

TEST_F(GrievanceDeadlines, RejectsEventsBeforeReceipt) {
  timeline_.interim_notice_sent_at = timeline_.received_at - hours(1);
  auto r = AssessDeadlines(DeadlinePolicy::Defaults(), CaseKind::kGrievance, timeline_, NewYork(), clock_.Now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "interim_notice_sent_at");
  EXPECT_EQ(r.error().reason, "before_received");
}

TEST(DeadlinePolicy, ComplaintResolvedOnTheSpotMeetsBothDeadlines) {
  CaseTimeline t;
  t.received_at = At("2026-02-06T16:00:00-05:00");
  t.resolved_at = At("2026-02-06T16:20:00-05:00");
  auto r =
      AssessDeadlines(DeadlinePolicy::Defaults(), CaseKind::kComplaint, t, NewYork(), At("2026-03-01T00:00:00-05:00"));
  ASSERT_TRUE(r.ok());
  for (const DeadlineStatus& s : r->deadlines) EXPECT_EQ(s.state, DeadlineState::kMet);
}

TEST(DeadlinePolicy, NamesRoundTrip) {
  for (Milestone m : {Milestone::kAcknowledge, Milestone::kResolveOrInterimNotice, Milestone::kWrittenDecision,
                      Milestone::kResolve}) {
    auto parsed = ParseMilestone(MilestoneName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_EQ(ParseMilestone("respond").error().field, "milestone");
  EXPECT_EQ(DeadlineStateName(DeadlineState::kMetLate), "met_late");
  EXPECT_EQ(DeadlineStateName(DeadlineState::kOverdue), "overdue");
  EXPECT_EQ(DayCountName(DayCount::kCalendarDays), "calendar_days");
}

}  // namespace
}  // namespace caredesk::relations
