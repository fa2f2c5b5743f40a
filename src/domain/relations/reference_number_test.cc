#include "domain/relations/reference_number.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace caredesk::relations {
namespace {

constexpr std::string_view kDigitsAndLetters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

TEST(ReferenceNumber, FormatsWithCheckCharacter) {
  EXPECT_EQ(*FormatReferenceNumber({2026, 123}), "CD-2026-000123-8");
  EXPECT_EQ(*FormatReferenceNumber({2026, 1}), "CD-2026-000001-G");
  EXPECT_EQ(*FormatReferenceNumber({2025, 999999}), "CD-2025-999999-B");
  EXPECT_EQ(*FormatReferenceNumber({2026, 1234567}), "CD-2026-1234567-D");
}

TEST(ReferenceNumber, RoundTrips) {
  for (ReferenceNumber ref : {ReferenceNumber{2026, 123}, ReferenceNumber{2000, 1}, ReferenceNumber{2030, 42},
                              ReferenceNumber{9999, kMaxReferenceSequence}, ReferenceNumber{2026, 1000000}}) {
    auto text = FormatReferenceNumber(ref);
    ASSERT_TRUE(text.ok());
    auto parsed = ParseReferenceNumber(*text);
    ASSERT_TRUE(parsed.ok()) << *text;
    EXPECT_EQ(*parsed, ref);
  }
}

TEST(ReferenceNumber, AcceptsWhatPeopleType) {
  for (std::string_view typed :
       {"cd-2026-000123-8", "  CD-2026-000123-8 ", "CD2026000123-8", "cd 2026 000123 8", "CD2026000123 8"}) {
    auto parsed = ParseReferenceNumber(typed);
    ASSERT_TRUE(parsed.ok()) << typed;
    EXPECT_EQ(*parsed, (ReferenceNumber{2026, 123}));
  }
}

TEST(ReferenceNumber, DetectsEverySingleTypo) {
  for (ReferenceNumber ref : {ReferenceNumber{2026, 123}, ReferenceNumber{2027, 908172}}) {
    const std::string good = *FormatReferenceNumber(ref);
    for (size_t i = 0; i < good.size(); ++i) {
      if (good[i] == '-') continue;
      for (char c : kDigitsAndLetters) {
        if (c == good[i]) continue;
        std::string typo = good;
        typo[i] = c;
        EXPECT_FALSE(IsValidReferenceNumber(typo)) << typo;
      }
    }
  }
}

TEST(ReferenceNumber, DetectsEveryAdjacentSwap) {
  for (ReferenceNumber ref : {ReferenceNumber{2026, 123}, ReferenceNumber{2027, 908172}, ReferenceNumber{2031, 5}}) {
    const std::string good = *FormatReferenceNumber(ref);
    std::string compact;
    for (char c : good) {
      if (c != '-') compact += c;
    }
    for (size_t i = 0; i + 1 < compact.size(); ++i) {
      if (compact[i] == compact[i + 1]) continue;
      std::string swapped = compact;
      std::swap(swapped[i], swapped[i + 1]);
      EXPECT_FALSE(IsValidReferenceNumber(swapped)) << compact << " -> " << swapped;
    }
  }
}

TEST(ReferenceNumber, TypoIsACheckMismatchNamingTheField) {
  auto typo = ParseReferenceNumber("CD-2026-000132-8");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().field, "reference_number");
  EXPECT_EQ(typo.error().reason, "check_mismatch");
  EXPECT_EQ(typo.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseReferenceNumber("CD-2026-000132-8", "ref").error().field, "ref");
}

TEST(ReferenceNumber, RejectsMalformedText) {
  for (std::string_view bad :
       {"", "CD", "CD-2026-000123", "XX-2026-000123-8", "CD-2026-00123-8", "CD-2026-0001234567-8", "CD-20A6-000123-8",
        "CD-2026-000123-8!", "CD-1999-000123-8", "CD-2026-000000-0", "CD-2026-0123456-1"}) {
    auto parsed = ParseReferenceNumber(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().reason, "invalid_format") << bad;
    EXPECT_EQ(parsed.error().field, "reference_number");
  }
}

TEST(ReferenceNumber, FormatRejectsOutOfRangeParts) {
  EXPECT_EQ(FormatReferenceNumber({1999, 1}).error().field, "year");
  EXPECT_EQ(FormatReferenceNumber({2026, 0}).error().field, "sequence");
  EXPECT_EQ(FormatReferenceNumber({2026, kMaxReferenceSequence + 1}).error().field, "sequence");
}

}  // namespace
}  // namespace caredesk::relations
