// Patient merges (migration 0028): a duplicate record's rows moved to the record that stays, each named so
// that an unmerge moves exactly those back. Thread-compatible: static functions over the caller's connection;
// Merge and Unmerge must run inside its write transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct PatientMergeRow {
  int64_t id = 0;
  int64_t survivor_id = 0;
  int64_t merged_id = 0;
  int64_t at_ms = 0;
  std::string username;
  std::string reason;
  std::optional<int64_t> undone_at_ms;
  std::string undone_by;
  std::string undo_reason;
  // The two records as they are now, for display (Find and ForPatient; not Merge).
  std::string survivor_mrn, survivor_name, merged_mrn, merged_name;
  // What the merge moved, by kind ("appointments", "encounters", "coverages", "consents", "cases",
  // "survey_invitations", "survey_responses", "survey_opt_outs", "identifiers"); kinds with none are absent.
  std::map<std::string, int64_t> moved;
};

class PatientMergeRepository {
 public:
  // Moves every row of `merged_id` to `survivor_id` and records each move; marks the merged record
  // merged_into the survivor and moves both records' versions on. A survey opt-out moves only when the
  // survivor has none; identifiers from other systems all move. The caller has checked that both patients
  // exist, differ, and are not merged themselves.
  static Result<PatientMergeRow> Merge(Connection& c, int64_t survivor_id, int64_t merged_id, int64_t at_ms,
                                       std::string_view username, std::string_view reason);
  // Moves back the rows `merge` moved that are still on its survivor, clears the merged record's mark,
  // moves both records' versions on and marks the merge undone. The caller has checked that the merge is
  // not undone and that its survivor is not merged itself. Returns what moved back, by kind.
  static Result<std::map<std::string, int64_t>> Unmerge(Connection& c, const PatientMergeRow& merge, int64_t at_ms,
                                                        std::string_view username, std::string_view reason);
  static Result<std::optional<PatientMergeRow>> Find(Connection& c, int64_t id);
  // The merges the patient took part in, as survivor or as merged record, newest first.
  static Result<std::vector<PatientMergeRow>> ForPatient(Connection& c, int64_t patient_id);
  // The record `patient_id` was merged into, if it was (and the merge is not undone); nullopt as well when
  // there is no such patient.
  static Result<std::optional<int64_t>> MergedInto(Connection& c, int64_t patient_id);

  // What others move with a merge (the FHIR resources kept as sent, by their seq): `row_ids` of `kind` named
  // as moved by merge `merge_id`, so that Find and ForPatient count them and an unmerge can find them.
  static Status RecordMoves(Connection& c, int64_t merge_id, std::string_view kind, const std::vector<int64_t>& row_ids);
  // The rows of `kind` merge `merge_id` moved, in id order.
  static Result<std::vector<int64_t>> Moves(Connection& c, int64_t merge_id, std::string_view kind);
};

}  // namespace caredesk::db
