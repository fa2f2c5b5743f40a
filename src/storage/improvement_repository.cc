#include "storage/improvement_repository.h"

#include <map>

namespace caredesk::db {
namespace {

constexpr char kColumns[] =
    "p.id, p.title, p.aim, p.metric_key, p.location_id, p.owner, p.start_date, p.end_date, p.target, p.status, "
    "p.created_at, p.created_by, p.updated_at, COALESCE(l.name, '')";
constexpr char kFrom[] = " FROM improvement_projects p LEFT JOIN locations l ON l.id = p.location_id";

ProjectRow ReadProject(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  ProjectRow p;
  p.id = r.Int(0);
  p.title = r.Text(1);
  p.aim = r.Text(2);
  p.metric_key = r.Text(3);
  p.location_id = r.OptInt(4);
  p.owner = r.Text(5);
  p.start_date = r.Text(6);
  p.end_date = r.OptText(7);
  if (!r.IsNull(8)) p.target = r.Double(8);
  p.status = r.Text(9);
  p.created_at = r.Int(10);
  p.created_by = r.Text(11);
  p.updated_at = r.Int(12);
  p.location_name = r.Text(13);
  return p;
}

// Loads the cycles of `projects` (by id) in one query.
Status LoadCycles(Connection& c, std::vector<ProjectRow>& projects) {
  if (projects.empty()) return Ok();
  std::vector<int64_t> ids;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < projects.size(); ++i) {
    ids.push_back(projects[i].id);
    index[projects[i].id] = i;
  }
  const bool pg = c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(std::string("SELECT id, project_id, title, plan, do_notes, study, act, start_date, end_date "
                          "FROM pdsa_cycles WHERE project_id ") +
                  (pg ? "= ANY($1::bigint[])" : "IN (SELECT value FROM json_each($1))") +
                  " ORDER BY project_id, start_date, id",
              {IdListParam(c.dialect(), ids)}));
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    PdsaCycleRow cy{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7),
                    r.OptText(8)};
    projects[index[cy.project_id]].cycles.push_back(std::move(cy));
  }
  return Ok();
}

}  // namespace

Result<int64_t> ImprovementRepository::Insert(Connection& c, const ProjectRow& p) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("INSERT INTO improvement_projects (title, aim, metric_key, location_id, owner, start_date, end_date, "
              "target, status, created_at, created_by, updated_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
              {p.title, p.aim, p.metric_key, p.location_id, p.owner, p.start_date, p.end_date, p.target, p.status,
               p.created_at, p.created_by, p.updated_at}));
  return rs.Int(0, 0);
}

Status ImprovementRepository::Update(Connection& c, const ProjectRow& p) {
  return StatusOf(c.Exec("UPDATE improvement_projects SET title = $2, aim = $3, metric_key = $4, location_id = $5, "
                         "owner = $6, start_date = $7, end_date = $8, target = $9, status = $10, updated_at = $11 "
                         "WHERE id = $1",
                         {p.id, p.title, p.aim, p.metric_key, p.location_id, p.owner, p.start_date, p.end_date,
                          p.target, p.status, p.updated_at}));
}

Result<std::optional<ProjectRow>> ImprovementRepository::Find(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + kFrom + " WHERE p.id = $1", {id}));
  if (rs.empty()) return std::optional<ProjectRow>();
  std::vector<ProjectRow> one{ReadProject(rs, 0)};
  CD_RETURN_IF_ERROR(LoadCycles(c, one));
  return std::optional<ProjectRow>(std::move(one.front()));
}

Result<std::vector<ProjectRow>> ImprovementRepository::List(Connection& c, const ProjectFilter& f) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + kFrom +
      " WHERE (CAST($1 AS TEXT) IS NULL OR p.metric_key = $1) "
      "AND (CAST($2 AS BIGINT) IS NULL OR p.location_id = $2 OR ($4 = 1 AND p.location_id IS NULL)) "
      "AND (CAST($3 AS TEXT) IS NULL OR p.status = $3) "
      "AND (CAST($5 AS TEXT) = '' OR p.end_date IS NULL OR p.end_date >= $5) "
      "AND (CAST($6 AS TEXT) = '' OR p.start_date <= $6) "
      "ORDER BY CASE WHEN p.status = 'active' THEN 0 ELSE 1 END, p.start_date DESC, p.id DESC LIMIT 500";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {f.metric_key, f.location_id, f.status,
                                                  int64_t{f.include_all_locations ? 1 : 0}, f.from_date,
                                                  f.to_date}));
  std::vector<ProjectRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadProject(rs, i));
  CD_RETURN_IF_ERROR(LoadCycles(c, out));
  return out;
}

Result<int64_t> ImprovementRepository::InsertCycle(Connection& c, const PdsaCycleRow& r) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("INSERT INTO pdsa_cycles (project_id, title, plan, do_notes, study, act, start_date, "
                              "end_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                              {r.project_id, r.title, r.plan, r.do_notes, r.study, r.act, r.start_date, r.end_date}));
  return rs.Int(0, 0);
}

Status ImprovementRepository::UpdateCycle(Connection& c, const PdsaCycleRow& r) {
  return StatusOf(c.Exec("UPDATE pdsa_cycles SET title = $3, plan = $4, do_notes = $5, study = $6, act = $7, "
                         "start_date = $8, end_date = $9 WHERE id = $1 AND project_id = $2",
                         {r.id, r.project_id, r.title, r.plan, r.do_notes, r.study, r.act, r.start_date,
                          r.end_date}));
}

Result<bool> ImprovementRepository::DeleteCycle(Connection& c, int64_t project_id, int64_t cycle_id) {
  CD_ASSIGN_OR_RETURN(int64_t n,
                      c.Exec("DELETE FROM pdsa_cycles WHERE id = $1 AND project_id = $2", {cycle_id, project_id}));
  return n == 1;
}

}  // namespace caredesk::db
