#include "render/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace caredesk::render {
namespace {

// Byte-mode capacity of version 40 at level M; longer texts are refused
// before libqrencode sees them.
constexpr size_t kMaxQrBytes = 2331;

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

Error TooLong(size_t bytes) {
  return Error::Invalid("text",
                        "text of " + std::to_string(bytes) + " bytes is too long for a QR code (at most " +
                            std::to_string(kMaxQrBytes) + " bytes at error correction level M)",
                        "too_long");
}

Result<QrCodePtr> Encode(std::string_view text) {
  if (text.empty()) return Error::Invalid("text", "text to encode is empty", "empty");
  if (text.size() > kMaxQrBytes) return TooLong(text.size());
  errno = 0;
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
                                   0, QR_ECLEVEL_M));
  if (code == nullptr) {
    if (errno == ERANGE) return TooLong(text.size());
    return Error::Internal("QR encoding failed (errno " + std::to_string(errno) + ")");
  }
  return code;
}

bool Dark(const QRcode& code, int row, int column) {
  return (code.data[static_cast<size_t>(row) * static_cast<size_t>(code.width) + static_cast<size_t>(column)] & 1) != 0;
}

// Decodes one UTF-8 sequence at `i`; returns the code point and advances `i`,
// or returns -1 (advancing one byte) on an invalid sequence.
int32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  int length = 0;
  int32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + static_cast<size_t>(length) > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr int32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += static_cast<size_t>(length);
  return cp;
}

// `text` as XML character data or attribute value: markup characters
// escaped, characters XML 1.0 forbids (control characters other than tab
// and line breaks) as spaces, invalid UTF-8 as U+FFFD.
std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const int32_t cp = NextCodePoint(text, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case -1:
        out += "\xEF\xBF\xBD";
        break;
      default:
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
          out += ' ';
        } else {
          out.append(text.substr(start, i - start));
        }
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::vector<bool>>> QrModules(std::string_view text) {
  CD_ASSIGN_OR_RETURN(QrCodePtr code, Encode(text));
  std::vector<std::vector<bool>> modules(static_cast<size_t>(code->width),
                                         std::vector<bool>(static_cast<size_t>(code->width)));
  for (int row = 0; row < code->width; ++row) {
    for (int column = 0; column < code->width; ++column) {
      modules[static_cast<size_t>(row)][static_cast<size_t>(column)] = Dark(*code, row, column);
    }
  }
  return modules;
}

Result<std::string> QrSvg(std::string_view text, std::string_view alt, int scale) {
  if (scale < 1 || scale > kMaxQrScale) {
    return Error::Invalid("scale", "scale must be 1.." + std::to_string(kMaxQrScale) + " px per module");
  }
  CD_ASSIGN_OR_RETURN(QrCodePtr code, Encode(text));
  const int modules = code->width + 2 * kQrQuietZoneModules;
  const std::string n = std::to_string(modules);
  const std::string px = std::to_string(modules * scale);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + n + " " + n +
                    "\" width=\"" + px + "\" height=\"" + px + "\" shape-rendering=\"crispEdges\"><title>" +
                    EscapeXml(alt) + "</title><rect width=\"" + n + "\" height=\"" + n +
                    "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One subpath per horizontal run of dark modules.
  for (int row = 0; row < code->width; ++row) {
    for (int column = 0; column < code->width;) {
      if (!Dark(*code, row, column)) {
        ++column;
        continue;
      }
      const int start = column;
      while (column < code->width && Dark(*code, row, column)) ++column;
      const std::string run = std::to_string(column - start);
      svg += "M" + std::to_string(start + kQrQuietZoneModules) + " " + std::to_string(row + kQrQuietZoneModules) + "h" +
             run + "v1h-" + run + "z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace caredesk::render
