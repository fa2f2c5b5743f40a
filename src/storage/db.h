// The database seam. Repositories speak SQL with PostgreSQL-style `$n`
// placeholders through this small interface; sqlite/ and postgres/ implement
// it. Values: NULL, 64-bit integers, doubles and text (timestamps are epoch
// milliseconds, dates ISO text, flags 0/1 integers) so one SQL text serves
// both engines wherever their dialects agree.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"

namespace caredesk::db {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter. Text is copied by the driver before the call returns.
class Param {
 public:
  Param(std::nullptr_t) {}                                   // NOLINT
  Param(int v) : v_(int64_t{v}) {}                           // NOLINT
  Param(int64_t v) : v_(v) {}                                // NOLINT
  Param(bool v) : v_(int64_t{v ? 1 : 0}) {}                  // NOLINT
  Param(double v) : v_(v) {}                                 // NOLINT
  Param(std::string_view v) : v_(v) {}                       // NOLINT
  Param(const std::string& v) : v_(std::string_view(v)) {}   // NOLINT
  Param(const char* v) : v_(std::string_view(v)) {}          // NOLINT
  template <class T>
  Param(const std::optional<T>& v) {                         // NOLINT
    if (v) *this = Param(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  const std::variant<std::monostate, int64_t, double, std::string_view>& value() const { return v_; }

 private:
  std::variant<std::monostate, int64_t, double, std::string_view> v_;
};

using Params = std::initializer_list<Param>;
// Parameters of SQL built at run time (QueryBuilt), as many as it has.
using ParamList = std::span<const Param>;

// One result cell.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

// A fully read result. Rows are cheap to index; accessors convert leniently
// (text "12" reads as integer 12) so both drivers behave alike.
class ResultSet {
 public:
  ResultSet() = default;
  ResultSet(int columns, std::vector<Cell> cells) : columns_(columns), cells_(std::move(cells)) {}

  size_t size() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  bool empty() const { return size() == 0; }
  int columns() const { return columns_; }

  bool IsNull(size_t row, int col) const { return At(row, col).index() == 0; }
  int64_t Int(size_t row, int col) const;
  double Double(size_t row, int col) const;
  std::string Text(size_t row, int col) const;
  std::optional<int64_t> OptInt(size_t row, int col) const;
  std::optional<std::string> OptText(size_t row, int col) const;
  // A date stored as "YYYY-MM-DD" text; nullopt for NULL, empty or unreadable text.
  std::optional<CivilDate> OptDate(size_t row, int col) const;

 private:
  const Cell& At(size_t row, int col) const { return cells_[row * columns_ + col]; }
  int columns_ = 0;
  std::vector<Cell> cells_;
};

// Cursor-style access to one row of a ResultSet.
class RowRef {
 public:
  RowRef(const ResultSet& rs, size_t row) : rs_(rs), row_(row) {}
  bool IsNull(int c) const { return rs_.IsNull(row_, c); }
  int64_t Int(int c) const { return rs_.Int(row_, c); }
  double Double(int c) const { return rs_.Double(row_, c); }
  std::string Text(int c) const { return rs_.Text(row_, c); }
  std::optional<int64_t> OptInt(int c) const { return rs_.OptInt(row_, c); }
  std::optional<std::string> OptText(int c) const { return rs_.OptText(row_, c); }
  std::optional<CivilDate> OptDate(int c) const { return rs_.OptDate(row_, c); }

 private:
  const ResultSet& rs_;
  size_t row_;
};

// A connection. Not thread-safe: one thread uses it at a time (the pool
// hands it out). Errors: unique or primary-key violations come back as
// ErrorCode::kConflict with reason "unique_violation" and the constraint or
// column list in the message; a busy or unreachable database as kUnavailable;
// anything else as kInternal.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  virtual Result<ResultSet> Query(std::string_view sql, Params params = {}) = 0;
  // A query whose text is built at run time (search criteria): prepared for
  // this call only, because Query keeps every statement it prepares, and a
  // caller that can vary the text would make that cache grow without bound.
  virtual Result<ResultSet> QueryBuilt(std::string_view sql, ParamList params) = 0;
  // Runs a statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, Params params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Transactions. A write transaction takes the write lock up front (SQLite
  // BEGIN IMMEDIATE), so it never fails half-way for lock upgrades.
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool in_transaction() const = 0;
};

bool IsUniqueViolation(const Error& e);

// A list of ids as one text parameter, read by `IN (SELECT value FROM
// json_each($n))` on SQLite and `= ANY($n::bigint[])` on PostgreSQL.
std::string IdListParam(Dialect dialect, const std::vector<int64_t>& ids);

// A list of texts as one parameter: a JSON array, read by `IN (SELECT value FROM json_each($n))` on SQLite
// and `IN (SELECT jsonb_array_elements_text($n::jsonb))` on PostgreSQL. Any text, quotes and control
// characters included.
std::string TextListParam(const std::vector<std::string>& texts);

// A LIKE pattern matching any text that contains `text`, case-insensitively
// for ASCII: lower-cased, wrapped in %, with %, _ and ! escaped by '!' (use
// `LIKE $n ESCAPE '!'` against a LOWER(...) column). Empty for empty text.
std::string ContainsPattern(std::string_view text);

}  // namespace caredesk::db
