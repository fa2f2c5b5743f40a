#include "mail/mail_message.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/base64.h"

namespace caredesk::mail {
namespace {

constexpr size_t kMaxHeaderLine = 998;  // RFC 5322 §2.1.1, without the CRLF
constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxMessageId = 128;
// Raw bytes per encoded-word: 39 bytes are 52 base64 characters, a 64-character "=?UTF-8?B?...?=".
constexpr size_t kWordBytes = 39;

bool IsWsp(char c) { return c == ' ' || c == '\t'; }
bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// atext of RFC 5322 §3.2.3.
bool IsAtext(char c) {
  if (IsAlnum(c)) return true;
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != std::string_view::npos;
}

// The length of the valid UTF-8 sequence at `i` (1..4), or 0 when there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // at most U+10FFFF
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return length;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool NeedsEncodedWords(std::string_view s) {
  return !IsPrintableAscii(s) || s.find("=?") != std::string_view::npos;
}

// dot-atom-text: atext runs separated by single dots.
bool IsDotAtomText(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!IsAtext(s[i])) {
      return false;
    }
  }
  return true;
}

// A host name: LDH labels of 1..63 characters, not starting or ending with '-'.
bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    const std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}


Status CheckEmail(const std::string& field, std::string_view email) {
  if (email.empty()) return Error::Invalid(field, "an email address is required", "invalid_email");
  if (!IsValidEmail(email)) {
    return Error::Invalid(field, "not an email address of the form local-part@host.name (ASCII)", "invalid_email");
  }
  return Ok();
}

// Text that becomes part of a header line: no control characters (CR and LF would start a new header), valid UTF-8.
Status CheckHeaderText(const std::string& field, std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n') return Error::Invalid(field, "must not contain a line break", "header_injection");
    if ((c >= 0 && c < 0x20) || c == 0x7F) {
      return Error::Invalid(field, "must not contain control characters", "control_character");
    }
  }
  if (!IsValidUtf8(s)) return Error::Invalid(field, "is not valid UTF-8", "invalid_utf8");
  return Ok();
}

Status CheckName(const std::string& field, std::string_view name) {
  CD_RETURN_IF_ERROR(CheckHeaderText(field, name));
  if (name.size() > kMaxNameBytes) {
    return Error::Invalid(field, "longer than " + std::to_string(kMaxNameBytes) + " bytes", "too_long");
  }
  return Ok();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Status CheckHeader(const std::string& field, std::string_view name, std::string_view value) {
  if (name.empty() || name.size() > 76) {
    return Error::Invalid(field, "a header name must have 1 to 76 characters", "invalid_header_name");
  }
  for (char c : name) {
    if (c < 33 || c > 126 || c == ':') {
      return Error::Invalid(field, "a header name is printable ASCII without ':' or spaces", "invalid_header_name");
    }
  }
  constexpr std::array<std::string_view, 10> kReserved = {
      "Date", "Message-ID", "From", "To", "Cc", "Bcc", "Subject", "MIME-Version", "Content-Type",
      "Content-Transfer-Encoding"};
  for (std::string_view reserved : kReserved) {
    if (EqualsIgnoreCase(name, reserved)) {
      return Error::Invalid(field, "header " + std::string(reserved) + " may not be set as an extra header",
                            "reserved_header");
    }
  }
  for (char c : value) {
    if (c == '\r' || c == '\n') {
      return Error::Invalid(field, "a header value must not contain a line break", "header_injection");
    }
    if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7F) {
      return Error::Invalid(field, "a header value must not contain control characters", "header_injection");
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return Error::Invalid(field, "a header value must be ASCII", "non_ascii");
    }
  }
  if (name.size() + 2 + value.size() > kMaxHeaderLine) {
    return Error::Invalid(field, "header line longer than 998 characters", "too_long");
  }
  return Ok();
}

// RFC 2047 B encoded-words of whole UTF-8 characters (an invalid byte counts as one character).
std::vector<std::string> EncodedWords(std::string_view utf8) {
  std::vector<std::string> words;
  size_t start = 0;
  size_t i = 0;
  auto flush = [&](size_t end) {
    words.push_back("=?UTF-8?B?" + Base64Encode(utf8.substr(start, end - start)) + "?=");
    start = end;
  };
  while (i < utf8.size()) {
    const size_t n = std::max<size_t>(Utf8SequenceLength(utf8, i), 1);
    if (i + n - start > kWordBytes) flush(i);
    i += n;
  }
  if (i > start || words.empty()) flush(i);
  return words;
}

