#include "domain/surveys/vendor_import.h"

#include <gtest/gtest.h>

namespace caredesk::surveys {
namespace {

SurveyDefinition Survey() {
  SurveyDraft draft;
  draft.id = "clinic";
  draft.items = {MakeItem("courtesy", "How often were nurses courteous?", ItemKind::kFrequency),
                 MakeItem("rating", "Rate the clinic from 0 to 10", ItemKind::kRating0To10),
                 MakeItem("nps", "How likely are you to recommend us?", ItemKind::kNps),
                 MakeItem("comment", "Anything else?", ItemKind::kFreeText)};
  return std::move(SurveyDefinition::Create(std::move(draft))).value();
}

ImportMapping Mapping() {
  ImportMapping mapping;
  mapping.respondent_id_column = "RespondentID";
  mapping.encounter_id_column = "VisitID";
  mapping.date_column = "Discharge Date";
  mapping.date_format = DateFormat::kMonthDayYear;
  mapping.items = {
      {"Nurse Courtesy", "courtesy", {{"Always", 4}, {"Usually", 3}, {"Sometimes", 2}, {"Never", 1}}},
      {"Overall (0-10)", "rating", {}},
      {"Likely to recommend", "nps", {}},
      {"Comments", "comment", {}},
  };
  mapping.metadata = {{"Unit", "department"}};
  mapping.missing_values = {"NA"};
  return mapping;
}

// Rows 2–9 as a spreadsheet numbers them; row 2's comment spans two lines.
constexpr std::string_view kVendorFile =
    "RespondentID,VisitID,Discharge Date,Nurse Courtesy,Overall (0-10),Likely to recommend,Comments,Unit\r\n"
    "R1,V1,3/9/2025,Always,9,10,\"Loved it, thanks\r\nreally\",Cardiology\r\n"
    "R2,V2,3/10/2025,Usually,11,8,,Oncology\r\n"
    "R3,V3,2/30/2025,Often,NA,,,Oncology\r\n"
    "R1,V4,3/11/2025,Never,5,3,,Cardiology\r\n"
    ",V5,3/12/2025,Always,10,10,,Cardiology\r\n"
    "R6,V6,3/12/2025\r\n"
    "R7,V7,3/13/2025,NA,,, ,Oncology\r\n"
    "R8,V8,03/14/2025,always,7,na,\"He said \"\"hi\"\"\",Oncology\r\n";

const ImportIssue* IssueFor(const ImportReport& report, size_t row, std::string_view reason) {
  for (const ImportIssue& issue : report.issues) {
    if (issue.row == row && issue.reason == reason) return &issue;
  }
  return nullptr;
}

TEST(VendorImport, AcceptsMappedRows) {
  auto report = ImportVendorCsv(kVendorFile, Survey(), Mapping());
  ASSERT_TRUE(report.ok()) << report.error().field << ": " << report.error().message;
  EXPECT_EQ(report->rows_read, 8u);
  ASSERT_EQ(report->accepted.size(), 2u);

  const SurveyResponse& first = report->accepted[0];
  EXPECT_EQ(first.id, "R1");
  EXPECT_EQ(first.survey, (SurveyKey{"clinic", 1}));
  EXPECT_EQ(first.metadata.at("encounter_id"), "V1");
  EXPECT_EQ(first.metadata.at("date"), "2025-03-09");
  EXPECT_EQ(first.metadata.at("department"), "Cardiology");
  EXPECT_EQ(first.Find("courtesy")->value, 4);
  EXPECT_EQ(first.Find("rating")->value, 9);
  EXPECT_EQ(first.Find("nps")->value, 10);
  EXPECT_EQ(first.Find("comment")->text, "Loved it, thanks\r\nreally");

  const SurveyResponse& last = report->accepted[1];
  EXPECT_EQ(last.id, "R8");
  EXPECT_EQ(last.Find("courtesy")->value, 4);  // the mapping ignores case
  EXPECT_EQ(last.Find("nps"), nullptr);        // "na" is a missing value
  EXPECT_EQ(last.Find("comment")->text, "He said \"hi\"");
  EXPECT_EQ(last.metadata.at("date"), "2025-03-14");
}

TEST(VendorImport, ReportsRejectedRowsWithColumnAndReason) {
  auto report = ImportVendorCsv(kVendorFile, Survey(), Mapping());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->RejectedRows(), 6u);

