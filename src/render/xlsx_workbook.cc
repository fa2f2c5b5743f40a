#include "render/xlsx_workbook.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "core/text.h"

namespace caredesk::render {
namespace {

constexpr size_t kMaxSheetName = 31;
constexpr std::string_view kForbidden = "[]:*?/\\";

bool ValidSheetName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxSheetName && name.find_first_of(kForbidden) == std::string::npos &&
         name.front() != '\'' && name.back() != '\'';
}

// A removed temporary file.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

std::string SheetName(std::string_view wanted, std::vector<std::string>& taken) {
  std::string base(wanted);
  for (char& ch : base) {
    if (kForbidden.find(ch) != std::string_view::npos) ch = ' ';
  }
  while (!base.empty() && (base.front() == '\'' || base.front() == ' ')) base.erase(base.begin());
  while (!base.empty() && (base.back() == '\'' || base.back() == ' ')) base.pop_back();
  if (base.empty()) base = "Sheet";
  std::string name(Utf8Prefix(base, kMaxSheetName));
  for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n) {
    std::string suffix = " (" + std::to_string(n) + ")";
    name = std::string(Utf8Prefix(base, kMaxSheetName - suffix.size())) + suffix;
  }
  taken.push_back(name);
  return name;
}

Result<std::string> XlsxWorkbook(const std::vector<XlsxSheet>& sheets) {
  if (sheets.empty()) return Error::Invalid("sheets", "a workbook needs at least one sheet", "empty");
  std::set<std::string> names;
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (!ValidSheetName(sheets[i].name) || !names.insert(sheets[i].name).second) {
      return Error::Invalid("sheets[" + std::to_string(i) + "].name", "not a valid, unique sheet name");
    }
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/caredesk-XXXXXX.xlsx";
  int fd = mkstemps(pattern.data(), 5);
  if (fd < 0) return Error::Internal("cannot create a temporary file for the workbook");
  close(fd);
  TempFile file{pattern};

  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(file.path.c_str(), &options);
  if (wb == nullptr) return Error::Internal("libxlsxwriter could not start a workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bottom(bold, LXW_BORDER_THIN);
  for (const XlsxSheet& s : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return Error::Internal("libxlsxwriter refused the sheet " + s.name);
    }
    std::vector<double> widths(s.header.size(), 8);
    auto fit = [&](size_t col, double chars) {
      if (col >= widths.size()) widths.resize(col + 1, 8);
      widths[col] = std::min(60.0, std::max(widths[col], chars + 2));
    };
    for (size_t c = 0; c < s.header.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), s.header[c].c_str(), bold);
      fit(c, static_cast<double>(s.header[c].size()));
    }
    for (size_t r = 0; r < s.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        const XlsxCell& cell = s.rows[r][c];
        if (const auto* d = std::get_if<double>(&cell)) {
          worksheet_write_number(ws, row, col, *d, nullptr);
          fit(c, 10);
        } else if (const auto* text = std::get_if<std::string>(&cell)) {
          worksheet_write_string(ws, row, col, text->c_str(), nullptr);
          fit(c, static_cast<double>(text->size()));
        }
      }
    }
    for (size_t c = 0; c < widths.size(); ++c) {
      double w = c < s.widths.size() ? s.widths[c] : widths[c];
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr);
    }
    if (!s.header.empty()) worksheet_freeze_panes(ws, 1, 0);
  }
  if (lxw_error err = workbook_close(wb); err != LXW_NO_ERROR) {
    return Error::Internal(std::string("libxlsxwriter: ") + lxw_strerror(err));
  }
  std::ifstream in(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace caredesk::render
