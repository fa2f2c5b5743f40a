#include "storage/schedule_repository.h"

#include <algorithm>
#include <unordered_map>

namespace caredesk::db {
namespace {

constexpr char kVersion[] = "SELECT value FROM settings WHERE key = 'schedule_version'";
constexpr char kBumpVersion[] =
    "INSERT INTO settings (key, value) VALUES ('schedule_version', '1') ON CONFLICT (key) DO UPDATE SET "
    "value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)";

constexpr char kLocations[] =
    "SELECT id, name, time_zone, address, phone, flow_warn_minutes, flow_alert_minutes FROM locations ORDER BY id";
constexpr char kFindLocation[] =
    "SELECT id, name, time_zone, address, phone, flow_warn_minutes, flow_alert_minutes FROM locations WHERE id = $1";
constexpr char kInsertLocation[] =
    "INSERT INTO locations (name, time_zone, address, phone, flow_warn_minutes, flow_alert_minutes) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
constexpr char kUpdateLocation[] =
    "UPDATE locations SET name = $2, time_zone = $3, address = $4, phone = $5, flow_warn_minutes = $6, "
    "flow_alert_minutes = $7 WHERE id = $1";

constexpr char kRooms[] = "SELECT id, location_id, name, active FROM rooms ORDER BY location_id, name";
constexpr char kInsertRoom[] = "INSERT INTO rooms (location_id, name, active) VALUES ($1, $2, $3) RETURNING id";
constexpr char kUpdateRoom[] = "UPDATE rooms SET location_id = $2, name = $3, active = $4 WHERE id = $1";

constexpr char kProviders[] =
    "SELECT id, name, specialty, max_overbook, active, version FROM providers ORDER BY name, id";
constexpr char kProvider[] = "SELECT id, name, specialty, max_overbook, active, version FROM providers WHERE id = $1";
constexpr char kLocationsOfProvider[] =
    "SELECT provider_id, location_id FROM provider_locations WHERE provider_id = $1 ORDER BY location_id";
constexpr char kProviderLocations[] = "SELECT provider_id, location_id FROM provider_locations ORDER BY location_id";
constexpr char kInsertProvider[] =
    "INSERT INTO providers (name, specialty, max_overbook, active) VALUES ($1, $2, $3, $4) RETURNING id";
constexpr char kUpdateProvider[] =
    "UPDATE providers SET name = $2, specialty = $3, max_overbook = $4, active = $5, version = version + 1 "
    "WHERE id = $1 AND ($6 = 0 OR version = $6) RETURNING version";
constexpr char kClearProviderLocations[] = "DELETE FROM provider_locations WHERE provider_id = $1";
constexpr char kInsertProviderLocation[] = "INSERT INTO provider_locations (provider_id, location_id) VALUES ($1, $2)";

constexpr char kTypes[] =
    "SELECT id, name, duration_minutes, modality, color, active FROM appointment_types ORDER BY name, id";
constexpr char kTypeProviders[] =
    "SELECT appointment_type_id, provider_id FROM appointment_type_providers ORDER BY provider_id";
constexpr char kInsertType[] =
    "INSERT INTO appointment_types (name, duration_minutes, modality, color, active) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id";
constexpr char kUpdateType[] =
    "UPDATE appointment_types SET name = $2, duration_minutes = $3, modality = $4, color = $5, active = $6 "
    "WHERE id = $1";
constexpr char kClearTypeProviders[] = "DELETE FROM appointment_type_providers WHERE appointment_type_id = $1";
constexpr char kInsertTypeProvider[] =
    "INSERT INTO appointment_type_providers (appointment_type_id, provider_id) VALUES ($1, $2)";

constexpr char kTemplates[] =
    "SELECT id, provider_id, location_id, room_id, weekday, start_minute, end_minute, valid_from, valid_to "
    "FROM availability_templates ORDER BY provider_id, weekday, start_minute";
constexpr char kInsertTemplate[] =
    "INSERT INTO availability_templates (provider_id, location_id, room_id, weekday, start_minute, end_minute, "
    "valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr char kDeleteTemplate[] = "DELETE FROM availability_templates WHERE id = $1";

constexpr char kExceptions[] =
    "SELECT id, provider_id, location_id, kind, start_date, end_date, start_minute, end_minute, reason "
    "FROM schedule_exceptions ORDER BY start_date, id";
constexpr char kInsertException[] =
    "INSERT INTO schedule_exceptions (provider_id, location_id, kind, start_date, end_date, start_minute, "
    "end_minute, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr char kDeleteException[] = "DELETE FROM schedule_exceptions WHERE id = $1";

std::optional<std::string> DateText(const std::optional<CivilDate>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

std::optional<int64_t> OptInt(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return int64_t{*v};
}

std::vector<int64_t> Distinct(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

Location ReadLocation(const ResultSet& rs, size_t i) {
  RowRef r(rs, i);
  return Location{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), static_cast<int>(r.Int(5)),
                  static_cast<int>(r.Int(6))};
}

// Integrity errors (a location id that does not exist, ...) are the
// caller's mistake: name the field.
Status MapFk(Status st, const char* field, const char* what) {
  if (!st.ok() && st.error().reason == "constraint_violation") {
    return Error::Unprocessable(field, std::string("no such ") + what, "unknown_reference");
  }
  return st;
}

}  // namespace

Result<int64_t> ScheduleRepository::Version(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kVersion));
  return rs.empty() ? 0 : rs.Int(0, 0);
}

