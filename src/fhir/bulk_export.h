// FHIR Bulk Data export ($export) with the asynchronous request pattern: a kick-off starts a job on its own
// thread and answers at once; the job writes one ndjson file per resource type; its status is polled until
// the manifest lists the files, which are then fetched with the same bearer token. System level exports
// every type CareDesk serves, and every type kept as sent (resource_store.h) that has resources; Patient
// level the patient compartment (Patient, Appointment, Encounter, Coverage, and the resources kept as sent
// that are about a patient); Group level the same for the patients of a group (group_store.h) only.
//
// Patients are read through PatientService::Match (so each one exported is audited as read, as a search
// page would be) and served as PatientStore serves them (what a FHIR writer sent kept); appointments,
// encounters and coverages through their services' searches (audited per patient). A coverage changes with
// its patient, so _since exports the coverages of the patients changed since. Jobs are kept by the ledger
// (bulk_jobs.h): their status and files outlive a restart until they expire or are deleted; an export the
// server stops half-way is failed as interrupted. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/actor.h"
#include "app/appointment_service.h"
#include "app/coverage_service.h"
#include "app/flow_service.h"
#include "app/patient_service.h"
#include "app/schedule_service.h"
#include "fhir/bulk_jobs.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"

namespace caredesk::fhir {

// The types each level exports, in the order written.
const std::vector<std::string>& SystemExportTypes();
const std::vector<std::string>& PatientExportTypes();

struct ExportRequest {
  bool patient_level = false;
  std::vector<std::string> types;      // the types asked for (_type), or all of the level's
  bool all_types = true;               // no _type: also every type kept as sent that has resources
  std::optional<int64_t> since_ms;     // _since: what changed at or after it
  // A Group-level export: only these patients' data (a group's members, ascending); patient_level is true.
  std::optional<std::vector<int64_t>> patients;
  std::string request_url;             // as the client sent it, for the manifest
};

// _type (comma-separated), _since (an instant) and _outputFormat (ndjson only) of a kick-off; errors are
// 400s naming the parameter.
Result<ExportRequest> ReadExportRequest(const std::vector<std::pair<std::string, std::string>>& query,
                                        bool patient_level);

struct ExportFile {
  std::string type;
  std::string name;  // the file's name within the job
  int64_t count = 0;
};

struct ExportStatus {
  enum class State { kRunning, kDone, kFailed };
  State state = State::kRunning;
  int64_t written = 0;             // resources written so far
  std::string transaction_time;    // when the job started (instant)
  std::string request_url;
  std::vector<ExportFile> files;   // when done
  std::string error;               // when failed
  bool interrupted = false;        // failed because the process running it stopped (or it was stopped)
  std::optional<TimePoint> expires_at;  // when finished: its files are deleted then
};

class BulkExporter {
 public:
  BulkExporter(PatientService& patients, PatientStore& store, ScheduleService& schedule,
               AppointmentService& appointments, FlowService& flow, CoverageService& coverages,
               ResourceStore& resources, BulkJobs& jobs);
  ~BulkExporter();  // stops this process's running jobs (failed as interrupted) and waits for them

  // A new job's id. Conflict "too_many_exports" while BulkJobs::kMaxExports are running.
  Result<std::string> Start(const Actor& by, ExportRequest request);
  // NotFound for an unknown (deleted, expired) job, also one another user started.
  Result<ExportStatus> Poll(const Actor& by, const std::string& job);
  // `by`'s latest exports, newest first.
  Result<std::vector<std::pair<std::string, ExportStatus>>> List(const Actor& by, int limit);
  // Stops the job if it runs and deletes it and its files.
  ::caredesk::Status Delete(const Actor& by, const std::string& job);
  // The path of one of a finished job's files.
  Result<std::filesystem::path> File(const Actor& by, const std::string& job, const std::string& name);

 private:
  struct Job;
  void Run(const std::shared_ptr<Job>& job);
  ::caredesk::Status Export(Job& job, std::vector<ExportFile>& files);
  void Reap();  // joins the threads of jobs that have ended

  PatientService& patients_;
  PatientStore& store_;
  ScheduleService& schedule_;
  AppointmentService& appointments_;
  FlowService& flow_;
  CoverageService& coverages_;
  ResourceStore& resources_;
  BulkJobs& jobs_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Job>> threads_;  // this process's jobs with a thread, guarded by mu_
};

}  // namespace caredesk::fhir
