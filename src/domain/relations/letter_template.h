// A plain-text letter template that a manager can edit: literal text with
// {{placeholder}} fields drawn from a fixed list of allowed names. The
// rendered letter is plain text in paragraphs (no HTML); laying it out as PDF
// belongs to another layer. Immutable after parsing; thread-safe to read.
//
// Syntax: "{{name}}" (spaces inside the braces are ignored) where name is
// [a-z][a-z0-9_]* and one of the allowed names. Every other character is
// literal, including single braces and a "}}" with no opening. Paragraphs are
// separated by one or more blank lines; line breaks inside a paragraph are
// kept (an address block, a signature). HTML tags are refused.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::relations {

inline constexpr size_t kMaxTemplateBytes = size_t{64} * 1024;

// Placeholder values by name.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

// A rendered letter: paragraphs with no surrounding blank lines and no
// trailing spaces on any line; empty paragraphs (say, of an optional field
// left empty) are dropped.
struct RenderedText {
  std::vector<std::string> paragraphs;

  // Paragraphs separated by a blank line, ending with a newline.
  std::string ToPlainText() const;
};

class LetterTemplate {
 public:
  // Parses `text`. Errors are Error::Invalid on field "template" whose
  // message gives the line: reason "empty", "too_long" (over
  // kMaxTemplateBytes), "invalid_character" (control characters other than
  // tab and line breaks), "markup_not_allowed" (an HTML tag),
  // "unterminated_placeholder", "invalid_placeholder" (a malformed name) or
  // "unknown_placeholder" (a name not in `allowed`; the message names it and
  // lists the allowed ones).
  static Result<LetterTemplate> Parse(std::string_view text, std::span<const std::string_view> allowed);

  // Substitutes the values and splits the result into paragraphs. A value
  // may span lines and paragraphs; carriage returns become line breaks and
  // other control characters spaces. A placeholder with no entry in `values`
  // gives Error::Invalid on a field named after it, reason "missing_value".
  Result<RenderedText> Render(const TemplateValues& values) const;

  // The distinct placeholders used, in order of first use.
  const std::vector<std::string>& placeholders() const { return placeholders_; }
  bool Uses(std::string_view name) const;
  const std::string& source() const { return source_; }

 private:
  struct Segment {
    bool is_placeholder = false;
    std::string text;  // literal text or placeholder name
  };

  LetterTemplate() = default;

  std::string source_;
  std::vector<Segment> segments_;
  std::vector<std::string> placeholders_;
};

}  // namespace caredesk::relations
