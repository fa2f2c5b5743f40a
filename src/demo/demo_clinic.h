// The demo clinic's set-up: locations with rooms, providers across
// specialties, the visit types each specialty offers, weekly templates and
// exceptions. PlanClinic lays it out in memory with plan indexes in place of
// ids (a location_id is an index into Clinic::locations, and so on);
// WriteClinic stores it through ScheduleRepository and swaps the indexes for
// the database's ids. Deterministic for a seed. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/civil_time.h"
#include "demo/demo_places.h"
#include "demo/demo_random.h"
#include "domain/scheduling/schedule_model.h"
#include "storage/db.h"

namespace caredesk::demo {

enum class Specialty : uint8_t {
  kFamilyMedicine,
  kInternalMedicine,
  kPediatrics,
  kNursePractitioner,
  kCardiology,
  kDermatology,
  kOrthopedics,
  kObGyn,
  kPhysicalTherapy,
  kBehavioralHealth,
  kUrgentCare,
};
inline constexpr int kSpecialtyCount = 11;

// Patient groups a visit is for, as bits.
enum Audience : uint8_t {
  kInfants = 1,   // under 1 year
  kChildren = 2,  // 1 to 17
  kWomen = 4,     // 18 to 64
  kMen = 8,       // 18 to 64 (and other/unknown sex)
  kSeniors = 16,  // 65 and over
  kAdults = kWomen | kMen | kSeniors,
  kEveryone = kInfants | kChildren | kAdults,
};

struct VisitType {
  AppointmentType type;
  uint8_t audience = kEveryone;  // narrowed further by the provider's specialty
  double weight = 1;             // how often it is booked among a provider's types
};

struct DemoProvider {
  Provider provider;
  Specialty specialty = Specialty::kFamilyMedicine;
  std::string username;    // records the provider's own flow steps ("praman")
  double wait_factor = 1;  // how long patients wait for this provider
  uint8_t audience = kEveryone;
  std::vector<size_t> types;  // indexes into Clinic::types
};

struct Clinic {
  std::vector<Location> locations;  // in the order of Sites()
  std::vector<const Site*> sites;   // by location index
  std::vector<Room> rooms;
  std::vector<std::vector<size_t>> location_rooms;  // by location index: indexes into rooms
  std::vector<DemoProvider> providers;
  std::vector<VisitType> types;
  std::vector<AvailabilityTemplate> templates;
  std::vector<ScheduleException> exceptions;
};

// The set-up for `providers` providers (at least 1), with holidays and
// leave between `first_day` and `last_day`.
Clinic PlanClinic(int providers, CivilDate first_day, CivilDate last_day, Rng& rng);

// Stores the planned clinic in the caller's transaction and replaces every
// plan index in it by the id the database gave. Fails on any storage error.
Status WriteClinic(db::Connection& conn, Clinic& clinic);

// The name a specialty is stored under ("Family Medicine").
std::string_view SpecialtyName(Specialty specialty);

}  // namespace caredesk::demo
