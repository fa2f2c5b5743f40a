#include "demo/demo_flow.h"

#include <algorithm>

namespace caredesk::demo {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kSecond = 1'000;

constexpr double kRoomingWaitMinutes = 9;
constexpr double kProviderWaitMinutes = 7;
constexpr double kLeftWithoutBeingSeenShare = 0.03;

// Minutes with mean `mean` and a long right tail (up to 2.65 x mean).
int64_t SkewedMinutes(double mean, Rng& rng) {
  return static_cast<int64_t>(mean * (0.45 + 2.2 * rng.Unit() * rng.Unit()) * static_cast<double>(kMinute));
}

int64_t Jitter(Rng& rng) { return static_cast<int64_t>(rng.Below(60)) * kSecond; }

int64_t ArrivalOffset(const VisitShape& shape, Rng& rng) {
  if (shape.walk_in) return 0;
  if (shape.telehealth) return -rng.Between(0, 8) * kMinute - Jitter(rng);
  if (rng.Chance(0.75)) return -rng.Between(2, 20) * kMinute - Jitter(rng);  // early, as asked
  return rng.Between(0, 15) * kMinute + Jitter(rng);
}

}  // namespace

int64_t FlowTimes::LatestBy(int64_t now_ms) const {
  int64_t latest = 0;
  for (int64_t t : {arrived, roomed, with_provider, checkout, completed, left}) {
    if (t != 0 && t <= now_ms) latest = std::max(latest, t);
  }
  return latest;
}

double WeekdayWaitFactor(int weekday) {
  static constexpr double kFactors[] = {0.8, 1.35, 1.1, 1.0, 1.05, 0.9, 0.8};
  return kFactors[weekday % 7];
}

FlowTimes SimulateVisit(const VisitShape& shape, int64_t& provider_free_ms, Rng& rng) {
  FlowTimes t;
  t.arrived = shape.start_ms + ArrivalOffset(shape, rng);
  // Nobody is called in much before the booked time.
  const int64_t called_from = std::max(t.arrived, shape.start_ms - 10 * kMinute);
  if (!shape.telehealth) t.roomed = called_from + SkewedMinutes(kRoomingWaitMinutes * shape.wait_factor, rng);
  const int64_t ready = shape.telehealth ? called_from : t.roomed;
  const int64_t seen = std::max(ready + SkewedMinutes(kProviderWaitMinutes * shape.wait_factor, rng),
                                provider_free_ms + rng.Between(1, 3) * kMinute);
  const bool walks_out = !shape.telehealth && rng.Chance(kLeftWithoutBeingSeenShare * std::min(2.0, shape.wait_factor) +
                                                         (seen - t.arrived > 60 * kMinute ? 0.05 : 0.0));
  if (walks_out) {
    t.left = t.arrived + rng.Between(30, 90) * kMinute + Jitter(rng);
    if (t.left <= t.roomed) {
      t.left = t.roomed + rng.Between(10, 30) * kMinute;
    } else if (rng.Chance(0.5)) {
      t.roomed = 0;  // gave up in the waiting room
      t.left = std::max(t.left, t.arrived + kMinute);
    }
    return t;
  }
  t.with_provider = seen + Jitter(rng);
  const double length = shape.minutes * (0.55 + 0.5 * rng.Unit()) + 2 * rng.Gaussianish();
  t.checkout = t.with_provider + std::max<int64_t>(4 * kMinute, static_cast<int64_t>(length * kMinute));
  provider_free_ms = t.checkout;
  t.completed = t.checkout + (shape.telehealth ? rng.Between(1, 3) : rng.Between(2, 9)) * kMinute + Jitter(rng);
  return t;
}

}  // namespace caredesk::demo
