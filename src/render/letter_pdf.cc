#include "render/letter_pdf.h"

#include <hpdf.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace caredesk::render {
namespace {

// Geometry in PDF points (1/72 inch).
constexpr float kPageWidth = 612;  // US Letter
constexpr float kPageHeight = 792;
constexpr float kMargin = 72;  // 1 inch on every side
constexpr float kContentWidth = kPageWidth - 2 * kMargin;
constexpr float kContentTop = kPageHeight - kMargin;
constexpr float kBodySize = 11;
constexpr float kBodyLeading = 14;
constexpr float kLetterheadSize = 14;
constexpr float kLetterheadLeading = 18;
constexpr float kLetterheadRuleGap = 6;      // below the last letterhead line box
constexpr float kLetterheadSpaceAfter = 22;  // from the rule to the first body line box
constexpr float kFooterSize = 8.5F;
constexpr float kFooterBaseline = 40;  // in the bottom margin
constexpr float kFooterGap = 18;       // between the footer text and the page number
constexpr float kFooterGray = 0.35F;

constexpr std::string_view kRegularFontFile = "LiberationSerif-Regular.ttf";
constexpr std::string_view kBoldFontFile = "LiberationSerif-Bold.ttf";

constexpr char32_t kReplacement = U'?';
constexpr char32_t kEllipsis = U'\u2026';

// ---------------------------------------------------------------------------
// UTF-8

// Decodes one UTF-8 sequence at `i` and advances `i`; an invalid sequence
// gives nullopt and advances one byte.
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07;
  } else {
    ++i;
    return std::nullopt;
  }
  if (i + length > s.size()) {
    ++i;
    return std::nullopt;
  }
  for (size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return std::nullopt;
  }
  i += length;
  return cp;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Which characters a TrueType font has a glyph for, from its Unicode BMP
// character map (platform 3 encoding 1, or platform 0, format 4): the table
// libharu itself maps characters through, so a character this says is
// missing would print as the font's empty .notdef box.

uint16_t U16(std::string_view d, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(d[at]) << 8) | static_cast<unsigned char>(d[at + 1]));
}
uint32_t U32(std::string_view d, size_t at) { return (uint32_t{U16(d, at)} << 16) | U16(d, at + 2); }

class CharacterMap {
 public:
  // Nullopt when the font has no usable format 4 Unicode character map.
  static std::optional<CharacterMap> Parse(std::string font) {
    const std::string_view d = font;
    if (d.size() < 12) return std::nullopt;
    const size_t tables = U16(d, 4);
    if (12 + tables * 16 > d.size()) return std::nullopt;
    std::optional<size_t> cmap;
    for (size_t t = 0; t < tables; ++t) {
      if (d.substr(12 + t * 16, 4) == "cmap") cmap = U32(d, 12 + t * 16 + 8);
    }
    if (!cmap || *cmap + 4 > d.size()) return std::nullopt;
    const size_t subtables = U16(d, *cmap + 2);
    if (*cmap + 4 + subtables * 8 > d.size()) return std::nullopt;
    std::optional<size_t> chosen;
    int chosen_rank = 0;
    for (size_t s = 0; s < subtables; ++s) {
      const size_t record = *cmap + 4 + s * 8;
      const uint16_t platform = U16(d, record);
      const uint16_t encoding = U16(d, record + 2);
      const size_t at = *cmap + U32(d, record + 4);
      if (at + 14 > d.size() || U16(d, at) != 4) continue;
      const int rank = platform == 3 && encoding == 1 ? 2 : platform == 0 ? 1 : 0;
      if (rank > chosen_rank) chosen = at, chosen_rank = rank;
    }
    if (!chosen) return std::nullopt;
    const size_t segments = U16(d, *chosen + 6) / 2;
    if (segments == 0 || *chosen + 16 + segments * 8 > d.size()) return std::nullopt;
    CharacterMap map;
    map.font_ = std::move(font);
    map.subtable_ = *chosen;
    map.segments_ = segments;
    return map;
  }

