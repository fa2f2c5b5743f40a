#include "storage/patient_group_repository.h"

namespace caredesk::db {
namespace {

// Only two columns can be asked for, so the SQL is one of a few fixed texts.
const char* Column(PatientGroupKind kind) { return kind == PatientGroupKind::kLocation ? "location_id" : "provider_id"; }

// The group's patients, each once.
std::string MembersSql(PatientGroupKind kind) {
  const std::string column = Column(kind);
  return "SELECT patient_id FROM appointments WHERE " + column + " = $1 UNION "
         "SELECT patient_id FROM encounters WHERE " + column + " = $1";
}

}  // namespace

Result<std::vector<int64_t>> PatientGroupRepository::Members(Connection& c, PatientGroupKind kind, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(MembersSql(kind) + " ORDER BY 1", {id}));
  std::vector<int64_t> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(rs.Int(i, 0));
  return out;
}

Result<int64_t> PatientGroupRepository::Count(Connection& c, PatientGroupKind kind, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT COUNT(*) FROM (" + MembersSql(kind) + ") t", {id}));
  return rs.Int(0, 0);
}

Result<std::map<int64_t, int64_t>> PatientGroupRepository::Counts(Connection& c, PatientGroupKind kind) {
  const std::string column = Column(kind);
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("SELECT g, COUNT(*) FROM (SELECT " + column + " AS g, patient_id FROM appointments UNION "
                              "SELECT " + column + " AS g, patient_id FROM encounters WHERE " + column +
                              " IS NOT NULL) t GROUP BY g"));
  std::map<int64_t, int64_t> out;
  for (size_t i = 0; i < rs.size(); ++i) out[rs.Int(i, 0)] = rs.Int(i, 1);
  return out;
}

}  // namespace caredesk::db
