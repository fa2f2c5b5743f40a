#include "domain/scheduling/telehealth.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(Telehealth, FillsTokenPlaceholder) {
  EXPECT_EQ(JoinUrl("https://meet.example.org/caredesk/{token}", 42, "a1B2-c3_d4"),
            "https://meet.example.org/caredesk/a1B2-c3_d4");
}

TEST(Telehealth, FillsBothPlaceholdersEveryTime) {
  EXPECT_EQ(JoinUrl("https://v.example.org/{appointment_id}?t={token}&again={appointment_id}", 1234567890123, "xyz"),
            "https://v.example.org/1234567890123?t=xyz&again=1234567890123");
}

TEST(Telehealth, PercentEncodesToken) {
  EXPECT_EQ(JoinUrl("https://m.example.org/j?k={token}", 1, "a/b+c=&d e"),
            "https://m.example.org/j?k=a%2Fb%2Bc%3D%26d%20e");
}

TEST(Telehealth, LeavesOtherTextAlone) {
  EXPECT_EQ(JoinUrl("https://m.example.org/{tok}/{token", 1, "x"), "https://m.example.org/{tok}/{token");
}

TEST(Telehealth, ValidatesPattern) {
  EXPECT_TRUE(ValidateJoinUrlPattern("https://meet.example.org/caredesk/{token}").ok());
  EXPECT_TRUE(ValidateJoinUrlPattern("https://meet.example.org/room/{appointment_id}").ok());
  EXPECT_FALSE(ValidateJoinUrlPattern("ftp://meet.example.org/{token}").ok());
  EXPECT_FALSE(ValidateJoinUrlPattern("https://meet.example.org/fixed-room").ok());
  auto s = ValidateJoinUrlPattern("https://meet.example.org/{patient_name}/{token}");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "telehealth_url_pattern");
}

}  // namespace
}  // namespace caredesk
