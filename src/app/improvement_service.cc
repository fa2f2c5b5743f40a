#include "app/improvement_service.h"

#include "core/text.h"
#include "domain/metrics/service_metrics.h"
#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

constexpr char kCategory[] = "improvement";

Status CheckText(const char* field, std::string& value, size_t max, bool required) {
  value = std::string(TrimSpace(value));
  if (required && value.empty()) return Error::Invalid(field, std::string(field) + " is required", "required");
  if (value.size() > max) {
    return Error::Invalid(field, std::string(field) + " is at most " + std::to_string(max) + " characters",
                          "too_long");
  }
  return Ok();
}

Status KnownMetric(const std::string& key) {
  auto m = metrics::FindMetric(key, "metric_key");
  if (!m.ok()) return std::move(m).error();
  return Ok();
}

Status CheckDates(const std::string& start, const std::optional<std::string>& end) {
  CD_ASSIGN_OR_RETURN(CivilDate s, ParseCivilDate(start, "start_date"));
  if (end) {
    CD_ASSIGN_OR_RETURN(CivilDate e, ParseCivilDate(*end, "end_date"));
    if (e < s) return Error::Invalid("end_date", "end_date is before start_date", "before_start");
  }
  return Ok();
}

}  // namespace

Status ImprovementService::Validate(db::Connection& c, db::ProjectRow& row) {
  CD_RETURN_IF_ERROR(CheckText("title", row.title, 200, true));
  CD_RETURN_IF_ERROR(CheckText("aim", row.aim, 2000, true));
  CD_RETURN_IF_ERROR(CheckText("owner", row.owner, 200, false));
  CD_RETURN_IF_ERROR(KnownMetric(row.metric_key));
  CD_RETURN_IF_ERROR(db::ScheduleRepository::RequireLocation(c, row.location_id));
  if (row.end_date && TrimSpace(*row.end_date).empty()) row.end_date.reset();
  CD_RETURN_IF_ERROR(CheckDates(row.start_date, row.end_date));
  if (row.status != "active" && row.status != "completed" && row.status != "abandoned") {
    return Error::Invalid("status", "status is active, completed or abandoned");
  }
  return Ok();
}

Status ImprovementService::ValidateCycle(const db::ProjectRow& project, db::PdsaCycleRow& cycle) {
  CD_RETURN_IF_ERROR(CheckText("title", cycle.title, 200, true));
  CD_RETURN_IF_ERROR(CheckText("plan", cycle.plan, 4000, false));
  CD_RETURN_IF_ERROR(CheckText("do_notes", cycle.do_notes, 4000, false));
  CD_RETURN_IF_ERROR(CheckText("study", cycle.study, 4000, false));
  CD_RETURN_IF_ERROR(CheckText("act", cycle.act, 4000, false));
  if (cycle.end_date && TrimSpace(*cycle.end_date).empty()) cycle.end_date.reset();
  CD_RETURN_IF_ERROR(CheckDates(cycle.start_date, cycle.end_date));
  if (cycle.start_date < project.start_date || (project.end_date && cycle.start_date > *project.end_date)) {
    return Error::Invalid("start_date", "a cycle starts within its project's dates", "outside_project");
  }
  if (cycle.end_date && project.end_date && *cycle.end_date > *project.end_date) {
    return Error::Invalid("end_date", "a cycle ends within its project's dates", "outside_project");
  }
  return Ok();
}

Result<std::vector<db::ProjectRow>> ImprovementService::List(const Actor&, db::ProjectFilter filter) {
  if (filter.status && *filter.status != "active" && *filter.status != "completed" && *filter.status != "abandoned") {
    return Error::Invalid("status", "status is active, completed or abandoned");
  }
  if (filter.metric_key) CD_RETURN_IF_ERROR(KnownMetric(*filter.metric_key));
  auto conn = pool_.Acquire();
  return db::ImprovementRepository::List(*conn, filter);
}

Result<db::ProjectRow> ImprovementService::Get(const Actor&, int64_t id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto row, db::ImprovementRepository::Find(*conn, id));
  if (!row) return Error::NotFound("no improvement project " + std::to_string(id));
  return std::move(*row);
}

