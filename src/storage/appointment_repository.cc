#include "storage/appointment_repository.h"

#include "storage/sql_builder.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO appointments (patient_id, appointment_type_id, provider_id, location_id, room_id, start_at, end_at, "
    "status, cancel_reason, notes, overbooked, join_token, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";

// One SELECT list for every read, joined with what the calendar shows.
constexpr char kSelect[] =
    "SELECT a.id, a.patient_id, a.appointment_type_id, a.provider_id, a.location_id, a.room_id, a.start_at, a.end_at, "
    "a.status, a.cancel_reason, a.notes, a.overbooked, a.join_token, a.created_at, a.updated_at, "
    "p.given_name || ' ' || p.family_name, t.name, t.modality, pr.name, l.name, l.time_zone, e.id "
    "FROM appointments a JOIN patients p ON p.id = a.patient_id "
    "JOIN appointment_types t ON t.id = a.appointment_type_id JOIN providers pr ON pr.id = a.provider_id "
    "JOIN locations l ON l.id = a.location_id LEFT JOIN encounters e ON e.appointment_id = a.id ";

constexpr char kUpdateStatus[] =
    "UPDATE appointments SET status = $2, cancel_reason = $3, updated_at = $4 WHERE id = $1";
constexpr char kUpdateTime[] =
    "UPDATE appointments SET start_at = $2, end_at = $3, provider_id = $4, room_id = $5, overbooked = $6, "
    "updated_at = $7 WHERE id = $1";
constexpr char kUpdateNotes[] = "UPDATE appointments SET notes = $2, updated_at = $3 WHERE id = $1";
constexpr char kAddHistory[] =
    "INSERT INTO appointment_history (appointment_id, status, at, by_user, note) VALUES ($1, $2, $3, $4, $5)";
constexpr char kHistory[] =
    "SELECT status, at, by_user, note FROM appointment_history WHERE appointment_id = $1 ORDER BY id";
// Every unit of a booking in one statement: $4 is the list of unit starts (IdListParam). The number of rows
// inserted says whether all were free. ("WHERE true" lets SQLite parse ON CONFLICT after a SELECT.)
constexpr char kClaimSqlite[] =
    "INSERT INTO slot_claims (provider_id, unit_start, seat, appointment_id) SELECT $1, value, $2, $3 "
    "FROM json_each($4) WHERE true ON CONFLICT DO NOTHING";
constexpr char kClaimPg[] =
    "INSERT INTO slot_claims (provider_id, unit_start, seat, appointment_id) SELECT $1, u, $2, $3 "
    "FROM unnest(CAST($4 AS BIGINT[])) AS u ON CONFLICT DO NOTHING";
constexpr char kRelease[] = "DELETE FROM slot_claims WHERE appointment_id = $1";
constexpr char kReleaseSeat[] = "DELETE FROM slot_claims WHERE appointment_id = $1 AND seat = $2";

constexpr char kBusySqlite[] =
    "SELECT provider_id, start_at, end_at FROM appointments WHERE provider_id IN (SELECT value FROM json_each($1)) "
    "AND start_at < $3 AND end_at > $2 AND start_at > $2 - 86400000 AND status IN "
    "('booked', 'checked_in', 'completed', 'no_show')";
constexpr char kBusyPg[] =
    "SELECT provider_id, start_at, end_at FROM appointments WHERE provider_id = ANY($1::bigint[]) "
    "AND start_at < $3 AND end_at > $2 AND start_at > $2 - 86400000 AND status IN "
    "('booked', 'checked_in', 'completed', 'no_show')";

constexpr char kCalendarHead[] = "SELECT seq FROM calendar_seq WHERE id = 1";
constexpr char kCalendarAfter[] =
    "SELECT seq, provider_id, day FROM calendar_changes WHERE seq > $1 ORDER BY seq LIMIT $2";

constexpr char kBusyStartingSqlite[] =
    "SELECT provider_id, start_at, end_at FROM appointments WHERE provider_id IN (SELECT value FROM json_each($1)) "
    "AND start_at >= $2 AND start_at < $3 AND status IN ('booked', 'checked_in', 'completed', 'no_show')";
constexpr char kBusyStartingPg[] =
    "SELECT provider_id, start_at, end_at FROM appointments WHERE provider_id = ANY($1::bigint[]) "
    "AND start_at >= $2 AND start_at < $3 AND status IN ('booked', 'checked_in', 'completed', 'no_show')";