  bool Has(char32_t c) const {
    if (c > 0xFFFF) return false;
    const std::string_view d = font_;
    const size_t ends = subtable_ + 14;
    const size_t starts = ends + segments_ * 2 + 2;
    const size_t deltas = starts + segments_ * 2;
    const size_t range_offsets = deltas + segments_ * 2;
    // The first segment whose end code is at least c (end codes ascend).
    size_t lo = 0;
    size_t hi = segments_;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (U16(d, ends + mid * 2) < c) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == segments_ || U16(d, starts + lo * 2) > c) return false;
    const uint16_t delta = U16(d, deltas + lo * 2);
    const size_t range_offset_at = range_offsets + lo * 2;
    const uint16_t range_offset = U16(d, range_offset_at);
    uint16_t glyph = 0;
    if (range_offset == 0) {
      glyph = static_cast<uint16_t>(c + delta);
    } else {
      const size_t at = range_offset_at + range_offset + (c - U16(d, starts + lo * 2)) * 2;
      if (at + 2 > d.size()) return false;
      glyph = U16(d, at);
      if (glyph != 0) glyph = static_cast<uint16_t>(glyph + delta);
    }
    return glyph != 0;
  }

 private:
  std::string font_;
  size_t subtable_ = 0;
  size_t segments_ = 0;
};

Result<CharacterMap> ReadCharacterMap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::Internal("font file " + path + " is missing or unreadable (Debian package fonts-liberation)");
  }
  std::string font((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error::Internal("cannot read font file " + path);
  auto map = CharacterMap::Parse(std::move(font));
  if (!map) return Error::Internal("font file " + path + " is not a TrueType font with a Unicode character map");
  return std::move(*map);
}

// ---------------------------------------------------------------------------
// libharu

struct LibharuError {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// Keeps the first error of a document; libharu then also returns an error
// code from the failing call, which the caller checks.
void HPDF_STDCALL RecordError(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
  auto* recorded = static_cast<LibharuError*>(user_data);
  if (recorded->error == HPDF_OK) *recorded = {error, detail};
}

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

std::string DescribeLibharuError(HPDF_STATUS error) {
  switch (error) {
    case HPDF_FAILD_TO_ALLOC_MEM:
      return "out of memory";
    case HPDF_FILE_IO_ERROR:
      return "file I/O error";
    case HPDF_FILE_OPEN_ERROR:
      return "cannot open file";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
      return "the font's license does not allow embedding";
    case HPDF_TTF_INVALID_CMAP:
      return "invalid TrueType character map";
    case HPDF_TTF_INVALID_FOMAT:
      return "invalid TrueType font";
    case HPDF_TTF_MISSING_TABLE:
      return "TrueType font lacks a required table";
    case HPDF_UNSUPPORTED_FONT_TYPE:
      return "unsupported font type";
    default:
      return "see hpdf_error.h";
  }
}

// The character widths of one font face, in 1/1000 em.
struct Face {
  HPDF_Font font = nullptr;
  const CharacterMap* map = nullptr;

  int64_t Width(std::u32string_view text) const {
    int64_t width = 0;
    for (char32_t c : text) width += HPDF_Font_GetUnicodeWidth(font, static_cast<HPDF_UNICODE>(c));
    return width;
  }
};

int64_t Units(float points, float size) { return static_cast<int64_t>(points * 1000 / size); }

// ---------------------------------------------------------------------------
// Layout

// `text` with line ends as '\n', tabs as spaces, and characters `map` lacks,
// other control characters and invalid UTF-8 as '?'.
std::u32string Sanitize(std::string_view text, const CharacterMap& map) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const std::optional<char32_t> c = NextCodePoint(text, i);
    if (!c) {
      out += kReplacement;
    } else if (*c == '\r') {
      if (i < text.size() && text[i] == '\n') ++i;
      out += U'\n';
    } else if (*c == '\n') {
      out += U'\n';
    } else if (*c == '\t') {
      out += U' ';
    } else if (*c < 0x20 || (*c >= 0x7F && *c < 0xA0) || !map.Has(*c)) {
      out += kReplacement;
    } else {
      out += *c;
    }
  }
  return out;
}

bool IsBlank(std::u32string_view line) { return line.find_first_not_of(U' ') == std::u32string_view::npos; }

