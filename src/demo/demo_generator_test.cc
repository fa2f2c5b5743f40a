#include "demo/demo_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "app/app_test_fixture.h"
#include "app/appointment_service.h"
#include "app/audit_log.h"
#include "app/flow_service.h"
#include "app/patient_service.h"
#include "app/schedule_service.h"
#include "domain/flow/encounter_flow.h"
#include "domain/patients/duplicate_detector.h"
#include "domain/scheduling/appointment_status.h"
#include "domain/scheduling/slot_engine.h"
#include "domain/security/credentials.h"
#include "storage/patient_repository.h"
#include "storage/schedule_repository.h"
#include "storage/testing/test_database.h"

namespace caredesk {
namespace {

using testing::Backend;

// Monday 2025-03-10 17:00 UTC: 13:00 in New York, 10:00 in Phoenix and Los
// Angeles, so every site is open; the history crosses the start of daylight
// saving time (Sunday March 9).
constexpr int64_t kNowMs = 1741626000000;
constexpr char kHolding[] = "('booked', 'checked_in', 'completed', 'no_show')";

DemoOptions SmallDemo(uint64_t seed = 7) {
  DemoOptions o;
  o.patients = 400;
  o.providers = 40;
  o.seed = seed;
  o.history_days = 7;
  o.future_days = 3;
  o.now = FromMillis(kNowMs);
  return o;
}

int64_t Count(db::Pool& pool, const std::string& sql) {
  auto conn = pool.Acquire();
  auto rs = conn->Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << ": " << rs.error().message;
  return rs.ok() ? rs->Int(0, 0) : -1;
}

db::ResultSet Rows(db::Pool& pool, const std::string& sql) {
  auto conn = pool.Acquire();
  auto rs = conn->Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << ": " << rs.error().message;
  return rs.ok() ? std::move(rs).value() : db::ResultSet();
}

// FNV-1a over every cell of the rows, as text.
uint64_t Fingerprint(db::Pool& pool, const std::string& sql) {
  const db::ResultSet rs = Rows(pool, sql);
  uint64_t h = 1469598103934665603ULL;
  for (size_t r = 0; r < rs.size(); ++r) {
    for (int c = 0; c < rs.columns(); ++c) {
      for (char ch : rs.IsNull(r, c) ? std::string("\x01") : rs.Text(r, c) + '\x1f') {
        h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
      }
    }
  }
  return h;
}

uint64_t DemoFingerprint(db::Pool& pool) {
  return Fingerprint(pool,
                     "SELECT id, mrn, given_name, middle_name, family_name, birth_date, sex, phone, email, "
                     "address_line1, address_line2, city, state, postal_code, preferred_language, "
                     "preferred_contact_method, emergency_name, created_at FROM patients ORDER BY id") ^
         Fingerprint(pool,
                     "SELECT id, patient_id, appointment_type_id, provider_id, location_id, room_id, start_at, end_at, "
                     "status, cancel_reason, notes, overbooked, join_token, created_at, updated_at FROM appointments "
                     "ORDER BY id") *
             31 ^
         Fingerprint(pool,
                     "SELECT id, appointment_id, state, state_since, arrived_at, ended_at, walk_in FROM encounters "
                     "ORDER BY id") *
             17;
}

struct GeneratedDemo {
  std::unique_ptr<testing::TestDatabase> db;
  DemoReport report;
};

Result<std::unique_ptr<GeneratedDemo>> Generate(Backend backend, const DemoOptions& options) {
  auto demo = std::make_unique<GeneratedDemo>();
  CD_ASSIGN_OR_RETURN(demo->db, testing::TestDatabase::Create(backend, 4));
  CD_ASSIGN_OR_RETURN(demo->report, GenerateDemo(demo->db->pool(), options));
  return demo;
}

// ---- Checks of a generated demo ----------------------------------------------------------------

void ExpectCountsMatchTheOptionsAndTheReport(db::Pool& pool, const DemoReport& report) {
  EXPECT_EQ(report.patients, 400);
  EXPECT_EQ(report.providers, 40);
  EXPECT_GE(report.locations, 4);
  EXPECT_LE(report.locations, 6);
  EXPECT_GE(report.appointment_types, 20);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM patients"), 400);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM providers"), 40);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM locations"), report.locations);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM rooms"), report.rooms);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM appointment_types"), report.appointment_types);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM appointments"), report.appointments);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM encounters"), report.encounters);
  EXPECT_EQ(report.near_duplicates, static_cast<int64_t>(report.duplicate_pairs.size()));
  // 40 providers over 11 days.
  EXPECT_GT(report.appointments, 2000);
  EXPECT_GT(report.encounters, 1000);
}

