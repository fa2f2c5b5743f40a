#include "domain/surveys/csv_records.h"

#include <utility>

namespace caredesk::surveys {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Error CsvError(size_t line, std::string what, std::string reason) {
  return Error::Invalid("csv", "CSV line " + std::to_string(line) + ": " + std::move(what), std::move(reason));
}

bool IsBlankRecord(const CsvRecord& r) { return r.fields.size() == 1 && r.fields[0].empty(); }

}  // namespace

std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

Result<std::vector<CsvRecord>> ParseCsvRecords(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  std::vector<CsvRecord> records;
  if (text.empty()) return records;

  const size_t n = text.size();
  size_t i = 0;
  size_t line = 1;
  CsvRecord record{{}, line};
  // One field per iteration: read it, then the separator after it (comma, line break or end).
  while (true) {
    std::string field;
    if (i < n && text[i] == '"') {
      const size_t open_line = line;
      ++i;
      bool closed = false;
      while (i < n) {
        const char c = text[i];
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (c == '\r' || c == '\n') {
          // CRLF inside a quoted field is one line break.
          if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
            field.push_back('\r');
            ++i;
          }
          ++line;
        }
        field.push_back(text[i]);
        ++i;
      }
      if (!closed) return CsvError(open_line, "quoted field is not closed", "unterminated_quote");
      if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        return CsvError(line, "text after a closing quote", "text_after_quote");
      }
    } else {
      while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        if (text[i] == '"') return CsvError(line, "quote inside an unquoted field", "stray_quote");
        field.push_back(text[i]);
        ++i;
      }
    }
    record.fields.push_back(std::move(field));
    if (i >= n) {
      records.push_back(std::move(record));
      break;
    }
    if (text[i] == ',') {
      ++i;
      continue;
    }
    // A line break ends the record.
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
    ++i;
    ++line;
    records.push_back(std::move(record));
    record = CsvRecord{{}, line};
    if (i >= n) break;
  }
  return records;
}

std::optional<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (TrimSpaces(header[i]) == TrimSpaces(name)) return i;
  }
  return std::nullopt;
}

Result<CsvTable> ParseCsvTable(std::string_view text) {
  CD_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsvRecords(text));
  if (records.empty()) return Error::Invalid("csv", "the CSV text has no header row", "missing_header");
  CsvTable table;
  table.header = std::move(records.front().fields);
  for (size_t r = 1; r < records.size(); ++r) {
    if (!IsBlankRecord(records[r])) table.rows.push_back(std::move(records[r]));
  }
  return table;
}

}  // namespace caredesk::surveys
