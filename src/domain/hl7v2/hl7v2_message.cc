#include "domain/hl7v2/hl7v2_message.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <iterator>
#include <limits>
#include <utility>

namespace caredesk::hl7v2 {
namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr char kMllpStart = '\x0b';
constexpr char kMllpEnd = '\x1c';
// Spans are 32-bit offsets.
constexpr size_t kMaxTextSize = std::numeric_limits<uint32_t>::max();

// ----- Characters

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsUpper(c) || IsDigit(c) || (c >= 'a' && c <= 'z'); }
bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }
// Printable ASCII other than letters, digits and space: what HL7 allows as a delimiter.
bool IsDelimiterChar(char c) { return c > ' ' && c < '\x7f' && !IsAlnum(c); }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// `text` quoted for an error message: at most 20 characters, non-printable ones as '?'.
std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 20;
  std::string out = "\"";
  for (char c : text.substr(0, kMax)) out += (c >= ' ' && c < '\x7f') ? c : '?';
  if (text.size() > kMax) out += "...";
  out += '"';
  return out;
}

// ----- Segments and pieces

// The segment id `line` begins with: an upper-case letter and two upper-case letters or digits,
// followed by the end of the line or a character that is neither letter nor digit (the field
// separator, checked by the caller once it is known). Empty when malformed.
std::string_view SegmentIdOf(std::string_view line) {
  if (line.size() < 3 || !IsUpper(line[0]) || !(IsUpper(line[1]) || IsDigit(line[1])) ||
      !(IsUpper(line[2]) || IsDigit(line[2])) || (line.size() > 3 && IsAlnum(line[3]))) {
    return {};
  }
  return line.substr(0, 3);
}

bool DeclaresDelimiters(std::string_view id) { return id == "MSH" || id == "FHS" || id == "BHS"; }
bool IsEnvelopeId(std::string_view id) { return id == "FHS" || id == "BHS" || id == "BTS" || id == "FTS"; }

// `input` without what surrounds a message in transit or in a file: an MLLP start byte, a UTF-8
// byte order mark, leading and trailing line breaks and a trailing MLLP end byte.
std::string_view StripTransport(std::string_view input) {
  if (input.starts_with(kMllpStart)) input.remove_prefix(1);
  if (input.starts_with(kBom)) input.remove_prefix(kBom.size());
  input.remove_prefix(std::min(input.find_first_not_of("\r\n"), input.size()));
  while (!input.empty() && (IsLineBreak(input.back()) || input.back() == kMllpEnd)) input.remove_suffix(1);
  return input;
}

// Walks the segments of a text: the runs of characters between CR and LF characters, so CR, LF
// and CRLF all end a segment. Blank lines (nothing, or only spaces and tabs) are skipped. Segment
// ends are found with memchr, which a message's long segments pay for: the next CR and the next
// LF are each looked for again only once passed, so each kind of line break is scanned for once.
class SegmentCursor {
 public:
  explicit SegmentCursor(std::string_view text) : text_(text), next_cr_(Find('\r', 0)), next_lf_(Find('\n', 0)) {}

  // The next segment as [begin, end) offsets into the text; false after the last.
  bool Next(size_t& begin, size_t& end) {
    while (pos_ < text_.size()) {
      begin = pos_;
      end = std::min(next_cr_, next_lf_);
      pos_ = end;
      while (pos_ < text_.size() && IsLineBreak(text_[pos_])) ++pos_;
      if (next_cr_ < pos_) next_cr_ = Find('\r', pos_);
      if (next_lf_ < pos_) next_lf_ = Find('\n', pos_);
      if (text_.substr(begin, end - begin).find_first_not_of(" \t") != kNone) return true;
    }
    return false;
  }

 private:
  // The offset of the first `c` from `from` on, or the end of the text.
  size_t Find(char c, size_t from) const { return std::min(text_.find(c, from), text_.size()); }

  std::string_view text_;
  size_t pos_ = 0;
  size_t next_cr_;
  size_t next_lf_;
};

// Piece `n` (from 0) of `text` split at `sep`; empty when there are fewer pieces.
std::string_view NthPiece(std::string_view text, char sep, size_t n) {
  size_t begin = 0;
  for (; n > 0; --n) {
    const size_t at = text.find(sep, begin);
    if (at == kNone) return {};
    begin = at + 1;
  }
  const size_t end = text.find(sep, begin);
  return text.substr(begin, end == kNone ? kNone : end - begin);
}

size_t PieceCount(std::string_view text, char sep) {
  return text.empty() ? 0 : 1 + static_cast<size_t>(std::count(text.begin(), text.end(), sep));
}

detail::Span MakeSpan(size_t begin, size_t size) { return {static_cast<uint32_t>(begin), static_cast<uint32_t>(size)}; }

