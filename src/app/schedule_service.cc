#include "app/schedule_service.h"

#include <algorithm>

#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

constexpr auto kVersionCheckInterval = std::chrono::seconds(1);

template <class T>
Result<T> FindById(const std::vector<T>& items, int64_t id, const char* what) {
  for (const T& item : items) {
    if (item.id == id) return item;
  }
  return Error::NotFound(std::string("no ") + what + " with id " + std::to_string(id));
}

}  // namespace

void ScheduleService::Invalidate() {
  std::lock_guard lock(mu_);
  version_ = -1;
}

Result<std::shared_ptr<const SlotEngine>> ScheduleService::Engine() {
  CD_RETURN_IF_ERROR(Snapshot());
  std::lock_guard lock(mu_);
  return engine_;
}

Result<std::shared_ptr<const ScheduleSnapshot>> ScheduleService::Snapshot() {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  if (version_ >= 0 && now - checked_at_ < kVersionCheckInterval) return snapshot_;
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(int64_t version, db::ScheduleRepository::Version(*conn));
  checked_at_ = now;
  if (version == version_ && snapshot_) return snapshot_;
  CD_ASSIGN_OR_RETURN(ScheduleSnapshot snap, db::ScheduleRepository::LoadSnapshot(*conn));
  snapshot_ = std::make_shared<const ScheduleSnapshot>(snap);
  engine_ = std::make_shared<const SlotEngine>(std::move(snap));
  version_ = version;
  return snapshot_;
}

template <class Fn>
Status ScheduleService::Write(const Actor& by, const std::string& what, Fn&& fn) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(fn(c));
    return audit_.AppendInTx(c, audit_.Make(by, "setup_change", "setup", std::nullopt, "success", what));
  });
  Invalidate();
  return st;
}

template <class T, class InTx>
Result<T> ScheduleService::Saved(T item, const AlsoWrite<T>& also, InTx&& in_tx) {
  auto conn = pool_.Acquire();
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    std::vector<AuditRecord> audit;
    CD_ASSIGN_OR_RETURN(T saved, in_tx(c, item, audit));
    if (also) CD_RETURN_IF_ERROR(also(c, saved));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(audit)));
    item = std::move(saved);
    return Ok();
  });
  Invalidate();
  if (!st.ok()) return st.error();
  return item;
}

Result<std::vector<Location>> ScheduleService::Locations() {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return snap->locations;
}

Result<Location> ScheduleService::GetLocation(int64_t id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return FindById(snap->locations, id, "location");
}

Result<Location> ScheduleService::SaveLocation(const Actor& by, Location l, const AlsoWrite<Location>& also) {
  return Saved(std::move(l), also, [&](db::Connection& c, const Location& item, std::vector<AuditRecord>& audit) {
    return SaveLocationInTx(c, by, item, audit);
  });
}

Result<Location> ScheduleService::SaveLocationInTx(db::Connection& c, const Actor& by, Location l,
                                                   std::vector<AuditRecord>& audit) {
  CD_RETURN_IF_ERROR(ValidateLocation(l));
  const bool create = l.id == 0;
  if (create) {
    CD_ASSIGN_OR_RETURN(l.id, db::ScheduleRepository::InsertLocation(c, l));
  } else {
    CD_RETURN_IF_ERROR(db::ScheduleRepository::UpdateLocation(c, l));
  }
  audit.push_back(audit_.Make(by, "setup_change", "setup", std::nullopt, "success",
                              (create ? "create location " : "update location ") + l.name));
  return l;
}

Result<std::vector<Room>> ScheduleService::Rooms(std::optional<int64_t> location_id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  std::vector<Room> out;
  for (const Room& r : snap->rooms) {
    if (!location_id || r.location_id == *location_id) out.push_back(r);
  }
  return out;
}

Result<Room> ScheduleService::SaveRoom(const Actor& by, Room r) {
  CD_RETURN_IF_ERROR(ValidateRoom(r));
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  if (!FindById(snap->locations, r.location_id, "location").ok()) {
    return Error::Unprocessable("location_id", "no location with id " + std::to_string(r.location_id),
                                "unknown_reference");
  }
  bool create = r.id == 0;
  CD_RETURN_IF_ERROR(Write(by, (create ? "create room " : "update room ") + r.name, [&](db::Connection& c) -> Status {
    if (create) {
      CD_ASSIGN_OR_RETURN(r.id, db::ScheduleRepository::InsertRoom(c, r));
      return Ok();
    }
    return db::ScheduleRepository::UpdateRoom(c, r);
  }));
  return r;
}

Result<std::vector<Provider>> ScheduleService::Providers() {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return snap->providers;
}

Result<Provider> ScheduleService::GetProvider(int64_t id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return FindById(snap->providers, id, "provider");
}

Result<Provider> ScheduleService::SaveProvider(const Actor& by, Provider p, const AlsoWrite<Provider>& also) {
  return Saved(std::move(p), also, [&](db::Connection& c, const Provider& item, std::vector<AuditRecord>& audit) {
    return SaveProviderInTx(c, by, item, std::nullopt, audit);
  });
}

