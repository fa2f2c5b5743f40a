#include "core/text.h"

#include <gtest/gtest.h>

namespace caredesk {
namespace {

TEST(TrimSpace, DropsAsciiWhiteSpaceAtBothEndsOnly) {
  EXPECT_EQ(TrimSpace("  a b\t\r\n"), "a b");
  EXPECT_EQ(TrimSpace("\f\vx\v"), "x");
  EXPECT_EQ(TrimSpace(" \t\r\n "), "");
  EXPECT_EQ(TrimSpace(""), "");
  EXPECT_EQ(TrimSpace("\xC2\xA0x"), "\xC2\xA0x");  // a non-breaking space is text, not ASCII white space
}

TEST(AsciiLower, LowersAsciiLettersOnly) {
  EXPECT_EQ(AsciiLower("Dr. MARIA López, ADT^A01"), "dr. maria lópez, adt^a01");
  EXPECT_EQ(AsciiLower("ÉCOLE"), "École");  // UTF-8 bytes untouched
  EXPECT_EQ(AsciiLower(""), "");
}

}  // namespace

TEST(Utf8Prefix, CutsAtACharacterBoundary) {
  EXPECT_EQ(Utf8Prefix("Núñez", 10), "Núñez");
  EXPECT_EQ(Utf8Prefix("Núñez", 3), "Nú");  // "ú" is two bytes: bytes 1 and 2
  EXPECT_EQ(Utf8Prefix("Núñez", 2), "N");   // not half of "ú"
  EXPECT_EQ(Utf8Prefix("Núñez", 4), "Nú");
  EXPECT_EQ(Utf8Prefix("abc", 0), "");
  EXPECT_EQ(Utf8Prefix("中文", 4), "中");
}

}  // namespace caredesk
