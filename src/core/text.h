// Small text helpers shared by every layer. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caredesk {

// `s` without leading and trailing ASCII white space (space, tab, CR, LF,
// form feed, vertical tab).
inline std::string_view TrimSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// `s` with ASCII letters lower-cased; other bytes (UTF-8 included) unchanged.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace caredesk
