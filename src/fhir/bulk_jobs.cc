#include "fhir/bulk_jobs.h"

#include "core/civil_time.h"
#include "domain/security/credentials.h"

namespace caredesk::fhir {
namespace fs = std::filesystem;
namespace {

// Job ids: RandomToken(kIdBytes), URL-safe base64 without padding.
constexpr size_t kIdBytes = 18;
constexpr size_t kIdLength = 24;
static_assert(kIdLength == (kIdBytes * 4 + 2) / 3);

constexpr char kInterrupted[] =
    "interrupted: the server process running it stopped; what it had written stays, start it again";

const char* KindName(BulkKind kind) { return kind == BulkKind::kExport ? "export" : "import"; }

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }

// How a job's error is kept: the client's (nothing readable was sent), the database's, or anything else.
std::string ErrorKind(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument: return "invalid";
    case ErrorCode::kUnavailable: return "unavailable";
    default: return "internal";
  }
}

Error ErrorOf(const db::BulkJobRow& row) {
  Error e = row.error_kind == "invalid"       ? Error::Invalid(row.error_field, row.error_message)
            : row.error_kind == "unavailable" ? Error{ErrorCode::kUnavailable, "unavailable", row.error_message, {}}
                                              : Error::Internal(row.error_message);
  e.field = row.error_field;
  return e;
}

}  // namespace

void BulkJobs::Running::Report(std::string_view phase, int64_t done, int64_t total) {
  std::lock_guard lock(mu_);
  phase_ = std::string(phase);
  done_ = done;
  total_ = total;
}

void BulkJobs::Running::Add(int64_t done) {
  std::lock_guard lock(mu_);
  done_ += done;
}

BulkJobs::BulkJobs(db::Pool& pool, const Clock& clock, fs::path dir, Options options)
    : pool_(pool), clock_(clock), dir_(std::move(dir)), options_(options) {
  keeper_ = std::thread([this] { Keep(); });
}

BulkJobs::~BulkJobs() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable()) keeper_.join();
}

void BulkJobs::Keep() {
  int ticks = 0;
  std::unique_lock lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, options_.tick, [this] { return stopping_; })) return;
    lock.unlock();
    Beat();
    // Every minute (and at the first tick): the dead and the expired.
    if (ticks++ % std::max<int64_t>(1, 60'000 / std::max<int64_t>(1, options_.tick.count())) == 0) Sweep();
    lock.lock();
  }
}

void BulkJobs::Beat() {
  std::vector<std::shared_ptr<Running>> jobs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : running_) jobs.push_back(job);
  }
  if (jobs.empty()) return;
  auto lease = pool_.AcquireWriter();
  const int64_t now = Ms(clock_.Now());
  for (const auto& job : jobs) {
    std::string phase;
    int64_t done = 0, total = 0;
    {
      std::lock_guard lock(job->mu_);
      phase = job->phase_;
      done = job->done_;
      total = job->total_;
    }
    auto cancel = db::BulkJobRepository::Beat(*lease, job->id_, phase, done, total, now);
    // Deleted (or failed as dead by another process after a long stall): nobody waits for it any more.
    if (cancel.ok() && (!cancel->has_value() || **cancel)) job->RequestStop();
  }
}

void BulkJobs::FailDead() {
  const int64_t now = Ms(clock_.Now());
  Result<std::vector<std::string>> dead = std::vector<std::string>{};
  {
    auto lease = pool_.AcquireWriter();
    dead = db::BulkJobRepository::FailStale(*lease, now - options_.stale_after.count(), kInterrupted, now);
  }
  // A dead job's files are half-written.
  if (dead.ok()) {
    for (const std::string& id : *dead) DeleteFiles(id);
  }
}

void BulkJobs::Sweep() {
  FailDead();
  const int64_t now = Ms(clock_.Now());
  Result<std::vector<std::string>> expired = std::vector<std::string>{};
  {
    auto lease = pool_.AcquireWriter();
    expired = db::BulkJobRepository::FinishedBefore(*lease, now - options_.keep_for.count());
    if (expired.ok()) {
      for (const std::string& id : *expired) (void)db::BulkJobRepository::Delete(*lease, id);
    }
  }
  // An expired job's files are no longer offered.
  if (expired.ok()) {
    for (const std::string& id : *expired) DeleteFiles(id);
  }
  DeleteOrphans();
}

