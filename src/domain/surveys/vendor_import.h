// Import of survey results a vendor delivers as CSV (one row per returned survey), through a
// column mapping set up once per vendor: which column holds the respondent id, the visit, the
// date, which column answers which item and how the vendor's cells translate into answers.
//
// Rows that cannot be read are rejected with every problem listed (row, column, reason); the
// other rows become responses to the definition's version. A problem with the file or the
// mapping as a whole (malformed CSV, a mapped column missing from the header, an unknown item)
// fails the import instead, naming the mapping field. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/surveys/survey_definition.h"
#include "domain/surveys/survey_response.h"

namespace caredesk::surveys {

struct ItemColumn {
  std::string column;   // header name in the vendor file
  std::string item_id;  // item of the definition
  // Vendor cell → answer value ("Always" → 4, "9" → 9), matched ignoring case and surrounding
  // spaces. When given it is the whole translation: a cell it lacks is rejected. When empty, a
  // cell is read as the answer value itself ("4") or as the label of the item's scale ("Always").
  // Unused for free-text items, whose cell is the text.
  std::map<std::string, int, std::less<>> values;
};

struct MetadataColumn {
  std::string column;  // header name in the vendor file
  std::string key;     // metadata key of the response ("department", "provider")
};

enum class DateFormat {
  kIso,          // 2025-03-09 (a time after 'T' or a space is ignored)
  kMonthDayYear  // 3/9/2025 or 03/09/2025
};

struct ImportMapping {
  std::string respondent_id_column;  // required; becomes SurveyResponse::id
  std::string encounter_id_column;   // optional; metadata "encounter_id"
  std::string date_column;           // optional; metadata "date" as YYYY-MM-DD
  DateFormat date_format = DateFormat::kIso;
  std::vector<ItemColumn> items;
  std::vector<MetadataColumn> metadata;
  // Cells meaning "not answered" besides an empty cell ("NA", "-9", "M"); matched ignoring case.
  std::vector<std::string> missing_values;
};

// One problem with one row. `row` counts records as a spreadsheet does (the header is row 1);
// `line` is the physical line the record starts on. `column` is the vendor column, or "" for the
// row as a whole.
struct ImportIssue {
  size_t row = 0;
  size_t line = 0;
  std::string column;
  std::string reason;  // wrong_field_count, missing_respondent_id, duplicate_respondent_id,
                       // invalid_date, unmapped_value, answer_out_of_range, text_too_long,
                       // no_answers
  std::string message;
};

struct ImportReport {
  size_t rows_read = 0;                  // data rows (blank lines skipped)
  std::vector<SurveyResponse> accepted;  // in file order
  // Where each accepted response was in the file: {row, line}, as ImportIssue counts them.
  std::vector<std::pair<size_t, size_t>> accepted_rows;
  std::vector<ImportIssue> issues;       // every problem of the rejected rows, in row order

  // Distinct rows with at least one issue.
  size_t RejectedRows() const;
};

Result<ImportReport> ImportVendorCsv(std::string_view csv_text, const SurveyDefinition& definition,
                                     const ImportMapping& mapping);

}  // namespace caredesk::surveys
