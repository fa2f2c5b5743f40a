// FHIR $import over HTTP with the asynchronous request pattern: a kick-off hands over ndjson (or a Bundle),
// which a job imports on its own thread through FhirImporter (what `caredesk import fhir` does); its status is
// polled, with the phase and how far it is, until the report. One import runs at a time. Jobs live in memory
// (a restart loses them, the data they wrote stays); the data sent is kept in a file of the job's until the
// job is deleted or the server stops. Thread-safe.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "fhir/importer.h"

namespace caredesk::fhir {

struct ImportStatus {
  enum class State { kRunning, kDone, kFailed };
  State state = State::kRunning;
  std::string phase;  // reading, patients, resources
  int64_t done = 0;
  int64_t total = 0;
  std::string transaction_time;  // when the job started
  ImportReport report;           // when done
  Error error;                   // when failed: nothing readable in the body (400, field "body"), or the
                                 // database failed (5xx)
};

class ImportJobs {
 public:
  ImportJobs(FhirImporter& importer, const Clock& clock, std::filesystem::path dir)
      : importer_(importer), clock_(clock), dir_(std::move(dir)) {}
  ~ImportJobs();  // waits for the running import and deletes every job's files

  // A new job importing `body`: ndjson (one resource a line) when `ndjson`, else a JSON Bundle or resource.
  // Conflict "import_running" while another runs; 400 naming the body when it is empty.
  Result<std::string> Start(const Actor& by, std::string body, bool ndjson);
  // NotFound for an unknown (or deleted) job, also one another user started.
  Result<ImportStatus> Poll(const Actor& by, const std::string& job);
  // Forgets a finished job and deletes its file; Conflict "import_running" while it runs (an import that
  // has begun writing is not stopped half-way).
  Status Delete(const Actor& by, const std::string& job);

 private:
  struct Job;
  Result<std::shared_ptr<Job>> Find(const Actor& by, const std::string& id);

  FhirImporter& importer_;
  const Clock& clock_;
  std::filesystem::path dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // guarded by mu_
};

}  // namespace caredesk::fhir