// Appends the segment table.text[begin, end), which starts with a segment id, splitting it into
// fields at the table's field separator. A plain loop: fields are a few bytes long, too short for
// memchr to pay for its call.
void AppendSegment(detail::SegmentTable& table, size_t begin, size_t end) {
  const char* text = table.text.data();
  const char sep = table.delimiters.field;
  detail::SegmentEntry entry;
  entry.first_field = static_cast<uint32_t>(table.fields.size());
  entry.declares_delimiters = DeclaresDelimiters(std::string_view(text + begin, 3));
  table.fields.push_back(MakeSpan(begin, 3));
  if (end > begin + 3) {
    // The character after the id is the field separator. In MSH, FHS and BHS it is also field 1.
    if (entry.declares_delimiters) table.fields.push_back(MakeSpan(begin + 3, 1));
    size_t field_begin = begin + 4;
    for (size_t pos = field_begin; pos < end; ++pos) {
      if (text[pos] == sep) {
        table.fields.push_back(MakeSpan(field_begin, pos - field_begin));
        field_begin = pos + 1;
      }
    }
    table.fields.push_back(MakeSpan(field_begin, end - field_begin));
  }
  entry.field_count = static_cast<uint32_t>(table.fields.size()) - entry.first_field;
  table.segments.push_back(entry);
}

// 1 + the number of segments `id` already in `table`: the sequence of the next one.
size_t NextSequence(const detail::SegmentTable& table, std::string_view id) {
  size_t n = 1;
  for (const detail::SegmentEntry& s : table.segments) n += table.Slice(table.fields[s.first_field]) == id;
  return n;
}

// ----- Errors

Error ParseError(std::string_view why, const ErrorLocation& where, std::string message) {
  ErrorCode code = ErrorCode::kInvalidArgument;
  if (why == reason::kUnsupportedVersion) code = ErrorCode::kUnprocessable;
  if (why == reason::kTooLarge) code = ErrorCode::kTooLarge;
  return Error{code, std::string(why), std::move(message), where.ToString()};
}

ErrorLocation At(std::string_view segment_id, size_t sequence, size_t field = 0) {
  return ErrorLocation{std::string(segment_id), sequence, field};
}

struct ReasonCondition {
  std::string_view reason;
  ErrorCondition condition;
};

constexpr ReasonCondition kReasonConditions[] = {
    {reason::kEmptyInput, ErrorCondition::kSegmentSequenceError},
    {reason::kInvalidSegmentId, ErrorCondition::kSegmentSequenceError},
    {reason::kSegmentBeforeMsh, ErrorCondition::kSegmentSequenceError},
    {reason::kSecondMsh, ErrorCondition::kSegmentSequenceError},
    {reason::kEnvelopeInMessage, ErrorCondition::kSegmentSequenceError},
    {reason::kHeaderTooShort, ErrorCondition::kRequiredFieldMissing},
    {reason::kInvalidDelimiters, ErrorCondition::kDataTypeError},
    {reason::kMissingMessageType, ErrorCondition::kRequiredFieldMissing},
    {reason::kMissingControlId, ErrorCondition::kRequiredFieldMissing},
    {reason::kMissingVersion, ErrorCondition::kRequiredFieldMissing},
    {reason::kUnsupportedVersion, ErrorCondition::kUnsupportedVersionId},
    {reason::kUnsupportedMessageType, ErrorCondition::kUnsupportedMessageType},
    {reason::kTooLarge, ErrorCondition::kApplicationInternalError},
    {reason::kMisplacedFileHeader, ErrorCondition::kSegmentSequenceError},
    {reason::kSegmentAfterFileTrailer, ErrorCondition::kSegmentSequenceError},
    {reason::kNestedBatch, ErrorCondition::kSegmentSequenceError},
    {reason::kTrailerWithoutBatch, ErrorCondition::kSegmentSequenceError},
    {reason::kBatchesWithoutFile, ErrorCondition::kSegmentSequenceError},
    {reason::kMissingTrailer, ErrorCondition::kSegmentSequenceError},
    {reason::kMissingHeader, ErrorCondition::kSegmentSequenceError},
    // A count that does not match means messages were lost or added on the way: the sequence of
    // segments is wrong, not a value's type.
    {reason::kTrailerCountMismatch, ErrorCondition::kSegmentSequenceError},
    {reason::kInvalidTrailerCount, ErrorCondition::kDataTypeError},
};

// ----- Escape sequences