Status ScheduleRepository::BumpVersion(Connection& c) {
  CD_RETURN_IF_ERROR(c.Exec(kBumpVersion));
  return Ok();
}

Result<std::vector<Location>> ScheduleRepository::Locations(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kLocations));
  std::vector<Location> out;
  for (size_t i = 0; i < rs.size(); ++i) out.push_back(ReadLocation(rs, i));
  return out;
}

Status ScheduleRepository::RequireLocation(Connection& c, std::optional<int64_t> id) {
  if (!id) return Ok();
  auto zone = LocationZone(c, *id);
  if (!zone.ok()) return zone.error();
  return Ok();
}

Result<std::string> ScheduleRepository::LocationZone(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT time_zone FROM locations WHERE id = $1", {id}));
  if (rs.empty()) return Error::Invalid("location_id", "no location with id " + std::to_string(id), "unknown_location");
  return rs.Text(0, 0);
}

Result<std::optional<Location>> ScheduleRepository::FindLocation(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kFindLocation, {id}));
  if (rs.empty()) return std::optional<Location>();
  return std::optional<Location>(ReadLocation(rs, 0));
}

Result<int64_t> ScheduleRepository::InsertLocation(Connection& c, const Location& l) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsertLocation, {l.name, l.time_zone, l.address, l.phone,
                                                              l.flow_warn_minutes, l.flow_alert_minutes}));
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return rs.Int(0, 0);
}

Status ScheduleRepository::UpdateLocation(Connection& c, const Location& l) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kUpdateLocation, {l.id, l.name, l.time_zone, l.address, l.phone,
                                                          l.flow_warn_minutes, l.flow_alert_minutes}));
  if (n == 0) return Error::NotFound("no location with id " + std::to_string(l.id));
  return BumpVersion(c);
}

Result<std::vector<Room>> ScheduleRepository::Rooms(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kRooms));
  std::vector<Room> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    out.push_back(Room{r.Int(0), r.Int(1), r.Text(2), r.Int(3) != 0});
  }
  return out;
}

Result<int64_t> ScheduleRepository::InsertRoom(Connection& c, const Room& room) {
  auto rs = c.Query(kInsertRoom, {room.location_id, room.name, room.active});
  if (!rs.ok()) return MapFk(std::move(rs).error(), "location_id", "location").error();
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return rs->Int(0, 0);
}

Status ScheduleRepository::UpdateRoom(Connection& c, const Room& room) {
  auto n = c.Exec(kUpdateRoom, {room.id, room.location_id, room.name, room.active});
  if (!n.ok()) return MapFk(std::move(n).error(), "location_id", "location");
  if (*n == 0) return Error::NotFound("no room with id " + std::to_string(room.id));
  return BumpVersion(c);
}

