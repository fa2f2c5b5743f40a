// Comments and their themes in the database (migration 0005). Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct CommentRow {
  int64_t id = 0;
  std::string source;  // case | survey
  int64_t source_id = 0;
  std::optional<int64_t> location_id;
  std::string department;
  std::optional<int64_t> provider_id;
  int64_t at = 0;
  std::string local_date;
  std::string text;
  std::string sentiment;
  std::string model;
  std::vector<std::string> themes;
  // Joined for display.
  std::string location_name;
};

struct CommentFilter {
  std::string from_date;  // YYYY-MM-DD, inclusive; empty = any
  std::string to_date;
  std::optional<int64_t> location_id;
  std::optional<std::string> source;
  std::optional<std::string> sentiment;
  std::optional<std::string> theme;
  std::optional<std::string> department;
  std::string text;  // a case-insensitive substring
  int limit = 50;
  int offset = 0;
};

// One count of a grouped query.
struct GroupCount {
  std::string group;  // a period (YYYY-MM-DD, or its prefix) or a unit
  std::string key;    // a theme or a sentiment
  int64_t count = 0;
};

class CommentRepository {
 public:
  static Result<int64_t> Insert(Connection& c, const CommentRow& row);
  static Result<std::pair<std::vector<CommentRow>, int64_t>> List(Connection& c, const CommentFilter& f);
  // Comments per (first `period_chars` characters of local_date, theme): 7 = month, 10 = day. Only the date,
  // location and source criteria of `f` apply.
  static Result<std::vector<GroupCount>> ThemesByPeriod(Connection& c, const CommentFilter& f, int period_chars);
  // The same per sentiment.
  static Result<std::vector<GroupCount>> SentimentByPeriod(Connection& c, const CommentFilter& f, int period_chars);
  // Comments per (unit, sentiment), a unit being a location name, or a location name and department.
  static Result<std::vector<GroupCount>> SentimentByUnit(Connection& c, const CommentFilter& f, bool by_department);
};

}  // namespace caredesk::db