// Appends what escape sequence `code` (the text between the escape characters) stands for; false
// when it is not one that decodes to text.
bool AppendDecoded(std::string_view code, const Delimiters& d, std::string& out) {
  if (code.size() == 1) {
    switch (code[0]) {
      case 'F':
        out += d.field;
        return true;
      case 'S':
        out += d.component;
        return true;
      case 'T':
        out += d.subcomponent;
        return true;
      case 'R':
        out += d.repetition;
        return true;
      case 'E':
        out += d.escape;
        return true;
      case 'P':
        if (d.truncation == '\0') return false;
        out += d.truncation;
        return true;
      default:
        return false;
    }
  }
  if (code == ".br") {
    out += '\n';
    return true;
  }
  // \Xhh...\: an even number of hexadecimal digits, at least two.
  if (code.size() < 3 || code[0] != 'X' || code.size() % 2 == 0) return false;
  const std::string_view digits = code.substr(1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return HexValue(c) >= 0; })) return false;
  for (size_t i = 0; i < digits.size(); i += 2) {
    out += static_cast<char>(HexValue(digits[i]) * 16 + HexValue(digits[i + 1]));
  }
  return true;
}

// The body of the escape sequence that stands for `c` under `d`; empty when `c` stands for itself.
std::string_view EscapeCode(char c, const Delimiters& d) {
  if (c == d.field) return "F";
  if (c == d.component) return "S";
  if (c == d.subcomponent) return "T";
  if (c == d.repetition) return "R";
  if (c == d.escape) return "E";
  if (d.truncation != '\0' && c == d.truncation) return "P";
  switch (c) {
    case '\r':
      return "X0D";
    case '\n':
      return "X0A";
    case kMllpStart:
      return "X0B";
    case kMllpEnd:
      return "X1C";
    default:
      return {};
  }
}

// ----- Header segments

// The delimiters that `line`, an MSH, FHS or BHS segment, declares in its fields 1 and 2.
Result<Delimiters> ReadDelimiters(std::string_view line) {
  const std::string id(line.substr(0, 3));
  constexpr std::string_view kShortest = "MSH|^~\\&";
  if (line.size() < kShortest.size()) {
    return ParseError(reason::kHeaderTooShort, At(id, 1, 2),
                      id + " is too short to declare its delimiters (" + id + "-1 and " + id + "-2): " + Excerpt(line));
  }
  Delimiters d;
  d.field = line[3];
  const size_t chars_end = std::min(line.find(d.field, 4), line.size());
  const std::string_view chars = line.substr(4, chars_end - 4);
  std::string all(1, d.field);
  all += chars;
  const bool distinct = std::all_of(
      all.begin(), all.end(), [&](char c) { return IsDelimiterChar(c) && std::count(all.begin(), all.end(), c) == 1; });
  if ((chars.size() != 4 && chars.size() != 5) || !distinct) {
    return ParseError(reason::kInvalidDelimiters, At(id, 1, 2),
                      id + "-1 and " + id + "-2 must declare 5 or 6 distinct punctuation characters, not " +
                          Excerpt(line.substr(3, chars_end - 3)));
  }
  d.component = chars[0];
  d.repetition = chars[1];
  d.escape = chars[2];
  d.subcomponent = chars[3];
  if (chars.size() == 5) d.truncation = chars[4];
  return d;
}

// What an MSH says, unvalidated.
MessageHeader ReadHeader(const Segment& msh, const Delimiters& d) {
  const auto hd = [&](size_t field) {
    return HierarchicDesignator{msh.Get(field, 0, 1), msh.Get(field, 0, 2), msh.Get(field, 0, 3)};
  };
  MessageHeader h;
  h.delimiters = d;
  h.sending_application = hd(3);
  h.sending_facility = hd(4);
  h.receiving_application = hd(5);
  h.receiving_facility = hd(6);
  h.timestamp = msh.Get(7);
  h.type = MessageType{msh.Get(9, 0, 1), msh.Get(9, 0, 2), msh.Get(9, 0, 3)};
  h.control_id = msh.Get(10);
  h.processing_id = msh.Get(11);
  h.processing_mode = msh.Get(11, 0, 2);
  h.version = msh.Get(12);
  return h;
}

Status ValidateHeader(const MessageHeader& h) {
  if (h.type.code.empty()) {
    return ParseError(reason::kMissingMessageType, At("MSH", 1, 9), "MSH-9 (message type) is empty");
  }
  if (h.control_id.empty()) {
    return ParseError(reason::kMissingControlId, At("MSH", 1, 10), "MSH-10 (message control id) is empty");
  }
  if (h.version.empty()) {
    return ParseError(reason::kMissingVersion, At("MSH", 1, 12), "MSH-12 (version id) is empty");
  }
  if (!IsSupportedVersion(h.version)) {
    return ParseError(reason::kUnsupportedVersion, At("MSH", 1, 12),
                      "HL7 version " + Excerpt(h.version) + " is not supported (2.3 to 2.8.x are)");
  }
  return Ok();
}

// The error for a message whose first segment `line` is not an MSH.
Error NotAMessageHeader(std::string_view line) {
  const std::string_view id = SegmentIdOf(line);
  if (id.empty()) {
    return ParseError(reason::kInvalidSegmentId, {}, "the message does not begin with a segment id: " + Excerpt(line));
  }
  if (IsEnvelopeId(id)) {
    return ParseError(reason::kEnvelopeInMessage, At(id, 1),
                      std::string(id) + " is a batch or file segment: parse the input with ParseBatchOrMessage");
  }
  return ParseError(reason::kSegmentBeforeMsh, At(id, 1), "the message begins with " + std::string(id) + ", not MSH");
}

