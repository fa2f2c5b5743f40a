// RFC 4180 CSV, read and written.
//
// The reader: comma-separated fields, optionally enclosed in double quotes; a quoted field may
// hold commas, line breaks and doubled quotes (""). Records end at CRLF, LF or CR; the last
// record may lack a line break. A UTF-8 byte-order mark before the first field is skipped.
// Bytes are passed through unchanged (no encoding check, no trimming).
//
// Malformed input is an error value, never an exception: a quote inside an unquoted field, text
// between a closing quote and the next separator, or a quoted field left open at the end of the
// input. Errors name the 1-based physical line where the problem starts.
//
// The writer quotes a field only when it holds a comma, a quote, CR or LF, and ends rows with CRLF.
//
// Pure functions on strings and streams; thread-safe.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::feedback {

using CsvRow = std::vector<std::string>;

// Every record of `text`. An empty input has no records; an empty line is a record with one
// empty field.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// ParseCsv on the whole of `in`; a stream read failure (other than end of file) is an error.
Result<std::vector<CsvRow>> ReadCsv(std::istream& in);

// A CSV file whose first record names the columns.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  // each has header.size() fields

  // The index of the first column named exactly `name`.
  std::optional<size_t> ColumnIndex(std::string_view name) const;
};

// A table from `text`: the first record is the header (which must exist); a data record with a
// different number of fields than the header is an error naming its record number. A final
// record consisting of one empty field (a trailing blank line) is dropped.
Result<CsvTable> ParseCsvTable(std::string_view text);
Result<CsvTable> ReadCsvTable(std::istream& in);

// One record in RFC 4180 form, CRLF-terminated; ParseCsv reads it back unchanged.
std::string FormatCsvRow(const CsvRow& row);

}  // namespace caredesk::feedback
