// Telehealth join links built from a configurable URL pattern. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caredesk {

inline constexpr std::string_view kJoinPlaceholderAppointment = "{appointment_id}";
inline constexpr std::string_view kJoinPlaceholderToken = "{token}";

// Ok() when `pattern` is an http(s) URL containing at least one of the
// placeholders and no other {...}; otherwise Error::Invalid on `field`.
Status ValidateJoinUrlPattern(std::string_view pattern, std::string_view field = "telehealth_url_pattern");

// `pattern` with every "{appointment_id}" replaced by the decimal id and every
// "{token}" by `token`, percent-encoded except for RFC 3986 unreserved
// characters. Example: JoinUrl("https://meet.example.org/caredesk/{token}", 42,
// "a1b2") == "https://meet.example.org/caredesk/a1b2". Other text is copied.
std::string JoinUrl(std::string_view pattern, int64_t appointment_id, std::string_view token);

}  // namespace caredesk
