#include "storage/case_repository.h"


namespace caredesk::db {
namespace {

constexpr char kColumns[] =
    "c.id, c.reference_number, c.kind, c.inquiry_type, c.status, c.channel, c.category, c.severity, c.description, "
    "c.desired_outcome, c.patient_id, c.encounter_id, c.location_id, c.department, c.staff_member, c.contact_name, "
    "c.contact_email, c.contact_phone, c.contact_preference, c.owner_user_id, c.facts, c.triage_chosen, "
    "c.triage_overridden, c.triage_override_reason, c.triage_by, c.triage_at, c.received_at, c.acknowledged_at, "
    "c.interim_notice_at, c.resolved_at, c.decision_letter_at, c.closed_at, c.reopened_at, c.next_due_at, c.source, "
    "c.created_by, c.created_at, c.updated_at, "
    "COALESCE(p.given_name || ' ' || p.family_name, ''), l.name, l.time_zone, COALESCE(u.display_name, '')";
constexpr char kFrom[] =
    " FROM cases c JOIN locations l ON l.id = c.location_id LEFT JOIN patients p ON p.id = c.patient_id "
    "LEFT JOIN users u ON u.id = c.owner_user_id ";

constexpr char kInsert[] =
    "INSERT INTO cases (reference_number, kind, inquiry_type, status, channel, category, severity, description, "
    "desired_outcome, patient_id, encounter_id, location_id, department, staff_member, contact_name, contact_email, "
    "contact_phone, contact_preference, owner_user_id, facts, triage_chosen, triage_overridden, "
    "triage_override_reason, triage_by, triage_at, received_at, acknowledged_at, interim_notice_at, resolved_at, "
    "decision_letter_at, closed_at, reopened_at, next_due_at, source, created_by, created_at, updated_at) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
    "$25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $36) RETURNING id";
constexpr char kUpdate[] =
    "UPDATE cases SET kind = $2, inquiry_type = $3, status = $4, channel = $5, category = $6, severity = $7, "
    "description = $8, desired_outcome = $9, patient_id = $10, encounter_id = $11, location_id = $12, "
    "department = $13, staff_member = $14, contact_name = $15, contact_email = $16, contact_phone = $17, "
    "contact_preference = $18, owner_user_id = $19, facts = $20, triage_chosen = $21, triage_overridden = $22, "
    "triage_override_reason = $23, triage_by = $24, triage_at = $25, received_at = $26, acknowledged_at = $27, "
    "interim_notice_at = $28, resolved_at = $29, decision_letter_at = $30, closed_at = $31, reopened_at = $32, "
    "next_due_at = $33, updated_at = $34 WHERE id = $1";

CaseRow ReadCase(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  CaseRow c;
  int k = 0;
  c.id = r.Int(k++);
  c.reference_number = r.Text(k++);
  c.kind = r.Text(k++);
  c.inquiry_type = r.OptText(k++);
  c.status = r.Text(k++);
  c.channel = r.Text(k++);
  c.category = r.Text(k++);
  c.severity = r.Text(k++);
  c.description = r.Text(k++);
  c.desired_outcome = r.Text(k++);
  c.patient_id = r.OptInt(k++);
  c.encounter_id = r.OptInt(k++);
  c.location_id = r.Int(k++);
  c.department = r.Text(k++);
  c.staff_member = r.Text(k++);
  c.contact_name = r.Text(k++);
  c.contact_email = r.Text(k++);
  c.contact_phone = r.Text(k++);
  c.contact_preference = r.Text(k++);
  c.owner_user_id = r.OptInt(k++);
  c.facts = r.Text(k++);
  c.triage_chosen = r.OptText(k++);
  c.triage_overridden = r.Int(k++) != 0;
  c.triage_override_reason = r.Text(k++);
  c.triage_by = r.Text(k++);
  c.triage_at = r.OptInt(k++);
  c.received_at = r.Int(k++);
  c.acknowledged_at = r.OptInt(k++);
  c.interim_notice_at = r.OptInt(k++);
  c.resolved_at = r.OptInt(k++);
  c.decision_letter_at = r.OptInt(k++);
  c.closed_at = r.OptInt(k++);
  c.reopened_at = r.OptInt(k++);
  c.next_due_at = r.OptInt(k++);
  c.source = r.Text(k++);
  c.created_by = r.Text(k++);
  c.created_at = r.Int(k++);
  c.updated_at = r.Int(k++);
  c.patient_name = r.Text(k++);
  c.location_name = r.Text(k++);
  c.time_zone = r.Text(k++);
  c.owner_name = r.Text(k++);
  return c;
}

// One WHERE clause for every filter: an absent criterion is a NULL (or 0, or
// '') parameter that disables its condition. CASTs type the parameters for
// PostgreSQL and are harmless on SQLite.
constexpr char kWhere[] =
    " WHERE (CAST($1 AS TEXT) IS NULL OR c.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR c.status = $2) "
    "AND (CAST($3 AS BIGINT) = 0 OR c.status NOT IN ('resolved', 'closed')) "
    "AND (CAST($4 AS BIGINT) IS NULL OR (c.status <> 'closed' AND c.next_due_at < $4)) "
    "AND (CAST($5 AS BIGINT) IS NULL OR c.owner_user_id = $5) AND (CAST($6 AS BIGINT) IS NULL OR c.location_id = $6) "
    "AND (CAST($7 AS BIGINT) IS NULL OR c.patient_id = $7) AND (CAST($8 AS BIGINT) IS NULL OR c.received_at >= $8) "
    "AND (CAST($9 AS BIGINT) IS NULL OR c.received_at < $9) "
    "AND (CAST($10 AS TEXT) = '' OR LOWER(c.description) LIKE $10 ESCAPE '!' OR LOWER(c.contact_name) LIKE $10 "
    "ESCAPE '!' OR LOWER(c.reference_number) LIKE $10 ESCAPE '!') AND (CAST($11 AS TEXT) IS NULL OR c.category = $11)";

}  // namespace

Result<int64_t> CaseRepository::NextSequence(Connection& c, int year) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("INSERT INTO case_sequences (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE "
                              "SET last = case_sequences.last + 1 RETURNING last",
                              {int64_t{year}}));
  return rs.Int(0, 0);
}

