#include "domain/scheduling/appointment_status.h"

#include <gtest/gtest.h>

#include <string_view>

namespace caredesk {
namespace {

TEST(AppointmentStatus, AllowsTheLifecycle) {
  EXPECT_TRUE(CheckTransition("booked", "checked_in").ok());
  EXPECT_TRUE(CheckTransition("checked_in", "completed").ok());
  EXPECT_TRUE(CheckTransition("booked", "cancelled").ok());
  EXPECT_TRUE(CheckTransition("booked", "no_show").ok());
}

TEST(AppointmentStatus, RefusesOtherMovesAsConflict) {
  const std::string_view all[] = {kStatusBooked, kStatusCancelled, kStatusNoShow, kStatusCheckedIn,
                                  kStatusCompleted};
  int allowed = 0;
  for (std::string_view from : all) {
    for (std::string_view to : all) {
      auto s = CheckTransition(from, to);
      if (s.ok()) {
        ++allowed;
        continue;
      }
      EXPECT_EQ(s.error().code, ErrorCode::kConflict) << from << "->" << to;
      EXPECT_EQ(s.error().reason, "invalid_transition");
    }
  }
  EXPECT_EQ(allowed, 4);
  EXPECT_FALSE(CheckTransition("checked_in", "cancelled").ok());
  EXPECT_FALSE(CheckTransition("cancelled", "booked").ok());
  EXPECT_FALSE(CheckTransition("completed", "checked_in").ok());
}

TEST(AppointmentStatus, UnknownStatusIsInvalid) {
  auto s = CheckTransition("booked", "teleported");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "status");
  EXPECT_FALSE(IsKnownStatus("Booked"));
}

TEST(AppointmentStatus, RescheduleOnlyWhileBooked) {
  EXPECT_TRUE(CheckReschedule("booked").ok());
  for (std::string_view status : {kStatusCancelled, kStatusNoShow, kStatusCheckedIn, kStatusCompleted}) {
    auto s = CheckReschedule(status);
    ASSERT_FALSE(s.ok()) << status;
    EXPECT_EQ(s.error().reason, "invalid_transition");
  }
}

TEST(AppointmentStatus, OnlyCancellationFreesTheSlot) {
  EXPECT_TRUE(IsActiveStatus("booked"));
  EXPECT_TRUE(IsActiveStatus("checked_in"));
  EXPECT_TRUE(IsActiveStatus("completed"));
  EXPECT_TRUE(IsActiveStatus("no_show"));
  EXPECT_FALSE(IsActiveStatus("cancelled"));
  EXPECT_FALSE(IsActiveStatus("bogus"));
}

}  // namespace
}  // namespace caredesk
