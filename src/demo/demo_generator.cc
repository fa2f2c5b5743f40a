#include "demo/demo_generator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "storage/bulk_insert.h"
#include "demo/demo_clinic.h"
#include "demo/demo_patients.h"
#include "demo/demo_random.h"
#include "demo/demo_tables.h"
#include "demo/demo_visits.h"
#include "domain/audit/audit_record.h"
#include "domain/scheduling/availability_index.h"
#include "storage/audit_repository.h"
#include "storage/schedule_repository.h"

namespace caredesk {
namespace {


constexpr char kHasPatients[] = "SELECT COUNT(*) FROM (SELECT id FROM patients LIMIT 1) AS any_patient";
constexpr char kHasLocations[] = "SELECT COUNT(*) FROM (SELECT id FROM locations LIMIT 1) AS any_location";
constexpr char kLastPatientId[] = "SELECT COALESCE(MAX(id), 0) FROM patients";
constexpr char kLastAppointmentId[] = "SELECT COALESCE(MAX(id), 0) FROM appointments";
constexpr char kLastEncounterId[] = "SELECT COALESCE(MAX(id), 0) FROM encounters";
// The demo issues these ids itself; PostgreSQL's identity sequences are then
// moved past them (SQLite's rowids follow MAX(id) on their own).
constexpr char kSyncPatientIdsPg[] = "SELECT setval(pg_get_serial_sequence('patients', 'id'), MAX(id)) FROM patients";
constexpr char kSyncAppointmentIdsPg[] =
    "SELECT setval(pg_get_serial_sequence('appointments', 'id'), MAX(id)) FROM appointments";
constexpr char kSyncEncounterIdsPg[] =
    "SELECT setval(pg_get_serial_sequence('encounters', 'id'), MAX(id)) FROM encounters";
// During the load only: a bigger page cache, and no fsync at commits (a crash
// mid-load leaves a database to throw away anyway; the end is checkpointed).
constexpr char kSqliteBulkPragmas[] = "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144";
constexpr char kSqliteNormalPragmas[] =
    "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_checkpoint(TRUNCATE)";

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kMillisPerHour = 3'600'000;
constexpr int64_t kPatientsPerTransaction = 20'000;
constexpr size_t kVisitRowsPerTransaction = 150'000;

// Independent random streams, so that each part of the demo stays the same
// when another changes.
enum Stream : uint64_t { kClinicStream = 1, kPatientStream = 2, kVisitStream = 3 };

struct PatientTables {
  db::BulkTable<demo::kPatientColumns> patients{demo::kInsertPatients};
  db::BulkTable<demo::kCoverageColumns> coverages{demo::kInsertCoverages};
  db::BulkTable<demo::kConsentColumns> consents{demo::kInsertConsents};

  Status Write(db::Connection& c, const demo::PatientRows& rows) const {
    CD_RETURN_IF_ERROR(patients.Write(c, rows.patients));
    CD_RETURN_IF_ERROR(coverages.Write(c, rows.coverages));
    return consents.Write(c, rows.consents);
  }
};

struct VisitTables {
  db::BulkTable<demo::kAppointmentColumns> appointments{demo::kInsertAppointments};
  db::BulkTable<demo::kHistoryColumns> history{demo::kInsertHistory};
  db::BulkTable<demo::kClaimColumns> claims{demo::kInsertClaims};
  db::BulkTable<demo::kEncounterColumns> encounters{demo::kInsertEncounters};
  db::BulkTable<demo::kTransitionColumns> transitions{demo::kInsertTransitions};

  // Parents before children, so every foreign key finds its row.
  Status Write(db::Connection& c, const demo::VisitRows& rows) const {
    CD_RETURN_IF_ERROR(appointments.Write(c, rows.appointments));
    CD_RETURN_IF_ERROR(history.Write(c, rows.history));
    CD_RETURN_IF_ERROR(claims.Write(c, rows.claims));
    CD_RETURN_IF_ERROR(encounters.Write(c, rows.encounters));
    return transitions.Write(c, rows.transitions);
  }
};

Result<int64_t> QueryInt(db::Connection& c, const char* sql) {
  CD_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql));
  return rs.Int(0, 0);
}

