#include "fhir/import_jobs.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <fstream>

namespace caredesk::fhir {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

json::object Counts(const std::map<std::string, int64_t>& counts) {
  json::object out;
  for (const auto& [type, n] : counts) out[type] = n;
  return out;
}

void ReadCounts(const json::object& o, const char* key, std::map<std::string, int64_t>& out) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_object()) return;
  for (const auto& [type, n] : v->as_object()) {
    if (n.is_int64()) out[std::string(type)] = n.as_int64();
  }
}

void ReadTexts(const json::object& o, const char* key, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array()) return;
  for (const json::value& t : v->as_array()) {
    if (t.is_string()) out.emplace_back(t.as_string());
  }
}

int64_t ReadInt(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

ImportStatus StatusOf(const BulkJob& job) {
  ImportStatus s;
  s.state = job.state == BulkJob::State::kRunning ? ImportStatus::State::kRunning
            : job.state == BulkJob::State::kDone  ? ImportStatus::State::kDone
                                                  : ImportStatus::State::kFailed;
  s.phase = job.phase;
  s.done = job.done;
  s.total = job.total;
  s.transaction_time = job.transaction_time;
  s.request_url = job.request_url;
  if (s.state == ImportStatus::State::kDone) s.report = ReadImportReport(job.result);
  if (s.state == ImportStatus::State::kFailed) s.error = job.error;
  s.expires_at = job.expires_at;
  return s;
}

}  // namespace

std::string ImportReportJson(const ImportReport& r) {
  json::array errors, warnings;
  for (const auto& e : r.errors) errors.emplace_back(e);
  for (const auto& w : r.warnings) warnings.emplace_back(w);
  return json::serialize(json::object{{"read", r.read},
                                      {"written", Counts(r.written)},
                                      {"patients_created", r.patients_created},
                                      {"patients_updated", r.patients_updated},
                                      {"skipped", Counts(r.skipped)},
                                      {"failed", r.failed},
                                      {"errors", std::move(errors)},
                                      {"warnings", std::move(warnings)}});
}

ImportReport ReadImportReport(const std::string& text) {
  ImportReport r;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return r;
  const json::object& o = v.as_object();
  r.read = ReadInt(o, "read");
  ReadCounts(o, "written", r.written);
  r.patients_created = ReadInt(o, "patients_created");
  r.patients_updated = ReadInt(o, "patients_updated");
  ReadCounts(o, "skipped", r.skipped);
  r.failed = ReadInt(o, "failed");
  ReadTexts(o, "errors", r.errors);
  ReadTexts(o, "warnings", r.warnings);
  return r;
}

ImportJobs::~ImportJobs() {
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& [ended, thread] : threads) {
    if (thread.joinable()) thread.join();
  }
}

void ImportJobs::Reap() {
  std::vector<std::thread> ended;
  {
    std::lock_guard lock(mu_);
    std::erase_if(threads_, [&](auto& entry) {
      if (!entry.first->load()) return false;
      ended.push_back(std::move(entry.second));
      return true;
    });
  }
  for (auto& thread : ended) {
    if (thread.joinable()) thread.join();
  }
}

Result<std::string> ImportJobs::Start(const Actor& by, std::string body, bool ndjson, std::string request_url) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("body", "the body is empty: send ndjson (one resource a line) or a Bundle");
  }
  Reap();
  CD_ASSIGN_OR_RETURN(std::shared_ptr<BulkJobs::Running> run, jobs_.Begin(BulkKind::kImport, by, std::move(request_url)));
  const fs::path input = run->dir() / (ndjson ? "input.ndjson" : "input.json");
  {
    std::ofstream out(input, std::ios::binary);
    out << body;
    out.close();
    if (!out) {
      Error failed = Error::Internal("cannot write " + input.string());
      jobs_.Finish(*run, "", failed);
      return failed;
    }
  }
  body = {};
  auto ended = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard lock(mu_);
  threads_.emplace_back(ended, std::thread([this, by, run, input, ended] {
    auto report = importer_.Import(by, {input}, [&](std::string_view phase, int64_t done, int64_t total) {
      run->Report(phase, done, total);
    });
    std::error_code ec;
    fs::remove(input, ec);  // imported: what was sent is in the database now
    if (report.ok()) {
      jobs_.Finish(*run, ImportReportJson(*report), std::nullopt);
    } else {
      Error failed = report.error();
      // The importer's input is this job's body.
      if (failed.field == "input") failed.field = "body";
      jobs_.Finish(*run, "", failed);
    }
    ended->store(true);
  }));
  return run->id();
}

Result<ImportStatus> ImportJobs::Poll(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(BulkJob job, jobs_.Find(by, BulkKind::kImport, id));
  return StatusOf(job);
}

Result<std::vector<std::pair<std::string, ImportStatus>>> ImportJobs::List(const Actor& by, int limit) {
  CD_ASSIGN_OR_RETURN(std::vector<BulkJob> jobs, jobs_.List(by, BulkKind::kImport, limit));
  std::vector<std::pair<std::string, ImportStatus>> out;
  for (const BulkJob& job : jobs) out.emplace_back(job.id, StatusOf(job));
  return out;
}

Status ImportJobs::Delete(const Actor& by, const std::string& id) {
  CD_RETURN_IF_ERROR(jobs_.Remove(by, BulkKind::kImport, id));
  Reap();
  return Ok();
}

}  // namespace caredesk::fhir
