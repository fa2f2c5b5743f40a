#include "domain/surveys/survey_token.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

using std::chrono::hours;

const TimePoint kIssued = FromMillis(1'700'000'000'000);

TokenTimes Token() { return TokenTimes{kIssued, kIssued + hours(24 * 14), std::nullopt, false}; }

TEST(SurveyToken, ValidBetweenIssueAndExpiry) {
  EXPECT_EQ(TokenStateAt(Token(), kIssued), TokenState::kValid);
  EXPECT_EQ(TokenStateAt(Token(), kIssued + hours(24 * 14) - std::chrono::milliseconds(1)), TokenState::kValid);
  EXPECT_TRUE(CheckTokenUsable(Token(), kIssued + hours(1)).ok());
}

TEST(SurveyToken, ExpiresAtItsExpiryTime) {
  EXPECT_EQ(TokenStateAt(Token(), kIssued + hours(24 * 14)), TokenState::kExpired);
  EXPECT_EQ(TokenStateAt(Token(), kIssued - hours(1)), TokenState::kExpired);
  auto st = CheckTokenUsable(Token(), kIssued + hours(24 * 30));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason, "token_expired");
  EXPECT_EQ(st.error().field, "token");
}

TEST(SurveyToken, SingleUse) {
  TokenTimes token = Token();
  token.used_at = kIssued + hours(2);
  EXPECT_EQ(TokenStateAt(token, kIssued + hours(1)), TokenState::kValid);
  EXPECT_EQ(TokenStateAt(token, kIssued + hours(3)), TokenState::kUsed);
  // Still "used", not "expired", after the expiry: the patient did answer.
  EXPECT_EQ(TokenStateAt(token, kIssued + hours(24 * 30)), TokenState::kUsed);
  EXPECT_EQ(CheckTokenUsable(token, kIssued + hours(3)).error().reason, "token_used");
}

TEST(SurveyToken, OptOutWins) {
  TokenTimes token = Token();
  token.opted_out = true;
  token.used_at = kIssued + hours(2);
  EXPECT_EQ(TokenStateAt(token, kIssued + hours(3)), TokenState::kOptedOut);
  EXPECT_EQ(TokenStateAt(token, kIssued + hours(24 * 30)), TokenState::kOptedOut);
  EXPECT_EQ(CheckTokenUsable(token, kIssued).error().reason, "opted_out");
  EXPECT_EQ(TokenStateName(TokenState::kOptedOut), "opted_out");
  EXPECT_EQ(TokenStateName(TokenState::kValid), "valid");
}

TEST(SurveyToken, TimesMustBeOrdered) {
  EXPECT_TRUE(ValidateTokenTimes(Token()).ok());
  TokenTimes token = Token();
  token.expires_at = kIssued;
  EXPECT_EQ(ValidateTokenTimes(token).error().field, "expires_at");
  token = Token();
  token.used_at = kIssued + hours(24 * 15);
  EXPECT_EQ(ValidateTokenTimes(token).error().field, "used_at");
}

}  // namespace
}  // namespace caredesk::surveys
