// An email message and its RFC 5322 / MIME text: validation that makes header
// injection impossible, quoted-printable bodies (RFC 2045), RFC 2047
// encoded-words for non-ASCII display names and subjects, and the formatted
// message that SmtpSender hands to libcurl. Pure functions, no I/O;
// thread-safe.
//
// Dot-stuffing is NOT done here: a body line "." (or one starting with ".")
// is written as-is, and libcurl doubles the leading dot of every such line on
// the wire during DATA (RFC 5321 §4.5.2); the server removes it again.
// smtp_sender_test.cc checks this end to end against the test sink.
//
// Addresses are ASCII only (no SMTPUTF8, no internationalised domain names);
// display names, subjects and bodies are UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace caredesk::mail {

inline constexpr size_t kMaxRecipients = 100;  // the least RFC 5321 §4.5.3.1.8 lets a server accept
inline constexpr size_t kMaxSubjectBytes = 900;
inline constexpr size_t kMaxEncodedLine = 76;  // RFC 2045 (quoted-printable) and RFC 2047 (encoded-words)

struct Address {
  std::string name;   // display name; may be empty or non-ASCII (UTF-8)
  std::string email;  // addr-spec: dot-atom local part "@" host name, ASCII
};

struct MailMessage {
  Address from;
  std::vector<Address> to;
  std::string subject;  // UTF-8
  std::string text;     // the plain-text body, UTF-8, '\n' line ends ("\r\n" is accepted too)
  std::string html;     // optional alternative; empty = text only
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. List-Unsubscribe
};

// An ASCII addr-spec: a dot-atom local part of at most 64 characters, "@", a host name; at most 254 characters.
bool IsValidEmail(std::string_view email);

// Ok, or Error::Invalid naming the first offending field:
//   "from.email", "to[i].email"  not an ASCII addr-spec (reason "invalid_email")
//   "from.name", "to[i].name"    a control character (CR/LF: "header_injection") or invalid UTF-8
//   "to"                         empty ("empty") or more than kMaxRecipients ("too_many")
//   "subject"                    empty ("empty"), CR/LF inside ("header_injection"), another control character,
//                                invalid UTF-8 or longer than kMaxSubjectBytes ("too_long")
//   "text", "html"               invalid UTF-8 ("invalid_utf8")
//   "headers[i]"                 a name that is not an RFC 5322 field name ("invalid_header_name") or is one
//                                FormatMessage writes itself or Cc/Bcc ("reserved_header"); a value with CR, LF or
//                                another control character ("header_injection"), non-ASCII ("non_ascii") or a
//                                line over 998 characters ("too_long")
Status ValidateMessage(const MailMessage& m);

// The RFC 5322 message, every line ending CRLF:
//   Date: Tue, 03 Nov 2026 14:05:09 +0000         from `now`, in UTC
//   Message-ID: <message_id@domain-of-from>
//   From, To (display names quoted or as encoded-words), Subject (encoded-words when not printable ASCII)
//   MIME-Version: 1.0
//   the extra headers, in order
//   Content-Type: text/plain; charset=UTF-8 and Content-Transfer-Encoding: quoted-printable, or, when `html` is
//   set, multipart/alternative with a boundary "=_caredesk_..." (a sequence quoted-printable never produces)
//   holding the text part then the HTML part.
// Header lines are folded to at most 76 characters where there is whitespace to fold at. A text-only body that
// does not end with '\n' ends with a soft line break, so it decodes back to exactly `m.text`.
// Errors: those of ValidateMessage, and Error::Invalid on "message_id" unless it is a non-empty dot-atom-text
// (RFC 5322 §3.2.3) of at most 128 characters.
Result<std::string> FormatMessage(const MailMessage& m, TimePoint now, std::string_view message_id);

// Quoted-printable (RFC 2045 §6.7): '=' as "=3D", bytes outside printable ASCII as "=XX" (upper-case hex, so
// "é" is "=C3=A9"), a space or tab at the end of a line as "=20"/"=09", lines of at most 76 characters with soft
// line breaks ("=" CRLF). Each '\n' (or "\r\n") of the input is a hard line break, CRLF; the output ends with
// CRLF exactly when the input ends with a line break. A lone '\r' is encoded "=0D".
std::string EncodeQuotedPrintable(std::string_view utf8);

// `utf8` as-is when it is printable ASCII (0x20..0x7E) and holds no "=?"; else RFC 2047 encoded-words
// "=?UTF-8?B?...?=", each at most 64 characters and holding whole UTF-8 characters, joined by CRLF SP (folding
// whitespace, ignored between encoded-words when decoding), so that after a header name of up to 10 characters
// and ": " every line stays within 76 characters.
std::string EncodeHeaderWord(std::string_view utf8);

}  // namespace caredesk::mail
