#include "domain/surveys/csv_records.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvRecords, ReadsQuotedCommasNewlinesAndDoubledQuotes) {
  auto records = ParseCsvRecords("id,comment\r\n1,\"nice, \"\"really\"\"\r\nkind\"\r\n2,plain\r\n");
  ASSERT_TRUE(records.ok()) << records.error().message;
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[1].fields, (Fields{"1", "nice, \"really\"\r\nkind"}));
  EXPECT_EQ((*records)[2].fields, (Fields{"2", "plain"}));
}

TEST(CsvRecords, RemembersTheLineEachRecordStartsOn) {
  auto records = ParseCsvRecords("a,b\n\"x\ny\",1\nz,2");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].line, 1u);
  EXPECT_EQ((*records)[1].line, 2u);
  EXPECT_EQ((*records)[2].line, 4u);
  EXPECT_EQ((*records)[2].fields, (Fields{"z", "2"}));
}

TEST(CsvRecords, AcceptsCrOnlyLineEndsBomAndEmptyFields) {
  auto records = ParseCsvRecords(
      "\xEF\xBB\xBF"
      "a,,c\rd,e,\r");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].fields, (Fields{"a", "", "c"}));
  EXPECT_EQ((*records)[1].fields, (Fields{"d", "e", ""}));
}

TEST(CsvRecords, EmptyInputHasNoRecords) {
  auto records = ParseCsvRecords("");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(CsvRecords, UnclosedQuoteNamesTheLineItOpensOn) {
  auto records = ParseCsvRecords("a,b\n1,\"open\n\nstill open");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().reason, "unterminated_quote");
  EXPECT_EQ(records.error().field, "csv");
  EXPECT_NE(records.error().message.find("line 2"), std::string::npos) << records.error().message;
}

TEST(CsvRecords, RejectsStrayQuotesAndTextAfterAClosingQuote) {
  auto stray = ParseCsvRecords("a,b\n1,x\"y\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().reason, "stray_quote");
  auto after = ParseCsvRecords("\"x\"y,1\n");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().reason, "text_after_quote");
}

TEST(CsvTable, DropsBlankLinesAndFindsColumnsIgnoringSpaces) {
  auto table = ParseCsvTable("Question Num, Measure ID\n1,H_COMP_1\n\n2,H_COMP_1\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->Column("Measure ID"), 1u);
  EXPECT_FALSE(table->Column("Question").has_value());
}

TEST(CsvTable, NeedsAHeader) {
  auto table = ParseCsvTable("");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().reason, "missing_header");
}

}  // namespace
}  // namespace caredesk::surveys
