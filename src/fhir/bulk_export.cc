#include "fhir/bulk_export.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <type_traits>

#include "core/civil_time.h"
#include "domain/security/credentials.h"
#include "fhir/coverage_resource.h"
#include "fhir/kept_as_sent.h"
#include "fhir/resource_types.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "fhir/visit_resources.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

constexpr int kPage = 1000;
constexpr size_t kMembersAPass = 1000;  // a Group-level export's patients, a search at a time (an IN list)
constexpr int64_t kResourcesPerFile = 100'000;

Error Bad(std::string field, std::string message) {
  return Error::Invalid(std::move(field), std::move(message), "invalid_export_parameter");
}

std::vector<InstantMatch> Since(int64_t ms) { return {InstantMatch{DateMatch::Op::kGe, ms, ms + 1}}; }

}  // namespace

const std::vector<std::string>& SystemExportTypes() {
  static const std::vector<std::string> kTypes{"Patient",  "Practitioner", "PractitionerRole", "Location",
                                               "Schedule", "Appointment",  "Encounter",        "Coverage"};
  return kTypes;
}

const std::vector<std::string>& PatientExportTypes() {
  static const std::vector<std::string> kTypes{"Patient", "Appointment", "Encounter", "Coverage"};
  return kTypes;
}

Result<ExportRequest> ReadExportRequest(const std::vector<std::pair<std::string, std::string>>& query,
                                        bool patient_level) {
  ExportRequest out;
  out.patient_level = patient_level;
  const auto& allowed = patient_level ? PatientExportTypes() : SystemExportTypes();
  for (const auto& [key, value] : query) {
    if (key == "_type") {
      for (const std::string& type : SplitAlternatives(value)) {
        if (std::find(allowed.begin(), allowed.end(), type) == allowed.end() && !IsStoredType(type)) {
          std::string list;
          for (const auto& t : allowed) list += (list.empty() ? "" : ", ") + t;
          return Bad("_type", "_type: " + type + " is not exported at this level (" + list +
                                  ", and the types kept as sent such as Observation)");
        }
        out.all_types = false;
        if (std::find(out.types.begin(), out.types.end(), type) == out.types.end()) out.types.push_back(type);
      }
    } else if (key == "_since") {
      CD_ASSIGN_OR_RETURN(InstantRange r, ReadFhirDateTime(value, "_since"));
      out.since_ms = r.lo_ms;
    } else if (key == "_outputFormat") {
      if (value != "application/fhir+ndjson" && value != "application/ndjson" && value != "ndjson") {
        return Bad("_outputFormat", "_outputFormat: only application/fhir+ndjson is offered");
      }
    } else if (key == "_typeFilter" || key == "_elements" || key == "patient" || key == "includeAssociatedData") {
      return Bad(key, key + " is not supported by this server's export");
    }
  }
  if (out.types.empty()) out.types = allowed;
  return out;
}

struct BulkExporter::Job {
  std::string id;
  Actor actor;
  ExportRequest request;
  std::filesystem::path dir;
  std::string transaction_time;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> written{0};
  std::mutex mu;  // guards state, files, error
  ExportStatus::State state = ExportStatus::State::kRunning;
  std::vector<ExportFile> files;
  std::string error;
  std::thread thread;
};

BulkExporter::BulkExporter(PatientService& patients, PatientStore& store, ScheduleService& schedule,
                           AppointmentService& appointments, FlowService& flow, CoverageService& coverages,
                           ResourceStore& resources, const Clock& clock, std::filesystem::path dir)
    : patients_(patients),
      store_(store),
      schedule_(schedule),
      appointments_(appointments),
      flow_(flow),
      coverages_(coverages),
      resources_(resources),
      clock_(clock),
      dir_(std::move(dir)) {}

BulkExporter::~BulkExporter() {
  std::map<std::string, std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) job->stop = true;
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
    std::error_code ec;
    std::filesystem::remove_all(job->dir, ec);
  }
}

Result<std::string> BulkExporter::Start(const Actor& by, ExportRequest request) {
  auto job = std::make_shared<Job>();
  job->id = RandomToken(18);
  job->actor = by;
  job->request = std::move(request);
  job->dir = dir_ / job->id;
  job->transaction_time = FormatInstantUtc(clock_.Now());
  {
    std::lock_guard lock(mu_);
    int running = 0;
    for (const auto& [id, j] : jobs_) {
      std::lock_guard job_lock(j->mu);
      running += j->state == ExportStatus::State::kRunning;
    }
    if (running >= kMaxRunning) {
      return Error::Conflict("too_many_exports", std::to_string(kMaxRunning) +
                                                     " exports are running; try again when one has finished");
    }
    std::error_code ec;
    std::filesystem::create_directories(job->dir, ec);
    if (ec) return Error::Internal("cannot create the export directory " + job->dir.string() + ": " + ec.message());
    jobs_[job->id] = job;
  }
  job->thread = std::thread([this, job] { Run(job); });
  return job->id;
}

