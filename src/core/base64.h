// Standard base64 (RFC 4648 §4, with padding) for binary content kept in text
// columns and carried in JSON. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caredesk {

std::string Base64Encode(std::string_view bytes);
// nullopt on a character outside the alphabet, a wrong length or bad padding.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace caredesk
