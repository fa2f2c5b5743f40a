#include "domain/relations/letter_template.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace caredesk::relations {
namespace {

constexpr std::array<std::string_view, 3> kAllowed = {"name", "steps", "date"};

LetterTemplate MustParse(std::string_view text) {
  auto t = LetterTemplate::Parse(text, kAllowed);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return *t;
}

TEST(LetterTemplate, SubstitutesPlaceholders) {
  LetterTemplate t = MustParse("Dear {{name}},\n\nDone on {{ date }}.");
  auto r = t.Render({{"name", "Ana Silva"}, {"date", "March 10, 2026"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs, (std::vector<std::string>{"Dear Ana Silva,", "Done on March 10, 2026."}));
  EXPECT_EQ(r->ToPlainText(), "Dear Ana Silva,\n\nDone on March 10, 2026.\n");
  EXPECT_EQ(t.placeholders(), (std::vector<std::string>{"name", "date"}));
  EXPECT_TRUE(t.Uses("date"));
  EXPECT_FALSE(t.Uses("steps"));
}

TEST(LetterTemplate, ParagraphsSplitOnBlankLinesAndKeepLineBreaks) {
  LetterTemplate t = MustParse("\n\nSincerely,   \nThe Team\n\n\n   \nP.S. {{name}}\n\n");
  auto r = t.Render({{"name", "thanks"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs, (std::vector<std::string>{"Sincerely,\nThe Team", "P.S. thanks"}));
}

TEST(LetterTemplate, ValuesMaySpanParagraphsAndEmptyParagraphsAreDropped) {
  LetterTemplate t = MustParse("Steps:\n\n{{steps}}\n\n{{name}}\n\nEnd.");
  auto r = t.Render({{"steps", "Reviewed the chart.\r\n\r\nInterviewed the nurse.\x07"}, {"name", ""}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs,
            (std::vector<std::string>{"Steps:", "Reviewed the chart.", "Interviewed the nurse.", "End."}));
}

TEST(LetterTemplate, AcceptsWindowsLineEndingsAndLiteralBraces) {
  LetterTemplate t = MustParse("Hello {name} }} {{name}}\r\n\r\nBye");
  auto r = t.Render({{"name", "Bo"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs, (std::vector<std::string>{"Hello {name} }} Bo", "Bye"}));
}

TEST(LetterTemplate, UnknownPlaceholderIsNamed) {
  auto t = LetterTemplate::Parse("Dear {{name}},\nYour {{mrn}} ...", kAllowed);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "template");
  EXPECT_EQ(t.error().reason, "unknown_placeholder");
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(t.error().message.find("{{mrn}}"), std::string::npos);
  EXPECT_NE(t.error().message.find("line 2"), std::string::npos);
  EXPECT_NE(t.error().message.find("name, steps, date"), std::string::npos);
}

TEST(LetterTemplate, MalformedTemplatesAreRefused) {
  auto reason = [](std::string_view text) {
    auto t = LetterTemplate::Parse(text, kAllowed);
    return t.ok() ? std::string("ok") : t.error().reason;
  };
  EXPECT_EQ(reason("Dear {{name"), "unterminated_placeholder");
  EXPECT_EQ(reason("Dear {{}}"), "invalid_placeholder");
  EXPECT_EQ(reason("Dear {{Name}}"), "invalid_placeholder");
  EXPECT_EQ(reason("Dear {{first name}}"), "invalid_placeholder");
  EXPECT_EQ(reason("<p>Dear {{name}}</p>"), "markup_not_allowed");
  EXPECT_EQ(reason("Dear <!-- x --> {{name}}"), "markup_not_allowed");
  EXPECT_EQ(reason("if a < b then {{name}}"), "ok");
  EXPECT_EQ(reason("Dear\x01{{name}}"), "invalid_character");
  EXPECT_EQ(reason(""), "empty");
  EXPECT_EQ(reason(" \n\r\n "), "empty");
  EXPECT_EQ(reason(std::string(kMaxTemplateBytes + 1, 'a')), "too_long");
}

TEST(LetterTemplate, MissingValueNamesThePlaceholder) {
  LetterTemplate t = MustParse("Dear {{name}}, on {{date}}");
  auto r = t.Render({{"name", "Ana"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "date");
  EXPECT_EQ(r.error().reason, "missing_value");
}

TEST(LetterTemplate, KeepsItsSource) {
  LetterTemplate t = MustParse("Hi {{name}}");
  EXPECT_EQ(t.source(), "Hi {{name}}");
}

}  // namespace
}  // namespace caredesk::relations
