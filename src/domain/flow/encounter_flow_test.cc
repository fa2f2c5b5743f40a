#include "domain/flow/encounter_flow.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(EncounterFlow, FollowsMainPath) {
  EXPECT_TRUE(CheckFlowTransition(kArrived, kRoomed).ok());
  EXPECT_TRUE(CheckFlowTransition(kRoomed, kWithProvider).ok());
  EXPECT_TRUE(CheckFlowTransition(kWithProvider, kCheckout).ok());
  EXPECT_TRUE(CheckFlowTransition(kCheckout, kCompleted).ok());
}

TEST(EncounterFlow, MaySkipForwardNeverBack) {
  EXPECT_TRUE(CheckFlowTransition(kArrived, kWithProvider).ok());
  auto back = CheckFlowTransition(kWithProvider, kRoomed);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().reason, "invalid_transition");
}

TEST(EncounterFlow, LeftWithoutBeingSeenOnlyWhileWaiting) {
  EXPECT_TRUE(CheckFlowTransition(kArrived, kLeftWithoutBeingSeen).ok());
  EXPECT_TRUE(CheckFlowTransition(kRoomed, kLeftWithoutBeingSeen).ok());
  EXPECT_FALSE(CheckFlowTransition(kWithProvider, kLeftWithoutBeingSeen).ok());
}

TEST(EncounterFlow, TerminalStatesAreFinal) {
  EXPECT_FALSE(CheckFlowTransition(kCompleted, kCheckout).ok());
  EXPECT_FALSE(CheckFlowTransition(kLeftWithoutBeingSeen, kRoomed).ok());
}

TEST(EncounterFlow, UnknownTargetNamesField) {
  auto st = CheckFlowTransition(kArrived, "teleported");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "to");
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(CheckFlowTransition(kRoomed, kArrived).ok());
}

TEST(WaitLevel, ColoursWaitingAgainstThresholds) {
  FlowThresholds t{10, 20};
  EXPECT_EQ(LevelFor(kArrived, 9, t), WaitLevel::kOk);
  EXPECT_EQ(LevelFor(kArrived, 10, t), WaitLevel::kWarn);
  EXPECT_EQ(LevelFor(kRoomed, 25, t), WaitLevel::kAlert);
  EXPECT_EQ(LevelFor(kWithProvider, 90, t), WaitLevel::kOk);
}

TEST(WaitLevel, ThresholdsMustBeOrdered) {
  EXPECT_FALSE(ValidateThresholds({30, 20}).ok());
  EXPECT_EQ(ValidateThresholds({30, 20}).error().field, "flow_alert_minutes");
  EXPECT_TRUE(ValidateThresholds({15, 30}).ok());
}

}  // namespace
}  // namespace caredesk
