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
  SearchPage<db::CoverageRow> page;
  {
    auto conn = pool_.Acquire();
    if (rows && q.page.limit > 0) {
      CD_ASSIGN_OR_RETURN(page.rows, db::CoverageRepository::Search(*conn, q));
      page.more = static_cast<int>(page.rows.size()) > q.page.limit;
      if (page.more) page.rows.resize(q.page.limit);
    }
    if (count) {
      CD_ASSIGN_OR_RETURN(page.total, db::CoverageRepository::Count(*conn, q));
    }
  }
  CD_RETURN_IF_ERROR(audit_.Record(
      SearchAuditRecords(audit_, by, audit_category::kCoverage, page.rows, q.patients, "coverage search")));
  return page;
}

}  // namespace caredesk