namespace {
std::vector<Provider> ReadProviders(const ResultSet& rs, const ResultSet& links) {
  std::unordered_map<int64_t, std::vector<int64_t>> locs;
  for (size_t i = 0; i < links.size(); ++i) locs[links.Int(i, 0)].push_back(links.Int(i, 1));
  std::vector<Provider> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    Provider p{r.Int(0), r.Text(1), r.Text(2), {}, static_cast<int>(r.Int(3)), r.Int(4) != 0, r.Int(5)};
    if (auto it = locs.find(p.id); it != locs.end()) p.location_ids = it->second;
    out.push_back(std::move(p));
  }
  return out;
}
}  // namespace

Result<std::vector<Provider>> ScheduleRepository::Providers(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kProviders));
  CD_ASSIGN_OR_RETURN(ResultSet links, c.Query(kProviderLocations));
  return ReadProviders(rs, links);
}

Result<std::optional<Provider>> ScheduleRepository::FindProvider(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kProvider, {id}));
  if (rs.empty()) return std::optional<Provider>();
  CD_ASSIGN_OR_RETURN(ResultSet links, c.Query(kLocationsOfProvider, {id}));
  return std::optional<Provider>(ReadProviders(rs, links).front());
}

namespace {
Status WriteProviderLocations(Connection& c, const Provider& p) {
  CD_RETURN_IF_ERROR(c.Exec(kClearProviderLocations, {p.id}));
  for (int64_t lid : Distinct(p.location_ids)) {
    auto st = c.Exec(kInsertProviderLocation, {p.id, lid});
    if (!st.ok()) return MapFk(std::move(st).error(), "location_ids", "location");
  }
  return Ok();
}
}  // namespace

Result<int64_t> ScheduleRepository::InsertProvider(Connection& c, const Provider& p) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsertProvider, {p.name, p.specialty, p.max_overbook, p.active}));
  Provider copy = p;
  copy.id = rs.Int(0, 0);
  CD_RETURN_IF_ERROR(WriteProviderLocations(c, copy));
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return copy.id;
}

Result<int64_t> ScheduleRepository::UpdateProvider(Connection& c, const Provider& p,
                                                   std::optional<int64_t> expected_version) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kUpdateProvider, {p.id, p.name, p.specialty, p.max_overbook, p.active,
                                                              expected_version.value_or(0)}));
  if (rs.empty()) {
    CD_ASSIGN_OR_RETURN(auto found, FindProvider(c, p.id));
    if (!found) return Error::NotFound("no provider with id " + std::to_string(p.id));
    return Error::Conflict("stale_version", "provider " + std::to_string(p.id) + " is no longer at version " +
                                                std::to_string(*expected_version) + " (it is at " +
                                                std::to_string(found->version) + ")");
  }
  CD_RETURN_IF_ERROR(WriteProviderLocations(c, p));
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return rs.Int(0, 0);
}

Result<std::vector<AppointmentType>> ScheduleRepository::AppointmentTypes(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kTypes));
  CD_ASSIGN_OR_RETURN(ResultSet links, c.Query(kTypeProviders));
  std::unordered_map<int64_t, std::vector<int64_t>> provs;
  for (size_t i = 0; i < links.size(); ++i) provs[links.Int(i, 0)].push_back(links.Int(i, 1));
  std::vector<AppointmentType> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    AppointmentType t{r.Int(0), r.Text(1), static_cast<int>(r.Int(2)), r.Text(3), {}, r.Text(4), r.Int(5) != 0};
    if (auto it = provs.find(t.id); it != provs.end()) t.provider_ids = it->second;
    out.push_back(std::move(t));
  }
  return out;
}

namespace {
Status WriteTypeProviders(Connection& c, const AppointmentType& t) {
  CD_RETURN_IF_ERROR(c.Exec(kClearTypeProviders, {t.id}));
  for (int64_t pid : Distinct(t.provider_ids)) {
    auto st = c.Exec(kInsertTypeProvider, {t.id, pid});
    if (!st.ok()) return MapFk(std::move(st).error(), "provider_ids", "provider");
  }
  return Ok();
}
}  // namespace

Result<int64_t> ScheduleRepository::InsertAppointmentType(Connection& c, const AppointmentType& t) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kInsertType, {t.name, t.duration_minutes, t.modality, t.color, t.active}));
  AppointmentType copy = t;
  copy.id = rs.Int(0, 0);
  CD_RETURN_IF_ERROR(WriteTypeProviders(c, copy));
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return copy.id;
}

