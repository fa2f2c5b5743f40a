#include "storage/encounter_repository.h"

#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO encounters (patient_id, appointment_id, location_id, provider_id, room_id, state, state_since, "
    "arrived_at, walk_in) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id";
constexpr char kInsertEnded[] =
    "INSERT INTO encounters (patient_id, appointment_id, location_id, provider_id, room_id, state, state_since, "
    "arrived_at, ended_at, walk_in) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
constexpr char kReplaceEnded[] =
    "UPDATE encounters SET patient_id = $2, appointment_id = $3, location_id = $4, provider_id = $5, room_id = $6, "
    "state = $7, state_since = $8, arrived_at = $9, ended_at = $10, walk_in = $11, version = version + 1 "
    "WHERE id = $1 AND ($12 = 0 OR version = $12)";
constexpr char kSelect[] =
    "SELECT e.id, e.patient_id, e.appointment_id, e.location_id, e.provider_id, e.room_id, e.state, e.state_since, "
    "e.arrived_at, e.ended_at, e.walk_in, e.version, p.given_name || ' ' || p.family_name, "
    "COALESCE(pr.name, ''), COALESCE(r.name, ''), COALESCE((SELECT t.modality FROM appointments a JOIN "
    "appointment_types t ON t.id = a.appointment_type_id WHERE a.id = e.appointment_id), 'in_person') "
    "FROM encounters e JOIN patients p ON p.id = e.patient_id "
    "LEFT JOIN providers pr ON pr.id = e.provider_id LEFT JOIN rooms r ON r.id = e.room_id ";
constexpr char kUpdateState[] =
    "UPDATE encounters SET state = $3, state_since = $4, ended_at = $5, room_id = COALESCE($6, room_id), "
    "version = version + 1 WHERE id = $1 AND version = $2";
constexpr char kAddTransition[] =
    "INSERT INTO encounter_transitions (encounter_id, from_state, to_state, at, by_user) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id";
constexpr char kTransitions[] =
    "SELECT id, from_state, to_state, at, by_user, undone_at, undone_by FROM encounter_transitions "
    "WHERE encounter_id = $1 ORDER BY id";
constexpr char kMarkUndone[] = "UPDATE encounter_transitions SET undone_at = $2, undone_by = $3 WHERE id = $1";
constexpr char kLatest[] = "SELECT COALESCE(MAX(id), 0) FROM encounter_transitions";

EncounterRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  EncounterRow e;
  e.id = r.Int(0);
  e.patient_id = r.Int(1);
  e.appointment_id = r.OptInt(2);
  e.location_id = r.Int(3);
  e.provider_id = r.OptInt(4);
  e.room_id = r.OptInt(5);
  e.state = r.Text(6);
  e.state_since = r.Int(7);
  e.arrived_at = r.Int(8);
  e.ended_at = r.OptInt(9);
  e.walk_in = r.Int(10) != 0;
  e.version = r.Int(11);
  e.patient_name = r.Text(12);
  e.provider_name = r.Text(13);
  e.room_name = r.Text(14);
  e.modality = r.Text(15);
  return e;
}

void Filter(SqlBuilder& b, const EncounterCriteria& q) {
  b.AndIn("e.id", q.ids);
  b.AndIn("e.patient_id", q.patients);
  b.AndIn("e.provider_id", q.providers);
  b.AndIn("e.location_id", q.locations);
  b.AndIn("e.appointment_id", q.appointments);
  b.AndIn("e.state", q.states);
  b.AndInstants("e.arrived_at", q.arrived);
  b.AndInstants("e.state_since", q.changed);
  if (!q.arrived.empty() && q.ids.empty() && q.patients.empty() && q.locations.empty() && q.appointments.empty()) {
    // A date alone: through the (location, arrival) index, one range per location, rather than every row.
    b.And("e.location_id IN (SELECT id FROM locations)");
  }
}

// One query for the page (limit + 1 rows).
Result<std::vector<EncounterRow>> SearchPage(Connection& c, const EncounterCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  const std::string page = b.Page(q.page, "e.arrived_at", "e.id", 1);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(std::string(kSelect) + b.Where() + page, b.params()));
  std::vector<EncounterRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

}  // namespace

