// Lays out a letter (plain-text paragraphs, say a grievance decision rendered
// by relations::LetterTemplate) as a PDF document with libharu: US Letter
// pages, 1-inch margins, 11 pt Liberation Serif embedded as a subset so that
// accented and typographic characters print, word wrapping, a bold letterhead
// on the first page and a footer with "Page n of m" on every page. No I/O
// except reading the two font files; pure function; thread-safe (every call
// has its own libharu document and error state).
//
// The output is deterministic: no creation date and no document ID are
// written, so the same input gives the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::render {

inline constexpr std::string_view kDefaultFontDir = "/usr/share/fonts/truetype/liberation";

struct LetterPdfOptions {
  std::string title;         // PDF metadata title, e.g. "Grievance decision CD-2026-000123-8"; may be empty
  std::string organization;  // bold letterhead at the top of the first page; may be empty; '\n' starts a line
  std::string footer;        // small text at the bottom of every page (e.g. the reference number); may be empty
  // Holds LiberationSerif-Regular.ttf and LiberationSerif-Bold.ttf (Debian package fonts-liberation).
  std::string font_dir = std::string(kDefaultFontDir);
};

// The PDF bytes of a letter made of `paragraphs`, in UTF-8. Line breaks ('\n',
// "\r\n" or '\r') inside a paragraph are kept (an address block, a
// signature); lines wrap at spaces, and a word wider than the line is split.
// Paragraphs are separated by a blank line and continue onto new pages as
// needed; a paragraph leaves no single line alone at the foot or head of a
// page when it can avoid it. Empty paragraphs are skipped. Characters the
// font has no glyph for (and invalid UTF-8, control characters) print as
// '?'; a tab prints as a space. A footer too wide for its line is shortened
// with "…".
//
// Error::Internal naming the problem when a font file is missing or
// unreadable (the message names the path) or libharu fails.
Result<std::string> RenderLetterPdf(const std::vector<std::string>& paragraphs, const LetterPdfOptions& options);

}  // namespace caredesk::render
