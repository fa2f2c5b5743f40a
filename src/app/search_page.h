// One page of a search by exact criteria (FHIR's searches over appointments, encounters and coverages): the
// rows, whether there are more after them, and the count of every match when it was asked for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "app/audit_log.h"
#include "storage/pool.h"

namespace caredesk {

template <typename Row>
struct SearchPage {
  std::vector<Row> rows;
  bool more = false;
  std::optional<int64_t> total;
};

// The audit entries of a search that showed `rows` and named `named` patients in its criteria: one
// "search" entry per patient, whose data the answer disclosed (rows) or whose records it counted (named).
template <typename Row>
std::vector<AuditRecord> SearchAuditRecords(AuditLog& audit, const Actor& by, const char* category,
                                            const std::vector<Row>& rows, const std::vector<std::vector<int64_t>>& named,
                                            const std::string& detail) {
  std::vector<int64_t> patients;
  for (const Row& r : rows) patients.push_back(r.patient_id);
  for (const auto& any : named) patients.insert(patients.end(), any.begin(), any.end());
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  std::vector<AuditRecord> records;
  for (int64_t id : patients) {
    if (id > 0) records.push_back(audit.Make(by, "search", category, id, "success", detail));
  }
  return records;
}

// A search through `Repository` (static Search, one row more than the page when there is a next one, and
// Count) for criteria with `page` (KeyedPage) and `patients`: the page's rows unless `rows` is false, the
// total when `count`, on one connection; then each patient shown or named audited under `category`.
template <typename Row, typename Repository, typename Criteria>
Result<SearchPage<Row>> ReadSearchPage(db::Pool& pool, AuditLog& audit, const Actor& by, const Criteria& q,
                                       bool count, bool rows, const char* category, const std::string& detail) {
  SearchPage<Row> page;
  {
    auto conn = pool.Acquire();
    if (rows && q.page.limit > 0) {
      CD_ASSIGN_OR_RETURN(page.rows, Repository::Search(*conn, q));
      page.more = static_cast<int>(page.rows.size()) > q.page.limit;
      if (page.more) page.rows.resize(q.page.limit);
    }
    if (count) {
      CD_ASSIGN_OR_RETURN(page.total, Repository::Count(*conn, q));
    }
  }
  CD_RETURN_IF_ERROR(audit.Record(SearchAuditRecords(audit, by, category, page.rows, q.patients, detail)));
  return page;
}

}  // namespace caredesk
