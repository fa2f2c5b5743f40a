#include "storage/hl7_appointment_id_repository.h"

namespace caredesk::db {
namespace {

constexpr char kInsert[] =
    "INSERT INTO hl7_appointment_ids (system, kind, value, appointment_id, created_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (system, kind, value) DO NOTHING";
constexpr char kFind[] =
    "SELECT appointment_id FROM hl7_appointment_ids WHERE system = $1 AND kind = $2 AND value = $3";
constexpr char kForAppointment[] =
    "SELECT system, kind, value, appointment_id FROM hl7_appointment_ids WHERE appointment_id = $1 "
    "ORDER BY system, kind, value";

}  // namespace

Result<bool> Hl7AppointmentIdRepository::Add(Connection& c, const Hl7AppointmentIdRow& row, int64_t at) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kInsert, {row.system, row.kind, row.value, row.appointment_id, at}));
  if (n == 1) return true;
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFind, {row.system, row.kind, row.value}));
  if (!rs.empty() && rs.Int(0, 0) == row.appointment_id) return false;
  return Error::Conflict("appointment_id_taken",
                         row.kind + " appointment id " + row.value + " of " + row.system +
                             " already names appointment " + (rs.empty() ? std::string("?") : std::to_string(rs.Int(0, 0))),
                         row.system + "|" + row.kind + "|" + row.value);
}

Result<std::optional<int64_t>> Hl7AppointmentIdRepository::Find(Connection& c, const std::string& system,
                                                                const std::string& kind, const std::string& value) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFind, {system, kind, value}));
  if (rs.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rs.Int(0, 0));
}

Result<std::vector<Hl7AppointmentIdRow>> Hl7AppointmentIdRepository::ForAppointment(Connection& c,
                                                                                    int64_t appointment_id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kForAppointment, {appointment_id}));
  std::vector<Hl7AppointmentIdRow> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back({rs.Text(i, 0), rs.Text(i, 1), rs.Text(i, 2), rs.Int(i, 3)});
  return out;
}

}  // namespace caredesk::db
