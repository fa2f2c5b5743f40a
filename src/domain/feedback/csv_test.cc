#include "domain/feedback/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace caredesk::feedback {
namespace {

using Rows = std::vector<CsvRow>;

TEST(ParseCsv, SplitsPlainFieldsAndRecords) {
  auto rows = ParseCsv("a,b,c\n1,2,3\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(ParseCsv, QuotedFieldsHoldCommasLineBreaksAndQuotes) {
  auto rows = ParseCsv("id,text\n1,\"Good, kind\nstaff said \"\"hi\"\"\"\n2,x\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"id", "text"}, {"1", "Good, kind\nstaff said \"hi\""}, {"2", "x"}}));
}

TEST(ParseCsv, AcceptsCrlfLfAndCrLineEnds) {
  auto rows = ParseCsv("a,b\r\n1,2\r3,4\n5,6");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}, {"5", "6"}}));
}

TEST(ParseCsv, KeepsCrlfInsideQuotes) {
  auto rows = ParseCsv("\"a\r\nb\",c\r\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a\r\nb", "c"}}));
}

TEST(ParseCsv, EmptyFieldsAndBlankLines) {
  auto rows = ParseCsv(",,\n\n\"\",x\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"", "", ""}, {""}, {"", "x"}}));
}

TEST(ParseCsv, EmptyInputHasNoRecords) {
  auto rows = ParseCsv("");
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(ParseCsv, SkipsUtf8ByteOrderMark) {
  auto rows = ParseCsv("\xEF\xBB\xBFname\n\xE2\x80\x99x\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"name"}, {"\xE2\x80\x99x"}}));
}

TEST(ParseCsv, UnterminatedQuoteNamesItsLine) {
  auto rows = ParseCsv("a,b\n1,\"never\nclosed\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().reason, "unterminated_quote");
  EXPECT_NE(rows.error().message.find("line 2"), std::string::npos) << rows.error().message;
}

TEST(ParseCsv, RejectsStrayAndMisplacedQuotes) {
  auto stray = ParseCsv("a,b\"c\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().reason, "stray_quote");
  auto after = ParseCsv("\"a\"b,c\n");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().reason, "text_after_quote");
  EXPECT_EQ(after.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseCsv, CountsLinesInsideQuotedFieldsForErrors) {
  auto rows = ParseCsv("\"x\ny\nz\",1\nbad\"\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().message.find("line 4"), std::string::npos) << rows.error().message;
}

TEST(ReadCsv, ReadsTheWholeStream) {
  std::istringstream in("a,\"b\nc\"\n");
  auto rows = ReadCsv(in);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"a", "b\nc"}}));
}

TEST(CsvTable, SplitsHeaderFromRowsAndFindsColumns) {
  auto table = ParseCsvTable("id,\"Staff, manner\"\n1,x\n2,y\n\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->header, (CsvRow{"id", "Staff, manner"}));
  EXPECT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->ColumnIndex("Staff, manner"), 1u);
  EXPECT_FALSE(table->ColumnIndex("missing").has_value());
}

TEST(CsvTable, RaggedRowIsAnError) {
  auto table = ParseCsvTable("a,b\n1,2\n3\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().reason, "ragged_row");
  EXPECT_NE(table.error().message.find("record 3"), std::string::npos);
}

TEST(CsvTable, EmptyInputHasNoHeader) {
  auto table = ParseCsvTable("");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().reason, "missing_header");
}

TEST(FormatCsvRow, QuotesOnlyWhenNeededAndRoundTrips) {
  const CsvRow row = {"plain", "a,b", "say \"hi\"", "two\nlines", ""};
  const std::string text = FormatCsvRow(row);
  EXPECT_EQ(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
  auto back = ParseCsv(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, (Rows{row}));
}

}  // namespace
}  // namespace caredesk::feedback
