// Test-side decoders of what FormatMessage writes: header lookup with
// unfolding, RFC 2047 B encoded-words and quoted-printable. Deliberately
// independent of mail_message.cc (a test must not check the encoder with
// itself). Header-only, for tests; pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "core/base64.h"

namespace caredesk::mail::testing {

// The header block (up to the first empty line) and the body of a message.
inline std::string_view HeaderBlock(std::string_view message) {
  const size_t end = message.find("\r\n\r\n");
  return end == std::string_view::npos ? message : message.substr(0, end + 2);
}
inline std::string_view Body(std::string_view message) {
  const size_t end = message.find("\r\n\r\n");
  return end == std::string_view::npos ? std::string_view() : message.substr(end + 4);
}

// The unfolded value of the first header `name` (exact case), without the space after the colon.
inline std::optional<std::string> HeaderValue(std::string_view message, std::string_view name) {
  const std::string_view headers = HeaderBlock(message);
  size_t at = 0;
  while (at < headers.size()) {
    const size_t end = headers.find("\r\n", at);
    if (end == std::string_view::npos) break;
    const std::string_view line = headers.substr(at, end - at);
    if (line.size() > name.size() && line.substr(0, name.size()) == name && line[name.size()] == ':') {
      std::string value(line.substr(name.size() + 1));
      size_t next = end + 2;
      while (next < headers.size() && (headers[next] == ' ' || headers[next] == '\t')) {
        const size_t next_end = headers.find("\r\n", next);
        value.append(headers.substr(next, next_end - next));
        next = next_end + 2;
      }
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      return value;
    }
    at = end + 2;
  }
  return std::nullopt;
}

// Decodes "=?UTF-8?B?...?=" words (unfolds CRLF; whitespace between two words dropped); other text is kept.
// nullopt on a malformed word.
inline std::optional<std::string> DecodeEncodedWords(std::string_view value) {
  std::string out;
  std::string pending_space;
  bool previous_was_word = false;
  size_t i = 0;
  while (i < value.size()) {
    if (value.substr(i, 10) == "=?UTF-8?B?") {
      const size_t end = value.find("?=", i + 10);
      if (end == std::string_view::npos) return std::nullopt;
      auto decoded = Base64Decode(value.substr(i + 10, end - i - 10));
      if (!decoded) return std::nullopt;
      if (!previous_was_word) out += pending_space;
      pending_space.clear();
      out += *decoded;
      previous_was_word = true;
      i = end + 2;
    } else if (value.substr(i, 2) == "\r\n") {
      i += 2;
    } else if (value[i] == ' ' || value[i] == '\t') {
      pending_space += value[i++];
    } else {
      out += pending_space;
      pending_space.clear();
      out += value[i++];
      previous_was_word = false;
    }
  }
  return out + pending_space;
}

// Quoted-printable to bytes: soft line breaks removed, CRLF back to '\n'. nullopt on a malformed escape.
inline std::optional<std::string> DecodeQuotedPrintable(std::string_view qp) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < qp.size();) {
    if (qp[i] == '=') {
      if (qp.substr(i, 3) == "=\r\n") {
        i += 3;
        continue;
      }
      const int hi = i + 1 < qp.size() ? hex(qp[i + 1]) : -1;
      const int lo = i + 2 < qp.size() ? hex(qp[i + 2]) : -1;
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 3;
    } else if (qp.substr(i, 2) == "\r\n") {
      out += '\n';
      i += 2;
    } else {
      out += qp[i++];
    }
  }
  return out;
}

// True when every '\n' is preceded by '\r' and every '\r' followed by '\n'.
inline bool AllLinesEndCrlf(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;
  }
  return true;
}

// The length of the longest line, without its CRLF.
inline size_t LongestLine(std::string_view s) {
  size_t longest = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find("\r\n", start);
    if (end == std::string_view::npos) end = s.size();
    longest = std::max(longest, end - start);
    start = end + 2;
  }
  return longest;
}

}  // namespace caredesk::mail::testing
