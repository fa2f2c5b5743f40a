#include "render/xlsx_workbook.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace caredesk::render {
namespace {

// The text of one member of the .xlsx (a zip), read with unzip.
std::string Member(const std::string& bytes, const std::string& member) {
  char path[] = "/tmp/cd-xlsx-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  std::string out;
  FILE* p = popen(("unzip -p " + std::string(path) + " " + member).c_str(), "r");
  char buf[4096];
  size_t n;
  while (p != nullptr && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p != nullptr) pclose(p);
  std::remove(path);
  return out;
}

TEST(XlsxWorkbook, WritesSheetsWithTextNumbersAndGaps) {
  XlsxSheet s;
  s.name = "No-show rate";
  s.header = {"Week starting", "Value"};
  s.rows = {{std::string("2026-01-05"), 12.5}, {std::string("2026-01-12"), std::monostate{}}};
  XlsxSheet t;
  t.name = "Summary";
  t.header = {"Metric"};
  t.rows = {{std::string("Cycle time & more <é>")}};
  auto bytes = XlsxWorkbook({t, s});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip
  std::string book = Member(*bytes, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Summary\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"No-show rate\""), std::string::npos);
  std::string sheet2 = Member(*bytes, "xl/worksheets/sheet2.xml");
  EXPECT_NE(sheet2.find("<v>12.5</v>"), std::string::npos) << sheet2;
  EXPECT_EQ(sheet2.find("r=\"B3\""), std::string::npos) << "an empty cell is not written";
  EXPECT_NE(sheet2.find("r=\"A3\""), std::string::npos) << sheet2;
  std::string strings = Member(*bytes, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Cycle time &amp; more &lt;é&gt;"), std::string::npos) << strings;
}

TEST(XlsxWorkbook, RefusesBadOrRepeatedNamesAndNoSheets) {
  EXPECT_EQ(XlsxWorkbook({}).error().field, "sheets");
  XlsxSheet a;
  a.name = "a/b";
  EXPECT_EQ(XlsxWorkbook({a}).error().field, "sheets[0].name");
  a.name = "same";
  EXPECT_EQ(XlsxWorkbook({a, a}).error().field, "sheets[1].name");
}

TEST(XlsxWorkbook, SheetNamesAreMadeValidAndUnique) {
  std::vector<std::string> taken;
  EXPECT_EQ(SheetName("Complaints per 1,000 visits: all locations", taken), "Complaints per 1,000 visits  al");
  EXPECT_EQ(SheetName("Complaints per 1,000 visits: all locations", taken), "Complaints per 1,000 visits (2)");
  EXPECT_EQ(SheetName("[]", taken), "Sheet");
  EXPECT_EQ(SheetName("a/b", taken), "a b");
}

}  // namespace
}  // namespace caredesk::render