void ExpectPastVisitsHaveRealisticNoShowCancellationAndWalkOutRates(db::Pool& pool) {
  const std::string past = " FROM appointments WHERE end_at < " + std::to_string(kNowMs - 86'400'000);
  const double all = static_cast<double>(Count(pool, "SELECT COUNT(*)" + past));
  const double no_shows = static_cast<double>(Count(pool, "SELECT COUNT(*)" + past + " AND status = 'no_show'"));
  const double cancelled = static_cast<double>(Count(pool, "SELECT COUNT(*)" + past + " AND status = 'cancelled'"));
  ASSERT_GT(all, 800);
  EXPECT_NEAR(no_shows / all, 0.07, 0.03);
  EXPECT_NEAR(cancelled / all, 0.10, 0.04);
  const double ended = static_cast<double>(Count(pool, "SELECT COUNT(*) FROM encounters WHERE ended_at IS NOT NULL"));
  const double unseen =
      static_cast<double>(Count(pool, "SELECT COUNT(*) FROM encounters WHERE state = 'left_without_being_seen'"));
  EXPECT_GT(unseen / ended, 0.01);
  EXPECT_LT(unseen / ended, 0.08);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM encounters WHERE walk_in = 1 AND appointment_id IS NULL"), 20);
}

void ExpectSetUpPassesTheSchedulersValidation(db::Pool& pool) {
  auto conn = pool.Acquire();
  auto snapshot = db::ScheduleRepository::LoadSnapshot(*conn);
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  std::set<std::string> zones;
  for (const Location& l : snapshot->locations) {
    EXPECT_TRUE(ValidateLocation(l).ok()) << l.name;
    zones.insert(l.time_zone);
  }
  EXPECT_GE(zones.size(), 2u);
  for (const Room& r : snapshot->rooms) EXPECT_TRUE(ValidateRoom(r).ok()) << r.name;
  std::set<std::string> specialties;
  for (const Provider& p : snapshot->providers) {
    EXPECT_TRUE(ValidateProvider(p).ok()) << p.name;
    EXPECT_FALSE(p.location_ids.empty()) << p.name;
    EXPECT_LE(p.location_ids.size(), 2u) << p.name;
    specialties.insert(p.specialty);
  }
  EXPECT_GE(specialties.size(), 10u);
  for (const AppointmentType& t : snapshot->appointment_types) {
    EXPECT_TRUE(ValidateAppointmentType(t).ok()) << t.name;
    EXPECT_FALSE(t.provider_ids.empty()) << t.name;
  }
  for (const AvailabilityTemplate& t : snapshot->templates) EXPECT_TRUE(ValidateTemplate(t).ok()) << t.id;
  for (const ScheduleException& e : snapshot->exceptions) EXPECT_TRUE(ValidateException(e).ok()) << e.reason;
  EXPECT_TRUE(std::any_of(snapshot->exceptions.begin(), snapshot->exceptions.end(),
                          [](const ScheduleException& e) { return e.kind == kExceptionLeave; }));
}

void ExpectPatientsPassRegistrationValidationUnchanged(db::Pool& pool) {
  const CivilDate today = InstantToLocal(FromMillis(kNowMs), "UTC").date;
  auto conn = pool.Acquire();
  for (int64_t id = 1; id <= 400; id += 7) {
    auto found = db::PatientRepository::Find(*conn, id);
    ASSERT_TRUE(found.ok() && found->has_value()) << id;
    const Patient& stored = **found;
    Patient p = stored;
    auto valid = ValidateAndNormalize(p, today);
    ASSERT_TRUE(valid.ok()) << id << ": " << valid.error().field << " " << valid.error().message;
    EXPECT_EQ(p.mrn, FormatMrn(id));
    EXPECT_EQ(p.given_name, stored.given_name);
    EXPECT_EQ(p.family_name, stored.family_name);
    EXPECT_EQ(p.phone, stored.phone);
    EXPECT_EQ(p.email, stored.email);
    EXPECT_EQ(p.address.postal_code, stored.address.postal_code);
    EXPECT_EQ(p.preferred_language, stored.preferred_language);
    EXPECT_EQ(p.emergency_contact.phone, stored.emergency_contact.phone);
    EXPECT_GE(p.consents.size(), 2u);
    EXPECT_EQ(stored.version, 1);
  }
}

