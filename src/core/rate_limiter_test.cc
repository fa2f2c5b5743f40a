#include "core/rate_limiter.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(RateLimiter, AllowsTheLimitPerWindowThenSaysHowLongToWait) {
  FakeClock clock{FromMillis(1'000'000)};
  RateLimiter limiter(clock, 3, std::chrono::minutes(60));
  EXPECT_FALSE(limiter.Acquire("10.0.0.1"));
  clock.Advance(std::chrono::minutes(10));
  EXPECT_FALSE(limiter.Acquire("10.0.0.1"));
  EXPECT_FALSE(limiter.Acquire("10.0.0.1"));
  auto wait = limiter.Acquire("10.0.0.1");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, std::chrono::minutes(50));
  EXPECT_FALSE(limiter.Acquire("10.0.0.2"));  // other keys unaffected
  clock.Advance(std::chrono::minutes(50));
  EXPECT_FALSE(limiter.Acquire("10.0.0.1"));  // the first event left the window
  EXPECT_TRUE(limiter.Acquire("10.0.0.1").has_value());
}

TEST(RateLimiter, StaysWithinItsKeyBound) {
  FakeClock clock{FromMillis(0)};
  RateLimiter limiter(clock, 1, std::chrono::minutes(1), 10);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(limiter.Acquire("k" + std::to_string(i)));
    clock.Advance(std::chrono::milliseconds(1));
  }
  EXPECT_FALSE(limiter.Acquire("k0"));  // the oldest key was dropped to make room, so allowed again
  EXPECT_TRUE(limiter.Acquire("k99").has_value());  // a recent key is still held
}

}  // namespace
}  // namespace caredesk
