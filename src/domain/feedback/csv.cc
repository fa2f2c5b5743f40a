#include "domain/feedback/csv.h"

#include <iterator>
#include <utility>

namespace caredesk::feedback {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Error CsvError(size_t line, std::string what, std::string reason) {
  return Error::Invalid("csv", "CSV line " + std::to_string(line) + ": " + std::move(what), std::move(reason));
}

Result<std::string> ReadAll(std::istream& in) {
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return Error::Invalid("csv", "could not read the CSV stream", "read_failed");
  return text;
}

}  // namespace

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  std::vector<CsvRow> records;
  if (text.empty()) return records;

  CsvRow record;
  std::string field;
  size_t line = 1;
  size_t i = 0;
  const size_t n = text.size();
  // Each iteration reads one field starting at text[i] and the separator after it.
  while (true) {
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
        if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
        field.push_back(c);
        ++i;
      }
      if (!closed) return CsvError(open_line, "quoted field is not closed", "unterminated_quote");
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return CsvError(line, "unexpected character after a closing quote", "text_after_quote");
      }
    } else {
      while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') return CsvError(line, "quote inside an unquoted field", "stray_quote");
        field.push_back(text[i]);
        ++i;
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i < n && text[i] == ',') {
      ++i;
      continue;
    }
    // End of record: a line break or the end of the input.
    records.push_back(std::move(record));
    record.clear();
    if (i >= n) break;
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
    ++i;
    ++line;
    if (i >= n) break;  // a final line break ends the last record, it does not start a new one
  }
  return records;
}

Result<std::vector<CsvRow>> ReadCsv(std::istream& in) {
  CD_ASSIGN_OR_RETURN(std::string text, ReadAll(in));
  return ParseCsv(text);
}

std::optional<size_t> CsvTable::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

Result<CsvTable> ParseCsvTable(std::string_view text) {
  CD_ASSIGN_OR_RETURN(std::vector<CsvRow> records, ParseCsv(text));
  if (records.empty()) return Error::Invalid("csv", "the CSV input has no header row", "missing_header");
  if (records.size() > 1 && records.back().size() == 1 && records.back()[0].empty()) records.pop_back();
  CsvTable table;
  table.header = std::move(records.front());
  table.rows.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header.size()) {
      return Error::Invalid("csv",
                            "CSV record " + std::to_string(r + 1) + " has " + std::to_string(records[r].size()) +
                                " fields, the header has " + std::to_string(table.header.size()),
                            "ragged_row");
    }
    table.rows.push_back(std::move(records[r]));
  }
  return table;
}

Result<CsvTable> ReadCsvTable(std::istream& in) {
  CD_ASSIGN_OR_RETURN(std::string text, ReadAll(in));
  return ParseCsvTable(text);
}

std::string FormatCsvRow(const CsvRow& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out.push_back(',');
    const std::string& field = row[i];
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
      out += field;
      continue;
    }
    out.push_back('"');
    for (char c : field) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

}  // namespace caredesk::feedback