// A display name as the atoms of a phrase: as-is when made of atext and spaces, a quoted-string when other
// printable ASCII, else encoded-words.
std::vector<std::string> PhraseAtoms(std::string_view name) {
  if (NeedsEncodedWords(name)) return EncodedWords(name);
  bool plain = name.find_first_not_of(' ') != std::string_view::npos;
  for (char c : name) plain = plain && (c == ' ' || IsAtext(c));
  if (plain) return {std::string(name)};
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return {quoted};
}

void AppendAddressAtoms(const Address& a, bool comma, std::vector<std::string>& atoms) {
  if (a.name.empty()) {
    atoms.push_back(a.email);
  } else {
    for (auto& atom : PhraseAtoms(a.name)) atoms.push_back(std::move(atom));
    atoms.push_back("<" + a.email + ">");
  }
  if (comma) atoms.back() += ',';
}

// "Name:" and the atoms separated by single spaces, folded before an atom that would take the line past 76
// characters; ends with CRLF.
std::string FoldAtoms(std::string_view name_colon, const std::vector<std::string>& atoms) {
  std::string out(name_colon);
  size_t column = out.size();
  for (const auto& atom : atoms) {
    if (column > name_colon.size() && column + 1 + atom.size() > kMaxEncodedLine) {
      out += "\r\n";
      column = 0;
    }
    out += ' ';
    out += atom;
    column += 1 + atom.size();
  }
  out += "\r\n";
  return out;
}

// An unstructured header line folded (CRLF inserted before a space or tab) so that lines stay within 76
// characters where whitespace allows; every line keeps some non-whitespace text. Ends with CRLF.
std::string FoldUnstructured(std::string_view line) {
  std::string out;
  const size_t colon = line.find(':');
  const size_t last_text = line.find_last_not_of(" \t");
  size_t start = 0;
  while (line.size() - start > kMaxEncodedLine) {
    const size_t text = line.find_first_not_of(" \t", start == 0 ? colon + 1 : start);
    if (text == std::string_view::npos || last_text == std::string_view::npos) break;
    size_t best = std::string_view::npos;
    for (size_t i = text + 1; i < last_text; ++i) {
      if (!IsWsp(line[i])) continue;
      if (i <= start + kMaxEncodedLine || best == std::string_view::npos) best = i;
      if (i > start + kMaxEncodedLine) break;
    }
    if (best == std::string_view::npos) break;
    out.append(line.substr(start, best - start));
    out += "\r\n";
    start = best;
  }
  out.append(line.substr(start));
  out += "\r\n";
  return out;
}

std::string FormatDate(TimePoint now) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto secs = floor<seconds>(now);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{secs - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[weekday{day}.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return buf;
}

// One line of the input (without its line break) as quoted-printable lines; with `soft_end` the line ends with a
// soft line break, else the last character is the end of a line.
void EncodeQpLine(std::string_view line, bool soft_end, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size() && !soft_end;
    char token[3];
    size_t length = 1;
    if ((c == ' ' || c == '\t') ? !last : (c >= 33 && c <= 126 && c != '=')) {
      token[0] = static_cast<char>(c);
    } else {
      token[0] = '=', token[1] = kHex[c >> 4], token[2] = kHex[c & 0xF];
      length = 3;
    }
    // Leave room for the '=' of a soft line break unless this is the line's last character.
    if (column + length > (last ? kMaxEncodedLine : kMaxEncodedLine - 1)) {
      out += "=\r\n";
      column = 0;
    }
    out.append(token, length);
    column += length;
  }
  if (soft_end) out += "=\r\n";
}

// Quoted-printable; with `end_with_crlf` a last line without a line break gets a soft line break so that the
// output ends with CRLF and still decodes to `in`.
std::string EncodeQp(std::string_view in, bool end_with_crlf) {
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t nl = in.find('\n', start);
    std::string_view line = in.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    EncodeQpLine(line, nl == std::string_view::npos && end_with_crlf && !line.empty(), out);
    if (nl == std::string_view::npos) break;
    out += "\r\n";
    start = nl + 1;
  }
  return out;
}

constexpr std::string_view kTextPartHeaders =
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n";
constexpr std::string_view kHtmlPartHeaders =
    "Content-Type: text/html; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n";

}  // namespace

