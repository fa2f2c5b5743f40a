// A statement built from search criteria: its WHERE clause and parameters, and the tests every searched
// table shares (ranges of dates and instants, paging by key). Used by the repositories that search by
// FHIR-style criteria (patients, appointments, encounters). Thread-compatible.
#pragma once

#include <algorithm>
#include <deque>
#include <iterator>
#include <string>
#include <vector>

#include "core/match.h"
#include "storage/db.h"

namespace caredesk::db {

// Collects the WHERE clause and its parameters. Values live in a deque so the string_views the Params
// hold stay valid while more are added.
class SqlBuilder {
 public:
  // A placeholder ($n) for `value`.
  std::string Bind(std::string value) {
    texts_.push_back(std::move(value));
    params_.emplace_back(std::string_view(texts_.back()));
    return "$" + std::to_string(params_.size());
  }
  std::string Bind(int64_t value) {
    params_.emplace_back(value);
    return "$" + std::to_string(params_.size());
  }
  void And(std::string condition) { where_.push_back("(" + std::move(condition) + ")"); }

  // Each alternative of `any` as SQL by `one`, ORed; nothing when `any` is empty.
  template <typename T, typename F>
  void AndAny(const std::vector<T>& any, F one) {
    std::string sql;
    for (const T& alternative : any) {
      if (!sql.empty()) sql += " OR ";
      sql += "(" + one(alternative) + ")";
    }
    if (!sql.empty()) And(std::move(sql));
  }
  // `column` equal to one of each criterion's alternatives: `column IN (...)`, one per criterion. A flat list,
  // not a chain of ORs: SQLite refuses an expression more than 1,000 deep, and a page of 1,000 patients'
  // appointments names 1,000 of them.
  void AndIn(const std::string& column, const std::vector<AnyOf<int64_t>>& criteria) {
    for (const auto& any : criteria) AndInList(column, any);
  }
  void AndIn(const std::string& column, const std::vector<AnyOf<std::string>>& criteria) {
    for (const auto& any : criteria) AndInList(column, any);
  }
  // `column` (milliseconds) against each criterion's instant ranges.
  void AndInstants(const std::string& column, const std::vector<AnyOf<InstantMatch>>& criteria);

  // The cursor's condition for a KeyedPage over (time_column, id_column), and the ORDER BY ... LIMIT that
  // goes with it (`limit_extra` more rows than the page, to tell whether there is a next page).
  std::string Page(const KeyedPage& page, const std::string& time_column, const std::string& id_column,
                   int limit_extra);

  std::string Where() const {
    std::string sql;
    for (const std::string& w : where_) sql += (sql.empty() ? " WHERE " : " AND ") + w;
    return sql;
  }
  const std::vector<Param>& params() const { return params_; }

 private:
  template <typename T>
  void AndInList(const std::string& column, const std::vector<T>& any) {
    if (any.empty()) return;
    std::string sql = column + " IN (";
    for (size_t i = 0; i < any.size(); ++i) sql += (i ? ", " : "") + Bind(any[i]);
    And(sql + ")");
  }

  std::deque<std::string> texts_;
  std::vector<Param> params_;
  std::vector<std::string> where_;
};

// `col` against the range [lo, hi) by `op`. Only the bounds the test uses are bound: PostgreSQL cannot type
// a parameter the statement never mentions.
template <typename Bound>
std::string RangeTest(SqlBuilder& b, const std::string& col, DateMatch::Op op, const Bound& lo, const Bound& hi) {
  switch (op) {
    case DateMatch::Op::kEq: {
      const std::string l = b.Bind(lo), h = b.Bind(hi);
      return col + " >= " + l + " AND " + col + " < " + h;
    }
    case DateMatch::Op::kNe: {
      const std::string l = b.Bind(lo), h = b.Bind(hi);
      return col + " < " + l + " OR " + col + " >= " + h;
    }
    case DateMatch::Op::kLt: return col + " < " + b.Bind(lo);
    case DateMatch::Op::kLe: return col + " < " + b.Bind(hi);
    case DateMatch::Op::kGt: return col + " >= " + b.Bind(hi);
    case DateMatch::Op::kGe: return col + " >= " + b.Bind(lo);
  }
  return "1 = 0";
}

// A search in time order that names no location, patient, provider or id would sort every row it matches.
// Instead: one query per location, each reading its page in order from a (location, time) index, merged by
// (time, id) in the page's direction; `limit + 1` rows are kept, as each page query keeps them. `one(c, q)`
// runs the search for criteria whose `locations` name one location; `time_of(row)` is the row's sort time.
template <typename Row, typename Criteria, typename One, typename TimeOf>
Result<std::vector<Row>> SearchEachLocation(Connection& c, const Criteria& q, One one, TimeOf time_of) {
  using Rows = std::vector<Row>;
  CD_ASSIGN_OR_RETURN(ResultSet locations, c.Query("SELECT id FROM locations ORDER BY id", {}));
  Rows merged;
  for (size_t i = 0; i < locations.size(); ++i) {
    Criteria at = q;
    at.locations = {{locations.Int(i, 0)}};
    CD_ASSIGN_OR_RETURN(Rows rows, one(c, at));
    std::move(rows.begin(), rows.end(), std::back_inserter(merged));
  }
  std::sort(merged.begin(), merged.end(), [&](const auto& a, const auto& b) {
    const auto ka = std::make_pair(time_of(a), a.id), kb = std::make_pair(time_of(b), b.id);
    return q.page.descending ? kb < ka : ka < kb;
  });
  if (merged.size() > static_cast<size_t>(q.page.limit) + 1) merged.resize(q.page.limit + 1);
  return merged;
}

}  // namespace caredesk::db
