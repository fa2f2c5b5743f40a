// Spreadsheets as .xlsx (Office Open XML) with libxlsxwriter: named sheets of
// rows whose cells are text, numbers or empty, a bold header row, frozen under
// the header, with column widths fitted to the contents. For the manager's
// exports (metrics and their SPC limits). No I/O but a private temporary file
// (libxlsxwriter 1.1 writes only to files); thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace caredesk::render {

using XlsxCell = std::variant<std::monostate, double, std::string>;

struct XlsxSheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (made so by SheetName)
  std::vector<std::string> header;
  std::vector<std::vector<XlsxCell>> rows;
  std::vector<double> widths;  // optional column widths in characters; empty = fitted to the contents
};

// A valid, unique sheet name made from `wanted` among `taken` (which it joins): forbidden characters
// become spaces, the name is cut to 31 characters and a " (2)" suffix keeps it unique.
std::string SheetName(std::string_view wanted, std::vector<std::string>& taken);

// The bytes of the workbook. Error::Invalid on "sheets" when there are none, on "sheets[i].name" when a name is
// not valid or repeated; Error::Internal when libxlsxwriter fails.
Result<std::string> XlsxWorkbook(const std::vector<XlsxSheet>& sheets);

}  // namespace caredesk::render
