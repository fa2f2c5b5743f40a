#include "storage/patient_merge_repository.h"

#include <algorithm>
#include <array>

namespace caredesk::db {
namespace {

// The tables whose rows belong to one patient by `patient_id` and have an `id`: they move with a merge.
// (The audit trail, the HL7 message logs and the patient's versions stay where they are: they record what
// happened to, or was sent about, the record they name. The FHIR resources kept as sent move through
// PatientMergeService's observer, as new versions, and are recorded here with RecordMoves.)
constexpr std::array<std::string_view, 7> kMovedTables = {
    "appointments", "encounters", "coverages", "consents", "cases", "survey_invitations", "survey_responses"};
constexpr char kOptOuts[] = "survey_opt_outs";
constexpr char kIdentifiers[] = "identifiers";

constexpr char kInsertMerge[] =
    "INSERT INTO patient_merges (survivor_id, merged_id, at, username, reason) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id";
constexpr char kClaim[] =
    "UPDATE patients SET version = version + 1, updated_at = $2 WHERE id = $1 AND merged_into IS NULL";
constexpr char kClaimMerged[] =
    "UPDATE patients SET version = version + 1, updated_at = $2 WHERE id = $1 AND merged_into = $3";
constexpr char kSetMergedInto[] = "UPDATE patients SET merged_into = $2 WHERE id = $1";
constexpr char kAddChange[] = "INSERT INTO patient_changes (patient_id) VALUES ($1)";
constexpr char kMergeColumns[] =
    "SELECT m.id, m.survivor_id, m.merged_id, m.at, m.username, m.reason, m.undone_at, COALESCE(m.undone_by, ''), "
    "COALESCE(m.undo_reason, ''), COALESCE(s.mrn, ''), s.given_name || ' ' || s.family_name, COALESCE(d.mrn, ''), "
    "d.given_name || ' ' || d.family_name "
    "FROM patient_merges m JOIN patients s ON s.id = m.survivor_id JOIN patients d ON d.id = m.merged_id ";

// Moves both records' versions on, the lower id first (two merges of the same pair in opposite directions
// then wait for each other instead of deadlocking), provided each is still as the caller found it: the
// survivor not merged, the merged record unmerged (merging) or merged into the survivor (unmerging).
// Conflict patient_merged naming the field of the record that changed meanwhile.
Status Claim(Connection& c, int64_t survivor_id, int64_t merged_id, int64_t at_ms, bool unmerging) {
  if (c.dialect() == Dialect::kPostgres) {
    // Row locks that conflict with the FOR KEY SHARE of a booking, walk-in or case checking the patient
    // (RequireCurrentPatient) and of the foreign key of what it inserts: a writer that got there first is
    // waited for, so its rows move too; one that comes later waits, then sees the record merged.
    CD_ASSIGN_OR_RETURN(ResultSet locked, c.Query("SELECT id FROM patients WHERE id IN ($1, $2) ORDER BY id FOR UPDATE",
                                                  {survivor_id, merged_id}));
    (void)locked;
  }
  for (int64_t id : {std::min(survivor_id, merged_id), std::max(survivor_id, merged_id)}) {
    const bool merged = id == merged_id;
    Result<int64_t> n = merged && unmerging ? c.Exec(kClaimMerged, {id, at_ms, survivor_id})
                                            : c.Exec(kClaim, {id, at_ms});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      return Error::Conflict("patient_merged",
                             "patient " + std::to_string(id) + " was merged or unmerged meanwhile; reload and try again",
                             merged ? "merged_id" : "survivor_id");
    }
    CD_RETURN_IF_ERROR(c.Exec(kAddChange, {id}));
  }
  return Ok();
}

PatientMergeRow ReadMerge(const ResultSet& rs, size_t i) {
  PatientMergeRow m;
  m.id = rs.Int(i, 0);
  m.survivor_id = rs.Int(i, 1);
  m.merged_id = rs.Int(i, 2);
  m.at_ms = rs.Int(i, 3);
  m.username = rs.Text(i, 4);
  m.reason = rs.Text(i, 5);
  m.undone_at_ms = rs.OptInt(i, 6);
  m.undone_by = rs.Text(i, 7);
  m.undo_reason = rs.Text(i, 8);
  m.survivor_mrn = rs.Text(i, 9);
  m.survivor_name = rs.Text(i, 10);
  m.merged_mrn = rs.Text(i, 11);
  m.merged_name = rs.Text(i, 12);
  return m;
}

// Fills the `moved` counts of `merges`, the merges `where` picks (a test of patient_merges m on $1 = `key`).
Status ReadMoved(Connection& c, std::vector<PatientMergeRow>& merges, const std::string& where, int64_t key) {
  if (merges.empty()) return Ok();
  CD_ASSIGN_OR_RETURN(ResultSet rows,
                      c.Query("SELECT x.merge_id, x.table_name, COUNT(*) FROM patient_merge_moves x JOIN patient_merges m "
                              "ON m.id = x.merge_id WHERE " + where + " GROUP BY x.merge_id, x.table_name UNION ALL "
                              "SELECT x.merge_id, '" + std::string(kIdentifiers) + "', COUNT(*) FROM "
                              "patient_merge_identifiers x JOIN patient_merges m ON m.id = x.merge_id WHERE " + where +
                              " GROUP BY x.merge_id",
                              {key}));
  for (size_t i = 0; i < rows.size(); ++i) {
    for (auto& m : merges) {
      if (m.id == rows.Int(i, 0)) m.moved[rows.Text(i, 1)] = rows.Int(i, 2);
    }
  }
  return Ok();
}

}  // namespace