// One run of the generator over one connection.
class DemoLoad {
 public:
  DemoLoad(db::Connection& conn, const DemoOptions& options)
      : conn_(conn), options_(options), now_ms_(ToMillis(options.now)), root_(options.seed) {}

  Result<DemoReport> Run() {
    CD_RETURN_IF_ERROR(RefuseUnlessEmpty());
    CD_RETURN_IF_ERROR(EnterBulkMode());
    auto loaded = Load();
    auto restored = LeaveBulkMode();
    if (loaded.ok() && !restored.ok()) return std::move(restored).error();
    return loaded;
  }

 private:
  Status RefuseUnlessEmpty() {
    CD_ASSIGN_OR_RETURN(int64_t patients, QueryInt(conn_, kHasPatients));
    CD_ASSIGN_OR_RETURN(int64_t locations, QueryInt(conn_, kHasLocations));
    if (patients > 0 || locations > 0) {
      return Error::Conflict("not_empty",
                             "the database already holds patients or locations; the demo fills an empty database");
    }
    return Ok();
  }

  // SQLite session settings for the load, undone by LeaveBulkMode (the
  // connection goes back to the pool).
  Status EnterBulkMode() {
    return conn_.dialect() == db::Dialect::kSqlite ? conn_.ExecScript(kSqliteBulkPragmas) : Ok();
  }
  Status LeaveBulkMode() {
    return conn_.dialect() == db::Dialect::kSqlite ? conn_.ExecScript(kSqliteNormalPragmas) : Ok();
  }

  Result<DemoReport> Load() {
    demo::Clinic clinic = PlanSetup();
    CD_RETURN_IF_ERROR(db::InTransaction(conn_, true, [&](db::Connection& c) { return demo::WriteClinic(c, clinic); }));
    Progress("setup", 1, 1);
    CD_ASSIGN_OR_RETURN(ScheduleSnapshot snapshot, db::ScheduleRepository::LoadSnapshot(conn_));
    const AvailabilityIndex index(std::move(snapshot));
    CD_ASSIGN_OR_RETURN(int64_t first_patient, QueryInt(conn_, kLastPatientId));
    demo::PatientRoster roster(clinic.locations.size(), first_patient + 1);
    CD_RETURN_IF_ERROR(WritePatients(clinic, roster));
    CD_RETURN_IF_ERROR(WriteVisits(clinic, index, roster));
    if (conn_.dialect() == db::Dialect::kPostgres) CD_RETURN_IF_ERROR(SyncSequences());
    report_.locations = static_cast<int64_t>(clinic.locations.size());
    report_.rooms = static_cast<int64_t>(clinic.rooms.size());
    report_.providers = static_cast<int64_t>(clinic.providers.size());
    report_.appointment_types = static_cast<int64_t>(clinic.types.size());
    CD_RETURN_IF_ERROR(AppendAuditEntry());
    return report_;
  }

  CivilDate TodayUtc() const { return CivilDate::FromDaysSinceEpoch(now_ms_ / kMillisPerDay); }

  demo::Clinic PlanSetup() {
    demo::Rng rng = root_.Fork(kClinicStream);
    // A day of margin on each side covers every location's own today.
    const CivilDate first_day = TodayUtc().AddDays(-options_.history_days - 1);
    const CivilDate last_day = TodayUtc().AddDays(options_.future_days + 1);
    return demo::PlanClinic(options_.providers, first_day, last_day, rng);
  }

