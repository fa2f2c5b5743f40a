// Encounters (a patient's visit from arrival to departure) and their
// timestamped transitions. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/flow/encounter_criteria.h"
#include "storage/db.h"

namespace caredesk::db {

struct EncounterRow {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::optional<int64_t> appointment_id;
  int64_t location_id = 0;
  std::optional<int64_t> provider_id;
  std::optional<int64_t> room_id;
  std::string state;
  int64_t state_since = 0;
  int64_t arrived_at = 0;
  std::optional<int64_t> ended_at;
  bool walk_in = false;
  int64_t version = 1;
  // Joined for display.
  std::string patient_name;
  std::string provider_name;
  std::string room_name;
  std::string modality;  // the appointment type's ("in_person", "telehealth"); a walk-in's is "in_person"
};

struct TransitionRow {
  int64_t id = 0;
  std::string from_state;
  std::string to_state;
  int64_t at = 0;
  std::string by_user;
  std::optional<int64_t> undone_at;
  std::string undone_by;
};

class EncounterRepository {
 public:
  static Result<int64_t> Insert(Connection& c, const EncounterRow& e);
  // An encounter that is over, as another system recorded it (an import): its state, state_since, arrival and
  // end as given, no transitions.
  static Result<int64_t> InsertEnded(Connection& c, const EncounterRow& e);
  // Such an encounter written again: everything but its id replaced, its version the next. False when there
  // is no encounter `e.id` (at `expected_version`, unless that is 0).
  static Result<bool> ReplaceEnded(Connection& c, const EncounterRow& e, int64_t expected_version = 0);
  static Result<std::optional<EncounterRow>> Find(Connection& c, int64_t id);
  // Encounters at the location that have not ended, oldest arrival first.
  static Result<std::vector<EncounterRow>> Active(Connection& c, int64_t location_id);
  // The patient's encounters, the latest arrival first, at most `limit`.
  static Result<std::vector<EncounterRow>> ForPatient(Connection& c, int64_t patient_id, int limit);
  // The encounters matching `q`, a page of them in q.page's order, and one row more when there is a next
  // page; Count counts every match.
  static Result<std::vector<EncounterRow>> Search(Connection& c, const EncounterCriteria& q);
  static Result<int64_t> Count(Connection& c, const EncounterCriteria& q);
  // Moves the encounter if it is still at `expected_version`; false when
  // someone else moved it first.
  static Result<bool> UpdateState(Connection& c, int64_t id, int64_t expected_version, const std::string& state,
                                  int64_t state_since, std::optional<int64_t> ended_at, std::optional<int64_t> room_id);
  static Result<int64_t> AddTransition(Connection& c, int64_t encounter_id, const std::string& from,
                                       const std::string& to, int64_t at, const std::string& by);
  static Result<std::vector<TransitionRow>> Transitions(Connection& c, int64_t encounter_id);
  static Status MarkUndone(Connection& c, int64_t transition_id, int64_t at, const std::string& by);
  // The latest transition id anywhere: changes when any board changes.
  static Result<int64_t> LatestTransitionId(Connection& c);
};

}  // namespace caredesk::db