bool IsValidEmail(std::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = email.substr(0, at);
  return local.size() <= 64 && IsDotAtomText(local) && IsHostName(email.substr(at + 1));
}

Status ValidateMessage(const MailMessage& m) {
  CD_RETURN_IF_ERROR(CheckEmail("from.email", m.from.email));
  CD_RETURN_IF_ERROR(CheckName("from.name", m.from.name));
  if (m.to.empty()) return Error::Invalid("to", "at least one recipient is required", "empty");
  if (m.to.size() > kMaxRecipients) {
    return Error::Invalid("to", "at most " + std::to_string(kMaxRecipients) + " recipients", "too_many");
  }
  for (size_t i = 0; i < m.to.size(); ++i) {
    const std::string prefix = "to[" + std::to_string(i) + "].";
    CD_RETURN_IF_ERROR(CheckEmail(prefix + "email", m.to[i].email));
    CD_RETURN_IF_ERROR(CheckName(prefix + "name", m.to[i].name));
  }
  if (m.subject.empty()) return Error::Invalid("subject", "a subject is required", "empty");
  CD_RETURN_IF_ERROR(CheckHeaderText("subject", m.subject));
  if (m.subject.size() > kMaxSubjectBytes) {
    return Error::Invalid("subject", "longer than " + std::to_string(kMaxSubjectBytes) + " bytes", "too_long");
  }
  if (!IsValidUtf8(m.text)) return Error::Invalid("text", "is not valid UTF-8", "invalid_utf8");
  if (!IsValidUtf8(m.html)) return Error::Invalid("html", "is not valid UTF-8", "invalid_utf8");
  for (size_t i = 0; i < m.headers.size(); ++i) {
    CD_RETURN_IF_ERROR(CheckHeader("headers[" + std::to_string(i) + "]", m.headers[i].first, m.headers[i].second));
  }
  return Ok();
}

Result<std::string> FormatMessage(const MailMessage& m, TimePoint now, std::string_view message_id) {
  CD_RETURN_IF_ERROR(ValidateMessage(m));
  if (message_id.size() > kMaxMessageId || !IsDotAtomText(message_id)) {
    return Error::Invalid("message_id", "must be 1 to 128 characters of dot-atom text (RFC 5322)");
  }
  const std::string_view domain = std::string_view(m.from.email).substr(m.from.email.rfind('@') + 1);

  std::string out;
  out += "Date: " + FormatDate(now) + "\r\n";
  out += "Message-ID: <";
  out += message_id;
  out += '@';
  out += domain;
  out += ">\r\n";

  std::vector<std::string> atoms;
  AppendAddressAtoms(m.from, false, atoms);
  out += FoldAtoms("From:", atoms);
  atoms.clear();
  for (size_t i = 0; i < m.to.size(); ++i) AppendAddressAtoms(m.to[i], i + 1 < m.to.size(), atoms);
  out += FoldAtoms("To:", atoms);

  if (NeedsEncodedWords(m.subject)) {
    out += "Subject: " + EncodeHeaderWord(m.subject) + "\r\n";
  } else {
    out += FoldUnstructured("Subject: " + m.subject);
  }
  out += "MIME-Version: 1.0\r\n";
  for (const auto& [name, value] : m.headers) out += FoldUnstructured(name + ": " + value);

  if (m.html.empty()) {
    out += kTextPartHeaders;
    out += "\r\n";
    out += EncodeQp(m.text, /*end_with_crlf=*/true);
    return out;
  }

  // "=_" never occurs in quoted-printable text, so the boundary cannot occur inside a part.
  std::string boundary = "=_caredesk_";
  for (char c : message_id) {
    if (IsAlnum(c) && boundary.size() < 51) boundary += c;
  }
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += kTextPartHeaders;
  out += "\r\n";
  out += EncodeQp(m.text, false);
  out += "\r\n--" + boundary + "\r\n";
  out += kHtmlPartHeaders;
  out += "\r\n";
  out += EncodeQp(m.html, false);
  out += "\r\n--" + boundary + "--\r\n";
  return out;
}

std::string EncodeQuotedPrintable(std::string_view utf8) { return EncodeQp(utf8, false); }

std::string EncodeHeaderWord(std::string_view utf8) {
  if (!NeedsEncodedWords(utf8)) return std::string(utf8);
  std::string out;
  for (const auto& word : EncodedWords(utf8)) {
    if (!out.empty()) out += "\r\n ";
    out += word;
  }
  return out;
}

}  // namespace caredesk::mail
