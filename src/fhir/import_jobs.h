// FHIR $import over HTTP with the asynchronous request pattern: a kick-off hands over ndjson (or a Bundle),
// which a job imports on its own thread through FhirImporter (what `caredesk import fhir` does); its status is
// polled, with the phase and how far it is, until the report. One import runs at a time, over every server
// process on the database. Jobs are kept by the ledger (bulk_jobs.h): the status and report outlive a restart
// until they expire or are deleted; an import whose process died is failed as interrupted (what it wrote
// stays). The data sent is kept in a file of the job's while it runs. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fhir/bulk_jobs.h"
#include "fhir/importer.h"

namespace caredesk::fhir {

struct ImportStatus {
  enum class State { kRunning, kDone, kFailed };
  State state = State::kRunning;
  std::string phase;  // reading, patients, resources
  int64_t done = 0;
  int64_t total = 0;
  std::string transaction_time;  // when the job started
  std::string request_url;       // the kick-off's
  ImportReport report;           // when done
  Error error;                   // when failed: nothing readable in the body (400, field "body"), the
                                 // database failed (5xx), or the job's process stopped (503, interrupted)
  std::optional<TimePoint> expires_at;  // when finished
};

// An import's report as the ledger keeps it, and back (what cannot be read is left empty).
std::string ImportReportJson(const ImportReport& report);
ImportReport ReadImportReport(const std::string& json);

class ImportJobs {
 public:
  ImportJobs(FhirImporter& importer, BulkJobs& jobs) : importer_(importer), jobs_(jobs) {}
  ~ImportJobs();  // waits for the running import

  // A new job importing `body`: ndjson (one resource a line) when `ndjson`, else a JSON Bundle or resource;
  // `request_url` is the kick-off's, for the status. Conflict "import_running" while another runs; 400 naming
  // the body when it is empty.
  Result<std::string> Start(const Actor& by, std::string body, bool ndjson, std::string request_url = {});
  // NotFound for an unknown (deleted, expired) job, also one another user started.
  Result<ImportStatus> Poll(const Actor& by, const std::string& job);
  // `by`'s latest imports, newest first.
  Result<std::vector<std::pair<std::string, ImportStatus>>> List(const Actor& by, int limit);
  // Forgets a finished job; Conflict "import_running" while it runs (an import that has begun writing is
  // not stopped half-way).
  Status Delete(const Actor& by, const std::string& job);

 private:
  void Reap();

  FhirImporter& importer_;
  BulkJobs& jobs_;
  std::mutex mu_;
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads_;  // (ended, thread), guarded by mu_
};

}  // namespace caredesk::fhir