void ExpectEveryReferenceFindsItsRow(db::Pool& pool) {
  struct Reference {
    const char* table;
    const char* column;
    const char* parent;
  };
  constexpr Reference kReferences[] = {
      {"coverages", "patient_id", "patients"},
      {"consents", "patient_id", "patients"},
      {"appointments", "patient_id", "patients"},
      {"appointments", "appointment_type_id", "appointment_types"},
      {"appointments", "provider_id", "providers"},
      {"appointments", "location_id", "locations"},
      {"appointments", "room_id", "rooms"},
      {"appointment_history", "appointment_id", "appointments"},
      {"slot_claims", "appointment_id", "appointments"},
      {"encounters", "patient_id", "patients"},
      {"encounters", "appointment_id", "appointments"},
      {"encounters", "location_id", "locations"},
      {"encounters", "provider_id", "providers"},
      {"encounters", "room_id", "rooms"},
      {"encounter_transitions", "encounter_id", "encounters"},
  };
  for (const Reference& r : kReferences) {
    EXPECT_EQ(Count(pool, std::string("SELECT COUNT(*) FROM ") + r.table + " c LEFT JOIN " + r.parent +
                              " p ON p.id = c." + r.column + " WHERE c." + r.column + " IS NOT NULL AND p.id IS NULL"),
              0)
        << r.table << "." << r.column;
  }
}

void ExpectSlotHoldingAppointmentsNeverOverlapAtOneSeat(db::Pool& pool) {
  EXPECT_EQ(Count(pool, std::string("SELECT COUNT(*) FROM appointments a JOIN appointments b ON "
                                    "a.provider_id = b.provider_id AND a.id < b.id AND a.overbooked = b.overbooked "
                                    "AND a.start_at < b.end_at AND b.start_at < a.end_at WHERE a.status IN ") +
                            kHolding + " AND b.status IN " + kHolding),
            0);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM appointments WHERE overbooked = 1"), 0);
}

void ExpectEveryHoldingAppointmentClaimsItsUnitsAndNoOtherDoes(db::Pool& pool) {
  const db::ResultSet rs =
      Rows(pool,
           "SELECT a.id, a.start_at, a.end_at, a.status, a.overbooked, COUNT(c.appointment_id), MIN(c.seat), "
           "MAX(c.seat), MIN(c.unit_start), MAX(c.provider_id - a.provider_id) FROM appointments a LEFT JOIN "
           "slot_claims c ON c.appointment_id = a.id GROUP BY a.id, a.start_at, a.end_at, a.status, a.overbooked");
  ASSERT_GT(rs.size(), 1000u);
  for (size_t i = 0; i < rs.size(); ++i) {
    const std::string status = rs.Text(i, 3);
    const auto units = ClaimUnits(FromMillis(rs.Int(i, 1)), FromMillis(rs.Int(i, 2)));
    if (!IsActiveStatus(status)) {
      EXPECT_EQ(rs.Int(i, 5), 0) << rs.Int(i, 0);
      continue;
    }
    ASSERT_EQ(rs.Int(i, 5), static_cast<int64_t>(units.size())) << rs.Int(i, 0);
    const int64_t seat = rs.Int(i, 4) != 0 ? 1 : 0;
    EXPECT_EQ(rs.Int(i, 6), seat);
    EXPECT_EQ(rs.Int(i, 7), seat);
    EXPECT_EQ(rs.Int(i, 8), ToMillis(units.front()));
    EXPECT_EQ(rs.Int(i, 9), 0) << "claims of another provider";
  }
}

void ExpectEveryAppointmentLiesOnASlotTheEngineAccepts(db::Pool& pool) {
  auto conn = pool.Acquire();
  auto snapshot = db::ScheduleRepository::LoadSnapshot(*conn);
  ASSERT_TRUE(snapshot.ok());
  const SlotEngine engine(*snapshot);
  auto rs = conn->Query(
      "SELECT id, appointment_type_id, provider_id, location_id, start_at, end_at, room_id "
      "FROM appointments ORDER BY id");
  ASSERT_TRUE(rs.ok());
  for (size_t i = 0; i < rs->size(); ++i) {
    db::RowRef r(*rs, i);
    auto slot = engine.ResolveBookingSlot(r.Int(1), r.Int(2), r.Int(3), FromMillis(r.Int(4)));
    ASSERT_TRUE(slot.ok()) << "appointment " << r.Int(0) << ": " << slot.error().message;
    EXPECT_EQ(ToMillis(slot->end), r.Int(5));
    EXPECT_EQ(slot->room_id, r.OptInt(6));
  }
}