  Status WritePatients(const demo::Clinic& clinic, demo::PatientRoster& roster) {
    const int64_t total = std::max<int64_t>(options_.patients, 0);
    const int64_t first_id = roster.first_id();
    // Everyone is registered by an hour ago; a share in the history window.
    demo::PatientFactory factory(clinic, TodayUtc(), now_ms_ - options_.history_days * kMillisPerDay,
                                 now_ms_ - kMillisPerHour, first_id, root_.Fork(kPatientStream));
    const PatientTables tables;
    demo::PatientRows rows;
    for (int64_t done = 0; done < total;) {
      const int64_t batch = std::min(kPatientsPerTransaction, total - done);
      rows.Clear();
      for (int64_t i = 0; i < batch; ++i) factory.Next(rows, roster);
      CD_RETURN_IF_ERROR(db::InTransaction(conn_, true, [&](db::Connection& c) { return tables.Write(c, rows); }));
      done += batch;
      Progress("patients", done, total);
    }
    report_.patients = total;
    report_.near_duplicates = static_cast<int64_t>(factory.duplicate_pairs().size());
    report_.duplicate_pairs = factory.duplicate_pairs();
    return Ok();
  }

  Status WriteVisits(const demo::Clinic& clinic, const AvailabilityIndex& index, const demo::PatientRoster& roster) {
    if (roster.empty()) return Ok();  // nobody to book
    CD_ASSIGN_OR_RETURN(int64_t last_appointment, QueryInt(conn_, kLastAppointmentId));
    CD_ASSIGN_OR_RETURN(int64_t last_encounter, QueryInt(conn_, kLastEncounterId));
    demo::VisitPlanner planner(clinic, index, roster, options_.now, options_.future_days, last_appointment + 1,
                               last_encounter + 1, root_.Fork(kVisitStream));
    const VisitTables tables;
    demo::VisitRows rows;
    const int total_days = options_.history_days + 1 + options_.future_days;
    for (int day = 0; day < total_days; ++day) {
      planner.PlanDay(day - options_.history_days, rows);
      if (rows.rows() >= kVisitRowsPerTransaction || day + 1 == total_days) {
        CD_RETURN_IF_ERROR(db::InTransaction(conn_, true, [&](db::Connection& c) { return tables.Write(c, rows); }));
        rows.Clear();
      }
      Progress("appointments", day + 1, total_days);
    }
    report_.appointments = planner.appointments();
    report_.encounters = planner.encounters();
    return Ok();
  }

  Status SyncSequences() {
    for (const char* sql : {kSyncPatientIdsPg, kSyncAppointmentIdsPg, kSyncEncounterIdsPg}) {
      CD_RETURN_IF_ERROR(conn_.Query(sql));
    }
    return Ok();
  }

  // One entry for the whole load, chained after whatever the trail holds.
  Status AppendAuditEntry() {
    AuditRecord record;
    record.at_ms = now_ms_;
    record.username = "caredesk";
    record.role = "admin";
    record.action = "demo_load";
    record.category = "setup";
    record.client_address = "local";
    record.outcome = "success";
    record.detail = "demo clinic (seed " + std::to_string(options_.seed) + "): " + std::to_string(report_.locations) +
                    " locations, " + std::to_string(report_.providers) + " providers, " +
                    std::to_string(report_.patients) + " patients (" + std::to_string(report_.near_duplicates) +
                    " near-duplicates), " + std::to_string(report_.appointments) + " appointments, " +
                    std::to_string(report_.encounters) + " encounters";
    std::vector<AuditRecord> records = {std::move(record)};
    return db::InTransaction(conn_, true,
                             [&](db::Connection& c) { return db::AuditRepository::AppendChained(c, records); });
  }

  void Progress(std::string_view phase, int64_t done, int64_t total) const {
    if (options_.progress) options_.progress(phase, done, total);
  }

  db::Connection& conn_;
  const DemoOptions& options_;
  int64_t now_ms_;
  demo::Rng root_;
  DemoReport report_;
};

}  // namespace

Result<DemoReport> GenerateDemo(db::Pool& pool, const DemoOptions& options) {
  if (options.history_days < 0 || options.future_days < 0) {
    return Error::Invalid(options.history_days < 0 ? "history_days" : "future_days", "must not be negative");
  }
  auto conn = pool.Acquire();
  return DemoLoad(*conn, options).Run();
}

}  // namespace caredesk
