#include "app/coverage_service.h"

namespace caredesk {

Result<db::CoverageRow> CoverageService::Get(const Actor& by, int64_t id) {
  std::optional<db::CoverageRow> row;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(row, db::CoverageRepository::Find(*conn, id));
  }
  if (!row) return Error::NotFound("no coverage with id " + std::to_string(id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kCoverage, row->patient_id, "success",
                                               "coverage " + std::to_string(id))));
  return *std::move(row);
}

Result<SearchPage<db::CoverageRow>> CoverageService::Search(const Actor& by, const CoverageCriteria& q, bool count,
                                                            bool rows) {
  return ReadSearchPage<db::CoverageRow, db::CoverageRepository>(pool_, audit_, by, q, count, rows,
                                                                 audit_category::kCoverage, "coverage search");
}

}  // namespace caredesk