// Breaks one line (no '\n') into lines at most `max_width` wide: at spaces,
// and inside a word only when the word alone is too wide. Spaces at the start
// of the line (an indent) and between words on the same output line are
// kept; those where the line breaks are dropped.
void WrapLine(std::u32string_view line, const Face& face, int64_t max_width, std::vector<std::u32string>& out) {
  const size_t first_output = out.size();
  std::u32string current;
  int64_t current_width = 0;
  auto flush = [&] {
    out.push_back(std::move(current));
    current.clear();
    current_width = 0;
  };
  size_t i = 0;
  while (i < line.size()) {
    const size_t space_start = i;
    while (i < line.size() && line[i] == U' ') ++i;
    const size_t word_start = i;
    while (i < line.size() && line[i] != U' ') ++i;
    const std::u32string_view word = line.substr(word_start, i - word_start);
    if (word.empty()) break;  // trailing spaces
    const std::u32string_view spaces = line.substr(space_start, word_start - space_start);
    const bool indent = current.empty() && out.size() == first_output;
    const std::u32string_view separator = current.empty() && !indent ? std::u32string_view() : spaces;
    const int64_t word_width = face.Width(word);
    const int64_t separator_width = face.Width(separator);
    if (current_width + separator_width + word_width <= max_width) {
      current += separator;
      current += word;
      current_width += separator_width + word_width;
      continue;
    }
    if (!current.empty()) flush();
    if (word_width <= max_width) {
      current = word;
      current_width = word_width;
      continue;
    }
    for (char32_t c : word) {
      const int64_t width = face.Width(std::u32string_view(&c, 1));
      if (!current.empty() && current_width + width > max_width) flush();
      current += c;
      current_width += width;
    }
  }
  if (!current.empty() || out.size() == first_output) flush();
}

// The lines of a paragraph, without blank lines at its start or end; empty
// when the paragraph is blank.
std::vector<std::u32string> WrapParagraph(std::string_view paragraph, const Face& face, float size) {
  const std::u32string text = Sanitize(paragraph, *face.map);
  std::vector<std::u32string> lines;
  const int64_t max_width = Units(kContentWidth, size);
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find(U'\n', start);
    if (end == std::u32string::npos) end = text.size();
    WrapLine(std::u32string_view(text).substr(start, end - start), face, max_width, lines);
    start = end + 1;
  }
  while (!lines.empty() && IsBlank(lines.back())) lines.pop_back();
  const auto first = std::find_if(lines.begin(), lines.end(), [](const auto& l) { return !IsBlank(l); });
  lines.erase(lines.begin(), first);
  return lines;
}

struct PlacedLine {
  std::string text;  // UTF-8
  HPDF_Font font;
  float size;
  float baseline;
};

struct PageLayout {
  std::vector<PlacedLine> lines;
  std::optional<float> rule;  // the letterhead's rule, its height
};

class Paginator {
 public:
  Paginator() { NewPage(); }

  void NewPage() {
    pages_.emplace_back();
    cursor_ = kContentTop;
    empty_ = true;
  }

  // How many more line boxes of `leading` fit on the page.
  size_t Capacity(float leading) const {
    return cursor_ < kMargin ? 0 : static_cast<size_t>((cursor_ - kMargin) / leading + 0.001F);
  }

  void Place(const std::u32string& text, const Face& face, float size, float leading) {
    if (Capacity(leading) == 0) NewPage();
    // The line box is `leading` high; the ascenders reach about its top.
    pages_.back().lines.push_back({ToUtf8(text), face.font, size, cursor_ - size});
    cursor_ -= leading;
    empty_ = false;
  }

  void Rule(float gap_before, float space_after) {
    pages_.back().rule = cursor_ - gap_before;
    cursor_ -= gap_before + space_after;
  }

  // A body paragraph: a blank line before it unless it starts a page; it
  // breaks across pages leaving neither its first nor its last line alone
  // where it can.
  void Paragraph(const std::vector<std::u32string>& lines, const Face& face) {
    if (!empty_) cursor_ -= kBodyLeading;
    const size_t n = lines.size();
    size_t next = 0;
    while (next < n) {
      const size_t left = n - next;
      size_t take = std::min(Capacity(kBodyLeading), left);
      if (take < left) {
        if (next == 0 && take == 1) {
          take = 0;  // a lone first line at the foot of the page
        } else if (left - take == 1 && take > (next == 0 ? 2U : 1U)) {
          --take;  // a lone last line at the head of the next page
        }
      }
      if (take == 0 && empty_) take = std::max<size_t>(1, std::min(Capacity(kBodyLeading), left));
      for (size_t k = 0; k < take; ++k) Place(lines[next + k], face, kBodySize, kBodyLeading);
      next += take;
      if (next < n) NewPage();
    }
  }

  std::vector<PageLayout> Take() && { return std::move(pages_); }