Result<PatientMergeRow> PatientMergeRepository::Merge(Connection& c, int64_t survivor_id, int64_t merged_id,
                                                       int64_t at_ms, std::string_view username,
                                                       std::string_view reason) {
  PatientMergeRow m;
  m.survivor_id = survivor_id;
  m.merged_id = merged_id;
  m.at_ms = at_ms;
  m.username = std::string(username);
  m.reason = std::string(reason);
  CD_ASSIGN_OR_RETURN(ResultSet id, c.Query(kInsertMerge, {survivor_id, merged_id, at_ms, username, reason}));
  m.id = id.Int(0, 0);
  CD_RETURN_IF_ERROR(Claim(c, survivor_id, merged_id, at_ms, false));
  CD_RETURN_IF_ERROR(c.Exec(kSetMergedInto, {merged_id, survivor_id}));
  for (std::string_view table : kMovedTables) {
    const std::string t(table);
    CD_ASSIGN_OR_RETURN(int64_t n, c.Exec("INSERT INTO patient_merge_moves (merge_id, table_name, row_id) "
                                          "SELECT CAST($1 AS BIGINT), '" + t + "', id FROM " + t + " WHERE patient_id = $2",
                                          {m.id, merged_id}));
    if (n == 0) continue;
    CD_RETURN_IF_ERROR(c.Exec("UPDATE " + t + " SET patient_id = $1 WHERE patient_id = $2", {survivor_id, merged_id}));
    m.moved[t] = n;
  }
  // One opt-out per patient: the merged record's moves only when the survivor has none.
  CD_ASSIGN_OR_RETURN(int64_t opt_out,
                      c.Exec(std::string("INSERT INTO patient_merge_moves (merge_id, table_name, row_id) SELECT CAST($1 AS BIGINT), '") +
                                 kOptOuts + "', patient_id FROM survey_opt_outs WHERE patient_id = $2 AND NOT EXISTS "
                                 "(SELECT 1 FROM survey_opt_outs s WHERE s.patient_id = $3)",
                             {m.id, merged_id, survivor_id}));
  if (opt_out > 0) {
    CD_RETURN_IF_ERROR(c.Exec("UPDATE survey_opt_outs SET patient_id = $1 WHERE patient_id = $2", {survivor_id, merged_id}));
    m.moved[kOptOuts] = opt_out;
  }
  CD_ASSIGN_OR_RETURN(int64_t identifiers,
                      c.Exec("INSERT INTO patient_merge_identifiers (merge_id, system, value) "
                             "SELECT CAST($1 AS BIGINT), system, value FROM patient_identifiers WHERE patient_id = $2",
                             {m.id, merged_id}));
  if (identifiers > 0) {
    CD_RETURN_IF_ERROR(
        c.Exec("UPDATE patient_identifiers SET patient_id = $1 WHERE patient_id = $2", {survivor_id, merged_id}));
    m.moved[kIdentifiers] = identifiers;
  }
  return m;
}

