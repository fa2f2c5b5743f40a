#include "storage/survey_repository.h"

#include <charconv>
#include <map>

namespace caredesk::db {
namespace {

std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += ',';
    out += std::to_string(v);
  }
  return out;
}

std::vector<int> SplitInts(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    int v = 0;
    if (std::from_chars(part.data(), part.data() + part.size(), v).ec == std::errc()) out.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinStrings(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

std::vector<std::string> SplitStrings(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

constexpr char kInvitationColumns[] =
    "i.id, i.encounter_id, i.patient_id, i.survey_id, i.survey_version, i.location_id, i.provider_id, i.department, "
    "i.visit_date, i.channel, i.email, i.issued_at, i.expires_at, i.sent_at, i.printed_at, i.reminders, "
    "i.last_reminder_at, i.next_send_at, i.used_at, i.send_error, i.attempts, "
    "CASE WHEN o.patient_id IS NULL THEN 0 ELSE 1 END, "
    "COALESCE(p.family_name, '') || ', ' || COALESCE(p.given_name, ''), l.name, l.time_zone, COALESCE(pr.name, '')";
constexpr char kInvitationJoins[] =
    " FROM survey_invitations i JOIN locations l ON l.id = i.location_id "
    "LEFT JOIN patients p ON p.id = i.patient_id LEFT JOIN providers pr ON pr.id = i.provider_id "
    "LEFT JOIN survey_opt_outs o ON o.patient_id = i.patient_id";

InvitationRow ReadInvitation(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  InvitationRow row;
  row.id = r.Int(0);
  row.encounter_id = r.OptInt(1);
  row.patient_id = r.Int(2);
  row.survey_id = r.Text(3);
  row.survey_version = static_cast<int>(r.Int(4));
  row.location_id = r.Int(5);
  row.provider_id = r.OptInt(6);
  row.department = r.Text(7);
  row.visit_date = r.Text(8);
  row.channel = r.Text(9);
  row.email = r.Text(10);
  row.issued_at = r.Int(11);
  row.expires_at = r.Int(12);
  row.sent_at = r.OptInt(13);
  row.printed_at = r.OptInt(14);
  row.reminders = static_cast<int>(r.Int(15));
  row.last_reminder_at = r.OptInt(16);
  row.next_send_at = r.OptInt(17);
  row.used_at = r.OptInt(18);
  row.send_error = r.Text(19);
  row.attempts = static_cast<int>(r.Int(20));
  row.opted_out = r.Int(21) != 0;
  row.patient_name = r.Text(22);
  row.location_name = r.Text(23);
  row.location_time_zone = r.Text(24);
  row.provider_name = r.Text(25);
  return row;
}

// The filter of responses and invitations (alias `x`) by survey, version, visit dates and location.
constexpr char kPeriodWhere[] =
    " WHERE x.survey_id = $1 AND x.survey_version = $2 AND (CAST($3 AS TEXT) = '' OR x.visit_date >= $3) "
    "AND (CAST($4 AS TEXT) = '' OR x.visit_date <= $4) AND (CAST($5 AS BIGINT) IS NULL OR x.location_id = $5)";

// A completed or current visit with what a survey invitation or response about it needs (SurveyCandidate's
// fields in order; the end is the arrival while the visit has not ended).
constexpr char kVisitSelect[] =
    "SELECT e.id, e.patient_id, e.location_id, e.provider_id, COALESCE(pr.specialty, ''), "
    "COALESCE(e.ended_at, e.arrived_at), l.time_zone, p.email, p.preferred_contact_method, "
    "CASE WHEN o.patient_id IS NULL THEN 0 ELSE 1 END "
    "FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN locations l ON l.id = e.location_id "
    "LEFT JOIN providers pr ON pr.id = e.provider_id "
    "LEFT JOIN survey_opt_outs o ON o.patient_id = e.patient_id";

SurveyCandidate VisitAt(const RowRef& r) {
  return {r.Int(0), r.Int(1), r.Int(2), r.OptInt(3), r.Text(4), r.Int(5), r.Text(6), r.Text(7), r.Text(8),
          r.Int(9) != 0};
}

// item_id, value, text from column `first` on.
surveys::Answer AnswerAt(const RowRef& r, int first) {
  surveys::Answer a;
  a.item_id = r.Text(first);
  if (auto v = r.OptInt(first + 1)) a.value = static_cast<int>(*v);
  a.text = r.OptText(first + 2);
  return a;
}

}  // namespace

Status SurveyRepository::InsertVersion(Connection& c, const surveys::SurveyDefinition& d, int64_t at,
                                       const std::string& by) {
  CD_RETURN_IF_ERROR(c.Exec("INSERT INTO survey_versions (survey_id, version, title, created_at, created_by) "
                            "VALUES ($1, $2, $3, $4, $5)",
                            {d.id(), d.version(), d.title(), at, by}));
  int position = 0;
  for (const auto& item : d.items()) {
    const auto& b = item.boxes;
    CD_RETURN_IF_ERROR(c.Exec(
        "INSERT INTO survey_items (survey_id, version, position, item_id, text, kind, measure_id, top_values, "
        "middle_values, bottom_values, top_label, middle_label, bottom_label) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        {d.id(), d.version(), position++, item.id, item.text, surveys::ItemKindName(item.kind), item.measure_id,
         JoinInts(b.top), JoinInts(b.middle), JoinInts(b.bottom), b.top_label, b.middle_label, b.bottom_label}));
  }
  position = 0;
  for (const auto& m : d.measures()) {
    CD_RETURN_IF_ERROR(c.Exec("INSERT INTO survey_measures (survey_id, version, position, measure_id, name, item_ids) "
                              "VALUES ($1, $2, $3, $4, $5, $6)",
                              {d.id(), d.version(), position++, m.id, m.name, JoinStrings(m.item_ids)}));
  }
  return Ok();
}

Result<std::optional<StoredSurvey>> SurveyRepository::LoadVersion(Connection& c, const std::string& id,
                                                                   int version) {
  CD_ASSIGN_OR_RETURN(ResultSet head, c.Query("SELECT title, created_at, created_by FROM survey_versions "
                                              "WHERE survey_id = $1 AND version = $2",
                                              {id, version}));
  if (head.empty()) return std::optional<StoredSurvey>();
  surveys::SurveyDraft draft;
  draft.id = id;
  draft.version = version;
  draft.title = head.Text(0, 0);
  CD_ASSIGN_OR_RETURN(ResultSet items,
                      c.Query("SELECT item_id, text, kind, measure_id, top_values, middle_values, bottom_values, "
                              "top_label, middle_label, bottom_label FROM survey_items "
                              "WHERE survey_id = $1 AND version = $2 ORDER BY position",
                              {id, version}));
  for (size_t i = 0; i < items.size(); ++i) {
    RowRef r(items, i);
    surveys::SurveyItem item;
    item.id = r.Text(0);
    item.text = r.Text(1);
    auto kind = surveys::ParseItemKind(r.Text(2));
    if (!kind) return Error::Internal("survey " + id + " has an item of unknown kind " + r.Text(2));
    item.kind = *kind;
    item.measure_id = r.Text(3);
    item.boxes.top = SplitInts(r.Text(4));
    item.boxes.middle = SplitInts(r.Text(5));
    item.boxes.bottom = SplitInts(r.Text(6));
    item.boxes.top_label = r.Text(7);
    item.boxes.middle_label = r.Text(8);
    item.boxes.bottom_label = r.Text(9);
    draft.items.push_back(std::move(item));
  }
  CD_ASSIGN_OR_RETURN(ResultSet measures, c.Query("SELECT measure_id, name, item_ids FROM survey_measures "
                                                  "WHERE survey_id = $1 AND version = $2 ORDER BY position",
                                                  {id, version}));
  for (size_t i = 0; i < measures.size(); ++i) {
    draft.measures.push_back({measures.Text(i, 0), measures.Text(i, 1), SplitStrings(measures.Text(i, 2))});
  }
  auto def = surveys::SurveyDefinition::Create(std::move(draft));
  if (!def.ok()) return Error::Internal("stored survey " + id + " is not valid: " + def.error().message);
  return std::optional<StoredSurvey>(StoredSurvey{std::move(def).value(), head.Int(0, 1), head.Text(0, 2)});
}

Result<std::optional<int>> SurveyRepository::LatestVersion(Connection& c, const std::string& id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT MAX(version) FROM survey_versions WHERE survey_id = $1", {id}));
  auto v = rs.OptInt(0, 0);
  if (!v) return std::optional<int>();
  return std::optional<int>(static_cast<int>(*v));
}

Result<std::vector<int>> SurveyRepository::Versions(Connection& c, const std::string& id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("SELECT version FROM survey_versions WHERE survey_id = $1 ORDER BY version", {id}));
  std::vector<int> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(static_cast<int>(rs.Int(i, 0)));
  return out;
}

