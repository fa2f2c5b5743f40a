#include "storage/access_repository.h"

#include "storage/bulk_insert.h"

namespace caredesk::db {
namespace {

constexpr int kColumns = 8;
const BulkTable<kColumns>& Table() {
  static const BulkTable<kColumns> table(
      "INSERT INTO access_snapshots (location_id, snapshot_date, provider_id, appointment_type_id, taken_at, days, "
      "third_at, open_slots)");
  return table;
}

// The appointments that start in [$2, $3) at location $1, with the instant of their cancellation.
constexpr char kBookings[] =
    "SELECT a.provider_id, a.start_at, a.end_at, a.created_at, CASE WHEN a.status = 'cancelled' THEN "
    "COALESCE((SELECT MIN(h.at) FROM appointment_history h WHERE h.appointment_id = a.id AND h.status = 'cancelled'), "
    "a.updated_at) END FROM appointments a WHERE a.location_id = $1 AND a.start_at >= $2 AND a.start_at < $3";

// The longest appointment there can be, to widen the range back so bookings that began earlier are seen.
constexpr int64_t kLongestMs = 8 * 3'600'000;

}  // namespace

Status AccessRepository::ReplaceDay(Connection& c, int64_t location_id, const std::string& date, int64_t taken_at,
                                    const std::vector<AccessReading>& readings) {
  CD_RETURN_IF_ERROR(
      c.Exec("DELETE FROM access_snapshots WHERE location_id = $1 AND snapshot_date = $2", {location_id, date}));
  RowBuffer rows(kColumns);
  for (const auto& r : readings) {
    rows.Int(location_id).Text(date).Int(r.provider_id).Int(r.appointment_type_id).Int(taken_at).Int(r.days);
    rows.OptInt(r.third ? std::optional<int64_t>(ToMillis(*r.third)) : std::nullopt).Int(r.open_slots);
  }
  return Table().Write(c, rows);
}

Result<std::vector<std::string>> AccessRepository::DaysTaken(Connection& c, int64_t location_id,
                                                             const std::string& from, const std::string& to) {
  CD_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT DISTINCT snapshot_date FROM access_snapshots WHERE location_id = $1 "
                                       "AND snapshot_date >= $2 AND snapshot_date <= $3 ORDER BY snapshot_date",
                                       {location_id, from, to}));
  std::vector<std::string> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(rs.Text(i, 0));
  return out;
}

Result<std::optional<std::pair<std::string, int64_t>>> AccessRepository::LatestDay(Connection& c,
                                                                                    int64_t location_id) {
  CD_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT snapshot_date, MAX(taken_at) FROM access_snapshots WHERE location_id = $1 "
                                       "AND snapshot_date = (SELECT MAX(snapshot_date) FROM access_snapshots "
                                       "WHERE location_id = $1) GROUP BY snapshot_date",
                                       {location_id}));
  if (rs.empty()) return std::optional<std::pair<std::string, int64_t>>();
  return std::optional<std::pair<std::string, int64_t>>(std::make_pair(rs.Text(0, 0), rs.Int(0, 1)));
}

Result<std::vector<AccessSnapshotRow>> AccessRepository::Day(Connection& c, const AccessFilter& f,
                                                             const std::string& date) {
  std::vector<AccessSnapshotRow> out;
  CD_ASSIGN_OR_RETURN(
      auto rs,
      c.Query("SELECT s.location_id, s.snapshot_date, s.provider_id, s.appointment_type_id, s.taken_at, s.days, "
              "s.third_at, s.open_slots, p.name, p.specialty, t.name FROM access_snapshots s "
              "JOIN providers p ON p.id = s.provider_id JOIN appointment_types t ON t.id = s.appointment_type_id "
              "WHERE s.location_id = $1 AND s.snapshot_date = $2 AND (CAST($3 AS BIGINT) IS NULL OR s.provider_id = $3) "
              "AND (CAST($4 AS BIGINT) IS NULL OR s.appointment_type_id = $4) "
              "AND (CAST($5 AS TEXT) IS NULL OR p.specialty = $5) ORDER BY s.days DESC, t.name, p.name, s.provider_id",
              {f.location_id, date, f.provider_id, f.appointment_type_id, f.department}));
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    AccessSnapshotRow row;
    row.location_id = r.Int(0);
    row.snapshot_date = r.Text(1);
    row.provider_id = r.Int(2);
    row.appointment_type_id = r.Int(3);
    row.taken_at = r.Int(4);
    row.days = static_cast<int>(r.Int(5));
    row.third_at = r.OptInt(6);
    row.open_slots = static_cast<int>(r.Int(7));
    row.provider_name = r.Text(8);
    row.specialty = r.Text(9);
    row.type_name = r.Text(10);
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<BookingSpan>> AccessRepository::Bookings(Connection& c, int64_t from, int64_t to) {
  CD_ASSIGN_OR_RETURN(auto locations, c.Query("SELECT id FROM locations ORDER BY id"));
  std::vector<BookingSpan> out;
  for (size_t l = 0; l < locations.size(); ++l) {  // one index range per location
    CD_ASSIGN_OR_RETURN(auto rs, c.Query(kBookings, {locations.Int(l, 0), from - kLongestMs, to}));
    out.reserve(out.size() + rs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      BookingSpan b;
      b.provider_id = rs.Int(i, 0);
      b.start = FromMillis(rs.Int(i, 1));
      b.end = FromMillis(rs.Int(i, 2));
      b.created = FromMillis(rs.Int(i, 3));
      if (!rs.IsNull(i, 4)) b.cancelled = FromMillis(rs.Int(i, 4));
      out.push_back(b);
    }
  }
  return out;
}

}  // namespace caredesk::db
