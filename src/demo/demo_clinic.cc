#include "demo/demo_clinic.h"

#include <array>
#include <set>
#include <unordered_set>

#include "demo/demo_calendar.h"
#include "demo/demo_demographics.h"
#include "demo/demo_names.h"
#include "demo/demo_text.h"
#include "storage/schedule_repository.h"

namespace caredesk::demo {
namespace {

enum class Title : uint8_t { kDoctor, kNursePractitioner, kPhysicalTherapist, kDoctorOrSocialWorker };

struct SpecialtyProfile {
  std::string_view name;
  Title title;
  double share;           // of the providers
  double wait_factor;     // patients of this specialty wait this much longer than typical
  double overbook_share;  // providers whose policy allows overbooking
  double female_share;
  uint8_t audience;
};

// Indexed by Specialty.
constexpr std::array<SpecialtyProfile, kSpecialtyCount> kSpecialties = {{
    {"Family Medicine", Title::kDoctor, 0.20, 1.0, 0.3, 0.5, kEveryone},
    {"Internal Medicine", Title::kDoctor, 0.14, 1.05, 0.25, 0.45, kAdults},
    {"Pediatrics", Title::kDoctor, 0.11, 1.1, 0.3, 0.65, kInfants | kChildren},
    {"Nurse Practitioner", Title::kNursePractitioner, 0.10, 0.9, 0.2, 0.8, kEveryone},
    {"Cardiology", Title::kDoctor, 0.06, 1.2, 0.1, 0.3, kAdults},
    {"Dermatology", Title::kDoctor, 0.05, 1.3, 0.1, 0.55, kChildren | kAdults},
    {"Orthopedics", Title::kDoctor, 0.06, 1.4, 0.1, 0.25, kChildren | kAdults},
    {"OB/GYN", Title::kDoctor, 0.07, 1.15, 0.15, 0.7, kWomen},
    {"Physical Therapy", Title::kPhysicalTherapist, 0.07, 0.5, 0.0, 0.55, kChildren | kAdults},
    {"Behavioral Health", Title::kDoctorOrSocialWorker, 0.08, 0.4, 0.0, 0.6, kChildren | kAdults},
    {"Urgent Care", Title::kDoctor, 0.06, 1.5, 0.5, 0.45, kEveryone},
}};

constexpr uint16_t Bit(Specialty s) { return static_cast<uint16_t>(1u << static_cast<unsigned>(s)); }
constexpr uint16_t kPrimaryCare =
    Bit(Specialty::kFamilyMedicine) | Bit(Specialty::kInternalMedicine) | Bit(Specialty::kNursePractitioner);

struct TypeProfile {
  std::string_view name;
  int minutes;
  std::string_view modality;
  std::string_view color;
  uint16_t specialties;
  uint8_t audience;
  double weight;
};

constexpr std::string_view kInPerson = kModalityInPerson;
constexpr std::string_view kTelehealth = kModalityTelehealth;

constexpr TypeProfile kTypes[] = {
    {"New Patient Visit", 45, kInPerson, "#2563eb", kPrimaryCare | Bit(Specialty::kPediatrics), kEveryone, 1.2},
    {"Follow-up Visit", 20, kInPerson, "#16a34a", kPrimaryCare | Bit(Specialty::kPediatrics), kEveryone, 5},
    {"Annual Physical", 40, kInPerson, "#0891b2", kPrimaryCare, kWomen | kMen | kSeniors, 2},
    {"Medicare Annual Wellness Visit", 40, kInPerson, "#0e7490",
     Bit(Specialty::kFamilyMedicine) | Bit(Specialty::kInternalMedicine), kSeniors, 1},
    {"Sick Visit", 15, kInPerson, "#dc2626", kPrimaryCare | Bit(Specialty::kPediatrics), kEveryone, 3},
    {"Telehealth Follow-up", 20, kTelehealth, "#7c3aed",
     kPrimaryCare | Bit(Specialty::kCardiology) | Bit(Specialty::kDermatology), kChildren | kAdults, 1.5},
    {"Well-Child Check", 30, kInPerson, "#f59e0b", Bit(Specialty::kPediatrics), kInfants | kChildren, 4},
    {"Newborn Visit", 30, kInPerson, "#fbbf24", Bit(Specialty::kPediatrics), kInfants, 1},
    {"Vaccination", 10, kInPerson, "#84cc16",
     Bit(Specialty::kFamilyMedicine) | Bit(Specialty::kPediatrics) | Bit(Specialty::kNursePractitioner), kEveryone,
     1.5},
    {"Cardiology Consult", 60, kInPerson, "#b91c1c", Bit(Specialty::kCardiology), kAdults, 1.5},
    {"Echocardiogram", 45, kInPerson, "#991b1b", Bit(Specialty::kCardiology), kAdults, 1},
    {"Cardiology Follow-up", 20, kInPerson, "#ef4444", Bit(Specialty::kCardiology), kAdults, 4},
    {"Dermatology Consult", 30, kInPerson, "#db2777", Bit(Specialty::kDermatology), kEveryone, 2},
    {"Skin Biopsy", 20, kInPerson, "#be185d", Bit(Specialty::kDermatology), kEveryone, 1},
    {"Full Skin Exam", 20, kInPerson, "#ec4899", Bit(Specialty::kDermatology), kEveryone, 2},
    {"Minor Procedure", 30, kInPerson, "#9d174d", Bit(Specialty::kFamilyMedicine) | Bit(Specialty::kDermatology),
     kChildren | kAdults, 0.5},
    {"Orthopedic Consult", 40, kInPerson, "#ea580c", Bit(Specialty::kOrthopedics), kEveryone, 2},
    {"Joint Injection", 15, kInPerson, "#c2410c", Bit(Specialty::kOrthopedics), kAdults, 1.5},
    {"Post-op Check", 15, kInPerson, "#fb923c", Bit(Specialty::kOrthopedics) | Bit(Specialty::kObGyn), kEveryone, 1.5},
    {"Prenatal Visit", 20, kInPerson, "#c026d3", Bit(Specialty::kObGyn), kWomen, 4},
    {"Well-Woman Exam", 30, kInPerson, "#a21caf", Bit(Specialty::kObGyn), kWomen, 2},
    {"Physical Therapy Evaluation", 60, kInPerson, "#0d9488", Bit(Specialty::kPhysicalTherapy), kEveryone, 1},
    {"Physical Therapy Session", 45, kInPerson, "#14b8a6", Bit(Specialty::kPhysicalTherapy), kEveryone, 5},
    {"Therapy Intake", 60, kInPerson, "#4f46e5", Bit(Specialty::kBehavioralHealth), kEveryone, 1},
    {"Psychotherapy Session", 45, kInPerson, "#6366f1", Bit(Specialty::kBehavioralHealth), kEveryone, 4},
    {"Telehealth Therapy Session", 45, kTelehealth, "#818cf8", Bit(Specialty::kBehavioralHealth), kEveryone, 2},
    {"Medication Management", 30, kInPerson, "#4338ca", Bit(Specialty::kBehavioralHealth), kEveryone, 1.5},
    {"Urgent Care Visit", 20, kInPerson, "#e11d48", Bit(Specialty::kUrgentCare), kEveryone, 5},
    {"Laceration Repair", 30, kInPerson, "#9f1239", Bit(Specialty::kUrgentCare), kEveryone, 0.5},
    {"Telehealth Urgent Care", 15, kTelehealth, "#fb7185", Bit(Specialty::kUrgentCare), kEveryone, 1},
};

// Physicians and therapists come from a broader mix than the patients.
constexpr double kProviderHeritageShares[kHeritageCount] = {0.45, 0.08, 0.06, 0.07, 0.04, 0.01,
                                                            0.03, 0.02, 0.13, 0.05, 0.05, 0.01};

constexpr int kUrgentShifts = 3;
constexpr int kProvidersForAllShifts = 20;

// How many providers of each specialty: shares by largest remainder, with
// every specialty present once there are enough providers.
std::array<int, kSpecialtyCount> SpecialtyCounts(int providers) {
  std::array<int, kSpecialtyCount> counts{};
  std::array<double, kSpecialtyCount> remainders{};
  int assigned = 0;
  for (int s = 0; s < kSpecialtyCount; ++s) {
    const double exact = kSpecialties[s].share * providers;
    counts[s] = static_cast<int>(exact);
    remainders[s] = exact - counts[s];
    assigned += counts[s];
  }
  while (assigned < providers) {
    int best = 0;
    for (int s = 1; s < kSpecialtyCount; ++s) {
      if (remainders[s] > remainders[best]) best = s;
    }
    ++counts[best];
    remainders[best] = -1;
    ++assigned;
  }
  // Urgent care staffs a day, an evening and a night shift.
  auto& urgent = counts[static_cast<size_t>(Specialty::kUrgentCare)];
  auto& family = counts[static_cast<size_t>(Specialty::kFamilyMedicine)];
  while (providers >= kProvidersForAllShifts && urgent < kUrgentShifts) {
    ++urgent;
    --family;
  }
  return counts;
}

void PlanLocations(Clinic& clinic) {
  for (const Site& site : Sites()) {
    const int64_t index = static_cast<int64_t>(clinic.locations.size());
    clinic.locations.push_back(Location{index, std::string(site.name), std::string(site.time_zone),
                                        std::string(site.address), std::string(site.phone), site.flow_warn_minutes,
                                        site.flow_alert_minutes});
    clinic.sites.push_back(&site);
    std::vector<size_t>& rooms = clinic.location_rooms.emplace_back();
    for (int r = 1; r <= site.rooms; ++r) {
      rooms.push_back(clinic.rooms.size());
      std::string name = r == site.rooms ? "Procedure Room" : "Exam " + std::to_string(r);
      clinic.rooms.push_back(Room{static_cast<int64_t>(clinic.rooms.size()), index, std::move(name), true});
    }
  }
}

void PlanTypes(Clinic& clinic) {
  for (const TypeProfile& t : kTypes) {
    AppointmentType type;
    type.id = static_cast<int64_t>(clinic.types.size());
    type.name = std::string(t.name);
    type.duration_minutes = t.minutes;
    type.modality = std::string(t.modality);
    type.color = std::string(t.color);
    clinic.types.push_back(VisitType{std::move(type), t.audience, t.weight});
  }
}

std::string ProviderDisplayName(const SpecialtyProfile& profile, std::string_view given, std::string_view family,
                                Rng& rng) {
  const std::string name = std::string(given) + " " + std::string(family);
  switch (profile.title) {
    case Title::kDoctor: return "Dr. " + name;
    case Title::kNursePractitioner: return name + ", NP";
    case Title::kPhysicalTherapist: return name + ", DPT";
    case Title::kDoctorOrSocialWorker: return rng.Chance(0.5) ? "Dr. " + name : name + ", LCSW";
  }
  return name;
}

size_t PickSite(const Clinic& clinic, Specialty specialty, Rng& rng) {
  if (specialty == Specialty::kUrgentCare) {
    for (size_t i = 0; i < clinic.sites.size(); ++i) {
      if (clinic.sites[i]->urgent_care) return i;
    }
  }
  std::vector<double> weights;
  for (const Site* site : clinic.sites) weights.push_back(site->patient_share);
  return rng.Weighted(weights);
}

// A second site for some providers, preferably in the same time zone.
std::optional<size_t> PickSecondSite(const Clinic& clinic, size_t first, Specialty specialty, Rng& rng) {
  if (specialty == Specialty::kUrgentCare || specialty == Specialty::kPhysicalTherapy || !rng.Chance(0.25)) {
    return std::nullopt;
  }
  std::vector<double> weights;
  for (size_t i = 0; i < clinic.sites.size(); ++i) {
    const bool same_zone = clinic.sites[i]->time_zone == clinic.sites[first]->time_zone;
    weights.push_back(i == first ? 0.0 : same_zone ? 1.0 : 0.15);
  }
  return rng.Weighted(weights);
}

DemoProvider PlanProvider(Clinic& clinic, Specialty specialty, std::set<std::string>& names,
                          std::unordered_set<std::string>& usernames, Rng& rng) {
  const SpecialtyProfile& profile = kSpecialties[static_cast<size_t>(specialty)];
  DemoProvider p;
  p.specialty = specialty;
  p.audience = profile.audience;
  p.wait_factor = profile.wait_factor * (0.8 + 0.4 * rng.Unit());
  std::string given;
  std::string family;
  for (int attempt = 0; attempt < 50; ++attempt) {
    const NamePool& pool = NamesOf(static_cast<Heritage>(rng.Weighted(kProviderHeritageShares)));
    const std::string_view sex = rng.Chance(profile.female_share) ? "female" : "male";
    given = std::string(DrawGivenName(pool, sex, rng));
    family = DrawFamilyName(pool, sex, rng);
    p.provider.name = ProviderDisplayName(profile, given, family, rng);
    if (names.insert(p.provider.name).second) break;
  }
  std::string username = LowerAsciiAlnum(given).substr(0, 1) + LowerAsciiAlnum(family);
  for (int n = 2; !usernames.insert(username).second; ++n) {
    username = LowerAsciiAlnum(given).substr(0, 1) + LowerAsciiAlnum(family) + std::to_string(n);
  }
  p.username = std::move(username);
  p.provider.id = static_cast<int64_t>(clinic.providers.size());
  p.provider.specialty = std::string(profile.name);
  if (rng.Chance(profile.overbook_share)) p.provider.max_overbook = rng.Chance(0.7) ? 1 : 2;
  const size_t first = PickSite(clinic, specialty, rng);
  p.provider.location_ids.push_back(static_cast<int64_t>(first));
  if (auto second = PickSecondSite(clinic, first, specialty, rng)) {
    p.provider.location_ids.push_back(static_cast<int64_t>(*second));
  }
  for (size_t t = 0; t < std::size(kTypes); ++t) {
    if ((kTypes[t].specialties & Bit(specialty)) != 0) {
      p.types.push_back(t);
      clinic.types[t].type.provider_ids.push_back(p.provider.id);
    }
  }
  return p;
}

void PlanProviders(Clinic& clinic, int providers, Rng& rng) {
  const std::array<int, kSpecialtyCount> counts = SpecialtyCounts(providers);
  std::set<std::string> names;
  std::unordered_set<std::string> usernames;
  // Interleave specialties so that any prefix of the list is a mixed practice.
  std::array<int, kSpecialtyCount> left = counts;
  for (int placed = 0; placed < providers;) {
    for (int s = 0; s < kSpecialtyCount && placed < providers; ++s) {
      if (left[s] == 0) continue;
      --left[s];
      ++placed;
      clinic.providers.push_back(PlanProvider(clinic, static_cast<Specialty>(s), names, usernames, rng));
    }
  }
}

// ---- Writing ---------------------------------------------------------------------------------

int64_t IdOf(const std::vector<int64_t>& ids, int64_t plan_index) { return ids[static_cast<size_t>(plan_index)]; }

Status WriteLocationsAndRooms(db::Connection& conn, Clinic& clinic, std::vector<int64_t>& location_ids) {
  for (Location& location : clinic.locations) {
    CD_ASSIGN_OR_RETURN(location.id, db::ScheduleRepository::InsertLocation(conn, location));
    location_ids.push_back(location.id);
  }
  for (Room& room : clinic.rooms) {
    room.location_id = IdOf(location_ids, room.location_id);
    CD_ASSIGN_OR_RETURN(room.id, db::ScheduleRepository::InsertRoom(conn, room));
  }
  return Ok();
}

Status WriteProvidersAndTypes(db::Connection& conn, Clinic& clinic, const std::vector<int64_t>& location_ids) {
  std::vector<int64_t> provider_ids;
  for (DemoProvider& p : clinic.providers) {
    for (int64_t& id : p.provider.location_ids) id = IdOf(location_ids, id);
    CD_ASSIGN_OR_RETURN(p.provider.id, db::ScheduleRepository::InsertProvider(conn, p.provider));
    provider_ids.push_back(p.provider.id);
  }
  for (VisitType& t : clinic.types) {
    for (int64_t& id : t.type.provider_ids) id = IdOf(provider_ids, id);
    CD_ASSIGN_OR_RETURN(t.type.id, db::ScheduleRepository::InsertAppointmentType(conn, t.type));
  }
  for (AvailabilityTemplate& t : clinic.templates) {
    t.provider_id = IdOf(provider_ids, t.provider_id);
    t.location_id = IdOf(location_ids, t.location_id);
    if (t.room_id) t.room_id = clinic.rooms[static_cast<size_t>(*t.room_id)].id;
    CD_ASSIGN_OR_RETURN(t.id, db::ScheduleRepository::InsertTemplate(conn, t));
  }
  for (ScheduleException& e : clinic.exceptions) {
    if (e.provider_id) e.provider_id = IdOf(provider_ids, *e.provider_id);
    if (e.location_id) e.location_id = IdOf(location_ids, *e.location_id);
    CD_ASSIGN_OR_RETURN(e.id, db::ScheduleRepository::InsertException(conn, e));
  }
  return Ok();
}

}  // namespace

std::string_view SpecialtyName(Specialty specialty) { return kSpecialties[static_cast<size_t>(specialty)].name; }

Clinic PlanClinic(int providers, CivilDate first_day, CivilDate last_day, Rng& rng) {
  Clinic clinic;
  PlanLocations(clinic);
  PlanTypes(clinic);
  PlanProviders(clinic, std::max(providers, 1), rng);
  PlanTemplates(clinic, rng);
  PlanExceptions(clinic, first_day, last_day, rng);
  return clinic;
}

Status WriteClinic(db::Connection& conn, Clinic& clinic) {
  std::vector<int64_t> location_ids;
  CD_RETURN_IF_ERROR(WriteLocationsAndRooms(conn, clinic, location_ids));
  return WriteProvidersAndTypes(conn, clinic, location_ids);
}

}  // namespace caredesk::demo
