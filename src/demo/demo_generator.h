// Builds a realistic demo clinic in an empty (migrated) database: locations
// in more than one time zone with rooms, providers across specialties,
// appointment types, weekly templates with holidays and leave, patients with
// varied demographics and a share of near-duplicates, and appointments over
// the past `history_days` and the next `future_days` with realistic
// no-shows, cancellations and flow timestamps. Deterministic for a seed and
// a `now`. Not thread-safe (one run at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "storage/pool.h"

namespace caredesk {

struct DemoOptions {
  int64_t patients = 5000;  // up to at least 1,000,000
  int providers = 48;       // at least 40 by default; 500 with --providers 500
  uint64_t seed = 42;
  int history_days = 90;
  int future_days = 30;
  TimePoint now;  // "today" for the demo; appointments are laid around it
  // Called now and then: a phase name ("patients", "appointments"...), work
  // done and total for that phase.
  std::function<void(std::string_view phase, int64_t done, int64_t total)> progress;
};

struct DemoReport {
  int64_t locations = 0;
  int64_t rooms = 0;
  int64_t providers = 0;
  int64_t appointment_types = 0;
  int64_t patients = 0;
  int64_t near_duplicates = 0;
  // (original, duplicate) patient ids of the near-duplicates: the same person
  // registered twice with a slip (typo, nickname, swapped day and month, new
  // phone, swapped names, dropped middle name).
  std::vector<std::pair<int64_t, int64_t>> duplicate_pairs;
  int64_t appointments = 0;
  int64_t encounters = 0;
};

// Fails with kConflict "not_empty" when the database already holds patients
// or locations, with kInvalidArgument for negative history_days or
// future_days. Uses one connection of `pool`. Progress phases are "setup",
// "patients" and "appointments". The load commits in batches, so a storage
// failure part-way leaves a partly filled database: start again from an
// empty one. Ends with one "demo_load" entry on the audit chain.
Result<DemoReport> GenerateDemo(db::Pool& pool, const DemoOptions& options);

}  // namespace caredesk