void ExpectHistoriesMatchStatusesAndEncounters(db::Pool& pool) {
  const db::ResultSet appointments =
      Rows(pool,
           "SELECT a.id, a.status, a.created_at, a.updated_at, e.state, a.join_token, t.modality FROM appointments "
           "a JOIN appointment_types t ON t.id = a.appointment_type_id LEFT JOIN encounters e ON "
           "e.appointment_id = a.id ORDER BY a.id");
  const db::ResultSet history =
      Rows(pool, "SELECT appointment_id, status, at FROM appointment_history ORDER BY appointment_id, id");
  size_t h = 0;
  for (size_t i = 0; i < appointments.size(); ++i) {
    db::RowRef a(appointments, i);
    std::vector<std::pair<std::string, int64_t>> steps;
    for (; h < history.size() && history.Int(h, 0) == a.Int(0); ++h)
      steps.emplace_back(history.Text(h, 1), history.Int(h, 2));
    ASSERT_FALSE(steps.empty()) << a.Int(0);
    EXPECT_EQ(steps.front(), std::make_pair(std::string(kStatusBooked), a.Int(2))) << a.Int(0);
    EXPECT_EQ(steps.back().second, a.Int(3)) << a.Int(0);
    for (size_t s = 1; s < steps.size(); ++s) EXPECT_LE(steps[s - 1].second, steps[s].second) << a.Int(0);
    EXPECT_LE(a.Int(3), kNowMs);
    const std::string status = a.Text(1);
    const std::optional<std::string> state = a.OptText(4);
    if (status == kStatusCompleted) {
      EXPECT_EQ(state, std::string(kCompleted)) << a.Int(0);
    } else if (status == kStatusCheckedIn) {
      ASSERT_TRUE(state && *state != kCompleted) << a.Int(0);
    } else {
      EXPECT_FALSE(state) << a.Int(0);
    }
    if (state == std::string(kLeftWithoutBeingSeen)) {
      EXPECT_EQ(steps.back().first, "left_without_being_seen") << a.Int(0);
    }
    EXPECT_EQ(a.Text(5).empty(), a.Text(6) != kModalityTelehealth) << a.Int(0);
  }
}

void ExpectEncounterTransitionsFormAChainEndingInTheCurrentState(db::Pool& pool) {
  const db::ResultSet encounters =
      Rows(pool, "SELECT id, state, state_since, arrived_at, ended_at, version FROM encounters ORDER BY id");
  const db::ResultSet transitions =
      Rows(pool, "SELECT encounter_id, from_state, to_state, at FROM encounter_transitions ORDER BY encounter_id, id");
  size_t t = 0;
  for (size_t i = 0; i < encounters.size(); ++i) {
    db::RowRef e(encounters, i);
    std::string state;
    int64_t at = 0;
    int64_t steps = 0;
    for (; t < transitions.size() && transitions.Int(t, 0) == e.Int(0); ++t, ++steps) {
      EXPECT_EQ(transitions.Text(t, 1), state) << e.Int(0);
      if (!state.empty()) {
        EXPECT_TRUE(CheckFlowTransition(state, transitions.Text(t, 2)).ok()) << e.Int(0);
      }
      EXPECT_GE(transitions.Int(t, 3), at) << e.Int(0);
      state = transitions.Text(t, 2);
      at = transitions.Int(t, 3);
      if (steps == 0) {
        EXPECT_EQ(at, e.Int(3)) << e.Int(0);
      }
    }
    EXPECT_EQ(state, e.Text(1)) << e.Int(0);
    EXPECT_EQ(at, e.Int(2)) << e.Int(0);
    EXPECT_EQ(steps, e.Int(5)) << e.Int(0);
    EXPECT_EQ(e.IsNull(4), !IsTerminalState(state)) << e.Int(0);
    EXPECT_LE(at, kNowMs);
  }
}

void ExpectTodayHasPatientsInEveryFlowStateAndBookingsLater(db::Pool& pool) {
  const std::string live = "SELECT COUNT(*) FROM encounters WHERE ended_at IS NULL AND state = ";
  EXPECT_GT(Count(pool, live + "'arrived'"), 0);
  EXPECT_GT(Count(pool, live + "'roomed'"), 0);
  EXPECT_GT(Count(pool, live + "'with_provider'"), 0);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM encounters WHERE ended_at IS NULL"), 10);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM encounters WHERE ended_at IS NULL AND arrived_at < " +
                            std::to_string(kNowMs - 12 * 3'600'000)),
            0);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM appointments WHERE status = 'booked' AND start_at > " +
                            std::to_string(kNowMs) + " AND start_at < " + std::to_string(kNowMs + 6 * 3'600'000)),
            20);
}

