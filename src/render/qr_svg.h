// QR codes as inline SVG images (for a letter's or a web page's link to a
// case's status page), encoded with libqrencode: error correction level M,
// the whole text in 8-bit (byte) mode, the smallest version that holds it.
// Pure functions; thread-safe (libqrencode is built with pthreads on Debian).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::render {

inline constexpr int kQrQuietZoneModules = 4;
inline constexpr int kMaxQrScale = 64;

// A self-contained <svg> element of the QR code of `text`: xmlns, role="img",
// a <title> holding `alt` (XML-escaped), viewBox in modules and width/height
// in px = (modules + 2 * kQrQuietZoneModules) * scale, a white background
// (the quiet zone must stay light on a dark page) and one <path> of the dark
// modules. Error::Invalid on field "text" when empty (reason "empty") or too
// long for a QR code (reason "too_long"), on field "scale" when not in
// 1..kMaxQrScale.
Result<std::string> QrSvg(std::string_view text, std::string_view alt, int scale = 4);

// The module matrix of the same QR code, rows top to bottom, true = dark,
// without the quiet zone (for tests and other renderers). Errors as QrSvg's.
Result<std::vector<std::vector<bool>>> QrModules(std::string_view text);

}  // namespace caredesk::render
