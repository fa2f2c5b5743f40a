#include "domain/patients/search_query.h"

#include <algorithm>
#include <optional>

#include "domain/patients/name_match.h"
#include "domain/patients/patient.h"

namespace caredesk {
namespace {

constexpr size_t kMinPhoneDigits = 7;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';';
}
bool IsPhonePunctuation(char c) { return c == '+' || c == '-' || c == '.' || c == '(' || c == ')'; }

// Parses 1..max_digits decimal digits.
bool ParseNumber(std::string_view s, size_t min_digits, size_t max_digits, int& out) {
  if (s.size() < min_digits || s.size() > max_digits || !std::all_of(s.begin(), s.end(), IsDigit)) {
    return false;
  }
  out = 0;
  for (char c : s) out = out * 10 + (c - '0');
  return true;
}

struct DatePiece {
  bool shaped = false;            // looks like a date
  std::optional<CivilDate> date;  // and names a real day
};

DatePiece ParseDatePiece(std::string_view piece) {
  DatePiece result;
  int y = 0, m = 0, d = 0;
  if (piece.size() == 10 && piece[4] == '-' && piece[7] == '-') {
    if (!ParseNumber(piece.substr(0, 4), 4, 4, y) || !ParseNumber(piece.substr(5, 2), 2, 2, m) ||
        !ParseNumber(piece.substr(8, 2), 2, 2, d)) {
      return result;
    }
  } else {
    const char sep = piece.find('/') != std::string_view::npos ? '/' : '.';
    const size_t first = piece.find(sep);
    const size_t second = first == std::string_view::npos ? first : piece.find(sep, first + 1);
    if (second == std::string_view::npos || piece.find(sep, second + 1) != std::string_view::npos) {
      return result;
    }
    int a = 0, b = 0;
    if (!ParseNumber(piece.substr(0, first), 1, 2, a) ||
        !ParseNumber(piece.substr(first + 1, second - first - 1), 1, 2, b) ||
        !ParseNumber(piece.substr(second + 1), 4, 4, y)) {
      return result;
    }
    if (sep == '/') {  // month first, unless the first number cannot be a month
      m = a;
      d = b;
      if (m > 12 && d <= 12) std::swap(m, d);
    } else {
      d = a;
      m = b;
    }
  }
  result.shaped = true;
  const CivilDate date{y, m, d};
  if (IsRealDate(date)) result.date = date;
  return result;
}

bool IsPhonePiece(std::string_view piece) {
  return std::any_of(piece.begin(), piece.end(), IsDigit) &&
         std::all_of(piece.begin(), piece.end(),
                     [](char c) { return IsDigit(c) || IsPhonePunctuation(c); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::vector<SearchToken> ParseSearchQuery(std::string_view query) {
  std::vector<SearchToken> tokens;
  std::string number;  // digits of the phone-like run being joined
  const auto flush_number = [&] {
    if (number.size() >= kMinPhoneDigits) {
      tokens.push_back({SearchToken::Kind::kDigits, number, {}});
    }
    number.clear();
  };

  size_t i = 0;
  while (i < query.size()) {
    if (IsSeparator(query[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < query.size() && !IsSeparator(query[end])) ++end;
    const std::string_view piece = query.substr(i, end - i);
    i = end;

    if (const DatePiece date = ParseDatePiece(piece); date.shaped) {
      flush_number();
      if (date.date) tokens.push_back({SearchToken::Kind::kBirthDate, {}, *date.date});
      continue;
    }
    if (IsPhonePiece(piece)) {
      for (char c : piece) {
        if (IsDigit(c)) number.push_back(c);
      }
      continue;
    }
    flush_number();
    if (IsMrnShaped(piece)) {
      tokens.push_back({SearchToken::Kind::kMrn, Upper(piece), {}});
    } else if (piece.find('@') != std::string_view::npos) {
      tokens.push_back({SearchToken::Kind::kEmail, Lower(piece), {}});
    } else {
      for (std::string& name : NameTokens(piece)) {
        const auto kind = name.size() == 1 ? SearchToken::Kind::kInitial : SearchToken::Kind::kName;
        tokens.push_back({kind, std::move(name), {}});
      }
    }
  }
  flush_number();
  if (tokens.size() > kMaxSearchTokens) tokens.resize(kMaxSearchTokens);
  return tokens;
}

}  // namespace caredesk
