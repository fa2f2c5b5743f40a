// Third next available appointment, recorded day by day (storage migration
// 0015). What was open on a past day cannot be read from today's calendar,
// so each location's reading is taken once a local day — by the server's
// periodic job, at its first look after local midnight — and kept. Past days
// (a new installation, the demo) are reconstructed from the bookings'
// history: as the calendar stood at each day's local midnight, with today's
// templates (domain/scheduling/access.h). The metric over the readings is
// MetricsService's "third_next_available". Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/schedule_service.h"
#include "core/civil_time.h"
#include "core/clock.h"
#include "storage/access_repository.h"
#include "storage/pool.h"

namespace caredesk {

struct AccessReport {
  int locations = 0;  // locations with readings written
  int days = 0;       // location-days written
  int readings = 0;   // provider × type readings written
};

struct AccessView {
  std::optional<std::string> snapshot_date;  // none: no reading yet
  std::optional<int64_t> taken_at;
  std::string time_zone;
  std::vector<db::AccessSnapshotRow> rows;
};

inline constexpr int kMaxBackfillDays = 3 * 366;

class AccessService {
 public:
  using Progress = std::function<void(int64_t done, int64_t total)>;

  AccessService(db::Pool& pool, const Clock& clock, AuditLog& audit, ScheduleService& schedule)
      : pool_(pool), clock_(clock), audit_(audit), schedule_(schedule) {}

  // Today's reading at every location that has none for its local today
  // (the periodic job). Not audited: it reads no patient data.
  Result<AccessReport> TakeDue();
  // Today's reading taken again now, at one location or all ("take a reading now"). Audited.
  Result<AccessReport> TakeNow(const Actor& by, std::optional<int64_t> location_id);
  // Readings of the local days [from, to] as the calendar stood at each one's
  // midnight. Days that already have a reading are kept unless `replace`.
  // Errors: "to" before "from", longer than kMaxBackfillDays, or after
  // today; unknown "location_id".
  Result<AccessReport> Backfill(std::optional<int64_t> location_id, const CivilDate& from, const CivilDate& to,
                                bool replace, const Progress& progress = {});
  // The latest day's readings at a location, filtered; errors name "location_id". Audited as a report.
  Result<AccessView> Latest(const Actor& by, const db::AccessFilter& filter);

 private:
  // Takes today's reading, now, at the given locations (all when empty) — only where none exists, unless `again`.
  Result<AccessReport> TakeToday(const std::vector<int64_t>& only, bool again);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  ScheduleService& schedule_;
};

}  // namespace caredesk
