// Test support: the SPC reference data under <CAREDESK_DATA_DIR>/spc (see its SOURCE.txt) — CSV
// tables written by R and the NHSRplotthedots JSON cases. Test-only: links Boost.JSON, which the
// domain library itself never does.
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace caredesk::spc::testing {

// <CAREDESK_DATA_DIR>/spc, or <source>/../shared/data/spc when the variable is not set.
std::filesystem::path SpcDataDir();

// A CSV table as R's write.csv() produces it: a header row, quoted strings, NA as an empty field.
class CsvTable {
 public:
  // Reads `path`; NotFound naming the path (and CAREDESK_DATA_DIR) when it cannot be opened.
  static Result<CsvTable> Read(const std::filesystem::path& path);

  size_t rows() const { return rows_.size(); }
  bool HasColumn(const std::string& name) const;
  // The raw text of a cell; the column must exist.
  const std::string& Cell(size_t row, const std::string& column) const;
  // A number, or nullopt for an empty cell or NA.
  std::optional<double> Number(size_t row, const std::string& column) const;
  // TRUE/FALSE (or 1/0).
  bool Bool(size_t row, const std::string& column) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Parses a JSON file; NotFound naming the path when it cannot be opened.
Result<boost::json::value> ReadJson(const std::filesystem::path& path);

}  // namespace caredesk::spc::testing
