#include "storage/patient_identifier_repository.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO patient_identifiers (patient_id, system, value, type, created_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (system, value) DO NOTHING";
constexpr char kFind[] = "SELECT patient_id, system, value, type FROM patient_identifiers WHERE system = $1 AND value = $2";
constexpr char kForPatient[] =
    "SELECT patient_id, system, value, type FROM patient_identifiers WHERE patient_id = $1 ORDER BY system, value";

constexpr char kForPatientsSqlite[] =
    "SELECT patient_id, system, value, type FROM patient_identifiers WHERE patient_id IN (SELECT value FROM json_each($1)) "
    "ORDER BY patient_id, system, value";
constexpr char kForPatientsPostgres[] =
    "SELECT patient_id, system, value, type FROM patient_identifiers WHERE patient_id = ANY($1::bigint[]) "
    "ORDER BY patient_id, system, value";

PatientIdentifierRow Read(const ResultSet& rs, size_t i) {
  return PatientIdentifierRow{rs.Int(i, 0), rs.Text(i, 1), rs.Text(i, 2), rs.Text(i, 3)};
}

}  // namespace

Result<bool> PatientIdentifierRepository::Add(Connection& c, const PatientIdentifierRow& row, int64_t at) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kInsert, {row.patient_id, row.system, row.value, row.type, at}));
  if (n == 1) return true;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFind, {row.system, row.value}));
  if (!rs.empty() && rs.Int(0, 0) == row.patient_id) return false;
  return Error::Conflict("identifier_taken",
                         "identifier " + row.value + " of " + row.system + " belongs to another patient",
                         row.system + "|" + row.value);
}

Result<std::vector<PatientIdentifierRow>> PatientIdentifierRepository::FindAny(Connection& c,
                                                                               const std::vector<IdentifierKey>& keys) {
  std::vector<PatientIdentifierRow> out;
  for (const IdentifierKey& k : keys) {
    CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFind, {k.system, k.value}));
    if (!rs.empty()) out.push_back(Read(rs, 0));
  }
  return out;
}

Result<std::vector<PatientIdentifierRow>> PatientIdentifierRepository::ForPatient(Connection& c, int64_t patient_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kForPatient, {patient_id}));
  std::vector<PatientIdentifierRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

Result<std::vector<PatientIdentifierRow>> PatientIdentifierRepository::ForPatients(Connection& c,
                                                                                   const std::vector<int64_t>& ids) {
  std::vector<PatientIdentifierRow> out;
  if (ids.empty()) return out;
  const char* sql = c.dialect() == Dialect::kSqlite ? kForPatientsSqlite : kForPatientsPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {IdListParam(c.dialect(), ids)}));
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

}  // namespace caredesk::db
