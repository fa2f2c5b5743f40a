#include "storage/fhir_source_repository.h"

namespace caredesk::db {
namespace {

constexpr char kPut[] =
    "INSERT INTO fhir_sources (resource_type, resource_id, version, written_at, original, projection) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr char kAtOrBefore[] =
    "SELECT resource_type, resource_id, version, written_at, original, projection FROM fhir_sources "
    "WHERE resource_type = $1 AND resource_id = $2 AND version <= $3 ORDER BY version DESC LIMIT 1";

FhirSourceRow ReadRow(const ResultSet& rs, size_t i) {
  return FhirSourceRow{rs.Text(i, 0), rs.Int(i, 1), rs.Int(i, 2), rs.Int(i, 3), rs.Text(i, 4), rs.Text(i, 5)};
}

}  // namespace

Result<std::vector<FhirSourceRow>> FhirSourceRepository::Latest(Connection& c, std::string_view type,
                                                                const std::vector<int64_t>& ids) {
  std::vector<FhirSourceRow> out;
  if (ids.empty()) return out;
  const bool pg = c.dialect() == Dialect::kPostgres;
  // Every version of those resources, in (id, version) order; the last of each id is kept. A resource has a
  // row per FHIR write, so few.
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(pg ? "SELECT resource_type, resource_id, version, written_at, original, projection FROM fhir_sources "
                   "WHERE resource_type = $1 AND resource_id = ANY($2::bigint[]) ORDER BY resource_id, version"
                 : "SELECT resource_type, resource_id, version, written_at, original, projection FROM fhir_sources "
                   "WHERE resource_type = $1 AND resource_id IN (SELECT value FROM json_each($2)) "
                   "ORDER BY resource_id, version",
              {std::string(type), IdListParam(c.dialect(), ids)}));
  for (size_t i = 0; i < rs.size(); ++i) {
    if (!out.empty() && out.back().resource_id == rs.Int(i, 1)) {
      out.back() = ReadRow(rs, i);
    } else {
      out.push_back(ReadRow(rs, i));
    }
  }
  return out;
}

Status FhirSourceRepository::Put(Connection& c, const FhirSourceRow& row) {
  CD_RETURN_IF_ERROR(
      c.Exec(kPut, {row.resource_type, row.resource_id, row.version, row.written_at, row.original, row.projection}));
  return Ok();
}

Result<std::optional<FhirSourceRow>> FhirSourceRepository::AtOrBefore(Connection& c, std::string_view type, int64_t id,
                                                                      int64_t version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kAtOrBefore, {std::string(type), id, version}));
  if (rs.empty()) return std::optional<FhirSourceRow>();
  return std::optional<FhirSourceRow>(ReadRow(rs, 0));
}

}  // namespace caredesk::db