Result<std::map<std::string, int64_t>> PatientMergeRepository::Unmerge(Connection& c, const PatientMergeRow& merge,
                                                                      int64_t at_ms, std::string_view username,
                                                                      std::string_view reason) {
  std::map<std::string, int64_t> back;
  CD_RETURN_IF_ERROR(Claim(c, merge.survivor_id, merge.merged_id, at_ms, true));
  CD_RETURN_IF_ERROR(c.Exec(kSetMergedInto, {merge.merged_id, nullptr}));
  for (std::string_view table : kMovedTables) {
    const std::string t(table);
    CD_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE " + t + " SET patient_id = $1 WHERE patient_id = $2 AND id IN "
                                              "(SELECT row_id FROM patient_merge_moves WHERE merge_id = $3 AND "
                                              "table_name = '" + t + "')",
                                          {merge.merged_id, merge.survivor_id, merge.id}));
    if (n > 0) back[t] = n;
  }
  // The opt-out row is keyed by its patient: the one the merge moved is the survivor's now.
  CD_ASSIGN_OR_RETURN(int64_t opt_out,
                      c.Exec(std::string("UPDATE survey_opt_outs SET patient_id = $1 WHERE patient_id = $2 AND EXISTS "
                                         "(SELECT 1 FROM patient_merge_moves WHERE merge_id = $3 AND table_name = '") +
                                 kOptOuts + "')",
                             {merge.merged_id, merge.survivor_id, merge.id}));
  if (opt_out > 0) back[kOptOuts] = opt_out;
  CD_ASSIGN_OR_RETURN(int64_t identifiers,
                      c.Exec("UPDATE patient_identifiers SET patient_id = $1 WHERE patient_id = $2 AND EXISTS "
                             "(SELECT 1 FROM patient_merge_identifiers m WHERE m.merge_id = $3 AND "
                             "m.system = patient_identifiers.system AND m.value = patient_identifiers.value)",
                             {merge.merged_id, merge.survivor_id, merge.id}));
  if (identifiers > 0) back[kIdentifiers] = identifiers;
  CD_RETURN_IF_ERROR(c.Exec("UPDATE patient_merges SET undone_at = $2, undone_by = $3, undo_reason = $4 WHERE id = $1",
                            {merge.id, at_ms, username, reason}));
  return back;
}

Result<std::optional<PatientMergeRow>> PatientMergeRepository::Find(Connection& c, int64_t id) {
  static const std::string kWhere = "m.id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string(kMergeColumns) + "WHERE " + kWhere, {id}));
  if (rs.empty()) return std::optional<PatientMergeRow>();
  std::vector<PatientMergeRow> one{ReadMerge(rs, 0)};
  CD_RETURN_IF_ERROR(ReadMoved(c, one, kWhere, id));
  return std::optional<PatientMergeRow>(std::move(one.front()));
}

Result<std::vector<PatientMergeRow>> PatientMergeRepository::ForPatient(Connection& c, int64_t patient_id) {
  static const std::string kWhere = "(m.survivor_id = $1 OR m.merged_id = $1)";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string(kMergeColumns) + "WHERE " + kWhere + " ORDER BY m.id DESC",
                                            {patient_id}));
  std::vector<PatientMergeRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadMerge(rs, i));
  CD_RETURN_IF_ERROR(ReadMoved(c, out, kWhere, patient_id));
  return out;
}

Result<std::optional<int64_t>> PatientMergeRepository::MergedInto(Connection& c, int64_t patient_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT merged_into FROM patients WHERE id = $1", {patient_id}));
  if (rs.empty()) return std::optional<int64_t>();
  return rs.OptInt(0, 0);
}

Status PatientMergeRepository::RecordMoves(Connection& c, int64_t merge_id, std::string_view kind,
                                          const std::vector<int64_t>& row_ids) {
  for (int64_t row : row_ids) {
    CD_RETURN_IF_ERROR(c.Exec("INSERT INTO patient_merge_moves (merge_id, table_name, row_id) VALUES ($1, $2, $3)",
                              {merge_id, kind, row}));
  }
  return Ok();
}

Result<std::vector<int64_t>> PatientMergeRepository::Moves(Connection& c, int64_t merge_id, std::string_view kind) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT row_id FROM patient_merge_moves WHERE merge_id = $1 AND "
                                            "table_name = $2 ORDER BY row_id",
                                            {merge_id, kind}));
  std::vector<int64_t> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(rs.Int(i, 0));
  return out;
}

}  // namespace caredesk::db