Result<std::vector<SurveySummaryRow>> SurveyRepository::List(Connection& c) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("SELECT v.survey_id, v.title, v.version, "
              "(SELECT MIN(f.created_at) FROM survey_versions f WHERE f.survey_id = v.survey_id), "
              "(SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = v.survey_id) "
              "FROM survey_versions v WHERE v.version = (SELECT MAX(m.version) FROM survey_versions m "
              "WHERE m.survey_id = v.survey_id) ORDER BY v.survey_id"));
  std::vector<SurveySummaryRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back({rs.Text(i, 0), rs.Text(i, 1), static_cast<int>(rs.Int(i, 2)), rs.Int(i, 3), rs.Int(i, 4)});
  }
  return out;
}

Result<int64_t> SurveyRepository::CountResponses(Connection& c, const std::string& id, std::optional<int> version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1 "
                                            "AND (CAST($2 AS BIGINT) IS NULL OR survey_version = $2)",
                                            {id, version}));
  return rs.Int(0, 0);
}

Result<std::vector<SurveyCandidate>> SurveyRepository::Candidates(Connection& c, int64_t ended_from, int64_t ended_to,
                                                                  int limit) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(std::string(kVisitSelect) +
                  " WHERE e.state = 'completed' AND e.ended_at >= $1 AND e.ended_at < $2 "
              "AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.encounter_id = e.id) "
              "ORDER BY e.ended_at, e.id LIMIT $3",
              {ended_from, ended_to, int64_t{limit}}));
  std::vector<SurveyCandidate> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(VisitAt(RowRef(rs, i)));
  return out;
}

