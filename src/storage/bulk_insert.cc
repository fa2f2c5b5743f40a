#include "storage/bulk_insert.h"

namespace caredesk::db {

std::string MultiRowInsertSql(std::string_view insert_head, int columns, int rows) {
  std::string sql(insert_head);
  sql += " VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < columns; ++c) {
      if (c > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(++n);
    }
    sql += ')';
  }
  return sql;
}

}  // namespace caredesk::db