 private:
  std::vector<PageLayout> pages_;
  float cursor_ = kContentTop;  // the top of the next line box
  bool empty_ = true;
};

// `text` shortened with an ellipsis to at most `max_width`.
std::u32string Fit(std::u32string text, const Face& face, int64_t max_width) {
  if (face.Width(text) <= max_width) return text;
  const int64_t ellipsis = face.Width(std::u32string_view(&kEllipsis, 1));
  while (!text.empty() && face.Width(text) + ellipsis > max_width) text.pop_back();
  while (!text.empty() && text.back() == U' ') text.pop_back();
  return text + kEllipsis;
}

// ---------------------------------------------------------------------------
// The document

class LetterDocument {
 public:
  Status Init(const LetterPdfOptions& options) {
    doc_.reset(HPDF_New(&RecordError, &error_));
    if (!doc_) return Error::Internal("libharu cannot create a document (out of memory)");
    // Fixed metadata only: without a creation date or document ID (libharu
    // writes an ID only when encrypting) the output is deterministic.
    CD_RETURN_IF_ERROR(Check(HPDF_SetCompressionMode(doc_.get(), HPDF_COMP_ALL), "setting compression"));
    CD_RETURN_IF_ERROR(Check(HPDF_UseUTFEncodings(doc_.get()), "enabling UTF-8"));
    CD_RETURN_IF_ERROR(Check(HPDF_SetCurrentEncoder(doc_.get(), "UTF-8"), "selecting UTF-8"));
    CD_RETURN_IF_ERROR(Check(HPDF_SetInfoAttr(doc_.get(), HPDF_INFO_CREATOR, "CareDesk"), "setting the creator"));
    if (!options.title.empty()) {
      // Metadata need no glyphs: only invalid UTF-8 and control characters are replaced.
      std::u32string title;
      for (size_t i = 0; i < options.title.size();) {
        const std::optional<char32_t> c = NextCodePoint(options.title, i);
        title += !c ? kReplacement : *c < 0x20 ? U' ' : *c;
      }
      CD_RETURN_IF_ERROR(
          Check(HPDF_SetInfoAttr(doc_.get(), HPDF_INFO_TITLE, ToUtf8(title).c_str()), "setting the title"));
    }
    return Ok();
  }

  Result<Face> LoadFont(const std::string& path, const CharacterMap& map) {
    const char* name = HPDF_LoadTTFontFromFile(doc_.get(), path.c_str(), HPDF_TRUE);
    if (name == nullptr) return Failure("loading font " + path);
    HPDF_Font font = HPDF_GetFont(doc_.get(), name, "UTF-8");
    if (font == nullptr) return Failure("loading font " + path);
    return Face{font, &map};
  }

