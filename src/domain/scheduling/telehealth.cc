#include "domain/scheduling/telehealth.h"

namespace caredesk {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void AppendPercentEncoded(std::string_view text, std::string& out) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
}

}  // namespace

Status ValidateJoinUrlPattern(std::string_view pattern, std::string_view field) {
  if (!pattern.starts_with("https://") && !pattern.starts_with("http://")) {
    return Error::Invalid(std::string(field), "the join link pattern must start with https:// or http://");
  }
  bool has_placeholder = false;
  for (size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
    std::string_view rest = pattern.substr(open);
    if (rest.starts_with(kJoinPlaceholderAppointment) || rest.starts_with(kJoinPlaceholderToken)) {
      has_placeholder = true;
    } else {
      return Error::Invalid(std::string(field), "only {appointment_id} and {token} may appear in braces");
    }
  }
  if (!has_placeholder) {
    return Error::Invalid(std::string(field), "the join link pattern needs {token} or {appointment_id}");
  }
  return Ok();
}

std::string JoinUrl(std::string_view pattern, int64_t appointment_id, std::string_view token) {
  std::string out;
  out.reserve(pattern.size() + token.size() + 20);
  size_t i = 0;
  while (i < pattern.size()) {
    std::string_view rest = pattern.substr(i);
    if (rest.starts_with(kJoinPlaceholderAppointment)) {
      out += std::to_string(appointment_id);
      i += kJoinPlaceholderAppointment.size();
    } else if (rest.starts_with(kJoinPlaceholderToken)) {
      AppendPercentEncoded(token, out);
      i += kJoinPlaceholderToken.size();
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

}  // namespace caredesk