Result<db::ProjectRow> ImprovementService::Create(const Actor& by, db::ProjectRow row) {
  auto conn = pool_.Acquire();
  int64_t id = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(Validate(c, row));
    row.created_at = row.updated_at = ToMillis(clock_.Now());
    row.created_by = by.username;
    CD_ASSIGN_OR_RETURN(id, db::ImprovementRepository::Insert(c, row));
    return audit_.AppendInTx(c, audit_.Make(by, "create", kCategory, std::nullopt, "success",
                                            "improvement project " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  return Get(by, id);
}

Result<db::ProjectRow> ImprovementService::Update(const Actor& by, int64_t id, db::ProjectRow row) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto current, db::ImprovementRepository::Find(c, id));
    if (!current) return Error::NotFound("no improvement project " + std::to_string(id));
    CD_RETURN_IF_ERROR(Validate(c, row));
    for (const auto& cycle : current->cycles) {
      if (cycle.start_date < row.start_date || (row.end_date && cycle.start_date > *row.end_date)) {
        return Error::Invalid("start_date", "the cycle \"" + cycle.title + "\" would fall outside the project's dates",
                              "cycles_outside");
      }
    }
    row.id = id;
    row.updated_at = ToMillis(clock_.Now());
    CD_RETURN_IF_ERROR(db::ImprovementRepository::Update(c, row));
    return audit_.AppendInTx(c, audit_.Make(by, "update", kCategory, std::nullopt, "success",
                                            "improvement project " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  return Get(by, id);
}

Result<db::ProjectRow> ImprovementService::AddCycle(const Actor& by, int64_t project_id, db::PdsaCycleRow cycle) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto project, db::ImprovementRepository::Find(c, project_id));
    if (!project) return Error::NotFound("no improvement project " + std::to_string(project_id));
    CD_RETURN_IF_ERROR(ValidateCycle(*project, cycle));
    cycle.project_id = project_id;
    CD_ASSIGN_OR_RETURN(int64_t id, db::ImprovementRepository::InsertCycle(c, cycle));
    return audit_.AppendInTx(c, audit_.Make(by, "create", kCategory, std::nullopt, "success",
                                            "PDSA cycle " + std::to_string(id) + " of project " +
                                                std::to_string(project_id)));
  });
  if (!st.ok()) return std::move(st).error();
  return Get(by, project_id);
}

Result<db::ProjectRow> ImprovementService::UpdateCycle(const Actor& by, int64_t project_id, int64_t cycle_id,
                                                       db::PdsaCycleRow cycle) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto project, db::ImprovementRepository::Find(c, project_id));
    if (!project) return Error::NotFound("no improvement project " + std::to_string(project_id));
    bool found = false;
    for (const auto& existing : project->cycles) found = found || existing.id == cycle_id;
    if (!found) return Error::NotFound("project " + std::to_string(project_id) + " has no cycle " +
                                       std::to_string(cycle_id));
    CD_RETURN_IF_ERROR(ValidateCycle(*project, cycle));
    cycle.id = cycle_id;
    cycle.project_id = project_id;
    CD_RETURN_IF_ERROR(db::ImprovementRepository::UpdateCycle(c, cycle));
    return audit_.AppendInTx(c, audit_.Make(by, "update", kCategory, std::nullopt, "success",
                                            "PDSA cycle " + std::to_string(cycle_id)));
  });
  if (!st.ok()) return std::move(st).error();
  return Get(by, project_id);
}

Result<db::ProjectRow> ImprovementService::DeleteCycle(const Actor& by, int64_t project_id, int64_t cycle_id) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(bool gone, db::ImprovementRepository::DeleteCycle(c, project_id, cycle_id));
    if (!gone) return Error::NotFound("project " + std::to_string(project_id) + " has no cycle " +
                                      std::to_string(cycle_id));
    return audit_.AppendInTx(c, audit_.Make(by, "delete", kCategory, std::nullopt, "success",
                                            "PDSA cycle " + std::to_string(cycle_id)));
  });
  if (!st.ok()) return std::move(st).error();
  return Get(by, project_id);
}

Result<std::vector<db::ProjectRow>> ImprovementService::ForChart(std::optional<std::string> metric_key,
                                                                 std::optional<int64_t> location_id,
                                                                 const CivilDate& from, const CivilDate& to) {
  db::ProjectFilter f;
  f.metric_key = std::move(metric_key);
  f.location_id = location_id;
  f.include_all_locations = true;
  f.from_date = from.ToString();
  f.to_date = to.ToString();
  auto conn = pool_.Acquire();
  return db::ImprovementRepository::List(*conn, f);
}

}  // namespace caredesk
