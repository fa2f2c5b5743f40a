// Scheduling set-up (locations, rooms, providers, appointment types,
// templates, exceptions) and the slot engine built from it. The engine is
// rebuilt when the set-up changes: at once after a change made through this
// process, within a second after one made by another process sharing the
// database. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "core/clock.h"
#include "domain/scheduling/schedule_model.h"
#include "domain/scheduling/slot_engine.h"
#include "storage/pool.h"

namespace caredesk {

class ScheduleService {
 public:
  ScheduleService(db::Pool& pool, const Clock& clock, AuditLog& audit) : pool_(pool), clock_(clock), audit_(audit) {}

  // The current engine and the snapshot it was built from.
  Result<std::shared_ptr<const SlotEngine>> Engine();
  Result<std::shared_ptr<const ScheduleSnapshot>> Snapshot();

  Result<std::vector<Location>> Locations();
  Result<Location> GetLocation(int64_t id);
  // Written with a location or provider, in its transaction, once it has its id (an import's record of
  // what it was called in the source).
  template <class T>
  using AlsoWrite = std::function<Status(db::Connection&, const T&)>;

  Result<Location> SaveLocation(const Actor& by, Location l, const AlsoWrite<Location>& also = {});  // id 0 = create
  // SaveLocation inside the caller's write transaction, as SaveProviderInTx.
  Result<Location> SaveLocationInTx(db::Connection& c, const Actor& by, Location l, std::vector<AuditRecord>& audit);

  Result<std::vector<Room>> Rooms(std::optional<int64_t> location_id);
  Result<Room> SaveRoom(const Actor& by, Room r);

  Result<std::vector<Provider>> Providers();
  Result<Provider> GetProvider(int64_t id);
  Result<Provider> SaveProvider(const Actor& by, Provider p, const AlsoWrite<Provider>& also = {});
  // SaveProvider inside the caller's write transaction (a FHIR write): the same checks, its audit entry added
  // to `audit` for the caller to append. With `expected_version`, Conflict "stale_version" unless the provider
  // is at it. The caller calls Invalidate() once the transaction is over.
  Result<Provider> SaveProviderInTx(db::Connection& c, const Actor& by, Provider p,
                                    std::optional<int64_t> expected_version, std::vector<AuditRecord>& audit);

  Result<std::vector<AppointmentType>> AppointmentTypes();
  Result<AppointmentType> GetAppointmentType(int64_t id);
  Result<AppointmentType> SaveAppointmentType(const Actor& by, AppointmentType t);

  Result<std::vector<AvailabilityTemplate>> Templates(std::optional<int64_t> provider_id);
  Result<AvailabilityTemplate> AddTemplate(const Actor& by, AvailabilityTemplate t);
  Status DeleteTemplate(const Actor& by, int64_t id);

  Result<std::vector<ScheduleException>> Exceptions(std::optional<int64_t> provider_id,
                                                    std::optional<int64_t> location_id);
  Result<ScheduleException> AddException(const Actor& by, ScheduleException e);
  Status DeleteException(const Actor& by, int64_t id);

  // Forces the next Engine() call to reload.
  void Invalidate();

 private:
  template <class Fn>
  Status Write(const Actor& by, const std::string& what, Fn&& fn);
  // `in_tx` (a Save…InTx) and `also` in a transaction of their own, the audit appended, the engine reloaded.
  template <class T, class InTx>
  Result<T> Saved(T item, const AlsoWrite<T>& also, InTx&& in_tx);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  std::mutex mu_;
  std::shared_ptr<const SlotEngine> engine_;           // guarded by mu_
  std::shared_ptr<const ScheduleSnapshot> snapshot_;   // guarded by mu_
  int64_t version_ = -1;                               // guarded by mu_
  TimePoint checked_at_{};                             // guarded by mu_
};

}  // namespace caredesk
