// A minimal RFC 4180 reader for vendor result files and the HCAHPS reference tables.
//
// Comma-separated fields, optionally in double quotes; a quoted field may hold commas, line
// breaks and doubled quotes (""). Records end at CRLF, LF or CR; the last one may lack a line
// break. A UTF-8 byte-order mark at the start is skipped. Bytes pass through unchanged.
//
// Each record remembers the physical line it starts on, because an import report must point at
// the line a user sees in an editor even when quoted fields span lines.
//
// NOTE: src/domain/feedback/csv.h is a second RFC 4180 reader (written for the comment
// classifier). This one exists because the surveys library may not depend on caredesk_feedback
// and needs per-record line numbers; the two should move to one shared reader in caredesk_core.
//
// Malformed input is an error value naming the line: a quote inside an unquoted field, text
// after a closing quote, or a quoted field still open at the end. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::surveys {

struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;  // 1-based physical line where the record starts
};

// Every record of `text`. An empty input has none; an empty line is a record with one empty field.
Result<std::vector<CsvRecord>> ParseCsvRecords(std::string_view text);

// A table whose first record is the header. Records that are one empty field (blank lines) are
// dropped; other records keep their own field count (callers decide what a short row means).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRecord> rows;

  // The index of the first column named `name` (exact match after trimming spaces).
  std::optional<size_t> Column(std::string_view name) const;
};

// Invalid on field "csv" when the text is malformed or has no header record.
Result<CsvTable> ParseCsvTable(std::string_view text);

// `text` without leading and trailing spaces, tabs, CR and LF.
std::string_view TrimSpaces(std::string_view text);

}  // namespace caredesk::surveys
