// A visit's way through the clinic, from arrival to departure: when the
// patient arrived, was roomed, saw the provider, went to checkout and left,
// or left without being seen. Waits grow with the provider's backlog (one
// patient at a time), and with the day, the site and the specialty through
// a wait factor. Pure functions of their arguments and the Rng;
// thread-compatible.
#pragma once

#include <cstdint>
#include <string_view>

#include "demo/demo_random.h"

namespace caredesk::demo {

// Epoch milliseconds of each flow step; 0 for a step the visit never took.
struct FlowTimes {
  int64_t arrived = 0;
  int64_t roomed = 0;
  int64_t with_provider = 0;
  int64_t checkout = 0;
  int64_t completed = 0;
  int64_t left = 0;  // left without being seen

  // The latest step taken at or before `now_ms`; 0 when the patient has not
  // arrived by then.
  int64_t LatestBy(int64_t now_ms) const;
};

struct VisitShape {
  int64_t start_ms = 0;     // the appointment's (or the walk-in's arrival)
  int minutes = 20;         // booked length
  double wait_factor = 1;   // > 1: slower than typical
  bool telehealth = false;  // a virtual waiting room: never roomed, never walks out
  bool walk_in = false;     // arrives at start_ms exactly
};

// Simulates one visit. `provider_free_ms` is when the provider finishes with
// the previous patient; it is moved to this visit's checkout (unless the
// patient leaves unseen).
FlowTimes SimulateVisit(const VisitShape& shape, int64_t& provider_free_ms, Rng& rng);

// How much longer than typical patients wait on a weekday (0 = Sunday):
// Mondays are the worst, Fridays and weekends lighter.
double WeekdayWaitFactor(int weekday);

}  // namespace caredesk::demo
