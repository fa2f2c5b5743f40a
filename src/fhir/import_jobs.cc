#include "fhir/import_jobs.h"

#include <fstream>

#include "core/civil_time.h"
#include "domain/security/credentials.h"

namespace caredesk::fhir {
namespace fs = std::filesystem;

struct ImportJobs::Job {
  std::string id;
  Actor actor;
  fs::path dir;
  std::string transaction_time;
  std::mutex mu;  // guards the status below
  ImportStatus::State state = ImportStatus::State::kRunning;
  std::string phase = "reading";
  int64_t done = 0;
  int64_t total = 0;
  ImportReport report;
  Error error;
  std::thread thread;
};

ImportJobs::~ImportJobs() {
  std::map<std::string, std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
    std::error_code ec;
    fs::remove_all(job->dir, ec);
  }
}

Result<std::string> ImportJobs::Start(const Actor& by, std::string body, bool ndjson) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("body", "the body is empty: send ndjson (one resource a line) or a Bundle");
  }
  auto job = std::make_shared<Job>();
  job->id = RandomToken(18);
  job->actor = by;
  job->dir = dir_ / job->id;
  job->transaction_time = FormatInstantUtc(clock_.Now());
  const fs::path input = job->dir / (ndjson ? "input.ndjson" : "input.json");
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, j] : jobs_) {
      std::lock_guard job_lock(j->mu);
      if (j->state == ImportStatus::State::kRunning) {
        return Error::Conflict("import_running", "an import is running; try again when it has finished");
      }
    }
    std::error_code ec;
    fs::create_directories(job->dir, ec);
    if (ec) return Error::Internal("cannot create the import directory " + job->dir.string() + ": " + ec.message());
    std::ofstream out(input, std::ios::binary);
    out << body;
    out.close();
    if (!out) return Error::Internal("cannot write " + input.string());
    jobs_[job->id] = job;
  }
  job->thread = std::thread([this, job, input] {
    auto report = importer_.Import(job->actor, {input}, [&](std::string_view phase, int64_t done, int64_t total) {
      std::lock_guard lock(job->mu);
      job->phase = std::string(phase);
      job->done = done;
      job->total = total;
    });
    std::lock_guard lock(job->mu);
    if (report.ok()) {
      job->state = ImportStatus::State::kDone;
      job->report = std::move(report).value();
    } else {
      job->state = ImportStatus::State::kFailed;
      job->error = report.error();
      // The importer's input is this job's body.
      if (job->error.field == "input") job->error.field = "body";
    }
  });
  return job->id;
}

Result<std::shared_ptr<ImportJobs::Job>> ImportJobs::Find(const Actor& by, const std::string& id) {
  std::lock_guard lock(mu_);
  auto found = jobs_.find(id);
  if (found == jobs_.end() || found->second->actor.user_id != by.user_id) {
    return Error::NotFound("no import " + id + " (unknown, deleted, or started by another user)");
  }
  return found->second;
}

Result<ImportStatus> ImportJobs::Poll(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(auto job, Find(by, id));
  std::lock_guard lock(job->mu);
  ImportStatus s;
  s.state = job->state;
  s.phase = job->phase;
  s.done = job->done;
  s.total = job->total;
  s.transaction_time = job->transaction_time;
  s.report = job->report;
  s.error = job->error;
  return s;
}

Status ImportJobs::Delete(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(auto job, Find(by, id));
  {
    std::lock_guard lock(job->mu);
    if (job->state == ImportStatus::State::kRunning) {
      return Error::Conflict("import_running", "the import is running; delete it when it has finished");
    }
  }
  {
    std::lock_guard lock(mu_);
    jobs_.erase(id);
  }
  if (job->thread.joinable()) job->thread.join();
  std::error_code ec;
  fs::remove_all(job->dir, ec);
  return Ok();
}

}  // namespace caredesk::fhir