Result<Provider> ScheduleService::SaveProviderInTx(db::Connection& c, const Actor& by, Provider p,
                                                   std::optional<int64_t> expected_version,
                                                   std::vector<AuditRecord>& audit) {
  CD_RETURN_IF_ERROR(ValidateProvider(p));
  const bool create = p.id == 0;
  if (create) {
    CD_ASSIGN_OR_RETURN(p.id, db::ScheduleRepository::InsertProvider(c, p));
    p.version = 1;
  } else {
    CD_ASSIGN_OR_RETURN(p.version, db::ScheduleRepository::UpdateProvider(c, p, expected_version));
  }
  audit.push_back(audit_.Make(by, "setup_change", "setup", std::nullopt, "success",
                              (create ? "create provider " : "update provider ") + p.name));
  return p;
}

Result<std::vector<AppointmentType>> ScheduleService::AppointmentTypes() {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return snap->appointment_types;
}

Result<AppointmentType> ScheduleService::GetAppointmentType(int64_t id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  return FindById(snap->appointment_types, id, "appointment type");
}

Result<AppointmentType> ScheduleService::SaveAppointmentType(const Actor& by, AppointmentType t) {
  CD_RETURN_IF_ERROR(ValidateAppointmentType(t));
  bool create = t.id == 0;
  CD_RETURN_IF_ERROR(Write(by, (create ? "create appointment type " : "update appointment type ") + t.name,
                           [&](db::Connection& c) -> Status {
                             if (create) {
                               CD_ASSIGN_OR_RETURN(t.id, db::ScheduleRepository::InsertAppointmentType(c, t));
                               return Ok();
                             }
                             return db::ScheduleRepository::UpdateAppointmentType(c, t);
                           }));
  return t;
}

Result<std::vector<AvailabilityTemplate>> ScheduleService::Templates(std::optional<int64_t> provider_id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  std::vector<AvailabilityTemplate> out;
  for (const auto& t : snap->templates) {
    if (!provider_id || t.provider_id == *provider_id) out.push_back(t);
  }
  return out;
}

Result<AvailabilityTemplate> ScheduleService::AddTemplate(const Actor& by, AvailabilityTemplate t) {
  CD_RETURN_IF_ERROR(ValidateTemplate(t));
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  auto provider = FindById(snap->providers, t.provider_id, "provider");
  if (!provider.ok()) return Error::Unprocessable("provider_id", provider.error().message, "unknown_reference");
  if (!FindById(snap->locations, t.location_id, "location").ok()) {
    return Error::Unprocessable("location_id", "no location with id " + std::to_string(t.location_id),
                                "unknown_reference");
  }
  const auto& locs = provider->location_ids;
  if (std::find(locs.begin(), locs.end(), t.location_id) == locs.end()) {
    return Error::Unprocessable("location_id", provider->name + " does not work at this location",
                                "provider_not_at_location");
  }
  if (t.room_id) {
    auto room = FindById(snap->rooms, *t.room_id, "room");
    if (!room.ok() || room->location_id != t.location_id) {
      return Error::Unprocessable("room_id", "the room is not at this location", "unknown_reference");
    }
  }
  CD_RETURN_IF_ERROR(Write(by, "add availability for provider " + std::to_string(t.provider_id),
                           [&](db::Connection& c) -> Status {
                             CD_ASSIGN_OR_RETURN(t.id, db::ScheduleRepository::InsertTemplate(c, t));
                             return Ok();
                           }));
  return t;
}

Status ScheduleService::DeleteTemplate(const Actor& by, int64_t id) {
  return Write(by, "delete availability " + std::to_string(id), [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(bool found, db::ScheduleRepository::DeleteTemplate(c, id));
    if (!found) return Error::NotFound("no template with id " + std::to_string(id));
    return Ok();
  });
}

Result<std::vector<ScheduleException>> ScheduleService::Exceptions(std::optional<int64_t> provider_id,
                                                                   std::optional<int64_t> location_id) {
  CD_ASSIGN_OR_RETURN(auto snap, Snapshot());
  std::vector<ScheduleException> out;
  for (const auto& e : snap->exceptions) {
    if (provider_id && e.provider_id && *e.provider_id != *provider_id) continue;
    if (location_id && e.location_id && *e.location_id != *location_id) continue;
    out.push_back(e);
  }
  return out;
}

Result<ScheduleException> ScheduleService::AddException(const Actor& by, ScheduleException e) {
  CD_RETURN_IF_ERROR(ValidateException(e));
  CD_RETURN_IF_ERROR(Write(by, "add " + e.kind + " " + e.start_date.ToString() + ".." + e.end_date.ToString(),
                           [&](db::Connection& c) -> Status {
                             CD_ASSIGN_OR_RETURN(e.id, db::ScheduleRepository::InsertException(c, e));
                             return Ok();
                           }));
  return e;
}

Status ScheduleService::DeleteException(const Actor& by, int64_t id) {
  return Write(by, "delete exception " + std::to_string(id), [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(bool found, db::ScheduleRepository::DeleteException(c, id));
    if (!found) return Error::NotFound("no exception with id " + std::to_string(id));
    return Ok();
  });
}

}  // namespace caredesk