  const ImportIssue* out_of_range = IssueFor(*report, 3, "answer_out_of_range");
  ASSERT_NE(out_of_range, nullptr);
  EXPECT_EQ(out_of_range->column, "Overall (0-10)");
  EXPECT_EQ(out_of_range->line, 4u);  // row 2 took two lines

  // Every problem of a row is listed.
  const ImportIssue* bad_date = IssueFor(*report, 4, "invalid_date");
  ASSERT_NE(bad_date, nullptr);
  EXPECT_EQ(bad_date->column, "Discharge Date");
  const ImportIssue* unmapped = IssueFor(*report, 4, "unmapped_value");
  ASSERT_NE(unmapped, nullptr);
  EXPECT_EQ(unmapped->column, "Nurse Courtesy");
  EXPECT_NE(unmapped->message.find("Often"), std::string::npos);

  const ImportIssue* duplicate = IssueFor(*report, 5, "duplicate_respondent_id");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_EQ(duplicate->column, "RespondentID");
  EXPECT_NE(IssueFor(*report, 6, "missing_respondent_id"), nullptr);
  const ImportIssue* short_row = IssueFor(*report, 7, "wrong_field_count");
  ASSERT_NE(short_row, nullptr);
  EXPECT_EQ(short_row->column, "");
  EXPECT_NE(IssueFor(*report, 8, "no_answers"), nullptr);
}

TEST(VendorImport, WithoutValueMappingReadsNumbersAndScaleLabels) {
  ImportMapping mapping;
  mapping.respondent_id_column = "id";
  mapping.date_column = "date";
  mapping.items = {{"courtesy", "courtesy", {}}};
  auto report = ImportVendorCsv("id,date,courtesy\na,2025-03-09,4\nb,2025-03-09T08:00,Usually\nc,2025-03-09,5\n",
                                Survey(), mapping);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->accepted.size(), 2u);
  EXPECT_EQ(report->accepted[0].Find("courtesy")->value, 4);
  EXPECT_EQ(report->accepted[1].Find("courtesy")->value, 3);
  EXPECT_EQ(report->accepted[1].metadata.at("date"), "2025-03-09");
  ASSERT_EQ(report->issues.size(), 1u);
  EXPECT_EQ(report->issues[0].row, 4u);
  EXPECT_EQ(report->issues[0].reason, "answer_out_of_range");
}

TEST(VendorImport, AMappingIsTheWholeTranslation) {
  // A vendor coding Always as 1: with a mapping, an unlisted code is rejected, never read as-is.
  ImportMapping mapping;
  mapping.respondent_id_column = "id";
  mapping.items = {{"q1", "courtesy", {{"1", 4}, {"2", 3}, {"3", 2}}}};
  auto report = ImportVendorCsv("id,q1\na,1\nb,4\n", Survey(), mapping);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->accepted.size(), 1u);
  EXPECT_EQ(report->accepted[0].Find("courtesy")->value, 4);
  ASSERT_EQ(report->issues.size(), 1u);
  EXPECT_EQ(report->issues[0].reason, "unmapped_value");
}

TEST(VendorImport, MappingProblemsFailTheImport) {
  ImportMapping mapping = Mapping();
  mapping.items[1].column = "Overall";
  auto missing_column = ImportVendorCsv(kVendorFile, Survey(), mapping);
  ASSERT_FALSE(missing_column.ok());
  EXPECT_EQ(missing_column.error().field, "mapping.items[1].column");

  mapping = Mapping();
  mapping.items[2].item_id = "parking";
  EXPECT_EQ(ImportVendorCsv(kVendorFile, Survey(), mapping).error().field, "mapping.items[2].item_id");

  mapping = Mapping();
  mapping.items[0].values["Constantly"] = 5;
  EXPECT_EQ(ImportVendorCsv(kVendorFile, Survey(), mapping).error().field, "mapping.items[0].values");

  mapping = Mapping();
  mapping.metadata.push_back({"Comments", "comment_copy"});
  EXPECT_EQ(ImportVendorCsv(kVendorFile, Survey(), mapping).error().reason, "column_mapped_twice");

  mapping = Mapping();
  mapping.respondent_id_column = "";
  EXPECT_EQ(ImportVendorCsv(kVendorFile, Survey(), mapping).error().field, "mapping.respondent_id_column");
}

TEST(VendorImport, MalformedCsvFailsWithItsLine) {
  auto report = ImportVendorCsv("id,q1\na,\"open\n", Survey(), Mapping());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().field, "csv");
  EXPECT_EQ(ImportVendorCsv("", Survey(), Mapping()).error().reason, "missing_header");
}

}  // namespace
}  // namespace caredesk::surveys
