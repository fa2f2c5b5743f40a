// Demo patients: varied, realistic registrations (names across heritages, an
// age pyramid, US phones and addresses near the clinic's sites, languages,
// contact preferences, emergency contacts, coverages and consents), a share
// of them registered twice with the slips a front desk makes, and the roster
// the scheduler draws visiting patients from. Deterministic for the Rng.
// Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "storage/bulk_insert.h"
#include "demo/demo_clinic.h"
#include "demo/demo_random.h"
#include "demo/demo_tables.h"
#include "domain/patients/patient.h"

namespace caredesk::demo {

// Age and sex groups, in the bit order of Audience.
inline constexpr int kAudienceGroups = 5;

// Who may be booked where: patient ids by home location and Audience group,
// and when each patient was registered (no visit is booked before that).
class PatientRoster {
 public:
  PatientRoster(size_t locations, int64_t first_id) : by_site_(locations), first_id_(first_id) {}

  void Add(int64_t id, size_t site, int group, int64_t registered_ms);
  int64_t RegisteredAt(int64_t id) const { return registered_[static_cast<size_t>(id - first_id_)]; }
  bool empty() const { return registered_.empty(); }
  int64_t first_id() const { return first_id_; }

  // A patient of `audience` living near `site` (sometimes from further
  // away), registered by `not_after_ms`; nullopt when the roster has nobody
  // who fits after a few tries.
  std::optional<int64_t> Pick(size_t site, uint8_t audience, int64_t not_after_ms, Rng& rng) const;

 private:
  std::optional<int64_t> PickAt(size_t site, uint8_t audience, Rng& rng) const;

  std::vector<std::array<std::vector<int64_t>, kAudienceGroups>> by_site_;
  std::vector<int64_t> registered_;  // by id - first_id_
  int64_t first_id_;
};

struct PatientRows {
  db::RowBuffer patients{kPatientColumns};
  db::RowBuffer coverages{kCoverageColumns};
  db::RowBuffer consents{kConsentColumns};
  void Clear() {
    patients.Clear();
    coverages.Clear();
    consents.Clear();
  }
};

class PatientFactory {
 public:
  // Patients get ids from `first_id` on; they are registered before
  // `registered_before_ms`, a few recently (after `recent_from_ms`). `today`
  // is the date ages are counted to.
  PatientFactory(const Clinic& clinic, CivilDate today, int64_t recent_from_ms, int64_t registered_before_ms,
                 int64_t first_id, Rng rng);

  // Makes the next patient — now and then the same person as an earlier one,
  // registered again with a slip — appends its rows and enters it in `roster`.
  void Next(PatientRows& rows, PatientRoster& roster);

  // (original, duplicate) ids of the near-duplicates made so far.
  const std::vector<std::pair<int64_t, int64_t>>& duplicate_pairs() const { return duplicate_pairs_; }

 private:
  struct Made {
    Patient patient;
    size_t site;
  };

  Made NewPerson(int64_t id);
  Made DuplicateOf(const Made& original, int64_t id);
  int64_t RegistrationTime(const CivilDate& birth_date);

  const Clinic& clinic_;
  CivilDate today_;
  int64_t recent_from_ms_;
  int64_t registered_before_ms_;
  int64_t next_id_;
  Rng rng_;
  std::deque<Made> recent_originals_;  // candidates to be registered twice
  std::vector<std::pair<int64_t, int64_t>> duplicate_pairs_;
};

// The Audience group (0..4) of a patient born on `birth_date` with `sex`,
// on `today`.
int AudienceGroup(const CivilDate& birth_date, std::string_view sex, const CivilDate& today);

}  // namespace caredesk::demo