Result<std::optional<int64_t>> SurveyRepository::InsertInvitation(Connection& c, const InvitationRow& r) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("INSERT INTO survey_invitations (encounter_id, patient_id, survey_id, survey_version, location_id, "
              "provider_id, department, visit_date, channel, email, issued_at, expires_at, next_send_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
              "ON CONFLICT (encounter_id) DO NOTHING RETURNING id",
              {r.encounter_id, r.patient_id, r.survey_id, r.survey_version, r.location_id, r.provider_id, r.department,
               r.visit_date, r.channel, r.email, r.issued_at, r.expires_at, r.next_send_at}));
  if (rs.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rs.Int(0, 0));
}

Status SurveyRepository::AddToken(Connection& c, const std::string& token_hash, int64_t invitation_id, int64_t at) {
  return StatusOf(c.Exec("INSERT INTO survey_tokens (token_hash, invitation_id, issued_at) VALUES ($1, $2, $3)",
                {token_hash, invitation_id, at}));
}

Result<std::optional<InvitationRow>> SurveyRepository::FindInvitation(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kInvitationColumns + kInvitationJoins +
                                                " WHERE i.id = $1",
                                            {id}));
  if (rs.empty()) return std::optional<InvitationRow>();
  return std::optional<InvitationRow>(ReadInvitation(rs, 0));
}

Result<std::optional<InvitationRow>> SurveyRepository::FindByToken(Connection& c, const std::string& token_hash) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kInvitationColumns + kInvitationJoins +
                                                " JOIN survey_tokens t ON t.invitation_id = i.id "
                                                "WHERE t.token_hash = $1",
                                            {token_hash}));
  if (rs.empty()) return std::optional<InvitationRow>();
  return std::optional<InvitationRow>(ReadInvitation(rs, 0));
}

