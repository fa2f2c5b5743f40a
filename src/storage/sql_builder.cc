#include "storage/sql_builder.h"

namespace caredesk::db {

void SqlBuilder::AndInstants(const std::string& column, const std::vector<AnyOf<InstantMatch>>& criteria) {
  for (const auto& any : criteria) {
    AndAny(any, [&](const InstantMatch& m) { return RangeTest(*this, column, m.op, m.lo_ms, m.hi_ms); });
  }
}

std::string SqlBuilder::Page(const KeyedPage& page, const std::string& time_column, const std::string& id_column,
                             int limit_extra) {
  const char* after = page.descending ? " < " : " > ";
  if (page.after_id) {
    const std::string id = Bind(*page.after_id);
    if (!page.by_time) {
      And(id_column + after + id);
    } else {
      const std::string time = Bind(page.after_time.value_or(0));
      And(time_column + after + time + " OR (" + time_column + " = " + time + " AND " + id_column + after + id + ")");
    }
  }
  const char* dir = page.descending ? " DESC" : "";
  return " ORDER BY " + (page.by_time ? time_column + dir + ", " : std::string()) + id_column + dir + " LIMIT " +
         Bind(static_cast<int64_t>(page.limit + limit_extra));
}

}  // namespace caredesk::db
