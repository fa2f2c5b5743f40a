#include "storage/coverage_repository.h"

#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

constexpr char kSelect[] =
    "SELECT c.id, c.patient_id, c.payer, c.member_id, c.group_number, c.relationship, c.start_date, c.end_date, "
    "p.given_name || ' ' || p.family_name FROM coverages c JOIN patients p ON p.id = c.patient_id ";

CoverageRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  CoverageRow row;
  row.id = r.Int(0);
  row.patient_id = r.Int(1);
  row.coverage = Coverage{row.id, r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.OptDate(6), r.OptDate(7)};
  row.patient_name = r.Text(8);
  return row;
}

void Filter(SqlBuilder& b, const CoverageCriteria& q) {
  b.AndIn("c.id", q.ids);
  b.AndIn("c.patient_id", q.patients);
  b.AndIn("c.member_id", q.member_ids);
  b.AndIn("c.group_number", q.groups);
  b.AndIn("c.payer", q.payers);
  b.AndInstants("p.updated_at", q.patient_updated);
}

}  // namespace

Result<std::optional<CoverageRow>> CoverageRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kSelect) + "WHERE c.id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<CoverageRow>();
  return std::optional<CoverageRow>(Read(rs, 0));
}

Result<std::vector<CoverageRow>> CoverageRepository::Search(Connection& c, const CoverageCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  const std::string page = b.Page(q.page, "c.id", "c.id", 1);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(std::string(kSelect) + b.Where() + page, b.params()));
  std::vector<CoverageRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

Result<int64_t> CoverageRepository::Count(Connection& c, const CoverageCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(
                                        "SELECT COUNT(*) FROM coverages c JOIN patients p ON p.id = c.patient_id" +
                                            b.Where(),
                                        b.params()));
  return rs.Int(0, 0);
}

}  // namespace caredesk::db