void BulkJobs::DeleteOrphans() {
  // A job's directory whose row is gone (a database restored from an older backup, a process that died between
  // deleting the row and the files) and that nobody has written to for longer than a job is kept.
  std::error_code ec;
  const auto old = fs::file_time_type::clock::now() - options_.keep_for - std::chrono::hours(1);
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_, ec)) {
    std::error_code entry_ec;
    if (!entry.is_directory(entry_ec) || entry.last_write_time(entry_ec) > old || entry_ec) continue;
    const std::string id = entry.path().filename().string();
    if (id.size() != kIdLength) continue;  // anything else is not a job's
    auto lease = pool_.Acquire();
    auto row = db::BulkJobRepository::Find(*lease, id);
    if (row.ok() && !row->has_value()) DeleteFiles(id);
  }
}

Result<std::shared_ptr<BulkJobs::Running>> BulkJobs::Begin(BulkKind kind, const Actor& by, std::string request_url) {
  FailDead();  // a dead import no longer blocks the next
  auto job = std::make_shared<Running>();
  job->id_ = RandomToken(kIdBytes);
  job->dir_ = dir_ / job->id_;
  const TimePoint now = clock_.Now();
  db::BulkJobRow row;
  row.id = job->id_;
  row.kind = KindName(kind);
  row.user_id = by.user_id;
  row.state = "running";
  row.phase = kind == BulkKind::kImport ? "reading" : "";
  row.transaction_time = FormatInstantUtc(now);
  row.request_url = std::move(request_url);
  row.started_at = row.heartbeat_at = Ms(now);
  job->phase_ = row.phase;
  {
    auto lease = pool_.AcquireWriter();
    auto inserted = db::InTransaction(*lease, true, [&](db::Connection& c) -> Status {
      if (kind == BulkKind::kExport) {
        CD_ASSIGN_OR_RETURN(int64_t running,
                            db::BulkJobRepository::CountRunning(c, "export", row.started_at - options_.stale_after.count()));
        if (running >= kMaxExports) {
          return Error::Conflict("too_many_exports", std::to_string(kMaxExports) +
                                                         " exports are running; try again when one has finished");
        }
      }
      return db::BulkJobRepository::Insert(c, row);
    });
    if (!inserted.ok()) {
      if (db::IsUniqueViolation(inserted.error())) {
        return Error::Conflict("import_running", "an import is running; try again when it has finished");
      }
      return inserted.error();
    }
  }
  std::error_code ec;
  fs::create_directories(job->dir_, ec);
  if (ec) {
    Error failed = Error::Internal("cannot create the job directory " + job->dir_.string() + ": " + ec.message());
    Finish(*job, "", failed);
    return failed;
  }
  std::lock_guard lock(mu_);
  running_[job->id_] = job;
  return job;
}

db::BulkJobRow BulkJobs::RowOf(const Running& job, const std::string& state) const {
  db::BulkJobRow row;
  row.id = job.id_;
  row.state = state;
  std::lock_guard lock(job.mu_);
  row.phase = job.phase_;
  row.done = job.done_;
  row.total = job.total_;
  return row;
}

void BulkJobs::Finish(const Running& job, const std::string& result, const std::optional<Error>& failed) {
  db::BulkJobRow row = RowOf(job, failed ? "failed" : "done");
  row.result = result;
  if (failed) {
    row.error_kind = ErrorKind(*failed);
    row.error_field = failed->field;
    row.error_message = failed->message;
  }
  row.finished_at = Ms(clock_.Now());
  Result<bool> finished = false;
  {
    auto lease = pool_.AcquireWriter();
    finished = db::BulkJobRepository::Finish(*lease, row);
  }
  {
    std::lock_guard lock(mu_);
    running_.erase(job.id_);
  }
  // Deleted while it ran, or stopped: nothing of it is offered, so nothing of it is kept. (A finish the
  // database did not take leaves the job running there; the sweep of a process fails it once its heartbeat
  // has stopped.)
  if ((finished.ok() && !*finished) || job.stop_requested()) DeleteFiles(job.id_);
}