AppointmentRow Read(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  AppointmentRow a;
  a.id = r.Int(0);
  a.patient_id = r.Int(1);
  a.appointment_type_id = r.Int(2);
  a.provider_id = r.Int(3);
  a.location_id = r.Int(4);
  a.room_id = r.OptInt(5);
  a.start_at = r.Int(6);
  a.end_at = r.Int(7);
  a.status = r.Text(8);
  a.cancel_reason = r.Text(9);
  a.notes = r.Text(10);
  a.overbooked = r.Int(11) != 0;
  a.join_token = r.Text(12);
  a.created_at = r.Int(13);
  a.updated_at = r.Int(14);
  a.patient_name = r.Text(15);
  a.type_name = r.Text(16);
  a.modality = r.Text(17);
  a.provider_name = r.Text(18);
  a.location_name = r.Text(19);
  a.time_zone = r.Text(20);
  a.encounter_id = r.OptInt(21);
  return a;
}

void Filter(SqlBuilder& b, const AppointmentCriteria& q) {
  b.AndIn("a.id", q.ids);
  b.AndIn("a.patient_id", q.patients);
  b.AndIn("a.provider_id", q.providers);
  b.AndIn("a.location_id", q.locations);
  b.AndIn("a.appointment_type_id", q.types);
  b.AndIn("a.status", q.statuses);
  b.AndInstants("a.start_at", q.start);
  b.AndInstants("a.updated_at", q.last_updated);
  if (!q.start.empty() && q.ids.empty() && q.patients.empty() && q.providers.empty() && q.locations.empty()) {
    // A date alone: through the (location, start) index, one range per location, rather than every row.
    b.And("a.location_id IN (SELECT id FROM locations)");
  }
}

// One query for the page (limit + 1 rows).
Result<std::vector<AppointmentRow>> SearchPage(Connection& c, const AppointmentCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  const std::string page = b.Page(q.page, "a.start_at", "a.id", 1);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt(std::string(kSelect) + b.Where() + page, b.params()));
  std::vector<AppointmentRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

}  // namespace

Result<std::vector<AppointmentRow>> AppointmentRepository::Search(Connection& c, const AppointmentCriteria& q) {
  if (q.page.by_time && q.ids.empty() && q.patients.empty() && q.providers.empty() && q.locations.empty()) {
    return SearchEachLocation<AppointmentRow>(c, q, SearchPage, [](const AppointmentRow& r) { return r.start_at; });
  }
  return SearchPage(c, q);
}


Result<int64_t> AppointmentRepository::Count(Connection& c, const AppointmentCriteria& q) {
  SqlBuilder b;
  Filter(b, q);
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.QueryBuilt("SELECT COUNT(*) FROM appointments a" + b.Where(), b.params()));
  return rs.Int(0, 0);
}

Result<int64_t> AppointmentRepository::Insert(Connection& c, const AppointmentRow& a) {
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(kInsert, {a.patient_id, a.appointment_type_id, a.provider_id, a.location_id, a.room_id,
                                        a.start_at, a.end_at, a.status, a.cancel_reason, a.notes, a.overbooked,
                                        a.join_token, a.created_at}));
  return rs.Int(0, 0);
}

Result<std::optional<AppointmentRow>> AppointmentRepository::Find(Connection& c, int64_t id) {
  static const std::string sql = std::string(kSelect) + "WHERE a.id = $1";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, {id}));
  if (rs.empty()) return std::optional<AppointmentRow>();
  return std::optional<AppointmentRow>(Read(rs, 0));
}

Result<std::vector<AppointmentRow>> AppointmentRepository::List(Connection& c, const AppointmentFilter& f) {
  // Typed NULL checks keep one statement text for every filter combination.
  static const std::string sql =
      std::string(kSelect) +
      "WHERE ($1 IS NULL OR a.start_at >= $1) AND ($2 IS NULL OR a.start_at < $2) "
      "AND ($3 IS NULL OR a.provider_id = $3) AND ($4 IS NULL OR a.location_id = $4) "
      "AND ($5 IS NULL OR a.room_id = $5) AND ($6 IS NULL OR a.patient_id = $6) AND ($7 IS NULL OR a.status = $7) "
      "ORDER BY a.start_at, a.id LIMIT $8";
  static const std::string pg_sql =
      std::string(kSelect) +
      "WHERE ($1::bigint IS NULL OR a.start_at >= $1) AND ($2::bigint IS NULL OR a.start_at < $2) "
      "AND ($3::bigint IS NULL OR a.provider_id = $3) AND ($4::bigint IS NULL OR a.location_id = $4) "
      "AND ($5::bigint IS NULL OR a.room_id = $5) AND ($6::bigint IS NULL OR a.patient_id = $6) "
      "AND ($7::text IS NULL OR a.status = $7) ORDER BY a.start_at, a.id LIMIT $8";
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(c.dialect() == Dialect::kPostgres ? pg_sql : sql,
                                            {f.from_ms, f.to_ms, f.provider_id, f.location_id, f.room_id,
                                             f.patient_id, f.status, int64_t{f.limit}}));
  std::vector<AppointmentRow> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(Read(rs, i));
  return out;
}