// ----- Terser paths and locations

// A cursor over a short text such as "PID-3(1)-1".
class TextReader {
 public:
  explicit TextReader(std::string_view text) : text_(text) {}

  bool done() const { return text_.empty(); }
  bool Eat(char c) {
    if (!text_.starts_with(c)) return false;
    text_.remove_prefix(1);
    return true;
  }
  bool EatAny(std::string_view chars) { return !text_.empty() && chars.find(text_[0]) != kNone && Eat(text_[0]); }
  // One or more digits.
  bool Number(size_t& out) {
    const auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), out);
    if (ec != std::errc()) return false;
    text_.remove_prefix(static_cast<size_t>(end - text_.data()));
    return true;
  }
  // Nothing, or `open` number `close`.
  bool OptionalIndex(char open, char close, size_t& out) { return !Eat(open) || (Number(out) && Eat(close)); }

 private:
  std::string_view text_;
};

struct TersePath {
  std::string_view segment_id;
  size_t occurrence = 0;
  size_t field = 0;
  size_t repetition = 0;
  size_t component = 1;
  size_t subcomponent = 1;
};

Result<TersePath> ParseTersePath(std::string_view path) {
  TersePath p;
  p.segment_id = SegmentIdOf(path);
  TextReader r(path.substr(p.segment_id.size()));
  bool ok = !p.segment_id.empty() && r.OptionalIndex('(', ')', p.occurrence) && r.Eat('-') && r.Number(p.field) &&
            p.field > 0 && r.OptionalIndex('(', ')', p.repetition);
  if (ok && r.EatAny("-.")) {
    ok = r.Number(p.component) && p.component > 0 &&
         (!r.EatAny("-.") || (r.Number(p.subcomponent) && p.subcomponent > 0));
  }
  if (!ok || !r.done()) {
    return Error::Invalid("path", "terser path " + Excerpt(path) + " is not SEG[(n)]-FIELD[(rep)][-COMP[-SUB]]",
                          "invalid_path");
  }
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Delimiters and escaping

std::string Delimiters::EncodingCharacters() const {
  std::string chars{component, repetition, escape, subcomponent};
  if (truncation != '\0') chars += truncation;
  return chars;
}

std::string Unescape(std::string_view raw, const Delimiters& d) {
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  for (size_t open = raw.find(d.escape); open != kNone; open = raw.find(d.escape, pos)) {
    const size_t close = raw.find(d.escape, open + 1);
    if (close == kNone) break;  // an unterminated sequence is kept with the rest
    out.append(raw.substr(pos, open - pos));
    if (!AppendDecoded(raw.substr(open + 1, close - open - 1), d, out)) {
      out.append(raw.substr(open, close - open + 1));
    }
    pos = close + 1;
  }
  out.append(raw.substr(pos));
  return out;
}

std::string Escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const std::string_view code = EscapeCode(c, d);
    if (code.empty()) {
      out += c;
    } else {
      out += d.escape;
      out += code;
      out += d.escape;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Versions

std::optional<VersionId> ParseVersionId(std::string_view text) {
  VersionId v;
  TextReader r(text);
  const auto number = [&r](int& out) {
    size_t n = 0;
    if (!r.Number(n) || n > 99) return false;
    out = static_cast<int>(n);
    return true;
  };
  if (!number(v.major) || !r.Eat('.') || !number(v.minor) || (r.Eat('.') && !number(v.revision)) || !r.done()) {
    return std::nullopt;
  }
  return v;
}

bool IsSupportedVersion(std::string_view text) {
  const std::optional<VersionId> v = ParseVersionId(text);
  return v && v->major == 2 && v->minor >= 3 && v->minor <= 8;
}

// ---------------------------------------------------------------------------------------------
// Errors

std::string_view ConditionText(ErrorCondition condition) {
  switch (condition) {
    case ErrorCondition::kSegmentSequenceError:
      return "Segment sequence error";
    case ErrorCondition::kRequiredFieldMissing:
      return "Required field missing";
    case ErrorCondition::kDataTypeError:
      return "Data type error";
    case ErrorCondition::kTableValueNotFound:
      return "Table value not found";
    case ErrorCondition::kUnsupportedMessageType:
      return "Unsupported message type";
    case ErrorCondition::kUnsupportedEventCode:
      return "Unsupported event code";
    case ErrorCondition::kUnsupportedProcessingId:
      return "Unsupported processing id";
    case ErrorCondition::kUnsupportedVersionId:
      return "Unsupported version id";
    case ErrorCondition::kUnknownKeyIdentifier:
      return "Unknown key identifier";
    case ErrorCondition::kDuplicateKeyIdentifier:
      return "Duplicate key identifier";
    case ErrorCondition::kApplicationRecordLocked:
      return "Application record locked";
    case ErrorCondition::kApplicationInternalError:
      return "Application internal error";
  }
  return "Application internal error";
}

std::string ErrorLocation::ToString() const {
  if (segment_id.empty()) return {};
  std::string out = segment_id + "[" + std::to_string(segment_sequence) + "]";
  if (field > 0) out += "-" + std::to_string(field);
  return out;
}

ErrorLocation ParseErrorLocation(std::string_view text) {
  ErrorLocation location;
  location.segment_sequence = 1;
  const std::string_view id = SegmentIdOf(text);
  TextReader r(text.substr(id.size()));
  const bool ok = !id.empty() && r.OptionalIndex('[', ']', location.segment_sequence) &&
                  (!r.Eat('-') || r.Number(location.field)) && r.done();
  if (!ok) return {};
  location.segment_id = id;
  return location;
}

ErrorCondition ConditionOf(const Error& error) {
  for (const ReasonCondition& rc : kReasonConditions) {
    if (rc.reason == error.reason) return rc.condition;
  }
  return ErrorCondition::kApplicationInternalError;
}

ErrorLocation LocationOf(const Error& error) { return ParseErrorLocation(error.field); }

// ---------------------------------------------------------------------------------------------
// Segment

std::string_view Segment::id() const { return table_->Slice(table_->fields[entry().first_field]); }

size_t Segment::field_count() const { return entry().field_count - 1; }

bool Segment::IsVerbatim(size_t field) const { return entry().declares_delimiters && (field == 1 || field == 2); }

std::string_view Segment::RawField(size_t field) const {
  const detail::SegmentEntry& e = entry();
  return field < e.field_count ? table_->Slice(table_->fields[e.first_field + field]) : std::string_view();
}

size_t Segment::RepetitionCount(size_t field) const {
  const std::string_view value = RawField(field);
  if (IsVerbatim(field)) return value.empty() ? 0 : 1;
  return PieceCount(value, table_->delimiters.repetition);
}

size_t Segment::ComponentCount(size_t field, size_t rep) const {
  if (IsVerbatim(field)) return rep == 0 ? RepetitionCount(field) : 0;
  const Delimiters& d = table_->delimiters;
  return PieceCount(NthPiece(RawField(field), d.repetition, rep), d.component);
}

std::string_view Segment::Raw(size_t field, size_t rep, size_t comp, size_t sub) const {
  const std::string_view value = RawField(field);
  if (IsVerbatim(field)) return rep == 0 && comp == 1 && sub == 1 ? value : std::string_view();
  // Position 0 of a component or subcomponent wraps to the largest size_t: no such piece.
  const Delimiters& d = table_->delimiters;
  return NthPiece(NthPiece(NthPiece(value, d.repetition, rep), d.component, comp - 1), d.subcomponent, sub - 1);
}

std::string Segment::Get(size_t field, size_t rep, size_t comp, size_t sub) const {
  const std::string_view raw = Raw(field, rep, comp, sub);
  return IsVerbatim(field) ? std::string(raw) : Unescape(raw, table_->delimiters);
}

// ---------------------------------------------------------------------------------------------
// Message

Segment Message::segment(size_t index) const {
  assert(index < segment_count());
  return Segment(&table_, index);
}

std::optional<Segment> Message::Find(std::string_view id, size_t occurrence) const {
  for (size_t i = 0; i < table_.segments.size(); ++i) {
    if (table_.Slice(table_.fields[table_.segments[i].first_field]) != id) continue;
    if (occurrence == 0) return Segment(&table_, i);
    --occurrence;
  }
  return std::nullopt;
}

std::vector<Segment> Message::Segments(std::string_view id) const {
  std::vector<Segment> found;
  for (size_t i = 0; i < table_.segments.size(); ++i) {
    if (table_.Slice(table_.fields[table_.segments[i].first_field]) == id) found.push_back(Segment(&table_, i));
  }
  return found;
}

std::string_view Message::Raw(std::string_view segment_id, size_t field, size_t rep, size_t comp, size_t sub) const {
  const std::optional<Segment> s = Find(segment_id);
  return s ? s->Raw(field, rep, comp, sub) : std::string_view();
}

std::string Message::Get(std::string_view segment_id, size_t field, size_t rep, size_t comp, size_t sub) const {
  const std::optional<Segment> s = Find(segment_id);
  return s ? s->Get(field, rep, comp, sub) : std::string();
}

size_t Message::RepetitionCount(std::string_view segment_id, size_t field) const {
  const std::optional<Segment> s = Find(segment_id);
  return s ? s->RepetitionCount(field) : 0;
}

Result<std::string> Message::GetPath(std::string_view path) const {
  CD_ASSIGN_OR_RETURN(const TersePath p, ParseTersePath(path));
  const std::optional<Segment> s = Find(p.segment_id, p.occurrence);
  return s ? s->Get(p.field, p.repetition, p.component, p.subcomponent) : std::string();
}

Result<Message> ParseMessage(std::string_view input) {
  const std::string_view text = StripTransport(input);
  if (text.size() > kMaxTextSize) {
    return ParseError(reason::kTooLarge, {}, "the message is larger than 4 GiB");
  }
  size_t begin = 0;
  size_t end = 0;
  if (!SegmentCursor(text).Next(begin, end)) {
    return ParseError(reason::kEmptyInput, {}, "the input holds no segment");
  }
  const std::string_view first = text.substr(begin, end - begin);
  if (!first.starts_with("MSH")) return NotAMessageHeader(first);
  CD_ASSIGN_OR_RETURN(const Delimiters delimiters, ReadDelimiters(first));

  Message m;
  detail::SegmentTable& table = m.table_;
  table.text.assign(text);
  table.delimiters = delimiters;
  SegmentCursor cursor(table.text);
  while (cursor.Next(begin, end)) {
    const std::string_view line = std::string_view(table.text).substr(begin, end - begin);
    const std::string_view id = SegmentIdOf(line);
    if (id.empty() || (line.size() > 3 && line[3] != delimiters.field)) {
      return ParseError(reason::kInvalidSegmentId, {},
                        "segment " + std::to_string(table.segments.size() + 1) +
                            " does not begin with a segment id and the field separator: " + Excerpt(line));
    }
    if (IsEnvelopeId(id)) {
      return ParseError(reason::kEnvelopeInMessage, At(id, NextSequence(table, id)),
                        std::string(id) + " is a batch or file segment: parse the input with ParseBatchOrMessage");
    }
    if (id == "MSH" && !table.segments.empty()) {
      return ParseError(reason::kSecondMsh, At(id, 2),
                        "the text holds more than one message: parse it with ParseBatchOrMessage");
    }
    AppendSegment(table, begin, end);
  }
  m.header_ = ReadHeader(m.segment(0), delimiters);
  CD_RETURN_IF_ERROR(ValidateHeader(m.header_));
  return m;
}

MessageHeader SalvageHeader(std::string_view input) {
  const std::string_view text = StripTransport(input);
  if (text.size() > kMaxTextSize) return {};
  SegmentCursor cursor(text);
  size_t begin = 0;
  size_t end = 0;
  while (cursor.Next(begin, end)) {
    const std::string_view line = text.substr(begin, end - begin);
    if (!line.starts_with("MSH")) continue;
    Result<Delimiters> declared = ReadDelimiters(line);
    Message m;
    m.table_.text.assign(line);
    if (declared.ok()) {
      m.table_.delimiters = *declared;
    } else if (line.size() > 3 && IsDelimiterChar(line[3]) &&
               Delimiters().EncodingCharacters().find(line[3]) == kNone) {
      m.table_.delimiters.field = line[3];  // the encoding characters are what is broken
    }
    AppendSegment(m.table_, 0, line.size());
    return ReadHeader(m.segment(0), m.table_.delimiters);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Batches and files

Segment Envelope::segment(size_t index) const {
  assert(index < segment_count());
  return Segment(&table_, index);
}

std::optional<Segment> Envelope::file_header() const {
  return file_header_ ? std::optional<Segment>(segment(*file_header_)) : std::nullopt;
}

std::optional<Segment> Envelope::file_trailer() const {
  return file_trailer_ ? std::optional<Segment>(segment(*file_trailer_)) : std::nullopt;
}

// Reads an input segment by segment: envelope segments drive a small state machine (file open,
// batch open, message open), the segments of each message are handed to ParseMessage as one
// piece of text, and the envelope segments are split into the Envelope's own table at the end,
// when the delimiters they use are known.
class BatchParser {
 public:
  BatchParser(std::string_view text, BatchOptions options) : text_(text), options_(options) {}

  Result<MessageBatch> Run() {
    SegmentCursor cursor(text_);
    size_t begin = 0;
    size_t end = 0;
    while (cursor.Next(begin, end)) CD_RETURN_IF_ERROR(OnSegment(begin, end));
    CD_RETURN_IF_ERROR(FinishMessage());
    if (batch_open_) CD_RETURN_IF_ERROR(CloseBatch(std::nullopt));
    Envelope& envelope = result_.envelope;
    if (options_.strict_envelope && envelope.file_header_ && !envelope.file_trailer_) {
      return ParseError(reason::kMissingTrailer, EnvelopeLocation(*envelope.file_header_), "the FHS has no FTS");
    }
    CD_RETURN_IF_ERROR(BuildEnvelopeTable());
    CD_RETURN_IF_ERROR(CheckCounts());
    return std::move(result_);
  }

 private:
  Status OnSegment(size_t begin, size_t end) {
    const std::string_view line = text_.substr(begin, end - begin);
    const std::string_view id = SegmentIdOf(line);
    if (id.empty()) {
      return ParseError(reason::kInvalidSegmentId, {}, "a segment does not begin with a segment id: " + Excerpt(line));
    }
    const bool first = !seen_segment_;
    seen_segment_ = true;
    if (result_.envelope.file_trailer_) {
      return ParseError(reason::kSegmentAfterFileTrailer, At(id, 1), std::string(id) + " after the FTS");
    }
    if (id == "FHS") return OnFileHeader(line, first);
    if (id == "FTS") return OnFileTrailer(line);
    if (id == "BHS") return OnBatchHeader(line);
    if (id == "BTS") return OnBatchTrailer(line);
    if (id == "MSH") {
      CD_RETURN_IF_ERROR(FinishMessage());
      if (!batch_open_) CD_RETURN_IF_ERROR(OpenBatch(std::nullopt));
      message_begin_ = begin;
    } else if (message_begin_ == kNone) {
      return ParseError(reason::kSegmentBeforeMsh, At(id, 1), std::string(id) + " before the first MSH");
    }
    message_end_ = end;
    return Ok();
  }

  Status OnFileHeader(std::string_view line, bool first) {
    if (!first) {
      return ParseError(reason::kMisplacedFileHeader, At("FHS", NextEnvelopeSequence("FHS")),
                        "FHS must be the first segment of the input");
    }
    CD_RETURN_IF_ERROR(AdoptDelimiters(line));
    result_.envelope.file_header_ = AddEnvelopeSegment(line);
    return Ok();
  }

  Status OnFileTrailer(std::string_view line) {
    CD_RETURN_IF_ERROR(FinishMessage());
    if (batch_open_) CD_RETURN_IF_ERROR(CloseBatch(std::nullopt));
    if (options_.strict_envelope && !result_.envelope.file_header_) {
      return ParseError(reason::kMissingHeader, At("FTS", 1), "an FTS without an FHS");
    }
    result_.envelope.file_trailer_ = AddEnvelopeSegment(line);
    return Ok();
  }

  Status OnBatchHeader(std::string_view line) {
    CD_RETURN_IF_ERROR(FinishMessage());
    if (batch_open_) {
      const std::optional<size_t> open = result_.envelope.batches_.back().header;
      return ParseError(
          reason::kNestedBatch, At("BHS", NextEnvelopeSequence("BHS")),
          open ? "a BHS inside the batch that " + EnvelopeLocation(*open).ToString() + " opened, before its BTS"
               : std::string("a BHS after messages that no BTS closed"));
    }
    CD_RETURN_IF_ERROR(AdoptDelimiters(line));
    return OpenBatch(AddEnvelopeSegment(line));
  }

  Status OnBatchTrailer(std::string_view line) {
    CD_RETURN_IF_ERROR(FinishMessage());
    const ErrorLocation here = At("BTS", NextEnvelopeSequence("BTS"));
    if (!batch_open_) return ParseError(reason::kTrailerWithoutBatch, here, "a BTS with no batch to close");
    if (options_.strict_envelope && !result_.envelope.batches_.back().header) {
      return ParseError(reason::kMissingHeader, here, "a BTS without a BHS");
    }
    return CloseBatch(AddEnvelopeSegment(line));
  }

  Status OpenBatch(std::optional<size_t> header) {
    Envelope& envelope = result_.envelope;
    if (!envelope.batches_.empty() && !envelope.file_header_) {
      return ParseError(reason::kBatchesWithoutFile, header ? EnvelopeLocation(*header) : At("MSH", 1),
                        "a second batch in an input without FHS: several batches make a file");
    }
    envelope.batches_.push_back(BatchInfo{header, std::nullopt, result_.messages.size(), 0});
    batch_open_ = true;
    return Ok();
  }

  Status CloseBatch(std::optional<size_t> trailer) {
    BatchInfo& batch = result_.envelope.batches_.back();
    if (options_.strict_envelope && batch.header && !trailer) {
      return ParseError(reason::kMissingTrailer, EnvelopeLocation(*batch.header), "the BHS has no BTS");
    }
    batch.trailer = trailer;
    batch_open_ = false;
    return Ok();
  }

  // Parses the message that the segments since the last MSH make up, if any.
  Status FinishMessage() {
    if (message_begin_ == kNone) return Ok();
    Result<Message> message = ParseMessage(text_.substr(message_begin_, message_end_ - message_begin_));
    message_begin_ = kNone;
    if (!message.ok()) {
      Error e = std::move(message).error();
      e.message = "message " + std::to_string(result_.messages.size() + 1) + ": " + e.message;
      return e;
    }
    result_.messages.push_back(std::move(message).value());
    ++result_.envelope.batches_.back().message_count;
    return Ok();
  }

  // The FHS and every BHS must declare the same delimiters, which their trailers use too.
  Status AdoptDelimiters(std::string_view line) {
    CD_ASSIGN_OR_RETURN(const Delimiters d, ReadDelimiters(line));
    const std::string_view id = line.substr(0, 3);
    if (envelope_delimiters_ && *envelope_delimiters_ != d) {
      return ParseError(reason::kInvalidDelimiters, At(id, NextEnvelopeSequence(id), 2),
                        std::string(id) + " declares other delimiters than the FHS or BHS before it");
    }
    envelope_delimiters_ = d;
    return Ok();
  }

  size_t AddEnvelopeSegment(std::string_view line) {
    envelope_lines_.push_back(line);
    return envelope_lines_.size() - 1;
  }

  size_t NextEnvelopeSequence(std::string_view id) const {
    return 1 + static_cast<size_t>(std::count_if(envelope_lines_.begin(), envelope_lines_.end(),
                                                 [&](std::string_view l) { return l.starts_with(id); }));
  }

  // The location of envelope segment `index`: its id and its sequence among envelope segments.
  ErrorLocation EnvelopeLocation(size_t index, size_t field = 0) const {
    const std::string_view id = envelope_lines_[index].substr(0, 3);
    const auto same = std::count_if(envelope_lines_.begin(), std::next(envelope_lines_.begin(), index + 1),
                                    [&](std::string_view l) { return l.starts_with(id); });
    return At(id, static_cast<size_t>(same), field);
  }

  // Splits the envelope segments with the delimiters of the FHS or BHS, else (trailers only) of
  // the first message, else HL7's defaults.
  Status BuildEnvelopeTable() {
    detail::SegmentTable& table = result_.envelope.table_;
    if (envelope_delimiters_) {
      table.delimiters = *envelope_delimiters_;
    } else if (!result_.messages.empty()) {
      table.delimiters = result_.messages.front().delimiters();
    }
    for (size_t i = 0; i < envelope_lines_.size(); ++i) {
      const std::string_view line = envelope_lines_[i];
      if (line.size() > 3 && line[3] != table.delimiters.field) {
        return ParseError(
            reason::kInvalidSegmentId, EnvelopeLocation(i),
            std::string(line.substr(0, 3)) + " does not use the field separator of its envelope: " + Excerpt(line));
      }
      const size_t begin = table.text.size();
      table.text += line;
      AppendSegment(table, begin, table.text.size());
      table.text += '\r';
    }
    return Ok();
  }

  // BTS-1 counts the messages of its batch, FTS-1 the batches of the file; either may be empty.
  Status CheckCounts() const {
    const Envelope& envelope = result_.envelope;
    for (const BatchInfo& batch : envelope.batches_) {
      if (batch.trailer) CD_RETURN_IF_ERROR(CheckCount(*batch.trailer, batch.message_count, "messages"));
    }
    if (envelope.file_trailer_) {
      CD_RETURN_IF_ERROR(CheckCount(*envelope.file_trailer_, envelope.batches_.size(), "batches"));
    }
    return Ok();
  }

  Status CheckCount(size_t trailer, size_t actual, std::string_view what) const {
    const std::string_view raw = result_.envelope.segment(trailer).Raw(1);
    if (raw.empty()) return Ok();
    const ErrorLocation where = EnvelopeLocation(trailer, 1);
    size_t counted = 0;
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), counted);
    if (ec != std::errc() || end != raw.data() + raw.size()) {
      return ParseError(reason::kInvalidTrailerCount, where, where.ToString() + " is not a count: " + Excerpt(raw));
    }
    if (counted != actual) {
      return ParseError(reason::kTrailerCountMismatch, where,
                        where.ToString() + " counts " + std::to_string(counted) + " " + std::string(what) +
                            ", the input holds " + std::to_string(actual));
    }
    return Ok();
  }

  std::string_view text_;
  BatchOptions options_;
  MessageBatch result_;
  std::vector<std::string_view> envelope_lines_;  // into text_, in input order
  std::optional<Delimiters> envelope_delimiters_;
  bool seen_segment_ = false;
  bool batch_open_ = false;
  size_t message_begin_ = kNone;  // offsets in text_ of the message being read
  size_t message_end_ = 0;
};

Result<MessageBatch> ParseBatchOrMessage(std::string_view input, BatchOptions options) {
  const std::string_view text = StripTransport(input);
  if (text.size() > kMaxTextSize) return ParseError(reason::kTooLarge, {}, "the input is larger than 4 GiB");
  if (size_t begin = 0, end = 0; !SegmentCursor(text).Next(begin, end)) {
    return ParseError(reason::kEmptyInput, {}, "the input holds no segment");
  }
  return BatchParser(text, options).Run();
}

}  // namespace caredesk::hl7v2
