#include "domain/relations/case_status.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace caredesk::relations {
namespace {

using S = CaseStatus;

TEST(CaseStatus, FollowsTheWorkingPath) {
  EXPECT_TRUE(CheckCaseTransition(S::kReceived, S::kAcknowledged).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kAcknowledged, S::kInvestigating).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kInvestigating, S::kAwaitingResponse).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kAwaitingResponse, S::kInvestigating).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kInvestigating, S::kResolved).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kResolved, S::kClosed).ok());
}

TEST(CaseStatus, ResolvedOnTheSpotAndWithdrawnBeforeWork) {
  EXPECT_TRUE(CheckCaseTransition(S::kReceived, S::kResolved).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kReceived, S::kClosed).ok());
  EXPECT_FALSE(CheckCaseTransition(S::kInvestigating, S::kClosed).ok());
}

TEST(CaseStatus, ReopensFromResolvedOrClosedAndResumesWork) {
  EXPECT_TRUE(CheckCaseTransition(S::kClosed, S::kReopened).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kResolved, S::kReopened).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kReopened, S::kInvestigating).ok());
  EXPECT_TRUE(CheckCaseTransition(S::kReopened, S::kResolved).ok());
  EXPECT_FALSE(CheckCaseTransition(S::kReopened, S::kClosed).ok());
  EXPECT_FALSE(CheckCaseTransition(S::kInvestigating, S::kReopened).ok());
}

TEST(CaseStatus, DisallowedMoveIsAConflictNamingAllowedNextStatuses) {
  auto st = CheckCaseTransition(S::kClosed, S::kResolved);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(st.error().reason, "invalid_transition");
  EXPECT_EQ(st.error().field, "status");
  EXPECT_NE(st.error().message.find("reopened"), std::string::npos);

  auto same = CheckCaseTransition(S::kInvestigating, S::kInvestigating);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().reason, "invalid_transition");
  EXPECT_NE(same.error().message.find("already investigating"), std::string::npos);

  EXPECT_FALSE(CheckCaseTransition(S::kResolved, S::kReceived).ok());
}

TEST(CaseStatus, CheckAgreesWithTheTableForEveryPair) {
  int allowed = 0;
  for (CaseStatus from : AllCaseStatuses()) {
    const auto& next = AllowedNextStatuses(from);
    for (CaseStatus to : AllCaseStatuses()) {
      bool in_table = std::find(next.begin(), next.end(), to) != next.end();
      EXPECT_EQ(CheckCaseTransition(from, to).ok(), in_table) << CaseStatusName(from) << " -> " << CaseStatusName(to);
      if (in_table) ++allowed;
    }
  }
  EXPECT_EQ(allowed, 18);
}

TEST(CaseStatus, WireNamesAndUnknownNames) {
  for (CaseStatus s : AllCaseStatuses()) {
    auto parsed = ParseCaseStatus(CaseStatusName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(CaseStatusName(S::kAwaitingResponse), "awaiting_response");
  EXPECT_TRUE(CheckCaseTransition("closed", "reopened").ok());

  auto unknown = CheckCaseTransition("investigating", "solved");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().field, "status");
  EXPECT_EQ(unknown.error().reason, "unknown_status");
  EXPECT_EQ(CheckCaseTransition("closed", "resolved").error().code, ErrorCode::kConflict);
}

TEST(CaseStatus, OpenStatusesOweThePatientSomething) {
  EXPECT_TRUE(IsOpenStatus(S::kReceived));
  EXPECT_TRUE(IsOpenStatus(S::kAwaitingResponse));
  EXPECT_TRUE(IsOpenStatus(S::kReopened));
  EXPECT_FALSE(IsOpenStatus(S::kResolved));
  EXPECT_FALSE(IsOpenStatus(S::kClosed));
}

}  // namespace
}  // namespace caredesk::relations
