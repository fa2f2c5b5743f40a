#include "domain/relations/letter_template.h"

#include <algorithm>
#include <utility>

namespace caredesk::relations {
namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsPlaceholderName(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string_view TrimSpaces(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

int LineOf(std::string_view text, size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

Error TemplateError(std::string_view reason, std::string message) {
  return Error::Invalid("template", std::move(message), std::string(reason));
}

std::string LineLabel(std::string_view text, size_t pos) { return "line " + std::to_string(LineOf(text, pos)); }

// An HTML tag, comment or doctype starts "<" then a letter, "/" or "!".
bool StartsMarkup(std::string_view text, size_t pos) {
  if (text[pos] != '<' || pos + 1 >= text.size()) return false;
  char c = text[pos + 1];
  return IsAsciiLetter(c) || c == '/' || c == '!';
}

// Line breaks to "\n", other control characters (but tab) to spaces.
std::string CleanValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
    } else {
      const bool control = (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
      out += control ? ' ' : c;
    }
  }
  return out;
}

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

std::string_view TrimRight(std::string_view line) {
  size_t e = line.find_last_not_of(" \t");
  return e == std::string_view::npos ? std::string_view{} : line.substr(0, e + 1);
}

RenderedText SplitParagraphs(std::string_view text) {
  RenderedText out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.paragraphs.push_back(std::move(current));
    current.clear();
  };
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (IsBlank(line)) {
      flush();
    } else {
      if (!current.empty()) current += '\n';
      current += TrimRight(line);
    }
    start = end + 1;
  }
  flush();
  return out;
}

}  // namespace

std::string RenderedText::ToPlainText() const {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  if (!out.empty()) out += '\n';
  return out;
}

Result<LetterTemplate> LetterTemplate::Parse(std::string_view text, std::span<const std::string_view> allowed) {
  if (text.size() > kMaxTemplateBytes) {
    return TemplateError("too_long", "the template is limited to " + std::to_string(kMaxTemplateBytes) + " bytes");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return TemplateError("empty", "the template is empty");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
      return TemplateError("invalid_character",
                           "the template contains a control character on " + LineLabel(text, i) + "; use plain text");
    }
    if (StartsMarkup(text, i)) {
      return TemplateError("markup_not_allowed",
                           "the template is plain text; remove the HTML tag on " + LineLabel(text, i));
    }
  }

  LetterTemplate t;
  t.source_ = std::string(text);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find(kOpen, pos);
    if (open == std::string_view::npos) {
      t.segments_.push_back({false, std::string(text.substr(pos))});
      break;
    }
    if (open > pos) t.segments_.push_back({false, std::string(text.substr(pos, open - pos))});
    size_t close = text.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) {
      return TemplateError("unterminated_placeholder",
                           "a placeholder opened with {{ on " + LineLabel(text, open) + " is never closed with }}");
    }
    std::string_view raw = text.substr(open + kOpen.size(), close - open - kOpen.size());
    std::string_view name = TrimSpaces(raw);
    if (!IsPlaceholderName(name)) {
      return TemplateError("invalid_placeholder", "{{" + std::string(raw) + "}} on " + LineLabel(text, open) +
                                                      " is not a placeholder name (lowercase letters, digits, _)");
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed) {
        if (!names.empty()) names += ", ";
        names += a;
      }
      return TemplateError("unknown_placeholder", "unknown placeholder {{" + std::string(name) + "}} on " +
                                                      LineLabel(text, open) + "; allowed: " + names);
    }
    t.segments_.push_back({true, std::string(name)});
    if (!t.Uses(name)) t.placeholders_.emplace_back(name);
    pos = close + kClose.size();
  }
  return t;
}

bool LetterTemplate::Uses(std::string_view name) const {
  return std::find(placeholders_.begin(), placeholders_.end(), name) != placeholders_.end();
}

Result<RenderedText> LetterTemplate::Render(const TemplateValues& values) const {
  std::string text;
  for (const Segment& s : segments_) {
    if (!s.is_placeholder) {
      text += s.text;
      continue;
    }
    auto it = values.find(s.text);
    if (it == values.end()) {
      return Error::Invalid(s.text, "the letter needs a value for {{" + s.text + "}}", "missing_value");
    }
    text += it->second;
  }
  // The template's own line breaks may be CRLF; values are cleaned the same
  // way, so one pass over the whole text suffices.
  return SplitParagraphs(CleanValue(text));
}

}  // namespace caredesk::relations
