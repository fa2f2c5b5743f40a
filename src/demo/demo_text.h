// Small text helpers for generated data. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caredesk::demo {

// `utf8` reduced to lower-case ASCII letters and digits: Latin letters lose
// their accents ("Muñoz" -> "munoz", "Łukasz" -> "lukasz"), everything else
// (spaces, apostrophes, hyphens, other scripts) is dropped. For e-mail local
// parts and usernames.
std::string LowerAsciiAlnum(std::string_view utf8);

// `value` in decimal, left-padded with zeros to `width` digits.
std::string ZeroPadded(int64_t value, int width);

}  // namespace caredesk::demo
