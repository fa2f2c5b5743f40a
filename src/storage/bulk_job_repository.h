// The `bulk_jobs` table (migration 0031): FHIR $export and $import jobs, their progress and outcome, read by
// any server process on the database. Times are epoch milliseconds. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct BulkJobRow {
  std::string id;
  std::string kind;             // export | import
  int64_t user_id = 0;
  std::string state;            // running | done | failed
  std::string phase;
  int64_t done = 0;
  int64_t total = 0;
  std::string transaction_time;
  std::string request_url;
  std::string result;           // JSON
  std::string error_kind;       // invalid | unavailable | internal; "" unless failed
  std::string error_field;
  std::string error_message;
  bool cancel = false;
  int64_t started_at = 0;
  int64_t heartbeat_at = 0;
  std::optional<int64_t> finished_at;
};

class BulkJobRepository {
 public:
  // Conflict "unique_violation" when it is an import and another import is running.
  static Status Insert(Connection& c, const BulkJobRow& row);
  static Result<std::optional<BulkJobRow>> Find(Connection& c, const std::string& id);
  // A user's jobs of one kind, newest first.
  static Result<std::vector<BulkJobRow>> List(Connection& c, int64_t user_id, const std::string& kind, int limit);
  // Running jobs of a kind whose heartbeat is at or after `alive_since`.
  static Result<int64_t> CountRunning(Connection& c, const std::string& kind, int64_t alive_since);

  // A running job's progress and heartbeat. The job's cancel flag, or nullopt when the row is gone (deleted).
  static Result<std::optional<bool>> Beat(Connection& c, const std::string& id, const std::string& phase,
                                          int64_t done, int64_t total, int64_t now);
  // A running job's end: state done or failed, with its result or error. False when it was not running.
  static Result<bool> Finish(Connection& c, const BulkJobRow& row);
  // Running jobs whose heartbeat stopped before `alive_since` become failed with `message`; their ids.
  static Result<std::vector<std::string>> FailStale(Connection& c, int64_t alive_since, const std::string& message,
                                                    int64_t now);
  static Status RequestCancel(Connection& c, const std::string& id);
  static Result<bool> Delete(Connection& c, const std::string& id);
  // Finished jobs that ended before `before`: their ids (their rows are deleted by Delete).
  static Result<std::vector<std::string>> FinishedBefore(Connection& c, int64_t before);
};

}  // namespace caredesk::db