Result<std::pair<std::vector<InvitationRow>, int64_t>> SurveyRepository::ListInvitations(Connection& c,
                                                                                         const InvitationFilter& f) {
  // The states of surveys::TokenStateAt, in its order: opted out, used, expired, valid.
  static const std::string where =
      " WHERE (CAST($1 AS TEXT) IS NULL OR i.channel = $1) "
      "AND (CAST($2 AS BIGINT) IS NULL OR (CASE WHEN i.printed_at IS NULL THEN 0 ELSE 1 END) = $2) "
      "AND (CAST($3 AS BIGINT) IS NULL OR i.location_id = $3) "
      "AND (CAST($4 AS TEXT) IS NULL "
      " OR ($4 = 'opted_out' AND o.patient_id IS NOT NULL) "
      " OR ($4 = 'used' AND o.patient_id IS NULL AND i.used_at IS NOT NULL) "
      " OR ($4 = 'expired' AND o.patient_id IS NULL AND i.used_at IS NULL AND i.expires_at <= $5) "
      " OR ($4 = 'valid' AND o.patient_id IS NULL AND i.used_at IS NULL AND i.expires_at > $5))";
  std::optional<int64_t> printed;
  if (f.printed) printed = *f.printed ? 1 : 0;
  CD_ASSIGN_OR_RETURN(ResultSet count,
                      c.Query(std::string("SELECT COUNT(*)") + kInvitationJoins + where,
                              {f.channel, printed, f.location_id, f.state, f.now}));
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kInvitationColumns + kInvitationJoins + where +
                                                " ORDER BY i.issued_at DESC, i.id DESC LIMIT $6 OFFSET $7",
                                            {f.channel, printed, f.location_id, f.state, f.now, int64_t{f.limit},
                                             int64_t{f.offset}}));
  std::vector<InvitationRow> rows;
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(ReadInvitation(rs, i));
  return std::make_pair(std::move(rows), count.Int(0, 0));
}

Result<std::vector<InvitationRow>> SurveyRepository::DueForEmail(Connection& c, int64_t now, int limit) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(std::string("SELECT ") + kInvitationColumns + kInvitationJoins +
                                                " WHERE i.next_send_at <= $1 AND i.used_at IS NULL "
                                                "AND i.expires_at > $1 AND i.channel = 'email' "
                                                "ORDER BY i.next_send_at, i.id LIMIT $2",
                                            {now, int64_t{limit}}));
  std::vector<InvitationRow> rows;
  for (size_t i = 0; i < rs.size(); ++i) rows.push_back(ReadInvitation(rs, i));
  return rows;
}

Status SurveyRepository::MarkEmailed(Connection& c, int64_t id, int64_t at, bool reminder,
                                     std::optional<int64_t> next_send_at) {
  if (reminder) {
    return StatusOf(c.Exec("UPDATE survey_invitations SET reminders = reminders + 1, last_reminder_at = $2, "
                  "next_send_at = $3, send_error = '', attempts = 0 WHERE id = $1",
                  {id, at, next_send_at}));
  }
  return StatusOf(c.Exec("UPDATE survey_invitations SET sent_at = $2, next_send_at = $3, send_error = '', attempts = 0 "
                "WHERE id = $1",
                {id, at, next_send_at}));
}

Status SurveyRepository::MarkEmailFailed(Connection& c, int64_t id, const std::string& error, int64_t retry_at) {
  return StatusOf(c.Exec("UPDATE survey_invitations SET send_error = $2, attempts = attempts + 1, next_send_at = $3 "
                "WHERE id = $1",
                {id, error, retry_at}));
}

Status SurveyRepository::MarkPrinted(Connection& c, int64_t id, int64_t at) {
  return StatusOf(c.Exec("UPDATE survey_invitations SET printed_at = $2 WHERE id = $1", {id, at}));
}

Result<bool> SurveyRepository::MarkUsed(Connection& c, int64_t id, int64_t at) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE survey_invitations SET used_at = $2, next_send_at = NULL "
                                        "WHERE id = $1 AND used_at IS NULL",
                                        {id, at}));
  return n == 1;
}

Status SurveyRepository::OptOut(Connection& c, int64_t patient_id, int64_t at, const std::string& via) {
  CD_RETURN_IF_ERROR(c.Exec("INSERT INTO survey_opt_outs (patient_id, at, via) VALUES ($1, $2, $3) "
                            "ON CONFLICT (patient_id) DO NOTHING",
                            {patient_id, at, via}));
  // Nothing more is sent to the patient: pending emails and reminders stop.
  return StatusOf(c.Exec("UPDATE survey_invitations SET next_send_at = NULL WHERE patient_id = $1", {patient_id}));
}