void BulkExporter::Run(const std::shared_ptr<Job>& job) {
  ::caredesk::Status done = Export(*job);
  std::lock_guard lock(job->mu);
  if (done.ok()) {
    job->state = ExportStatus::State::kDone;
  } else {
    job->state = ExportStatus::State::kFailed;
    job->error = done.error().message;
  }
}

::caredesk::Status BulkExporter::Export(Job& job) {
  const Actor& by = job.actor;
  const auto& since = job.request.since_ms;
  std::vector<ExportFile> files;
  std::vector<std::string> types = job.request.types;
  if (job.request.all_types) {
    CD_ASSIGN_OR_RETURN(std::vector<std::string> stored, resources_.Types(job.request.patient_level));
    types.insert(types.end(), stored.begin(), stored.end());
  }
  // The searches each type runs: once, over everything, or a Group's patients kMembersAPass at a time.
  std::vector<std::optional<AnyOf<int64_t>>> passes;
  if (!job.request.patients) passes.emplace_back();
  const std::vector<int64_t> members = job.request.patients.value_or(std::vector<int64_t>{});
  for (size_t at = 0; at < members.size(); at += kMembersAPass) {
    passes.emplace_back(AnyOf<int64_t>(members.begin() + static_cast<std::ptrdiff_t>(at),
                                       members.begin() + static_cast<std::ptrdiff_t>(std::min(members.size(), at + kMembersAPass))));
  }
  for (const std::string& type : types) {
    // One file per kResourcesPerFile resources of the type ("Patient-1.ndjson", "Patient-2.ndjson", ...), so a
    // download stays a few tens of megabytes.
    ExportFile file;
    std::filesystem::path path;
    std::ofstream out;
    ::caredesk::Status io = Ok();
    const auto close = [&] {
      if (!out.is_open()) return;
      out.close();
      if (!out) io = Error::Internal("cannot write " + path.string());
      files.push_back(std::move(file));
    };
    const auto write_text = [&](const std::string& resource) {
      if (!out.is_open() || file.count == kResourcesPerFile) {
        close();
        const auto of_type = std::count_if(files.begin(), files.end(), [&](const ExportFile& f) { return f.type == type; });
        file = ExportFile{type, type + "-" + std::to_string(of_type + 1) + ".ndjson", 0};
        path = job.dir / file.name;
        out.open(path, std::ios::binary);
        if (!out) io = Error::Internal("cannot write " + path.string());
      }
      out << resource << '\n';
      ++file.count;
      ++job.written;
    };
    const auto write = [&](const auto& resource) {
      if constexpr (std::is_same_v<std::decay_t<decltype(resource)>, std::string>) {
        write_text(resource);
      } else {
        write_text(json::serialize(resource));
      }
    };
    // A search paged by key (KeyedPage), through `service.Search` (which audits), page after page; each page
    // served with what an import sent for it when `as_sent` names the elements CareDesk models.
    const auto each_page = [&](auto q, auto& service, auto to_resource,
                               std::span<const std::string_view> as_sent = {}) -> ::caredesk::Status {
      q.page.limit = kPage;
      while (!job.stop) {
        CD_ASSIGN_OR_RETURN(auto page, service.Search(by, q, false, true));
        std::vector<json::object> resources;
        resources.reserve(page.rows.size());
        for (const auto& r : page.rows) resources.push_back(to_resource(r));
        if (!as_sent.empty()) CD_RETURN_IF_ERROR(resources_.ServeAsSent(type, as_sent, resources));
        for (const auto& r : resources) write(r);
        if (!page.more || page.rows.empty()) break;
        q.page.after_id = page.rows.back().id;
      }
      return Ok();
    };
    for (const std::optional<AnyOf<int64_t>>& only : passes) {
      if (IsStoredType(type)) {
        // Kept as sent: the bodies as stored, page after page by key (each patient audited by the search).
        db::FhirResourceCriteria q;
        q.resource_type = type;
        q.about_a_patient = job.request.patient_level;
        if (only) q.patients.push_back(*only);
        q.page.limit = kPage;
        if (since) q.updated.push_back(Since(*since));
        while (!job.stop) {
          CD_ASSIGN_OR_RETURN(auto page, resources_.Search(by, q, false, true));
          for (const auto& r : page.rows) write(r.body);
          if (!page.more || page.rows.empty()) break;
          q.page.after_id = page.rows.back().seq;
        }
      } else if (type == "Patient") {
        PatientCriteria q;
        if (only) q.ids.push_back(*only);
        q.limit = kPage;
        if (since) q.last_updated.push_back(Since(*since));
        while (!job.stop) {
          CD_ASSIGN_OR_RETURN(PatientMatches page, patients_.Match(by, q, false, true));
          CD_ASSIGN_OR_RETURN(auto resources, store_.Resources(page.patients));
          for (const auto& r : resources) write(r);
          if (!page.more || page.patients.empty()) break;
          q.after_id = page.patients.back().patient.id;
        }
      } else if (type == "Appointment") {
        AppointmentCriteria q;
        if (only) q.patients.push_back(*only);
        if (since) q.last_updated.push_back(Since(*since));
        CD_RETURN_IF_ERROR(each_page(q, appointments_, [](const auto& r) { return AppointmentResource(r); }));
      } else if (type == "Encounter") {
        EncounterCriteria q;
        if (only) q.patients.push_back(*only);
        if (since) q.changed.push_back(Since(*since));
        CD_RETURN_IF_ERROR(
            each_page(q, flow_, [](const auto& r) { return EncounterResource(r, nullptr); }, EncounterModelled()));
      } else if (type == "Coverage") {
        CoverageCriteria q;
        if (only) q.patients.push_back(*only);
        if (since) q.patient_updated.push_back(Since(*since));
        CD_RETURN_IF_ERROR(each_page(q, coverages_, [](const auto& r) { return CoverageResource(r); }));
      } else if (type == "Location") {
        CD_ASSIGN_OR_RETURN(auto locations, schedule_.Locations());
        if (!since) {
          for (const auto& l : locations) write(LocationResource(l));
        }
      } else {  // Practitioner, PractitionerRole, Schedule: one per provider
        CD_ASSIGN_OR_RETURN(auto providers, schedule_.Providers());
        CD_ASSIGN_OR_RETURN(auto types, schedule_.AppointmentTypes());
        // The set-up keeps no change times: an export since a time leaves it out.
        std::vector<json::object> resources;
        for (const auto& p : since ? std::vector<Provider>{} : providers) {
          resources.push_back(type == "Practitioner" ? PractitionerResource(p)
                              : type == "PractitionerRole" ? PractitionerRoleResource(p)
                                                           : ScheduleResource(p, types));
        }
        if (type == "Practitioner") CD_RETURN_IF_ERROR(resources_.ServeAsSent(type, PractitionerModelled(), resources));
        for (const auto& r : resources) write(r);
      }
    }
    close();
    CD_RETURN_IF_ERROR(io);
    if (job.stop) return Error::Internal("the export was stopped");
  }
  std::lock_guard lock(job.mu);
  job.files = std::move(files);
  return Ok();
}