Result<int64_t> CaseRepository::Insert(Connection& c, const CaseRow& r) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(kInsert,
              {r.reference_number, r.kind, r.inquiry_type, r.status, r.channel, r.category, r.severity,
               r.description, r.desired_outcome, r.patient_id, r.encounter_id, r.location_id, r.department,
               r.staff_member, r.contact_name, r.contact_email, r.contact_phone, r.contact_preference,
               r.owner_user_id, r.facts, r.triage_chosen, r.triage_overridden, r.triage_override_reason, r.triage_by,
               r.triage_at, r.received_at, r.acknowledged_at, r.interim_notice_at, r.resolved_at,
               r.decision_letter_at, r.closed_at, r.reopened_at, r.next_due_at, r.source, r.created_by,
               r.created_at}));
  return rs.Int(0, 0);
}

Status CaseRepository::Update(Connection& c, const CaseRow& r) {
  CD_RETURN_IF_ERROR(c.Exec(
      kUpdate, {r.id, r.kind, r.inquiry_type, r.status, r.channel, r.category, r.severity, r.description,
                r.desired_outcome, r.patient_id, r.encounter_id, r.location_id, r.department, r.staff_member,
                r.contact_name, r.contact_email, r.contact_phone, r.contact_preference, r.owner_user_id, r.facts,
                r.triage_chosen, r.triage_overridden, r.triage_override_reason, r.triage_by, r.triage_at,
                r.received_at, r.acknowledged_at, r.interim_notice_at, r.resolved_at, r.decision_letter_at,
                r.closed_at, r.reopened_at, r.next_due_at, r.updated_at}));
  return Ok();
}

Result<std::optional<CaseRow>> CaseRepository::Find(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(std::string("SELECT ") + kColumns + kFrom + "WHERE c.id = $1", {id}));
  if (rs.empty()) return std::optional<CaseRow>();
  return std::optional<CaseRow>(ReadCase(rs, 0));
}

Result<std::optional<CaseRow>> CaseRepository::FindByReference(Connection& c, const std::string& ref) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(std::string("SELECT ") + kColumns + kFrom + "WHERE c.reference_number = $1", {ref}));
  if (rs.empty()) return std::optional<CaseRow>();
  return std::optional<CaseRow>(ReadCase(rs, 0));
}

