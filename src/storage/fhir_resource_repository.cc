#include "storage/fhir_resource_repository.h"

#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

constexpr char kColumns[] = "seq, resource_type, id, version, updated_at, deleted, patient_id, body";
constexpr char kHistoryColumns[] = "0, resource_type, id, version, updated_at, deleted, patient_id, body";

const std::string kFind = std::string("SELECT ") + kColumns + " FROM fhir_resources WHERE resource_type = $1 AND id = $2";
const std::string kFindForUpdate = kFind + " FOR UPDATE";
const std::string kFindVersion = std::string("SELECT ") + kColumns +
                                 " FROM fhir_resources WHERE resource_type = $1 AND id = $2 AND version = $3 "
                                 "UNION ALL SELECT " +
                                 kHistoryColumns +
                                 " FROM fhir_resource_history WHERE resource_type = $1 AND id = $2 AND version = $3";
const std::string kHistory = std::string("SELECT ") + kColumns +
                             " FROM fhir_resources WHERE resource_type = $1 AND id = $2 UNION ALL SELECT " +
                             kHistoryColumns +
                             " FROM fhir_resource_history WHERE resource_type = $1 AND id = $2 ORDER BY 4 DESC";
constexpr char kInsert[] =
    "INSERT INTO fhir_resources (resource_type, id, version, updated_at, deleted, patient_id, body) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr char kToHistory[] =
    "INSERT INTO fhir_resource_history (resource_type, id, version, updated_at, deleted, patient_id, body) "
    "SELECT resource_type, id, version, updated_at, deleted, patient_id, body FROM fhir_resources "
    "WHERE resource_type = $1 AND id = $2";
constexpr char kReplace[] =
    "UPDATE fhir_resources SET version = $3, updated_at = $4, deleted = $5, patient_id = $6, body = $7 "
    "WHERE resource_type = $1 AND id = $2";

FhirResourceRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  return FhirResourceRow{r.Int(0),      r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5) != 0,
                         r.OptInt(6).value_or(0), r.Text(7)};
}

std::vector<FhirResourceRow> ReadAll(const ResultSet& rs) {
  std::vector<FhirResourceRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

std::optional<int64_t> PatientParam(const FhirResourceRow& row) {
  return row.patient_id > 0 ? std::optional<int64_t>(row.patient_id) : std::nullopt;
}

void Filter(SqlBuilder& b, const FhirResourceCriteria& q) {
  b.And("resource_type = " + b.Bind(q.resource_type));
  b.And("deleted = 0");
  b.AndIn("id", q.ids);
  b.AndIn("patient_id", q.patients);
  b.AndInstants("updated_at", q.updated);
  if (q.about_a_patient) b.And("patient_id IS NOT NULL");
}

}  // namespace

Result<std::optional<FhirResourceRow>> FhirResourceRepository::Find(Connection& c, std::string_view type,
                                                                    std::string_view id, bool lock) {
  const bool for_update = lock && c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(for_update ? kFindForUpdate : kFind, {type, id}));
  if (rs.empty()) return std::optional<FhirResourceRow>();
  return std::optional<FhirResourceRow>(Read(rs, 0));
}

Result<std::optional<FhirResourceRow>> FhirResourceRepository::FindVersion(Connection& c, std::string_view type,
                                                                           std::string_view id, int64_t version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFindVersion, {type, id, version}));
  if (rs.empty()) return std::optional<FhirResourceRow>();
  return std::optional<FhirResourceRow>(Read(rs, 0));
}

Result<std::vector<FhirResourceRow>> FhirResourceRepository::History(Connection& c, std::string_view type,
                                                                     std::string_view id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kHistory, {type, id}));
  return ReadAll(rs);
}

Status FhirResourceRepository::Insert(Connection& c, const FhirResourceRow& row) {
  CD_RETURN_IF_ERROR(c.Exec(kInsert, {row.resource_type, row.id, row.version, row.updated_at, row.deleted,
                                      PatientParam(row), row.body}));
  return Ok();
}

Status FhirResourceRepository::Replace(Connection& c, const FhirResourceRow& row) {
  CD_RETURN_IF_ERROR(c.Exec(kToHistory, {row.resource_type, row.id}));
  CD_ASSIGN_OR_RETURN(int64_t changed, c.Exec(kReplace, {row.resource_type, row.id, row.version, row.updated_at,
                                                         row.deleted, PatientParam(row), row.body}));
  if (changed != 1) return Error::NotFound(row.resource_type + "/" + row.id + " is not stored");
  return Ok();
}

Result<std::vector<FhirResourceRow>> FhirResourceRepository::OfPatient(Connection& c, int64_t patient_id,
                                                                        bool lock) {
  const bool for_update = lock && c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + " FROM fhir_resources WHERE "
                                                "patient_id = $1 AND deleted = 0 ORDER BY seq" +
                                                (for_update ? " FOR UPDATE" : ""),
                                            {patient_id}));
  return ReadAll(rs);
}

Result<std::vector<FhirResourceRow>> FhirResourceRepository::Search(Connection& c, const FhirResourceCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  const std::string page = b.Page(q.page, "updated_at", "seq", 1);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(std::string("SELECT ") + kColumns + " FROM fhir_resources" +
                                                     b.Where() + page,
                                                 b.params()));
  return ReadAll(rs);
}

Result<int64_t> FhirResourceRepository::Count(Connection& c, const FhirResourceCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt("SELECT COUNT(*) FROM fhir_resources" + b.Where(), b.params()));
  return rs.Int(0, 0);
}

Result<std::vector<std::string>> FhirResourceRepository::Types(Connection& c, bool about_a_patient) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(about_a_patient ? "SELECT DISTINCT resource_type FROM fhir_resources "
                                                "WHERE deleted = 0 AND patient_id IS NOT NULL ORDER BY resource_type"
                                              : "SELECT DISTINCT resource_type FROM fhir_resources WHERE deleted = 0 "
                                                "ORDER BY resource_type"));
  std::vector<std::string> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(rs.Text(i, 0));
  return out;
}

Status FhirResourceRepository::PutImportName(Connection& c, std::string_view name, std::string_view target) {
  CD_RETURN_IF_ERROR(c.Exec("INSERT INTO fhir_import_names (name, target) VALUES ($1, $2) "
                            "ON CONFLICT (name) DO UPDATE SET target = excluded.target",
                            {name, target}));
  return Ok();
}

Status FhirResourceRepository::LockImportName(Connection& c, std::string_view name) {
  if (c.dialect() != Dialect::kPostgres) return Ok();
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT pg_advisory_xact_lock(hashtext($1)) IS NULL", {name}));
  (void)rs;
  return Ok();
}

Result<std::optional<std::string>> FhirResourceRepository::ImportName(Connection& c, std::string_view name) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT target FROM fhir_import_names WHERE name = $1", {name}));
  if (rs.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rs.Text(0, 0));
}

Result<std::vector<std::pair<std::string, std::string>>> FhirResourceRepository::ImportNames(
    Connection& c, const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> out;
  if (names.empty()) return out;
  const std::string param = TextListParam(names);
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(c.dialect() == Dialect::kPostgres
                                  ? "SELECT name, target FROM fhir_import_names "
                                    "WHERE name IN (SELECT jsonb_array_elements_text($1::jsonb))"
                                  : "SELECT name, target FROM fhir_import_names "
                                    "WHERE name IN (SELECT value FROM json_each($1))",
                              {param}));
  for (size_t i = 0; i < rs.size(); ++i) out.emplace_back(rs.Text(i, 0), rs.Text(i, 1));
  return out;
}

}  // namespace caredesk::db