Result<int64_t> SurveyRepository::InsertResponse(Connection& c, const ResponseRow& r) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("INSERT INTO survey_responses (survey_id, survey_version, source, invitation_id, import_id, "
              "respondent_id, encounter_id, patient_id, location_id, provider_id, location_label, provider_label, "
              "department, visit_date, received_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
              {r.survey_id, r.survey_version, r.source, r.invitation_id, r.import_id, r.respondent_id, r.encounter_id,
               r.patient_id, r.location_id, r.provider_id, r.location_label, r.provider_label, r.department,
               r.visit_date, r.received_at}));
  int64_t id = rs.Int(0, 0);
  for (const auto& a : r.answers) {
    CD_RETURN_IF_ERROR(c.Exec("INSERT INTO survey_answers (response_id, item_id, value, text) VALUES ($1, $2, $3, $4)",
                              {id, a.item_id, a.value, a.text}));
  }
  return id;
}

Result<bool> SurveyRepository::RespondentExists(Connection& c, const std::string& survey_id,
                                                const std::string& respondent_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT 1 FROM survey_responses WHERE survey_id = $1 "
                                            "AND respondent_id = $2",
                                            {survey_id, respondent_id}));
  return !rs.empty();
}

Result<std::optional<ResponseRow>> SurveyRepository::FindResponse(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("SELECT id, survey_id, survey_version, source, invitation_id, import_id, respondent_id, encounter_id, "
              "patient_id, location_id, provider_id, location_label, provider_label, department, visit_date, "
              "received_at FROM survey_responses WHERE id = $1",
              {id}));
  if (rs.empty()) return std::optional<ResponseRow>();
  RowRef r(rs, 0);
  ResponseRow row;
  row.id = r.Int(0);
  row.survey_id = r.Text(1);
  row.survey_version = static_cast<int>(r.Int(2));
  row.source = r.Text(3);
  row.invitation_id = r.OptInt(4);
  row.import_id = r.OptInt(5);
  row.respondent_id = r.Text(6);
  row.encounter_id = r.OptInt(7);
  row.patient_id = r.OptInt(8);
  row.location_id = r.OptInt(9);
  row.provider_id = r.OptInt(10);
  row.location_label = r.Text(11);
  row.provider_label = r.Text(12);
  row.department = r.Text(13);
  row.visit_date = r.Text(14);
  row.received_at = r.Int(15);
  CD_ASSIGN_OR_RETURN(ResultSet answers, c.Query("SELECT item_id, value, text FROM survey_answers "
                                                 "WHERE response_id = $1",
                                                 {id}));
  for (size_t i = 0; i < answers.size(); ++i) row.answers.push_back(AnswerAt(RowRef(answers, i), 0));
  return std::optional<ResponseRow>(std::move(row));
}

Result<bool> SurveyRepository::EncounterAnswered(Connection& c, const std::string& survey_id, int64_t encounter_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT 1 FROM survey_responses WHERE survey_id = $1 "
                                            "AND encounter_id = $2 LIMIT 1",
                                            {survey_id, encounter_id}));
  return !rs.empty();
}

Result<std::optional<SurveyCandidate>> SurveyRepository::VisitOf(Connection& c, int64_t encounter_id) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(std::string(kVisitSelect) + " WHERE e.id = $1", {encounter_id}));
  if (rs.empty()) return std::optional<SurveyCandidate>();
  return std::optional<SurveyCandidate>(VisitAt(RowRef(rs, 0)));
}

Result<std::vector<int64_t>> SurveyRepository::ResponsesWithoutResource(Connection& c, std::string_view type,
                                                                       std::string_view id_prefix, int limit) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query("SELECT x.id FROM survey_responses x WHERE NOT EXISTS (SELECT 1 FROM fhir_resources f "
              "WHERE f.resource_type = $1 AND f.id = $2 || CAST(x.id AS TEXT)) ORDER BY x.id LIMIT $3",
              {std::string(type), std::string(id_prefix), int64_t{limit}}));
  std::vector<int64_t> ids;
  for (size_t i = 0; i < rs.size(); ++i) ids.push_back(rs.Int(i, 0));
  return ids;
}

