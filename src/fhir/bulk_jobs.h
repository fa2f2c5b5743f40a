// The ledger of FHIR bulk jobs, $export and $import (bulk_export.h, import_jobs.h): each job is a row of
// bulk_jobs (migration 0031) and a directory of files under `dir` named by its id. So a job's status, its
// manifest and its files outlive a restart of the server, and any server process on the database answers
// for it. The work itself runs on a thread of the process that started it.
//
// - A keeper thread writes each of this process's running jobs' progress every `tick`, which is also its
//   heartbeat. A job whose heartbeat is older than `stale_after` died with its process: it is failed,
//   "interrupted", when next looked at. What it wrote stays; an export's files are deleted.
// - Deleting a job running in another process asks that process to stop it (the cancel flag, read at its
//   next beat).
// - A finished job and its files are kept for `keep_for` after it ended, then deleted (its status is then
//   404), as the Bulk Data manifest's Expires header says. A job directory without a row, untouched for
//   longer than that, is deleted too.
// - Only one import runs at a time over all processes (a unique index); exports at most kMaxExports.
//
// Jobs are the user's who started them: another user's are NotFound. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/actor.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/bulk_job_repository.h"
#include "storage/pool.h"

namespace caredesk::fhir {

enum class BulkKind { kExport, kImport };

struct BulkJob {
  enum class State { kRunning, kDone, kFailed };
  std::string id;
  BulkKind kind = BulkKind::kExport;
  State state = State::kRunning;
  std::string phase;
  int64_t done = 0;
  int64_t total = 0;
  std::string transaction_time;
  std::string request_url;
  std::string result;  // JSON written by the job's owner when done
  Error error;         // when failed
  TimePoint started_at{};
  std::optional<TimePoint> expires_at;  // when finished
};

class BulkJobs {
 public:
  struct Options {
    std::chrono::milliseconds tick{1000};
    std::chrono::milliseconds stale_after{30'000};
    std::chrono::milliseconds keep_for{std::chrono::hours(24)};
  };
  static constexpr int kMaxExports = 2;

  // What the thread doing a job shares with the ledger: the progress it reports and the stop it obeys.
  class Running {
   public:
    const std::string& id() const { return id_; }
    const std::filesystem::path& dir() const { return dir_; }
    void Report(std::string_view phase, int64_t done, int64_t total);
    void Add(int64_t done);  // done += n
    bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
    void RequestStop() { stop_ = true; }

   private:
    friend class BulkJobs;
    std::string id_;
    std::filesystem::path dir_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mu_;  // guards the progress
    std::string phase_;
    int64_t done_ = 0;
    int64_t total_ = 0;
  };

  BulkJobs(db::Pool& pool, const Clock& clock, std::filesystem::path dir, Options options);
  BulkJobs(db::Pool& pool, const Clock& clock, std::filesystem::path dir)
      : BulkJobs(pool, clock, std::move(dir), Options{}) {}
  ~BulkJobs();  // stops the keeper; the jobs' owners stop their threads first

  // A new running job of `by`'s, with its (empty) directory. Conflict "import_running" while an import runs,
  // "too_many_exports" while kMaxExports exports run.
  Result<std::shared_ptr<Running>> Begin(BulkKind kind, const Actor& by, std::string request_url);
  // The job's end, with its result (JSON) or the error it failed with. Its files stay for keep_for.
  void Finish(const Running& job, const std::string& result, const std::optional<Error>& failed);

  // NotFound for an unknown job, one of the other kind, or one another user started.
  Result<BulkJob> Find(const Actor& by, BulkKind kind, const std::string& id);
  // `by`'s latest jobs of a kind, newest first.
  Result<std::vector<BulkJob>> List(const Actor& by, BulkKind kind, int limit);
  // Forgets a job and deletes its files; a running one is asked to stop (this process's: at once, another's:
  // at its next beat). Conflict "import_running" for a running import (an import that has begun writing is
  // not stopped half-way).
  Status Remove(const Actor& by, BulkKind kind, const std::string& id);

  // The path of a job's file, or NotFound: a name is one of the job's own (no '/', no "..").
  Result<std::filesystem::path> FilePath(const BulkJob& job, const std::string& name) const;

  // Once: fails jobs whose process died and deletes expired ones (the keeper does it every minute).
  void Sweep();
  // Fails the running jobs whose process died, and deletes their files (Sweep's first step; Begin's).
  void FailDead();

 private:
  void Keep();
  void Beat();
  BulkJob Read(const db::BulkJobRow& row) const;
  db::BulkJobRow RowOf(const Running& job, const std::string& state) const;
  void DeleteFiles(const std::string& id) const;
  void DeleteOrphans();

  db::Pool& pool_;
  const Clock& clock_;
  const std::filesystem::path dir_;
  const Options options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Running>> running_;  // this process's, guarded by mu_
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread keeper_;
};

}  // namespace caredesk::fhir