Result<std::shared_ptr<BulkExporter::Job>> BulkExporter::Find(const Actor& by, const std::string& id) {
  std::lock_guard lock(mu_);
  auto found = jobs_.find(id);
  if (found == jobs_.end() || found->second->actor.user_id != by.user_id) {
    return Error::NotFound("no export " + id + " (unknown, deleted, or started by another user)");
  }
  return found->second;
}

Result<ExportStatus> BulkExporter::Poll(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(auto job, Find(by, id));
  ExportStatus s;
  s.written = job->written;
  s.transaction_time = job->transaction_time;
  s.request_url = job->request.request_url;
  std::lock_guard lock(job->mu);
  s.state = job->state;
  s.files = job->files;
  s.error = job->error;
  return s;
}

::caredesk::Status BulkExporter::Delete(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(auto job, Find(by, id));
  {
    std::lock_guard lock(mu_);
    jobs_.erase(id);
  }
  job->stop = true;
  if (job->thread.joinable()) job->thread.join();
  std::error_code ec;
  std::filesystem::remove_all(job->dir, ec);
  return Ok();
}

Result<std::filesystem::path> BulkExporter::File(const Actor& by, const std::string& id, const std::string& name) {
  CD_ASSIGN_OR_RETURN(auto job, Find(by, id));
  std::lock_guard lock(job->mu);
  for (const ExportFile& f : job->files) {
    if (f.name == name) return job->dir / f.name;
  }
  return Error::NotFound("export " + id + " has no file " + name);
}

}  // namespace caredesk::fhir
