#include "storage/comment_repository.h"

#include <map>

namespace caredesk::db {
namespace {

// One WHERE clause for every filter; an absent criterion disables its
// condition. CASTs type the parameters for PostgreSQL.
constexpr char kWhere[] =
    " WHERE (CAST($1 AS TEXT) = '' OR c.local_date >= $1) AND (CAST($2 AS TEXT) = '' OR c.local_date <= $2) "
    "AND (CAST($3 AS BIGINT) IS NULL OR c.location_id = $3) AND (CAST($4 AS TEXT) IS NULL OR c.source = $4) "
    "AND (CAST($5 AS TEXT) IS NULL OR c.sentiment = $5) "
    "AND (CAST($6 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM comment_themes ft WHERE ft.comment_id = c.id "
    "AND ft.theme = $6)) AND (CAST($7 AS TEXT) IS NULL OR c.department = $7) "
    "AND (CAST($8 AS TEXT) = '' OR LOWER(c.text) LIKE $8 ESCAPE '!')";

Result<std::vector<GroupCount>> Grouped(Connection& c, const std::string& sql, const CommentFilter& f,
                                        int64_t extra) {
  // Period and unit narrow the counts; sentiment, theme and words do not (the counts are of every kind).
  const std::optional<std::string> none;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {f.from_date, f.to_date, f.location_id, f.source, none, none,
                                                  f.department, std::string(), extra}));
  std::vector<GroupCount> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back({rs.Text(i, 0), rs.Text(i, 1), rs.Int(i, 2)});
  return out;
}

}  // namespace

Result<int64_t> CommentRepository::Insert(Connection& c, const CommentRow& r) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("INSERT INTO comments (source, source_id, location_id, department, provider_id, at, "
                              "local_date, text, sentiment, model) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                              "RETURNING id",
                              {r.source, r.source_id, r.location_id, r.department, r.provider_id, r.at, r.local_date,
                               r.text, r.sentiment, r.model}));
  int64_t id = rs.Int(0, 0);
  for (const auto& theme : r.themes) {
    CD_RETURN_IF_ERROR(c.Exec("INSERT INTO comment_themes (comment_id, theme) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                              {id, theme}));
  }
  return id;
}

Result<std::pair<std::vector<CommentRow>, int64_t>> CommentRepository::List(Connection& c, const CommentFilter& f) {
  std::string like = ContainsPattern(f.text);
  CD_ASSIGN_OR_RETURN(ResultSet count, c.Query(std::string("SELECT COUNT(*) FROM comments c") + kWhere,
                                               {f.from_date, f.to_date, f.location_id, f.source, f.sentiment, f.theme,
                                                f.department, like}));
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(std::string("SELECT c.id, c.source, c.source_id, c.location_id, c.department, c.provider_id, c.at, "
                          "c.local_date, c.text, c.sentiment, c.model, COALESCE(l.name, '') FROM comments c "
                          "LEFT JOIN locations l ON l.id = c.location_id") +
                  kWhere + " ORDER BY c.at DESC, c.id DESC LIMIT $9 OFFSET $10",
              {f.from_date, f.to_date, f.location_id, f.source, f.sentiment, f.theme, f.department, like,
               int64_t{f.limit}, int64_t{f.offset}}));
  std::vector<CommentRow> rows;
  std::vector<int64_t> ids;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    CommentRow row;
    row.id = r.Int(0);
    row.source = r.Text(1);
    row.source_id = r.Int(2);
    row.location_id = r.OptInt(3);
    row.department = r.Text(4);
    row.provider_id = r.OptInt(5);
    row.at = r.Int(6);
    row.local_date = r.Text(7);
    row.text = r.Text(8);
    row.sentiment = r.Text(9);
    row.model = r.Text(10);
    row.location_name = r.Text(11);
    index[row.id] = rows.size();
    ids.push_back(row.id);
    rows.push_back(std::move(row));
  }
  if (!ids.empty()) {
    bool pg = c.dialect() == Dialect::kPostgres;
    CD_ASSIGN_OR_RETURN(
        ResultSet th,
        c.Query(pg ? "SELECT comment_id, theme FROM comment_themes WHERE comment_id = ANY($1::bigint[]) "
                     "ORDER BY comment_id, theme"
                   : "SELECT comment_id, theme FROM comment_themes WHERE comment_id IN (SELECT value FROM "
                     "json_each($1)) ORDER BY comment_id, theme",
                {IdListParam(c.dialect(), ids)}));
    for (size_t i = 0; i < th.size(); ++i) rows[index[th.Int(i, 0)]].themes.push_back(th.Text(i, 1));
  }
  return std::make_pair(std::move(rows), count.Int(0, 0));
}

Result<std::vector<GroupCount>> CommentRepository::ThemesByPeriod(Connection& c, const CommentFilter& f,
                                                                  int period_chars) {
  return Grouped(c,
                 std::string("SELECT SUBSTR(c.local_date, 1, CAST($9 AS INTEGER)), t.theme, COUNT(*) FROM comments c "
                             "JOIN comment_themes t ON t.comment_id = c.id") +
                     kWhere + " GROUP BY 1, 2 ORDER BY 1, 2",
                 f, period_chars);
}

Result<std::vector<GroupCount>> CommentRepository::SentimentByPeriod(Connection& c, const CommentFilter& f,
                                                                     int period_chars) {
  return Grouped(c,
                 std::string("SELECT SUBSTR(c.local_date, 1, CAST($9 AS INTEGER)), c.sentiment, COUNT(*) FROM "
                             "comments c") +
                     kWhere + " GROUP BY 1, 2 ORDER BY 1, 2",
                 f, period_chars);
}

Result<std::vector<GroupCount>> CommentRepository::SentimentByUnit(Connection& c, const CommentFilter& f,
                                                                   bool by_department) {
  return Grouped(c,
                 std::string("SELECT COALESCE(l.name, '(no location)') || CASE WHEN CAST($9 AS INTEGER) = 1 AND "
                             "c.department <> '' THEN ' / ' || c.department ELSE '' END, c.sentiment, COUNT(*) FROM "
                             "comments c LEFT JOIN locations l ON l.id = c.location_id") +
                     kWhere + " GROUP BY 1, 2 ORDER BY 1, 2",
                 f, by_department ? 1 : 0);
}

}  // namespace caredesk::db