Result<std::vector<ResponseRow>> SurveyRepository::LoadResponses(Connection& c, const ResponseFilter& f) {
  CD_ASSIGN_OR_RETURN(
      ResultSet rs,
      c.Query(std::string("SELECT x.id, x.source, x.invitation_id, x.import_id, x.respondent_id, x.encounter_id, "
                          "x.patient_id, x.location_id, x.provider_id, COALESCE(l.name, x.location_label), "
                          "COALESCE(p.name, x.provider_label), x.department, x.visit_date, x.received_at "
                          "FROM survey_responses x LEFT JOIN locations l ON l.id = x.location_id "
                          "LEFT JOIN providers p ON p.id = x.provider_id") +
                  kPeriodWhere + " ORDER BY x.id",
              {f.survey_id, f.version, f.from_date, f.to_date, f.location_id}));
  std::vector<ResponseRow> rows;
  std::map<int64_t, size_t> index;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    ResponseRow row;
    row.id = r.Int(0);
    row.survey_id = f.survey_id;
    row.survey_version = f.version;
    row.source = r.Text(1);
    row.invitation_id = r.OptInt(2);
    row.import_id = r.OptInt(3);
    row.respondent_id = r.Text(4);
    row.encounter_id = r.OptInt(5);
    row.patient_id = r.OptInt(6);
    row.location_id = r.OptInt(7);
    row.provider_id = r.OptInt(8);
    row.location_label = r.Text(9);
    row.provider_label = r.Text(10);
    row.department = r.Text(11);
    row.visit_date = r.Text(12);
    row.received_at = r.Int(13);
    index[row.id] = rows.size();
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return rows;
  CD_ASSIGN_OR_RETURN(ResultSet answers,
                      c.Query(std::string("SELECT a.response_id, a.item_id, a.value, a.text FROM survey_answers a "
                                          "JOIN survey_responses x ON x.id = a.response_id") +
                                  kPeriodWhere,
                              {f.survey_id, f.version, f.from_date, f.to_date, f.location_id}));
  for (size_t i = 0; i < answers.size(); ++i) {
    RowRef r(answers, i);
    auto it = index.find(r.Int(0));
    if (it == index.end()) continue;
    rows[it->second].answers.push_back(AnswerAt(r, 1));
  }
  return rows;
}

Result<std::vector<ResponseRow>> SurveyRepository::LoadInvitationsForRates(Connection& c, const ResponseFilter& f) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(std::string("SELECT x.id, x.location_id, x.provider_id, l.name, COALESCE(p.name, ''), "
                                          "x.department, x.visit_date FROM survey_invitations x "
                                          "JOIN locations l ON l.id = x.location_id "
                                          "LEFT JOIN providers p ON p.id = x.provider_id") +
                                  kPeriodWhere + " ORDER BY x.id",
                              {f.survey_id, f.version, f.from_date, f.to_date, f.location_id}));
  std::vector<ResponseRow> rows;
  rows.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    ResponseRow row;
    row.id = r.Int(0);
    row.location_id = r.OptInt(1);
    row.provider_id = r.OptInt(2);
    row.location_label = r.Text(3);
    row.provider_label = r.Text(4);
    row.department = r.Text(5);
    row.visit_date = r.Text(6);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<int64_t> SurveyRepository::InsertImport(Connection& c, const ImportRow& r) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query("INSERT INTO survey_imports (survey_id, survey_version, filename, at, by_user, rows_read, "
                              "accepted, rejected_rows) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                              {r.survey_id, r.survey_version, r.filename, r.at, r.by_user, r.rows_read, r.accepted,
                               r.rejected_rows}));
  return rs.Int(0, 0);
}

Result<std::vector<ImportRow>> SurveyRepository::ListImports(Connection& c, const std::string& survey_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT id, survey_id, survey_version, filename, at, by_user, rows_read, "
                                            "accepted, rejected_rows FROM survey_imports WHERE survey_id = $1 "
                                            "ORDER BY at DESC, id DESC",
                                            {survey_id}));
  std::vector<ImportRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    out.push_back({r.Int(0), r.Text(1), static_cast<int>(r.Int(2)), r.Text(3), r.Int(4), r.Text(5), r.Int(6),
                   r.Int(7), r.Int(8)});
  }
  return out;
}

}  // namespace caredesk::db
