#include "storage/db.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace caredesk::db {

int64_t ResultSet::Int(size_t row, int col) const {
  const Cell& c = At(row, col);
  if (auto* i = std::get_if<int64_t>(&c)) return *i;
  if (auto* d = std::get_if<double>(&c)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&c)) {
    int64_t v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

double ResultSet::Double(size_t row, int col) const {
  const Cell& c = At(row, col);
  if (auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&c)) return *d;
  if (auto* s = std::get_if<std::string>(&c)) {
    double v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

std::string ResultSet::Text(size_t row, int col) const {
  const Cell& c = At(row, col);
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  if (auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&c)) return std::to_string(*d);
  return {};
}

std::optional<int64_t> ResultSet::OptInt(size_t row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

std::optional<std::string> ResultSet::OptText(size_t row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

std::optional<CivilDate> ResultSet::OptDate(size_t row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  const std::string text = Text(row, col);
  if (text.empty()) return std::nullopt;
  auto d = ParseCivilDate(text, "date");
  if (!d.ok()) return std::nullopt;
  return *d;
}

bool IsUniqueViolation(const Error& e) { return e.code == ErrorCode::kConflict && e.reason == "unique_violation"; }

std::string IdListParam(Dialect dialect, const std::vector<int64_t>& ids) {
  std::string s(1, dialect == Dialect::kPostgres ? '{' : '[');
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  s += dialect == Dialect::kPostgres ? '}' : ']';
  return s;
}

std::string TextListParam(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (const std::string& t : texts) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char ch : t) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += ch;
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += ch;
      }
    }
    out += '"';
  }
  return out + "]";
}

std::string ContainsPattern(std::string_view text) {
  if (text.empty()) return {};
  std::string like = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '!') like += '!';
    like += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return like + "%";
}

}  // namespace caredesk::db