void ExpectAuditChainVerifiesWithOneDemoEntry(db::Pool& pool) {
  FakeClock clock(FromMillis(kNowMs));
  AuditLog audit(pool, clock);
  int64_t checked = 0;
  auto problem = audit.Verify(&checked);
  ASSERT_TRUE(problem.ok()) << problem.error().message;
  EXPECT_FALSE(problem->has_value()) << (*problem)->problem;
  EXPECT_EQ(checked, 1);
  db::AuditFilter filter;
  filter.action = "demo_load";
  auto entries = audit.Search(filter);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].username, "caredesk");
  EXPECT_EQ((*entries)[0].category, "setup");
  EXPECT_NE((*entries)[0].detail.find("400 patients"), std::string::npos);
}

void ExpectRefusesADatabaseThatIsNotEmpty(db::Pool& pool) {
  auto again = GenerateDemo(pool, SmallDemo());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().reason, "not_empty");
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM patients"), 400);
}

// The suite's tests read one generated demo per backend: generating is the
// slow part.
class DemoTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void TearDownTestSuite() { Demos().clear(); }

  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    std::unique_ptr<GeneratedDemo>& demo = Demos()[GetParam()];
    if (!demo) {
      auto made = Generate(GetParam(), SmallDemo());
      ASSERT_TRUE(made.ok()) << made.error().message;
      demo = std::move(made).value();
    }
    demo_ = demo.get();
  }

  db::Pool& pool() { return demo_->db->pool(); }
  const DemoReport& report() const { return demo_->report; }

  static std::map<Backend, std::unique_ptr<GeneratedDemo>>& Demos() {
    static std::map<Backend, std::unique_ptr<GeneratedDemo>> demos;
    return demos;
  }

  GeneratedDemo* demo_ = nullptr;
};

// Each test checks one generated demo; under ctest every test runs in a
// process of its own and generates again, so the checks are grouped.

TEST_P(DemoTest, BuildsTheRequestedClinicOnce) {
  ExpectCountsMatchTheOptionsAndTheReport(pool(), report());
  ExpectSetUpPassesTheSchedulersValidation(pool());
  ExpectPastVisitsHaveRealisticNoShowCancellationAndWalkOutRates(pool());
  ExpectRefusesADatabaseThatIsNotEmpty(pool());
}

TEST_P(DemoTest, WritesOnlyRecordsTheAppWouldHaveWritten) {
  ExpectEveryReferenceFindsItsRow(pool());
  ExpectPatientsPassRegistrationValidationUnchanged(pool());
  ExpectHistoriesMatchStatusesAndEncounters(pool());
  ExpectEncounterTransitionsFormAChainEndingInTheCurrentState(pool());
  ExpectAuditChainVerifiesWithOneDemoEntry(pool());
}

TEST_P(DemoTest, BooksOnlyRealSlotsAndClaimsThemAll) {
  ExpectEveryAppointmentLiesOnASlotTheEngineAccepts(pool());
  ExpectSlotHoldingAppointmentsNeverOverlapAtOneSeat(pool());
  ExpectEveryHoldingAppointmentClaimsItsUnitsAndNoOtherDoes(pool());
}

TEST_P(DemoTest, TodayHasPatientsInEveryFlowStateAndBookingsLater) {
  ExpectTodayHasPatientsInEveryFlowStateAndBookingsLater(pool());
}

TEST_P(DemoTest, SameSeedAndNowGiveTheSameRows) {
  auto twin = Generate(GetParam(), SmallDemo());
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  EXPECT_EQ(DemoFingerprint((*twin)->db->pool()), DemoFingerprint(pool()));
}

CAREDESK_INSTANTIATE_BACKENDS(DemoTest);

// ---- The app on top of the demo ----------------------------------------------------------------

class DemoAppTest : public ::testing::TestWithParam<Backend> {};

