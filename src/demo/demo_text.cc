#include "demo/demo_text.h"

namespace caredesk::demo {
namespace {

// ASCII base letters of U+00C0..U+00FF and U+0100..U+017F; '-' drops the
// character (×, ÷).
constexpr std::string_view kLatin1Base = "AAAAAAACEEEEIIIIDNOOOOO-OUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";
constexpr std::string_view kLatinExtendedABase =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUu"
    "UuWwYyYZzZzZzs";

// The next code point of `s` at `i` (advancing `i`); U+FFFD for malformed input.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > s.size()) {
    ++i;
    return U'\uFFFD';
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += length;
  return cp;
}

char BaseLetter(char32_t cp) {
  if (cp < 0x80) return static_cast<char>(cp);
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1Base[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) return kLatinExtendedABase[cp - 0x100];
  return '-';
}

}  // namespace

std::string LowerAsciiAlnum(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    char c = BaseLetter(NextCodePoint(utf8, i));
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

std::string ZeroPadded(int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  return digits;
}

}  // namespace caredesk::demo
