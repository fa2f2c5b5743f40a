// Improvement projects and their PDSA cycles in the database (migration
// 0010). Thread-compatible: static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct PdsaCycleRow {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string title;
  std::string plan;
  std::string do_notes;
  std::string study;
  std::string act;
  std::string start_date;  // YYYY-MM-DD
  std::optional<std::string> end_date;
};

struct ProjectRow {
  int64_t id = 0;
  std::string title;
  std::string aim;
  std::string metric_key;
  std::optional<int64_t> location_id;
  std::string owner;
  std::string start_date;
  std::optional<std::string> end_date;
  std::optional<double> target;
  std::string status;  // active | completed | abandoned
  int64_t created_at = 0;
  std::string created_by;
  int64_t updated_at = 0;
  // Joined for display.
  std::string location_name;
  std::vector<PdsaCycleRow> cycles;  // by start date
};

struct ProjectFilter {
  std::optional<std::string> metric_key;
  std::optional<int64_t> location_id;
  std::optional<std::string> status;
  // Only projects overlapping [from, to] (dates), when set.
  std::string from_date, to_date;
  // With a location: also the projects for all locations.
  bool include_all_locations = false;
};

class ImprovementRepository {
 public:
  static Result<int64_t> Insert(Connection& c, const ProjectRow& row);
  static Status Update(Connection& c, const ProjectRow& row);
  static Result<std::optional<ProjectRow>> Find(Connection& c, int64_t id);
  static Result<std::vector<ProjectRow>> List(Connection& c, const ProjectFilter& f);

  static Result<int64_t> InsertCycle(Connection& c, const PdsaCycleRow& row);
  static Status UpdateCycle(Connection& c, const PdsaCycleRow& row);
  // False when the project has no such cycle.
  static Result<bool> DeleteCycle(Connection& c, int64_t project_id, int64_t cycle_id);
};

}  // namespace caredesk::db
