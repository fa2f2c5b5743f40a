#include "mail/mail_message.h"

#include <gtest/gtest.h>

#include <string>

#include "core/base64.h"
#include "mail/testing/mime_decode.h"

namespace caredesk::mail {
namespace {

using testing::AllLinesEndCrlf;
using testing::Body;
using testing::DecodeEncodedWords;
using testing::DecodeQuotedPrintable;
using testing::HeaderValue;
using testing::LongestLine;

// 2026-11-03T14:05:09.250Z, a Tuesday.
const TimePoint kNow = FromMillis(1793714709250);

MailMessage Sample() {
  MailMessage m;
  m.from = {"CareDesk Clinic", "no-reply@clinic.example"};
  m.to = {{"José Núñez", "jose@example.org"}};
  m.subject = "Your appointment";
  m.text = "Dear José,\nsee you soon.\n";
  return m;
}

// --- quoted-printable ---

TEST(QuotedPrintable, EscapesEqualsSignAndNonAscii) {
  EXPECT_EQ(EncodeQuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(EncodeQuotedPrintable("café"), "caf=C3=A9");
  EXPECT_EQ(EncodeQuotedPrintable("José Núñez"), "Jos=C3=A9 N=C3=BA=C3=B1ez");
  EXPECT_EQ(EncodeQuotedPrintable(std::string("nul\0!", 5)), "nul=00!");
  EXPECT_EQ(EncodeQuotedPrintable("plain ASCII ~ text."), "plain ASCII ~ text.");
}

TEST(QuotedPrintable, EncodesWhitespaceOnlyAtTheEndOfALine) {
  EXPECT_EQ(EncodeQuotedPrintable("trailing space \nnext"), "trailing space=20\r\nnext");
  EXPECT_EQ(EncodeQuotedPrintable("tab\t"), "tab=09");
  EXPECT_EQ(EncodeQuotedPrintable("two  "), "two =20");
  EXPECT_EQ(EncodeQuotedPrintable("in \tside"), "in \tside");
  EXPECT_EQ(EncodeQuotedPrintable(" "), "=20");
}

TEST(QuotedPrintable, LineBreaksBecomeCrlf) {
  EXPECT_EQ(EncodeQuotedPrintable("a\nb\n"), "a\r\nb\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("a\r\nb"), "a\r\nb");
  EXPECT_EQ(EncodeQuotedPrintable("\n\n"), "\r\n\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("lone\rcr"), "lone=0Dcr");
  EXPECT_EQ(EncodeQuotedPrintable(""), "");
  EXPECT_EQ(EncodeQuotedPrintable(".\n"), ".\r\n");  // dot-stuffing is libcurl's job, not the encoder's
}

TEST(QuotedPrintable, SoftLineBreaksKeepLinesWithin76) {
  const std::string x76(76, 'x');
  EXPECT_EQ(EncodeQuotedPrintable(x76), x76);  // exactly 76: no break
  EXPECT_EQ(EncodeQuotedPrintable(x76 + "y"), std::string(75, 'x') + "=\r\nxy");
  // An escape is never split: 74 characters and "=3D" would make 77.
  EXPECT_EQ(EncodeQuotedPrintable(std::string(74, 'x') + "="), std::string(74, 'x') + "=\r\n=3D");
  EXPECT_EQ(EncodeQuotedPrintable(std::string(73, 'x') + "="), std::string(73, 'x') + "=3D");
  // A space that ends up last before a soft break stays literal (the '=' follows it).
  EXPECT_EQ(EncodeQuotedPrintable(std::string(74, 'x') + " yz"), std::string(74, 'x') + " =\r\nyz");
}

TEST(QuotedPrintable, RoundTripsLongMixedText) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Ligne numéro " + std::to_string(i) + " = données \t ";
  text += "\n.\n..\nend \n";
  const std::string qp = EncodeQuotedPrintable(text);
  EXPECT_LE(LongestLine(qp), 76U);
  EXPECT_TRUE(AllLinesEndCrlf(qp));
  EXPECT_EQ(qp.find(" \r\n"), std::string::npos);
  EXPECT_EQ(qp.find("\t\r\n"), std::string::npos);
  auto decoded = DecodeQuotedPrintable(qp);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, text);
}

// --- encoded-words ---

TEST(EncodeHeaderWord, KeepsPrintableAscii) {
  EXPECT_EQ(EncodeHeaderWord("Your appointment on 3 November"), "Your appointment on 3 November");
  EXPECT_EQ(EncodeHeaderWord(""), "");
}

TEST(EncodeHeaderWord, EncodesNonAsciiAsUtf8BWords) {
  EXPECT_EQ(EncodeHeaderWord("José Núñez"), "=?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?=");
  EXPECT_EQ(EncodeHeaderWord("Café"), "=?UTF-8?B?Q2Fmw6k=?=");
  // Text that looks like an encoded-word, or holds a control character, is encoded too.
  EXPECT_EQ(EncodeHeaderWord("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
  EXPECT_EQ(EncodeHeaderWord("a\tb"), "=?UTF-8?B?YQli?=");
}

TEST(EncodeHeaderWord, SplitsALongSubjectIntoFoldedWordsOfWholeCharacters) {
  std::string subject;
  for (int i = 0; i < 12; ++i) subject += "Rendez-vous confirmé à 9 h 30 — ";
  const std::string encoded = EncodeHeaderWord(subject);
  const std::string line = "Subject: " + encoded;
  EXPECT_LE(LongestLine(line), 76U);
  EXPECT_TRUE(AllLinesEndCrlf(line + "\r\n"));
  size_t words = 0;
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    ++words;
    EXPECT_LE(word.size(), 75U);  // RFC 2047 §2
    ASSERT_EQ(word.substr(0, 10), "=?UTF-8?B?");
    ASSERT_EQ(word.substr(word.size() - 2), "?=");
    // Each word holds whole characters: it decodes on its own to valid UTF-8 that does not start mid-character.
    auto bytes = Base64Decode(word.substr(10, word.size() - 12));
    ASSERT_TRUE(bytes.has_value());
    ASSERT_FALSE(bytes->empty());
    EXPECT_NE(static_cast<unsigned char>((*bytes)[0]) & 0xC0, 0x80) << word;
    start = end + 3;
  }
  EXPECT_GT(words, 5U);
  auto decoded = DecodeEncodedWords(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, subject);
}

// --- validation ---

void ExpectInvalid(const MailMessage& m, const std::string& field, const std::string& reason = {}) {
  auto status = ValidateMessage(m);
  ASSERT_FALSE(status.ok()) << "expected an error on " << field;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().field, field) << status.error().message;
  if (!reason.empty()) {
    EXPECT_EQ(status.error().reason, reason);
  }
  EXPECT_FALSE(FormatMessage(m, kNow, "id").ok());
}

TEST(ValidateMessage, AcceptsAGoodMessage) {
  MailMessage m = Sample();
  m.to.push_back({"", "front.desk@clinic.example"});
  m.headers = {{"List-Unsubscribe", "<mailto:unsubscribe@clinic.example>"}, {"Reply-To", "desk@clinic.example"}};
  m.html = "<p>Dear José</p>";
  auto status = ValidateMessage(m);
  EXPECT_TRUE(status.ok()) << status.error().field << ": " << status.error().message;
}

TEST(ValidateMessage, RefusesHeaderInjectionInTheSubject) {
  MailMessage m = Sample();
  m.subject = "a\r\nBcc: x";
  ExpectInvalid(m, "subject", "header_injection");
  m.subject = "a\nBcc: x";
  ExpectInvalid(m, "subject", "header_injection");
  m.subject = "a\rb";
  ExpectInvalid(m, "subject", "header_injection");
  m.subject = "";
  ExpectInvalid(m, "subject", "empty");
  m.subject = std::string("a\0b", 3);
  ExpectInvalid(m, "subject", "control_character");
  m.subject = "\xC3(";
  ExpectInvalid(m, "subject", "invalid_utf8");
  m.subject = std::string(kMaxSubjectBytes + 1, 'a');
  ExpectInvalid(m, "subject", "too_long");
}

TEST(ValidateMessage, RefusesBadAddresses) {
  for (const char* bad : {"", "no-at-sign", "a@b@c.org", "a b@c.org", "<a@c.org>", ".a@c.org", "a..b@c.org",
                          "a@-c.org", "a@c.org.", "a@c..org", "josé@c.org", "a@c.org>\r\nRCPT TO:<evil@x.org",
                          "a@c.org\n"}) {
    MailMessage m = Sample();
    m.from.email = bad;
    ExpectInvalid(m, "from.email", "invalid_email");
  }
  MailMessage m = Sample();
  m.to = {{"", "a@example.org"}, {"", "b@example.org"}, {"", "c@example"}, {"", "not an address"}};
  ExpectInvalid(m, "to[3].email", "invalid_email");
  m.to[3].email = "d@example.org";
  EXPECT_TRUE(ValidateMessage(m).ok());
  m.to[2].name = "Eve\r\nBcc: eve@evil.example";
  ExpectInvalid(m, "to[2].name", "header_injection");
  m = Sample();
  m.from.name = "Clinic\n";
  ExpectInvalid(m, "from.name", "header_injection");
  m = Sample();
  m.to.clear();
  ExpectInvalid(m, "to", "empty");
  m.to.assign(kMaxRecipients + 1, Address{"", "a@example.org"});
  ExpectInvalid(m, "to", "too_many");
}

TEST(ValidateMessage, RefusesBadExtraHeaders) {
  MailMessage m = Sample();
  m.headers = {{"List-Unsubscribe", "<https://clinic.example/u/1>"}, {"X-Tag", "a\r\nBcc: x@evil.example"}};
  ExpectInvalid(m, "headers[1]", "header_injection");
  m.headers[1] = {"X-Tag", "a\nb"};
  ExpectInvalid(m, "headers[1]", "header_injection");
  m.headers[1] = {"X Tag", "v"};
  ExpectInvalid(m, "headers[1]", "invalid_header_name");
  m.headers[1] = {"X-Tag:", "v"};
  ExpectInvalid(m, "headers[1]", "invalid_header_name");
  m.headers[1] = {"", "v"};
  ExpectInvalid(m, "headers[1]", "invalid_header_name");
  m.headers[1] = {"X-Tag\r\nBcc", "v"};
  ExpectInvalid(m, "headers[1]", "invalid_header_name");
  m.headers[1] = {"bcc", "x@evil.example"};
  ExpectInvalid(m, "headers[1]", "reserved_header");
  m.headers[1] = {"Content-Type", "text/html"};
  ExpectInvalid(m, "headers[1]", "reserved_header");
  m.headers[1] = {"X-Tag", "café"};
  ExpectInvalid(m, "headers[1]", "non_ascii");
  m.headers[1] = {"X-Tag", std::string(1000, 'v')};
  ExpectInvalid(m, "headers[1]", "too_long");
  m.headers[1] = {"X-Tag", "tab\tis fine"};
  EXPECT_TRUE(ValidateMessage(m).ok());
}

TEST(ValidateMessage, RefusesInvalidUtf8Bodies) {
  MailMessage m = Sample();
  m.text = "caf\xE9";  // Latin-1
  ExpectInvalid(m, "text", "invalid_utf8");
  m = Sample();
  m.html = "\xED\xA0\x80";  // a UTF-16 surrogate
  ExpectInvalid(m, "html", "invalid_utf8");
}

// --- the formatted message ---

TEST(FormatMessage, GoldenTextMessage) {
  MailMessage m;
  m.from = {"CareDesk Clinic", "no-reply@clinic.example"};
  m.to = {{"José Núñez", "jose@example.org"}, {"", "front.desk@clinic.example"}};
  m.subject = "Your appointment on 3 November";
  m.text = "Dear José,\nYour appointment is at 9:30 = on time.\n.\nBye \n";
  m.headers = {{"List-Unsubscribe", "<mailto:unsubscribe@clinic.example>"}};
  auto formatted = FormatMessage(m, kNow, "golden.1");
  ASSERT_TRUE(formatted.ok()) << formatted.error().message;
  EXPECT_EQ(*formatted,
            "Date: Tue, 03 Nov 2026 14:05:09 +0000\r\n"
            "Message-ID: <golden.1@clinic.example>\r\n"
            "From: CareDesk Clinic <no-reply@clinic.example>\r\n"
            "To: =?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@example.org>,\r\n"
            " front.desk@clinic.example\r\n"
            "Subject: Your appointment on 3 November\r\n"
            "MIME-Version: 1.0\r\n"
            "List-Unsubscribe: <mailto:unsubscribe@clinic.example>\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Dear Jos=C3=A9,\r\n"
            "Your appointment is at 9:30 =3D on time.\r\n"
            ".\r\n"
            "Bye=20\r\n");
}

TEST(FormatMessage, DateIsRfc5322InUtc) {
  auto date = [](int64_t ms) { return *HeaderValue(*FormatMessage(Sample(), FromMillis(ms), "d"), "Date"); };
  EXPECT_EQ(date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(date(1709251199999), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(date(-1000), "Wed, 31 Dec 1969 23:59:59 +0000");
}

TEST(FormatMessage, QuotesAndEncodesDisplayNames) {
  MailMessage m = Sample();
  m.from = {"Smith, \"Doc\" \\ Jr", "doc@clinic.example"};
  m.to = {{"Zoë =?evil?=", "zoe@example.org"}};
  auto formatted = FormatMessage(m, kNow, "n");
  ASSERT_TRUE(formatted.ok());
  EXPECT_EQ(*HeaderValue(*formatted, "From"), "\"Smith, \\\"Doc\\\" \\\\ Jr\" <doc@clinic.example>");
  const std::string to = *HeaderValue(*formatted, "To");
  EXPECT_EQ(to.substr(0, 10), "=?UTF-8?B?");
  EXPECT_EQ(*DecodeEncodedWords(to), "Zoë =?evil?= <zoe@example.org>");
}

TEST(FormatMessage, EncodesANonAsciiSubjectAndFoldsLongHeaders) {
  MailMessage m = Sample();
  std::string subject;
  for (int i = 0; i < 8; ++i) subject += "Réponse à votre réclamation n° " + std::to_string(i) + " ";
  m.subject = subject;
  for (int i = 0; i < 6; ++i) {
    m.to.push_back({"Patient Number " + std::to_string(i), "p" + std::to_string(i) + "@example.org"});
  }
  auto formatted = FormatMessage(m, kNow, "fold");
  ASSERT_TRUE(formatted.ok());
  EXPECT_LE(LongestLine(testing::HeaderBlock(*formatted)), 76U);
  EXPECT_EQ(*DecodeEncodedWords(*HeaderValue(*formatted, "Subject")), subject);
  const std::string to = *HeaderValue(*formatted, "To");
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(to.find("Patient Number " + std::to_string(i) + " <p" + std::to_string(i) + "@example.org>"),
              std::string::npos)
        << to;
  }
}

TEST(FormatMessage, FoldsALongAsciiSubjectAtSpaces) {
  MailMessage m = Sample();
  m.subject = "Reminder:";
  for (int i = 0; i < 30; ++i) m.subject += " word" + std::to_string(i);
  auto formatted = FormatMessage(m, kNow, "s");
  ASSERT_TRUE(formatted.ok());
  EXPECT_LE(LongestLine(testing::HeaderBlock(*formatted)), 76U);
  EXPECT_EQ(*HeaderValue(*formatted, "Subject"), m.subject);  // unfolding gives the subject back
}

TEST(FormatMessage, TextWithoutFinalNewlineEndsWithASoftBreak) {
  MailMessage m = Sample();
  m.text = "no newline at the end ";
  auto formatted = FormatMessage(m, kNow, "soft");
  ASSERT_TRUE(formatted.ok());
  EXPECT_TRUE(AllLinesEndCrlf(*formatted));
  EXPECT_EQ(Body(*formatted), "no newline at the end =\r\n");
  EXPECT_EQ(*DecodeQuotedPrintable(Body(*formatted)), m.text);
  // Exactly 76 characters still fit with the '=' of the soft break on the next line's account.
  m.text = std::string(76, 'x');
  formatted = FormatMessage(m, kNow, "soft");
  ASSERT_TRUE(formatted.ok());
  EXPECT_LE(LongestLine(Body(*formatted)), 76U);
  EXPECT_EQ(*DecodeQuotedPrintable(Body(*formatted)), m.text);
}

TEST(FormatMessage, MultipartAlternativeWhenHtmlIsSet) {
  MailMessage m = Sample();
  m.html = "<p>Dear José,</p>\n<p>a=b</p>";
  auto formatted = FormatMessage(m, kNow, "alt.7");
  ASSERT_TRUE(formatted.ok());
  const std::string& s = *formatted;
  EXPECT_TRUE(AllLinesEndCrlf(s));
  EXPECT_EQ(*HeaderValue(s, "Content-Type"), "multipart/alternative; boundary=\"=_caredesk_alt7\"");
  EXPECT_FALSE(HeaderValue(s, "Content-Transfer-Encoding").has_value());
  EXPECT_EQ(Body(s),
            "--=_caredesk_alt7\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Dear Jos=C3=A9,\r\n"
            "see you soon.\r\n"
            "\r\n"
            "--=_caredesk_alt7\r\n"
            "Content-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "<p>Dear Jos=C3=A9,</p>\r\n"
            "<p>a=3Db</p>\r\n"
            "--=_caredesk_alt7--\r\n");
}

TEST(FormatMessage, RefusesABadMessageId) {
  for (const char* bad : {"", "has space", "a..b", "<x>", "x@y", "x\r\nBcc: y"}) {
    auto formatted = FormatMessage(Sample(), kNow, bad);
    ASSERT_FALSE(formatted.ok()) << bad;
    EXPECT_EQ(formatted.error().field, "message_id");
  }
  EXPECT_FALSE(FormatMessage(Sample(), kNow, std::string(129, 'a')).ok());
  EXPECT_TRUE(FormatMessage(Sample(), kNow, std::string(128, 'a')).ok());
}

}  // namespace
}  // namespace caredesk::mail
