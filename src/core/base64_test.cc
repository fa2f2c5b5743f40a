#include "core/base64.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(Base64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n <= all.size(); n += 37) {
    auto back = Base64Decode(Base64Encode(all.substr(0, n)));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, all.substr(0, n));
  }
}

TEST(Base64, RefusesMalformedText) {
  EXPECT_FALSE(Base64Decode("Zg=").has_value());     // length
  EXPECT_FALSE(Base64Decode("Z===").has_value());    // too much padding
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());  // padding before the end
  EXPECT_FALSE(Base64Decode("Zm9*").has_value());    // outside the alphabet
  EXPECT_FALSE(Base64Decode("Z=g=").has_value());    // data after padding
}

}  // namespace
}  // namespace caredesk