Result<std::pair<std::vector<CaseRow>, int64_t>> CaseRepository::List(Connection& c, const CaseFilter& f) {
  std::string like = ContainsPattern(f.text);
  CD_ASSIGN_OR_RETURN(ResultSet count,
                      c.Query(std::string("SELECT COUNT(*)") + kFrom + kWhere,
                              {f.kind, f.status, int64_t{f.open_only ? 1 : 0}, f.overdue_at, f.owner_user_id,
                               f.location_id, f.patient_id, f.received_from, f.received_to, like, f.category}));
  std::string sql = std::string("SELECT ") + kColumns + kFrom + kWhere +
                    " ORDER BY CASE WHEN c.next_due_at IS NULL THEN 1 ELSE 0 END, c.next_due_at, c.received_at DESC, "
                    "c.id DESC LIMIT $12 OFFSET $13";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {f.kind, f.status, int64_t{f.open_only ? 1 : 0}, f.overdue_at,
                                                  f.owner_user_id, f.location_id, f.patient_id, f.received_from,
                                                  f.received_to, like, f.category, int64_t{f.limit},
                                                  int64_t{f.offset}}));
  std::vector<CaseRow> rows;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(ReadCase(rs, i));
  return std::make_pair(std::move(rows), count.Int(0, 0));
}

Result<std::vector<CaseRow>> CaseRepository::Received(Connection& c, int64_t from, int64_t to,
                                                      std::optional<int64_t> location_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kColumns + kFrom +
                                                "WHERE c.received_at >= $1 AND c.received_at < $2 "
                                                "AND (CAST($3 AS BIGINT) IS NULL OR c.location_id = $3) "
                                                "ORDER BY c.received_at",
                                            {from, to, location_id}));
  std::vector<CaseRow> rows;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(ReadCase(rs, i));
  return rows;
}

Result<int64_t> CaseRepository::CountOpen(Connection& c, std::optional<int64_t> location_id,
                                          std::optional<int64_t> overdue_at) {
  // Open: not resolved or closed. Overdue: not closed (a resolved grievance
  // may still owe its written decision) with a deadline passed.
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT COUNT(*) FROM cases c WHERE (CAST($1 AS BIGINT) IS NULL OR "
                                            "c.location_id = $1) AND CASE WHEN CAST($2 AS BIGINT) IS NULL THEN "
                                            "c.status NOT IN ('resolved', 'closed') ELSE c.status <> 'closed' AND "
                                            "c.next_due_at < $2 END",
                                            {location_id, overdue_at}));
  return rs.Int(0, 0);
}

Status CaseRepository::AddEvent(Connection& c, const CaseEventRow& e) {
  CD_RETURN_IF_ERROR(c.Exec("INSERT INTO case_events (case_id, at, by_user, type, text) VALUES ($1, $2, $3, $4, $5)",
                            {e.case_id, e.at, e.by_user, e.type, e.text}));
  return Ok();
}

Result<std::vector<CaseEventRow>> CaseRepository::Events(Connection& c, int64_t case_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT id, case_id, at, by_user, type, text FROM case_events "
                                            "WHERE case_id = $1 ORDER BY id",
                                            {case_id}));
  std::vector<CaseEventRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back({rs.Int(i, 0), rs.Int(i, 1), rs.Int(i, 2), rs.Text(i, 3), rs.Text(i, 4), rs.Text(i, 5)});
  }
  return out;
}

Result<int64_t> CaseRepository::AddAttachment(Connection& c, const CaseAttachmentRow& a,
                                              const std::string& data_base64) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("INSERT INTO case_attachments (case_id, filename, content_type, size, data_base64, "
                              "uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                              {a.case_id, a.filename, a.content_type, a.size, data_base64, a.uploaded_at,
                               a.uploaded_by}));
  return rs.Int(0, 0);
}

Result<std::vector<CaseAttachmentRow>> CaseRepository::Attachments(Connection& c, int64_t case_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT id, case_id, filename, content_type, size, uploaded_at, "
                                            "uploaded_by FROM case_attachments WHERE case_id = $1 ORDER BY id",
                                            {case_id}));
  std::vector<CaseAttachmentRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back({rs.Int(i, 0), rs.Int(i, 1), rs.Text(i, 2), rs.Text(i, 3), rs.Int(i, 4), rs.Int(i, 5),
                   rs.Text(i, 6)});
  }
  return out;
}

