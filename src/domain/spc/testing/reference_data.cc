#include "domain/spc/testing/reference_data.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cassert>
#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef CAREDESK_SOURCE_DIR
#define CAREDESK_SOURCE_DIR "."
#endif

namespace caredesk::spc::testing {
namespace {

Error Missing(const std::filesystem::path& path) {
  return Error::NotFound("SPC reference data missing: could not open " + path.string() +
                         " (set CAREDESK_DATA_DIR to the directory holding spc/; now looking in " +
                         SpcDataDir().string() + ")");
}

// Splits one CSV record; quoted fields may hold commas and doubled quotes.
std::vector<std::string> SplitRecord(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

}  // namespace

std::filesystem::path SpcDataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return std::filesystem::path(dir) / "spc";
  }
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data" / "spc";
}

Result<CsvTable> CsvTable::Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Missing(path);
  CsvTable table;
  std::string line;
  if (!std::getline(in, line)) return Error::Internal("empty CSV file " + path.string());
  table.header_ = SplitRecord(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields = SplitRecord(line);
    if (fields.size() != table.header_.size()) {
      return Error::Internal("malformed line in " + path.string() + ": " + line);
    }
    table.rows_.push_back(std::move(fields));
  }
  return table;
}

bool CsvTable::HasColumn(const std::string& name) const {
  return std::find(header_.begin(), header_.end(), name) != header_.end();
}

const std::string& CsvTable::Cell(size_t row, const std::string& column) const {
  const auto it = std::find(header_.begin(), header_.end(), column);
  assert(it != header_.end());
  return rows_.at(row).at(static_cast<size_t>(it - header_.begin()));
}

std::optional<double> CsvTable::Number(size_t row, const std::string& column) const {
  const std::string& text = Cell(row, column);
  if (text.empty() || text == "NA") return std::nullopt;
  return std::stod(text);
}

bool CsvTable::Bool(size_t row, const std::string& column) const {
  const std::string& text = Cell(row, column);
  return text == "TRUE" || text == "1";
}

Result<boost::json::value> ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Missing(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(buffer.str(), ec);
  if (ec) return Error::Internal("invalid JSON in " + path.string() + ": " + ec.message());
  return value;
}

}  // namespace caredesk::spc::testing
