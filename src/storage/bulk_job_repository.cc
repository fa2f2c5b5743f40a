#include "storage/bulk_job_repository.h"

namespace caredesk::db {
namespace {

constexpr char kColumns[] =
    "id, kind, user_id, state, phase, done, total, transaction_time, request_url, result, error_kind, "
    "error_field, error_message, cancel, started_at, heartbeat_at, finished_at";

BulkJobRow ReadRow(const RowRef& r) {
  BulkJobRow row;
  row.id = r.Text(0);
  row.kind = r.Text(1);
  row.user_id = r.Int(2);
  row.state = r.Text(3);
  row.phase = r.Text(4);
  row.done = r.Int(5);
  row.total = r.Int(6);
  row.transaction_time = r.Text(7);
  row.request_url = r.Text(8);
  row.result = r.Text(9);
  row.error_kind = r.Text(10);
  row.error_field = r.Text(11);
  row.error_message = r.Text(12);
  row.cancel = r.Int(13) != 0;
  row.started_at = r.Int(14);
  row.heartbeat_at = r.Int(15);
  row.finished_at = r.OptInt(16);
  return row;
}

}  // namespace

Status BulkJobRepository::Insert(Connection& c, const BulkJobRow& row) {
  CD_RETURN_IF_ERROR(c.Exec(
      "INSERT INTO bulk_jobs (id, kind, user_id, state, phase, done, total, transaction_time, request_url, "
      "started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {row.id, row.kind, row.user_id, row.state, row.phase, row.done, row.total, row.transaction_time,
       row.request_url, row.started_at, row.heartbeat_at}));
  return Ok();
}

Result<std::optional<BulkJobRow>> BulkJobRepository::Find(Connection& c, const std::string& id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(std::string("SELECT ") + kColumns + " FROM bulk_jobs WHERE id = $1", {id}));
  if (rs.empty()) return std::optional<BulkJobRow>();
  return std::optional<BulkJobRow>(ReadRow(RowRef(rs, 0)));
}

Result<std::vector<BulkJobRow>> BulkJobRepository::List(Connection& c, int64_t user_id, const std::string& kind,
                                                        int limit) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns +
                                                " FROM bulk_jobs WHERE user_id = $1 AND kind = $2"
                                                " ORDER BY started_at DESC, id LIMIT $3",
                                            {user_id, kind, limit}));
  std::vector<BulkJobRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadRow(RowRef(rs, i)));
  return out;
}

Result<int64_t> BulkJobRepository::CountRunning(Connection& c, const std::string& kind, int64_t alive_since) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT COUNT(*) FROM bulk_jobs WHERE state = 'running' AND kind = $1"
                                            " AND heartbeat_at >= $2",
                                            {kind, alive_since}));
  return rs.Int(0, 0);
}

Result<std::optional<bool>> BulkJobRepository::Beat(Connection& c, const std::string& id, const std::string& phase,
                                                    int64_t done, int64_t total, int64_t now) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("UPDATE bulk_jobs SET phase = $2, done = $3, total = $4, heartbeat_at = $5"
                                            " WHERE id = $1 AND state = 'running' RETURNING cancel",
                                            {id, phase, done, total, now}));
  if (rs.empty()) return std::optional<bool>();
  return std::optional<bool>(rs.Int(0, 0) != 0);
}

Result<bool> BulkJobRepository::Finish(Connection& c, const BulkJobRow& row) {
  CD_ASSIGN_OR_RETURN(int64_t changed,
                      c.Exec("UPDATE bulk_jobs SET state = $2, phase = $3, done = $4, total = $5, result = $6,"
                             " error_kind = $7, error_field = $8, error_message = $9, heartbeat_at = $10,"
                             " finished_at = $10 WHERE id = $1 AND state = 'running'",
                             {row.id, row.state, row.phase, row.done, row.total, row.result, row.error_kind,
                              row.error_field, row.error_message, row.finished_at}));
  return changed > 0;
}

Result<std::vector<std::string>> BulkJobRepository::FailStale(Connection& c, int64_t alive_since,
                                                              const std::string& message, int64_t now) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("UPDATE bulk_jobs SET state = 'failed', error_kind = 'unavailable', error_field = '',"
                              " error_message = $2, finished_at = $3"
                              " WHERE state = 'running' AND heartbeat_at < $1 RETURNING id",
                              {alive_since, message, now}));
  std::vector<std::string> ids;
  for (size_t i = 0; i < rs.size(); ++i) ids.push_back(rs.Text(i, 0));
  return ids;
}

Status BulkJobRepository::RequestCancel(Connection& c, const std::string& id) {
  CD_RETURN_IF_ERROR(c.Exec("UPDATE bulk_jobs SET cancel = 1 WHERE id = $1", {id}));
  return Ok();
}

Result<bool> BulkJobRepository::Delete(Connection& c, const std::string& id) {
  CD_ASSIGN_OR_RETURN(int64_t changed, c.Exec("DELETE FROM bulk_jobs WHERE id = $1", {id}));
  return changed > 0;
}

Result<std::vector<std::string>> BulkJobRepository::FinishedBefore(Connection& c, int64_t before) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT id FROM bulk_jobs WHERE state <> 'running' AND finished_at < $1"
                                            " ORDER BY finished_at",
                                            {before}));
  std::vector<std::string> ids;
  for (size_t i = 0; i < rs.size(); ++i) ids.push_back(rs.Text(i, 0));
  return ids;
}

}  // namespace caredesk::db