Result<std::optional<std::pair<CaseAttachmentRow, std::string>>> CaseRepository::Attachment(Connection& c,
                                                                                             int64_t case_id,
                                                                                             int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT id, case_id, filename, content_type, size, uploaded_at, "
                                            "uploaded_by, data_base64 FROM case_attachments "
                                            "WHERE case_id = $1 AND id = $2",
                                            {case_id, id}));
  using Out = std::optional<std::pair<CaseAttachmentRow, std::string>>;
  if (rs.empty()) return Out();
  CaseAttachmentRow a{rs.Int(0, 0), rs.Int(0, 1), rs.Text(0, 2), rs.Text(0, 3), rs.Int(0, 4), rs.Int(0, 5),
                      rs.Text(0, 6)};
  return Out(std::make_pair(std::move(a), rs.Text(0, 7)));
}

Status CaseRepository::SaveLetter(Connection& c, const CaseLetterRow& l) {
  CD_RETURN_IF_ERROR(c.Exec(
      "INSERT INTO case_letters (case_id, contact_name, contact_title, contact_phone, investigation_steps, results, "
      "completion_date, letter_date, further_recourse, rendered_text, pdf_base64, updated_at, sent_at) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (case_id) DO UPDATE SET "
      "contact_name = excluded.contact_name, contact_title = excluded.contact_title, "
      "contact_phone = excluded.contact_phone, investigation_steps = excluded.investigation_steps, "
      "results = excluded.results, completion_date = excluded.completion_date, letter_date = excluded.letter_date, "
      "further_recourse = excluded.further_recourse, rendered_text = excluded.rendered_text, "
      "pdf_base64 = excluded.pdf_base64, updated_at = excluded.updated_at, sent_at = excluded.sent_at",
      {l.case_id, l.contact_name, l.contact_title, l.contact_phone, l.investigation_steps, l.results,
       l.completion_date, l.letter_date, l.further_recourse, l.rendered_text, l.pdf_base64, l.updated_at,
       l.sent_at}));
  return Ok();
}

Result<std::optional<CaseLetterRow>> CaseRepository::Letter(Connection& c, int64_t case_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("SELECT case_id, contact_name, contact_title, contact_phone, investigation_steps, "
                              "results, completion_date, letter_date, further_recourse, rendered_text, pdf_base64, "
                              "updated_at, sent_at FROM case_letters WHERE case_id = $1",
                              {case_id}));
  if (rs.empty()) return std::optional<CaseLetterRow>();
  RowRef r(rs, 0);
  CaseLetterRow l;
  l.case_id = r.Int(0);
  l.contact_name = r.Text(1);
  l.contact_title = r.Text(2);
  l.contact_phone = r.Text(3);
  l.investigation_steps = r.Text(4);
  l.results = r.Text(5);
  l.completion_date = r.Text(6);
  l.letter_date = r.Text(7);
  l.further_recourse = r.Text(8);
  l.rendered_text = r.Text(9);
  l.pdf_base64 = r.Text(10);
  l.updated_at = r.Int(11);
  l.sent_at = r.OptInt(12);
  return std::optional<CaseLetterRow>(std::move(l));
}

Status CaseRepository::MarkLetterSent(Connection& c, int64_t case_id, int64_t at) {
  CD_RETURN_IF_ERROR(c.Exec("UPDATE case_letters SET sent_at = $2 WHERE case_id = $1", {case_id, at}));
  return Ok();
}

Result<std::optional<LocationCalendarRow>> CaseRepository::Calendar(Connection& c, int64_t location_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT location_id, working_weekdays, holidays FROM location_calendars "
                                            "WHERE location_id = $1",
                                            {location_id}));
  if (rs.empty()) return std::optional<LocationCalendarRow>();
  return std::optional<LocationCalendarRow>(LocationCalendarRow{rs.Int(0, 0), rs.Text(0, 1), rs.Text(0, 2)});
}

Status CaseRepository::SaveCalendar(Connection& c, const LocationCalendarRow& row) {
  CD_RETURN_IF_ERROR(c.Exec("INSERT INTO location_calendars (location_id, working_weekdays, holidays) VALUES "
                            "($1, $2, $3) ON CONFLICT (location_id) DO UPDATE SET "
                            "working_weekdays = excluded.working_weekdays, holidays = excluded.holidays",
                            {row.location_id, row.working_weekdays, row.holidays}));
  return Ok();
}

}  // namespace caredesk::db