  Status Draw(const std::vector<PageLayout>& pages, const Face& footer_face, const std::u32string& footer) {
    for (size_t p = 0; p < pages.size(); ++p) {
      HPDF_Page page = HPDF_AddPage(doc_.get());
      if (page == nullptr) return Failure("adding a page");
      CD_RETURN_IF_ERROR(
          Check(HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT), "setting the page size"));
      if (pages[p].rule) {
        HPDF_Page_SetLineWidth(page, 0.75F);
        HPDF_Page_MoveTo(page, kMargin, *pages[p].rule);
        HPDF_Page_LineTo(page, kPageWidth - kMargin, *pages[p].rule);
        CD_RETURN_IF_ERROR(Check(HPDF_Page_Stroke(page), "drawing the letterhead rule"));
      }
      CD_RETURN_IF_ERROR(Check(HPDF_Page_BeginText(page), "starting text"));
      for (const PlacedLine& line : pages[p].lines) {
        if (line.text.empty()) continue;
        CD_RETURN_IF_ERROR(Check(HPDF_Page_SetFontAndSize(page, line.font, line.size), "setting the font"));
        CD_RETURN_IF_ERROR(Check(HPDF_Page_TextOut(page, kMargin, line.baseline, line.text.c_str()), "writing text"));
      }
      CD_RETURN_IF_ERROR(DrawFooter(page, footer_face, footer, p + 1, pages.size()));
      CD_RETURN_IF_ERROR(Check(HPDF_Page_EndText(page), "ending text"));
    }
    return Ok();
  }

  Result<std::string> Save() {
    CD_RETURN_IF_ERROR(Check(HPDF_SaveToStream(doc_.get()), "saving"));
    const HPDF_UINT32 size = HPDF_GetStreamSize(doc_.get());
    if (size == 0) return Failure("saving");
    std::string bytes(size, '\0');
    HPDF_UINT32 read = size;
    const HPDF_STATUS status = HPDF_ReadFromStream(doc_.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
    // Reading up to the end may report HPDF_STREAM_EOF along with the bytes.
    if ((status != HPDF_OK && status != HPDF_STREAM_EOF) || read != size) return Failure("reading the saved PDF");
    return bytes;
  }

 private:
  Status DrawFooter(HPDF_Page page, const Face& face, const std::u32string& footer, size_t number, size_t count) {
    const std::u32string label = U"Page " + ToU32(number) + U" of " + ToU32(count);
    const float label_width = static_cast<float>(face.Width(label)) * kFooterSize / 1000;
    CD_RETURN_IF_ERROR(Check(HPDF_Page_SetGrayFill(page, kFooterGray), "setting the footer colour"));
    CD_RETURN_IF_ERROR(Check(HPDF_Page_SetFontAndSize(page, face.font, kFooterSize), "setting the footer font"));
    if (!footer.empty()) {
      const std::string text = ToUtf8(Fit(footer, face, Units(kContentWidth - label_width - kFooterGap, kFooterSize)));
      CD_RETURN_IF_ERROR(Check(HPDF_Page_TextOut(page, kMargin, kFooterBaseline, text.c_str()), "writing the footer"));
    }
    return Check(HPDF_Page_TextOut(page, kPageWidth - kMargin - label_width, kFooterBaseline, ToUtf8(label).c_str()),
                 "writing the page number");
  }

  static std::u32string ToU32(size_t n) {
    const std::string digits = std::to_string(n);
    return std::u32string(digits.begin(), digits.end());
  }

  Status Check(HPDF_STATUS status, std::string_view what) const {
    if (status == HPDF_OK && error_.error == HPDF_OK) return Ok();
    return Failure(what);
  }

  Error Failure(std::string_view what) const {
    char code[16];
    std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(error_.error));
    return Error::Internal("PDF rendering failed " + std::string(what) + ": libharu error " + code + " (" +
                           DescribeLibharuError(error_.error) + ", detail " + std::to_string(error_.detail) + ")");
  }

  LibharuError error_;  // declared before doc_, which refers to it until freed
  DocPtr doc_;
};

}  // namespace

Result<std::string> RenderLetterPdf(const std::vector<std::string>& paragraphs, const LetterPdfOptions& options) {
  std::string dir = options.font_dir;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  const std::string regular_path = dir + std::string(kRegularFontFile);
  const std::string bold_path = dir + std::string(kBoldFontFile);
  // Both files are checked on every call, so that a missing one shows on the
  // first letter and not only on the first with a letterhead.
  CD_ASSIGN_OR_RETURN(const CharacterMap regular_map, ReadCharacterMap(regular_path));
  CD_ASSIGN_OR_RETURN(const CharacterMap bold_map, ReadCharacterMap(bold_path));

  LetterDocument document;
  CD_RETURN_IF_ERROR(document.Init(options));
  CD_ASSIGN_OR_RETURN(const Face regular, document.LoadFont(regular_path, regular_map));

  Paginator paginator;
  if (options.organization.find_first_not_of(" \t\r\n") != std::string::npos) {
    // Loaded only when used: a loaded font is embedded even if no text uses it.
    CD_ASSIGN_OR_RETURN(const Face bold, document.LoadFont(bold_path, bold_map));
    const std::vector<std::u32string> letterhead = WrapParagraph(options.organization, bold, kLetterheadSize);
    for (const std::u32string& line : letterhead) paginator.Place(line, bold, kLetterheadSize, kLetterheadLeading);
    if (!letterhead.empty()) paginator.Rule(kLetterheadRuleGap, kLetterheadSpaceAfter);
  }
  for (const std::string& paragraph : paragraphs) {
    const std::vector<std::u32string> lines = WrapParagraph(paragraph, regular, kBodySize);
    if (!lines.empty()) paginator.Paragraph(lines, regular);
  }
  std::u32string footer = Sanitize(options.footer, regular_map);
  std::replace(footer.begin(), footer.end(), U'\n', U' ');
  CD_RETURN_IF_ERROR(document.Draw(std::move(paginator).Take(), regular, footer));
  return document.Save();
}

}  // namespace caredesk::render
