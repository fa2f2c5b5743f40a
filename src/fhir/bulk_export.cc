#include "fhir/bulk_export.h"

#include <boost/json/parse.hpp>
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
  std::shared_ptr<BulkJobs::Running> run;
  Actor actor;
  ExportRequest request;
  std::atomic<bool> ended{false};
  std::thread thread;
};

namespace {

json::value FilesJson(const std::vector<ExportFile>& files) {
  json::array out;
  for (const ExportFile& f : files) out.push_back(json::object{{"type", f.type}, {"name", f.name}, {"count", f.count}});
  return json::object{{"files", std::move(out)}};
}

std::vector<ExportFile> FilesOf(const std::string& result) {
  std::vector<ExportFile> files;
  boost::system::error_code ec;
  const json::value v = json::parse(result, ec);
  if (ec || !v.is_object()) return files;
  const json::value* list = v.as_object().if_contains("files");
  if (!list || !list->is_array()) return files;
  for (const json::value& f : list->as_array()) {
    if (!f.is_object()) continue;
    const json::object& o = f.as_object();
    const json::value *type = o.if_contains("type"), *name = o.if_contains("name"), *count = o.if_contains("count");
    if (!type || !type->is_string() || !name || !name->is_string() || !count || !count->is_int64()) continue;
    files.push_back(ExportFile{std::string(type->as_string()), std::string(name->as_string()), count->as_int64()});
  }
  return files;
}

ExportStatus StatusOf(const BulkJob& job) {
  ExportStatus s;
  s.state = job.state == BulkJob::State::kRunning ? ExportStatus::State::kRunning
            : job.state == BulkJob::State::kDone  ? ExportStatus::State::kDone
                                                  : ExportStatus::State::kFailed;
  s.written = job.done;
  s.transaction_time = job.transaction_time;
  s.request_url = job.request_url;
  if (s.state == ExportStatus::State::kDone) s.files = FilesOf(job.result);
  if (s.state == ExportStatus::State::kFailed) {
    s.error = job.error.message;
    s.interrupted = job.error.code == ErrorCode::kUnavailable;
  }
  s.expires_at = job.expires_at;
  return s;
}

}  // namespace

BulkExporter::BulkExporter(PatientService& patients, PatientStore& store, ScheduleService& schedule,
                           AppointmentService& appointments, FlowService& flow, CoverageService& coverages,
                           ResourceStore& resources, BulkJobs& jobs)
    : patients_(patients),
      store_(store),
      schedule_(schedule),
      appointments_(appointments),
      flow_(flow),
      coverages_(coverages),
      resources_(resources),
      jobs_(jobs) {}

BulkExporter::~BulkExporter() {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(threads_);
  }
  for (auto& job : jobs) job->run->RequestStop();
  for (auto& job : jobs) {
    if (job->thread.joinable()) job->thread.join();
  }
}

void BulkExporter::Reap() {
  std::vector<std::shared_ptr<Job>> ended;
  {
    std::lock_guard lock(mu_);
    std::erase_if(threads_, [&](const std::shared_ptr<Job>& job) {
      if (!job->ended) return false;
      ended.push_back(job);
      return true;
    });
  }
  for (auto& job : ended) {
    if (job->thread.joinable()) job->thread.join();
  }
}

Result<std::string> BulkExporter::Start(const Actor& by, ExportRequest request) {
  Reap();
  auto job = std::make_shared<Job>();
  job->actor = by;
  job->request = std::move(request);
  CD_ASSIGN_OR_RETURN(job->run, jobs_.Begin(BulkKind::kExport, by, job->request.request_url));
  std::string id = job->run->id();
  std::lock_guard lock(mu_);
  job->thread = std::thread([this, job] { Run(job); });
  threads_.push_back(job);
  return id;
}

void BulkExporter::Run(const std::shared_ptr<Job>& job) {
  std::vector<ExportFile> files;
  ::caredesk::Status done = Export(*job, files);
  if (done.ok() && job->run->stop_requested()) {
    done = Error{ErrorCode::kUnavailable, "unavailable",
                 "interrupted: the export was stopped (deleted, or the server stopped); start it again", {}};
  }
  if (done.ok()) {
    jobs_.Finish(*job->run, json::serialize(FilesJson(files)), std::nullopt);
  } else {
    jobs_.Finish(*job->run, "", done.error());
  }
  job->ended = true;
}

::caredesk::Status BulkExporter::Export(Job& job, std::vector<ExportFile>& files) {
  const Actor& by = job.actor;
  const auto& since = job.request.since_ms;
  const BulkJobs::Running& run = *job.run;
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
        path = run.dir() / file.name;
        out.open(path, std::ios::binary);
        if (!out) io = Error::Internal("cannot write " + path.string());
      }
      out << resource << '\n';
      ++file.count;
      job.run->Add(1);
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
      while (!run.stop_requested()) {
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
        while (!run.stop_requested()) {
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
        while (!run.stop_requested()) {
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
        CD_RETURN_IF_ERROR(
            each_page(q, coverages_, [](const auto& r) { return CoverageResource(r); }, CoverageModelled()));
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
    if (run.stop_requested()) return Ok();  // Run says why
  }
  return Ok();
}

Result<ExportStatus> BulkExporter::Poll(const Actor& by, const std::string& id) {
  CD_ASSIGN_OR_RETURN(BulkJob job, jobs_.Find(by, BulkKind::kExport, id));
  return StatusOf(job);
}

Result<std::vector<std::pair<std::string, ExportStatus>>> BulkExporter::List(const Actor& by, int limit) {
  CD_ASSIGN_OR_RETURN(std::vector<BulkJob> jobs, jobs_.List(by, BulkKind::kExport, limit));
  std::vector<std::pair<std::string, ExportStatus>> out;
  for (const BulkJob& job : jobs) out.emplace_back(job.id, StatusOf(job));
  return out;
}

::caredesk::Status BulkExporter::Delete(const Actor& by, const std::string& id) {
  CD_RETURN_IF_ERROR(jobs_.Remove(by, BulkKind::kExport, id));
  Reap();
  return Ok();
}

Result<std::filesystem::path> BulkExporter::File(const Actor& by, const std::string& id, const std::string& name) {
  CD_ASSIGN_OR_RETURN(BulkJob job, jobs_.Find(by, BulkKind::kExport, id));
  if (job.state == BulkJob::State::kDone) {
    for (const ExportFile& f : FilesOf(job.result)) {
      if (f.name == name) return jobs_.FilePath(job, f.name);
    }
  }
  return Error::NotFound("export " + id + " has no file " + name);
}

}  // namespace caredesk::fhir
