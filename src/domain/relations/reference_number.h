// Reference numbers of patient-relations cases, shown to a patient who files
// through the public web form and quoted back by phone or letter:
// "CD-2026-000123-8" = prefix "CD", the year, a sequence number of at least
// six digits (zero-padded, up to nine) and a check character. Pure
// functions; thread-safe.
//
// The check character is Luhn mod 36 over "CD", the year and the padded
// sequence, with the alphabet 0-9 then A-Z. Because every payload character
// has a value below 18, it catches every single mistyped character and every
// swap of two adjacent characters (reference_number_test.cc checks this
// exhaustively for sample numbers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caredesk::relations {

inline constexpr std::string_view kReferencePrefix = "CD";
inline constexpr int kMinReferenceYear = 2000;
inline constexpr int kMaxReferenceYear = 9999;
inline constexpr int64_t kMaxReferenceSequence = 999'999'999;

struct ReferenceNumber {
  int year = kMinReferenceYear;
  int64_t sequence = 1;  // 1..kMaxReferenceSequence

  auto operator<=>(const ReferenceNumber&) const = default;
};

// The check character of `payload` (characters 0-9 and A-Z), by Luhn mod 36.
// Precondition: `payload` holds only those characters.
char ReferenceCheckCharacter(std::string_view payload);

// "CD-2026-000123-8". Error::Invalid on field "year" or "sequence" when out
// of range.
Result<std::string> FormatReferenceNumber(const ReferenceNumber& ref);

// Reads a reference number as a person may type it: case-insensitive,
// surrounding spaces ignored, hyphens or spaces between the groups optional
// ("cd 2026 000123 8", "CD2026000123-8"). Errors are Error::Invalid on field
// `field`: reason "invalid_format" (the shape is wrong) or "check_mismatch"
// (well-formed but the check character disagrees: a typing error).
Result<ReferenceNumber> ParseReferenceNumber(std::string_view text, std::string_view field = "reference_number");

bool IsValidReferenceNumber(std::string_view text);

}  // namespace caredesk::relations
