// A per-key sliding-window rate limiter: at most `limit` events per key in
// any `window`, for endpoints open to the public (the complaint form). Keys
// with no event inside the window are forgotten, so memory stays bounded by
// the active keys (and by max_keys: beyond it the oldest keys are dropped).
// Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace caredesk {

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int limit, std::chrono::milliseconds window, size_t max_keys = 100'000)
      : clock_(clock), limit_(limit), window_(window), max_keys_(max_keys) {}

  // Records an event for `key` and returns nullopt when it is allowed, or
  // how long until the next one will be.
  std::optional<std::chrono::milliseconds> Acquire(const std::string& key);

 private:
  void PruneLocked(TimePoint now);

  const Clock& clock_;
  const int limit_;
  const std::chrono::milliseconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<TimePoint>> events_;
  TimePoint last_prune_{};
};

}  // namespace caredesk