TEST_P(DemoAppTest, BooksRegistersAndShowsTheBoardOnTopOfTheDemo) {
  ASSERT_TRUE(InitCrypto().ok());
  DemoOptions options = SmallDemo(3);
  options.patients = 60;
  options.history_days = 1;
  options.future_days = 3;
  auto demo = Generate(GetParam(), options);
  ASSERT_TRUE(demo.ok()) << demo.error().message;
  db::Pool& pool = (*demo)->db->pool();
  FakeClock clock(FromMillis(kNowMs));
  AuditLog audit(pool, clock);
  ScheduleService schedule(pool, clock, audit);
  AppointmentService appointments(pool, clock, audit, schedule, "https://visit.example.org/{token}");
  FlowEvents events;
  FlowService flow(pool, clock, audit, schedule, events);
  PatientService patients(pool, clock, audit);
  ASSERT_TRUE(patients.LoadIndex().ok());
  Actor coordinator;
  coordinator.username = "coordinator";
  coordinator.role = Role::kCoordinator;

  // The first open slot of a follow-up visit books without a clash.
  const int64_t follow_up = Count(pool, "SELECT id FROM appointment_types WHERE name = 'Follow-up Visit'");
  SlotQuery query;
  query.appointment_type_id = follow_up;
  query.from = FromMillis(kNowMs);
  query.to = FromMillis(kNowMs + 3 * 86'400'000);
  query.not_before = FromMillis(kNowMs);
  auto slots = appointments.Slots(query);
  ASSERT_TRUE(slots.ok()) << slots.error().message;
  ASSERT_FALSE(slots->empty());
  const Slot& slot = slots->front();
  BookingRequest request;
  request.patient_id = 1;
  request.appointment_type_id = follow_up;
  request.provider_id = slot.provider_id;
  request.location_id = slot.location_id;
  request.start = slot.start;
  auto booked = appointments.Book(coordinator, request);
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_EQ(booked->row.id, (*demo)->report.appointments + 1);

  // A new registration gets the next id and MRN.
  Patient p;
  p.given_name = "Zelda";
  p.family_name = "Quintanilla-Okafor";
  p.birth_date = {1991, 4, 17};
  p.sex = "female";
  p.phone = "(312) 555-0101";
  auto registered = patients.Register(coordinator, p, true);
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  ASSERT_TRUE(registered->patient);
  EXPECT_EQ(registered->patient->id, 61);
  EXPECT_EQ(registered->patient->mrn, FormatMrn(61));

  // Some board is busy.
  size_t on_boards = 0;
  auto locations = schedule.Locations();
  ASSERT_TRUE(locations.ok());
  for (const Location& l : *locations) {
    auto board = flow.BoardFor(coordinator, l.id);
    ASSERT_TRUE(board.ok()) << board.error().message;
    on_boards += board->rows.size();
  }
  EXPECT_GT(on_boards, 0u);
}

CAREDESK_INSTANTIATE_BACKENDS(DemoAppTest);

// ---- Near-duplicates -----------------------------------------------------------------------------

TEST(DemoDuplicates, MostPlantedPairsAreFlaggedByTheDetector) {
  DemoOptions options = SmallDemo(5);
  options.patients = 3000;
  options.history_days = 0;
  options.future_days = 0;
  auto demo = Generate(Backend::kSqlite, options);
  ASSERT_TRUE(demo.ok()) << demo.error().message;
  const DemoReport& report = (*demo)->report;
  EXPECT_NEAR(static_cast<double>(report.near_duplicates) / 3000, 0.02, 0.01);

  PatientIndex index;
  {
    auto conn = (*demo)->db->pool().Acquire();
    auto rows = db::PatientRepository::IndexRows(*conn, 0, 5000);
    ASSERT_TRUE(rows.ok());
    for (const IndexedPatient& p : *rows) index.Upsert(p);
  }
  ASSERT_EQ(index.size(), 3000u);
  const DuplicateDetector detector(index);
  size_t flagged = 0;
  for (const auto& [original, duplicate] : report.duplicate_pairs) {
    const auto candidates = detector.Find(*index.Get(duplicate), 10);
    flagged += std::any_of(candidates.begin(), candidates.end(),
                           [&](const DuplicateCandidate& c) { return c.id == original; });
  }
  EXPECT_GE(static_cast<double>(flagged), 0.85 * static_cast<double>(report.duplicate_pairs.size()))
      << flagged << " of " << report.duplicate_pairs.size();
}

TEST(DemoDeterminism, ADifferentSeedGivesOtherPatients) {
  DemoOptions options = SmallDemo(1);
  options.history_days = 0;
  options.future_days = 0;
  auto first = Generate(Backend::kSqlite, options);
  options.seed = 2;
  auto second = Generate(Backend::kSqlite, options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(DemoFingerprint((*first)->db->pool()), DemoFingerprint((*second)->db->pool()));
}

}  // namespace
}  // namespace caredesk