Result<int64_t> EncounterRepository::Insert(Connection& c, const EncounterRow& e) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsert, {e.patient_id, e.appointment_id, e.location_id, e.provider_id,
                                                      e.room_id, e.state, e.arrived_at, e.walk_in}));
  return rs.Int(0, 0);
}

Result<int64_t> EncounterRepository::InsertEnded(Connection& c, const EncounterRow& e) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsertEnded, {e.patient_id, e.appointment_id, e.location_id, e.provider_id,
                                                           e.room_id, e.state, e.state_since, e.arrived_at, e.ended_at,
                                                           e.walk_in}));
  return rs.Int(0, 0);
}

Result<bool> EncounterRepository::ReplaceEnded(Connection& c, const EncounterRow& e, int64_t expected_version) {
  CD_ASSIGN_OR_RETURN(int64_t changed, c.Exec(kReplaceEnded, {e.id, e.patient_id, e.appointment_id, e.location_id,
                                                              e.provider_id, e.room_id, e.state, e.state_since,
                                                              e.arrived_at, e.ended_at, e.walk_in, expected_version}));
  return changed > 0;
}

Result<std::vector<EncounterRow>> EncounterRepository::Search(Connection& c, const EncounterCriteria& q) {
  if (q.page.by_time && q.ids.empty() && q.patients.empty() && q.providers.empty() && q.locations.empty() &&
      q.appointments.empty()) {
    return SearchEachLocation<EncounterRow>(c, q, SearchPage, [](const EncounterRow& r) { return r.arrived_at; });
  }
  return SearchPage(c, q);
}

Result<int64_t> EncounterRepository::Count(Connection& c, const EncounterCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt("SELECT COUNT(*) FROM encounters e" + b.Where(), b.params()));
  return rs.Int(0, 0);
}

Result<std::optional<EncounterRow>> EncounterRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kSelect) + "WHERE e.id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<EncounterRow>();
  return std::optional<EncounterRow>(Read(rs, 0));
}

Result<std::vector<EncounterRow>> EncounterRepository::Active(Connection& c, int64_t location_id) {
  static const std::string sql =
      std::string(kSelect) + "WHERE e.location_id = $1 AND e.ended_at IS NULL ORDER BY e.arrived_at, e.id";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {location_id}));
  std::vector<EncounterRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

Result<std::vector<EncounterRow>> EncounterRepository::ForPatient(Connection& c, int64_t patient_id, int limit) {
  static const std::string sql =
      std::string(kSelect) + "WHERE e.patient_id = $1 ORDER BY e.arrived_at DESC, e.id DESC LIMIT $2";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {patient_id, int64_t{limit}}));
  std::vector<EncounterRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

Result<bool> EncounterRepository::UpdateState(Connection& c, int64_t id, int64_t expected_version,
                                              const std::string& state, int64_t state_since,
                                              std::optional<int64_t> ended_at, std::optional<int64_t> room_id) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kUpdateState, {id, expected_version, state, state_since, ended_at, room_id}));
  return n == 1;
}

Result<int64_t> EncounterRepository::AddTransition(Connection& c, int64_t encounter_id, const std::string& from,
                                                   const std::string& to, int64_t at, const std::string& by) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kAddTransition, {encounter_id, from, to, at, by}));
  return rs.Int(0, 0);
}

Result<std::vector<TransitionRow>> EncounterRepository::Transitions(Connection& c, int64_t encounter_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kTransitions, {encounter_id}));
  std::vector<TransitionRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    out.push_back(TransitionRow{r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.OptInt(5),
                                r.OptText(6).value_or("")});
  }
  return out;
}

Status EncounterRepository::MarkUndone(Connection& c, int64_t transition_id, int64_t at, const std::string& by) {
  CD_RETURN_IF_ERROR(c.Exec(kMarkUndone, {transition_id, at, by}));
  return Ok();
}

Result<int64_t> EncounterRepository::LatestTransitionId(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kLatest));
  return rs.Int(0, 0);
}

}  // namespace caredesk::db
