// The demo's appointments and visits, one local day at a time: each
// provider's day is packed with bookings on the slots the templates give
// (exactly the slots the booking-time check accepts), some cancelled (and
// often rebooked), some no-shows, the rest checked in with their flow
// through the clinic; walk-ins at the sites. Past days are history, today is
// live around `now` (patients waiting, roomed, with the provider, at
// checkout), later days are booked with fewer bookings the further ahead.
// Every slot-holding booking claims its 5-minute units; two bookings of a
// provider never overlap at one seat. Deterministic for the seed.
// Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "storage/bulk_insert.h"
#include "demo/demo_clinic.h"
#include "demo/demo_flow.h"
#include "demo/demo_patients.h"
#include "demo/demo_random.h"
#include "demo/demo_tables.h"
#include "domain/scheduling/availability_index.h"

namespace caredesk::demo {

struct VisitRows {
  db::RowBuffer appointments{kAppointmentColumns};
  db::RowBuffer history{kHistoryColumns};
  db::RowBuffer claims{kClaimColumns};
  db::RowBuffer encounters{kEncounterColumns};
  db::RowBuffer transitions{kTransitionColumns};

  size_t rows() const {
    return appointments.rows() + history.rows() + claims.rows() + encounters.rows() + transitions.rows();
  }
  void Clear() {
    appointments.Clear();
    history.Clear();
    claims.Clear();
    encounters.Clear();
    transitions.Clear();
  }
};

class VisitPlanner {
 public:
  // `clinic` as written (database ids), `index` built on the stored
  // schedule; both, and `roster`, must outlive the planner. Appointment and
  // encounter ids are issued from the given first ids on.
  VisitPlanner(const Clinic& clinic, const AvailabilityIndex& index, const PatientRoster& roster, TimePoint now,
               int future_days, int64_t first_appointment_id, int64_t first_encounter_id, Rng rng);
  ~VisitPlanner();
  VisitPlanner(const VisitPlanner&) = delete;
  VisitPlanner& operator=(const VisitPlanner&) = delete;

  // Appends the visits of local day today+`offset` (each location's own
  // today) at every location.
  void PlanDay(int offset, VisitRows& out);

  int64_t appointments() const { return next_appointment_id_ - first_appointment_id_; }
  int64_t encounters() const { return next_encounter_id_ - first_encounter_id_; }

 private:
  struct ProviderPlan;
  struct DayContext;
  struct Booking;
  struct EncounterSubject;

  void PlanProviderDay(const ProviderPlan& plan, size_t site, const CivilDate& date, DayContext& day);
  void BookSlot(const ProviderPlan& plan, size_t site, const VisitType& type, const CandidateSlot& slot, int seat,
                DayContext& day);
  void EmitCancelled(const Booking& b, int64_t cancelled_at, DayContext& day);
  void EmitHolding(const Booking& b, DayContext& day);
  // Appends the encounter of a visit as far as it got by now; false when
  // the patient has not arrived yet.
  bool EmitEncounter(const EncounterSubject& s, const FlowTimes& flow, DayContext& day);
  void PlanWalkIns(size_t site, const CivilDate& date, DayContext& day);
  double FillRate(int offset) const;

  const Clinic& clinic_;
  const AvailabilityIndex& index_;
  const PatientRoster& roster_;
  int64_t now_ms_;
  int future_days_;
  std::vector<CivilDate> today_;  // by location index
  std::unordered_map<int64_t, size_t> site_of_location_;
  std::vector<ProviderPlan> plans_;
  // By location index and weekday: indexes of the providers with templates there.
  std::vector<std::array<std::vector<size_t>, 7>> working_;
  // Whole-day closures by location index, as days since the epoch.
  std::vector<std::vector<int64_t>> closed_days_;
  Rng rng_;
  int64_t first_appointment_id_;
  int64_t next_appointment_id_;
  int64_t first_encounter_id_;
  int64_t next_encounter_id_;
};

}  // namespace caredesk::demo
