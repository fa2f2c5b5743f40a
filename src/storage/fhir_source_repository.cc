#include "storage/fhir_source_repository.h"

namespace caredesk::db {
namespace {

constexpr char kPut[] =
    "INSERT INTO fhir_sources (resource_type, resource_id, version, written_at, original, projection) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr char kAtOrBefore[] =
    "SELECT resource_type, resource_id, version, written_at, original, projection FROM fhir_sources "
    "WHERE resource_type = $1 AND resource_id = $2 AND version <= $3 ORDER BY version DESC LIMIT 1";

}  // namespace

Status FhirSourceRepository::Put(Connection& c, const FhirSourceRow& row) {
  CD_RETURN_IF_ERROR(
      c.Exec(kPut, {row.resource_type, row.resource_id, row.version, row.written_at, row.original, row.projection}));
  return Ok();
}

Result<std::optional<FhirSourceRow>> FhirSourceRepository::AtOrBefore(Connection& c, std::string_view type, int64_t id,
                                                                      int64_t version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kAtOrBefore, {std::string(type), id, version}));
  if (rs.empty()) return std::optional<FhirSourceRow>();
  return std::optional<FhirSourceRow>(
      FhirSourceRow{rs.Text(0, 0), rs.Int(0, 1), rs.Int(0, 2), rs.Int(0, 3), rs.Text(0, 4), rs.Text(0, 5)});
}

}  // namespace caredesk::db
