#include "domain/relations/reference_number.h"

#include <string>

namespace caredesk::relations {
namespace {

constexpr int kRadix = 36;
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr size_t kYearDigits = 4;
constexpr size_t kMinSequenceDigits = 6;
constexpr size_t kMaxSequenceDigits = 9;
constexpr std::string_view kExample = "CD-2026-000123-8";

int CodePoint(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int64_t ToNumber(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Zero-padded to `width` digits (more when the number needs them).
std::string Padded(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string Payload(int year, int64_t sequence) {
  return std::string(kReferencePrefix) + Padded(year, kYearDigits) + Padded(sequence, kMinSequenceDigits);
}

Error BadFormat(std::string_view field, std::string_view text) {
  return Error::Invalid(std::string(field),
                        "'" + std::string(text) + "' is not a reference number such as " + std::string(kExample),
                        "invalid_format");
}

}  // namespace

char ReferenceCheckCharacter(std::string_view payload) {
  // Luhn mod N: from the right, double every other code point starting with
  // the rightmost payload character, folding the result back below N.
  int factor = 2;
  int sum = 0;
  for (size_t i = payload.size(); i-- > 0;) {
    int addend = factor * CodePoint(payload[i]);
    factor = factor == 2 ? 1 : 2;
    sum += addend / kRadix + addend % kRadix;
  }
  int check = (kRadix - sum % kRadix) % kRadix;
  return kAlphabet[static_cast<size_t>(check)];
}

Result<std::string> FormatReferenceNumber(const ReferenceNumber& ref) {
  if (ref.year < kMinReferenceYear || ref.year > kMaxReferenceYear) {
    return Error::Invalid(
        "year",
        "year must be between " + std::to_string(kMinReferenceYear) + " and " + std::to_string(kMaxReferenceYear),
        "out_of_range");
  }
  if (ref.sequence < 1 || ref.sequence > kMaxReferenceSequence) {
    return Error::Invalid("sequence", "sequence must be between 1 and " + std::to_string(kMaxReferenceSequence),
                          "out_of_range");
  }
  const std::string payload = Payload(ref.year, ref.sequence);
  std::string out = std::string(kReferencePrefix) + "-" + payload.substr(kReferencePrefix.size(), kYearDigits) + "-" +
                    payload.substr(kReferencePrefix.size() + kYearDigits) + "-";
  out += ReferenceCheckCharacter(payload);
  return out;
}

Result<ReferenceNumber> ParseReferenceNumber(std::string_view text, std::string_view field) {
  // Compact form: upper case, without separators.
  std::string compact;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (CodePoint(c) < 0) return BadFormat(field, text);
    compact += c;
  }
  const size_t fixed = kReferencePrefix.size() + kYearDigits + 1;  // prefix, year, check
  if (compact.size() < fixed + kMinSequenceDigits || compact.size() > fixed + kMaxSequenceDigits ||
      !std::string_view(compact).starts_with(kReferencePrefix)) {
    return BadFormat(field, text);
  }
  std::string_view year_digits = std::string_view(compact).substr(kReferencePrefix.size(), kYearDigits);
  std::string_view seq_digits =
      std::string_view(compact).substr(kReferencePrefix.size() + kYearDigits, compact.size() - fixed);
  if (!AllDigits(year_digits) || !AllDigits(seq_digits)) return BadFormat(field, text);
  ReferenceNumber ref{static_cast<int>(ToNumber(year_digits)), ToNumber(seq_digits)};
  // A sequence longer than six digits carries no leading zero, so each
  // number has one spelling.
  if (ref.year < kMinReferenceYear || ref.sequence < 1 ||
      (seq_digits.size() > kMinSequenceDigits && seq_digits[0] == '0')) {
    return BadFormat(field, text);
  }
  const std::string_view payload = std::string_view(compact).substr(0, compact.size() - 1);
  if (ReferenceCheckCharacter(payload) != compact.back()) {
    return Error::Invalid(std::string(field),
                          "'" + std::string(text) +
                              "' is not a valid reference number; please check it for a typing "
                              "error",
                          "check_mismatch");
  }
  return ref;
}

bool IsValidReferenceNumber(std::string_view text) { return ParseReferenceNumber(text).ok(); }

}  // namespace caredesk::relations