BulkJob BulkJobs::Read(const db::BulkJobRow& row) const {
  BulkJob job;
  job.id = row.id;
  job.kind = row.kind == "import" ? BulkKind::kImport : BulkKind::kExport;
  job.state = row.state == "running" ? BulkJob::State::kRunning
              : row.state == "done"  ? BulkJob::State::kDone
                                     : BulkJob::State::kFailed;
  job.phase = row.phase;
  job.done = row.done;
  job.total = row.total;
  job.transaction_time = row.transaction_time;
  job.request_url = row.request_url;
  job.result = row.result;
  job.started_at = TimePoint(std::chrono::milliseconds(row.started_at));
  if (row.finished_at) {
    job.expires_at = TimePoint(std::chrono::milliseconds(*row.finished_at)) + options_.keep_for;
  }
  if (job.state == BulkJob::State::kFailed) job.error = ErrorOf(row);
  if (job.state == BulkJob::State::kRunning &&
      row.heartbeat_at < Ms(clock_.Now()) - options_.stale_after.count()) {
    job.state = BulkJob::State::kFailed;  // the sweep will record it so
    job.error = Error{ErrorCode::kUnavailable, "unavailable", kInterrupted, {}};
  }
  return job;
}

Result<BulkJob> BulkJobs::Find(const Actor& by, BulkKind kind, const std::string& id) {
  const auto missing = [&] {
    return Error::NotFound(std::string("no ") + KindName(kind) + " " + id +
                           " (unknown, deleted, expired, or started by another user)");
  };
  auto lease = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto row, db::BulkJobRepository::Find(*lease, id));
  if (!row || row->user_id != by.user_id || row->kind != KindName(kind)) return missing();
  BulkJob job = Read(*row);
  // This process's own job: the progress of this moment, not of the last beat.
  if (job.state == BulkJob::State::kRunning) {
    std::lock_guard lock(mu_);
    if (auto local = running_.find(id); local != running_.end()) {
      std::lock_guard job_lock(local->second->mu_);
      job.phase = local->second->phase_;
      job.done = local->second->done_;
      job.total = local->second->total_;
    }
  }
  return job;
}

Result<std::vector<BulkJob>> BulkJobs::List(const Actor& by, BulkKind kind, int limit) {
  auto lease = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto rows, db::BulkJobRepository::List(*lease, by.user_id, KindName(kind), limit));
  std::vector<BulkJob> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(Read(row));
  }
  return out;
}

Status BulkJobs::Remove(const Actor& by, BulkKind kind, const std::string& id) {
  CD_ASSIGN_OR_RETURN(BulkJob job, Find(by, kind, id));
  if (job.state == BulkJob::State::kRunning) {
    if (kind == BulkKind::kImport) {
      return Error::Conflict("import_running", "the import is running; delete it when it has finished");
    }
    std::shared_ptr<Running> local;
    {
      std::lock_guard lock(mu_);
      if (auto found = running_.find(id); found != running_.end()) local = found->second;
    }
    if (local) {
      local->RequestStop();
    } else {
      auto lease = pool_.AcquireWriter();
      CD_RETURN_IF_ERROR(db::BulkJobRepository::RequestCancel(*lease, id));
    }
  }
  {
    auto lease = pool_.AcquireWriter();
    CD_RETURN_IF_ERROR(db::BulkJobRepository::Delete(*lease, id));
  }
  // A job still running here deletes its files when its thread ends (Finish).
  if (job.state != BulkJob::State::kRunning) DeleteFiles(id);
  return Ok();
}

Result<fs::path> BulkJobs::FilePath(const BulkJob& job, const std::string& name) const {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return Error::NotFound(std::string(KindName(job.kind)) + " " + job.id + " has no file " + name);
  }
  return dir_ / job.id / name;
}

void BulkJobs::DeleteFiles(const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) return;
  std::error_code ec;
  fs::remove_all(dir_ / id, ec);
}

}  // namespace caredesk::fhir
