#include "core/rate_limiter.h"

#include <algorithm>

namespace caredesk {

void RateLimiter::PruneLocked(TimePoint now) {
  for (auto it = events_.begin(); it != events_.end();) {
    auto& q = it->second;
    while (!q.empty() && q.front() <= now - window_) q.pop_front();
    it = q.empty() ? events_.erase(it) : std::next(it);
  }
  last_prune_ = now;
}

std::optional<std::chrono::milliseconds> RateLimiter::Acquire(const std::string& key) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (now - last_prune_ > window_ || events_.size() >= max_keys_) PruneLocked(now);
  if (events_.size() >= max_keys_ && !events_.count(key)) {
    // Still full of active keys: drop the one whose newest event is oldest.
    auto oldest = std::min_element(events_.begin(), events_.end(),
                                   [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
    events_.erase(oldest);
  }
  auto& q = events_[key];
  while (!q.empty() && q.front() <= now - window_) q.pop_front();
  if (static_cast<int>(q.size()) >= limit_) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(q.front() + window_ - now);
  }
  q.push_back(now);
  return std::nullopt;
}

}  // namespace caredesk