Status AppointmentRepository::UpdateStatus(Connection& c, int64_t id, const std::string& status,
                                           const std::string& cancel_reason, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kUpdateStatus, {id, status, cancel_reason, now}));
  return Ok();
}

Status AppointmentRepository::UpdateNotes(Connection& c, int64_t id, const std::string& notes, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kUpdateNotes, {id, notes, now}));
  return Ok();
}

Status AppointmentRepository::UpdateTime(Connection& c, const AppointmentRow& a, int64_t now) {
  CD_RETURN_IF_ERROR(c.Exec(kUpdateTime, {a.id, a.start_at, a.end_at, a.provider_id, a.room_id, a.overbooked, now}));
  return Ok();
}

Status AppointmentRepository::AddHistory(Connection& c, int64_t appointment_id, const std::string& status, int64_t at,
                                         const std::string& by, const std::string& note) {
  CD_RETURN_IF_ERROR(c.Exec(kAddHistory, {appointment_id, status, at, by, note}));
  return Ok();
}

Result<std::vector<HistoryRow>> AppointmentRepository::History(Connection& c, int64_t appointment_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kHistory, {appointment_id}));
  std::vector<HistoryRow> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back(HistoryRow{rs.Text(i, 0), rs.Int(i, 1), rs.Text(i, 2), rs.Text(i, 3)});
  }
  return out;
}

Result<bool> AppointmentRepository::ClaimUnits(Connection& c, int64_t provider_id, const std::vector<TimePoint>& units,
                                               int seat, int64_t appointment_id) {
  if (units.empty()) return true;
  std::vector<int64_t> starts;
  starts.reserve(units.size());
  for (TimePoint u : units) starts.push_back(ToMillis(u));
  const bool pg = c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(pg ? kClaimPg : kClaimSqlite,
                                        {provider_id, seat, appointment_id, IdListParam(c.dialect(), starts)}));
  if (n == static_cast<int64_t>(starts.size())) return true;
  // Some unit was taken: give back the ones this statement did claim.
  CD_RETURN_IF_ERROR(c.Exec(kReleaseSeat, {appointment_id, seat}));
  return false;
}

Status AppointmentRepository::ReleaseClaims(Connection& c, int64_t appointment_id) {
  CD_RETURN_IF_ERROR(c.Exec(kRelease, {appointment_id}));
  return Ok();
}

namespace {

Result<std::vector<BusyInterval>> QueryBusy(Connection& c, const char* sqlite_sql, const char* pg_sql,
                                            const std::vector<int64_t>& provider_ids, int64_t from_ms, int64_t to_ms) {
  std::vector<BusyInterval> out;
  if (provider_ids.empty()) return out;
  bool pg = c.dialect() == Dialect::kPostgres;
  CD_ASSIGN_OR_RETURN(ResultSet rs,
                      c.Query(pg ? pg_sql : sqlite_sql, {IdListParam(c.dialect(), provider_ids), from_ms, to_ms}));
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    out.push_back(BusyInterval{rs.Int(i, 0), FromMillis(rs.Int(i, 1)), FromMillis(rs.Int(i, 2)), 1});
  }
  return out;
}

}  // namespace

Result<std::vector<BusyInterval>> AppointmentRepository::Busy(Connection& c, const std::vector<int64_t>& provider_ids,
                                                              int64_t from_ms, int64_t to_ms) {
  return QueryBusy(c, kBusySqlite, kBusyPg, provider_ids, from_ms, to_ms);
}

Result<std::vector<BusyInterval>> AppointmentRepository::BusyStartingIn(Connection& c,
                                                                        const std::vector<int64_t>& provider_ids,
                                                                        int64_t from_ms, int64_t to_ms) {
  return QueryBusy(c, kBusyStartingSqlite, kBusyStartingPg, provider_ids, from_ms, to_ms);
}

Result<int64_t> AppointmentRepository::CalendarHead(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCalendarHead));
  if (rs.empty()) return Error::Internal("calendar_seq has no row; is migration 0003 applied?");
  return rs.Int(0, 0);
}

Result<std::vector<CalendarChange>> AppointmentRepository::CalendarChangesAfter(Connection& c, int64_t after,
                                                                                int limit) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCalendarAfter, {after, int64_t{limit}}));
  std::vector<CalendarChange> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(CalendarChange{rs.Int(i, 0), rs.Int(i, 1), rs.Int(i, 2)});
  return out;
}

}  // namespace caredesk::db
