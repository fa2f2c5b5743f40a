// Bulk loading through the database seam: rows are gathered in a RowBuffer
// and written by a BulkTable as multi-row INSERT ... VALUES (...), (...)
// statements of a fixed size (one prepared statement each), the remainder
// one row at a time. Used by the demo generator, which writes millions of
// rows, and by repositories that write many rows at once; the SQL is built once per table from its named INSERT head.
// Thread-compatible.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace caredesk::db {

// Values of whole rows of one table, row-major, with their text in one
// arena. Text views handed out by ParamAt stay valid until the next append
// or Clear.
class RowBuffer {
 public:
  explicit RowBuffer(int columns) : columns_(columns) {}

  RowBuffer& Int(int64_t v) {
    values_.push_back({v, 0, Kind::kInt});
    return *this;
  }
  RowBuffer& Text(std::string_view v) {
    values_.push_back({static_cast<int64_t>(arena_.size()), static_cast<uint32_t>(v.size()), Kind::kText});
    arena_.append(v);
    return *this;
  }
  RowBuffer& Null() {
    values_.push_back({0, 0, Kind::kNull});
    return *this;
  }
  RowBuffer& OptInt(std::optional<int64_t> v) { return v ? Int(*v) : Null(); }

  int columns() const { return columns_; }
  size_t rows() const { return values_.size() / static_cast<size_t>(columns_); }
  // True when every started row is complete.
  bool complete() const { return values_.size() % static_cast<size_t>(columns_) == 0; }
  void Clear() {
    values_.clear();
    arena_.clear();
  }

  // Value `i` in row-major order as a bound parameter.
  Param ParamAt(size_t i) const {
    const Value& v = values_[i];
    switch (v.kind) {
      case Kind::kInt: return Param(v.number);
      case Kind::kText: return Param(std::string_view(arena_).substr(static_cast<size_t>(v.number), v.length));
      case Kind::kNull: break;
    }
    return Param(nullptr);
  }

 private:
  enum class Kind : uint8_t { kNull, kInt, kText };
  struct Value {
    int64_t number;  // the integer, or the text's offset in arena_
    uint32_t length;
    Kind kind;
  };

  int columns_;
  std::vector<Value> values_;
  std::string arena_;
};

// About this many parameters per multi-row statement: well below SQLite's
// 32766 and PostgreSQL's 65535, large enough that per-statement costs vanish.
inline constexpr int kBulkParamsPerStatement = 1000;

// The multi-row INSERT statement text: `insert_head` ("INSERT INTO t (a, b)")
// followed by `rows` groups of `columns` numbered placeholders.
std::string MultiRowInsertSql(std::string_view insert_head, int columns, int rows);

namespace internal {

template <size_t... I>
Status ExecExpanded(Connection& c, const std::string& sql, const RowBuffer& rows, size_t first,
                    std::index_sequence<I...>) {
  // The seam binds an initializer list; a pack expansion builds one of the
  // statement's exact size.
  auto changed = c.Exec(sql, {rows.ParamAt(first + I)...});
  if (!changed.ok()) return std::move(changed).error();
  return Ok();
}

}  // namespace internal

// One table written in bulk. kColumns must equal the number of columns named
// in the INSERT head.
template <int kColumns>
class BulkTable {
 public:
  static constexpr int kRowsPerStatement = std::max(1, kBulkParamsPerStatement / kColumns);

  explicit BulkTable(std::string_view insert_head)
      : many_sql_(MultiRowInsertSql(insert_head, kColumns, kRowsPerStatement)),
        one_sql_(MultiRowInsertSql(insert_head, kColumns, 1)) {}

  // Writes every row of `rows` (which must have kColumns columns and only
  // complete rows) in the caller's transaction. On an error some rows may
  // have been written; the caller rolls back.
  Status Write(Connection& c, const RowBuffer& rows) const {
    const size_t total = rows.rows();
    size_t row = 0;
    for (; row + kRowsPerStatement <= total; row += kRowsPerStatement) {
      CD_RETURN_IF_ERROR(internal::ExecExpanded(c, many_sql_, rows, row * kColumns,
                                                std::make_index_sequence<kRowsPerStatement * kColumns>()));
    }
    for (; row < total; ++row) {
      CD_RETURN_IF_ERROR(
          internal::ExecExpanded(c, one_sql_, rows, row * kColumns, std::make_index_sequence<kColumns>()));
    }
    return Ok();
  }

 private:
  std::string many_sql_;
  std::string one_sql_;
};

}  // namespace caredesk::db