Status ScheduleRepository::UpdateAppointmentType(Connection& c, const AppointmentType& t) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kUpdateType, {t.id, t.name, t.duration_minutes, t.modality, t.color,
                                                      t.active}));
  if (n == 0) return Error::NotFound("no appointment type with id " + std::to_string(t.id));
  CD_RETURN_IF_ERROR(WriteTypeProviders(c, t));
  return BumpVersion(c);
}

Result<std::vector<AvailabilityTemplate>> ScheduleRepository::Templates(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kTemplates));
  std::vector<AvailabilityTemplate> out;
  out.reserve(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    AvailabilityTemplate t;
    t.id = r.Int(0);
    t.provider_id = r.Int(1);
    t.location_id = r.Int(2);
    t.room_id = r.OptInt(3);
    t.weekday = static_cast<int>(r.Int(4));
    t.start_minute = static_cast<int>(r.Int(5));
    t.end_minute = static_cast<int>(r.Int(6));
    t.valid_from = r.OptDate(7);
    t.valid_to = r.OptDate(8);
    out.push_back(t);
  }
  return out;
}

Result<int64_t> ScheduleRepository::InsertTemplate(Connection& c, const AvailabilityTemplate& t) {
  auto rs = c.Query(kInsertTemplate, {t.provider_id, t.location_id, t.room_id, t.weekday, t.start_minute,
                                      t.end_minute, DateText(t.valid_from), DateText(t.valid_to)});
  if (!rs.ok()) return MapFk(std::move(rs).error(), "provider_id", "provider, location or room").error();
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return rs->Int(0, 0);
}

Result<bool> ScheduleRepository::DeleteTemplate(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kDeleteTemplate, {id}));
  if (n > 0) CD_RETURN_IF_ERROR(BumpVersion(c));
  return n > 0;
}

Result<std::vector<ScheduleException>> ScheduleRepository::Exceptions(Connection& c) {
  CD_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kExceptions));
  std::vector<ScheduleException> out;
  for (size_t i = 0; i < rs.size(); ++i) {
    RowRef r(rs, i);
    ScheduleException e;
    e.id = r.Int(0);
    e.provider_id = r.OptInt(1);
    e.location_id = r.OptInt(2);
    e.kind = r.Text(3);
    e.start_date = r.OptDate(4).value_or(CivilDate{});
    e.end_date = r.OptDate(5).value_or(CivilDate{});
    if (auto v = r.OptInt(6)) e.start_minute = static_cast<int>(*v);
    if (auto v = r.OptInt(7)) e.end_minute = static_cast<int>(*v);
    e.reason = r.Text(8);
    out.push_back(std::move(e));
  }
  return out;
}

Result<int64_t> ScheduleRepository::InsertException(Connection& c, const ScheduleException& e) {
  auto rs = c.Query(kInsertException, {e.provider_id, e.location_id, e.kind, e.start_date.ToString(),
                                       e.end_date.ToString(), OptInt(e.start_minute), OptInt(e.end_minute), e.reason});
  if (!rs.ok()) return MapFk(std::move(rs).error(), "provider_id", "provider or location").error();
  CD_RETURN_IF_ERROR(BumpVersion(c));
  return rs->Int(0, 0);
}

Result<bool> ScheduleRepository::DeleteException(Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(int64_t n, c.Exec(kDeleteException, {id}));
  if (n > 0) CD_RETURN_IF_ERROR(BumpVersion(c));
  return n > 0;
}

Result<ScheduleSnapshot> ScheduleRepository::LoadSnapshot(Connection& c) {
  ScheduleSnapshot s;
  CD_ASSIGN_OR_RETURN(s.locations, Locations(c));
  CD_ASSIGN_OR_RETURN(s.rooms, Rooms(c));
  CD_ASSIGN_OR_RETURN(s.providers, Providers(c));
  CD_ASSIGN_OR_RETURN(s.appointment_types, AppointmentTypes(c));
  CD_ASSIGN_OR_RETURN(s.templates, Templates(c));
  CD_ASSIGN_OR_RETURN(s.exceptions, Exceptions(c));
  return s;
}

}  // namespace caredesk::db
